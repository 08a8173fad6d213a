"""Every broken quiz file, checked the way an instructor checks it: ``imageshare quiz check FILE`` in a process of its
own exits 2 with one line naming the file, the line and the field, and never a traceback.

The corpus is ``data/broken/`` (each file's first line is ``# expect: LINE: MESSAGE``) plus files that cannot carry
that comment and are written here: an empty file, blank lines only, a 10 MB file, a 10 MB single line, a byte order
mark, Windows line endings and UTF-16.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "data" / "broken"
FIXTURES = sorted(BROKEN.glob("*.yaml"))
TEN_MB = 10 * 1024 * 1024
CHOICE = "quiz: broken\ntitle: Broken\nquestions:\n  - id: q\n    kind: choice\n    prompt: P?\n" \
         "    choices:\n      a: yes\n      b: no\n    answer: c\n"  # fmt: skip
#: name -> (bytes, the message after ``FILE:``)
GENERATED = {
    "empty": (b"", "1: the file is empty; expected a mapping with 'quiz', 'title' and 'questions'"),
    "blank-lines-only": (b"  \n\n   \n", "1: the file is empty; expected a mapping with 'quiz', 'title' and 'questions'"),
    "ten-megabytes": ((CHOICE + "# padding\n" * (TEN_MB // 10)).encode(),
                      f"1: the file is {len(CHOICE) + TEN_MB // 10 * 10} bytes; quiz files are capped at 1048576"),
    "ten-megabytes-one-line": (b"quiz: " + b"x" * TEN_MB, f"1: the file is {TEN_MB + 6} bytes; quiz files are capped at 1048576"),
    "byte-order-mark": (("\ufeff" + CHOICE).encode(), "10: field 'questions[0].answer': expected one of a, b, got 'c'"),
    "windows-line-endings": (CHOICE.replace("\n", "\r\n").encode(),
                             "10: field 'questions[0].answer': expected one of a, b, got 'c'"),
    "utf-16": (CHOICE.encode("utf-16"), "1: not UTF-8 text (byte 0xff)"),
}
#: The kinds of mistake issue 7 names, and the files that show each.
ISSUE_KINDS = {
    "bad YAML syntax": ["unclosed-bracket", "colon-in-plain-text", "two-documents", "dangling-alias"],
    "wrong types": ["prompt-is-a-list", "points-not-a-number", "goal-not-a-list", "questions-not-a-list"],
    "unknown kind": ["unknown-kind"],
    "duplicate ids": ["duplicate-question-id"],
    "dangling answer": ["answer-names-no-choice"],
    "ambiguous keys": ["repeated-key", "ambiguous-select-value"],
    "unparseable commands in setup": ["setup-unbalanced-quote", "bad-reference-in-setup", "not-a-docker-command"],
    "unknown state checks": ["unknown-state-check"],
    "variables that do not resolve": ["undefined-variable", "bad-placeholder"],
    "tabs": ["tab-indentation"],
    "empty files": ["empty", "blank-lines-only", "only-a-comment"],
    "a 10 MB file": ["ten-megabytes", "ten-megabytes-one-line"],
}


def _check_command(path: Path) -> list[str]:
    script = Path(sys.executable).with_name("imageshare")
    if script.exists():
        return [str(script), "quiz", "check", str(path)]
    return [sys.executable, "-c", "import sys; from sandbox.entrypoint import console; sys.exit(console())",
            "quiz", "check", str(path)]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, subprocess.CompletedProcess]]:
    """Every file of the corpus through ``imageshare quiz check``, four processes at a time."""
    where = tmp_path_factory.mktemp("broken")
    cases = {}
    for path in FIXTURES:
        expect = path.read_bytes().split(b"\n", 1)[0].decode().removeprefix("# expect: ")
        cases[path.stem] = (path, expect)
    for name, (data, expect) in GENERATED.items():
        path = where / f"{name}.yaml"
        path.write_bytes(data)
        cases[name] = (path, expect)

    def check(item):
        name, (path, expect) = item
        done = subprocess.run(_check_command(path), capture_output=True, text=True, timeout=60)
        return name, (path, expect, done)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(check, cases.items()))


NAMES = [path.stem for path in FIXTURES] + list(GENERATED)


@pytest.mark.parametrize("name", NAMES)
def test_quiz_check_exits_2_with_one_line_naming_file_and_line(checked, name: str) -> None:
    path, expect, done = checked[name]
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    first, *rest = done.stderr.splitlines()
    assert first == f"{path}:{expect}"
    assert rest == ["checked 1 files, 0 questions, 0 variants: 0 problems, 1 files that do not load"]


def test_the_corpus_covers_every_kind_the_issue_names() -> None:
    known = set(NAMES)
    for kind, names in ISSUE_KINDS.items():
        assert set(names) <= known, f"{kind}: missing {set(names) - known}"
    assert len(NAMES) >= 30
