"""What the browser tests share: finding Chromium and the packages (skip, or fail under ``CI=true``), starting and
stopping servers by PID with timeouts, and driving JupyterLab's and the quiz widget's pages."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep a headless Chromium quiet and working as root in a container (TOOLCHAIN.md).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
IN_CI = os.environ.get("CI", "").lower() == "true"
#: Seconds a server has to answer after it starts, and to stop after SIGTERM.
START_SECONDS, STOP_SECONDS = 90, 30
#: Milliseconds of Playwright's waits: one action or check, and a notebook's Run All.
STEP_MS, RUN_ALL_MS = 30_000, 120_000


def missing(*modules: str) -> str | None:
    """Why the browser tests cannot run here (Chromium or a package absent), or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    for module in ("playwright", *modules):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed (pip install -e '.[test]')"
    return None


def require(*modules: str) -> None:
    """Skip (fail under ``CI=true``, where these tests must run) when Chromium or a package is missing."""
    reason = missing(*modules)
    if reason and IN_CI:
        pytest.fail(f"CI=true, so the browser tests must run, but {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the process we started (by its PID), then SIGKILL it if it has not ended after `STOP_SECONDS`."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


def wait_for(check, what: str, process: subprocess.Popen, log: Path, seconds: float = START_SECONDS):
    """Call ``check`` until it returns something true; fail with the server's log when the server dies or
    ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if process.poll() is not None:
            pytest.fail(f"{what}: the server exited with {process.returncode}\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: nothing after {seconds} s\n{log.read_text()[-3000:]}")
        time.sleep(0.25)


@dataclass
class Lab:
    """A running JupyterLab: its address with the token, and the folder of notebooks it serves (a copy)."""

    url: str
    token: str
    root: Path

    def open(self, page, notebook: str) -> None:
        """Open ``notebook`` in a fresh layout and wait until its kernel is idle."""
        page.goto(f"{self.url}/lab/tree/{notebook}?reset&token={self.token}", timeout=STEP_MS * 2)
        page.get_by_text(LAB_IDLE).wait_for(timeout=STEP_MS * 2)


def start_lab(root: Path, log: Path, env: dict | None = None) -> tuple[Lab, subprocess.Popen]:
    """Start ``imageshare lab`` on a copy of ``notebooks/`` made in ``root`` (autosave rewrites what is opened), on
    127.0.0.1, a free port and a token made now, without the "Jupyter news" toast (a setting written into the
    ``JUPYTERLAB_SETTINGS_DIR`` of ``env``, this process's environment by default); wait until it answers."""
    env = dict(os.environ if env is None else env)
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns("submissions", ".ipynb_checkpoints"))
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    token, port = secrets.token_hex(16), free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "imageshare"), "lab", "--notebooks", str(root), "--no-browser",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", "--allow-root"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        wait_for(answers, "JupyterLab's /api/status", server, log)
    except BaseException:
        stop(server)
        raise
    return Lab(url, token, root), server


@dataclass
class Served:
    """A running ``imageshare quiz serve``: the page's address, the folder it was started in, and the process."""

    url: str
    cwd: Path
    process: subprocess.Popen
    log: Path


def serve(quiz: Path, cwd: Path, log: Path, **popen) -> Served:
    """Start ``imageshare quiz serve QUIZ`` in ``cwd`` on a free port and wait for the address it prints."""
    with log.open("w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "imageshare"), "quiz", "serve", str(quiz),
                                    f"--port={free_port()}"], cwd=cwd, stdout=out, stderr=subprocess.STDOUT, **popen)

    def address() -> str | None:
        for line in log.read_text().splitlines():
            if " is at http://" in line:
                return line.rsplit(" is at ", 1)[1].strip()
        return None

    try:
        return Served(wait_for(address, "the quiz page's address", process, log), cwd, process, log)
    except BaseException:
        stop(process)
        raise


#: The status bar once the CPython kernel of the open notebook in JupyterLab is ready.
LAB_IDLE = "Python 3 (ipykernel) | Idle"
#: Every code cell's prompt holds an execution count: Run All went to the end (it stops at a cell that fails).
ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""
#: Controls under ``root`` without an accessible label: no aria-label(ledby), no <label> with text, no button text.
UNLABELLED = """root => [...root.querySelectorAll('input, textarea, select, button')].filter(e => {
    const named = (e.getAttribute('aria-label') || '').trim() || e.getAttribute('aria-labelledby')
        || [...(e.labels || [])].some(l => l.textContent.trim())
        || (e.tagName === 'BUTTON' && e.textContent.trim());
    return !named;
}).map(e => e.outerHTML.slice(0, 160))"""


