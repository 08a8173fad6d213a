"""imageshare in Jupyter: magics that type docker command lines into the kernel's simulated world, a picture of that
world, and widgets (a terminal, quizzes graded by replay, a password prompt). Load it with ``%load_ext sandbox``.

This is the top of the package: nothing else imports it, and only it imports IPython, ipywidgets and traitlets.
"""

from __future__ import annotations

from sandbox import Sandbox
from sandbox.jupyter.picture import WorldPicture, snapshot
from sandbox.jupyter.quiz import QuestionWidget, QuizWidget, find_quiz
from sandbox.jupyter.session import Session, kernel_session
from sandbox.jupyter.terminal import LoginPrompt, Terminal

__all__ = [
    "LoginPrompt",
    "QuestionWidget",
    "QuizWidget",
    "Session",
    "Terminal",
    "WorldPicture",
    "find_quiz",
    "kernel_session",
    "load_ipython_extension",
    "snapshot",
]


def load_ipython_extension(ipython) -> None:
    """``%load_ext sandbox.jupyter``: register the magics, and draw a `Sandbox` as its world picture."""
    from sandbox.jupyter.magics import SandboxMagics

    ipython.register_magics(SandboxMagics(ipython, kernel_session()))
    ipython.display_formatter.formatters["text/html"].for_type(Sandbox, lambda sb: snapshot(sb)._repr_html_())
