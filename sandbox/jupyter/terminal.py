"""A terminal in a notebook: a command line with history, a host picker, the scrollback, and the password field
``docker login`` asks for. Composed of stock ipywidgets; ``submit()``/``click()`` do what Enter and the buttons do, so
tests drive it without a browser.
"""

from __future__ import annotations

import html
import json
import time
import warnings
from collections.abc import Callable, Iterable

import ipywidgets as widgets
from IPython import get_ipython
from traitlets import Bool, Int, List, Unicode

from sandbox.jupyter.progress import paced, schedule
from sandbox import Result
from sandbox.jupyter.session import INTERRUPTED, Session, kernel_session
from sandbox.jupyter.style import STALE
from sandbox.quiz.commands import split_prompt

#: Colour of stderr text in the scrollback, as terminals in notebooks show it.
STDERR_STYLE = "color:#c0392b"
PRE_STYLE = "margin:0;white-space:pre-wrap;font-family:monospace;font-size:12px"


#: What the page appends to a field's value when Enter is pressed in a terminal (the return symbol, in view until the
#: kernel takes the line). ipywidgets sends its own Enter event at once but holds a value update back while an earlier
#: one is unanswered, so a line typed fast (or into a busy kernel) reached the kernel after its Enter, and the part
#: that had arrived ran: ``docker rmi x`` as ``docker rm``. Inside the value, the line and its Enter arrive together.
ENTER = "\u23ce"


