"""``imageshare course serve``: the course service as a JupyterHub managed service.

The hub starts it with its environment (``JUPYTERHUB_SERVICE_URL`` says where to listen, ``JUPYTERHUB_SERVICE_PREFIX``
under which path, ``JUPYTERHUB_API_URL`` and ``JUPYTERHUB_API_TOKEN`` how to ask the hub who a request comes from)
and stops it with SIGINT; SIGTERM stops it the same way. On either, the service stops taking requests, lets those in
flight finish (each is acknowledged only once the gradebook committed it), then stops its graders and closes the
gradebook. docs/classroom.md has the ``jupyterhub_config.py`` that runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import signal
import sys
from typing import Sequence
from urllib.parse import urlsplit

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler
from jupyterhub.utils import url_path_join
from tornado import httpserver, web

from sandbox.course.api import QuizzesHandler, SubmissionsHandler
from sandbox.course.hubauth import HubHandler
from sandbox.course.loader import load_course
from sandbox.course.errors import CourseFileError
from sandbox.course.service import MAX_BODY_BYTES, CourseService
from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.store import Gradebook

#: Connections waiting to be accepted (the kernel caps it at net.core.somaxconn).
BACKLOG = 2048
#: How long a stopping service waits for the submissions in flight to be recorded and answered.
DRAIN_SECONDS = 15.0

log = logging.getLogger("imageshare.course")


class HomeHandler(HubHandler):
    """The service's own page: who you are, and where your results and (for staff) the dashboard are."""

    api = False

    def get(self) -> None:
        prefix = self.course_settings["prefix"]
        staff = self.is_staff()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        from html import escape

        links = f"<li><a href='{escape(prefix)}api/submissions'>your results (JSON)</a></li>"
        if staff:
            links += f"<li><a href='{escape(prefix)}dashboard/'>the instructors' dashboard</a></li>"
        self.finish(f"<!doctype html><meta charset='utf-8'><title>imageshare course</title>"
                    f"<h1>imageshare course</h1><p>Signed in as <b>{escape(self.learner)}</b>.</p><ul>{links}</ul>")


def make_app(service: CourseService, *, prefix: str, hub_auth: HubOAuth) -> web.Application:
    """The service's tornado application under ``prefix``."""
    settings = {"hub_auth": hub_auth, "service": service, "prefix": prefix}
    from sandbox.course.dashboard import routes as dashboard_routes

    handlers = [
        (prefix, HomeHandler, settings),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler, {}),
        (url_path_join(prefix, "api/submissions"), SubmissionsHandler, settings),
        (url_path_join(prefix, "api/quizzes"), QuizzesHandler, settings),
        *dashboard_routes(prefix, settings),
    ]
    return web.Application(handlers, cookie_secret=secrets.token_bytes(32), xsrf_cookies=True,
                           login_url=url_path_join(prefix, "oauth_callback"), hub_auth=hub_auth)


def listen_address(service_url: str | None, listen: str | None) -> tuple[str, int]:
    """Where to listen: ``--listen HOST:PORT``, else the hub's ``JUPYTERHUB_SERVICE_URL``."""
    if listen:
        host, _, port = listen.rpartition(":")
        return host or "127.0.0.1", int(port)
    if not service_url:
        raise SystemExit("imageshare course serve: no JUPYTERHUB_SERVICE_URL (is the hub starting this service?) and"
                         " no --listen HOST:PORT")
    parts = urlsplit(service_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


async def serve(service: CourseService, *, host: str, port: int, prefix: str) -> None:
    """Serve until SIGINT or SIGTERM, then drain and stop."""
    # The instance, not a new one: the hub's OAuth callback handler finds the login's PKCE verifier in it.
    hub_auth = HubOAuth.instance(cache_max_age=300)
    app = make_app(service, prefix=prefix, hub_auth=hub_auth)
    server = httpserver.HTTPServer(app, max_body_size=MAX_BODY_BYTES, xheaders=False)
    # A class submits at once: tornado's default backlog (128) would drop the connections past it, which the
    # learners' kernels then retry a second later.
    server.listen(port, address=host, backlog=BACKLOG)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info("imageshare course service on http://%s:%d%s", host, port, prefix)
    print(f"imageshare course service listening on http://{host}:{port}{prefix}", flush=True)
    await stop.wait()
    server.stop()
    try:
        await asyncio.wait_for(server.close_all_connections(), DRAIN_SECONDS)
    except asyncio.TimeoutError:
        log.warning("stopping with requests still open after %g s", DRAIN_SECONDS)


def main(argv: Sequence[str]) -> int:
    """``imageshare course serve``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="imageshare course serve",
                                     description="the course service, as a JupyterHub managed service")
    parser.add_argument("--course", required=True, help="the course file (course.yaml)")
    parser.add_argument("--db", default="gradebook.sqlite",
                        help="the gradebook: a SQLite file, or a postgresql:// URL (default: gradebook.sqlite)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="grading processes (default: CPUs)")
    parser.add_argument("--listen", help="HOST:PORT to listen on (default: from JUPYTERHUB_SERVICE_URL)")
    args = parser.parse_args(list(argv))
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s %(name)s] %(message)s")
    try:
        course = load_course(args.course)
    except CourseFileError as e:
        sys.stderr.write(f"imageshare course serve: {e}\n")
        return 2
    host, port = listen_address(os.environ.get("JUPYTERHUB_SERVICE_URL"), args.listen)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    try:
        service = CourseService(course, lambda: Gradebook(args.db), jobs=max(1, args.jobs))
    except GradebookError as e:
        sys.stderr.write(f"imageshare course serve: {e}\n")
        return e.exit_code
    try:
        asyncio.run(serve(service, host=host, port=port, prefix=prefix))
    except KeyboardInterrupt:  # a second Ctrl-C while draining
        pass
    finally:
        service.close()
    return 0
