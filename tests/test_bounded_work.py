"""No input makes a command, a build, a quiz check or a grade run unboundedly: every cap answers with a clear error,
and the worst lines that fit under the caps finish in bounded time and memory.

The worst cases run in a child process with a time limit and an address-space limit, so a regression shows as a
failed test rather than a hung or swapping CI machine. Caps live in ``sandbox/cli/app.py`` (line), ``sandbox/sandbox.py``
(file), ``sandbox/engine/build.py`` (context, instructions) and ``docs/quiz-format.md`` (quiz files and answers).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.cli.host import MAX_LINE
from sandbox.shell.budget import MAX_FILE as MAX_REDIRECT_BYTES
from sandbox.engine.build import MAX_CONTEXT_BYTES, MAX_INSTRUCTIONS
from sandbox.engine.containers import MAX_LOGS
from sandbox.engine.dockerfile import MAX_EXPANSION
from sandbox.engine.process import MAX_OUTPUT, MAX_WORD
from sandbox.quiz import Grader, parse
from sandbox.sandbox import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "quiz" / "data" / "broken"
GIB = 1024**3

# The caps --------------------------------------------------------------------------------------------------------


def test_a_line_at_the_cap_runs_and_one_character_more_is_refused() -> None:
    sb = Sandbox()
    at_cap = "echo " + "a" * (MAX_LINE - 5)
    assert sb.run(at_cap).exit_code == 0
    over = at_cap + "a"
    result = sb.run(over)
    assert (result.exit_code, result.stdout) == (126, "")
    assert result.stderr == f"bash: command line too long ({MAX_LINE + 1} characters; the sandbox accepts {MAX_LINE})\n"


def test_a_file_at_the_cap_is_written_and_one_byte_more_is_refused() -> None:
    sb = Sandbox()
    sb.write_file("big.bin", b"x" * MAX_FILE_BYTES)
    with pytest.raises(ValueError, match=rf"more than the sandbox's {MAX_FILE_BYTES} per file"):
        sb.write_file("bigger.bin", b"x" * (MAX_FILE_BYTES + 1))
    assert sb.read_file("bigger.bin") is None


def test_a_build_context_over_the_cap_is_refused_before_any_step() -> None:
    sb = Sandbox()
    sb.write_file("Dockerfile", "FROM alpine\nCOPY . /app\n")
    for index in range(MAX_CONTEXT_BYTES // MAX_FILE_BYTES):
        sb.write_file(f"part{index}", b"x" * MAX_FILE_BYTES)
    size = MAX_CONTEXT_BYTES + len("FROM alpine\nCOPY . /app\n")
    result = sb.run("docker build -t big .")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"ERROR: failed to solve: build context is {size} bytes; the sandbox accepts at most {MAX_CONTEXT_BYTES}\n"
    )
    assert not sb.has_image("big")


def test_a_build_context_at_the_cap_builds() -> None:
    sb = Sandbox()
    dockerfile = "FROM alpine\nCOPY . /app\n"
    sb.write_file("Dockerfile", dockerfile)
    parts = MAX_CONTEXT_BYTES // MAX_FILE_BYTES
    for index in range(parts - 1):
        sb.write_file(f"part{index}", b"x" * MAX_FILE_BYTES)
    sb.write_file("last", b"x" * (MAX_FILE_BYTES - len(dockerfile)))
    assert sb.run("docker build -t big .").exit_code == 0


def test_a_dockerfile_over_the_instruction_cap_is_refused() -> None:
    sb = Sandbox()
    sb.write_file("Dockerfile", "FROM alpine\n" + "ENV A=1\n" * (MAX_INSTRUCTIONS - 1))
    assert sb.run("docker build -t at-cap .").exit_code == 0
    sb.write_file("Dockerfile", "FROM alpine\n" + "ENV A=1\n" * MAX_INSTRUCTIONS)
    result = sb.run("docker build -t over-cap .")
    assert result.exit_code == 1
    assert result.stderr.endswith(f"ERROR: the sandbox builds Dockerfiles of at most {MAX_INSTRUCTIONS} instructions\n")
    assert not sb.has_image("over-cap")


def test_a_redirect_past_the_file_cap_is_a_write_error() -> None:
    sb = Sandbox()
    sb.run("echo " + "a" * 60_000 + " > a.txt")
    while len(sb.read_file("a.txt")) * 2 <= MAX_REDIRECT_BYTES:
        assert sb.run("cat a.txt a.txt > b.txt && cat b.txt > a.txt").exit_code == 0
    kept = sb.read_file("a.txt")
    result = sb.run("cat a.txt a.txt > c.txt")
    assert (result.exit_code, result.stderr) == (1, "bash: write error: No space left on device\n")
    assert sb.read_file("a.txt") == kept


def test_a_dockerfile_expansion_past_the_cap_is_a_build_error() -> None:
    sb = Sandbox()
    sb.write_file("Dockerfile", "FROM alpine\nENV A=x\n" + "ENV A=$A$A\n" * 17)
    result = sb.run("docker build -t doubled .")
    assert result.exit_code == 1
    assert result.stderr.endswith(f"ERROR: failed to solve: variable expansion produces more than {MAX_EXPANSION} "
                                  f"characters; the sandbox builds Dockerfiles whose values stay under "
                                  f"{MAX_EXPANSION // 1024} KiB\n")
    assert not sb.has_image("doubled")


def _doubling(steps: int, then: str) -> str:
    return f"docker run --name big alpine sh -c 'x=a; for i in {' '.join(map(str, range(steps)))}; do x=$x$x; done; {then}'"


def test_a_container_printing_past_the_output_cap_stops_with_a_notice() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    steps = (MAX_OUTPUT // 2).bit_length() - 1
    result = sb.run(_doubling(steps, "echo $x; echo $x; echo $x; echo end"))
    assert (result.exit_code, len(result.stdout)) == (0, MAX_OUTPUT)
    assert result.stderr == f"\n[imageshare sandbox: output stopped after {MAX_OUTPUT // 1024} KiB]\n"
    assert len(sb.run("docker logs big").output) <= MAX_OUTPUT + 100


def test_a_container_shell_word_past_the_cap_runs_out_of_memory() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    result = sb.run(_doubling(MAX_WORD.bit_length(), "echo done"))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "sh: out of memory\n")


def _documented_quiz_caps() -> list[str]:
    text = (ROOT / "docs" / "quiz-format.md").read_text(encoding="utf-8")
    table = text.split("## Caps", 1)[1].split("\n## ", 1)[0]
    return [row.split("|")[1].strip() for row in table.splitlines()
            if row.startswith("| ") and not row.startswith("| cap") and "---" not in row]


#: Each cap of docs/quiz-format.md and the broken quiz file that hits it (its message names the cap).
QUIZ_CAP_FIXTURES = {
    "quiz file size": None,  # tests/quiz/test_broken_corpus.py writes 10 MB files
    "YAML values after expanding aliases": "alias-bomb",
    "questions per quiz": "too-many-questions",
    "commands per setup, solution or task answer": "setup-over-command-cap",
    "characters per command line": "command-too-long",
    "characters per text field (prompt, file contents, answers)": None,  # test below
    "choices per question": "choice-key-not-a-letter",
    "checks per `holds`/`goal`, rules per `forbid`": "too-many-checks",
    "files per question": "too-many-files",
    "variants per question (product of the `vars` lists)": "too-many-variants",
    "characters per variable value": "variable-value-too-long",
}


def test_every_documented_quiz_cap_is_hit_by_a_broken_file() -> None:
    assert set(_documented_quiz_caps()) == set(QUIZ_CAP_FIXTURES)
    for cap, name in QUIZ_CAP_FIXTURES.items():
        if name is not None:
            assert (BROKEN / f"{name}.yaml").exists(), cap
    assert (BROKEN / "too-deep-nesting.yaml").exists(), "the nesting cap (100 levels)"


QUIZ = """\
quiz: caps
title: Caps
questions:
  - id: push
    kind: task
    prompt: Push alpine as learner/alpine:1.0.
    max_commands: 3
    goal:
      - pushed: learner/alpine:1.0
    solution:
      - docker pull alpine
      - docker tag alpine learner/alpine:1.0
      - {run: docker login -u learner --password-stdin, stdin: s3cret-pass}
