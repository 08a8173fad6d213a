"""The shell language as POSIX (XCU 2.3-2.10) defines it: a tokenizer and a parser to a syntax tree.

Words keep their raw text, quotes included: expansion (``expansion.py``) reads quoting and ``$`` when the word is
about to be used, as a shell does. The tokenizer only has to find where a word ends, so it skips over quotes,
``$(...)``, ``${...}`` and backquotes without interpreting them.

Grammar (simplified from XCU 2.10.2)::

    program      := linebreak [list] EOF
    list         := and_or ((';' | '&' | newline) linebreak and_or)* [';' | '&']
    and_or       := pipeline (('&&' | '||') linebreak pipeline)*
    pipeline     := ['!'] command ('|' linebreak command)*
    command      := simple | compound redirect* | NAME '(' ')' linebreak compound redirect*
    compound     := '{' list '}' | '(' list ')' | if | for | while | until | case

Errors are `ShellSyntaxError`s that carry the facts (the token met, what was expected, the line); each shell
flavour words them its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

#: Operators, longest first, as the tokenizer tries them.
OPERATORS = ("<<-", "&&", "||", ";;", "<<", ">>", ">&", "<&", ">|", "<>", "|", "&", ";", "<", ">", "(", ")")
#: Words that are reserved in command position (XCU 2.4).
RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
                      "in", "{", "}", "!"})
_OPERATOR = re.compile("|".join(re.escape(op) for op in OPERATORS))
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
def is_number(text: str) -> bool:
    """Whether ``text`` is a decimal number as the shell reads one (a redirect's fd, ``exit 3``, ``$1``): ASCII digits
    only, since Python's ``str.isdigit`` also takes ``²`` or ``٣``, which ``int`` then refuses."""
    return text.isascii() and text.isdigit()


#: How deeply compound commands and substitutions may nest: a shell has a stack, a sandbox line must stay cheap.
MAX_NESTING = 100


class ShellSyntaxError(Exception):
    """A script the shell cannot parse: ``token`` met (None at end of input), ``expecting`` what, on ``line``."""

    def __init__(self, token: str | None, line: int, expecting: str | None = None, quote: str | None = None,
                 in_redirect: bool = False) -> None:
        super().__init__(token, line, expecting, quote)
        self.token, self.line, self.expecting, self.quote = token, line, expecting, quote
        #: the error is a redirection's missing target (bash words that one differently at the end of input)
        self.in_redirect = in_redirect


# --- the syntax tree ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """``[fd]op target``: ``op`` is one of ``< > >> >| <> >& <& << <<-``; a here-document carries its body."""

    fd: int
    op: str
    target: str
    heredoc: str | None = None
    heredoc_expands: bool = True


@dataclass(frozen=True)
class Simple:
    """A simple command: assignments, words (raw), redirections, and the line it starts on."""

    assignments: tuple[str, ...]
    words: tuple[str, ...]
    redirects: tuple[Redirect, ...]
    line: int


@dataclass(frozen=True)
class Pipeline:
    commands: tuple[object, ...]
    negated: bool = False


@dataclass(frozen=True)
class AndOr:
    """``first (&& | ||) next ...``: ``rest`` pairs each operator with its pipeline."""

    first: Pipeline
    rest: tuple[tuple[str, Pipeline], ...] = ()


@dataclass(frozen=True)
class List:
    """Commands run in turn; ``background`` marks those ended by ``&``."""

    items: tuple[tuple[AndOr, bool], ...]


@dataclass(frozen=True)
class If:
    clauses: tuple[tuple[List, List], ...]
    otherwise: List | None


@dataclass(frozen=True)
class For:
    name: str
    items: tuple[str, ...] | None  # None: ``for x; do`` loops over "$@"
    body: List


@dataclass(frozen=True)
class Loop:
    until: bool
    condition: List
    body: List


@dataclass(frozen=True)
class Case:
    word: str
    arms: tuple[tuple[tuple[str, ...], List], ...]


@dataclass(frozen=True)
class Group:
    body: List
    subshell: bool


@dataclass(frozen=True)
class FunctionDef:
    name: str
    body: object


@dataclass(frozen=True)
class Compound:
    """A compound command with redirections applied around it."""

    command: object
    redirects: tuple[Redirect, ...]


EMPTY = List(())


# --- tokens ---------------------------------------------------------------------------------------------------


@dataclass
class Token:
    kind: str  # "word", "op", "newline", "io" (an IO_NUMBER), "eof"
    text: str
    line: int
    heredoc: list = field(default_factory=list)  # for << and <<-: [body, expands] once read


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens. Raises `ShellSyntaxError` for an unterminated quote or substitution."""
    tokens: list[Token] = []
    pending: list[tuple[Token, str, bool]] = []  # here-documents waiting for the end of their line
    i, n, line = 0, len(text), 1
    while i < n:
        ch = text[i]
        if ch in " \t":
            i += 1
        elif ch == "\\" and text.startswith("\\\n", i):
            i, line = i + 2, line + 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif ch == "\n":
            tokens.append(Token("newline", "\n", line))
            i, line = i + 1, line + 1
            for token, delimiter, strip in pending:
                i, line, body = _heredoc_body(text, i, line, delimiter, strip)
                token.heredoc[:] = [body, token.heredoc[1]]
            pending.clear()
        else:
            match = _OPERATOR.match(text, i)
            operator = match.group(0) if match else None
            if operator is not None:
                tokens.append(Token("op", operator, line))
                i += len(operator)
                if operator in ("<<", "<<-"):
                    i, line, word = _read_heredoc_word(text, i, line)
                    if word is None:
                        continue
                    tokens.append(Token("word", word, line))
                    delimiter = _unquote(word)
                    tokens[-2].heredoc = [None, delimiter == word]
                    pending.append((tokens[-2], delimiter, operator == "<<-"))
                continue
            start = i
            i, line = scan_word(text, i, line)
            word = text[start:i]
            if is_number(word) and i < n and text[i] in "<>":
                tokens.append(Token("io", word, line))
            else:
                tokens.append(Token("word", word, line))
    for token, delimiter, strip in pending:  # a here-document at the end of the input ends there (with a warning)
        token.heredoc[:] = ["", token.heredoc[1]]
    tokens.append(Token("eof", "", line))
    return tokens


def _read_heredoc_word(text: str, i: int, line: int) -> tuple[int, int, str | None]:
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] in "\n;&|<>()":
        return i, line, None
    start = i
    i, line = scan_word(text, i, line)
    return i, line, text[start:i]


def _heredoc_body(text: str, i: int, line: int, delimiter: str, strip: bool) -> tuple[int, int, str]:
    lines = []
    while i < len(text):
        end = text.find("\n", i)
        end = len(text) if end == -1 else end
        current = text[i:end]
        i, line = end + 1, line + 1
        if strip:
            current = current.lstrip("\t")
        if current == delimiter:
            return i, line, "".join(lines)
        lines.append(current + "\n")
    return len(text), line, "".join(lines)


def _unquote(word: str) -> str:
    return re.sub(r"\\(.)|'([^']*)'|\"((?:[^\"\\]|\\.)*)\"", lambda m: m.group(1) or m.group(2) or m.group(3) or "",
                  word)


def scan_word(text: str, i: int, line: int) -> tuple[int, int]:
    """The end of the word that starts at ``text[i]``, skipping quotes and substitutions; (index, line)."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\n;&|<>()":
            return i, line
        i, line = skip_unit(text, i, line)
    return i, line


def skip_unit(text: str, i: int, line: int, depth: int = 0) -> tuple[int, int]:
    """Skip one quoted string, substitution, escape or plain character starting at ``text[i]``."""
    if depth > MAX_NESTING:
        raise ShellSyntaxError("(", line, expecting="nesting")
    n = len(text)
    ch = text[i]
    if ch == "\\":
        return min(i + 2, n), line + (text[i + 1:i + 2] == "\n")
    if ch == "'":
        end = text.find("'", i + 1)
        if end == -1:
            raise ShellSyntaxError(None, line, quote="'")
        return end + 1, line + text.count("\n", i, end)
    if ch == '"':
        j = i + 1
        while j < n and text[j] != '"':
            if text[j] == "\\":
                line += text[j + 1:j + 2] == "\n"
                j += 2
            elif text[j] in "$`":
                j, line = skip_unit(text, j, line, depth + 1)
            else:
                line += text[j] == "\n"
                j += 1
        if j >= n:
            raise ShellSyntaxError(None, line, quote='"')
        return j + 1, line
    if ch == "`":
        j = i + 1
        while j < n and text[j] != "`":
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            raise ShellSyntaxError(None, line, quote="`")
        return j + 1, line + text.count("\n", i, j)
    if ch == "$" and text.startswith("${", i):
        j = i + 2
        while j < n and text[j] != "}":
            j, line = skip_unit(text, j, line, depth + 1)
        if j >= n:
            raise ShellSyntaxError(None, line, quote="}")
        return j + 1, line
    if ch == "$" and text.startswith("$(", i):
        return skip_parens(text, i + 2, line, depth)
    return i + 1, line + (ch == "\n")


def skip_parens(text: str, i: int, line: int, depth: int = 0) -> tuple[int, int]:
    """From just inside ``$(``, the index after its matching ``)``."""
    n, level = len(text), 1
    while i < n:
        ch = text[i]
        if ch == "(":
            level += 1
            i += 1
        elif ch == ")":
            level -= 1
            i += 1
            if level == 0:
                return i, line
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            end = text.find("\n", i)
            i = n if end == -1 else end
        else:
            i, line = skip_unit(text, i, line, depth + 1)
    raise ShellSyntaxError(None, line, quote=")")


# --- the parser -----------------------------------------------------------------------------------------------


def parse(text: str) -> List:
    """The syntax tree of a whole script. Raises `ShellSyntaxError`."""
    return _Parser(tokenize(text)).program()


def commands(text: str):
    """The top-level commands of a script, in order; a later syntax error does not stop earlier commands from
    running, as in every shell. Raises `ShellSyntaxError` for the first bad one, when it is reached."""
    parsed, error = _parsed(text)
    yield from parsed
    if error is not None:
        raise error


@lru_cache(maxsize=1024)
def _parsed(text: str) -> tuple[tuple[List, ...], ShellSyntaxError | None]:
    """The commands of ``text`` up to its first syntax error, and that error; cached, since a loop body, a
    function or a replayed quiz line is parsed once (the tree is immutable)."""
    found: list[List] = []
    try:
        for command in _Parser(tokenize(text)).commands():
            found.append(command)
    except ShellSyntaxError as error:
        return tuple(found), error
    return tuple(found), None


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.expecting: list[str | None] = []  # what the enclosing compound command waits for

    # -- token helpers

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def is_op(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.text in ops

    def is_word(self, *words: str) -> bool:
        return self.token.kind == "word" and self.token.text in words

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def linebreak(self) -> None:
        while self.token.kind == "newline":
            self.i += 1

    def unexpected(self, expecting: str | None = None) -> ShellSyntaxError:
        token = self.token
        text = None if token.kind == "eof" else token.text
        return ShellSyntaxError(text, token.line, expecting or (self.expecting[-1] if self.expecting else None))

    def expect_word(self, word: str) -> None:
        if not self.is_word(word):
            raise self.unexpected(expecting=word)
        self.i += 1

    # -- grammar

    def program(self) -> List:
        self.linebreak()
        if self.token.kind == "eof":
            return EMPTY
        body = self.list(stop=())
        if self.token.kind != "eof":
            raise self.unexpected()
        return body

    def commands(self):
        """The top-level commands one at a time, each up to its newline, so a shell can run each as it is read."""
        while True:
            self.linebreak()
            if self.token.kind == "eof":
                return
            body = self.list(stop=(), one_line=True)
            if self.token.kind not in ("newline", "eof"):
                raise self.unexpected()
            yield body

    def list(self, stop: tuple[str, ...], expecting: str | None = None, one_line: bool = False) -> List:
        """Commands up to a reserved word in ``stop`` (or ``)``, ``;;``, end of input; or a newline when
        ``one_line``)."""
        self.expecting.append(expecting)
        try:
            return self._list(stop, expecting, one_line)
        finally:
            self.expecting.pop()

    def _list(self, stop: tuple[str, ...], expecting: str | None, one_line: bool) -> List:
        items: list[tuple[AndOr, bool]] = []
        self.linebreak()
        while True:
            if self.token.kind == "eof" or self.is_op(")", ";;") or (self.token.kind == "word" and
                                                                     self.token.text in stop):
                break
            and_or = self.and_or()
            background = False
            if self.is_op(";", "&"):
                background = self.advance().text == "&"
                items.append((and_or, background))
                if one_line and self.token.kind == "newline":
                    break
                self.linebreak()
                continue
            items.append((and_or, background))
            if self.token.kind == "newline" and not one_line:
                self.linebreak()
                continue
            break
        if not items:
            raise self.unexpected(expecting)
        return List(tuple(items))

    def and_or(self) -> AndOr:
        first = self.pipeline()
        rest = []
        while self.is_op("&&", "||"):
            operator = self.advance().text
            self.linebreak()
            rest.append((operator, self.pipeline()))
        return AndOr(first, tuple(rest))

    def pipeline(self) -> Pipeline:
        negated = False
        if self.is_word("!"):
            negated = True
            self.i += 1
        commands = [self.command()]
        while self.is_op("|"):
            self.i += 1
            self.linebreak()
            commands.append(self.command())
        return Pipeline(tuple(commands), negated)

    def command(self) -> object:
        token = self.token
        if token.kind == "word" and token.text in ("{", "if", "for", "while", "until", "case") or self.is_op("("):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ShellSyntaxError(token.text, token.line, expecting="nesting")
            node = self.compound()
            self.depth -= 1
            redirects = self.redirects()
            return Compound(node, redirects) if redirects else node
        if (token.kind == "word" and NAME.fullmatch(token.text) and token.text not in RESERVED
                and self.tokens[self.i + 1].kind == "op" and self.tokens[self.i + 1].text == "("):
            self.i += 2
            if not self.is_op(")"):
                raise self.unexpected()
            self.i += 1
            self.linebreak()
            if not (self.is_word("{", "if", "for", "while", "until", "case") or self.is_op("(")):
                raise self.unexpected()
            return FunctionDef(token.text, self.command())
        return self.simple()

    def redirects(self) -> tuple[Redirect, ...]:
        found = []
        while self.token.kind == "io" or self.is_op("<", ">", ">>", ">|", "<>", ">&", "<&", "<<", "<<-"):
            found.append(self.redirect())
        return tuple(found)

    def redirect(self) -> Redirect:
        fd = int(self.advance().text) if self.token.kind == "io" else None
        op_token = self.advance()
        if op_token.kind != "op":
            raise ShellSyntaxError(op_token.text, op_token.line)
        op = op_token.text
        if self.token.kind != "word":
            error = self.unexpected()
            error.in_redirect = True
            raise error
        target = self.advance().text
        if fd is None:
            fd = 0 if op in ("<", "<&", "<>", "<<", "<<-") else 1
        if op in ("<<", "<<-"):
            body, expands = op_token.heredoc or ["", True]
            return Redirect(fd, op, target, body or "", expands)
        return Redirect(fd, op, target)

    def simple(self) -> Simple:
        line = self.token.line
        assignments: list[str] = []
        words: list[str] = []
        redirects: list[Redirect] = []
        while True:
            token = self.token
            if token.kind == "io" or self.is_op("<", ">", ">>", ">|", "<>", ">&", "<&", "<<", "<<-"):
                redirects.append(self.redirect())
            elif token.kind == "word" and not (not words and not assignments and token.text in RESERVED
                                                and token.text not in ("{", "}", "!", "in")):
                if not words and ASSIGNMENT.match(token.text):
                    assignments.append(token.text)
                elif not words and not assignments and token.text == "}":
                    break
                else:
                    words.append(token.text)
                self.i += 1
            else:
                break
        if not (assignments or words or redirects):
            raise self.unexpected()
        return Simple(tuple(assignments), tuple(words), tuple(redirects), line)

    def compound(self) -> object:
        token = self.advance()
        keyword = token.text
        if keyword == "(":
            body = self.list(stop=(), expecting=")")
            if not self.is_op(")"):
                raise self.unexpected(expecting=")")
            self.i += 1
            return Group(body, subshell=True)
        if keyword == "{":
            body = self.list(stop=("}",), expecting="}")
            self.expect_word("}")
            return Group(body, subshell=False)
        if keyword == "if":
            clauses = []
            condition = self.list(stop=("then",), expecting="then")
            self.expect_word("then")
            clauses.append((condition, self.list(stop=("elif", "else", "fi"), expecting="fi")))
            otherwise = None
            while self.is_word("elif"):
                self.i += 1
                condition = self.list(stop=("then",), expecting="then")
                self.expect_word("then")
                clauses.append((condition, self.list(stop=("elif", "else", "fi"), expecting="fi")))
            if self.is_word("else"):
                self.i += 1
                otherwise = self.list(stop=("fi",), expecting="fi")
            self.expect_word("fi")
            return If(tuple(clauses), otherwise)
        if keyword in ("while", "until"):
            condition = self.list(stop=("do",), expecting="do")
            self.expect_word("do")
            body = self.list(stop=("done",), expecting="done")
            self.expect_word("done")
            return Loop(keyword == "until", condition, body)
        if keyword == "for":
            if self.token.kind != "word" or not NAME.fullmatch(self.token.text):
                raise self.unexpected()
            name = self.advance().text
            items: tuple[str, ...] | None = None
            self.linebreak()
            if self.is_word("in"):
                self.i += 1
                collected = []
                while self.token.kind == "word":
                    collected.append(self.advance().text)
                items = tuple(collected)
                if not (self.is_op(";") or self.token.kind == "newline"):
                    raise self.unexpected(expecting="do")
                self.i += 1
            elif self.is_op(";"):
                self.i += 1
            self.linebreak()
            self.expect_word("do")
            body = self.list(stop=("done",), expecting="done")
            self.expect_word("done")
            return For(name, items, body)
        # case WORD in [(]pattern[|pattern]...) list ;; ... esac
        if self.token.kind != "word":
            raise self.unexpected()
        word = self.advance().text
        self.linebreak()
        self.expect_word("in")
        self.linebreak()
        arms = []
        while not self.is_word("esac"):
            if self.token.kind == "eof":
                raise self.unexpected(expecting="esac")
            if self.is_op("("):
                self.i += 1
            patterns = []
            while True:
                if self.token.kind != "word":
                    raise self.unexpected()
                patterns.append(self.advance().text)
                if self.is_op("|"):
                    self.i += 1
                    continue
                break
            if not self.is_op(")"):
                raise self.unexpected(expecting=")")
            self.i += 1
            self.linebreak()
            body = EMPTY if self.is_op(";;") or self.is_word("esac") else self.list(stop=("esac",))
            arms.append((tuple(patterns), body))
            if self.is_op(";;"):
                self.i += 1
                self.linebreak()
            elif not self.is_word("esac"):
                raise self.unexpected(expecting="esac")
        self.i += 1
        return Case(word, tuple(arms))
