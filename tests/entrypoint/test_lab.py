"""``imageshare lab``: JupyterLab rooted at the notebooks, started with this interpreter so kernels import sandbox."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sandbox.entrypoint import main
from sandbox.entrypoint.lab import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[2]


def test_lab_opens_the_repositorys_notebooks_with_this_interpreter(capsys) -> None:
    assert main(["lab", "--dry-run", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert out == f"{sys.executable} -m jupyterlab --ServerApp.root_dir={ROOT / 'notebooks'} --no-browser\n"
    assert NOTEBOOKS == ROOT / "notebooks"


def test_lab_takes_another_notebooks_folder_and_refuses_a_missing_one(tmp_path, capsys) -> None:
    assert main(["lab", "--dry-run", "--notebooks", str(tmp_path)]) == 0
    assert f"--ServerApp.root_dir={tmp_path}" in capsys.readouterr().out
    assert main(["lab", "--notebooks", str(tmp_path / "nope")]) == 2
    assert "no notebooks folder" in capsys.readouterr().err


def test_usage_lists_lab(capsys) -> None:
    main(["--help"])
    assert "  lab " in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_serves_the_notebooks(tmp_path) -> None:
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp_path / name.lower())
    copy = tmp_path / "notebooks"
    copy.mkdir()
    (copy / "00-welcome.ipynb").write_bytes((ROOT / "notebooks" / "00-welcome.ipynb").read_bytes())
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "imageshare"), "lab", "--notebooks", str(copy), "--no-browser",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=t0ken", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=t0ken", timeout=2) as r:
                    listing = json.load(r)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "JupyterLab did not answer"
                time.sleep(0.3)
        assert [item["name"] for item in listing["content"]] == ["00-welcome.ipynb"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=t0ken", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
