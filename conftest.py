"""Test-wide setup: Jupyter's and IPython's directories in a temp dir for the whole run, so the kernels that nbval,
nbclient and JupyterLab tests start ignore this machine's profiles, startup files and JupyterLab settings (outputs stay
the same on every machine) and write nothing into $HOME."""

from __future__ import annotations

import os
import shutil
import tempfile

JUPYTER_DIRS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")


def pytest_configure(config) -> None:
    scratch = tempfile.mkdtemp(prefix="imageshare-jupyter-")
    for name in JUPYTER_DIRS:
        os.environ[name] = os.path.join(scratch, name.lower())
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    config.add_cleanup(lambda: shutil.rmtree(scratch, ignore_errors=True))
