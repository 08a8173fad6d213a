"""The tutorial notebooks: stored so that strict nbval compares every command cell, run end to end through nbclient
in fresh kernels, no exercise's solution shown, and every point of the course notes taught somewhere (the exercises
live in quizzes/, whose keys tests/quiz replays)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbval.plugin import coalesce_streams

from sandbox.quiz import Grader, parse

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["00-welcome", "01-login", "02-tag", "03-push", "04-pull", "05-share", "06-private-registry", "07-quiz"]
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
#: A widget view's output; nbval skips it (its model id is random), and stored notebooks keep only the text.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_issue_names_every_notebook() -> None:
    assert [p.stem for p in PATHS] == NAMES


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_stored_for_strict_nbval(path) -> None:
    nb = _read(path)
    nbformat.validate(nb)
    code = _code(nb)
    assert code[0].source == "%load_ext sandbox"
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "run top to bottom, once"
    for cell in code:
        assert "NBVAL" not in cell.source and not cell.metadata.get("tags"), "every cell is compared"
        for output in cell.outputs:
            assert output.output_type != "error"
            if output.output_type in ("display_data", "execute_result"):
                assert "text/plain" in output.data, "nbval compares a widget's text/plain"
                assert WIDGET_VIEW not in output.data, "a random model id would change on every refresh"
    assert nb.metadata == {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                          "name": "python3"}, "language_info": {"name": "python"}}
    assert [cell.id for cell in nb.cells] == [f"cell-{i:02d}" for i in range(1, len(nb.cells) + 1)]
    assert all(not cell.metadata for cell in nb.cells)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_command_cell_prints_something_to_compare(path) -> None:
    for cell in _code(_read(path)):
        if re.match(r"%%?docker|%sandbox (show|events|hosts)|%%?quiz", cell.source):
            assert cell.outputs, cell.source


def _comparable(outputs) -> list:
    shown = []
    for output in coalesce_streams(list(outputs)):
        if output.output_type == "stream":
            shown.append((output.name, output.text))
        else:
            shown.append({k: v for k, v in output.data.items() if k != WIDGET_VIEW})
    return shown


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_run_all_in_a_fresh_kernel_reproduces_the_stored_outputs(path, jupyter_dirs) -> None:
    stored = _read(path)
    fresh = _read(path)
    NotebookClient(fresh, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
                   record_timing=False, store_widget_state=False, allow_errors=False).execute()
    for before, after in zip(_code(stored), _code(fresh)):
        text = "".join(o.get("text", "") for o in after.outputs)
        assert "Traceback" not in text, after.source
        assert _comparable(after.outputs) == _comparable(before.outputs), after.source


def _inline_quizzes():
    for path in PATHS:
        for cell in _code(_read(path)):
            if cell.source.startswith("%%quiz"):
                yield path.stem, cell.source.split("\n", 1)[1]


@functools.lru_cache(maxsize=1)
def _exercise_solutions() -> list[tuple[str, str, tuple[str, ...]]]:
    """(quiz, question, solution lines) for every variant of every task question in quizzes/ and in the notebooks."""
    from sandbox.quiz import load_all
    from sandbox.quiz.variables import variant_count

    grader = Grader()
    quizzes = list(load_all([NOTEBOOKS.parent / "quizzes"]))
    quizzes += [parse(text, f"{name}.ipynb") for name, text in _inline_quizzes()]
    found = []
    for quiz in quizzes:
        for question in quiz.questions:
            if question.kind != "task":
                continue
            for variant in range(variant_count(question)):
                q = grader.resolved(question, variant)
                found.append((quiz.id, q.id, tuple(" ".join(c.line.split()) for c in q.solution)))
    return found


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_notebook_gives_an_exercise_s_solution_away(path) -> None:
    """What a learner reads before answering (the text, every output, and the code of the quiz cells) never holds a
    whole solution of an exercise: the exercises live in quiz files, the notebooks name them."""
    shown = []
    for cell in _read(path).cells:
        if cell.cell_type == "markdown":
            shown.append(cell.source)
        elif cell.cell_type == "code":
            if re.match(r"%%?quiz", cell.source):
                shown.append(cell.source)
                assert "solution:" not in cell.source
            for output in cell.outputs:
                shown.append(output.get("text", "") + "".join(output.get("data", {}).get(kind, "")
                                                              for kind in ("text/plain", "text/html", "text/markdown")))
    for text in shown:
        flat = " ".join(text.replace("`", " ").replace("$ ", " ").split())
        for quiz, question, solution in _exercise_solutions():
            assert not all(line in flat for line in solution), f"{path.stem} shows the solution of {quiz}/{question}"


#: Each point of the course notes (/work/shared/course) and words that show a notebook teaches it, corrected where
#: the notes are loose.
COURSE_POINTS = {
    "registries store and track images by tag": [r"A \*\*registry\*\* stores images", r"tag"],
    "latest is the default tag": [r"Using default tag: latest", r"`latest` is just the default tag's name"],
    "docker login to Docker Hub": [r"%docker login -u learner -p s3cret-pass"],
    "rename with docker tag to include the account": [r"docker tag my-web-server learner/my-web-server:0.0.1"],
    "tag is not mv: both names stay": [r"Unlike `mv`"],
    "push a version": [r"docker push learner/my-web-server:0.0.1"],
    "push a second version": [r"learner/my-web-server:0.0.2"],
    "anyone with an account, own namespace only": [r"anyone with an account,\s+and only into their own namespace"],
    "we share images, not containers": [r"We share \*\*images\*\*, not containers"],
    "sharing a Dockerfile instead": [r"Sharing the Dockerfile instead"],
    "Docker Hub versus a private registry with its address in the name": [r"localhost:5000/web:1.0"],
    "login and logout": [r"docker logout"],
    "smart push uploads only missing layers": [r"Mounted from library/node", r"Layer already exists"],
    "pull public images without login": [r"Public images need no login"],
    "private repositories need a login with access": [r"Private images need a login with access"],
    "pull fetches the tag asked for, latest only by default": [r"fetches \*\*the tag you\s+name\*\*"],
    "docker run pulls a missing image": [r"`docker run` pulls a missing image"],
    "docker run does not refresh a stale latest": [r"never refreshes one it has", r"--pull always"],
    "the notes' 'available locally' means not available": [r"they mean \*not\* available"],
    "question: build, run, stop": [r"%quiz --attempts 2 course-questions", r"exercises build-run-stop-web"],
    "question: --rm then stop, practised before the quiz": [r"--rm --name brief", r"rm-then-stop"],
    "FROM pulls the base image from Docker Hub": [r"\*\*`FROM` pulls the base image\s+from Docker Hub\*\*"],
    "Docker Hub shows which OS an image is for": [r"%hub ", r"\*\*OS/ARCH\*\*", r"\*\*OS and\s+architecture\*\*"],
    "smart push, seen layer by layer": [r"%sandbox layers"],
    "credentials stored unencrypted and why it matters": [r"\*\*stored unencrypted\*\*", r"credential helper"],
}


def test_every_point_of_the_course_notes_is_taught() -> None:
    text = "\n".join(cell.source for path in PATHS for cell in _read(path).cells)
    missing = [point for point, patterns in COURSE_POINTS.items()
               if not all(re.search(p, text) for p in patterns)]
    assert missing == []
