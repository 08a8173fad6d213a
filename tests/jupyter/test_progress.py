"""Live push/pull progress: Docker's progress bar text, screens that end on exactly the terminal's final text, and
an animation bounded in time."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from sandbox.cli.render import final_screen
from sandbox.engine.progress import Progress
from sandbox.jupyter.progress import LONGEST, SECONDS_VARIABLE, SHORTEST, ProgressBoard, bar, frames, paced, schedule

WEB_APP = {
    "Dockerfile": 'FROM node:20-alpine\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n',
    "server.js": 'require("http").createServer((q, r) => r.end("hi")).listen(80);\n',
}


def _streams() -> list:
    """Every push and pull stream of a session that pulls, mounts, uploads, is denied and finds layers present."""
    sb = Sandbox()
    for name, text in WEB_APP.items():
        sb.write_file(name, text)
    lines = ["docker pull alpine", "docker pull alice/hello-web:1.0", "docker build -q -t web .",
             "docker tag web alice/web:1", "docker push alice/web:1", "docker login -u learner -p s3cret-pass",
             "docker tag web learner/web:1", "docker push learner/web:1", "docker push learner/web:1",
             "docker pull -a alice/hello-web", "docker pull alice/hello-web:9"]
    return [stream for line in lines for stream in sb.run(line).progress]


def test_bar_draws_dockers_progress_bar_with_sizes() -> None:
    assert bar(1_210_000, 3_642_247) == "[" + "=" * 16 + ">" + " " * 34 + "]   1.21MB/3.642MB"
    assert bar(3_642_247, 3_642_247) == "[" + "=" * 50 + ">]  3.642MB/3.642MB"
    assert bar(0, 57) == "[>" + " " * 50 + "]       0B/57B"


def test_bar_without_a_total_shows_the_bytes_only() -> None:
    assert bar(1500, 0) == "   1.5kB"
    assert bar(0, 0) == ""


def test_frames_move_bytes_then_settle_on_the_status() -> None:
    messages = [Progress("Pulling fs layer", "abc"), Progress("Downloading", "abc", 600, 600),
                Progress("Pull complete", "abc")]
    shown = list(frames(messages, steps=3))
    assert [n for _, n in shown] == [0, 200, 200, 200, 0, 0]
    assert shown[1][0] == f"abc: Downloading {bar(200, 600)}\n"
    assert shown[-1][0] == "abc: Pull complete\n"


def test_the_last_frame_is_the_terminals_final_text() -> None:
    streams = _streams()
    assert len(streams) >= 6
    for stream in streams:
        assert list(frames(stream.messages))[-1][0] == final_screen(stream.messages)


def test_schedule_keeps_every_animation_between_its_bounds() -> None:
    for stream in _streams():
        total = sum(seconds for _, seconds in schedule(stream.messages))
        assert SHORTEST - 1e-9 <= total <= LONGEST + 1e-9


def test_the_test_hook_stretches_every_stream_to_its_seconds_and_shows_the_same_screens(monkeypatch) -> None:
    streams = _streams()
    usual = [schedule(stream.messages) for stream in streams]
    monkeypatch.setenv(SECONDS_VARIABLE, "120")
    for stream, before in zip(streams, usual):
        held = schedule(stream.messages)
        assert [text for text, _ in held] == [text for text, _ in before]
        assert sum(seconds for _, seconds in held) == pytest.approx(120)


@pytest.mark.parametrize("unusable", ["", "soon", "0", "-3", "nan", "inf"])
def test_an_unusable_test_hook_value_keeps_the_usual_bounds(monkeypatch, unusable) -> None:
    monkeypatch.setenv(SECONDS_VARIABLE, unusable)
    for stream in _streams():
        assert SHORTEST - 1e-9 <= sum(seconds for _, seconds in schedule(stream.messages)) <= LONGEST + 1e-9


def test_board_plays_every_screen_and_ends_on_the_final_text() -> None:
    messages = _streams()[0].messages
    waited: list[float] = []
    board = ProgressBoard()
    board.play(messages, waited.append)
    assert board.value == "<pre style='margin:0'>" + final_screen(messages).replace("<", "&lt;") + "</pre>"
    assert len(waited) >= len(messages)
    assert repr(board) == "ProgressBoard()"


def test_drawing_a_screen_counts_against_the_time_it_stays_up() -> None:
    now = [0.0]
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    shown = []
    for text in paced([("a", 0.5), ("b", 0.2), ("c", 0.3)], sleep, clock=lambda: now[0]):
        shown.append(text)
        now[0] += 0.25  # the front end takes this long to draw each screen
    assert shown == ["a", "b", "c"]
    assert waited == [0.25, 0.0, 0.0] and now[0] == 1.0  # the whole lasts its schedule, 0.5 + 0.2 + 0.3 s