"""


def test_a_prompt_over_the_text_cap_is_a_load_error() -> None:
    text = QUIZ.replace("Push alpine as learner/alpine:1.0.", "x" * 65_537)
    with pytest.raises(Exception, match=r"^caps.yaml:6: field 'questions\[0\].prompt': 65537 characters; the cap is 65536$"):
        parse(text, "caps.yaml")


def test_an_answer_over_the_command_cap_scores_zero_with_a_reason() -> None:
    question = parse(QUIZ, "caps.yaml").questions[0]
    grade = Grader().grade(question, ["docker ps"] * 4, quiz_id="caps")
    assert (grade.score, grade.correct) == (0.0, False)
    assert grade.reason and "3" in grade.reason


def test_an_answer_line_over_the_line_cap_scores_zero_with_a_reason() -> None:
    question = parse(QUIZ, "caps.yaml").questions[0]
    grade = Grader().grade(question, ["docker pull " + "a" * 5_000], quiz_id="caps")
    assert (grade.score, grade.correct) == (0.0, False)
    assert grade.reason and "4096" in grade.reason.replace(",", "")


# The worst lines under the caps, measured in a child process ------------------------------------------------------

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    spec = json.load(sys.stdin)
    resource.setrlimit(resource.RLIMIT_AS, (spec["memory"], spec["memory"]))
    from sandbox import Sandbox
    sb = Sandbox()
    for name, text in spec["files"].items():
        sb.write_file(name, text)
    for line in spec["setup"]:
        sb.run(line)
    events = len(sb.events)
    start = time.perf_counter()
    result = sb.run(spec["line"], stdin=spec["stdin"])
    print(json.dumps({"exit": result.exit_code, "seconds": round(time.perf_counter() - start, 3),
                      "output_chars": len(result.stdout) + len(result.stderr), "stderr_tail": result.stderr[-200:],
                      "events": len(sb.events) - events}))
""")


