"""The quiz format as frozen values: a ``Quiz`` of ``Question``s, their ``Choice``s, ``Command``s and ``StateCheck``s,
and the ``Key`` and ``Grade`` the grader derives from them.

Nothing here runs anything; the loader builds these values from YAML and the grader replays them in a sandbox.
The caps below bound every piece of work a quiz file or an answer can ask for (docs/quiz-format.md lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

KINDS = ("which-fails", "which-succeeds", "outcome", "output", "task", "choice")
#: Kinds whose key is the set of choice letters the replay (or, for ``choice``, the author) picks.
LETTER_KINDS = ("which-fails", "which-succeeds", "outcome", "choice")
CHECKS = (
    "image",
    "no-image",
    "container",
    "no-container",
    "pushed",
    "not-pushed",
    "logged-in",
    "logged-out",
    "last-exit",
    "stdout-has",
    "stderr-has",
)
#: The modifiers each state check accepts besides ``host``.
CHECK_MODIFIERS = {
    "image": ("same-as",),
    "no-image": (),
    "container": ("status",),
    "no-container": (),
    "pushed": ("same-as",),
    "not-pushed": (),
    "logged-in": ("user",),
    "logged-out": (),
    "last-exit": (),
    "stdout-has": (),
    "stderr-has": (),
}
#: What an ``output`` question asks for; ``output`` (the default) is both streams as the terminal shows them.
ASKS = ("output", "stdout", "stderr", "exit-code")
SELECTS = ("one", "many")
#: How a ``select: many`` answer scores: ``all-or-nothing`` (the default) or ``partial`` (see ``partial_credit``).
SCORINGS = ("all-or-nothing", "partial")
STATUSES = ("running", "exited", "created")
DEFAULT_HOST = "laptop"

MAX_FILE_BYTES = 1024 * 1024
MAX_LINE_CHARS = 4096
MAX_COMMANDS = 50
MAX_VARIANTS = 64
MAX_QUESTIONS = 200
MAX_CHOICES = 26
MAX_CHECKS = 50
MAX_FILES = 50
MAX_TEXT_CHARS = 64 * 1024
MAX_YAML_NODES = 100_000

#: What a learner may answer: a letter, letters, a predicted output or exit code, or command lines.
Answer = Union[str, int, tuple, None]


@dataclass(frozen=True)
class Location:
    """Where a value was written: file, 1-based line and the field path (``questions[2].answer``)."""

    path: str
    line: int
    field: str


@dataclass(frozen=True)
class Command:
    """One command line typed on a host; ``on`` is None for the question's default host."""

    line: str
    on: str | None = None
    stdin: str | None = None
    #: In ``setup`` only: the author expects this command to fail, so ``check`` does not flag it.
    fails: bool = False
    where: Location | None = field(default=None, compare=False, repr=False)

    def shown(self, default_host: str) -> str:
        """The line as a prompt shows it: ``$ docker ps`` on the default host, ``server$ docker ps`` elsewhere."""
        host = self.on if self.on and self.on != default_host else ""
        return f"{host}$ {self.line}"


@dataclass(frozen=True)
class StateCheck:
    """A fact about the world after a replay (``image: myimage``, ``container: web`` with ``status: running``...)."""

    check: str
    subject: str
    host: str | None = None
    status: str | None = None
    user: str | None = None
    same_as: str | None = None
    where: Location | None = field(default=None, compare=False, repr=False)
    #: Where ``host:`` was written, when it was.
    host_where: Location | None = field(default=None, compare=False, repr=False)

    def describe(self, default_host: str = DEFAULT_HOST) -> str:
        """The check in words, as feedback prints it."""
        on = f" on {self.host or default_host}"
        s = self.subject
        text = {
            "image": f"image {s} exists{on}",
            "no-image": f"no image {s}{on}",
            "container": f"container {s} exists{on}",
            "no-container": f"no container {s}{on}",
            "pushed": f"the registry has {s}",
            "not-pushed": f"the registry does not have {s}",
            "logged-in": f"logged in to {s or 'docker.io'}{on}",
            "logged-out": f"not logged in to {s or 'docker.io'}{on}",
            "last-exit": f"the last command{on} exited with {s}",
            "stdout-has": f"the last command{on} printed {s!r}",
            "stderr-has": f"the last command{on} printed {s!r} on stderr",
        }[self.check]
        if self.status:
            text += f" and is {self.status}"
        if self.user:
            text += f" as {self.user}"
        if self.same_as:
            text += f", the same image as {self.same_as}{on}" if self.check == "pushed" else f", the same image as {self.same_as}"
        return text


@dataclass(frozen=True)
class Choice:
    """A lettered choice: a command line (which-fails/-succeeds), a statement with ``holds`` (outcome) or plain text."""

    key: str
    text: str
    command: Command | None = None
    holds: tuple[StateCheck, ...] = ()
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Forbid:
    """A ``task`` rule: no command may contain these words, in this order (``rmi -f`` matches ``docker rmi -f x``)."""

    words: tuple[str, ...]
    because: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)

    @property
    def pattern(self) -> str:
        """The words as the author wrote them."""
        return " ".join(self.words)


