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


#: Characters Go's template lexer accepts inside an action (identifiers, fields, strings, pipes, parentheses).
_ACTION_CHARS = re.compile(r"""[A-Za-z0-9_.$ \t"`|(),:=-]""")


def expand_escapes(template: str) -> str:
    """docker replaces the two-character sequences ``\\t`` and ``\\n`` before parsing."""
    return template.replace("\\t", "\t").replace("\\n", "\n")


def _tokens(template: str):
    position = 0
    for match in _ACTION.finditer(template):
        if match.start() > position:
            yield "text", template[position:match.start()]
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
    """Raise `TemplateSyntaxError` with Go's words for an unclosed action or a character Go's lexer refuses, and
    for nesting deeper than `MAX_NESTING`."""
    text = expand_escapes(template)
    depth = 0
    for kind, value in _tokens(text):
        head = value.split(None, 1)[0] if kind == "action" and value.strip() else ""
        depth += head in ("range", "if", "with") and 1 or (-1 if head == "end" else 0)
        if depth > MAX_NESTING:
            raise TemplateSyntaxError(f"template: {name}:1: blocks nested more than {MAX_NESTING} deep")
        if kind == "text" and "{{" in value:
            raise TemplateSyntaxError(f"template: {name}:1: unclosed action")
        if kind == "action":
            inside = value.strip()
            for index, char in enumerate(inside):
                if char == "-" and (index == 0 or inside[index - 1] == " " or index + 1 < len(inside) and
                                    inside[index + 1].isdigit()):
                    continue  # a trim marker or a negative number
                if not _ACTION_CHARS.match(char) or (char == "-" and index > 0 and inside[index - 1] not in " "):
                    raise TemplateSyntaxError(f"template: {name}:1: bad character U+{ord(char):04X} {_go_rune(char)}")


def _go_rune(char: str) -> str:
    return "'" + char + "'"


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
