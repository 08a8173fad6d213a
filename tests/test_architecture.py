"""The package keeps Docker's shape: imports point downward only (CLI -> engine -> registry -> content -> oci),
yaml only in the loaders, IPython and ipywidgets only under jupyter/, jupyterhub and tornado only under course/, and
the public surface is curated."""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox

PACKAGE = Path(sandbox.__file__).parent

#: Layer of each part; a module may import only from its own layer or lower ones.
LAYERS = {
    "errors": 0, "clock": 0, "events": 0, "material": 0, "suggest": 0, "workers": 0,
    "oci": 1,
    "content": 2, "shell": 2,
    "registry": 3,
    "engine": 4,
    "cli": 5,
    "world": 6, "sandbox": 6,
    "quiz": 7, "gradebook": 7,
    "jupyter": 8, "entrypoint": 8, "course": 8, "__init__": 8,
}


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return relative.parts[0]


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _modules():
    return [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]


def test_imports_point_downward_only() -> None:
    problems = []
    for path in _modules():
        mine = LAYERS[_part(path)]
        for name in _imports(path):
            if not name.startswith("sandbox.") :
                continue
            target = name.split(".")[1]
            if LAYERS.get(target, 99) > mine:
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def test_yaml_only_in_loaders_and_front_ends_only_in_jupyter() -> None:
    yaml_allowed = {"quiz", "gradebook", "entrypoint", "course"}
    problems = []
    for path in _modules():
        part = _part(path)
        for name in _imports(path):
            root = name.split(".")[0]
            if root == "yaml" and part not in yaml_allowed and path.name != "catalogue.py":
                problems.append(f"{path.relative_to(PACKAGE)} imports yaml")
            if root in ("IPython", "ipywidgets", "traitlets") and part != "jupyter":
                problems.append(f"{path.relative_to(PACKAGE)} imports {root}")
    assert problems == []


def test_core_never_reaches_the_host() -> None:
    forbidden = {"subprocess", "socket", "urllib", "http", "requests", "shutil"}
    problems = []
    for path in _modules():
        if _part(path) in ("jupyter", "entrypoint", "gradebook", "quiz", "course"):
            continue
        for name in _imports(path):
            if name.split(".")[0] in forbidden:
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def test_the_hub_and_its_web_server_only_in_the_course_service() -> None:
    problems = [f"{path.relative_to(PACKAGE)} imports {name}" for path in _modules() if _part(path) != "course"
                for name in _imports(path) if name.split(".")[0] in ("jupyterhub", "tornado")]
    assert problems == []


def test_the_notebook_side_and_the_course_service_share_only_the_submission_format() -> None:
    problems = [f"{path.relative_to(PACKAGE)} imports {name}" for path in _modules()
                for name in _imports(path) if {_part(path), name.split(".")[1] if name.startswith("sandbox.") else ""}
                == {"jupyter", "course"}]
    assert problems == []


def test_public_surface_is_curated() -> None:
    assert sorted(sandbox.__all__) == [
        "BuildError", "Conflict", "DaemonError", "HostHandle", "InvalidReference", "NotFound", "RegistryError",
        "Result", "Sandbox", "SandboxError", "UsageError",
    ]
    for name in sandbox.__all__:
        assert getattr(sandbox, name).__doc__, name
