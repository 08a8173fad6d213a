"""``imageshare quiz serve FILE``: one quiz as a plain web page (Voilà), for learners who have never seen Jupyter.

It writes a notebook (how to answer, then the quiz widget) into a temporary folder, runs Voilà on it at 127.0.0.1
with a random token, prints the page's address once Voilà listens, and stops Voilà (and with it the kernels) on
Ctrl-C or SIGTERM. The token is in a configuration file only its owner can read (a command line is readable by
every local user with ``ps``). Voilà gets SIGTERM when this process dies, even by ``kill -9`` (Linux's
``PR_SET_PDEATHSIG``), and a later run removes the temporary folders of runs that are gone. The page's Content
Security Policy lets it load nothing from outside 127.0.0.1, so it works offline. Voilà's lab template links Font
Awesome's stylesheets from a CDN, which that policy would block (an error in the learner's console), though Voilà's
own bundle already carries Font Awesome 5 with its fonts served by Voilà: the page uses a template of ours (`TEMPLATE`)
that is the lab template without those links. "Save answers" writes ``submissions/QUIZ-ID.yaml`` under the folder
the command was started in, as the quiz notebooks do next to themselves.

The cell calls ``QuizWidget`` with the two paths as Python literals: ``%quiz`` splits its arguments on spaces and keeps
quotes, so a folder with a space in its name could not be named there.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from sandbox.quiz import Quiz, QuizFileError, load_file

#: Voilà's own default port; when it is taken, Voilà tries the next ones and the address printed says which.
PORT = 8866
#: The line of Voilà's log after which it serves pages; the next line is the address.
READY = "Voilà is running at"
#: Levels of Voilà's log worth showing once it serves (the rest is one line per kernel started and stopped).
LOUD = (" ERROR | ", " CRITICAL | ")
#: A lab extension of the notebook package Voilà would load and fail on (it expects a notebook shell).
DENYLIST = "@jupyter-notebook/lab-extension"
#: How long Voilà has to shut its kernels down after SIGTERM before it is killed.
STOP_SECONDS = 20
#: Nothing from outside this server: no CDN stylesheet, font or script (the page must work offline).
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; "
       "frame-ancestors 'self'")
#: The temporary folder of a run: the pid of the ``imageshare quiz serve`` that made it, so a later run knows
#: whether its owner is gone.
SCRATCH = re.compile(r"imageshare-serve-(\d+)-\w+")
#: The Voilà template the page uses, written into the run's folder (found through ``JUPYTER_PATH``): Voilà's lab
#: template minus the lines of its page head that reach outside this server (its Font Awesome stylesheets on
#: jsdelivr; the icons come from Voilà's bundle, served here).
TEMPLATE = "imageshare"
_TEMPLATE_FILES = {
    "conf.json": json.dumps({"base_template": "lab"}),
    "index.html.j2": ("{%- extends 'voila/templates/lab/index.html.j2' -%}\n"
                      "{%- block notebook_css -%}\n"
                      "{%- for line in super().splitlines() if 'https://' not in line %}\n{{ line }}{% endfor %}\n"
                      "{%- endblock notebook_css -%}\n"),
}
PR_SET_PDEATHSIG = 1


class _Stop(Exception):
    """SIGTERM, turned into an exception so the same cleanup runs as for Ctrl-C."""


def notebook(quiz: Quiz, path: Path, submissions: Path) -> dict:
    """The notebook Voilà shows (nbformat 4, as JSON): how to answer, then the quiz widget on the file at ``path``,
    saving into ``submissions``."""
    how = ("1. Type your ID (the one your instructor gave you) in **Your ID** at the end of the page *before* you "
           "answer: some questions come in several versions, and your ID picks yours. Changing it starts over.\n"
           "2. Answer a question and press **Submit**: the feedback says whether you were right, why, and what the "
           "sandbox did. You may submit again.\n"
           f"3. Press **Save answers**: the file `{quiz.id}-YOURID.yaml` appears in `{submissions}`. Hand it in.")
    source = ("from sandbox.jupyter import QuizWidget\n\n"
              f"QuizWidget({str(path)!r}, directory={str(submissions)!r})")
    return {
        "cells": [{"cell_type": "markdown", "id": "how", "metadata": {}, "source": how},
                  {"cell_type": "code", "execution_count": None, "id": "quiz", "metadata": {}, "outputs": [],
                   "source": source}],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def command(path: Path, port: int, runtime: Path) -> list[str]:
    """The Voilà command line for the notebook at ``path``: this interpreter (its kernels import ``sandbox``),
    127.0.0.1 only, connection files and the configuration (`write_config`: the token) under ``runtime`` and nowhere
    else (not the folder it was started in)."""
    return [sys.executable, "-m", "voila", str(path), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            f"--Voila.config_file_paths={runtime}", f"--Voila.connection_dir_root={runtime}",
            f"--VoilaConfiguration.extension_denylist={DENYLIST}", f"--template={TEMPLATE}"]


def write_template(runtime: Path) -> dict[str, str]:
    """`TEMPLATE` under ``runtime/voila/templates``; returns the environment that lets Voilà find it (``runtime``
    first on ``JUPYTER_PATH``, where Voilà looks for templates)."""
    folder = runtime / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True)
    for name, text in _TEMPLATE_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = [str(runtime)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    return {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths)}


def write_config(runtime: Path, token: str) -> Path:
    """``voila.json`` in ``runtime``, readable by its owner only (0600, created so): the token, and the Content
    Security Policy header."""
    path = runtime / "voila.json"
    config = {"Voila": {"token": token, "tornado_settings": {"headers": {"Content-Security-Policy": CSP}}}}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(config, f)
    return path


def remove_orphans(directory: str | None = None) -> list[str]:
    """Remove the temporary folders of this user's runs that are gone (killed with ``kill -9``); returns them."""
    directory = directory or tempfile.gettempdir()
    removed = []
    for entry in os.scandir(directory):
        match = SCRATCH.fullmatch(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
            continue  # its run is alive
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.path)
    return removed


