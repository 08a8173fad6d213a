"""The part of Go's text/template that ``--format`` in tutorials uses.

Supported: literal text, ``{{.Field}}`` and ``{{.A.B}}`` paths, ``{{json .X}}``, ``{{index .X "key"}}``,
``{{join .X ", "}}``, ``{{upper .X}}``, ``{{lower .X}}``, ``{{println .X}}``, ``{{range .X}}...{{end}}`` (with
``{{.}}`` inside) and ``{{if .X}}...{{else}}...{{end}}``; the escapes ``\\t`` and ``\\n``; and the ``table`` prefix.
Anything else fails with a Go-style ``template:`` error rather than a guess.
"""

from __future__ import annotations

import json
import re
import shlex

from sandbox.errors import UsageError

_ACTION = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)


class TemplateError(UsageError):
    """A template that does not fit the data (Go's execution error)."""


class TemplateSyntaxError(TemplateError):
    """A template that does not parse (Go's parse error)."""


def expand_escapes(template: str) -> str:
    """docker replaces the two-character sequences ``\\t`` and ``\\n`` before parsing."""
    return template.replace("\\t", "\t").replace("\\n", "\n")


def _tokens(template: str):
    position = 0
    for match in _ACTION.finditer(template):
        if match.start() > position:
            yield "text", template[position:match.start()]
        if not match.group(1).startswith("/*"):  # a comment prints nothing
            yield "action", match.group(1)
        position = match.end()
    if position < len(template):
        yield "text", template[position:]


def _parse(tokens, stop=("end",)):
    """Parse into a tree: list of nodes; returns (nodes, terminator)."""
    nodes = []
    for kind, value in tokens:
        if kind == "text":
            nodes.append(("text", value))
            continue
        head = value.split(None, 1)[0] if value else ""
        if head in stop or head == "else":
            return nodes, head
        if head in ("range", "if"):
            body, terminator = _parse(tokens, stop=("end",))
            other = []
            if terminator == "else":
                other, terminator = _parse(tokens, stop=("end",))
            if terminator != "end":
                raise TemplateError('template: :1: unexpected EOF')
            nodes.append((head, value.split(None, 1)[1] if " " in value else "", body, other))
        else:
            nodes.append(("expr", value))
    return nodes, None


#: How deeply ``range``/``if`` blocks may nest in a sandbox template (Go's own parser recurses without a limit).
MAX_NESTING = 100


def check_syntax(template: str, name: str = "") -> None:
    """Raise `TemplateSyntaxError` with Go's words for what its lexer refuses (unclosed actions, strings and
    parentheses, bad characters and numbers) and for nesting deeper than `MAX_NESTING`."""
    text = expand_escapes(template)
    problem = _lex_problem(text)
    if problem is not None:
        raise TemplateSyntaxError(f"template: {name}:1: {problem}")
    depth = 0
    for kind, value in _tokens(text):
        head = value.split(None, 1)[0] if kind == "action" and value.strip() else ""
        depth += head in ("range", "if", "with") and 1 or (-1 if head == "end" else 0)
        if depth > MAX_NESTING:
            raise TemplateSyntaxError(f"template: {name}:1: blocks nested more than {MAX_NESTING} deep")


#: Words Go's lexer makes keywords, not function names.
KEYWORDS = frozenset("block break continue define else end if range nil template with true false".split())
#: The functions a docker --format template may call: Go's builtins and docker/cli's templates.basicFunctions.
FUNCTIONS = frozenset("and call html index slice js len not or print printf println urlquery eq ge gt le lt ne "
                      "json split join title lower upper pad truncate".split())
#: Where a word (identifier, field, variable) may end: Go's lexer ``atTerminator``.
_TERMINATORS = frozenset(" \t\r\n.,|:)(")
_SPACE = frozenset(" \t\r\n")


def _lex_problem(text: str) -> str | None:
    """The first error Go's text/template lexer (parse/lex.go) reports for ``text``, or None."""
    at = 0
    while (at := text.find("{{", at)) >= 0:
        at += 2
        if text.startswith("-", at) and text[at + 1:at + 2] in _SPACE and at + 1 < len(text):
            at += 2  # a left trim marker: "{{- "
        if text.startswith("/*", at):  # a comment action: {{/* ... */}}
            close = text.find("*/", at + 2)
            if close < 0:
                return "unclosed comment"
            at = close + 2
            at += 2 if text.startswith(" -}}", at) else 0
            if not text.startswith("}}", at):
                return "comment ends before closing delimiter"
            continue
        parens, first = 0, True
        while True:
            if at >= len(text):
                return "unclosed action"
            char = text[at]
            if text.startswith("}}", at) or char in _SPACE and text.startswith("-}}", at + 1):
                if parens:
                    return "unclosed left paren"
                at += 2 if char == "}" else 4
                break
            if char in _SPACE:
                at += 1
                continue
            if char in "\"`'":
                end = _quoted_end(text, at)
                if end is None:
                    return {'"': "unterminated quoted string", "`": "unterminated raw quoted string",
                            "'": "unterminated character constant"}[char]
                at, first = end, False
                continue
            if char in "+-" or char.isdigit():
                end = _number_end(text, at)
                if end < 0:
                    return f"bad number syntax: {_go_string(text[at:-end])}"
                at, first = end, False
                continue
            if char in ".$" or char == "_" or char.isalnum():
                word_start, at = at, at + 1
                while at < len(text) and (text[at] == "_" or text[at].isalnum()):
                    at += 1
                if at < len(text) and text[at] not in _TERMINATORS and not text.startswith("}}", at):
                    return f"bad character {_go_rune(text[at])}"
                word = text[word_start:at]
                if char not in ".$" and word not in KEYWORDS and word not in FUNCTIONS:
                    return f"function {_go_string(word)} not defined"  # the parser checks every name it meets
                first = False
                continue
            if char == "(":
                parens, first = parens + 1, True
            elif char == ")":
                if not parens:
                    return "unexpected right paren"
                parens -= 1
            elif char == "|":
                first = True
            elif char == ":" and not text.startswith(":=", at):
                return "expected :="
            elif char not in ",:=":
                if char.isascii() and char.isprintable():  # Go's itemChar: the parser refuses it
                    return f"unexpected {_go_string(char)} in {'command' if first else 'operand'}"
                return f"unrecognized character in action: {_go_rune(char)}"
            at += 1
    return None


