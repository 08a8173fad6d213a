"""``imageshare lab``: JupyterLab on the learner's own working copy of the course, its kernels running this
interpreter, where ``sandbox`` is importable, so a notebook's only setup cell is ``%load_ext sandbox``.

The shipped notebooks (in a checkout or an installed wheel, see `sandbox.material`) are never edited: the first run
copies them, outputs cleared so nothing looks already run, into the learner's course folder (``~/imageshare-course``,
or ``$IMAGESHARE_COURSE``, or ``--dir``); later runs open that copy as the learner left it, adding any notebook a newer
imageshare ships. ``--fresh`` starts over from a clean copy after moving the old one aside as a backup: learner work
is never deleted. As root (containers, hub images, cloud notebooks) JupyterLab refuses to start without
``--allow-root``; ``imageshare lab`` passes it and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

from sandbox.material import notebooks_dir

#: The tutorial notebooks as shipped (the checkout's or the installed package's).
NOTEBOOKS = notebooks_dir()
#: The learner's working copy, unless ``$IMAGESHARE_COURSE`` or ``--dir`` says otherwise: a visible folder in their
#: home, where a file browser and JupyterLab's own find it.
DEFAULT_COPY = "~/imageshare-course"
HINT = ("imageshare: JupyterLab on {root}\n"
        "imageshare: open 00-welcome.ipynb to start; in a new notebook, run %load_ext sandbox first.\n")
ROOT_NOTE = ("imageshare: running as root (as in a container), so JupyterLab gets --allow-root; "
             "on a shared machine, run imageshare lab as an ordinary user.\n")


def command(root: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command line: this interpreter (so kernels import ``sandbox``), rooted at ``root``."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", *extra]


def working_copy(option: str | None = None) -> Path:
    """Where the learner's copy of the course lives: ``option``, else ``$IMAGESHARE_COURSE``, else
    `DEFAULT_COPY`."""
    chosen = option or os.environ.get("IMAGESHARE_COURSE") or DEFAULT_COPY
    return Path(chosen).expanduser().resolve()


def cleared(notebook: bytes) -> str:
    """A notebook's JSON with every output and execution count removed, so it does not look already run."""
    document = json.loads(notebook)
    for cell in document.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def prepare(copy: Path, source: Path, fresh: bool = False, now: float | None = None) -> list[str]:
    """Make ``copy`` the learner's working copy of the notebooks in ``source``; returns what it did, one line each.

    A notebook already in ``copy`` is the learner's and stays as it is; one missing is copied, outputs cleared.
    With ``fresh``, an existing ``copy`` is first renamed to ``COPY.backup-YYYYMMDD-HHMMSS`` (moved aside whole,
    saved answers included), never deleted. Raises OSError when the folder cannot be written.
    """
    said = []
    if fresh and copy.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
        backup = copy.with_name(f"{copy.name}.backup-{stamp}")
        number = 1
        while backup.exists():
            number += 1
            backup = copy.with_name(f"{copy.name}.backup-{stamp}-{number}")
        copy.rename(backup)
        said.append(f"your previous copy (with its saved answers, in submissions/) is now {backup}")
    new = not copy.exists()
    copy.mkdir(parents=True, exist_ok=True)
    added = []
    for notebook in sorted(source.glob("*.ipynb")):
        target = copy / notebook.name
        if not target.exists():
            target.write_text(cleared(notebook.read_bytes()), encoding="utf-8")
            added.append(notebook.name)
    if new:
        said.append(f"a fresh copy of the course, for you to work in: {copy}")
    elif added:
        said.append(f"added to your copy the notebooks it lacked: {', '.join(added)}")
    return said


def main(argv: list[str]) -> int:
    """Start JupyterLab (replacing this process); 2 when the notebooks cannot be found or copied. Options it does
    not know (``--port 8890``, ``--no-browser``...) go to JupyterLab."""
    parser = argparse.ArgumentParser(
        prog="imageshare lab",
        description="JupyterLab on your own working copy of the imageshare course, with kernels that can "
                    "%%load_ext sandbox.",
        epilog=f"Your copy is {DEFAULT_COPY} unless $IMAGESHARE_COURSE or --dir names another folder. Other options "
               "are passed to JupyterLab, e.g. --no-browser --port 8890.")
    parser.add_argument("--dir", default=None, metavar="DIR",
                        help=f"your working copy of the course (default: $IMAGESHARE_COURSE or {DEFAULT_COPY})")
    parser.add_argument("--fresh", action="store_true",
                        help="start over from a clean copy; the old one is kept as DIR.backup-DATE-TIME")
    parser.add_argument("--notebooks", default=None, metavar="DIR",
                        help="open this folder as it is, without a working copy (for instructors)")
    parser.add_argument("--dry-run", action="store_true", help="print the JupyterLab command instead of running it")
    options, extra = parser.parse_known_args(argv)
    if options.notebooks:
        root = Path(options.notebooks).resolve()
        if not root.is_dir():
            sys.stderr.write(f"imageshare lab: no notebooks folder at {root}; pass --notebooks DIR\n")
            return 2
    else:
        root = working_copy(options.dir)
        try:
            for line in prepare(root, NOTEBOOKS, fresh=options.fresh):
                sys.stderr.write(f"imageshare: {line}\n")
        except OSError as e:
            sys.stderr.write(f"imageshare lab: cannot make your copy of the course in {root}: "
                             f"{e.strerror or e}; pass --dir DIR to put it elsewhere\n")
            return 2
    if os.geteuid() == 0 and "--allow-root" not in extra:
        extra = [*extra, "--allow-root"]
        sys.stderr.write(ROOT_NOTE)
    argv_lab = command(root, extra)
    if options.dry_run:
        sys.stderr.flush()
        sys.stdout.write(shlex.join(argv_lab) + "\n")
        return 0
    sys.stderr.write(HINT.format(root=root))
    sys.stderr.flush()
    os.execv(sys.executable, argv_lab)
    return 0  # pragma: no cover - execv does not return
