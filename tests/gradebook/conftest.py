"""Shared fixtures: the tiny quiz in data/quizzes/ and the rejected submissions in data/rejected/."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
QUIZZES = DATA / "quizzes"
REJECTED = DATA / "rejected"
