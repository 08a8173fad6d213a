"""``docker images``, ``tag``, ``rmi``, ``history``, ``image prune``: the host's local images."""

from __future__ import annotations

from datetime import datetime, timezone

from sandbox.cli import formatter
from sandbox.cli.docker import Invocation
from sandbox.cli.golang import go_quote
from sandbox.cli.opts import client_filters
from sandbox.cli.output import Output
from sandbox.cli.platform import InvalidPlatform, parse_platform
from sandbox.cli.render import ellipsis, human_size, since, table
from sandbox.cli.template import TemplateError, TemplateSyntaxError, check_syntax, expand_escapes, render
from sandbox.clock import parse_rfc3339
from sandbox.errors import DaemonError, InvalidReference, NotFound, UsageError, short_id
from sandbox.engine.filters import Filters
from sandbox.oci import parse_any, parse_normalized_named


def _short(image_id: str, no_trunc: bool = False) -> str:
    return image_id if no_trunc else image_id.removeprefix("sha256:")[:12]


def image_rows(machine, inv: Invocation) -> list[dict]:
    """One row per repository:tag (or ``<none>``), as ``docker images`` lists them, as template data.

    The client sends ``--filter`` and the positional ``REPOSITORY[:TAG]`` (as a ``reference`` filter) to the daemon,
    which filters (docker/cli v28.2.2 ``cli/command/image/list.go`` ``runImages``). Raises the daemon's errors.
    """
    engine = machine.engine
    now = engine.services.clock.now
    no_trunc = bool(inv.options.get("no-trunc"))
    filters = Filters(client_filters(inv.options.get("filter") or ()))
    if inv.args:
        filters = filters.with_value("reference", inv.args[0])
    rows = []
    for summary in engine.image_list(filters, all_images=bool(inv.options.get("all"))):
        digests = {entry.split("@")[0]: entry.split("@")[1] for entry in summary.repo_digests}
        names: list[tuple[str, str]] = []
        for tagged in summary.repo_tags:
            repository, _, tag = tagged.rpartition(":")
            names.append((repository, tag))
        if not names:
            names = [(repo, "<none>") for repo in sorted(digests)] or [("<none>", "<none>")]
        for repository, tag in names:
            rows.append(
                {
                    "ID": _short(summary.id, no_trunc),
                    "Repository": repository,
                    "Tag": tag,
                    "Digest": digests.get(repository, "<none>"),
                    "CreatedSince": since(summary.created, now) + " ago",
                    "CreatedAt": summary.created.replace("T", " ").replace("Z", " +0000 UTC"),
                    "Size": human_size(summary.size),
                    "VirtualSize": human_size(summary.size),
                    "SharedSize": "N/A",
                    "UniqueSize": "N/A",
                    "Containers": "N/A",
                }
            )
    return rows


#: ``docker image``'s subcommands and aliases: ``docker images ls`` finding nothing gets a hint (printAmbiguousHint).
_IMAGE_SUBCOMMANDS = frozenset({"build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull",
                                "push", "rm", "save", "tag"})  # fmt: skip


def _ambiguous_hint(inv: Invocation, rows: list[dict], out: Output) -> None:
    """After the (empty) list, on stderr, only for the top-level ``docker images`` (cmd.CalledAs() == "images")."""
    if inv.args and not rows and inv.path == ("images",) and inv.args[0] in _IMAGE_SUBCOMMANDS:
        out.err(f'\nNo images found matching "{inv.args[0]}": did you mean "docker image {inv.args[0]}"?\n')


def images(machine, inv: Invocation, out: Output) -> int:
    """``docker images [OPTIONS] [REPOSITORY[:TAG]]``."""
    rows = image_rows(machine, inv)
    fmt = inv.options.get("format") or ""
    if inv.options.get("quiet"):  # one ID per row: an image with two tags is listed twice, as docker does
        out.print("".join(row["ID"] + "\n" for row in rows))
        _ambiguous_hint(inv, rows, out)
        return 0
    if fmt:
        default = IMAGE_TABLE_WITH_DIGESTS if inv.options.get("digests") else IMAGE_TABLE
        out.print(formatter.write(fmt, [(row, row) for row in rows], default=default, headers=IMAGE_HEADERS,
                                  go_type="*formatter.ImageContext"))
        _ambiguous_hint(inv, rows, out)
        return 0
    with_digests = bool(inv.options.get("digests"))
    header = ["REPOSITORY", "TAG"] + (["DIGEST"] if with_digests else []) + ["IMAGE ID", "CREATED", "SIZE"]
    body = [
        [row["Repository"], row["Tag"]] + ([row["Digest"]] if with_digests else [])
        + [row["ID"], row["CreatedSince"], row["Size"]]
        for row in rows
    ]
    out.print(table([header] + body))
    _ambiguous_hint(inv, rows, out)
    return 0


#: The fields of an image row (docker's ImageContext) and their column headers.
IMAGE_HEADERS = {
    "ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST", "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT", "Size": "SIZE", "VirtualSize": "VIRTUAL SIZE", "SharedSize": "SHARED SIZE",
    "UniqueSize": "UNIQUE SIZE", "Containers": "CONTAINERS",
}


#: docker/cli's defaultImageTableFormat(WithDigest): what ``--format table`` lists.
IMAGE_TABLE = ("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}"
               "\t{{.Size}}")
IMAGE_TABLE_WITH_DIGESTS = ("table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}"
                            "{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}")