def _quoted_end(text: str, at: int) -> int | None:
    """Past the string, raw string or character constant opening at ``at``; None when it never closes."""
    quote, at = text[at], at + 1
    while at < len(text):
        char = text[at]
        if char == quote:
            return at + 1
        if quote != "`" and char == "\n":
            return None
        at += 2 if quote != "`" and char == "\\" else 1
    return None


def _number_end(text: str, at: int) -> int:
    """Past the number Go's scanNumber reads at ``at``, or minus the end of the bad text it quotes."""
    start = at
    at += 1 if text[at] in "+-" else 0
    digits = "0123456789_"
    if text.startswith(("0x", "0X"), at):
        at, digits = at + 2, "0123456789abcdefABCDEF_"
    while at < len(text) and text[at] in digits:
        at += 1
    if text.startswith(".", at):
        at += 1
        while at < len(text) and text[at] in digits:
            at += 1
    if at < len(text) and text[at] in "eE" and digits[10] == "_":
        at += 1
        at += 1 if text[at:at + 1] in ("+", "-") and text[at:at + 1] else 0
        while at < len(text) and text[at] in "0123456789_":
            at += 1
    at += 1 if text.startswith("i", at) else 0
    if at < len(text) and (text[at] == "_" or text[at].isalnum()):
        return -(at + 1)
    return at if at > start else start + 1


def _go_rune(char: str) -> str:
    """Go's ``%#U``: the code point, and the character itself when it prints."""
    shown = f" '{char}'" if char.isprintable() else ""
    return f"U+{ord(char):04X}{shown}"


def _go_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(template: str, data: object, type_name: str = "map[string]interface {}") -> str:
    """Expand ``template`` against ``data`` (dicts, lists and scalars, as decoded JSON). Raises `TemplateError`;
    ``type_name`` is the Go type docker names in "can't evaluate field" errors."""
    check_syntax(template)
    try:
        return _render(template, data)
    except TemplateError as error:
        raise type(error)(error.message.replace("map[string]interface {}", type_name, 1)) from None


def _render(template: str, data: object) -> str:
    tokens = iter(list(_tokens(expand_escapes(template))))
    nodes, terminator = _parse(tokens, stop=())
    if terminator is not None:
        raise TemplateError(f"template: :1: unexpected {{{{{terminator}}}}}")
    return _execute(nodes, data)


def _execute(nodes, data) -> str:
    out = []
    for node in nodes:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "expr":
            out.append(_text(_evaluate(node[1], data)))
        elif node[0] == "range":
            items = _evaluate(node[1], data)
            if isinstance(items, dict):
                items = list(items.values())
            if items:
                for item in items or ():
                    out.append(_execute(node[2], item))
            else:
                out.append(_execute(node[3], data))
        elif node[0] == "if":
            out.append(_execute(node[2] if _evaluate(node[1], data) else node[3], data))
    return "".join(out)


def _text(value) -> str:
    if value is None:
        return "<no value>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_text(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def _evaluate(expression: str, data):
    try:
        words = shlex.split(expression)
    except ValueError:
        raise TemplateError(f"template: :1: unterminated quoted string in {expression!r}") from None
    if not words:
        raise TemplateError("template: :1: missing value for command")
    function, arguments = words[0], words[1:]
    if function.startswith(".") or function == "$":
        if arguments:
            raise TemplateError(f"template: :1:{len(function) + 2}: executing \"\" at <{function}>: "
                                f"{function} is not a method but has arguments")
        return _path(function, data)
    values = [_path(arg, data) if arg.startswith(".") else arg for arg in arguments]
    if function == "json" and len(values) == 1:
        return json.dumps(values[0], separators=(",", ":"))
    if function == "index" and len(values) == 2:
        container, key = values
        if isinstance(container, dict):
            return container.get(key)
        try:
            return container[int(key)]
        except (ValueError, IndexError, TypeError):
            raise TemplateError(f"template: :1: error calling index: index out of range: {key}") from None
    if function == "join" and len(values) == 2:
        return values[1].join(_text(v) for v in (values[0] or []))
    if function in ("upper", "lower") and len(values) == 1:
        return getattr(_text(values[0]), function)()
    if function == "println":
        return " ".join(_text(v) for v in values) + "\n"
    if function == "len" and len(values) == 1:
        return len(values[0] or [])
    raise TemplateError(f'template: :1: function "{function}" not defined')


def _path(path: str, data):
    if path in (".", "$"):
        return data
    value = data
    for part in path.lstrip(".").split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            kind = "map[string]interface {}" if isinstance(value, dict) else type(value).__name__
            raise TemplateError(
                f'template: :1:2: executing "" at <{path}>: can\'t evaluate field {part} in type {kind}'
            )
    return value
