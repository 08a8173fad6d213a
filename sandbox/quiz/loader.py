"""Quiz files (YAML) to ``Quiz`` values, with errors that name the file, the line and the field.

The file is composed, never constructed, by ``yamlfile.py`` (so no tag in a quiz file can ever run Python), and the
reader below walks the node tree: strings are taken as written (``on``, ``no``, ``1.10`` stay strings, as YAML 1.2
editors show them), and any tag besides the core ones is refused. ``docs/quiz-format.md`` documents the format and
its caps.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sandbox.quiz.commands import check_reference, check_references, split_prompt, words
from sandbox.quiz.errors import CommandLineError, QuizFileError
from sandbox.quiz.model import (
    ASKS,
    CHECK_MODIFIERS,
    CHECKS,
    DEFAULT_HOST,
    KINDS,
    MAX_CHECKS,
    MAX_CHOICES,
    MAX_COMMANDS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_LINE_CHARS,
    MAX_QUESTIONS,
    MAX_TEXT_CHARS,
    MAX_VARIANTS,
    MAX_YAML_NODES,
    SCORINGS,
    SELECTS,
    STATUSES,
    Choice,
    Command,
    Forbid,
    Location,
    Question,
    Quiz,
    StateCheck,
)
from sandbox.quiz.variables import UndefinedVariable, assignment, placeholders, resolve, variant_count
from sandbox.quiz.yamlfile import (
    SCALARS,
    TAG,
    Kind,
    NodeReader,
    choices_text,
    compose,
    decode,
    read,
    kind_of,
)
from sandbox.suggest import closest

QUIZ = Kind(QuizFileError, "quiz", "quiz files", MAX_FILE_BYTES, MAX_YAML_NODES)
#: Ids of quizzes and questions: what a URL, a file name and a gradebook column can all hold.
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
HOST = re.compile(r"[a-z][a-z0-9-]{0,62}")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: A file written into the host's working directory: a relative path without ``..``.
FILE_NAME = re.compile(r"(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9._][A-Za-z0-9._/-]{0,254}")
LETTER = re.compile(r"[a-z]")
#: First words a setup, solution or output command may start with: docker and the sandbox's few shell niceties.
PROGRAMS = ("docker", "echo", "cat", "ls")

QUIZ_FIELDS = ("quiz", "title", "description", "shuffle", "questions")
COMMON_FIELDS = ("id", "kind", "prompt", "points", "explain", "host", "vars")
REPLAY_FIELDS = ("files", "setup")
KIND_FIELDS = {
    "which-fails": REPLAY_FIELDS + ("choices", "select", "scoring", "shuffle", "answer"),
    "which-succeeds": REPLAY_FIELDS + ("choices", "select", "scoring", "shuffle", "answer"),
    "outcome": REPLAY_FIELDS + ("choices", "select", "scoring", "shuffle", "answer"),
    "output": REPLAY_FIELDS + ("command", "ask", "answer"),
    "task": REPLAY_FIELDS + ("goal", "forbid", "max_commands", "solution"),
    "choice": ("choices", "select", "scoring", "shuffle", "answer"),
}
KIND_REQUIRED = {
    "which-fails": ("choices", "answer"),
    "which-succeeds": ("choices", "answer"),
    "outcome": ("choices", "answer"),
    "output": ("command", "answer"),
    "task": ("goal", "solution"),
    "choice": ("choices", "answer"),
}
COMMAND_FIELDS = ("run", "on", "stdin", "fails")


def quiz_files(paths: Iterable[str | Path]) -> list[Path]:
    """The quiz files named by ``paths``: files as given, directories as their ``*.yaml``/``*.yml`` files, sorted.

    Raises ``QuizFileError`` for a path that does not exist.
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file()))
        elif p.is_file():
            found.append(p)
        else:
            raise QuizFileError(str(p), 0, None, "no such file or directory")
    return found


