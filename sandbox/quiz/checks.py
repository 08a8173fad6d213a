"""State checks (``holds:`` and ``goal:``) evaluated against a sandbox world after a replay.

Each check asks the world through the sandbox's state queries (``has_image``, ``container_status``,
``registry_image_id``, ``logged_in_user``...) and reports what it saw, so feedback can show the evidence.
``last-exit``, ``stdout-has`` and ``stderr-has`` look at the last command the replay ran on the host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from sandbox import Sandbox
from sandbox.errors import SandboxError
from sandbox.quiz.model import Outcome, StateCheck


@dataclass(frozen=True)
class CheckResult:
    """One evaluated check: whether it was met, and what the world showed."""

    check: StateCheck
    met: bool
    observed: str

    def line(self, default_host: str) -> str:
        """``[met] image myimage exists on laptop (present, sha256:0a1b2c3d4e5f)``, as feedback prints it."""
        mark = "[met]" if self.met else "[not met]"
        return f"{mark} {self.check.describe(default_host)} ({self.observed})"


def evaluate(check: StateCheck, world: Sandbox, default_host: str, last: Mapping[str, Outcome]) -> CheckResult:
    """Evaluate ``check`` in ``world``; ``last`` maps a host to the last command replayed on it.

    Never raises for a world in any state: a sandbox error while looking is reported as an unmet check.
    """
    host = check.host or default_host
    try:
        met, observed = _LOOK[check.check](check, world, host, last.get(host))
    except SandboxError as e:
        met, observed = False, f"could not look: {e}"
    return CheckResult(check, met, observed)


def _short(image_id: str | None) -> str:
    return image_id[:19] if image_id else "none"


def _image(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    h = world.host(host)
    have = h.image_id(check.subject)
    if have is None:
        return False, "absent"
    if check.same_as is None:
        return True, f"present, {_short(have)}"
    other = h.image_id(check.same_as)
    return have == other, f"{check.subject} is {_short(have)}, {check.same_as} is {_short(other)}"


def _no_image(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    have = world.host(host).has_image(check.subject)
    return not have, "present" if have else "absent"


def _container(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    status = world.host(host).container_status(check.subject)
    if status is None:
        return False, "no such container"
    return check.status in (None, status), status


def _no_container(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    status = world.host(host).container_status(check.subject)
    return status is None, "no such container" if status is None else f"exists, {status}"


def _pushed(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    remote = world.registry_image_id(check.subject, via_host=host)
    if remote is None:
        return False, "the registry does not have it"
    if check.same_as is None:
        return True, f"the registry has {_short(remote)}"
    local = world.host(host).image_id(check.same_as)
    return remote == local, f"the registry has {_short(remote)}, {check.same_as} on {host} is {_short(local)}"


def _not_pushed(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    remote = world.registry_image_id(check.subject, via_host=host)
    return remote is None, "the registry does not have it" if remote is None else f"the registry has {_short(remote)}"


def _logged_in(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    user = world.host(host).logged_in_user(check.subject)
    if user is None:
        return False, "not logged in"
    return check.user in (None, user), f"logged in as {user}"


def _logged_out(check: StateCheck, world: Sandbox, host: str, _: Outcome | None) -> tuple[bool, str]:
    user = world.host(host).logged_in_user(check.subject)
    return user is None, "not logged in" if user is None else f"logged in as {user}"


def _last_exit(check: StateCheck, world: Sandbox, host: str, last: Outcome | None) -> tuple[bool, str]:
    code = last.exit_code if last is not None else world.host(host).last_exit_code
    if code is None:
        return False, "no command ran there"
    return str(code) == check.subject, f"exit code {code}"


def _printed(stream: str):
    def look(check: StateCheck, world: Sandbox, host: str, last: Outcome | None) -> tuple[bool, str]:
        if last is None:
            return False, "no command ran there"
        text = getattr(last, stream)
        first = text.strip().splitlines()[:1]
        shown = f"{last.shown!r} printed {first[0]!r}..." if first else f"{last.shown!r} printed nothing"
        return check.subject in text, shown

    return look


_LOOK = {
    "image": _image,
    "no-image": _no_image,
    "container": _container,
    "no-container": _no_container,
    "pushed": _pushed,
    "not-pushed": _not_pushed,
    "logged-in": _logged_in,
    "logged-out": _logged_out,
    "last-exit": _last_exit,
    "stdout-has": _printed("stdout"),
    "stderr-has": _printed("stderr"),
}
