"""``imageshare lab``: JupyterLab rooted at the notebooks, started with this interpreter so kernels import sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from sandbox.entrypoint import main
from sandbox.entrypoint.lab import NOTEBOOKS
from sandbox.material import notebooks_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course(tmp_path, monkeypatch):
    """The learner's course folder, in a temp dir, named by $IMAGESHARE_COURSE; not running as root."""
    copy = tmp_path / "imageshare-course"
    monkeypatch.setenv("IMAGESHARE_COURSE", str(copy))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    return copy


def test_lab_opens_a_working_copy_of_the_shipped_notebooks_with_this_interpreter(course, capsys) -> None:
    assert main(["lab", "--dry-run", "--no-browser"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{sys.executable} -m jupyterlab --ServerApp.root_dir={course} --no-browser\n"
    assert f"imageshare: a fresh copy of the course, for you to work in: {course}" in err
    assert NOTEBOOKS == ROOT / "notebooks" == notebooks_dir()
    shipped = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert sorted(p.name for p in course.glob("*.ipynb")) == shipped
    for name in shipped:
        copy, original = json.loads((course / name).read_text()), json.loads((NOTEBOOKS / name).read_text())
        code = [c for c in copy["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), name
        assert [c["source"] for c in copy["cells"]] == [c["source"] for c in original["cells"]]


def test_the_learner_s_copy_is_kept_and_a_missing_notebook_added(course, capsys) -> None:
    main(["lab", "--dry-run"])
    (course / "01-login.ipynb").write_text("my work")
    (course / "02-tag.ipynb").unlink()
    capsys.readouterr()
    assert main(["lab", "--dry-run"]) == 0
    assert "added to your copy the notebooks it lacked: 02-tag.ipynb" in capsys.readouterr().err
    assert (course / "01-login.ipynb").read_text() == "my work"


def test_fresh_starts_over_and_keeps_the_old_copy_as_a_backup(course, capsys) -> None:
    main(["lab", "--dry-run"])
    (course / "submissions").mkdir()
    (course / "submissions" / "pull-ada.yaml").write_text("answers")
    (course / "00-welcome.ipynb").write_text("my work")
    assert main(["lab", "--dry-run", "--fresh"]) == 0
    err = capsys.readouterr().err
    backups = list(course.parent.glob("imageshare-course.backup-*"))
    assert len(backups) == 1 and f"your previous copy (with its saved answers, in submissions/) is now {backups[0]}" \
        in err
    assert (backups[0] / "00-welcome.ipynb").read_text() == "my work"
    assert (backups[0] / "submissions" / "pull-ada.yaml").read_text() == "answers"
    assert json.loads((course / "00-welcome.ipynb").read_text())["cells"] and not (course / "submissions").exists()
    main(["lab", "--dry-run", "--fresh"])
    assert len(list(course.parent.glob("imageshare-course.backup-*"))) == 2  # a second backup, never overwritten


def test_dir_names_another_copy(course, tmp_path, capsys) -> None:
    assert main(["lab", "--dry-run", "--dir", str(tmp_path / "elsewhere")]) == 0
    assert f"--ServerApp.root_dir={tmp_path / 'elsewhere'}" in capsys.readouterr().out
    assert (tmp_path / "elsewhere" / "00-welcome.ipynb").exists() and not course.exists()


def test_a_copy_that_cannot_be_made_is_one_line_and_exit_2(course, tmp_path, capsys) -> None:
    (tmp_path / "file").write_text("")
    assert main(["lab", "--dry-run", "--dir", str(tmp_path / "file" / "course")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"imageshare lab: cannot make your copy of the course in {tmp_path / 'file' / 'course'}:")
    assert err.count("\n") == 1


def test_as_root_lab_passes_allow_root_and_says_so_once(course, monkeypatch, capsys) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert main(["lab", "--dry-run", "--no-browser"]) == 0
    out, err = capsys.readouterr()
    assert out.endswith(" --no-browser --allow-root\n") and err.count("--allow-root") == 1
    assert main(["lab", "--dry-run", "--allow-root"]) == 0
    out, err = capsys.readouterr()
    assert out.count("--allow-root") == 1 and "--allow-root" not in err


def test_lab_takes_another_notebooks_folder_and_refuses_a_missing_one(tmp_path, capsys) -> None:
    assert main(["lab", "--dry-run", "--notebooks", str(tmp_path)]) == 0
    assert f"--ServerApp.root_dir={tmp_path}" in capsys.readouterr().out
    assert main(["lab", "--notebooks", str(tmp_path / "nope")]) == 2
    assert "no notebooks folder" in capsys.readouterr().err


def test_usage_lists_lab(capsys) -> None:
    main(["--help"])
    assert "  lab " in capsys.readouterr().out


def test_lab_serves_the_notebooks(tmp_path, free_port, contents_when_up) -> None:
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp_path / name.lower())
    copy = tmp_path / "notebooks"
    copy.mkdir()
    (copy / "00-welcome.ipynb").write_bytes((ROOT / "notebooks" / "00-welcome.ipynb").read_bytes())
    port = free_port
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "imageshare"), "lab", "--notebooks", str(copy), "--no-browser",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=t0ken", "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        listing = contents_when_up(server, port, 60)
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
