"""The magics: docker command lines typed in cells, files written into a host, the world's picture and log, quizzes.

Each magic is a thin adapter: it parses its own options (bad usage raises IPython's ``UsageError``, one line), hands
the command lines to the kernel's `Session`, and prints what a terminal would show, stdout to stdout and stderr to
stderr. Nothing a learner types can raise a traceback: the sandbox answers every command line as Docker would.
"""

from __future__ import annotations

import getpass
import re
import shlex
import sys
import time

from IPython.core.error import StdinNotImplementedError, UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from sandbox.jupyter import browser
from sandbox.jupyter.hub import NotOnHub, hub_page
from sandbox.jupyter.picture import snapshot
from sandbox.jupyter.progress import ProgressBoard
from sandbox.jupyter.quiz import QuizWidget, find_quiz
from sandbox.jupyter.session import (HOST_NAME, INTERRUPTED, INTERRUPTED_EXIT, PROGRESS_MODES, Session,
                                     kernel_session, without_prompts, write)
from sandbox.jupyter.terminal import Terminal
from sandbox.jupyter.transfer import transfer
from sandbox.quiz import QuizFileError, parse
from sandbox.quiz.commands import split_prompt

#: ``--host NAME`` or ``--host=NAME`` in front of a ``%docker`` line.
HOST_OPTION = re.compile(r"\A\s*--host(?:=|\s+|\Z)(\S*)\s*")
#: ``# on server``: the lines after it in a ``%%docker`` cell run on host server.
ON_HOST = re.compile(r"\A#\s*on\s+(\S+)\s*\Z")
SANDBOX_USAGE = "usage: %sandbox reset | hosts | show | layers | events [N] | progress on|off|auto"


def _host(name: str) -> str:
    if not HOST_NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a host name: lowercase letters, digits and '-', starting with a letter "
                         "(such as laptop or server)")
    return name


