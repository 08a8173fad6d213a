"""``imageshare lab``: JupyterLab on the tutorial notebooks, its kernels running this interpreter, where ``sandbox``
is importable, so a notebook's only setup cell is ``%load_ext sandbox``."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

#: The tutorial notebooks of a source checkout (``pip install -e .``), next to the package.
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
HINT = ("imageshare: JupyterLab on {root}\n"
        "imageshare: open 00-welcome.ipynb to start; in a new notebook, run %load_ext sandbox first.\n")


def command(root: Path, extra: list[str]) -> list[str]:
    """The JupyterLab command line: this interpreter (so kernels import ``sandbox``), rooted at ``root``."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", *extra]


def main(argv: list[str]) -> int:
    """Start JupyterLab (replacing this process); 2 when the notebooks cannot be found. Options it does not know
    (``--port 8890``, ``--no-browser``...) go to JupyterLab."""
    parser = argparse.ArgumentParser(prog="imageshare lab", description="JupyterLab on the tutorial notebooks, with "
                                     "kernels that can %%load_ext sandbox.",
                                     epilog="Other options are passed to JupyterLab, e.g. --no-browser --port 8890.")
    parser.add_argument("--notebooks", default=None, metavar="DIR",
                        help=f"the folder to open (default: {NOTEBOOKS} or ./notebooks)")
    parser.add_argument("--dry-run", action="store_true", help="print the JupyterLab command instead of running it")
    options, extra = parser.parse_known_args(argv)
    candidates = [Path(options.notebooks)] if options.notebooks else [NOTEBOOKS, Path.cwd() / "notebooks"]
    root = next((p.resolve() for p in candidates if p.is_dir()), None)
    if root is None:
        sys.stderr.write(f"imageshare lab: no notebooks folder at {', '.join(map(str, candidates))}; "
                         "pass --notebooks DIR\n")
        return 2
    argv_lab = command(root, extra)
    if options.dry_run:
        sys.stdout.write(shlex.join(argv_lab) + "\n")
        return 0
    sys.stderr.write(HINT.format(root=root))
    sys.stderr.flush()
    os.execv(sys.executable, argv_lab)
    return 0  # pragma: no cover - execv does not return
