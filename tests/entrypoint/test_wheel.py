"""The course installed anywhere: the built wheel, installed into a fresh venv outside the checkout, carries the
notebooks and quizzes; ``imageshare lab`` there opens the learner's working copy (as root, passing --allow-root; and
as an ordinary user), and a quiz of that copy runs in a kernel of the installed package.

About 40 seconds (one wheel build, one venv, two JupyterLab starts, one kernel). The venv sees this environment's
dependencies through a ``.pth`` line (no download), but not its editable install of imageshare, whose finder hook is
only run from a site directory's own ``.pth``: ``sandbox`` comes from the wheel alone, which the test checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What the build needs of the checkout (the rest, .git and caches, would only slow the copy down).
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "sandbox", "notebooks", "quizzes")
QUIZ_CELL = """\
from sandbox.jupyter import QuizWidget
import sandbox
quiz = QuizWidget("course-questions")
quiz.submit({"rm-stop": "a", "tag-idea": "b"})  # the key, as "anonymous" and ada see the choices
quiz.learner_field.value = "ada"
print(quiz.save(), quiz.score, sandbox.__file__)
"""


@pytest.fixture(scope="module")
def installed():
    """A fresh venv, world-readable (an ordinary user runs it too), with the built wheel installed."""
    base = Path(tempfile.mkdtemp(prefix="imageshare-wheel-"))
    base.chmod(0o755)
    try:
        source = base / "source"
        source.mkdir()
        for name in SOURCES:
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(
                ROOT / name, source / name, *(() if not (ROOT / name).is_dir() else ()),
                **({"ignore": shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "submissions")}
                   if (ROOT / name).is_dir() else {}))
        wheels = base / "wheels"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                        "-q", "-w", str(wheels), str(source)], check=True, capture_output=True)
        wheel = next(wheels.glob("imageshare-*.whl"))
        venv = base / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        python = venv / "bin" / "python"
        purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        Path(purelib, "_imageshare_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
        subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                        "--ignore-installed", "-q", str(wheel)], check=True, capture_output=True)
        for path in base.rglob("*"):
            mode = path.lstat().st_mode
            if not path.is_symlink():
                path.chmod(mode | 0o044 | (0o011 if path.is_dir() or mode & 0o100 else 0))
        yield {"base": base, "venv": venv, "python": python, "wheel": wheel, "purelib": Path(purelib)}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_wheel_carries_the_course(installed) -> None:
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    for folder, suffix in (("notebooks", ".ipynb"), ("quizzes", ".yaml")):
        shipped = sorted(p.name for p in (ROOT / folder).glob(f"*{suffix}"))
        assert sorted(Path(n).name for n in names if n.startswith(f"sandbox/_material/{folder}/")
                      and n.endswith(suffix)) == shipped


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IMAGESHARE_COURSE", "VIRTUAL_ENV")}
    env["HOME"] = str(home)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(home / name.lower())
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def _lab(installed, home: Path, user: str | None, port: int, contents_when_up) -> tuple[list[str], str]:
    """Start the installed ``imageshare lab`` (as ``user`` when given), list its root, stop it; the names and
    what it printed."""
    argv = [str(installed["venv"] / "bin" / "imageshare"), "lab", "--no-browser", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=t0ken"]
    if user:
        argv = ["runuser", "-u", user, "--", "env", f"HOME={home}", *argv]
    server = subprocess.Popen(argv, cwd=home, env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        listing = contents_when_up(server, port, 90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        err = server.stderr.read().decode()
        server.stderr.close()
    return sorted(item["name"] for item in listing["content"]), err


@pytest.mark.skipif(os.geteuid() != 0, reason="runs imageshare lab as root (the --allow-root case)")
def test_installed_lab_opens_the_learner_s_copy_as_root_and_a_quiz_runs_there(installed, free_port,
                                                                               contents_when_up) -> None:
    shipped = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    root_home = installed["base"] / "root-home"
    root_home.mkdir()
    names, err = _lab(installed, root_home, None, free_port, contents_when_up)
    course = root_home / "imageshare-course"
    assert names == shipped
    assert "imageshare: running as root (as in a container), so JupyterLab gets --allow-root" in err
    assert f"imageshare: a fresh copy of the course, for you to work in: {course}" in err
    first = json.loads((course / "03-push.ipynb").read_text())
    assert all(not c.get("outputs") for c in first["cells"] if c["cell_type"] == "code")

    # a quiz in a kernel of the installed package, from the learner's copy: saved next to the notebooks
    script = (f"import nbformat\nfrom nbclient import NotebookClient\n"
              f"nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('%load_ext sandbox'), "
              f"nbformat.v4.new_code_cell({QUIZ_CELL!r})])\n"
              f"NotebookClient(nb, kernel_name='python3', timeout=120, "
              f"resources={{'metadata': {{'path': {str(course)!r}}}}}).execute()\n"
              f"print(nb.cells[1].outputs[0]['text'], end='')\n")
    ran = subprocess.run([str(installed["python"]), "-c", script], cwd=root_home, env=_env(root_home),
                         capture_output=True, text=True, timeout=180)
    assert ran.returncode == 0, ran.stderr
    saved, score, module = ran.stdout.split()
    assert saved == "submissions/course-questions-ada.yaml" and float(score) == 1  # next to the notebook
    assert Path(module).is_relative_to(installed["purelib"])  # the wheel's sandbox, not the checkout's
    assert "rm-stop: a" in (course / saved).read_text()



def _nobody_can_run(python: Path) -> bool:
    """Whether user nobody can start ``python`` (not when the interpreter lives under root's 0700 home)."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return False
    return subprocess.run(["runuser", "-u", "nobody", "--", str(python), "-c", "pass"], capture_output=True).returncode == 0


def test_installed_lab_runs_as_an_ordinary_user_without_allow_root(installed, free_port, contents_when_up) -> None:
    if not _nobody_can_run(installed["python"]):
        pytest.skip(f"user nobody cannot run {os.path.realpath(installed['python'])} here (needs root and an "
                    "interpreter outside a private home, as on CI)")
    user_home = installed["base"] / "nobody-home"
    user_home.mkdir()
    shutil.chown(user_home, "nobody")
    names, err = _lab(installed, user_home, "nobody", free_port, contents_when_up)
    assert names == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")) and "--allow-root" not in err
    assert (user_home / "imageshare-course" / "00-welcome.ipynb").owner() == "nobody"
