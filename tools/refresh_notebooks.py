"""Re-run the tutorial notebooks in fresh kernels and store their outputs, so ``pytest --nbval notebooks`` compares
against what the sandbox prints today.

Usage (from the repository root)::

    .venv/bin/python tools/refresh_notebooks.py                 # every notebooks/*.ipynb
    .venv/bin/python tools/refresh_notebooks.py notebooks/03-push.ipynb

Run it after a change to the sandbox's texts, then read the diff: every changed output is a change learners see.
Each notebook runs as nbval runs it (cwd ``notebooks/``, a fresh ``python3`` kernel of this interpreter, Jupyter and
IPython directories in a temp dir) and is saved with clean metadata: execution counts and outputs, no timings, no
widget state or views (their model ids are random), no interpreter version, cell ids numbered in order.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes from run to run or machine to machine; number the cell ids.

    A widget's output keeps only its ``text/plain`` repr: its view's model id is random, and with no saved widget
    state a front end shows that text until the cell runs again (nbval compares it and skips the view).
    """
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for index, cell in enumerate(nb.cells, 1):
        cell.id = f"cell-{index:02d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def refresh(path: Path) -> None:
    """Execute one notebook in place and save it cleaned."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=False, allow_errors=False)
    client.execute()
    nbformat.write(clean(nb), path)


def main(argv: list[str]) -> int:
    """Refresh the notebooks named in ``argv`` (default: all of notebooks/)."""
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            os.environ[name] = os.path.join(scratch, name.lower())
        for path in paths:
            print(f"running {path}", flush=True)
            refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
