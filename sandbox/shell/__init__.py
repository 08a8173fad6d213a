"""One POSIX shell for every place a command line runs: a learner's host, a container, a Dockerfile ``RUN`` step.

It knows nothing of Docker: it runs against a `Machine` it is handed (files, programs, a host name, a clock), in
one of three `Flavour`s (bash, BusyBox ash, dash) that differ only in their words, under one `Budget` spent while
it runs. ``syntax`` parses, ``expansion`` expands words, ``execute`` runs the tree, ``builtins`` and ``utilities``
are the commands, ``sh`` is the shell as a program on a machine.
"""

from sandbox.shell.budget import Budget, BudgetExhausted, notice
from sandbox.shell.execute import Blocked, Call, Shell
from sandbox.shell.flavours import ASH, BASH, DASH, FLAVOURS, Flavour, prompt
from sandbox.shell.machine import Machine, normalize
from sandbox.shell.sh import shell_program
from sandbox.shell.utilities import UTILITIES

__all__ = ["ASH", "BASH", "Blocked", "Budget", "BudgetExhausted", "Call", "DASH", "FLAVOURS", "Flavour", "Machine",
           "Shell", "UTILITIES", "normalize", "notice", "prompt", "shell_program"]