def measure(line: str, *, setup: tuple[str, ...] = (), files: dict[str, str] | None = None, stdin: str | None = None,
            timeout: float = 20, memory: int = 2 * GIB, script: str = CHILD) -> dict:
    """Run ``line`` on a fresh world in a child process; ``{"outcome": "ok", ...figures}`` or ``timeout``/``crashed``."""
    spec = {"line": line, "setup": list(setup), "files": files or {}, "stdin": stdin, "memory": memory}
    try:
        done = subprocess.run([sys.executable, "-c", script], input=json.dumps(spec), capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"outcome": "timeout", "seconds": timeout}
    if done.returncode != 0:
        return {"outcome": "crashed", "error": done.stderr.strip().splitlines()[-1:]}
    return {"outcome": "ok", **json.loads(done.stdout)}


def _fits(line: str) -> str:
    assert len(line) <= MAX_LINE, len(line)
    return line


def _count(unit: str, joiner: str) -> int:
    return (MAX_LINE + len(joiner)) // (len(unit) + len(joiner))


def _repeat(unit: str, joiner: str) -> str:
    """As many ``unit``s joined by ``joiner`` as fit in one line."""
    return _fits(joiner.join([unit] * _count(unit, joiner)))


#: name -> (line, setup, files, seconds it must finish in, output characters it may print)
WORST_CASES = {
    f"echo pipeline of {_count('echo a', '|'):,} stages": (_repeat("echo a", "|"), (), {}, 5, 10),
    f"&& chain of {_count('true', '&&'):,} true": (_repeat("true", "&&"), (), {}, 5, 0),
    f"; chain of {_count('docker images', ';'):,} docker images": (
        _repeat("docker images", ";"), ("docker pull alpine",), {}, 15, 1_000_000),
    f"; chain of {_count('docker pull -a alpine', ';'):,} docker pull -a alpine": (
        _repeat("docker pull -a alpine", ";"), (), {}, 20, 5_000_000),
    f"; chain of {_count('docker run -d nginx', ';'):,} docker run -d nginx": (
        _repeat("docker run -d nginx", ";"), ("docker pull nginx",), {}, 30, 500_000),
    "65,405 characters of nested quotes": (_fits("echo " + "\"'\"'\"'" * 10_900), (), {}, 5, 70_000),
    "--format with 3,000 nested range": (
        _fits("docker images --format '" + "{{range .}}" * 3_000 + "x" + "{{end}}" * 3_000 + "'"),
        ("docker pull alpine",), {}, 5, 200),
    "200 RUN instructions of 5 KB each": ("docker build -t runs .", (), {
        "Dockerfile": "FROM alpine\n" + "".join(f"RUN echo {i} {'x' * 5_000}\n" for i in range(199))}, 15, 200_000),
    "COPY of an 8 MiB context": ("docker build -t ctx .", (), {
        "Dockerfile": "FROM alpine\nCOPY . /app\n",
        **{f"part{i}": "x" * (MAX_FILE_BYTES - 100) for i in range(8)}}, 15, 10_000),
    "a container printing 6,000 lines": ("docker run alpine sh -c '" + "echo line;" * 6_000 + "'", (), {}, 10, 100_000),
}