def check_format(fmt: str, headers: dict[str, str], go_type: str) -> None:
    """Parse ``--format`` and try it on an empty row, as ``docker ps`` does before listing anything (list.go runs
    the template once to see whether it uses ``.Size``); the rows are then written by `formatter.write`.

    Raises `UsageError` with docker's ``failed to parse/execute template:`` words.
    """
    if fmt == "json":
        return
    fmt = expand_escapes(fmt)
    template = fmt[len("table"):].strip() if fmt.startswith("table") else fmt
    try:
        check_syntax(template)
        render(template, {key: "" for key in headers}, go_type)
    except TemplateSyntaxError as error:
        raise UsageError(f"failed to parse template: {error.message}") from None
    except TemplateError as error:
        raise UsageError(f"failed to execute template: {error.message}") from None


def tag(machine, inv: Invocation, out: Output) -> int:
    """``docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]``."""
    # The API client's ImageTag: the source may be any reference (a full image ID too), the target a name, never
    # one with a digest; all before the daemon is asked.
    for argument, parse in ((inv.args[0], parse_any), (inv.args[1], parse_normalized_named)):
        try:
            target = parse(argument)
        except InvalidReference as error:
            raise UsageError(f"Error parsing reference: {go_quote(argument)} is not a valid repository/tag: {error}")
    if target.digest:
        raise UsageError("refusing to create a tag with a digest reference")
    machine.engine.image_tag(inv.args[0], inv.args[1])
    return 0


def rmi(machine, inv: Invocation, out: Output) -> int:
    """``docker rmi [OPTIONS] IMAGE [IMAGE...]``: every argument is tried; errors are reported at the end."""
    for specifier in inv.options.get("platform") or ():
        parse_platform(specifier)
    errors = []
    fatal = False
    force = bool(inv.options.get("force"))
    for name in inv.args:
        try:
            records = machine.engine.image_remove(name, force=force)
        except DaemonError as error:
            errors.append("Error response from daemon: " + error.message)
            fatal = fatal or not (force and isinstance(error, NotFound))  # rmi -f forgives a missing image
            continue
        out.print("".join(f"{what}: {subject}\n" for what, subject in records))
    if errors:
        out.err("".join(text + "\n" for text in errors))
    return 1 if fatal else 0


#: docker/cli v28.2.2 ``cli/command/image/formatter_history.go``: the fields of a history row, their column
#: headers, and the tables ``NewHistoryFormat`` picks when no ``--format`` (or ``table``) is given.
HISTORY_HEADERS = {"ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY",
                   "Size": "SIZE", "Comment": "COMMENT"}
_HISTORY_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
_HISTORY_TABLE_NOT_HUMAN = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
#: Before this moment (2000-01-01) a created date shows as N/A in human form.
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def history(machine, inv: Invocation, out: Output) -> int:
    """``docker history [OPTIONS] IMAGE``: rows newest first, written by docker's formatter (``--format``, ``-q``,
    ``--no-trunc`` and ``-H=false`` as ``runHistory`` and ``historyContext`` apply them).

    Raises the daemon's errors and `UsageError` for a template (``template parsing error: ...``)."""
    engine = machine.engine
    now = engine.services.clock.now
    trunc = not inv.options.get("no-trunc")
    human = inv.options.get("human", True) not in (False, "false")
    if inv.options.get("platform"):
        try:
            parse_platform(inv.options["platform"])
        except InvalidPlatform as error:
            raise InvalidPlatform(f"invalid platform: {error}") from None
    rows = []
    for image_id, created, created_by, size, comment in engine.image_history(inv.args[0]):
        moment = parse_rfc3339(created)
        created_at = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = {
            "ID": short_id(image_id) if trunc else image_id,
            "CreatedAt": created_at,
            "CreatedSince": (("N/A" if moment <= _EPOCH else since(created, now) + " ago") if human else created_at),
            "CreatedBy": ellipsis(created_by.replace("\t", " "), 45) if trunc else created_by.replace("\t", " "),
            "Size": human_size(size) if human else str(size),
            "Comment": comment,
        }
        rows.append((fields, fields))
    fmt = str(inv.options.get("format") or "table")
    if fmt == "table":  # NewHistoryFormat: -q and -H=false change only the default table
        fmt = "{{.ID}}" if inv.options.get("quiet") else _HISTORY_TABLE if human else _HISTORY_TABLE_NOT_HUMAN
    out.print(formatter.write(fmt, rows, default=_HISTORY_TABLE, headers=HISTORY_HEADERS,
                              go_type="*image.historyContext"))
    return 0


def image_prune(machine, inv: Invocation, out: Output) -> int:
    """``docker image prune [-a] [-f] [--filter ...]``: asks first unless ``--force``; Raises the daemon's errors."""
    everything = bool(inv.options.get("all"))
    if not inv.options.get("force"):
        warning = (
            "WARNING! This will remove all images without at least one container associated to them."
            if everything else "WARNING! This will remove all dangling images."
        )
        out.print(warning + "\nAre you sure you want to continue? [y/N] ")
        answer = (out.stdin or "").split("\n", 1)[0].strip().lower()
        if answer not in ("y", "yes"):  # declining cancels quietly, exit 0
            return 0
    # runPrune adds dangling=!all to the learner's filters (so "-a --filter dangling=true" is a contradiction)
    filters = Filters(client_filters(inv.options.get("filter") or ())).with_value("dangling", str(not everything).lower())
    records, reclaimed = machine.engine.image_prune(filters)
    if records:
        out.print("Deleted Images:\n" + "".join(f"{what}: {subject}\n" for what, subject in records) + "\n")
    out.print(f"Total reclaimed space: {human_size(reclaimed, 4)}\n")
    return 0