@magics_class
class SandboxMagics(Magics):
    """``%docker``, ``%%docker``, ``%%sandbox_file``, ``%%dockerfile``, ``%sandbox``, ``%hub``, ``%quiz`` and
    ``%%quiz``."""

    def __init__(self, shell=None, session: Session | None = None) -> None:
        super().__init__(shell)
        self.session = session or kernel_session()
        #: How a prompt of ``docker login`` is answered; returns None when nobody can answer (tests replace it).
        self.ask = self._ask_front_end
        #: How live progress waits and tells the time (tests replace both).
        self.sleep, self.clock = time.sleep, time.monotonic
        self._line_ended = True
        self._interrupted = False

    # -- docker command lines ---------------------------------------------------------------------------------------
    @no_var_expand
    @line_magic("docker")
    def docker_line(self, line: str) -> None:
        """Run one docker command on the notebook's simulated world, as typed in a terminal after ``docker``.

        Usage::

            %docker images
            %docker pull alpine:3.21
            %docker --host server pull learner/web:1.0     (run it on another host; hosts start empty)

        The output is exactly what a terminal shows: normal output on stdout, errors on stderr. One world lives
        per kernel, with Docker Hub (accounts learner/s3cret-pass and alice/alice-pass) and the host laptop;
        ``%sandbox reset`` starts over. When a command asks for a password (``%docker login -u learner``), a
        field that does not show what you type appears. ``{`` and ``$`` are passed to docker unchanged, so
        ``--format '{{.Repository}}'`` works.
        """
        host, rest = self._peel_host(line)
        self._run(host, f"docker {rest}".strip(), [])

    @cell_magic("docker")
    def docker_cell(self, line: str, cell: str) -> None:
        """Run a cell of command lines, one per line, each shown after a prompt (``laptop$ docker images``).

        Usage::

            %%docker [--host NAME] [--keep-going]
            docker pull alpine
            docker tag alpine learner/alpine:1.0
            # on server
            docker pull learner/alpine:1.0

        Blank lines and ``#`` comments are skipped; a comment ``# on NAME`` makes the lines after it run on host
        NAME, and a line may start with its own prompt (``server$ docker images``). A line ending in ``\\``
        continues on the next. The cell stops after the first command that fails, unless ``--keep-going``.
        Besides docker, the lines may use ``echo``, ``cat``, ``ls``, ``cd``, pipes and ``&&``.
        """
        options = self._cell_options(line)
        host = options["host"] or self.session.sandbox.name
        self._line_ended = True
        commands: list[tuple[str, str]] = []
        for raw in _joined(cell.splitlines()):
            text = raw.strip()
            switch = ON_HOST.match(text)
            if switch:
                host = _host(switch.group(1))
                continue
            if not text or text.startswith("#"):
                continue
            on, command = split_prompt(text)
            commands.append((_host(on) if on else host, command))
        for index, (where, command) in enumerate(commands):
            if not self._line_ended:
                sys.stdout.write("\n")  # a file printed without a final newline must not swallow the prompt
            sys.stdout.write(f"{where}$ {command}\n")
            sys.stdout.flush()
            code = self._run(where, command, commands[index + 1:], keep_going=options["keep_going"])
            if code is None or self._interrupted:  # Ctrl-C ends a script as well as its command
                return
            rest = len(commands) - index - 1
            if code and rest and not options["keep_going"]:
                sys.stderr.write(f"(stopped: the command above exited with {code}; {rest} more line"
                                 f"{'s' if rest != 1 else ''} not run; %%docker --keep-going runs them anyway)\n")
                sys.stderr.flush()
                return

    def _cell_options(self, line: str) -> dict:
        options = {"host": None, "keep_going": False}
        words = line.split()
        while words:
            word = words.pop(0)
            if word in ("--keep-going", "-k"):
                options["keep_going"] = True
            elif word == "--host":
                if not words:
                    raise UsageError("%%docker --host needs a host name: %%docker --host server")
                options["host"] = _host(words.pop(0))
            elif word.startswith("--host="):
                options["host"] = _host(word.split("=", 1)[1])
            else:
                raise UsageError(f"%%docker: unknown option {word!r}; usage: %%docker [--host NAME] [--keep-going]")
        return options

    def _peel_host(self, line: str) -> tuple[str, str]:
        found = HOST_OPTION.match(line)
        if not found:
            return self.session.sandbox.name, line.strip()
        if not found.group(1):
            raise UsageError("%docker --host needs a host name: %docker --host server images")
        return _host(found.group(1)), line[found.end():].strip()

    def _run(self, host: str, line: str, after: list[tuple[str, str]], keep_going: bool = False) -> int | None:
        """Run one line and print it; None when it waits for a password in a widget (which runs ``after`` too).

        A kernel interrupt ends the line as Ctrl-C ends docker: what was on the screen stays, ``^C`` follows, the
        world is as before the line (`Session.undone_on_interrupt`) and the exit code is 130; never a traceback.
        """
        self._interrupted = False
        try:
            with self.session.undone_on_interrupt():
                try:
                    result, asked = self.session.run(host, line, self.ask)
                except KeyboardInterrupt:  # at a password prompt: docker gives up, as after Ctrl-C
                    sys.stderr.write("\n")
                    return INTERRUPTED_EXIT
                if result is None:
                    terminal = Terminal(self.session, host=host)
                    display(terminal)
                    terminal.run_lines([line] + [f"{h}$ {c}" if h != host else c for h, c in after], keep_going)
                    return None
                chunks = without_prompts(result.chunks, asked) if asked else result.chunks
                self._line_ended = write(chunks, play=self._player() if self._live() else None,
                                         streams=result.progress)
                return result.exit_code
        except KeyboardInterrupt:
            sys.stdout.write(INTERRUPTED)
            sys.stdout.flush()
            self._line_ended = True
            self._interrupted = True
            return INTERRUPTED_EXIT

    def _live(self) -> bool:
        mode = self.session.progress
        if mode != "auto":
            return mode == "on"
        if browser.IN_BROWSER:  # JupyterLite: the kernel runs in the learner's open tab, which always shows it
            return True
        kernel = getattr(self.shell, "kernel", None)
        return bool(kernel is not None and getattr(kernel, "_allow_stdin", False))

    def _player(self):
        def play(messages) -> None:
            board = ProgressBoard()
            shown = display(board, display_id=True)
            try:
                board.play(messages, self.sleep, self.clock)
            except KeyboardInterrupt:  # the screen so far stays, as text; `_run` adds the ^C
                shown.update({"text/plain": ""}, raw=True)
                board.close()
                sys.stdout.write(board.screen.removesuffix("\n"))
                raise
            # Replace the board by nothing (the final text follows as output), so a saved notebook keeps no
            # reference to a widget that no longer exists.
            shown.update({"text/plain": ""}, raw=True)
            board.close()

        return play

    @staticmethod
    def _ask_front_end(prompt: str, secret: bool) -> str | None:
        """Ask through the front end (a password field for secrets); None when it cannot take input."""
        try:
            return getpass.getpass(prompt) if secret else input(prompt)
        except (StdinNotImplementedError, EOFError, OSError):
            return None

    # -- files ------------------------------------------------------------------------------------------------------
    @magic_arguments()
    @argument("--host", default=None, help="the host whose working directory gets the file (default: laptop)")
    @argument("path", help="the file name, relative to the working directory ~/project")
    @cell_magic("sandbox_file")
    def sandbox_file(self, line: str, cell: str) -> None:
        """Write the cell into a file on a sandbox host, such as the app a Dockerfile copies.

        Usage: ``%%sandbox_file [--host NAME] PATH`` and the file's contents below. ``docker build .`` on that
        host then sees it; ``%docker`` lines can ``cat`` it.
        """
        args = _parse_quoted(self.sandbox_file, line)
        self._write(args.host, args.path, cell)

    @magic_arguments()
    @argument("--host", default=None, help="the host whose working directory gets the file (default: laptop)")
    @argument("path", nargs="?", default="Dockerfile", help="the file name (default: Dockerfile)")
    @cell_magic("dockerfile")
    def dockerfile(self, line: str, cell: str) -> None:
        """Write the cell as the Dockerfile of a sandbox host's working directory (~/project).

        Usage: ``%%dockerfile [--host NAME] [PATH]`` and the instructions below (``FROM``, ``COPY``, ``CMD``...);
        then ``%docker build -t NAME .`` builds it.
        """
        args = _parse_quoted(self.dockerfile, line)
        self._write(args.host, args.path, cell)

    def _write(self, host: str | None, path: str, text: str) -> None:
        handle = self.session.handle(_host(host) if host else None)
        if not path.strip() or "\x00" in path:
            raise UsageError("the file needs a name, such as Dockerfile or server.js")
        existed = handle.read_file(path) is not None
        try:
            handle.write_file(path, text if text.endswith("\n") or not text else text + "\n")
        except ValueError as e:
            raise UsageError(str(e)) from None
        where = "" if handle.name == self.session.sandbox.name else f" on {handle.name}"
        print(f"{'Overwriting' if existed else 'Writing'} {path}{where}")

    # -- the world --------------------------------------------------------------------------------------------------
    @line_magic("sandbox")
    def sandbox_line(self, line: str) -> None:
        """Look at or restart the notebook's simulated world.

        Usage::

            %sandbox reset              a fresh world: Docker Hub with its accounts and an empty laptop
            %sandbox hosts              the hosts that exist (a host appears the first time a command runs on it)
            %sandbox show               a picture: hosts, registries, images, tags and the layers they share
            %sandbox layers             the last push or pull: which layers moved and which were already there
            %sandbox events [N]         the log of everything that changed (the last N entries), with reasons
            %sandbox progress on|off|auto   live push/pull progress (auto: on in JupyterLab and Notebook)
        """
        words = line.split()
        if not words:
            raise UsageError(SANDBOX_USAGE)
        command, rest = words[0], words[1:]
        if command == "reset" and not rest:
            self.session.reset()
            print("A fresh world: Docker Hub (accounts learner and alice) and host laptop, with no images.")
        elif command == "hosts" and not rest:
            print("\n".join(self.session.sandbox.hosts))
        elif command == "show" and not rest:
            display(snapshot(self.session.sandbox))
        elif command == "layers" and not rest:
            self._layers()
        elif command == "events" and len(rest) <= 1:
            if rest and not rest[0].isdigit():
                raise UsageError("%sandbox events takes a number of entries: %sandbox events 5")
            events = self.session.sandbox.events
            if rest:
                events = events[-int(rest[0]):] if int(rest[0]) else []
            for event in events:
                print(f"{event.time}  {event.host:<8} {event.text}")
            if not events:
                print("(nothing has happened yet)")
        elif command == "progress" and len(rest) == 1 and rest[0] in PROGRESS_MODES:
            self.session.progress = rest[0]
        else:
            raise UsageError(SANDBOX_USAGE)

    def _layers(self) -> None:
        if self.session.last_transfer is None:
            print("(no push or pull yet: %sandbox layers pictures the last one)")
            return
        line, streams = self.session.last_transfer
        pictures = [p for p in (transfer(line, stream.messages) for stream in streams) if p is not None]
        if not pictures:
            print(f"({line}: no layer was sent or checked; it stopped before)")
        for picture in pictures:
            display(picture)

    # -- Docker Hub's website ---------------------------------------------------------------------------------------
    @line_magic("hub")
    def hub_line(self, line: str) -> None:
        """Docker Hub's page for a repository, as hub.docker.com lays out its Tags tab: each tag with when it was
        last pushed and by whom, and the images it names (digest, OS/architecture, compressed size).

        Usage::

            %hub learner/web        a repository of an account
            %hub nginx              an official image (library/nginx)

        The page is seen by whoever is logged in on the laptop (``docker login``): a private repository of another
        account is a 404, as on Docker Hub.
        """
        words = line.split()
        if len(words) != 1:
            raise UsageError("usage: %hub REPOSITORY, such as %hub learner/web or %hub nginx")
        try:
            page = hub_page(self.session.sandbox, words[0], self.session.sandbox.logged_in_user())
        except NotOnHub as e:
            raise UsageError(str(e)) from None
        display(page)

    # -- quizzes ----------------------------------------------------------------------------------------------------
    @magic_arguments()
    @argument("--learner", default="anonymous", help="the learner's ID (it picks their variant of each question)")
    @argument("--attempts", type=int, default=None, help="submissions allowed per question (default: no limit); "
              "with a limit the key shows only when they are used up or on Show answer, which is recorded")
    @argument("--no-save", action="store_true", help="practice only: no ID field and no Save button")
    @argument("quiz", help="a quiz id from quizzes/ (such as login-and-push) or a quiz file")
    @argument("questions", nargs="*", help="only these questions (ids), in the quiz's order")
    @line_magic("quiz")
    def quiz_line(self, line: str) -> None:
        """Show a quiz (or some of its questions), graded on Submit by replaying your answer in a fresh world.

        Usage: ``%quiz [--learner ID] [--attempts N] [--no-save] QUIZ [QUESTION ...]``, for example ``%quiz pull
        pull-private``. "Save answers" writes ``submissions/QUIZ-ID.yaml`` for your instructor.
        """
        args = _parse_quoted(self.quiz_line, line)
        try:
            quiz = find_quiz(args.quiz)
        except QuizFileError as e:
            raise UsageError(str(e)) from None
        self._show_quiz(quiz, args)

    @magic_arguments()
    @argument("--learner", default="anonymous", help="the learner's ID (it picks their variant of each question)")
    @argument("--attempts", type=int, default=None, help="submissions allowed per question (default: no limit); "
              "with a limit the key shows only when they are used up or on Show answer, which is recorded")
    @argument("--no-save", action="store_true", help="practice only: no ID field and no Save button")
    @cell_magic("quiz")
    def quiz_cell(self, line: str, cell: str) -> None:
        """Show a quiz written in the cell, in the quiz format of ``quizzes/`` (docs/quiz-format.md).

        Usage: ``%%quiz [--learner ID] [--attempts N] [--no-save]`` and the YAML below (``quiz:``, ``title:``,
        ``questions:``).
        """
        args = _parse_quoted(self.quiz_cell, line)
        try:
            quiz = parse(cell, "<cell>")
        except QuizFileError as e:
            raise UsageError(str(e)) from None
        args.questions = []
        self._show_quiz(quiz, args)

    def _show_quiz(self, quiz, args) -> None:
        if args.attempts is not None and args.attempts < 1:
            raise UsageError("--attempts must be 1 or more")
        try:
            widget = QuizWidget(quiz, learner=args.learner, only=args.questions, attempts=args.attempts,
                                grader=self.session.grader, saving=not args.no_save, session=self.session)
        except KeyError as e:
            raise UsageError(e.args[0]) from None
        display(widget)


def _joined(lines: list[str]) -> list[str]:
    """Lines with backslash continuations joined, as a shell reads them."""
    out: list[str] = []
    carry = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            carry += line.rstrip()[:-1] + " "
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return out


def _parse_quoted(magic, line: str):
    """A magic's arguments split as a shell splits them, so ``%quiz "my quizzes/pull.yaml"`` opens that path
    (IPython's own splitter keeps the quotes)."""
    try:
        words = shlex.split(line)
    except ValueError as e:  # an unbalanced quote
        raise UsageError(f"{line.strip()}: {e}") from None
    return magic.parser.parse_args(words)
