"""Package managers as models: ``apk add``, ``apt-get install``, ``pip install`` and ``npm install`` fetch nothing
(the sandbox has no network). Each installs a small placeholder file per package, naming the model, and records
a plausible installed size derived from the package's name, so a ``RUN`` step's layer and ``docker history`` show
a stable, believable weight. docs/sandbox.md lists them as models."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.shell import Call

#: Installed sizes the models choose from: between these bounds, fixed by the package name.
SMALLEST, LARGEST = 150_000, 9_000_000


def _size(manager: str, package: str) -> int:
    number = int(hashlib.sha256(f"{manager}:{package}".encode()).hexdigest()[:8], 16)
    return SMALLEST + number % (LARGEST - SMALLEST)


def _install(call: "Call", manager: str, packages: list[str], directory: str) -> int:
    machine = call.shell.machine
    total = 0
    for package in packages:
        name = package.split("=", 1)[0].split("@", 1)[0] or package
        path = f"{directory}/{name}"
        if path not in machine.files:
            call.shell.budget.new_file()
        machine.files[path] = f"{name}: installed by the sandbox's {manager} model (no files were fetched)\n".encode()
        size = _size(manager, name)
        machine.installed_sizes[path] = size
        total += size
    return total


def _operands(args: list[str]) -> list[str]:
    return [arg for arg in args if not arg.startswith("-")]


def apk(call: "Call") -> int:
    """``apk add PKG...`` (and ``update``, ``del``, which change nothing the lessons see)."""
    args = call.argv[1:]
    if args[:1] != ["add"]:
        return 0
    packages = [p for p in _operands(args[1:]) if "virtual" not in p]
    for index, package in enumerate(packages, 1):
        call.out(f"({index}/{len(packages)}) Installing {package}\n")
    total = _install(call, "apk", packages, "/usr/share/imageshare-models/apk")
    call.out(f"OK: {max(total // (1024 * 1024), 1)} MiB in {len(packages)} packages\n")
    return 0


def apt_get(call: "Call") -> int:
    """``apt-get install [-y] PKG...`` (``update`` and ``clean`` change nothing the lessons see)."""
    args = call.argv[1:]
    if "install" not in args:
        return 0
    packages = _operands(args[args.index("install") + 1:])
    for package in packages:
        call.out(f"Setting up {package} ...\n")
    _install(call, "apt", packages, "/usr/share/imageshare-models/apt")
    return 0


def pip(call: "Call") -> int:
    """``pip install PKG...`` (``-r requirements.txt`` reads the file); ``pip --version``."""
    args = call.argv[1:]
    env = call.env
    short = ".".join(env.get("PYTHON_VERSION", "3.13.3").split(".")[:2])
    if args[:1] in (["--version"], ["-V"]):
        call.out(f"pip 25.0.1 from /usr/local/lib/python{short}/site-packages/pip (python {short})\n")
        return 0
    if args[:1] != ["install"]:
        return 0
    packages = _operands(args[1:])
    if "-r" in args and args.index("-r") + 1 < len(args):
        requirements = call.shell.machine.read(call.path(args[args.index("-r") + 1]))
        if requirements is None:
            call.err(f"ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
                     f"'{args[args.index('-r') + 1]}'\n")
            return 1
        listed = [line.split("#", 1)[0].strip() for line in requirements.decode(errors="replace").splitlines()]
        packages = [p for p in packages if p != args[args.index("-r") + 1]] + [p for p in listed if p]
    _install(call, "pip", packages, f"/usr/local/lib/python{short}/site-packages")
    if packages:
        call.out("Successfully installed " + " ".join(packages) + "\n")
    return 0


def npm_install(call: "Call", packages: list[str]) -> int:
    """``npm install [PKG...]``: the named packages, or the dependencies of ``package.json``."""
    import json

    if not packages:
        manifest = call.shell.machine.read(call.path("package.json"))
        if manifest is not None:
            try:
                packages = sorted((json.loads(manifest.decode() or "{}").get("dependencies") or {}))
            except ValueError:
                packages = []
    _install(call, "npm", packages, f"{call.shell.cwd.rstrip('/')}/node_modules")
    call.out(f"\nadded {len(packages)} packages in 1s\n")
    return 0
