"""The instructors' dashboard: pages of the course service for the course's staff only (403 for everyone else)."""

from __future__ import annotations

import html
from typing import Any

from jupyterhub.utils import url_path_join

from sandbox.course.hubauth import HubHandler


class DashboardHandler(HubHandler):
    """The dashboard's front page."""

    api = False

    async def get(self) -> None:
        self.require_staff()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(f"<!doctype html><meta charset='utf-8'><title>Dashboard</title><h1>Dashboard</h1>"
                    f"<p>{html.escape(self.learner)}</p>")


def routes(prefix: str, settings: dict[str, Any]) -> list[tuple]:
    """The dashboard's URL routes under ``prefix``."""
    return [(url_path_join(prefix, "dashboard/"), DashboardHandler, settings)]
