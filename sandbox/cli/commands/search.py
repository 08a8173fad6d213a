"""``docker search``: the client side, as docker/cli v28.2.2 has it (``cli/command/registry/search.go`` and
``formatter_search.go``).

The client turns ``--filter`` into filter arguments (name lowercased, both sides trimmed, an empty flag ignored), warns
about the deprecated ``is-automated`` filter, sends ``--limit`` only when it is above 0, and prints what the daemon
returns in the order returned. The default table has NAME, DESCRIPTION, STARS and OFFICIAL (the AUTOMATED column is
gone in v28); descriptions are cut to 45 columns with ``…`` unless ``--no-trunc``. ``--format`` is parsed only once
the daemon has answered, so a daemon error wins over a bad template.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata

from sandbox.cli.docker import Invocation
from sandbox.cli.opts import client_filters
from sandbox.cli.output import Output
from sandbox.cli.render import table
from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, render
from sandbox.errors import UsageError

DEFAULT_TABLE_FORMAT = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}"
#: The fields of a search row (docker's searchContext) and their column headers.
HEADERS = {"Name": "NAME", "Description": "DESCRIPTION", "StarCount": "STARS", "IsOfficial": "OFFICIAL"}
#: The Go type docker names when a template asks for a field a search row does not have.
GO_TYPE = "*registry.searchContext"
DESCRIPTION_WIDTH = 45
IS_AUTOMATED_WARNING = (
    'WARNING: the "is-automated" filter is deprecated, and searching for "is-automated=true" will not yield any '
    "results in future.\n"
)
#: ``{{json .}}`` renders the whole row with docker's own JSON (booleans as "true"/"false"); it is swapped for a
#: marker before the template engine runs, then for the row's JSON. The trim markers ``{{-`` and ``-}}`` eat the
#: white space next to them, as in Go.
_JSON_DOT = re.compile(r"(\s*)\{\{(-?)\s*json\s+\.\s*(-?)\}\}(\s*)")
_MARKER = "\x00json\x00"
#: The functions that docker's table header turns into no-ops (templates.HeaderFunctions), so a header stays a name.
_HEADER_NOOPS = re.compile(r"\{\{(-?\s*)(?:json|upper|lower|title)\s+(\.[A-Za-z_]\w*)(\s*-?)\}\}")


def search(machine, inv: Invocation, out: Output) -> int:
    """``docker search [OPTIONS] TERM``: no login needed. Raises the daemon's errors and `UsageError` for a template
    that does not parse or does not fit a row (``template parsing error: ...``)."""
    filters = client_filters(inv.options.get("filter") or ())
    if "is-automated" in filters:
        out.err(IS_AUTOMATED_WARNING)
    limit = int(inv.options.get("limit") or 0)
    results = machine.engine.image_search(inv.args[0], filters, max(0, limit))
    out.print(write(str(inv.options.get("format") or ""), results, trunc=not inv.options.get("no-trunc")))
    return 0


def write(fmt: str, results, *, trunc: bool = True) -> str:
    """The formatter's output for ``--format`` (``""`` and ``table``: the default table; ``json``: ``{{json .}}``;
    ``table ...``: a tab-aligned table with a header row; anything else: the template once per row).

    Raises `UsageError` with docker's ``template parsing error:`` words.
    """
    if fmt in ("", "table"):
        fmt = DEFAULT_TABLE_FORMAT
    is_table = fmt.startswith("table")
    template = fmt[len("table"):] if is_table else "{{json .}}" if fmt == "json" else fmt
    template = _JSON_DOT.sub(_mark_json, template.strip(" ").replace("\\t", "\t").replace("\\n", "\n"))
    _parse(template)
    rows = []
    for result in results:
        try:
            text = render(template, _fields(result, trunc), GO_TYPE)
        except TemplateError as error:
            raise UsageError(f"template parsing error: {error.message}") from None
        rows.append(text.replace(_MARKER, _go_json(_fields(result, trunc, as_json=True))) + "\n")
    if not is_table:
        return "".join(rows)
    try:  # docker ignores a header that fails, keeping what it printed before the failure
        header = render(_HEADER_NOOPS.sub(r"{{\1\2\3}}", template), HEADERS).split(_MARKER)[0]
    except TemplateError:
        header = ""
    lines = (header + "\n" + "".join(rows)).split("\n")[:-1]
    return table([line.split("\t") for line in lines])


def ellipsis(text: str, width: int) -> str:
    """docker's formatter.Ellipsis: cut to ``width`` display columns (East Asian wide characters take two), the last
    one ``…``."""
    if width <= 0:
        return ""
    if width == 1:
        return text[:1]
    if text.isascii():
        return text if len(text) <= width else text[: width - 1] + "…"
    display = list(itertools.accumulate(_columns(char) for char in text))
    if display[-1] <= width:
        return text
    for index, columns in enumerate(display):
        if columns <= width - 1 < display[index + 1]:
            return text[: index + 1] + "…"
    return text


def _columns(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fields(result, trunc: bool, as_json: bool = False) -> dict[str, str]:
    """A search row as docker's searchContext shows it; in JSON the OFFICIAL mark is ``true``/``false``."""
    description = result.description.replace("\n", " ").replace("\r", " ")
    if trunc:
        description = ellipsis(description, DESCRIPTION_WIDTH)
    official = ("true" if result.is_official else "false") if as_json else ("[OK]" if result.is_official else "")
    return {"Description": description, "IsOfficial": official, "Name": result.name,
            "StarCount": str(result.star_count)}


def _go_json(fields: dict[str, str]) -> str:
    """encoding/json of a map: keys sorted, non-ASCII kept, and ``<``, ``>``, ``&``, U+2028, U+2029 escaped."""
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _mark_json(match: re.Match) -> str:
    before, trim_left, trim_right, after = match.groups()
    return ("" if trim_left else before) + _MARKER + ("" if trim_right else after)


def _parse(template: str) -> None:
    """What Go's parser refuses before any row is written: bad syntax and functions it does not know."""
    try:
        check_syntax(template)
        render(template, {key: "" for key in HEADERS}, GO_TYPE)
    except TemplateSyntaxError as error:
        raise UsageError(f"template parsing error: {error.message}") from None
    except TemplateError as error:
        if "function " in error.message and " not defined" in error.message:
            raise UsageError(f"template parsing error: {error.message}") from None
