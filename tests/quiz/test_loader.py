"""Quiz files to values, and one clear ``FILE:LINE: field '...': ...`` message for every way a file can be broken.

Each file in ``data/broken/`` is named for the mistake it shows; its first line is ``# expect: LINE: MESSAGE``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sandbox.quiz.errors import QuizFileError
from sandbox.quiz.loader import dump_submission, load_all, load_file, parse, parse_bytes, plain, quiz_files
from sandbox.quiz.model import MAX_FILE_BYTES, Choice, Command, Location, StateCheck

BROKEN = sorted((Path(__file__).parent / "data" / "broken").glob("*.yaml"))

ISSUE_EXAMPLE = """\
quiz: sharing-basics            # id, unique across quizzes/
title: Sharing images
questions:
  - id: rm-stop                 # unique within the quiz
    kind: which-fails
    prompt: Assume these commands were executed. Which of the commands below will fail?
    files:                      # written into the host's working directory first
      Dockerfile: |
        FROM node:20-alpine
        COPY . /app
        CMD ["node", "/app/server.js"]
    setup:                      # replayed before the question; shown to the learner
      - docker build -t myimage:latest .
      - docker run --name mycontainer --rm myimage
      - docker stop mycontainer
    choices:
      a: docker ps -a
      b: docker rmi myimage:latest
      c: docker rm mycontainer
    answer: c                   # the author's belief; the replay decides, `check` reports any disagreement
    points: 1
    explain: A container started with --rm is removed as soon as it stops.
"""


def _expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: LINE: MESSAGE'"
    return f"{path}:{first.removeprefix('# expect: ')}"


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_gets_one_clear_message(path: Path) -> None:
    with pytest.raises(QuizFileError) as e:
        load_file(path)
    assert str(e.value) == _expected(path)
    assert "\n" not in str(e.value)
    assert e.value.exit_code == 2


def test_the_issue_example_loads_with_lines_kept() -> None:
    quiz = parse(ISSUE_EXAMPLE, "quizzes/x.yaml")
    assert (quiz.id, quiz.title) == ("sharing-basics", "Sharing images")
    (q,) = quiz.questions
    assert (q.id, q.kind, q.answer, q.points, q.select, q.host) == ("rm-stop", "which-fails", "c", 1, "one", "laptop")
    assert q.files == (("Dockerfile", 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n'),)
    assert [c.line for c in q.setup] == [
        "docker build -t myimage:latest .", "docker run --name mycontainer --rm myimage", "docker stop mycontainer"
    ]
    assert q.setup[2].where == Location("quizzes/x.yaml", 15, "questions[0].setup[2]")
    assert q.choices[2] == Choice("c", "docker rm mycontainer", command=Command("docker rm mycontainer"))
    assert q.where.line == 4


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(QuizFileError, match=r"^x.yaml:1: the file is empty"):
        parse("", "x.yaml")


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (10 * 1024 * 1024 // 10))
    with pytest.raises(QuizFileError) as e:
        load_file(big)
    assert str(e.value) == f"{big}:1: the file is {10 * 1024 * 1024} bytes; quiz files are capped at {MAX_FILE_BYTES}"


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QuizFileError, match=r":0: cannot read the file: No such file or directory$"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(QuizFileError, match=r":0: no such file or directory$"):
        quiz_files([tmp_path / "nope"])


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_bytes(b"\xef\xbb\xbf" + ISSUE_EXAMPLE.encode()).id == "sharing-basics"


def test_on_is_a_key_not_yaml_1_1s_boolean() -> None:
    text = ISSUE_EXAMPLE.replace(
        "      - docker stop mycontainer\n", "      - {run: docker stop mycontainer, on: server}\n"
    )
    assert parse(text).questions[0].setup[2] == Command("docker stop mycontainer", on="server")
    assert plain(text)["questions"][0]["setup"][2] == {"run": "docker stop mycontainer", "on": "server"}


def test_variable_values_keep_their_spelling() -> None:
    text = """
quiz: v
title: V
questions:
  - id: t
    kind: choice
    vars: {tag: [1.10, 2.0, yes]}
    prompt: Tag ${tag}?
    choices: {a: "${tag}", b: other}
    answer: a
"""
    assert parse(text).questions[0].vars == (("tag", ("1.10", "2.0", "yes")),)


def test_a_prompt_prefix_names_the_host() -> None:
    text = ISSUE_EXAMPLE.replace("      - docker stop mycontainer", "      - server$ docker pull alpine")
    assert parse(text).questions[0].setup[2] == Command("docker pull alpine", on="server")


def test_check_subjects_in_a_variant_are_checked_as_references() -> None:
    text = """
quiz: v
title: V
questions:
  - id: t
    kind: task
    vars: {name: [web, Web]}
    prompt: Tag it ${name}
    goal:
      - image: learner/${name}
    solution:
      - docker tag alpine learner/${name}
"""
    with pytest.raises(QuizFileError) as e:
        parse(text, "v.yaml")
    assert str(e.value) == (
        "v.yaml:12: field 'questions[0].solution[0]': 'learner/Web' is not a valid image reference: invalid "
        "reference format: repository name (learner/Web) must be lowercase (in the variant name=Web)"
    )


def test_outcome_choices_carry_their_checks() -> None:
    text = """
quiz: o
title: O
questions:
  - id: o
    kind: outcome
    prompt: What holds?
    setup: [docker pull alpine]
    choices:
      a: {text: It is there, holds: [{image: alpine}, {container: web, status: running, host: server}]}
      b: {text: It is not, holds: [{no-image: alpine}]}
    answer: a
"""
    a = parse(text).questions[0].choices[0]
    assert a.holds == (StateCheck("image", "alpine"), StateCheck("container", "web", host="server", status="running"))


def test_a_quiz_id_used_twice_across_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ISSUE_EXAMPLE)
    (tmp_path / "b.yaml").write_text(ISSUE_EXAMPLE)
    with pytest.raises(QuizFileError) as e:
        load_all([tmp_path])
    assert str(e.value) == (
        f"{tmp_path / 'b.yaml'}:1: field 'quiz': quiz id 'sharing-basics' is already used by {tmp_path / 'a.yaml'}"
    )


def test_quiz_files_expands_directories_in_name_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "notes.md", "c.yaml"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in quiz_files([tmp_path])] == ["a.yml", "b.yaml", "c.yaml"]


def test_dump_submission_writes_the_grading_format() -> None:
    text = dump_submission("ada", "pull", {"pull-private": ("docker login -u alice -p alice-pass",), "a": "c"})
    assert yaml.safe_load(text) == {
        "learner": "ada", "quiz": "pull", "answers": {"pull-private": ["docker login -u alice -p alice-pass"], "a": "c"}
    }

