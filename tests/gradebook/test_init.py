"""The gradebook package's surface and its place in the layout: it sits beside quiz/, nothing below imports it, it
reads YAML only through the quiz loader, and nothing in it can run what a submission holds."""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox
import sandbox.gradebook as gradebook

PACKAGE = Path(sandbox.__file__).parent
GRADEBOOK = PACKAGE / "gradebook"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_public_surface_is_curated_and_documented() -> None:
    assert sorted(gradebook.__all__) == gradebook.__all__
    for name in gradebook.__all__:
        assert getattr(gradebook, name).__doc__, name


def test_only_the_front_ends_import_the_gradebook() -> None:
    importers = {p.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py")
                 if any(n == "sandbox.gradebook" or n.startswith("sandbox.gradebook.") for n in _imports(p))}
    assert importers <= {"gradebook", "entrypoint", "jupyter", "course"}


def test_the_gradebook_reads_yaml_only_through_the_quiz_loader_and_runs_nothing() -> None:
    never = {"yaml", "pickle", "marshal", "shelve", "subprocess", "socket", "urllib", "http", "ctypes"}
    for path in GRADEBOOK.glob("*.py"):
        assert not {n.split(".")[0] for n in _imports(path)} & never, path.name
        calls = {n.func.id for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Name)}
        assert not calls & {"eval", "exec", "compile", "__import__"}, path.name
