"""Fixtures for the Jupyter front end: an IPython shell with the extension loaded on a fresh world per test, and
Jupyter's own directories in a temp dir (Jupyter writes into $HOME otherwise)."""

from __future__ import annotations

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

from sandbox.jupyter.magics import SandboxMagics
from sandbox.jupyter.session import Session


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch):
    """Each test is a kernel of its own: no learner ID remembered from another test, no JupyterHub user, no course
    service to hand in to."""
    monkeypatch.setattr("sandbox.jupyter.session._KERNEL", None)
    for name in ("JUPYTERHUB_USER", "JUPYTERHUB_API_TOKEN", "IMAGESHARE_COURSE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def jupyter_dirs(tmp_path, monkeypatch):
    """JUPYTER_* and IPYTHONDIR in a temp dir, for tests that start kernels or servers."""
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    return tmp_path


class Shell:
    """An IPython shell whose ``%docker`` magics run on ``session``; ``run`` returns what a cell printed."""

    def __init__(self, ip, magics: SandboxMagics) -> None:
        self.ip, self.magics, self.session = ip, magics, magics.session

    def run(self, source: str):
        """Run one cell; returns (result, captured) with captured.stdout, .stderr and .outputs (displays)."""
        with capture_output() as captured:
            result = self.ip.run_cell(source)
        return result, captured


@pytest.fixture
def shell():
    """The test IPython shell with ``%load_ext sandbox`` done and a fresh world; prompts have no answers."""
    ip = start_ipython() or get_ipython()
    if "sandbox" not in ip.extension_manager.loaded:
        ip.run_line_magic("load_ext", "sandbox")
    ip.display_formatter.active_types = list(ip.display_formatter.format_types)
    magics = SandboxMagics(ip, Session())
    magics.ask = lambda prompt, secret: None
    magics.sleep = lambda seconds: None
    ip.register_magics(magics)
    return Shell(ip, magics)