class EnterKey:
    """A stock text field whose Enter comes with the line typed before it: the page's script (`PAGE_KEYS`) appends
    `ENTER` to the value it sends, and the field hands each line so ended to what `on_enter` registered.

    Only a value from the page (``set_state``) can press Enter; a value the kernel sets never does.
    """

    def __init__(self, **kwargs) -> None:
        self._entered: list[Callable[[], None]] = []
        super().__init__(**kwargs)

    def on_enter(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when Enter is pressed in the field, once the field holds the line typed before it."""
        self._entered.append(callback)
        with warnings.catch_warnings():
            # A front end that runs no handler in widget HTML has no `PAGE_KEYS`, and reports Enter only with
            # ipywidgets' own event (deprecated, but still the Enter event); the page's script cancels that one.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.on_submit(lambda _: callback())

    def set_state(self, sync_data: dict) -> None:
        """Take the state the page sends. Each `ENTER` in the value is Enter pressed after the text before it (lines
        typed ahead while the kernel was busy arrive together): the field holds each line in turn while the
        `on_enter` callbacks run, which take it (and empty the field) or leave it there. A line left, the lines
        after it and the text after the last Enter stay in the field, as typed."""
        value = sync_data.get("value")
        if not isinstance(value, str) or ENTER not in value:
            super().set_state(sync_data)
            return
        *lines, rest = value.split(ENTER)
        super().set_state({**sync_data, "value": lines[0]})
        left: list[str] = []
        for line in lines:
            if left:  # a line not taken (the terminal asks for a password meanwhile): the later ones wait behind it
                left.append(line)
                continue
            self.value = line
            for callback in self._entered:
                callback()
            if self.value:
                left.append(self.value)
        self.value = ENTER.join([*left, rest])


class CommandField(EnterKey, widgets.Combobox):
    """The terminal's command line: a text field that lists the past commands."""


class LineField(EnterKey, widgets.Text):
    """A one-line answer, such as the user name ``docker login`` asks for."""


class SecretField(EnterKey, widgets.Password):
    """A password, never shown as typed."""


#: The keys of a terminal, in the page: Enter appends `ENTER` to the field's value and commits it (a ``change``
#: event, which ipywidgets sends as the field's value whatever its continuous_update), and is cancelled, so
#: ipywidgets' own Enter event (sent on keypress) is not sent. The arrow keys in the command field walk the history, as
#: in a shell: the field's own list of past commands (its datalist, newest first, which `Terminal` keeps) is the
#: history, and the value is set as typing sets it (an ``input`` event). ipywidgets reports no key but Enter, so this
#: runs in the page. It is attached once per terminal, from an image that cannot load (an HTML widget runs no
#: <script>, but does run an element's handlers).
PAGE_KEYS = """(function (img) {
  var root = img.closest('.imageshare-terminal');
  if (!root || root.dataset.keys) { return; }
  root.dataset.keys = 'on';
  root.addEventListener('keydown', function (event) {
    var field = event.target;
    if (!(field instanceof HTMLInputElement)) { return; }
    if (event.key === 'Enter') {
      if (event.isComposing) { return; }
      field.dataset.position = '-1';
      field.value += ENTER;
      field.dispatchEvent(new Event('change', {bubbles: true}));
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (!field.list || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) { return; }
    var history = Array.prototype.map.call(field.list.options, function (o) { return o.value; });
    var position = Number(field.dataset.position || '-1');
    position = event.key === 'ArrowUp' ? Math.min(position + 1, history.length - 1) : Math.max(position - 1, -1);
    field.dataset.position = String(position);
    field.value = position < 0 ? '' : history[position];
    field.dispatchEvent(new Event('input', {bubbles: true}));
    event.preventDefault();
    event.stopPropagation();
  }, true);
})(this)""".replace("ENTER", json.dumps(ENTER))


def page_keys() -> widgets.HTML:
    """The part of a terminal that handles Enter and the arrow keys in the page (see `PAGE_KEYS`), with the notice a
    terminal of a stopped kernel shows."""
    script = html.escape(PAGE_KEYS.replace("\n", " "), quote=True)
    return widgets.HTML(f"{STALE}<img src='data:,' alt='' style='display:none' onerror=\"{script}\">",
                        layout=widgets.Layout(height="0px", overflow="hidden", margin="0"))


class Screen(widgets.HTML):
    """A terminal's scrollback as inline HTML: stdout as printed, stderr in red. ``text`` is the plain transcript."""

    text = Unicode("")

    def __init__(self, **kwargs) -> None:
        super().__init__(layout=widgets.Layout(max_height="28em", overflow="auto", width="100%"), **kwargs)
        self._chunks: list[tuple[str, str]] = []
        self._live = ""

    def write(self, chunks: Iterable[tuple[str, str]]) -> None:
        """Append ``(stream, text)`` pieces in order."""
        self._chunks.extend(chunks)
        self._live = ""
        self._draw()

    def show_live(self, text: str) -> None:
        """Show ``text`` below the scrollback until the next `write` (a push or pull in progress)."""
        self._live = text
        self._draw()

    def clear(self) -> None:
        """Empty the scrollback."""
        self._chunks = []
        self._live = ""
        self._draw()

    def _draw(self) -> None:
        self.text = "".join(text for _, text in self._chunks)
        body = "".join(
            f"<span style='{STDERR_STYLE}'>{html.escape(text)}</span>" if stream == "stderr" else html.escape(text)
            for stream, text in self._chunks
        ) + html.escape(self._live)
        self.value = f"<pre style='{PRE_STYLE}'>{body}</pre>" if body else ""

    def __repr__(self) -> str:
        return "Screen()"


class LoginPrompt(widgets.VBox):
    """The questions a command asks before it goes on (``Username:``, ``Password:``): one field each, the password
    in a field that never shows what is typed. ``submit(*answers)`` fills them in and presses the button."""

    def __init__(self, prompts: Iterable[str], on_answers: Callable[[list[str]], None]) -> None:
        self.prompts = tuple(prompts)
        self.fields = [
            SecretField(description=p.rstrip(": "), placeholder="not shown as you type")
            if p.startswith("Password") else LineField(description=p.split(":")[0], placeholder="your Docker ID")
            for p in self.prompts
        ]
        self.button = widgets.Button(description="Log in", button_style="primary")
        self._on_answers = on_answers
        self.button.on_click(lambda _: self._send())
        for field in self.fields:
            field.on_enter(self._send)
        super().__init__(self.fields + [self.button])

    def submit(self, *answers: str) -> None:
        """Answer the questions in order, as typing them and pressing "Log in" does."""
        for field, answer in zip(self.fields, answers):
            field.value = answer
        self.button.click()

    def _send(self) -> None:
        answers = [field.value for field in self.fields]
        for field in self.fields:
            field.value = ""  # the password must not stay in the widget's state
        self._on_answers(answers)

    def __repr__(self) -> str:
        return f"LoginPrompt({', '.join(repr(p) for p in self.prompts)})"


class Terminal(widgets.VBox):
    """A docker prompt on the kernel's world (or ``session``'s): type a command line, press Enter or Run.

    Up/down browse the history (the arrow keys in the field, the arrow buttons beside it, or the field's own list of
    past commands); the
    dropdown picks the host, and ``server$ docker ps`` runs one line on another. A command that asks for a password
    shows a field that does not echo it. Raises ValueError for a bad host name.
    """

    host = Unicode("laptop")
    history = List(Unicode())
    busy = Bool(False)
    position = Int(0)

    def __init__(self, session: Session | None = None, host: str = "laptop", hosts: Iterable[str] = (),
                 live: bool | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.session = session or kernel_session()
        #: Whether push/pull progress plays: by default inside a kernel, whose front end is live when a button fires.
        self.live = live if live is not None else getattr(get_ipython(), "kernel", None) is not None
        self._sleep = sleep
        for name in (host, *hosts):
            self.session.handle(name)
        self.host = host
        self.picker = widgets.Dropdown(options=self.session.sandbox.hosts, value=host, description="host",
                                       layout=widgets.Layout(width="13em"))
        self.picker.observe(self._picked, "value")
        # The description is the field's <label>: a screen reader announces "command", not an unnamed text box.
        self.field = CommandField(description="command", placeholder="docker images", ensure_option=False,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(flex="1 1 auto", width="auto"))
        self.field.on_enter(self.submit)
        self.run_button = widgets.Button(description="Run", button_style="primary", layout=widgets.Layout(width="5em"))
        self.run_button.on_click(lambda _: self.submit())
        self.up_button = widgets.Button(description="↑", tooltip="previous command",
                                        layout=widgets.Layout(width="3em"))
        self.up_button.on_click(lambda _: self.up())
        self.down_button = widgets.Button(description="↓", tooltip="next command", layout=widgets.Layout(width="3em"))
        self.down_button.on_click(lambda _: self.down())
        self.screen = Screen()
        self.asking = widgets.VBox()
        self.queue: list[str] = []
        self.keep_going = False
        #: the container terminal a ``docker run -it``/``docker exec -it`` line opened, until its shell exits
        self.inside = None
        line = widgets.HBox([self.picker, self.field, self.up_button, self.down_button, self.run_button])
        super().__init__([self.screen, self.asking, line, page_keys()])
        self.add_class("imageshare-terminal")

    # -- what the controls do ---------------------------------------------------------------------------------------
    def submit(self, line: str | None = None) -> None:
        """Run ``line`` (or what the field holds), as pressing Enter does."""
        if line is not None:
            self.field.value = line
        text = self.field.value.strip()
        if not text or self.busy:
            return
        self.field.value = ""
        self.run_lines([text])

    def click(self) -> None:
        """Press Run."""
        self.run_button.click()

    def up(self) -> None:
        """Put the previous command of the history in the field."""
        if self.history:
            self.position = max(self.position - 1, 0)
            self.field.value = self.history[self.position]

    def down(self) -> None:
        """Put the next command of the history in the field (empty after the newest)."""
        self.position = min(self.position + 1, len(self.history))
        self.field.value = self.history[self.position] if self.position < len(self.history) else ""

    def run_lines(self, lines: Iterable[str], keep_going: bool = False) -> None:
        """Run command lines one after another, stopping after a failure unless ``keep_going``; a line that asks
        for a password waits for it, and the rest run after it."""
        self.queue.extend(lines)
        self.keep_going = keep_going
        self._next()

    # -- running ----------------------------------------------------------------------------------------------------
    def _picked(self, change) -> None:
        self.host = change["new"]

    def _remember(self, line: str) -> None:
        history = [h for h in self.history if h != line] + [line]
        self.history = history
        self.position = len(history)
        self.field.options = tuple(reversed(history))

    def eof(self) -> None:
        """Ctrl-D: leave a container's shell (its exit status is the last one), back to the host's prompt."""
        if self.inside is not None:
            self._container_ended(self.inside.eof())

    def _in_container(self, line: str) -> None:
        """Run a line typed at a container's prompt, in the container (as a terminal attached to it does)."""
        self.screen.write([("stdout", f"{self.inside.prompt}{line}\n")])
        self._container_ended(self.inside.run(line))

    def _container_ended(self, result: Result) -> None:
        self.screen.write(result.chunks)
        if not self.inside.open:
            self.inside = None
        self.picker.disabled = self.inside is not None
        self.field.description = "command" if self.inside is None else self.inside.prompt.strip()

    def _next(self) -> None:
        while self.queue:
            typed = self.queue.pop(0)
            self._remember(typed)
            if self.inside is not None:
                self._in_container(typed)
                continue
            on, line = split_prompt(typed)
            host = on or self.host
            self.screen.write([("stdout", f"{host}$ {line}\n")])
            prompts = self.session.prompts(host, line)
            if prompts:
                self.busy = True
                self.asking.children = [
                    LoginPrompt(prompts, lambda answers, host=host, line=line: self._answered(host, line, answers))
                ]
                return
            if not self._run(host, line, None):
                return

    def _answered(self, host: str, line: str, answers: list[str]) -> None:
        self.asking.children = []
        self.busy = False
        if self._run(host, line, "".join(a + "\n" for a in answers)):
            self._next()

    def _run(self, host: str, line: str, stdin: str | None) -> bool:
        """Run one line; False (and the queue dropped) when it failed and the rest should not run."""
        try:
            result = self._played(host, line, stdin)
        except KeyboardInterrupt:
            return False
        self.screen.write(result.chunks or [("stdout", result.stdout), ("stderr", result.stderr)])
        hosts = tuple(self.session.sandbox.hosts)
        if hosts != self.picker.options:  # a new host appeared; keep the one picked
            picked = self.picker.value
            self.picker.options = hosts
            self.picker.value = picked
        if result.exit_code and not self.keep_going and self.queue:
            stopped = f"(stopped: exit code {result.exit_code}; {len(self.queue)} more line(s) not run)\n"
            self.screen.write([("stderr", stopped)])
            self.queue = []
            return False
        return True

    def _played(self, host: str, line: str, stdin: str | None) -> Result:
        """Run one line and play its push/pull progress. A kernel interrupt meanwhile ends it as Ctrl-C ends docker:
        the screen so far stays with ``^C``, the world goes back to before the line, the rest of the queue is
        dropped, and KeyboardInterrupt goes on to `_run`, which ends the line there."""
        shown = ""
        try:
            with self.session.undone_on_interrupt():
                handle = self.session.handle(host)
                result = self.session.ran(line, handle.run(line, stdin=stdin, terminal=True))
                self._attach(handle, result)
                if self.live:
                    for stream in result.progress:
                        for shown in paced(schedule(stream.messages), self._sleep):
                            self.screen.show_live(shown)
                return result
        except KeyboardInterrupt:
            self.screen.write([("stdout", shown.removesuffix("\n") + INTERRUPTED)])
            self.queue = []
            raise

    def _attach(self, handle, result: Result) -> None:
        """After ``docker run -it IMAGE sh``: the container's prompt replaces the host's until its shell exits."""
        self.inside = handle.attach(result)
        if self.inside is not None:
            self.picker.disabled = True
            self.field.description = self.inside.prompt.strip()

    def __repr__(self) -> str:
        return f"Terminal(host={self.host!r})"
