"""``imageshare quiz check|show|take`` as functions of argv and streams, with their exit codes."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import yaml

from sandbox.quiz import cli
from sandbox.quiz.cli import main, main_check, main_show, main_take

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def run(fn, argv, stdin: str = ""):
    out, err = io.StringIO(), io.StringIO()
    if fn is main_take:
        code = fn(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    else:
        code = fn(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_of_the_bank_agrees_everywhere() -> None:
    code, out, err = run(main_check, [str(ROOT / "quizzes")])
    assert code == 0, out + err
    assert err == ""
    assert out.splitlines()[-1].endswith("0 problems, 0 files that do not load")
    assert "  ok   rm-stop                    which-fails    key c        answer c\n" in out


def test_check_defaults_to_quizzes_in_the_working_directory(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run(main_check, [])[0] == 0


def test_check_exits_1_on_disagreement_and_says_where() -> None:
    path = DATA / "disagree" / "key-disagrees-with-answer.yaml"
    code, out, err = run(main_check, [str(path)])
    assert code == 1
    assert "  FAIL which-fails                which-fails    key b        answer a\n" in out
    assert f"       {path}:13: field 'questions[0].answer': the replay gives b, the file says answer: a\n" in out
    assert err == "checked 1 files, 1 questions, 1 variants: 1 problems, 0 files that do not load\n"


def test_check_exits_2_on_a_broken_file_with_one_line_and_no_traceback() -> None:
    path = DATA / "broken" / "answer-names-no-choice.yaml"
    code, out, err = run(main_check, [str(path), str(DATA / "disagree")])
    assert code == 2
    assert err.splitlines()[0] == f"{path}:13: field 'questions[0].answer': expected one of a, b, got 'd'"
    assert "Traceback" not in err + out


def test_check_of_every_broken_fixture_exits_2() -> None:
    code, out, err = run(main_check, [str(DATA / "broken")])
    assert code == 2
    assert len([line for line in err.splitlines() if ": " in line]) == len(list((DATA / "broken").glob("*.yaml"))) + 1


def test_check_of_a_missing_path_exits_2() -> None:
    code, _, err = run(main_check, ["no/such/dir"])
    assert (code, err) == (2, "no/such/dir:0: no such file or directory\n")


def test_usage_errors_exit_2_and_help_exits_0() -> None:
    code, out, err = run(main_check, ["--bogus"])
    assert code == 2 and "usage: imageshare quiz check" in err and "unrecognized arguments: --bogus" in err
    code, out, err = run(main_check, ["--help"])
    assert code == 0 and out.startswith("usage: imageshare quiz check [-h] [--time-limit SECONDS] [PATH ...]")


def test_show_fills_variables_for_the_learner_and_hides_keys() -> None:
    code, out, err = run(main_show, [str(ROOT / "quizzes" / "names-and-tags.yaml"), "--as", "ada"])
    assert (code, err) == (0, "")
    assert out.startswith("Image names and tags (names-and-tags): 6 questions, 6 points\n")
    assert "${" not in out
    assert "answer:" not in out.lower()
    assert "  $ docker build -t my-web-server .\n" in out
    assert "Goals:\n  - image learner/my-web-server:" in out


def test_show_of_a_broken_file_exits_2() -> None:
    code, out, err = run(main_show, [str(DATA / "broken" / "tab-indentation.yaml")])
    assert code == 2 and err.endswith("YAML syntax: a tab character; YAML indents with spaces only\n")


def test_take_asks_grades_and_saves_a_submission(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    # ada sees each question's choices in her own order, and answers in the letters she sees.
    answers = "\n".join([
        "c",                                    # build-run-stop: right (the author's a)
        "b",                                    # rm-stop: wrong (the key, the author's c, is her a)
        "a",                                    # stop-without-rm: right (the author's b)
        "Error response from daemon: No such container: mycontainer", "",  # rm-stop-error: right
        "b",                                    # tag-idea: right (the author's a)
    ]) + "\n"
    code, out, err = run(main_take, [str(ROOT / "quizzes" / "course-questions.yaml"), "--as", "ada",
                                     "--save", str(saved)], stdin=answers)
    assert (code, err) == (0, "")
    assert "Incorrect (0/1); the answer is a." in out
    assert "  a) docker rm mycontainer\n  b) docker rmi myimage:latest\n  c) docker ps -a\n" in out
    assert "container mycontainer was removed when it stopped, because it was started with --rm" in out
    assert "(end of input: the remaining questions are left unanswered)" in out
    assert "Score: 4/6\n" in out
    document = yaml.safe_load(saved.read_text())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document.pop("submitted_at"))  # when, in UTC
    assert document == {
        "learner": "ada",
        "quiz": "course-questions",
        "answers": {
            "build-run-stop": "c", "rm-stop": "b", "stop-without-rm": "a",
            "rm-stop-error": "Error response from daemon: No such container: mycontainer", "tag-idea": "b",
        },
    }


def test_take_reads_task_commands_until_an_empty_line() -> None:
    stdin = "docker login -u learner -p s3cret-pass\n\n"
    code, out, _ = run(main_take, [str(ROOT / "quizzes" / "login-and-push.yaml")], stdin=stdin)
    assert code == 0
    assert "Correct (1/1)." in out


def test_take_reports_an_unwritable_save_path(tmp_path: Path) -> None:
    code, _, err = run(main_take, [str(ROOT / "quizzes" / "pull.yaml"), "--save", str(tmp_path / "no" / "x.yaml")])
    assert code == 1 and err.startswith("imageshare quiz take: cannot save ")


def test_main_dispatches_subcommands() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(DATA / "disagree")], stdout=out, stderr=err) == 1
    assert main(["frobnicate"], stdout=out, stderr=err) == 2
    assert "unknown subcommand 'frobnicate'" in err.getvalue()


def test_quiz_help_describes_each_subcommand() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["--help"], stdout=out, stderr=err) == 0
    text = " ".join(out.getvalue().split())
    assert text.startswith("usage: imageshare quiz [-h] {check,show,take,serve} ...")
    for name in ("check replay every question", "show print a quiz as one learner sees it",
                 "take answer a quiz in the terminal", "serve serve a quiz as a web page"):
        assert name in text
    assert main([], stdout=out, stderr=err) == 2 and err.getvalue().startswith("usage: imageshare quiz")


def test_check_shows_long_and_multi_line_keys_whole_below_their_row(tmp_path: Path) -> None:
    long_name = "learner/" + "a-rather-long-repository-name-for-a-table"
    path = tmp_path / "keys.yaml"
    path.write_text(f"""quiz: keys
