"""A real JupyterHub for the classroom tests: jupyterhub from PyPI, configurable-http-proxy from npm (``.ci/run``
installs it into ``.ci/node``), the shared-password authenticator, the simple local spawner (every server runs as
this Unix user: tests only), and ``imageshare course serve`` as a managed service, every port a free one on
127.0.0.1 and every file in a temp dir. The hub is stopped by its PID (SIGTERM stops the proxy, the servers and the
service it started).

`HubUser` talks to the hub as a learner's browser would over plain HTTP (login form, cookies, XSRF header), and
runs code in that learner's kernel through the Jupyter server's kernel API, so a test can send what a kernel sends.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .harness import IN_CI, ROOT, free_port, stop, wait_for

SERVICE = "imageshare-course"
#: The shared password of the test authenticator (at least 8 characters).
PASSWORD = "classroom-" + secrets.token_hex(4)
#: Seconds a kernel's code has to finish.
KERNEL_SECONDS = 60


def proxy_command() -> Path | None:
    """configurable-http-proxy as ``.ci/run`` installs it (``.ci/node``), else from PATH."""
    local = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return local
    found = shutil.which("configurable-http-proxy")
    return Path(found) if found else None


def require_hub() -> Path:
    """The proxy's path; skips (fails under ``CI=true``) when jupyterhub or the proxy is missing."""
    reason = None
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        reason = "jupyterhub is not installed (pip install -e '.[test]')"
    proxy = proxy_command()
    if proxy is None:
        reason = reason or "configurable-http-proxy is not installed (.ci/run: npm install --prefix .ci/node ...)"
    if reason and IN_CI:
        pytest.fail(f"CI=true, so the classroom tests must run, but {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)
    return proxy


CONFIG = """
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {pid_file!r}
c.JupyterHub.db_url = "sqlite:///" + {hub_db!r}
c.JupyterHub.cookie_secret_file = {cookie_secret!r}
c.JupyterHub.pid_file = {hub_pid!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.load_groups = {{"instructors": {{"users": {instructors!r}}}}}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"JUPYTER_PLATFORM_DIRS": "1", "JUPYTERLAB_SETTINGS_DIR": {lab_settings!r},
                          "IMAGESHARE_COURSE_URL": "http://127.0.0.1:{port}/services/{service}/"}}
# The kernel's token (it inherits its server's) may reach the course service, as the user.
c.JupyterHub.extra_user_scopes = {{"access:services!service={service}"}}
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "access:services!service={service}"]
c.JupyterHub.services = [
    {{"name": "{service}", "url": "http://127.0.0.1:{service_port}", "oauth_no_confirm": True,
      "command": {service_command!r}, "environment": {service_env!r}}},
    {{"name": "test-admin", "api_token": {admin_token!r}}},
]
c.JupyterHub.load_roles = [
    {{"name": "test-admin", "services": ["test-admin"],
      "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users", "tokens"]}},
]
"""


@dataclass
class Hub:
    """A running hub: its public address, where it keeps its files, and its process."""

    url: str
    root: Path
    process: subprocess.Popen
    log: Path
    admin_token: str
    service_port: int
    gradebook: Path

    @property
    def service_url(self) -> str:
        """The course service's address through the hub's proxy."""
        return f"{self.url}/services/{SERVICE}/"

    def admin(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        """A hub API call as the test's admin service."""
        return request(method, f"{self.url}/hub/api/{path}", body,
                       headers={"Authorization": f"token {self.admin_token}"})

    def service_log(self) -> str:
        log = self.root / "service.log"
        return log.read_text() if log.exists() else ""


def request(method: str, url: str, body: dict | bytes | None = None, *, headers: dict | None = None,
            opener: urllib.request.OpenerDirector | None = None, timeout: float = 60) -> tuple[int, dict | None]:
    """An HTTP request; (status, JSON body or None). Error statuses are returned, not raised."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=timeout) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, {"text": text.decode("utf-8", "replace")}


def start_hub(root: Path, course: Path, *, learners: list[str], instructors: list[str],
              notebooks: Path | None = None) -> Hub:
    """Start a hub in ``root`` whose course service serves ``course``, with a copy of ``notebooks`` in each user's
    home; waits until the service answers."""
    proxy = require_hub()
    root.mkdir(parents=True, exist_ok=True)
    homes = root / "homes"
    homes.mkdir()
    for user in learners + instructors:
        (homes / user).mkdir()
        if notebooks is not None:
            shutil.copytree(notebooks, homes / user / "notebooks",
                            ignore=shutil.ignore_patterns("submissions", ".ipynb_checkpoints"))
    settings = root / "lab-settings" / "@jupyterlab" / "apputils-extension"  # no "Jupyter news" toast
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                          "checkForUpdates": False}))
    port, service_port = free_port(), free_port()
    admin_token = secrets.token_hex(24)
    gradebook = root / "gradebook.sqlite"
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    service_command = [sys.executable, "-c", "import sys; from sandbox.entrypoint import main; sys.exit(main())",
                       "course", "serve", "--course", str(course), "--db", str(gradebook), "--jobs", "2"]
    # The service writes its log where the test can read it and its PID where stop_hub finds it.
    wrapped = ["/bin/sh", "-c", f'echo $$ > {root / "service.pid"}; exec "$@" >>{root / "service.log"} 2>&1', "sh",
               *service_command]
    config = CONFIG.format(
        port=port, hub_port=free_port(), proxy_api_port=free_port(), proxy=str(proxy),
        pid_file=str(root / "proxy.pid"), hub_db=str(root / "jupyterhub.sqlite"),
        cookie_secret=str(root / "cookie_secret"), hub_pid=str(root / "hub.pid"), password=PASSWORD,
        users=set(learners + instructors), instructors=instructors, homes=str(homes),
        singleuser=str(Path(sys.executable).parent / "jupyterhub-singleuser"), service=SERVICE,
        service_port=service_port, service_command=wrapped, service_env=env, admin_token=admin_token,
        lab_settings=str(root / "lab-settings"))
    (root / "jupyterhub_config.py").write_text(textwrap.dedent(config))
    log = root / "hub.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                    str(root / "jupyterhub_config.py")], cwd=root, stdout=out,
                                   stderr=subprocess.STDOUT, env={**os.environ, **env})
    hub = Hub(f"http://127.0.0.1:{port}", root, process, log, admin_token, service_port, gradebook)
    try:
        def up() -> bool:
            try:
                hub_status, _ = request("GET", f"{hub.url}/hub/api/", timeout=2)  # through the proxy
                status, _ = request("GET", f"{hub.url}/services/{SERVICE}/api/quizzes", timeout=2)
                return hub_status == 200 and status == 403  # answering, and refusing whom the hub did not vouch for
            except OSError:
                return False

        wait_for(up, "the hub and its course service, through the proxy", process, log)
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def stop_hub(hub: Hub) -> None:
    """SIGTERM the hub (it stops its proxy, servers and services) and wait for it; then end, by the PIDs they wrote,
    the proxy and the service if a hub stopped half-way left them running."""
    stop(hub.process)
    for name, marker in (("proxy.pid", "configurable-http-proxy"), ("service.pid", "course")):
        try:
            pid = int((hub.root / name).read_text().split()[0])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                alive = marker.encode() in f.read()
        except (OSError, ValueError, IndexError):
            continue
        if alive:
            os.kill(pid, signal.SIGKILL)


@dataclass
class HubUser:
    """One person at the hub over plain HTTP: logged in with the shared password, with the hub's cookies."""

    hub: Hub
    name: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _xsrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "_xsrf"), "")

    def login(self) -> None:
        """The login form, as a browser posts it (with the form's ``_xsrf``)."""
        with self.opener.open(f"{self.hub.url}/hub/login", timeout=30) as r:
            r.read()
        form = urllib.parse.urlencode({"username": self.name, "password": PASSWORD, "_xsrf": self._xsrf()}).encode()
        with self.opener.open(urllib.request.Request(f"{self.hub.url}/hub/login?next=", data=form), timeout=30) as r:
            r.read()
        assert any(c.name.startswith("jupyterhub-session-id") for c in self.jar), f"{self.name} did not log in"

    def get(self, url: str) -> tuple[int, dict | None]:
        """GET with this person's cookies (a browser following the hub's OAuth redirects to the service)."""
        return request("GET", url, opener=self.opener)

    def token(self, scopes: list[str]) -> str:
        """A new API token of this user, made through the hub's API with the user's cookie session."""
        status, body = request("POST", f"{self.hub.url}/hub/api/users/{self.name}/tokens",
                               {"scopes": scopes, "note": "classroom test"}, opener=self.opener,
                               headers={"X-XSRFToken": self._xsrf()})
        assert status == 201, (status, body)
        return body["token"]

    def start_server(self) -> None:
        """Start this user's server through the hub's API and wait until it is ready."""
        status, body = self.hub.admin("POST", f"users/{self.name}/server")
        assert status in (201, 202, 400), (status, body)  # 400: already running

        def ready() -> bool:
            _, model = self.hub.admin("GET", f"users/{self.name}")
            return bool(model and model.get("servers", {}).get("", {}).get("ready"))

        wait_for(ready, f"{self.name}'s server", self.hub.process, self.hub.log)

    def run(self, code: str) -> str:
        """Run ``code`` in a new kernel of this user's server (started first) and return what it printed; fails
        on an error in the kernel."""
        self.start_server()
        headers = {"Authorization": f"token {self.hub.admin_token}"}
        base = f"{self.hub.url}/user/{self.name}/api/kernels"
        status, kernel = request("POST", base, {"name": "python3"}, headers=headers)
        assert status == 201, (status, kernel)
        try:
            return asyncio.run(_execute(base.replace("http://", "ws://") + f"/{kernel['id']}/channels", headers,
                                        code))
        finally:
            request("DELETE", f"{base}/{kernel['id']}", headers=headers)


async def _execute(url: str, headers: dict, code: str) -> str:
    """Send one execute_request on a kernel's websocket and collect its stdout until the kernel is idle again."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(HTTPRequest(url, headers=headers, connect_timeout=30))
    msg_id = uuid.uuid4().hex
    connection.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    out: list[str] = []
    try:
        while True:
            raw = await asyncio.wait_for(connection.read_message(), KERNEL_SECONDS)
            assert raw is not None, "the kernel's websocket closed"
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                raise AssertionError("the kernel failed:\n" + "\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out)
    finally:
        connection.close()
