"""Styles every imageshare widget shares."""

from __future__ import annotations

#: What a widget of a kernel that stopped says: ipywidgets marks its views ``jupyter-widgets-disconnected`` when the
#: kernel restarts or dies, and its buttons would do nothing (their messages reach no one).
STALE = ("<style>.imageshare-quiz.jupyter-widgets-disconnected::before,.imageshare-question.jupyter-widgets-disconnected"
         "::before,.imageshare-terminal.jupyter-widgets-disconnected::before{content:'The kernel behind this widget "
         "stopped or restarted, so its buttons do nothing now. Run the notebook again from the top (%load_ext sandbox "
         "first), or Kernel > Restart Kernel and Run All Cells.';display:block;padding:6px;margin:4px 0;"
         "background:#fff3cd;color:#664d03;border:1px solid #ffda6a;font-family:sans-serif;font-size:13px}"
         ".jupyter-widgets-disconnected .imageshare-question::before{display:none}"
         ".imageshare-question.jupyter-widgets-disconnected button,.imageshare-terminal.jupyter-widgets-disconnected "
         "button{pointer-events:none;opacity:.5}</style>")
