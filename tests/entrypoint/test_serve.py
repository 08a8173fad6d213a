"""``imageshare quiz serve FILE``: a generated notebook holding the quiz widget, Voilà on 127.0.0.1 behind a token,
the address printed once it listens, and a clean stop (Voilà, its kernels and the temp folder gone) on Ctrl-C or
SIGTERM. The page itself is tested in a browser in tests/e2e/test_quiz_page.py."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sandbox.entrypoint import main
from sandbox.entrypoint.serve import CSP, notebook, remove_orphans
from sandbox.jupyter import QuizWidget
from sandbox.quiz import load_file

ROOT = Path(__file__).resolve().parents[2]
QUIZ = ROOT / "quizzes" / "course-questions.yaml"


def test_usage_lists_quiz_serve(capsys) -> None:
    main(["--help"])
    assert "  quiz serve FILE " in capsys.readouterr().out


def test_the_notebook_says_how_to_answer_and_shows_the_quiz_saving_where_asked(tmp_path) -> None:
    odd = tmp_path / "it's a folder" / "submissions"
    cells = notebook(load_file(QUIZ), QUIZ, odd)["cells"]
    assert [c["cell_type"] for c in cells] == ["markdown", "code"]
    assert "**Your ID**" in cells[0]["source"] and f"`{odd}`" in cells[0]["source"]
    *body, last = cells[1]["source"].splitlines()
    scope: dict = {}
    exec("\n".join(body), scope)
    widget = eval(last, scope)
    assert isinstance(widget, QuizWidget) and widget.quiz.id == "course-questions" and widget.directory == odd


def test_dry_run_prints_the_notebook_and_a_local_voila_with_a_token(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["quiz", "serve", str(QUIZ), "--port", "9999", "--dry-run"]) == 0
    out = capsys.readouterr().out
    document, _, line = out.rstrip("\n").rpartition("\n")
    assert json.loads(document)["nbformat"] == 4
    assert line.startswith(f"{sys.executable} -m voila ") and "/course-questions.ipynb --no-browser --port=9999 " in line
    assert "--Voila.ip=127.0.0.1" in line and "token" not in line  # a command line is every local user's to read
    runtime = Path(re.search(r"--Voila\.config_file_paths=(\S+)", line).group(1))
    assert f"--Voila.connection_dir_root={runtime} " in line
    assert str(tmp_path / "submissions") in document


def test_a_broken_quiz_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("quiz: x\ntitle: [\n")
    assert main(["quiz", "serve", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"imageshare quiz serve: {broken}:") and err.count("\n") == 1


def test_without_voila_it_says_how_to_install_it(capsys, monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a))
    assert main(["quiz", "serve", str(QUIZ)]) == 2
    assert capsys.readouterr().err == ("imageshare quiz serve: Voilà is not installed here; install it with "
                                       f"{sys.executable} -m pip install voila\n")


def _descendants(pid: int) -> set[int]:
    """The processes under ``pid``, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit():
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "kill-9"])
def test_it_serves_then_stops_voila_and_its_kernels(tmp_path, how) -> None:
    if importlib.util.find_spec("voila") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true, so this test must run, but voila is not installed", pytrace=False)
        pytest.skip("voila is not installed (pip install -e '.[test]')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        # A session of its own, so Ctrl-C can be sent to its group, as a terminal sends it to the foreground job.
        serve = subprocess.Popen([str(Path(sys.executable).parent / "imageshare"), "quiz", "serve", str(QUIZ),
                                  f"--port={port}"], cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "is at http" not in log.read_text():
            assert serve.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        url = log.read_text().split(" is at ")[1].split()[0]
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        with urllib.request.urlopen(url, timeout=60) as page:  # starts a kernel, which must be stopped too
            html = page.read()
            assert b"course-questions" in html and b".jp-mod-noOutputs" in html  # the lab template's own style
            assert page.headers["Content-Security-Policy"] == CSP  # nothing from a CDN: the page works offline
            assert re.findall(rb'(?:href|src)="(?:https?:)?//[^"]*', html) == []  # so it links none either
        started = _descendants(serve.pid)
        token = url.split("token=")[1]
        assert [p for p in started | {serve.pid} if token in Path(f"/proc/{p}/cmdline").read_text()] == []
        assert any("ipykernel" in Path(f"/proc/{p}/cmdline").read_text() for p in started if _alive(p))
        scratch = re.search(r"voila\x00(/[^\x00]*)/course-questions\.ipynb",
                            "".join(Path(f"/proc/{p}/cmdline").read_text() for p in started if _alive(p)))[1]
        if how == "ctrl-c":
            os.killpg(serve.pid, signal.SIGINT)
        elif how == "sigterm":
            serve.terminate()
        else:  # nothing of imageshare runs: Voilà is told by the kernel (PR_SET_PDEATHSIG)
            serve.kill()
        assert serve.wait(timeout=30) == (-signal.SIGKILL if how == "kill-9" else 0)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    if how == "kill-9":
        assert Path(scratch).exists() and remove_orphans() == [scratch]  # what the next run does first
    else:
        assert log.read_text().endswith("imageshare: stopped\n")
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in started if _alive(p)] == []
    assert not Path(scratch).exists()
    while time.monotonic() < deadline + 10:  # the listening socket goes with its process, once the kernel reaps it
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            break
        time.sleep(0.2)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
