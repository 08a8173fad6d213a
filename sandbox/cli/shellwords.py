"""How bash turns a command line into commands: quoting, ``$VAR`` expansion, comments, the operators
``|``, ``&&``, ``||``, ``;``, ``&``, and the redirections ``>``, ``>>``, ``<`` to files of the host.

Only the part of bash that learners type around docker commands is here; what it cannot read it refuses with
bash's own syntax-error wording, and nothing is ever executed on the real machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from sandbox.errors import ShellError

#: Operators in the order they are tried, longest first, as bash's tokenizer reads them.
OPERATORS = (";;", "&&", "||", ">>", ">&", "|", "&", ";", ">", "<")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A line with no quoting, expansion, comment, operator or redirection: split on blanks and done.
_PLAIN = re.compile(r"[^'\"\\$`#;&|<>\n\t=]*")
_SPECIAL_PARAMETERS = "?$#0!-"


@dataclass
class Command:
    """One simple command: ``NAME=value`` assignments before it, its words, its redirections (operator, target)."""

    words: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    assignments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Pipeline:
    """Commands joined by ``|``; ``connector`` is what precedes it (``&&``, ``||``, ``;``, ``&`` or "")."""

    connector: str
    commands: list[Command]
    background: bool = False


@dataclass(frozen=True)
class _Token:
    text: str
    operator: bool = False
    splittable: bool = False  # an unquoted expansion: its value is split into words


def _unexpected(token: str) -> ShellError:
    return ShellError(f"bash: syntax error near unexpected token `{token}'", 2)


def tokenize(line: str, lookup: Callable[[str], str],
             substitute: Callable[[str], str] = lambda command: "") -> list[_Token]:
    """Split ``line`` into words and operators; ``lookup(name)`` gives a variable's value, ``substitute(command)``
    the output of a command substitution ``$(...)`` or `` `...` ``.

    Raises `ShellError` with bash's text for an unclosed quote.
    """
    if _PLAIN.fullmatch(line):  # the common case: words and blanks only, nothing to interpret
        return [_Token(word) for word in line.split(" ") if word]
    tokens: list[_Token] = []
    word: list[str] = []
    started = False  # a word has begun (even an empty quoted one)
    splittable = False
    i, n = 0, len(line)

    def finish() -> None:
        nonlocal word, started, splittable
        if started:
            tokens.append(_Token("".join(word), splittable=splittable))
        word, started, splittable = [], False, False

    while i < n:
        ch = line[i]
        if ch in " \t":
            finish()
            i += 1
        elif ch == "\n":
            finish()
            tokens.append(_Token(";", operator=True))
            i += 1
        elif ch == "#" and not started:
            end = line.find("\n", i)
            i = n if end == -1 else end
        elif ch == "'":
            end = line.find("'", i + 1)
            if end == -1:
                raise ShellError("bash: unexpected EOF while looking for matching `''", 2)
            word.append(line[i + 1:end])
            started, i = True, end + 1
        elif ch == '"':
            i, text = _double_quoted(line, i + 1, lookup, substitute)
            word.append(text)
            started = True
        elif ch == "`" or line.startswith("$(", i):
            i, text = _substitution(line, i, substitute)
            word.append(text)
            splittable = not started and _ends_word(line, i)
            started = True
        elif ch == "\\":
            if i + 1 < n:
                if line[i + 1] != "\n":
                    word.append(line[i + 1])
                i += 2
            else:
                word.append("\\")
                i += 1
            started = True
        elif ch == "$":
            i, text = _parameter(line, i, lookup)
            word.append(text)
            if text != "$":
                splittable = not started and _ends_word(line, i)
            started = True
        else:
            operator = next((op for op in OPERATORS if line.startswith(op, i)), None)
            if operator is not None and not (operator[0] in "><" and started and "".join(word).isdigit()):
                finish()
                tokens.append(_Token(operator, operator=True))
                i += len(operator)
            elif operator is not None:  # 2> : a descriptor number glued to a redirection
                digits = "".join(word)
                word, started = [], False
                tokens.append(_Token(digits + operator, operator=True))
                i += len(operator)
            else:
                word.append(ch)
                started = True
                i += 1
    finish()
    return tokens


def _ends_word(line: str, i: int) -> bool:
    return i >= len(line) or line[i] in " \t\n;&|<>"


def _substitution(line: str, i: int, substitute: Callable[[str], str]) -> tuple[int, str]:
    """Run ``$(command)`` or `` `command` `` starting at ``i``; its output without trailing newlines."""
    if line[i] == "`":
        end = line.find("`", i + 1)
        if end == -1:
            raise ShellError("bash: unexpected EOF while looking for matching ``'", 2)
        return end + 1, substitute(line[i + 1:end]).rstrip("\n")
    depth, j, quote = 1, i + 2, ""
    while j < len(line):
        ch = line[j]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1, substitute(line[i + 2:j]).rstrip("\n")
        j += 1
    raise ShellError("bash: unexpected EOF while looking for matching `)'", 2)


def _double_quoted(line: str, i: int, lookup: Callable[[str], str],
                   substitute: Callable[[str], str] = lambda command: "") -> tuple[int, str]:
    out: list[str] = []
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == '"':
            return i + 1, "".join(out)
        if ch == "`" or line.startswith("$(", i):
            i, text = _substitution(line, i, substitute)
            out.append(text)
            continue
        if ch == "\\" and i + 1 < n and line[i + 1] in '$`"\\\n':
            if line[i + 1] != "\n":
                out.append(line[i + 1])
            i += 2
        elif ch == "$":
            i, text = _parameter(line, i, lookup)
            out.append(text)
        else:
            out.append(ch)
            i += 1
    raise ShellError('bash: unexpected EOF while looking for matching `"\'', 2)


def _parameter(line: str, i: int, lookup: Callable[[str], str]) -> tuple[int, str]:
    """Expand ``$NAME``, ``${NAME}``, ``$?`` at ``line[i] == "$"``; a lone ``$`` stays itself."""
    nxt = line[i + 1] if i + 1 < len(line) else ""
    if nxt == "{":
        end = line.find("}", i + 2)
        if end == -1:
            raise ShellError("bash: unexpected EOF while looking for matching `}'", 2)
        name = line[i + 2:end]
        if not (_NAME.fullmatch(name) or name in _SPECIAL_PARAMETERS):
            raise ShellError(f"bash: ${{{name}}}: bad substitution", 1)
        return end + 1, lookup(name)
    if nxt and nxt in _SPECIAL_PARAMETERS:
        return i + 2, lookup(nxt)
    match = _NAME.match(line, i + 1)
    if match is None:
        return i + 1, "$"
    return match.end(), lookup(match.group(0))


def parse(line: str, lookup: Callable[[str], str],
          substitute: Callable[[str], str] = lambda command: "") -> list[Pipeline]:
    """The pipelines of a command line, with their connectors. Raises `ShellError` with bash's syntax errors."""
    tokens = tokenize(line, lookup, substitute)
    pipelines: list[Pipeline] = []
    connector = ""
    commands: list[Command] = [Command()]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.operator:
            current = commands[-1]
            name, equals, value = token.text.partition("=")
            if not current.words and equals and _NAME.fullmatch(name) and not token.splittable:
                current.assignments.append((name, value))
            else:
                current.words.extend(token.text.split() if token.splittable else [token.text])
            i += 1
            continue
        op = token.text
        if op == ";;":
            raise _unexpected(op)
        if op.lstrip("0123456789") in (">", ">>", ">&", "<"):
            target = tokens[i + 1] if i + 1 < len(tokens) else None
            if target is None or target.operator:
                raise _unexpected(target.text if target else "newline")
            commands[-1].redirects.append((op, target.text))
            i += 2
            continue
        if not commands[-1].words and not commands[-1].redirects and not commands[-1].assignments:
            raise _unexpected(op)
        if op == "|":
            commands.append(Command())
        else:
            pipelines.append(Pipeline(connector, commands, background=op == "&"))
            connector, commands = op, [Command()]
        i += 1
    if commands[-1].words or commands[-1].redirects or commands[-1].assignments:
        pipelines.append(Pipeline(connector, commands))
    elif len(commands) > 1 or connector in ("&&", "||"):
        raise ShellError("bash: syntax error: unexpected end of file", 2)
    return pipelines