def load_all(paths: Iterable[str | Path]) -> list[Quiz]:
    """Every quiz under ``paths``; raises ``QuizFileError`` for the first bad file or a quiz id used twice."""
    quizzes: list[Quiz] = []
    seen: dict[str, Quiz] = {}
    for f in quiz_files(paths):
        quiz = load_file(f)
        if quiz.id in seen:
            line = quiz.where.line if quiz.where else 1
            raise QuizFileError(str(f), line, "quiz", f"quiz id {quiz.id!r} is already used by {seen[quiz.id].path}")
        seen[quiz.id] = quiz
        quizzes.append(quiz)
    return quizzes


def load_file(path: str | Path) -> Quiz:
    """The quiz in one file; raises ``QuizFileError`` if it is too big, not UTF-8, not YAML or not a quiz."""
    return parse_bytes(read(path, QUIZ), str(path))


def parse_bytes(data: bytes, path: str = "<string>") -> Quiz:
    """The quiz in ``data`` (UTF-8, optionally with a BOM); raises ``QuizFileError``."""
    text = decode(data, path, QUIZ)
    return parse(text, path)


def parse(text: str, path: str = "<string>") -> Quiz:
    """The quiz in ``text``; raises ``QuizFileError`` naming the line and field of the first problem."""
    return _Reader(path).quiz(_compose(text, path))


def plain(text: str, path: str = "<string>") -> Any:
    """The file as plain data read the way the quiz reader reads it (keys as written, so ``on`` stays a string).

    For JSON Schema validation and tools; raises ``QuizFileError`` for what is not YAML or uses foreign tags.
    """
    root = _compose(text, path)
    _Reader(path).vet(root)

    def value(node: Node) -> Any:
        if isinstance(node, MappingNode):
            return {str(k.value): value(v) for k, v in node.value}
        if isinstance(node, SequenceNode):
            return [value(v) for v in node.value]
        if node.tag in (TAG + "str", TAG + "timestamp"):
            return str(node.value)
        return SCALARS.construct_object(node)

    return value(root)


def _compose(text: str, path: str) -> Node:
    root = compose(text, path, QUIZ)
    if root is None:
        raise QuizFileError(path, 1, None, "the file is empty; expected a mapping with 'quiz', 'title' and 'questions'")
    return root


def dump_submission(learner: str, quiz_id: str, answers: dict[str, Any], submitted_at: datetime | None = None,
                    attempts: dict[str, int] | None = None, shown: Iterable[str] = ()) -> str:
    """A submission file (the grading format: ``learner``, ``quiz``, ``answers``) as YAML text.

    With ``submitted_at`` (an aware time) the file says when it was saved, so the gradebook keeps the newer of two
    files a learner hands in whatever order they are graded in. ``attempts`` (question id -> submissions made) and
    ``shown`` (questions whose answer the learner asked to see) record how each answer was reached.
    """
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    document: dict[str, Any] = {"learner": learner, "quiz": quiz_id}
    if submitted_at is not None:
        document["submitted_at"] = submitted_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    document["answers"] = plain
    if attempts:
        document["attempts"] = dict(attempts)
    shown = list(shown)
    if shown:
        document["shown"] = shown
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)


def load_submission(text: str, path: str = "<string>") -> Any:
    """A submission file (YAML) as plain data, read as safely as a quiz file: composed, never constructed.

    Scalars stay as written (``1.10``, ``on`` and ``007`` are text; ``null`` and ``~`` are None), so an answer
    reaches the grader as the learner typed it; the shape is for the caller to judge. Raises ``QuizFileError``
    for text over the size cap, what is not YAML, a tag such as ``!!python/object``, an alias bomb, a repeated key.
    """
    try:
        root = _compose(text, path)
        reader = _Reader(path)
        reader.vet(root)
    except QuizFileError as e:
        problem = e.problem.replace("in a quiz file", "in a submission").replace("on quiz files", "on submissions")
        if problem.startswith("the file is empty"):
            problem = "the file is empty; expected a mapping with learner, quiz and answers"
        raise QuizFileError(e.path, e.line, e.field, problem) from None

    def value(node: Node, field: str) -> Any:
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            for k, v in node.value:
                if not isinstance(k, ScalarNode) or k.tag == TAG + "null":
                    raise reader.fail(k, field or None, "expected a plain name as key")
                sub = f"{field}.{k.value}" if field else str(k.value)
                if k.value in out:
                    raise reader.fail(k, sub, "repeated key")
                out[str(k.value)] = value(v, sub)
            return out
        if isinstance(node, SequenceNode):
            return [value(v, f"{field}[{i}]") for i, v in enumerate(node.value)]
        return None if node.tag == TAG + "null" else str(node.value)

    return value(root, "")


