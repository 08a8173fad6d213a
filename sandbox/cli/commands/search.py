"""``docker search``: the client side, as docker/cli v28.2.2 has it (``cli/command/registry/search.go`` and
``formatter_search.go``).

The client turns ``--filter`` into filter arguments (name lowercased, both sides trimmed, an empty flag ignored), warns
about the deprecated ``is-automated`` filter, sends ``--limit`` only when it is above 0, and prints what the daemon
returns in the order returned. The default table has NAME, DESCRIPTION, STARS and OFFICIAL (the AUTOMATED column is
gone in v28); descriptions are cut to 45 columns with ``…`` unless ``--no-trunc``. ``--format`` is parsed only once
the daemon has answered, so a daemon error wins over a bad template.
"""

from __future__ import annotations

from sandbox.cli.docker import Invocation
from sandbox.cli.opts import client_filters
from sandbox.cli import formatter
from sandbox.cli.output import Output
from sandbox.cli.render import ellipsis

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
    """The formatter's output for ``--format`` over search results (`sandbox.cli.formatter.write`).

    Raises `UsageError` with docker's ``template parsing error:`` words.
    """
    rows = [(_fields(result, trunc), _fields(result, trunc, as_json=True)) for result in results]
    return formatter.write(fmt, rows, default=DEFAULT_TABLE_FORMAT, headers=HEADERS, go_type=GO_TYPE)


def _fields(result, trunc: bool, as_json: bool = False) -> dict[str, str]:
    """A search row as docker's searchContext shows it; in JSON the OFFICIAL mark is ``true``/``false``."""
    description = result.description.replace("\n", " ").replace("\r", " ")
    if trunc:
        description = ellipsis(description, DESCRIPTION_WIDTH)
    official = ("true" if result.is_official else "false") if as_json else ("[OK]" if result.is_official else "")
    return {"Description": description, "IsOfficial": official, "Name": result.name,
            "StarCount": str(result.star_count)}