@dataclass(frozen=True)
class Question:
    """One question; fields a kind does not use stay empty (the loader enforces which belong to which kind)."""

    id: str
    kind: str
    prompt: str
    points: float = 1
    explain: str = ""
    host: str = DEFAULT_HOST
    files: tuple[tuple[str, str], ...] = ()
    setup: tuple[Command, ...] = ()
    choices: tuple[Choice, ...] = ()
    select: str = "one"
    #: ``partial`` gives ``select: many`` answers partial credit; see ``partial_credit``.
    scoring: str = "all-or-nothing"
    #: Whether each learner sees the choices in an order of their own (``shuffle: false`` keeps the author's order).
    shuffle: bool = True
    #: The author's belief: a letter, letters, or for ``output`` the expected text or exit code.
    answer: Answer = None
    command: Command | None = None
    ask: str | None = None
    goal: tuple[StateCheck, ...] = ()
    forbid: tuple[Forbid, ...] = ()
    max_commands: int = MAX_COMMANDS
    solution: tuple[Command, ...] = ()
    vars: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Which variant this is once ``variables.resolve`` filled the placeholders in; None while still a template.
    variant: int | None = None
    where: Location | None = field(default=None, compare=False, repr=False)
    #: Where ``answer`` was written, so ``check`` can point at the line a disagreement is about.
    answer_where: Location | None = field(default=None, compare=False, repr=False)

    def choice(self, key: str) -> Choice | None:
        """The choice lettered ``key``, or None."""
        for c in self.choices:
            if c.key == key:
                return c
        return None

    @property
    def letters(self) -> tuple[str, ...]:
        """The choice letters, in the order written."""
        return tuple(c.key for c in self.choices)


@dataclass(frozen=True)
class Quiz:
    """One quiz file."""

    id: str
    title: str
    questions: tuple[Question, ...]
    path: str = "<string>"
    description: str = ""
    where: Location | None = field(default=None, compare=False, repr=False)

    def question(self, qid: str) -> Question | None:
        """The question with id ``qid``, or None."""
        for q in self.questions:
            if q.id == qid:
                return q
        return None

    @property
    def points(self) -> float:
        """The most a learner can score."""
        return sum(q.points for q in self.questions)


@dataclass(frozen=True)
class Outcome:
    """What one replayed command did: the host, the line as shown and the sandbox's result."""

    host: str
    shown: str
    exit_code: int
    stdout: str
    stderr: str
    #: Both streams in the order they were written, as a terminal shows them.
    output: str = ""
    #: ``(stream, text)`` pieces in the order written (the sandbox's ``Result.chunks``).
    chunks: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Key:
    """The answer the replay decided for one variant of a question, with the evidence behind it.

    ``value`` is a tuple of letters for letter kinds, a string or exit code for ``output``, the solution's command
    lines for ``task``. ``problems`` lists what ``check`` must report (ambiguity, unexpected setup failures).
    """

    question_id: str
    variant: int
    value: Answer
    transcript: tuple[str, ...] = ()
    by_choice: tuple[tuple[str, tuple[str, ...]], ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grade:
    """One graded answer. ``reason`` says why a malformed answer scored 0 without a replay; None otherwise."""

    quiz_id: str
    question_id: str
    variant: int
    score: float
    max_score: float
    correct: bool
    answer: Answer
    key: Answer
    feedback: str
    explain: str = ""
    evidence: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    reason: str | None = None
    #: The author's letters in the order this learner saw them, when that differs from the order written
    #: (``answer`` and ``key`` are always in the author's letters; the feedback text speaks the learner's).
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizGrade:
    """All grades of one learner's answers to one quiz."""

    quiz_id: str
    learner: str | None
    grades: tuple[Grade, ...]

    @property
    def score(self) -> float:
        """The sum of the question scores."""
        return round(sum(g.score for g in self.grades), 4)

    @property
    def max_score(self) -> float:
        """The most the quiz could give."""
        return round(sum(g.max_score for g in self.grades), 4)


class Problem(str):
    """What ``check`` reports about a question, as text, with the place in the file it is about when known
    (the failing field's line and path, as load errors give them). Compares as its text."""

    where: Location | None

    def __new__(cls, text: str, where: Location | None = None) -> Problem:
        made = super().__new__(cls, text)
        made.where = where
        return made

    def __reduce__(self):
        return (Problem, (str(self), self.where))

    def located(self, path: str, line: int) -> str:
        """``FILE:LINE: field 'PATH': text``; the question's ``path`` and ``line`` when the problem has no place."""
        if self.where is None:
            return f"{path}:{line}: {self}"
        return f"{self.where.path}:{self.where.line}: field '{self.where.field}': {self}"
