"""Handing a quiz in to the course service, from a kernel the hub started.

A kernel runs under JupyterHub when its server gave it ``JUPYTERHUB_API_TOKEN`` (and ``JUPYTERHUB_USER``); it hands in
to the course service when the hub's spawner also sets ``IMAGESHARE_COURSE_URL``, the service's address as the
kernel reaches it (``jupyterhub_config.py`` sets it in ``c.Spawner.environment``; docs/classroom.md). Without both,
a quiz works exactly as it does outside a hub.

What goes over the wire is a submission file's JSON (``learner``, ``quiz``, ``answers``, ``attempts``, ``shown``,
the format ``imageshare grade`` reads), sent with the kernel's token; the service grades it as the token's hub user
and stamps its own time. Nothing here knows how the service grades: it reads the answer's JSON.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

#: The course service's address, as the hub's spawner gives it to each learner's server.
COURSE_URL = "IMAGESHARE_COURSE_URL"
#: Seconds a hand-in may take: grading is under a second; a service that does not answer in this is unreachable.
TIMEOUT = 30.0


@dataclass(frozen=True)
class Course:
    """Where to hand in, and the token that says who is handing in."""

    url: str
    token: str

    def endpoint(self, path: str) -> str:
        return self.url.rstrip("/") + "/" + path


@dataclass(frozen=True)
class Reply:
    """The service's answer (``data``, its JSON) or why there is none (``problem``, one plain sentence)."""

    data: dict[str, Any] | None = None
    problem: str | None = None

    @property
    def recorded(self) -> bool:
        """Whether the service says it recorded the hand-in."""
        return bool(self.data and self.data.get("recorded"))


def course() -> Course | None:
    """The course service this kernel hands in to, or None (not under a hub, or no course service configured)."""
    token = os.environ.get("JUPYTERHUB_API_TOKEN", "").strip()
    url = os.environ.get(COURSE_URL, "").strip()
    if not token or not url.startswith(("http://", "https://")):
        return None
    return Course(url, token)


def hand_in(where: Course, submission: dict[str, Any], *, timeout: float = TIMEOUT) -> Reply:
    """POST ``submission`` to the service; the reply, or the problem in words. Never raises for a network or
    service failure: the caller keeps the answers and says what happened."""
    body = json.dumps(submission, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(where.endpoint("api/submissions"), data=body, method="POST",
                                     headers={"Authorization": f"token {where.token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (urllib.error.URLError, OSError) as e:  # refused, unknown host, timed out
        return Reply(None, f"the course service at {where.url} cannot be reached ({getattr(e, 'reason', e)})")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return Reply(None, f"the course service answered {status} with something other than its JSON")
    if status != 200:
        return Reply(data, f"the course service did not record it ({status}): {data.get('error', 'no reason given')}")
    return Reply(data)