@pytest.mark.parametrize("name", WORST_CASES)
def test_worst_line_under_the_caps_finishes_in_bounded_time_and_output(name: str) -> None:
    line, setup, files, seconds, output = WORST_CASES[name]
    figures = measure(line, setup=setup, files=files, timeout=seconds * 4)
    assert figures["outcome"] == "ok", figures
    assert figures["seconds"] < seconds, figures
    assert figures["output_chars"] <= output, figures


def test_deep_template_nesting_is_refused_with_an_error_not_a_crash() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    result = sb.run(WORST_CASES["--format with 3,000 nested range"][0])
    assert result.exit_code == 1
    # docker images writes through docker/cli's formatter.Context, whose parse errors say "template parsing error"
    assert result.stderr == "template parsing error: template: :1: blocks nested more than 100 deep\n"


def test_the_event_log_grows_by_a_bounded_number_of_events_per_command() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    before = len(sb.events)
    for index in range(200):
        sb.run(f"docker run -d --name c{index} alpine sleep 1000")
    per_command = (len(sb.events) - before) / 200
    assert per_command <= 3, per_command


# Lines that once ran away (found by this suite), each now bounded by a cap --------------------------------------

#: Limits for lines that are known to run away: a bounded line of this kind takes well under a second.
HOSTILE = {"timeout": 30, "memory": GIB // 2}  # generous: children share 2 busy cores; a runaway never ends
GRADE_SCRIPT = textwrap.dedent(f"""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({GIB // 2}, {GIB // 2}))
    from sandbox.quiz import Grader, parse
    quiz = parse({QUIZ!r}, "caps.yaml")
    grade = Grader().grade(quiz.questions[0], ["docker run alpine printf hello x"], quiz_id="caps")
    print(json.dumps({{"exit": 0, "seconds": 0, "output_chars": 0, "stderr_tail": "", "events": 0}}))
""")
RUNAWAY = {
    "printf": dict(line="docker run alpine printf hello x"),
    "env-doubling": dict(line="docker build -t doubled .",
                         files={"Dockerfile": "FROM alpine\nENV A=x\n" + "ENV A=$A$A\n" * 40}),
    "shell-doubling": dict(line="docker run alpine sh -c 'x=a; for i in " + " ".join(map(str, range(40)))
                           + "; do x=$x$x; done; echo done'"),
    "output": dict(line="docker run node:20-alpine node -e 'console.log(\"x\" * 10**8)'"),
    "power-tower": dict(line="docker run node:20-alpine node -e 'console.log((((9**99)**99)**99)**99)'"),
    "grading": dict(line="", script=GRADE_SCRIPT),
    # one 60 KB line naming a 32 KiB value 20,000 times: checked before it is built, not after 640 MB
    "env-references": dict(line="docker build -t doubled .", files={
        "Dockerfile": "FROM alpine\nENV B=x\n" + "ENV B=$B$B\n" * 15 + "ENV C=" + "$B" * 20_000 + "\n"}),
    # a 512 KB first word: the "did you mean" distance is bounded by the instructions' lengths, not the word's
    "suggestion": dict(line="docker build -t s .", files={"Dockerfile": "X" * 512 * 1024 + " alpine\n"}),
    # Go ranges over an integer (the real client grows to 19 GB on this one); the sandbox checks a budget first
    # (with an image to list: docker images runs its template once per row, and not at all with no rows)
    "template-range": dict(line="docker images --format '{{range 100000000000}}x{{end}}'",
                           setup=("docker pull alpine",)),
    "template-nested-range": dict(line="docker images --format '" + "{{range 1000}}" * 3 + "x" + "{{end}}" * 3 + "'",
                                  setup=("docker pull alpine",)),
}
#: Corpus entries that must end with a plain error line, each the sandbox's or the tool's own.
PLAIN_ERRORS = {
    "env-references": "variable expansion produces more than 65536 characters",
    "suggestion": "X" * 100 + "\n",  # BuildKit quotes the whole word, so the tail is the word
    "template-range": "repeats a --format template at most 100000 times",
    "template-nested-range": "repeats a --format template at most 100000 times",
}


@pytest.fixture(scope="module")
def runaway() -> dict[str, dict]:
    """Every `RUNAWAY` line measured in its own process under `HOSTILE` limits, two at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(measure, **case, **HOSTILE) for name, case in RUNAWAY.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", PLAIN_ERRORS)
def test_an_amplifying_line_ends_in_seconds_with_a_plain_error(runaway, name: str) -> None:
    figures = runaway[name]
    assert figures["outcome"] == "ok" and figures["exit"] == 1, figures
    assert PLAIN_ERRORS[name] in figures["stderr_tail"] and "internal error" not in figures["stderr_tail"], figures
    assert figures["seconds"] < 5, figures


def test_printf_with_more_arguments_than_directives_ends(runaway) -> None:
    assert runaway["printf"]["outcome"] == "ok" and runaway["printf"]["exit"] == 0, runaway["printf"]


def test_grading_a_hostile_task_answer_ends(runaway) -> None:
    assert runaway["grading"]["outcome"] == "ok", runaway["grading"]


def test_dockerfile_variable_expansion_is_capped(runaway) -> None:
    figures = runaway["env-doubling"]
    assert figures["outcome"] == "ok" and figures["exit"] == 1, figures
    assert "ERROR:" in figures["stderr_tail"]


def test_container_shell_variable_growth_is_capped(runaway) -> None:
    assert runaway["shell-doubling"]["outcome"] == "ok", runaway["shell-doubling"]


def test_a_container_cannot_make_one_command_print_unbounded_output(runaway) -> None:
    figures = runaway["output"]
    assert figures["outcome"] == "ok", figures
    assert figures["output_chars"] <= 8 * 1024 * 1024, figures


def test_a_tower_of_powers_in_a_log_call_ends(runaway) -> None:
    assert runaway["power-tower"]["outcome"] == "ok", runaway["power-tower"]


def test_a_huge_integer_in_a_log_call_is_no_traceback() -> None:
    result = Sandbox().run("docker run node:20-alpine node -e 'console.log(((9**99)**99)**99)'")
    assert "Traceback" not in result.output


# The shell's work budget: hostile lines that amplify while they run ----------------------------------------------

_DIGITS = " ".join("0123456789")
#: name -> (line, files); each must end within `HOSTILE` limits with a plain answer (a budget notice, the shell's
#: own out-of-memory words, or a normal result), never an internal error.
SHELL_RUNAWAY = {
    "cat-doubling-then-a-thousand-cats": (
        "echo " + "x" * 4000 + " > f; " + "cat f f > g; cat g g > f; " * 12 + "cat" + " f" * 1000, {}),
    "cat-doubling-in-a-loop": ("echo x > f; for i in $(seq 40); do cat f f > g; cat g > f; done; "
                               "for i in $(seq 1000); do cat f; done", {}),
    "printf-reusing-a-long-format": ("printf '" + "A" * 30_000 + "%s' " + "x " * 10_000, {}),
    "printf-wide-field": ("printf '%0999999999d' 1", {}),
    "nested-loops-in-a-container": (
        "docker run alpine sh -c '" + " ".join(f"for {v} in {_DIGITS}; do" for v in "abcdefgh")
        + " echo $a$b$c$d$e$f$g$h;" + " done;" * 8 + "'", {}),
    "python-wide-format": ("docker run python:3.13 python -c \"print('%01999999999d' % 1)\"", {}),
    "python-ten-digit-width": ("docker run python:3.13 python -c \"print('%09999999999d' % 1)\"", {}),
    "unclosed-print-calls": ("docker run python:3.13 python -c '" + "print(" * 500 + "'", {}),
    "host-while-doubling": ("x=a; while :; do x=$x$x; done", {}),
    "host-endless-loop": ("while :; do :; done", {}),
    "host-seq-flood": ("seq 999999999999", {}),
    "recursive-function": ("f() { f; }; f", {}),
    "recursive-pipeline-function": ("f() { f | f & }; f", {}),
    "nested-substitutions": ("echo " + "$(echo " * 90 + "x" + ")" * 90, {}),
    "here-document-doubling": ("x=ab; for i in $(seq 30); do x=$x$x; done; cat <<EOF\n$x$x$x$x\nEOF", {}),
    "touch-many-files": ("for i in $(seq 5000); do touch f$i; done; ls | wc -l", {}),
    "brace-expansion-bomb": ("echo " + "{a,b}" * 40 + " {1..99999999999}", {}),
    "power-in-arithmetic": ("echo $((3**99999999999999)) $((2**-1))", {}),
}


@pytest.fixture(scope="module")
def shell_runaway() -> dict[str, dict]:
    """Every `SHELL_RUNAWAY` line measured in its own process under `HOSTILE` limits, two at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(measure, line, files=files, **HOSTILE)
                   for name, (line, files) in SHELL_RUNAWAY.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", SHELL_RUNAWAY)
def test_a_hostile_shell_line_ends_in_seconds_with_a_plain_answer(shell_runaway, name: str) -> None:
    figures = shell_runaway[name]
    assert figures["outcome"] == "ok", figures
    assert figures["seconds"] < 15, figures  # about a second on an idle machine; CI shares two cores
    assert "internal error" not in figures["stderr_tail"], figures
    assert figures["output_chars"] <= 9 * 1024 * 1024, figures


def test_a_loop_that_never_ends_stops_at_the_budget_with_a_plain_message() -> None:
    result = Sandbox().run("while :; do :; done")
    assert result.exit_code == 124
    assert result.stderr == ("imageshare sandbox: stopped after 10,000 loop rounds; one command line may do only so "
                             "much work (see docs/reliability.md)\n")


def test_a_host_word_past_the_cap_is_bashs_out_of_memory() -> None:
    result = Sandbox().run("x=a; while :; do x=$x$x; done; echo never")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "bash: xmalloc: cannot allocate memory\n")


def test_a_container_restarted_many_times_keeps_the_newest_megabytes_of_log_and_says_so() -> None:
    sb = Sandbox()
    sb.run("docker pull alpine")
    sb.run(_doubling((MAX_OUTPUT // 2).bit_length() - 1, "echo $x"))  # 512 KiB per run
    assert sb.run("docker logs big").stderr == ""
    sb.run(";".join(["docker start big"] * 4))  # five runs: 2.5 MiB printed in all
    result = sb.run("docker logs big")
    assert len(result.stdout) == MAX_LOGS
    assert result.stderr == (f"[imageshare sandbox: the oldest {5 * (MAX_OUTPUT // 2 + 1) - MAX_LOGS} characters of "
                             f"this log were dropped; the sandbox keeps the newest {MAX_LOGS // 1024} KiB]\n")