title: Keys that do not fit a table cell
questions:
  - id: two-lines
    kind: output
    prompt: What does it print?
    setup: [docker pull alpine, docker tag alpine {long_name}:1]
    command: docker images --format '{{{{.Repository}}}}:{{{{.Tag}}}}'
    ask: stdout
    answer: |
      alpine:latest
      {long_name}:1
""")
    code, out, err = run(main_check, [str(path)])
    assert code == 1  # docker images lists the newest image first
    assert "  FAIL two-lines                  output         key and answer below\n" in out
    assert (f"         key:    {long_name}:1\n"
            "                 alpine:latest\n"
            "         answer: alpine:latest\n"
            f"                 {long_name}:1\n"
            f"       {path}:10: field 'questions[0].answer': the replay prints ") in out


def test_take_refuses_to_save_under_an_id_the_grader_would_reject(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    code, out, err = run(main_take, [str(ROOT / "quizzes" / "pull.yaml"), "--as", "ada.", "--save", str(target)])
    assert code == 2 and "--as 'ada.' is not a learner id" in err and not target.exists() and out == ""


_replay_question = cli._check_question


def _replay_that_never_ends_for_slow(item):
    """The worker's replay, except that question ``slow`` never finishes: a stand-in for any key that overruns,
    whatever the shell's budget makes of real loops and however fast the machine."""
    if item[1] == "slow":
        while True:
            time.sleep(1)
    return _replay_question(item)


def test_check_reports_a_question_whose_replay_overruns_and_checks_the_rest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli, "_check_question", _replay_that_never_ends_for_slow)  # workers are forked: they run it
    quiz = tmp_path / "slow.yaml"
    quiz.write_text("""quiz: slow
title: A key that replays for minutes
questions:
  - id: fast
    kind: task
    prompt: Pull alpine.
    goal:
      - image: alpine
    solution:
      - docker pull alpine
  - id: slow
    kind: task
    prompt: Loop.
    goal:
      - image: alpine
    solution:
      - docker pull alpine
      - "docker run alpine sh -c 'while true; do :; done'"
""")
    started = time.monotonic()
    code, out, err = run(main_check, [str(quiz), "--time-limit", "2"])
    assert code == 1, (out, err)
    assert "  ok   fast" in out
    assert f"  FAIL slow                       task           not replayed\n       {quiz}:11: its setup and key were " \
           "not replayed: the time limit of 2 s per question\n" in out
    assert err == "checked 1 files, 2 questions, 1 variants: 1 problems, 0 files that do not load\n"
    assert time.monotonic() - started < 30  # the overrunning worker was ended at its limit, not waited for


def test_check_refuses_a_time_limit_that_is_no_positive_number_of_seconds() -> None:
    for given, words in [("inf", "got inf"), ("0", "got 0"), ("-1", "got -1"), ("nan", "got nan"),
                         ("soon", "expected a number of seconds, got 'soon'")]:
        code, out, err = run(main_check, ["quizzes", "--time-limit", given])
        assert code == 2 and out == "", (given, out)
        assert err.endswith(f"argument --time-limit: {words}\n") if "soon" in words else \
            err.endswith(f"argument --time-limit: expected more than 0 and at most 86400 seconds, {words}\n"), err


SHOWN = """quiz: shown
title: Shown
questions:
  - id: base
    kind: outcome
    vars: {base: [alpine, busybox]}
    prompt: The Dockerfile below is built as web. What holds?
    files:
      Dockerfile: |
        FROM ${base}
    setup:
      - docker build -t web .
    choices:
      a: {text: web exists, holds: [{image: web}]}
      b: {text: web2 exists, holds: [{image: web2}]}
      c: {text: "web:${base} exists", holds: [{image: "web:${base}"}]}
    answer: a
"""


def test_show_and_take_print_the_files_of_the_learners_variant_and_the_choices_in_their_order(tmp_path: Path) -> None:
    from sandbox.quiz import Grader, parse
    from sandbox.quiz.shuffle import choice_order

    (tmp_path / "shown.yaml").write_text(SHOWN)
    quiz, grader = parse(SHOWN, "shown.yaml"), Grader()
    q = quiz.question("base")
    for learner in ("ada", "grace", "linus"):
        v = grader.variant(quiz.id, q, learner)
        resolved = grader.resolved(q, v)
        order = choice_order(quiz.id, resolved, v, learner)
        listed = "".join(f"  {label}) {c.text}\n" for label, c in order.choices(resolved))
        base = ["alpine", "busybox"][v]
        for fn in (main_show, main_take):
            code, out, _ = run(fn, [str(tmp_path / "shown.yaml"), "--as", learner], stdin=order.label("a") + "\n")
            assert code == 0 and f"  Dockerfile:\n    FROM {base}\n" in out and listed in out
        assert "Correct (1/1)." in out, "answered in the learner's own letter"