def menu(page, top: str, item: str) -> None:
    """Choose ``item`` in JupyterLab's menu ``top``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()


def run_all(page, idle: str = LAB_IDLE, timeout: int = RUN_ALL_MS) -> None:
    """Clear every stored output (so what shows next is this run's), Run All, and wait until every cell ran and the
    status bar shows ``idle`` again (JupyterLab's kernel by default): one measure of Run All for both front ends."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    assert page.locator(".jp-Notebook .jp-OutputArea-output").count() == 0
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(ALL_RAN, timeout=timeout, polling=100)
    page.get_by_text(idle).wait_for(timeout=timeout)


def no_errors(page) -> None:
    """Fail when an output shows a Python traceback or a magic's usage error."""
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output").all_text_contents()
    assert outputs, "no output at all"
    assert [o for o in outputs if "Traceback" in o or "UsageError" in o] == []


#: Resolves once the page's fonts have loaded and it has painted twice since: what a screenshot then shows is drawn.
PAINTED = """() => document.fonts.ready.then(() => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(done))))"""


def shoot(page, locator, path: Path) -> None:
    """Scroll ``locator`` into view (Playwright waits until it stands still), let the page paint it, and save a
    screenshot of the window at ``path``."""
    locator.scroll_into_view_if_needed()
    page.evaluate(PAINTED)
    page.screenshot(path=str(path))


# -- the JupyterLite site (imageshare lite) -------------------------------------------------------------------------
#: The status bar once the Pyodide kernel of the open notebook is ready.
LITE_IDLE = "Python (Pyodide) | Idle"
#: Milliseconds a Pyodide kernel has to start (it loads every wheel of the site) and a notebook's Run All to end.
LITE_START_MS, LITE_RUN_ALL_MS = 180_000, 300_000
#: The open notebook as nbformat JSON, from JupyterLite's app (the site sets ``exposeAppInBrowser``).
NOTEBOOK_JSON = "() => window.jupyterapp.shell.currentWidget.content.model.toJSON()"


def serve_lite(site: Path, log: Path) -> tuple[str, subprocess.Popen]:
    """Start ``imageshare lite serve SITE`` on a free port; the site's address (ending in ``/``) and the process."""
    with log.open("w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "imageshare"), "lite", "serve", str(site),
                                    f"--port={free_port()}"], stdout=out, stderr=subprocess.STDOUT)

    def address() -> str | None:
        for line in log.read_text().splitlines():
            if " is at http://" in line:
                return line.split(" is at ", 1)[1].split()[0].removesuffix("lab/index.html")
        return None

    try:
        return wait_for(address, "the lite site's address", process, log), process
    except BaseException:
        stop(process)
        raise


def confine(context, origin: str) -> list[str]:
    """Abort every request of ``context`` that leaves ``origin``; the list the aborted URLs are appended to."""
    foreign: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(origin):
            request_route.continue_()
        else:
            foreign.append(url)
            request_route.abort()

    context.route("**/*", route)
    return foreign


def open_lite(page, site_url: str, notebook: str) -> None:
    """Open ``notebook`` in the lite site and wait until its Pyodide kernel is idle."""
    page.goto(f"{site_url}lab/index.html?path={notebook}", timeout=STEP_MS * 2)
    page.get_by_text(LITE_IDLE).wait_for(timeout=LITE_START_MS)


def run_all_lite(page) -> None:
    """Clear every stored output, Run All, and wait until every cell ran and the Pyodide kernel is idle again."""
    run_all(page, LITE_IDLE, LITE_RUN_ALL_MS)


def streams(cell: dict) -> list[tuple[str, str]]:
    """A code cell's stream outputs as (name, text), consecutive chunks of one stream joined, as nbval compares them
    (a front end merges chunks that a file on disk may hold apart)."""
    merged: list[tuple[str, str]] = []
    for output in cell.get("outputs", []):
        if output["output_type"] != "stream":
            continue
        text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
        if merged and merged[-1][0] == output["name"]:
            merged[-1] = (output["name"], merged[-1][1] + text)
        else:
            merged.append((output["name"], text))
    return merged


#: From a question's Submit button to the box holding the whole question (the button sits in a row of buttons).
QUESTION_BOX = "xpath=ancestor::*[contains(concat(' ', @class, ' '), ' imageshare-question ')][1]"


def choice(container, text: str):
    """The radio button of the choice ``text`` and the letter it has: each learner sees the choices in an order of
    their own, so a test finds a choice by what it says."""
    radio = container.get_by_role("radio", name=re.compile(rf"\b[a-z]\) {re.escape(text)}"))
    radio.wait_for()
    return radio, radio.locator("xpath=..").text_content().strip()[0]


def seen_choices(learner: str, question: str = "rm-stop", quiz: str = "course-questions") -> list[str]:
    """The choices of ``question`` as ``learner`` sees them, in their order (``a) docker rm mycontainer``...), drawn
    by the same code as the page's kernel."""
    from sandbox.jupyter.quiz import QuizWidget

    widget = QuizWidget(quiz, learner=learner, only=[question], attempts=2, saving=False)
    return [label for label, _ in widget.questions[0].control.options]


def wait_for_choices(box, learner: str, question: str = "rm-stop", quiz: str = "course-questions") -> None:
    """Wait until the question ``box`` shows ``learner``'s order of its choices: the kernel has the ID typed, and has
    redrawn the choices for it (in one update, with none ticked) if that order differs, so a choice ticked from now
    on is the one graded. Before that, a tick could land on a choice about to be relettered."""
    from playwright.sync_api import expect

    expect(box.locator(".widget-radio-box label")).to_have_text(seen_choices(learner, question, quiz),
                                                                 timeout=STEP_MS)
