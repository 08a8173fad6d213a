"""Where the course is: the tutorial notebooks and the quiz files.

A checkout keeps them at its root, beside the package (``notebooks/``, ``quizzes/``); a built wheel carries the same
folders inside the package (``sandbox/_material/``, copied there by the build: see setup.py), so an installed
``imageshare`` has its course wherever it is installed. This module is the one lookup for both.
"""

from __future__ import annotations

from pathlib import Path

#: The copy a wheel carries, inside the package.
PACKAGED = Path(__file__).resolve().parent / "_material"
#: A checkout's root, where the course is edited.
CHECKOUT = Path(__file__).resolve().parents[1]


def _find(folder: str) -> Path:
    """``folder`` (``notebooks`` or ``quizzes``) of the course: the installed package's copy, else the one beside the
    package (a checkout, or a wheel that puts it at the top of site-packages, as the JupyterLite build does).

    Raises FileNotFoundError when neither has it (a broken install).
    """
    for root in (PACKAGED, CHECKOUT):
        if (root / folder).is_dir():
            return root / folder
    raise FileNotFoundError(f"the imageshare course's {folder}/ is neither in {PACKAGED} nor in {CHECKOUT}; "
                            "reinstall imageshare")


def notebooks_dir() -> Path:
    """The tutorial notebooks as shipped (read them; a learner works on a copy, see ``imageshare lab``)."""
    return _find("notebooks")


def quizzes_dir() -> Path:
    """The quiz files as shipped."""
    return _find("quizzes")