def split_lists(line: str) -> list[tuple[str, str, bool]]:
    """Cut a command line at its top-level ``&&``, ``||``, ``;``, ``&`` and newlines, without expanding anything:
    (connector before, the text of the pipeline, whether it runs in the background). Quotes, escapes, comments,
    ``$(...)`` and backquotes are skipped over, so each piece can be expanded only when it is about to run, as bash
    does (``false && docker rm $(docker ps -aq)`` never lists containers). Call `parse` on the whole line first
    for bash's syntax errors."""
    if _PLAIN.fullmatch(line):
        return [("", line, False)] if line.strip() else []
    pieces: list[tuple[str, str, bool]] = []
    connector, start, i, n = "", 0, 0, len(line)
    depth, quote = 0, ""
    while i < n:
        ch = line[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
            i += 1
            continue
        if ch == "\\":
            i += 2
            continue
        if ch in "'\"`":
            quote = ch
        elif line.startswith("$(", i):
            depth += 1
            i += 2
            continue
        elif ch == ")" and depth:
            depth -= 1
        elif ch == "#" and depth == 0 and (i == 0 or line[i - 1] in " \t\n;&|"):
            end = line.find("\n", i)
            i = n if end == -1 else end
            continue
        elif depth == 0 and (ch in ";\n" or line.startswith("&&", i) or line.startswith("||", i) or
                             (ch == "&" and not line.startswith(">&", i - 1))):
            operator = line[i:i + 2] if line.startswith(("&&", "||"), i) else ch
            text = line[start:i]
            if text.strip():
                pieces.append((connector, text, operator == "&"))
            connector = ";" if operator == "\n" else operator
            i += len(operator)
            start = i
            continue
        i += 1
    if line[start:].strip():
        pieces.append((connector, line[start:], False))
    return pieces