def _die_with_parent() -> None:
    """In Voilà's process before it runs: SIGTERM when this process dies, however it dies (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: Ctrl-C and SIGTERM still stop it
        pass


def main(argv: list[str]) -> int:
    """Serve the quiz in ``argv``'s FILE until Ctrl-C (then 0); 2 when the quiz does not load or Voilà is not
    installed, Voilà's exit code when it stops by itself."""
    parser = argparse.ArgumentParser(prog="imageshare quiz serve",
                                     description="One quiz as a web page on this machine (127.0.0.1), graded on "
                                     "Submit; Save answers writes submissions/QUIZ-ID.yaml here.")
    parser.add_argument("file", metavar="FILE", help="the quiz file, such as quizzes/course-questions.yaml")
    parser.add_argument("--port", type=int, default=PORT, help=f"the port to try first (default {PORT})")
    parser.add_argument("--dry-run", action="store_true", help="print the notebook and the Voilà command instead")
    options = parser.parse_args(argv)
    quiz_path = Path(options.file).resolve()
    try:
        quiz = load_file(quiz_path)
    except QuizFileError as e:
        sys.stderr.write(f"imageshare quiz serve: {e}\n")
        return 2
    if importlib.util.find_spec("voila") is None and not options.dry_run:
        sys.stderr.write("imageshare quiz serve: Voilà is not installed here; install it with "
                         f"{sys.executable} -m pip install voila\n")
        return 2
    submissions = Path.cwd() / "submissions"
    remove_orphans()
    with tempfile.TemporaryDirectory(prefix=f"imageshare-serve-{os.getpid()}-") as scratch:
        path = Path(scratch) / f"{quiz.id}.ipynb"
        path.write_text(json.dumps(notebook(quiz, quiz_path, submissions), indent=1), encoding="utf-8")
        token = secrets.token_urlsafe(24)
        write_config(Path(scratch), token)
        environment = write_template(Path(scratch))
        argv_voila = command(path, options.port, Path(scratch))
        if options.dry_run:
            sys.stdout.write(path.read_text(encoding="utf-8") + "\n" + " ".join(argv_voila) + "\n")
            return 0
        return _run(argv_voila, environment, token, quiz.title, submissions)


def _run(argv_voila: list[str], environment: dict[str, str], token: str, title: str, submissions: Path) -> int:
    """Run Voilà, print the page's address when it listens, and stop it on Ctrl-C or SIGTERM."""

    def stop(signum, frame):
        raise _Stop()

    previous = signal.signal(signal.SIGTERM, stop)
    voila = subprocess.Popen(argv_voila, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                             env=environment, preexec_fn=_die_with_parent)
    log: list[str] = []
    try:
        ready = loud = False
        for line in voila.stdout:
            if not ready:
                log.append(line)
                if len(log) > 1 and READY in log[-2]:
                    ready = True
                    url = line.strip().replace("token=...", f"token={token}")
                    sys.stdout.write(f"imageshare: the quiz \"{title}\" is at {url}\n"
                                     f"imageshare: Save answers writes into {submissions}\n"
                                     "imageshare: press Ctrl-C to stop\n")
                    sys.stdout.flush()
            else:
                loud = any(level in line for level in LOUD) or (loud and not line.startswith("["))
                if loud:  # an error and the lines of its traceback
                    sys.stderr.write(line)
        code = voila.wait()
        if not ready:
            sys.stderr.write("".join(log))
            sys.stderr.write(f"imageshare quiz serve: Voilà stopped before serving the quiz (exit code {code})\n")
        return code if ready else (code or 1)
    except (KeyboardInterrupt, _Stop):
        _stop(voila)
        sys.stderr.write("imageshare: stopped\n")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if voila.poll() is None:
            _stop(voila)
        voila.stdout.close()


def _stop(voila: subprocess.Popen) -> None:
    """SIGTERM Voilà, which shuts its kernels down; kill it if it takes longer than `STOP_SECONDS`."""
    if voila.poll() is None:
        voila.terminate()
    try:
        voila.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        voila.kill()
        voila.wait()
