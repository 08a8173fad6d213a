"""Whole scenarios, typed as a learner types them, with what Docker 28 prints; the cases are YAML files in
``transcripts/``, each named for the behaviour it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sandbox import Sandbox

CASES = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_transcript(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    sb = Sandbox()
    for name, text in (case.get("files") or {}).items():
        sb.write_file(name, text)
    for number, step in enumerate(case["steps"], 1):
        host = sb.host(step["host"]) if "host" in step else sb
        for name, text in (step.get("files") or {}).items():
            host.write_file(name, text)
        result = host.run(step["run"], stdin=step.get("stdin"))
        where = f"{path.name} step {number}: {step['run']}"
        if "exit" in step:
            assert result.exit_code == step["exit"], f"{where}\n{result!r}"
        if "stdout" in step:
            assert result.stdout == step["stdout"], where
        if "stderr" in step:
            assert result.stderr == step["stderr"], where
        for text in step.get("stdout_has", []):
            assert text in result.stdout, f"{where}: {text!r} not in\n{result.stdout}"
        for text in step.get("stderr_has", []):
            assert text in result.stderr, f"{where}: {text!r} not in\n{result.stderr}"
        for text in step.get("stdout_lacks", []):
            assert text not in result.stdout, f"{where}: {text!r} in\n{result.stdout}"
