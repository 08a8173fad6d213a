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


def course_root() -> Path:
    """The folder holding ``notebooks/`` and ``quizzes/``: the installed package's copy, else the checkout's.

    Raises FileNotFoundError when neither has the course (a broken install).
    """
    for root in (PACKAGED, CHECKOUT):
        if (root / "notebooks").is_dir() and (root / "quizzes").is_dir():
            return root
    raise FileNotFoundError(f"the imageshare course (notebooks/ and quizzes/) is neither in {PACKAGED} nor in "
                            f"{CHECKOUT}; reinstall imageshare")


def notebooks_dir() -> Path:
    """The tutorial notebooks as shipped (read them; a learner works on a copy, see ``imageshare lab``)."""
    return course_root() / "notebooks"


def quizzes_dir() -> Path:
    """The quiz files as shipped."""
    return course_root() / "quizzes"
