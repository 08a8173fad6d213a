"""Who is asking, as the hub says: every request of the course service is authenticated through JupyterHub
(`HubOAuth`: a token in the ``Authorization`` header, as a learner's kernel sends it, or the OAuth cookie a browser
gets after the hub's login), and the learner is the hub user of that token or cookie, never a field, parameter or
header the learner sets.

Instructors and teaching assistants are hub users or members of hub groups the course names; everyone else gets 403
on their pages. Pages carry a strict Content-Security-Policy (nothing from elsewhere, no inline script), and forms
and cookie-authenticated API calls are checked against the hub's XSRF token.
"""

from __future__ import annotations

import json
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthenticated
from tornado import web

from sandbox.quiz.learner_id import is_learner_id

#: Scripts, styles and images from the service itself only; no framing, no plugins, forms post back here.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'self'; base-uri 'none'")


class HubHandler(HubOAuthenticated, web.RequestHandler):
    """A handler of the course service: the hub user is resolved (without blocking the event loop) before the
    method runs; ``learner`` is that user's name."""

    #: A page (a browser is sent to the hub's login) or an API (no redirect: 403 with a JSON reason).
    api = True

    def initialize(self, hub_auth: HubOAuth, **settings: Any) -> None:
        self.hub_auth = hub_auth
        self.course_settings = settings

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")
        self.set_header("Cache-Control", "no-store")

    _resolving = False

    def check_xsrf_cookie(self) -> None:
        """The hub's XSRF check, for a request authenticated by its cookie (a token in the header needs none).

        Tornado asks before `prepare`, when nobody knows yet whether a token came: that call is let through, and the
        hub's cookie authentication asks again in `prepare` (a cookie request failing it is no user: 403)."""
        if self._resolving:
            self.hub_auth.check_xsrf_cookie(self)

    async def prepare(self) -> None:
        # Asked here, awaited, so a token the hub has not seen yet costs this request a round trip to the hub and
        # never holds the event loop (get_current_user below then finds the answer cached on the handler).
        self._resolving = True
        await self.hub_auth.get_user(self, sync=False)
        if self.current_user is None:
            if self.api or self.request.method not in ("GET", "HEAD"):
                raise web.HTTPError(403, "not authenticated by the hub as a user of this service")
            self.redirect(self.get_login_url())
            return
        if self.current_user.get("kind", "user") != "user":
            raise web.HTTPError(403, "only hub users submit and read grades here")

    @property
    def learner(self) -> str:
        """The hub user's name: the only identity this service knows."""
        return self.current_user["name"]

    def is_staff(self) -> bool:
        """Whether the hub user is an instructor or a teaching assistant of the course."""
        return self.course_settings["service"].is_staff(self.current_user)

    def require_staff(self) -> None:
        """Raise 403 unless the hub user is an instructor or a teaching assistant of the course."""
        if not self.is_staff():
            raise web.HTTPError(403, f"{self.learner} is not an instructor or teaching assistant of this course")

    def require_learner_id(self) -> None:
        """Raise 403 when the hub user's name cannot be a gradebook learner id."""
        if not is_learner_id(self.learner):
            raise web.HTTPError(403, f"the hub user name {self.learner!r} cannot be a learner id in the gradebook")

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False, indent=1))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message % exc.args if exc.args else exc.log_message
        if self.api:
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"error": reason, "status": status_code}))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            from html import escape

            self.finish(f"<!doctype html><title>{status_code}</title><h1>{status_code}</h1><p>{escape(reason)}</p>")
