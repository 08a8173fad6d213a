"""A real browser on the real servers: Debian's Chromium driven by Playwright, JupyterLab (``imageshare lab``) on a
copy of the notebooks, and ``imageshare quiz serve`` (Voilà). Each server listens on 127.0.0.1, on a free port, with
a token made for this run, and is stopped by its PID in its fixture's finalizer; every wait has a timeout.

Jupyter's own directories are the temp dirs the root conftest set for the whole run. With ``CI=true`` a missing
browser or package fails these tests instead of skipping them. Screenshots and server logs go to
``test-artifacts/e2e/``, for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .harness import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, STEP_MS, Lab, require, serve, start_lab, stop


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/e2e/``, without the screenshots of earlier runs. Servers log into this run's temp dir and
    their logs are copied here when they stop, so a run beside this one in the same checkout does not cut them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink(missing_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from Debian (never a browser Playwright downloads), closed after each module: while
    Playwright's sync API is open, its event loop counts as running in this thread, which would trip the asyncio
    code of later tests (nbclient, nbval)."""
    require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                              timeout=STEP_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, artifacts, request):
    """A fresh browser context and page; its screenshot is kept as ``FAILED-test.png`` when the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        tab.screenshot(path=str(artifacts / f"FAILED-{request.node.name}.png"))
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


@pytest.fixture(scope="module")
def lab(tmp_path_factory, artifacts) -> Lab:
    """JupyterLab through ``imageshare lab`` on a temp copy of ``notebooks/`` (autosave rewrites what is opened),
    without the "Jupyter news" toast."""
    require()
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    log = root.parent / "jupyterlab.log"
    lab, server = start_lab(root, log)
    try:
        yield lab
    finally:
        stop(server)
        shutil.copy(log, artifacts)


@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory, artifacts):
    """``imageshare quiz serve quizzes/course-questions.yaml``, started in a temp folder (where its submissions go)."""
    require("voila")
    log = tmp_path_factory.mktemp("serve") / "quiz-serve.log"
    served = serve(ROOT / "quizzes" / "course-questions.yaml", tmp_path_factory.mktemp("learner"), log)
    try:
        yield served
    finally:
        stop(served.process)
        shutil.copy(log, artifacts)
