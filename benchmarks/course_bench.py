"""Load on the course service: LEARNERS simulated learners (200 by default) submit quizzes over loopback at once,
ROUNDS each (one at a time per learner, as a kernel does), to ``imageshare course serve`` with ``--jobs 2`` and a
SQLite gradebook. Prints submissions per second (graded and recorded, of wall time), the latency from sending a
submission to its graded answer (p50, p95, max), then kills the service with SIGKILL in the middle of a second wave,
restarts it, and checks that every submission it had acknowledged is in the gradebook.
Goals (issue 16), on 2 cores: >= 100 submissions/s, p95 <= 1 s, 0 acknowledged submissions lost.

Authentication: the service authenticates every request through the hub's API exactly as on a real hub (its
``HubOAuth`` asks ``JUPYTERHUB_API_URL/user`` who a token belongs to, and caches the answer). Here a stand-in for that
one hub endpoint, in this process, vouches for one token per simulated learner (``bench-token-N`` is learner
``lNNNN`` with the service's access scope), so no hub with 200 spawned servers is needed; the service itself has no
test-only mode. Each learner first reads its results once (the hub lookup of its token, timed apart), as a kernel
that has been open for a while would have.

Run: .venv/bin/python benchmarks/course_bench.py [LEARNERS] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from sandbox.gradebook.store import Gradebook
from sandbox.quiz import Grader, load_file

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "imageshare-course"
PREFIX = f"/services/{SERVICE}/"
QUIZ = ROOT / "quizzes" / "course-questions.yaml"
IMAGESHARE = [sys.executable, "-c", "import sys; from sandbox.entrypoint import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StandInHub(BaseHTTPRequestHandler):
    """``GET /hub/api/user`` as the hub answers it for a token: the user model, with the scope to use the service."""

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        if self.path != "/hub/api/user" or not token.startswith("bench-token-"):
            self.send_response(403)
            self.end_headers()
            return
        name = f"l{int(token.rsplit('-', 1)[1]):04d}"
        body = json.dumps({"kind": "user", "name": name, "admin": False, "groups": [],
                           "scopes": [f"access:services!service={SERVICE}"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def answers(grader: Grader, quiz, learner: str, rng: random.Random) -> dict:
    """A realistic hand-in: mostly keys, some wrong answers, some questions left out."""
    out = {}
    for question in quiz.questions:
        roll = rng.random()
        if roll < 0.1:
            continue
        key = grader.key(question, grader.variant(quiz.id, question, learner)).value
        if question.kind == "task":
            out[question.id] = list(key) if roll < 0.7 else ["docker images"]
        elif question.kind == "output":
            out[question.id] = key if roll < 0.7 else "something else"
        else:
            out[question.id] = list(key) if isinstance(key, tuple) else key
    return out


class Service:
    """``imageshare course serve`` in a subprocess, on a port of its own, against the stand-in hub."""

    def __init__(self, folder: Path, hub_port: int) -> None:
        self.folder, self.port = folder, free_port()
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                    "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
                    "JUPYTERHUB_API_TOKEN": "service-token", "JUPYTERHUB_SERVICE_NAME": SERVICE,
                    "JUPYTERHUB_CLIENT_ID": f"service-{SERVICE}", "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
                    "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{self.port}"}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.folder / "service.log").open("a")
        self.process = subprocess.Popen(IMAGESHARE + ["course", "serve", "--course", str(self.folder / "course.yaml"),
                                                      "--db", str(self.folder / "gradebook.sqlite"), "--jobs", "2"],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the service did not start:\n{(self.folder / 'service.log').read_text()[-3000:]}")
                time.sleep(0.05)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGINT)
        self.process.wait(timeout=60)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}{path}"


async def learner(client, service: Service, n: int, payloads: list[bytes], latencies: list, acknowledged: list,
                  failures: list) -> None:
    headers = {"Authorization": f"token bench-token-{n}", "Content-Type": "application/json"}
    for body in payloads:
        start = time.monotonic()
        try:
            response = await client.fetch(HTTPRequest(service.url("api/submissions"), method="POST", body=body,
                                                      headers=headers, request_timeout=120))
        except HTTPClientError as e:
            failures.append(f"{e.code}: {e.response.body[:200] if e.response else e}")
            continue
        except OSError as e:  # the service was killed under it
            failures.append(f"connection: {e}")
            return
        latencies.append(time.monotonic() - start)
        data = json.loads(response.body)
        acknowledged.append((data["learner"], data["received_at"]))


async def wave(service: Service, learners: int, payloads: dict[int, list[bytes]], *, kill_after: int | None = None):
    """Every learner submits its payloads in turn; all learners at once. With ``kill_after``, SIGKILL the service
    once that many submissions were acknowledged."""
    client = AsyncHTTPClient(force_instance=True, max_clients=learners)
    latencies: list[float] = []
    acknowledged: list[tuple[str, str]] = []
    failures: list[str] = []

    async def killer() -> None:
        while len(acknowledged) < kill_after:
            await asyncio.sleep(0.005)
        service.process.kill()

    start = time.monotonic()
    tasks = [learner(client, service, n, payloads[n], latencies, acknowledged, failures) for n in range(learners)]
    if kill_after is not None:
        tasks.append(killer())
    await asyncio.gather(*tasks)
    wall = time.monotonic() - start
    client.close()
    return wall, latencies, acknowledged, failures


async def warm(service: Service, learners: int) -> float:
    client = AsyncHTTPClient(force_instance=True, max_clients=learners)
    start = time.monotonic()
    await asyncio.gather(*(client.fetch(HTTPRequest(service.url("api/submissions"),
                                                    headers={"Authorization": f"token bench-token-{n}"}))
                           for n in range(learners)))
    client.close()
    return time.monotonic() - start


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children that were waited for (from /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def service_cpu(service: Service) -> float:
    """CPU seconds of the service and its grading workers."""
    pids = [service.process.pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{service.process.pid}/task/{service.process.pid}/children").read_text().split()]
    except OSError:
        pass
    return sum(cpu_seconds(pid) for pid in pids)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str]) -> int:
    learners = int(argv[0]) if argv else 200
    rounds = int(argv[1]) if len(argv) > 1 else 3
    hub = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    quiz = load_file(QUIZ)
    grader, rng = Grader(), random.Random(16)
    payloads = {n: [json.dumps({"quiz": quiz.id, "answers": answers(grader, quiz, f"l{n:04d}", rng)}).encode()
                    for _ in range(rounds)] for n in range(learners)}
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        folder = Path(tmp)
        (folder / "course.yaml").write_text(f"course: bench\ninstructors: [prof]\nquizzes:\n  - file: {QUIZ}\n"
                                            "    keys: immediately\n")
        service = Service(folder, hub.server_address[1])
        started = time.monotonic()
        service.start()
        print(f"service up in {time.monotonic() - started:.1f} s (quizzes loaded, keys replayed, 2 graders)")
        print(f"{learners} learners' tokens checked with the hub (first request each): "
              f"{asyncio.run(warm(service, learners)):.2f} s")
        cpu_before, client_before = service_cpu(service), time.process_time()
        wall, latencies, acknowledged, failures = asyncio.run(wave(service, learners, payloads))
        total = len(latencies)
        print(f"CPU seconds during the wave: service and its graders {service_cpu(service) - cpu_before:.2f}, "
              f"this benchmark's client {time.process_time() - client_before:.2f} (of {wall:.2f} s wall on "
              f"{os.cpu_count()} CPUs)")
        print(f"{learners} learners x {rounds} submissions at once: {total} graded and recorded in {wall:.2f} s = "
              f"{total / wall:.0f} submissions/s")
        print(f"latency submit -> graded answer: p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
        if failures:
            print(f"{len(failures)} failed: {failures[:3]}")
        # kill -9 in the middle of a second wave, then restart: everything acknowledged must be there
        kill_after = total // 2
        _, _, acked, cut = asyncio.run(wave(service, learners, payloads, kill_after=kill_after))
        service.process.wait()
        print(f"SIGKILL after {len(acked)} acknowledged submissions of the second wave "
              f"({len(cut)} requests cut off unanswered)")
        service.start()
        with Gradebook(folder / "gradebook.sqlite", readonly=True) as book:
            stored = {(s.learner, s.submitted_at) for s in book.submissions(history=True, detail=False)}
            integrity = book.integrity()
        service.stop()
        lost = [a for a in acknowledged + acked if a not in stored]
        print(f"after restart: {len(stored)} submissions in the gradebook, integrity {integrity}; "
              f"acknowledged but lost: {len(lost)}")
    hub.shutdown()
    return 0 if not lost and not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