class _Reader(NodeReader):
    """Walks one composed quiz file, building model values and failing on the first problem with its line and field."""

    kind = QUIZ
    text_cap = MAX_TEXT_CHARS

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.var_names: frozenset[str] = frozenset()
        #: The quiz's ``shuffle:``, each question's default.
        self.shuffle = True

    def where(self, node: Node, field: str) -> Location:
        return Location(self.path, node.start_mark.line + 1, field)

    def text(self, node: Node, field: str, *, empty: bool = False, multiline: bool = True,
             cap: int = MAX_TEXT_CHARS, templated: bool = True) -> str:
        """A scalar as written; ``${name}`` placeholders must name the question's variables."""
        value = self.scalar_text(node, field, empty=empty, multiline=multiline, cap=cap)
        if templated:
            for name in placeholders(value):
                if name is None:
                    raise self.fail(node, field, "'${' starts no placeholder; write '$${' for a literal '${'")
                if name not in self.var_names:
                    defined = ", ".join(sorted(self.var_names)) or "nothing"
                    raise self.fail(
                        node, field, f"variable ${{{name}}} is not defined (vars defines {defined}); "
                        f"write '$${{{name}}}' for a literal"
                    )
        return value

    def number(self, node: Node, field: str) -> float:
        if not isinstance(node, ScalarNode) or node.tag not in (TAG + "int", TAG + "float"):
            raise self.fail(node, field, f"expected a number, got {kind_of(node)}")
        value = SCALARS.construct_object(node)
        if not 0 < value <= 1000:
            raise self.fail(node, field, f"expected a number above 0 and at most 1000, got {node.value}")
        return value

    # -- the format ---------------------------------------------------------------------------------------------
    def quiz(self, root: Node) -> Quiz:
        self.vet(root)
        if not isinstance(root, MappingNode):
            raise self.fail(root, None, f"expected a quiz (a mapping with 'quiz', 'title' and 'questions'), got {kind_of(root)}")
        top = self.mapping(root, "", QUIZ_FIELDS, ("quiz", "title", "questions"))
        quiz_id = self.ident(top["quiz"][1], "quiz", ID, "an id of lowercase letters, digits and '-'")
        title = self.text(top["title"][1], "title", multiline=False, templated=False)
        description = ""
        if "description" in top:
            description = self.text(top["description"][1], "description", templated=False)
        if "shuffle" in top:
            self.shuffle = self.boolean(top["shuffle"][1], "shuffle")
        items = self.sequence(top["questions"][1], "questions", MAX_QUESTIONS)
        questions: list[Question] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            q = self.question(item, f"questions[{i}]")
            if q.id in seen:
                raise self.fail(
                    self.mapping_node(item, "id"), f"questions[{i}].id",
                    f"duplicate question id {q.id!r}; questions[{seen[q.id]}] already uses it",
                )
            seen[q.id] = i
            questions.append(q)
        return Quiz(quiz_id, title, tuple(questions), self.path, description, self.where(top["quiz"][1], "quiz"))

    @staticmethod
    def mapping_node(node: MappingNode, name: str) -> Node:
        return next(v for k, v in node.value if k.value == name)

    def question(self, node: Node, f: str) -> Question:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a question (a mapping), got {kind_of(node)}")
        names = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
        if "kind" not in names:
            raise self.fail(node, f"{f}.kind", f"missing; expected one of {choices_text(KINDS)}")
        kind = self.one_of(names["kind"], f"{f}.kind", KINDS)
        why = {
            other: f" in a {kind} question (it belongs to {', '.join(k for k in KINDS if other in KIND_FIELDS[k])})"
            for fields in KIND_FIELDS.values() for other in fields if other not in KIND_FIELDS[kind]
        }
        m = self.mapping(node, f, COMMON_FIELDS + KIND_FIELDS[kind], ("id", "kind", "prompt") + KIND_REQUIRED[kind], why)
        self.var_names = frozenset()
        vars_ = self.variables(m["vars"][1], f"{f}.vars") if "vars" in m else ()
        self.var_names = frozenset(name for name, _ in vars_)
        qid = self.ident(m["id"][1], f"{f}.id", ID, "an id of lowercase letters, digits and '-'")
        fields: dict[str, Any] = {
            "id": qid,
            "kind": kind,
            "prompt": self.text(m["prompt"][1], f"{f}.prompt"),
            "vars": vars_,
            "where": self.where(node, f),
        }
        if "points" in m:
            fields["points"] = self.number(m["points"][1], f"{f}.points")
        if "explain" in m:
            fields["explain"] = self.text(m["explain"][1], f"{f}.explain", empty=True)
        host = DEFAULT_HOST
        if "host" in m:
            host = fields["host"] = self.ident(m["host"][1], f"{f}.host", HOST, "a host name such as server")
        if "files" in m:
            fields["files"] = self.files(m["files"][1], f"{f}.files")
        if "setup" in m:
            items = self.sequence(m["setup"][1], f"{f}.setup", MAX_COMMANDS, empty=True)
            fields["setup"] = tuple(
                self.command(c, f"{f}.setup[{j}]", docker=True, may_fail=True) for j, c in enumerate(items)
            )
        select = "one"
        if "select" in m:
            select = fields["select"] = self.one_of(m["select"][1], f"{f}.select", SELECTS)
        if "choices" in m:
            fields["choices"] = self.choices(m["choices"][1], f"{f}.choices", kind, host)
        if kind in ("which-fails", "which-succeeds", "outcome", "choice"):
            fields["answer"] = self.letters(m["answer"][1], f"{f}.answer", select, fields["choices"])
            fields["answer_where"] = self.where(m["answer"][1], f"{f}.answer")
            fields["shuffle"] = self.boolean(m["shuffle"][1], f"{f}.shuffle") if "shuffle" in m else self.shuffle
        if "scoring" in m:
            fields["scoring"] = self.one_of(m["scoring"][1], f"{f}.scoring", SCORINGS)
            if fields["scoring"] == "partial" and select != "many":
                raise self.fail(m["scoring"][1], f"{f}.scoring", "partial credit needs select: many (one letter is "
                                "right or wrong)")
        if kind == "output":
            fields["command"] = self.command(m["command"][1], f"{f}.command", docker=True)
            a = m["answer"][1]
            if "ask" not in m and isinstance(a, ScalarNode) and a.tag == TAG + "int":
                raise self.fail(node, f"{f}.ask", "missing; a whole-number answer needs ask: exit-code (without ask, "
                                "the learner predicts what the command prints)")
            ask = fields["ask"] = self.one_of(m["ask"][1], f"{f}.ask", ASKS) if "ask" in m else "output"
            if ask == "exit-code":
                fields["answer"] = self.integer(a, f"{f}.answer", 0, 255)
            else:
                fields["answer"] = self.text(a, f"{f}.answer", empty=True)
            fields["answer_where"] = self.where(a, f"{f}.answer")
        if kind == "task":
            fields["goal"] = self.checks(m["goal"][1], f"{f}.goal")
            if "forbid" in m:
                fields["forbid"] = self.forbids(m["forbid"][1], f"{f}.forbid")
            if "max_commands" in m:
                fields["max_commands"] = self.integer(m["max_commands"][1], f"{f}.max_commands", 1, MAX_COMMANDS)
            items = self.sequence(m["solution"][1], f"{f}.solution", MAX_COMMANDS)
            allowed = fields.get("max_commands", MAX_COMMANDS)
            if len(items) > allowed:
                raise self.fail(items[allowed], f"{f}.solution", f"{len(items)} commands, but max_commands is "
                                f"{allowed}: the solution itself would score 0, and so would every learner who "
                                "follows it")
            fields["solution"] = tuple(
                self.command(c, f"{f}.solution[{j}]", docker=True) for j, c in enumerate(items)
            )
        question = Question(**fields)
        self.variants(question, node, f, host)
        return question

    def variables(self, node: Node, f: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a mapping of variable name to a list of values, got {kind_of(node)}")
        out: list[tuple[str, tuple[str, ...]]] = []
        count = 1
        seen: set[str] = set()
        for k, v in node.value:
            name = self.ident(k, f, VARIABLE, "a variable name (letters, digits, '_')")
            if name in seen:
                raise self.fail(k, f"{f}.{name}", "repeated variable")
            seen.add(name)
            items = self.sequence(v, f"{f}.{name}", MAX_VARIANTS)
            values = tuple(
                self.text(x, f"{f}.{name}[{i}]", multiline=False, cap=256, templated=False)
                for i, x in enumerate(items)
            )
            if len(set(values)) != len(values):
                raise self.fail(v, f"{f}.{name}", "a value is listed twice")
            count *= len(values)
            if count > MAX_VARIANTS:
                raise self.fail(v, f"{f}.{name}", f"the variables span {count}+ variants; the cap is {MAX_VARIANTS}")
            out.append((name, values))
        if not out:
            raise self.fail(node, f, "expected at least one variable")
        return tuple(out)

    def files(self, node: Node, f: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a mapping of file name to contents, got {kind_of(node)}")
        if len(node.value) > MAX_FILES:
            raise self.fail(node, f, f"more than {MAX_FILES} files (the cap)")
        out = []
        seen: set[str] = set()
        for k, v in node.value:
            name = self.text(k, f, multiline=False, cap=255)
            if not FILE_NAME.fullmatch(name.replace("${", "x").replace("}", "")):
                raise self.fail(k, f"{f}.{name}", "expected a relative file name without '..' (such as Dockerfile)")
            if name in seen:
                raise self.fail(k, f"{f}.{name}", "repeated file")
            seen.add(name)
            out.append((name, self.text(v, f"{f}.{name}", empty=True)))
        return tuple(out)

    def command(self, node: Node, f: str, *, docker: bool = False, may_fail: bool = False) -> Command:
        """A command line, or ``{run: LINE, on: HOST, stdin: TEXT}`` (``fails: true`` in setups)."""
        if isinstance(node, MappingNode):
            allowed = COMMAND_FIELDS if may_fail else tuple(x for x in COMMAND_FIELDS if x != "fails")
            m = self.mapping(node, f, allowed, ("run",))
            run_node = m["run"][1]
            line = self.line(run_node, f"{f}.run")
            on = self.ident(m["on"][1], f"{f}.on", HOST, "a host name such as server") if "on" in m else None
            stdin = self.text(m["stdin"][1], f"{f}.stdin", empty=True) if "stdin" in m else None
            fails = self.boolean(m["fails"][1], f"{f}.fails") if "fails" in m else False
            field = f"{f}.run"
        else:
            run_node, field = node, f
            on, line = split_prompt(self.line(node, f))
            stdin, fails = None, False
        where = self.where(run_node, field)
        self.shape(run_node, field, line, docker=docker)
        return Command(line, on, stdin, fails, where)

    def line(self, node: Node, f: str) -> str:
        value = self.text(node, f, multiline=False, cap=MAX_LINE_CHARS)
        return value.strip()

    def shape(self, node: Node, f: str, line: str, *, docker: bool) -> None:
        try:
            w = words(line)
        except CommandLineError as e:
            raise self.fail(node, f, str(e)) from None
        if not w:
            raise self.fail(node, f, "expected a command line")
        if docker and w[0] not in PROGRAMS:
            raise self.fail(node, f, f"expected a docker command line (or {', '.join(PROGRAMS[1:])}), got {w[0]!r}")

    def choices(self, node: Node, f: str, kind: str, host: str) -> tuple[Choice, ...]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a mapping of letters (a, b, c...) to choices, got {kind_of(node)}")
        if len(node.value) < 2:
            raise self.fail(node, f, "expected at least two choices")
        if len(node.value) > MAX_CHOICES:
            raise self.fail(node, f, f"more than {MAX_CHOICES} choices (the cap)")
        out: list[Choice] = []
        seen: set[str] = set()
        for k, v in node.value:
            key = str(k.value) if isinstance(k, ScalarNode) else ""
            if not LETTER.fullmatch(key):
                raise self.fail(k, f, f"expected a lowercase letter as choice key, got {kind_of(k)}")
            if key in seen:
                raise self.fail(k, f"{f}.{key}", "repeated choice letter")
            seen.add(key)
            sub = f"{f}.{key}"
            if kind in ("which-fails", "which-succeeds"):
                cmd = self.command(v, sub)
                text = cmd.shown(host).removeprefix("$ ")
                out.append(Choice(key, text, command=cmd, where=self.where(v, sub)))
            elif kind == "outcome":
                m = self.mapping(v, sub, ("text", "holds"), ("text", "holds"))
                text = self.text(m["text"][1], f"{sub}.text")
                holds = self.checks(m["holds"][1], f"{sub}.holds")
                out.append(Choice(key, text, holds=holds, where=self.where(v, sub)))
            else:
                out.append(Choice(key, self.text(v, sub), where=self.where(v, sub)))
        return tuple(out)

    def letters(self, node: Node, f: str, select: str, choices: tuple[Choice, ...]) -> str | tuple[str, ...]:
        keys = tuple(c.key for c in choices)

        def letter(n: Node, field: str) -> str:
            if not isinstance(n, ScalarNode) or n.tag == TAG + "null" or str(n.value) not in keys:
                raise self.fail(n, field, f"expected one of {choices_text(keys)}, got {kind_of(n)}")
            return str(n.value)

        if select == "one":
            if not isinstance(node, ScalarNode):
                raise self.fail(node, f, f"expected one letter (select: one), got {kind_of(node)}")
            return letter(node, f)
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f, f"expected a list of letters (select: many), got {kind_of(node)}")
        got = tuple(letter(n, f"{f}[{i}]") for i, n in enumerate(node.value))
        if len(set(got)) != len(got):
            raise self.fail(node, f, "a letter is listed twice")
        return tuple(sorted(got))

    def checks(self, node: Node, f: str) -> tuple[StateCheck, ...]:
        items = self.sequence(node, f, MAX_CHECKS)
        return tuple(self.check(n, f"{f}[{i}]") for i, n in enumerate(items))

    def check(self, node: Node, f: str) -> StateCheck:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f, f"expected a state check such as 'image: myimage', got {kind_of(node)}")
        names = [k.value for k, _ in node.value if isinstance(k, ScalarNode)]
        kinds = [n for n in names if n in CHECKS]
        if len(kinds) != 1:
            unknown = [n for n in names if n not in CHECKS and n != "host"
                       and not any(n in mods for mods in CHECK_MODIFIERS.values())]
            if unknown:
                close = closest(str(unknown[0]), CHECKS, scaled=True)
                hint = f" (did you mean {close!r}?)" if close else ""
                raise self.fail(node, f"{f}.{unknown[0]}", f"unknown state check{hint}; expected one of {choices_text(CHECKS)}")
            problem = "names no state check" if not kinds else f"names {len(kinds)} state checks ({', '.join(kinds)})"
            raise self.fail(node, f, f"{problem}; expected exactly one of {choices_text(CHECKS)}")
        kind = kinds[0]
        m = self.mapping(node, f, (kind, "host") + CHECK_MODIFIERS[kind])
        v = m[kind][1]
        sub = f"{f}.{kind}"
        if kind == "last-exit":
            subject = str(self.integer(v, sub, 0, 255))
        elif kind in ("logged-in", "logged-out"):
            subject = self.text(v, sub, multiline=False, empty=True, cap=256)
        else:
            subject = self.text(v, sub, multiline=kind in ("stdout-has", "stderr-has"), cap=MAX_LINE_CHARS)
        return StateCheck(
            check=kind,
            subject=subject,
            host=self.ident(m["host"][1], f"{f}.host", HOST, "a host name such as server") if "host" in m else None,
            status=self.one_of(m["status"][1], f"{f}.status", STATUSES) if "status" in m else None,
            user=self.text(m["user"][1], f"{f}.user", multiline=False, cap=256) if "user" in m else None,
            same_as=self.text(m["same-as"][1], f"{f}.same-as", multiline=False, cap=256) if "same-as" in m else None,
            where=self.where(v, sub),
            host_where=self.where(m["host"][1], f"{f}.host") if "host" in m else None,
        )

    def forbids(self, node: Node, f: str) -> tuple[Forbid, ...]:
        out = []
        for i, n in enumerate(self.sequence(node, f, MAX_CHECKS)):
            sub = f"{f}[{i}]"
            because = ""
            if isinstance(n, MappingNode):
                m = self.mapping(n, sub, ("words", "because"), ("words",))
                n, sub = m["words"][1], f"{sub}.words"
                because = self.text(m["because"][1], f"{f}[{i}].because") if "because" in m else ""
            text = self.text(n, sub, multiline=False, cap=256)
            try:
                split = tuple(words(text))
            except CommandLineError as e:
                raise self.fail(n, sub, str(e)) from None
            if not split:
                raise self.fail(n, sub, "expected the words a command must not contain, such as --force")
            out.append(Forbid(split, because, self.where(n, sub)))
        return tuple(out)

    # -- what only a filled-in variant can show -------------------------------------------------------------------
    def variants(self, question: Question, node: Node, f: str, host: str) -> None:
        """Fill every variant in and check the image references its commands and checks name."""
        for v in range(variant_count(question)):
            try:
                q = resolve(question, v)
            except UndefinedVariable as e:  # the reader checks every templated field; this is a backstop
                raise self.fail(node, f, f"variable {e.name!r} is not defined") from None
            commands = list(q.setup) + list(q.solution) + ([q.command] if q.command else [])
            for c in commands:
                if c.fails:
                    continue
                try:
                    check_references(c.line)
                except CommandLineError as e:
                    raise self._at(c.where, node, f, self._variant_note(q, e)) from None
            for check in list(q.goal) + [h for c in q.choices for h in c.holds]:
                if check.check in ("image", "no-image", "pushed", "not-pushed"):
                    refs = [check.subject] + ([check.same_as] if check.same_as else [])
                else:
                    refs = [check.same_as] if check.same_as else []
                for ref in refs:
                    try:
                        check_reference(ref)
                    except CommandLineError as e:
                        raise self._at(check.where, node, f, self._variant_note(q, e)) from None

    @staticmethod
    def _variant_note(q: Question, e: CommandLineError) -> str:
        if not q.vars:
            return str(e)
        values = ", ".join(f"{k}={v}" for k, v in assignment(q, q.variant or 0).items())
        return f"{e} (in the variant {values})"

    def _at(self, where: Location | None, node: Node, f: str, problem: str) -> QuizFileError:
        if where is None:
            return self.fail(node, f, problem)
        return QuizFileError(where.path, where.line, where.field, problem)
