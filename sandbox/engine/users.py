"""Who a container's process runs as: ``docker run -u USER[:GROUP]``, ``docker exec -u`` and an image's ``USER``,
resolved against the container's own ``/etc/passwd`` and ``/etc/group`` as dockerd resolves them.

A port of moby/sys/user ``GetExecUser`` (vendored in moby v28.2.2, ``vendor/github.com/moby/sys/user/user.go``) and
of dockerd's ``getUser`` (``daemon/oci_linux.go``), which gives the process its group and then the supplementary
groups of a user matched by name. A numeric user or group need not exist in the files; a name must.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.errors import UnknownUser

__all__ = ["USER_DIRECTORIES", "ExecUser", "exec_user", "identity", "owned_directories"]

#: The key of an image's ``extra`` that lists ``uid:directory`` for each directory a build made as a non-root user
#: (BuildKit makes a missing WORKDIR as the stage's USER): that user may write there.
USER_DIRECTORIES = "user-directories"
#: moby/sys/user's minID and maxID: the range a numeric uid or gid must fall in.
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class ExecUser:
    """The process's uid, gid, the additional gids runc sets (its gid first, as dockerd puts it) and its home."""

    uid: int
    gid: int
    groups: tuple[int, ...]
    home: str


def exec_user(spec: str, files: Mapping[str, bytes | str]) -> ExecUser:
    """Resolve ``user[:group]`` (``""`` is root) in the container's files.

    Raises `UnknownUser` in dockerd's words: ``unable to find user X: no matching entries in passwd file``,
    ``unable to find group X: no matching entries in group file``, or the range error of a numeric id.
    """
    user_arg, group_arg = _parse_line(spec)
    uid_arg, gid_arg = _atoi(user_arg), _atoi(group_arg)
    passwd = _entries(files.get("/etc/passwd"))
    group = _entries(files.get("/etc/group"))
    uid, gid, home = 0, 0, ""
    matched = ""
    for fields in passwd:
        name, entry_uid = fields[0], _atoi(_field(fields, 2))
        if (user_arg == "" and entry_uid == 0) or (uid_arg is not None and entry_uid == uid_arg) or \
                (uid_arg is None and user_arg != "" and name == user_arg):
            matched, uid, gid, home = name, entry_uid or 0, _atoi(_field(fields, 3)) or 0, _field(fields, 5)
            break
    else:
        if user_arg != "":
            if uid_arg is None:
                raise UnknownUser("user", user_arg)
            if not 0 <= uid_arg <= _MAX_ID:
                raise UnknownUser.out_of_range()
            uid = uid_arg
    supplementary: list[int] = []
    if group_arg != "" or matched:
        found = [fields for fields in group if _group_matches(fields, group_arg, gid_arg, matched)]
        if group_arg != "":
            if found:
                gid = _atoi(_field(found[0], 2)) or 0
            elif gid_arg is None:
                raise UnknownUser("group", group_arg)
            elif not 0 <= gid_arg <= _MAX_ID:
                raise UnknownUser.out_of_range()
            else:
                gid = gid_arg
        else:
            supplementary = [_atoi(_field(fields, 2)) or 0 for fields in found]
    return ExecUser(uid, gid, (gid, *supplementary), home or "/")


def identity(user: ExecUser, files: Mapping[str, bytes | str]) -> str:
    """What ``id`` prints for this process: ``uid=1000(node) gid=1000(node) groups=1000(node)``; an id with no
    entry in the container's files shows as a bare number (``uid=1000 gid=0(root) groups=0(root)``)."""
    users = {_atoi(_field(f, 2)): f[0] for f in reversed(_entries(files.get("/etc/passwd")))}
    groups = {_atoi(_field(f, 2)): f[0] for f in reversed(_entries(files.get("/etc/group")))}

    def named(number: int, names: Mapping[int | None, str]) -> str:
        return f"{number}({names[number]})" if number in names else str(number)

    listed = ",".join(named(gid, groups) for gid in dict.fromkeys(user.groups))
    return f"uid={named(user.uid, users)} gid={named(user.gid, groups)} groups={listed}"


def owned_directories(extra: Mapping[str, str], uid: int) -> frozenset[str]:
    """The directories an image's build made as user ``uid`` (its `USER_DIRECTORIES` record)."""
    entries = (line.partition(":") for line in extra.get(USER_DIRECTORIES, "").split("\n") if line)
    return frozenset(path for owner, _, path in entries if owner == str(uid))


def _parse_line(spec: str) -> tuple[str, str]:
    """moby/sys/user parseLine: the first two ``:``-separated fields; the rest is ignored."""
    parts = spec.split(":")
    return parts[0], parts[1] if len(parts) > 1 else ""


def _atoi(text: str) -> int | None:
    """Go's strconv.Atoi: optional sign, ASCII digits; None when it fails."""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    return int(text)


def _entries(data: bytes | str | None) -> list[list[str]]:
    """The lines of a passwd- or group-formatted file as fields; blank lines and ``#`` comments skipped."""
    if not data:
        return []
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    lines = (line.strip() for line in text.split("\n"))
    return [line.split(":") for line in lines if line and not line.startswith("#")]


def _field(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def _group_matches(fields: list[str], group_arg: str, gid_arg: int | None, user_name: str) -> bool:
    if group_arg == "":
        return user_name in _field(fields, 3).split(",")
    if gid_arg is not None:
        return _atoi(_field(fields, 2)) == gid_arg
    return fields[0] == group_arg
