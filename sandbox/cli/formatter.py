"""docker/cli's ``formatter.Context`` (``cli/command/formatter/formatter.go``): how ``--format`` turns rows into text
for the commands written on it (``search``, ``history``).

``""`` and ``table`` give the command's default table; ``json`` is ``{{json .}}``; ``table ...`` a tab-aligned table
whose header row is the same template over the column names; anything else the template once per row. The literal
``\\t`` and ``\\n`` of a format become a tab and a newline. The template is parsed before any row is written; every
error reads ``template parsing error: ...``, as the formatter wraps them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from sandbox.cli.render import table
from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, expand_escapes, render
from sandbox.errors import UsageError

__all__ = ["Row", "write"]

#: ``{{json .}}`` renders the whole row with docker's own JSON; it is swapped for a marker before the template
#: engine runs, then for the row's JSON. The trim markers ``{{-`` and ``-}}`` eat the white space next to them, as in
#: Go.
_JSON_DOT = re.compile(r"(\s*)\{\{(-?)\s*json\s+\.\s*(-?)\}\}(\s*)")
_MARKER = "\x00json\x00"
#: The functions that docker's table header turns into no-ops (templates.HeaderFunctions), so a header stays a name.
_HEADER_NOOPS = re.compile(r"\{\{(-?\s*)(?:json|upper|lower|title)\s+(\.[A-Za-z_]\w*)(\s*-?)\}\}"
                           r"|\{\{(-?\s*)(?:split|join|truncate)\s+(\.[A-Za-z_]\w*)\s+(?:\"[^\"]*\"|-?\d+)(\s*-?)\}\}")

#: One row: the fields as the template sees them, and as ``{{json .}}`` prints them (MarshalJSON's values).
Row = tuple[Mapping[str, str], Mapping[str, object]]


def write(fmt: str, rows: Sequence[Row], *, default: str, headers: Mapping[str, str], go_type: str) -> str:
    """The formatter's output for ``--format`` over ``rows``: ``default`` is the command's table format, ``headers``
    every field of its row type with its column name, ``go_type`` the type Go names in a missing-field error.

    Raises `UsageError` with docker's ``template parsing error:`` words.
    """
    if fmt in ("", "table"):
        fmt = default
    is_table = fmt.startswith("table")
    template = fmt[len("table"):] if is_table else "{{json .}}" if fmt == "json" else fmt
    template = _JSON_DOT.sub(_mark_json, expand_escapes(template.strip(" ")))
    _parse(template, headers, go_type)
    lines = []
    for fields, json_fields in rows:
        try:
            text = render(template, dict(fields), go_type)
        except TemplateError as error:
            raise UsageError(f"template parsing error: {error.message}") from None
        lines.append(text.replace(_MARKER, go_json(json_fields)) + "\n")
    if not is_table:
        return "".join(lines)
    try:  # docker ignores a header that fails, keeping what it printed before the failure (postFormat)
        header = render(header_template(template), dict(headers))
    except TemplateError as error:
        header = error.written
    header = header.split(_MARKER)[0]
    shown = (header + "\n" + "".join(lines)).split("\n")[:-1]
    return table([line.split("\t") for line in shown])


def header_template(template: str) -> str:
    """The template docker runs for a table's header row over the column names: its HeaderFunctions leave each
    name as it is (``{{lower .Names}}`` still heads its column NAMES; ``pad`` is not among them)."""
    return _HEADER_NOOPS.sub(_header_noop, template)


def _header_noop(match: re.Match) -> str:
    """``{{upper .Names}}`` (or split, join, truncate with their argument) as the bare field: the header keeps the
    column's name, as docker's HeaderFunctions return it unchanged (pad is not among them)."""
    groups = [g for g in match.groups()]
    before, field, after = groups[0:3] if groups[1] is not None else groups[3:6]
    return "{{" + before + field + after + "}}"


def go_json(fields: Mapping[str, object]) -> str:
    """encoding/json of a map: keys sorted, non-ASCII kept, and ``<``, ``>``, ``&``, U+2028, U+2029 escaped."""
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _mark_json(match: re.Match) -> str:
    before, trim_left, trim_right, after = match.groups()
    return ("" if trim_left else before) + _MARKER + ("" if trim_right else after)


def _parse(template: str, headers: Mapping[str, str], go_type: str) -> None:
    """What Go's parser refuses before any row is written: bad syntax and functions it does not know."""
    try:
        check_syntax(template)
        render(template, {key: "" for key in headers}, go_type)
    except TemplateSyntaxError as error:
        raise UsageError(f"template parsing error: {error.message}") from None
    except TemplateError as error:
        if "function " in error.message and " not defined" in error.message:
            raise UsageError(f"template parsing error: {error.message}") from None
