"""What the entrypoint tests that start JupyterLab share: a free loopback port, and the server's root listing once it
answers (the one wait loop, so each test states only what it starts and what it expects)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from typing import Callable

import pytest


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _contents_when_up(server: subprocess.Popen, port: int, seconds: float) -> dict:
    """``/api/contents`` of the JupyterLab ``server`` on ``port`` (token ``t0ken``), polled until it answers; fails
    with the server's stderr if it exits first, or after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=t0ken", timeout=2) as r:
                return json.load(r)
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "JupyterLab did not answer"
            time.sleep(0.3)


@pytest.fixture
def contents_when_up() -> Callable[[subprocess.Popen, int, float], dict]:
    """`_contents_when_up`, for tests that start JupyterLab themselves."""
    return _contents_when_up
