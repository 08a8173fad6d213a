"""``imageshare lite build|serve``: the course as a static JupyterLite site, its Python kernel (Pyodide) running in the
learner's browser with ``sandbox`` preinstalled, so a notebook's first cell is the same ``%load_ext sandbox`` as in
JupyterLab and nobody installs anything.

The build is offline and pinned: Pyodide's core comes from npm (``npm pack``), every wheel the kernel loads comes from
PyPI (``pip download``) or is made here (this project, and PyYAML's pure-Python half), and all of them are served by
the site itself, listed in a rewritten ``pyodide-lock.json`` and loaded at kernel start (``loadPyodideOptions``) with
the PyPI fallback off. Every Python module the site ships (the wheels and Pyodide's standard library) also ships as
bytecode compiled by the site's own Pyodide (run in Node at build time), so the kernel in the browser imports
instead of compiling. Downloads are kept in a cache folder, so a second build fetches nothing. Every version is
pinned and every file is written with fixed timestamps, so two builds of the same tree are byte-identical.

JupyterLite's build tools (``jupyterlite-core``, ``jupyterlite-pyodide-kernel``: the ``lite`` extra) are used here
only, through ``jupyter lite build`` in a subprocess.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sandbox.registry import catalogue

#: The checkout this package lives in: its notebooks, quizzes and ``pyproject.toml``.
ROOT = Path(__file__).resolve().parents[2]
#: npm's ``pyodide`` package: the core only (runtime, stdlib, a lock listing packages it does not ship).
PYODIDE = "314.0.6"
#: The JupyterLite builder and kernel; kernel 0.8.7 needs core 0.8.7, which the registry does not have.
JUPYTERLITE = {"jupyterlite-core": "0.8.6", "jupyterlite-pyodide-kernel": "0.8.6"}
#: Pure wheels the kernel loads at the versions Pyodide 314.0.6's lock names (its metadata is kept, the file is PyPI's).
FROM_LOCK = ("micropip", "packaging", "ipython", "asttokens", "decorator", "executing", "matplotlib-inline",
             "prompt-toolkit", "pure-eval", "pygments", "six", "stack-data", "traitlets", "wcwidth", "jedi", "parso")
#: Pure wheels the lock lacks: name -> (version, import names, dependencies in the lock).
ADDED = {
    "comm": ("0.2.3", ["comm"], ["traitlets"]),
    "ipython-pygments-lexers": ("1.1.1", ["ipython_pygments_lexers"], ["pygments"]),
    "ipywidgets": ("8.1.8", ["ipywidgets"], ["comm", "ipython", "traitlets"]),
}
#: The browser half of ipywidgets 8.1.8 (the JupyterLab extension that draws the widgets).
WIDGETS_LABEXTENSION = ("jupyterlab-widgets", "3.0.16")
#: PyYAML at the lock's version; its C half cannot run in Pyodide, so the site gets its pure-Python modules.
PYYAML = "6.0.3"
#: The kernel's own wheels, shipped inside jupyterlite-pyodide-kernel: name -> (import names, dependencies).
KERNEL_WHEELS = {"piplite": (["piplite"], ["micropip"]), "pyodide-kernel": (["pyodide_kernel"], ["comm", "ipython"]),
                 "ipykernel": (["ipykernel"], ["pyodide-kernel"])}
#: This project's wheel: the package with its data and the course's quizzes.
PROJECT = "imageshare"
#: Loaded at kernel start in one go (so nothing is installed later, and the kernel skips piplite's installs).
PRELOADED = ["micropip", "piplite", "pyodide-kernel", "ipykernel", "comm", "jedi", "ipython", "ipywidgets", "pyyaml",
             PROJECT]
#: The files of npm's package the site serves (not its console pages, source maps or type declarations).
PYODIDE_FILES = ("pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", "python_stdlib.zip", "package.json")
#: Timestamp of every file in the wheels we write and of the site's contents (2026-01-01 UTC): builds are identical.
EPOCH = 1767225600
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
#: Package data shipped in the project's wheel, as ``pyproject.toml`` declares it.
PACKAGE_DATA = (".py", ".yaml", ".txt", ".json")
#: Where downloads (and bytecode compiled before) are kept between builds.
DEFAULT_CACHE = Path(os.environ.get("IMAGESHARE_LITE_CACHE", Path.home() / ".cache" / "imageshare-lite"))
KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
#: Media types a browser insists on (WebAssembly streaming compilation, ES modules).
SERVE_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
               ".json": "application/json", ".ipynb": "application/json", ".yaml": "text/plain; charset=utf-8",
               ".whl": "application/octet-stream", ".zip": "application/zip"}


class LiteError(Exception):
    """A build step failed: a tool is missing, a download failed, or a wheel is not what was pinned."""


@dataclass(frozen=True)
class Wheel:
    """A wheel the site serves and the kernel's lock lists."""

    name: str
    version: str
    file_name: str
    data: bytes
    imports: tuple[str, ...]
    depends: tuple[str, ...]

    def lock_entry(self) -> dict:
        """This wheel's entry in ``pyodide-lock.json`` (its sha256 is of the bytes the site serves)."""
        return {"name": self.name, "version": self.version, "file_name": self.file_name, "install_dir": "site",
                "sha256": hashlib.sha256(self.data).hexdigest(), "package_type": "package",
                "imports": list(self.imports), "depends": list(self.depends), "unvendored_tests": False}


# -- downloads, kept in the cache ----------------------------------------------------------------------------------

def run(argv: list[str], what: str, **kwargs) -> None:
    """Run a build tool; raises ``LiteError`` with its output when it fails or is missing."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise LiteError(f"{what}: {argv[0]} is not installed") from None
    if done.returncode:
        raise LiteError(f"{what} failed ({shlex.join(argv)}):\n{(done.stdout + done.stderr)[-3000:]}")


def pyodide_core(cache: Path) -> Path:
    """The unpacked npm package ``pyodide@PYODIDE`` (``npm pack`` into the cache the first time)."""
    folder = cache / f"pyodide-{PYODIDE}"
    if (folder / "pyodide-lock.json").is_file():
        return folder
    tarball = cache / f"pyodide-{PYODIDE}.tgz"
    if not tarball.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise LiteError("npm is not installed (apt-get install npm): it fetches Pyodide's core from npm")
        run([npm, "pack", f"pyodide@{PYODIDE}", "--pack-destination", str(cache)], "npm pack pyodide", cwd=cache)
    unpacked = Path(tempfile.mkdtemp(dir=cache))
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    (unpacked / "package").rename(folder)
    unpacked.rmdir()
    return folder


def pip_download(cache: Path, specs: list[str], *extra: str) -> None:
    """``pip download`` pinned wheels into ``cache/wheels`` for Pyodide's Python (3.14), without dependencies."""
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.14", "--dest", str(cache / "wheels"), *extra, *specs], "pip download")


def cached_wheel(cache: Path, name: str, version: str) -> Path | None:
    """The cached wheel of ``name==version``, if it was downloaded before."""
    stem = name.replace("-", "_").lower()
    for path in sorted((cache / "wheels").glob("*.whl")):
        dist, ver = path.name.split("-")[:2]
        if dist.lower() == stem and ver == version:
            return path
    return None


def fetch_wheels(cache: Path, lock: dict) -> dict[str, Path]:
    """Every pinned wheel from PyPI (name -> file), downloading only the ones the cache lacks.

    Raises ``LiteError`` when one is not a pure ``none-any`` wheel (Pyodide cannot load a platform wheel).
    """
    pure = {name: lock["packages"][name]["version"] for name in FROM_LOCK}
    pure |= {name: version for name, (version, _, _) in ADDED.items()}
    pure[WIDGETS_LABEXTENSION[0]] = WIDGETS_LABEXTENSION[1]
    missing = [f"{n}=={v}" for n, v in pure.items() if cached_wheel(cache, n, v) is None]
    if missing:
        pip_download(cache, missing)
    if cached_wheel(cache, "pyyaml", PYYAML) is None:
        # PyYAML publishes no pure wheel; a binary one holds the same pure modules, without building the sdist.
        pip_download(cache, [f"pyyaml=={PYYAML}"], "--platform", "manylinux_2_17_x86_64", "--implementation", "cp",
                     "--abi", "cp314")
    wheels = {}
    for name, version in pure.items() | {("pyyaml", PYYAML)}:
        path = cached_wheel(cache, name, version)
        if path is None:
            raise LiteError(f"pip download did not give {name}=={version}")
        if name != "pyyaml" and not path.name.endswith("-none-any.whl"):
            raise LiteError(f"{path.name} is not a pure-Python wheel")
        wheels[name] = path
    return wheels


# -- wheels written here, byte for byte the same each time ---------------------------------------------------------

def write_wheel(name: str, version: str, files: dict[str, bytes], requires: tuple[str, ...] = ()) -> tuple[str, bytes]:
    """A ``py3-none-any`` wheel of ``files`` (archive name -> bytes): its file name and bytes, with fixed times."""
    dist = f"{name.replace('-', '_')}-{version}"
    info = f"{dist}.dist-info"
    metadata = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                        *(f"Requires-Dist: {r}\n" for r in requires)])
    files = dict(sorted(files.items())) | {
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: imageshare-lite\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
              f"{len(data)}" for path, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path, ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return f"{dist}-py3-none-any.whl", buffer.getvalue()


def project_wheel(root: Path) -> Wheel:
    """This checkout's ``sandbox`` package with its data, and ``quizzes/`` where ``find_quiz`` looks beside it; the
    Docker Hub catalogue also comes parsed, as JSON (Pyodide's PyYAML parses in pure Python, slowly).

    Raises ``LiteError`` when the catalogue holds data JSON cannot keep as it is.
    """
    files = {}
    for path in sorted((root / "sandbox").rglob("*")):
        if path.is_file() and path.suffix in PACKAGE_DATA and "__pycache__" not in path.parts:
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files[f"sandbox/registry/{catalogue.PARSED}"] = catalogue_json(root / "sandbox" / "registry" / "catalogue.yaml")
    for path in sorted((root / "quizzes").glob("*.yaml")):
        files[f"quizzes/{path.name}"] = path.read_bytes()
    version = project_version(root)
    file_name, data = write_wheel(PROJECT, version, files, requires=("pyyaml", "ipywidgets"))
    return Wheel(PROJECT, version, file_name, data, ("sandbox",), ("pyyaml", "ipywidgets", "ipython"))


def catalogue_json(path: Path) -> bytes:
    """The catalogue at ``path`` parsed, as JSON; raises ``LiteError`` unless JSON gives back the same data."""
    data = catalogue.catalogue_data(path.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if json.loads(text) != data:
        raise LiteError(f"{path} holds data JSON cannot keep as it is (a date, or a key that is not a string)")
    return text.encode("utf-8")


def project_version(root: Path) -> str:
    """The version ``pyproject.toml`` declares."""
    import tomllib

    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def pure_pyyaml(binary: Path) -> Wheel:
    """PyYAML's pure-Python modules (``yaml/*.py``) from one of its binary wheels, as a ``py3-none-any`` wheel;
    in Pyodide ``yaml.__with_libyaml__`` is then False and the pure loader and dumper do the work."""
    with zipfile.ZipFile(binary) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n.startswith("yaml/") and n.endswith(".py")}
    if "yaml/__init__.py" not in files:
        raise LiteError(f"{binary.name} holds no yaml package")
    file_name, data = write_wheel("PyYAML", PYYAML, files)
    return Wheel("pyyaml", PYYAML, file_name, data, ("yaml",), ())


# -- bytecode, compiled by the site's own Pyodide --------------------------------------------------------------------
#: Loads the Pyodide of the folder given, mounts the work folder and runs COMPILE_PY in it (Node: no browser needed).
COMPILE_JS = """
const [core, work] = process.argv.slice(1);
const { readFileSync } = await import("node:fs");
const { loadPyodide } = await import(core + "/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: core + "/", env: { PYTHONHASHSEED: "0" } });
pyodide.FS.mkdir("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: work }, "/work");
await pyodide.runPythonAsync(readFileSync(work + "/compile.py", "utf8"));
"""
#: Compiles ``/work/src/N.py`` as the file the kernel will import (``/work/files.json``: [[N, path], ...]) into an
#: unchecked-hash pyc ``/work/out/N.pyc`` (no timestamp in it, so builds stay identical), and writes the runtime's
#: cache tag; a file that does not compile (a Python 2 leftover in a wheel) gets no pyc, as compileall skips it.
COMPILE_PY = """
import importlib.util, json, sys, warnings
from importlib._bootstrap_external import _code_to_hash_pyc
warnings.simplefilter("ignore")
for number, path in json.load(open("/work/files.json")):
    source = open(f"/work/src/{number}.py", "rb").read()
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        continue
    with open(f"/work/out/{number}.pyc", "wb") as out:
        out.write(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))
open("/work/out/tag", "w").write(sys.implementation.cache_tag)
"""


def compile_bytecode(core: Path, sources: dict[str, bytes], cache: Path) -> tuple[str, dict[str, bytes]]:
    """The runtime's cache tag (``cpython-314``) and the bytecode of each source (path the kernel imports it from ->
    pyc bytes), compiled by the Pyodide in ``core`` itself, so magic number and bytecode are the kernel's.

    A pyc compiled before (same runtime, path and source) is taken from ``cache``. Raises ``LiteError`` when Node
    is missing or Pyodide fails.
    """
    store = cache / f"bytecode-{PYODIDE}"
    store.mkdir(parents=True, exist_ok=True)

    def key(path: str, source: bytes) -> str:
        return hashlib.sha256(path.encode() + b"\0" + source).hexdigest()

    tag_file = store / "tag"
    wanted = {path: key(path, source) for path, source in sources.items()}
    missing = [path for path, k in wanted.items() if not (store / f"{k}.pyc").is_file()
               and not (store / f"{k}.none").is_file()]
    if missing or not tag_file.is_file():
        node = shutil.which("node")
        if node is None:
            raise LiteError("node is not installed (apt-get install nodejs): the site's Pyodide compiles its bytecode")
        with tempfile.TemporaryDirectory(prefix="imageshare-bytecode-") as folder:
            work = Path(folder)
            (work / "src").mkdir()
            (work / "out").mkdir()
            for number, path in enumerate(missing):
                (work / "src" / f"{number}.py").write_bytes(sources[path])
            (work / "files.json").write_text(json.dumps(list(enumerate(missing))), encoding="utf-8")
            (work / "compile.py").write_text(COMPILE_PY, encoding="utf-8")
            run([node, "--input-type=module", "-e", COMPILE_JS, str(core.resolve()), str(work)],
                "compiling bytecode with Pyodide in Node")
            for number, path in enumerate(missing):
                compiled = work / "out" / f"{number}.pyc"
                if compiled.is_file():
                    shutil.copyfile(compiled, store / f"{wanted[path]}.pyc")
                else:
                    (store / f"{wanted[path]}.none").write_bytes(b"")
            shutil.copyfile(work / "out" / "tag", tag_file)
    found = {path: store / f"{k}.pyc" for path, k in wanted.items()}
    return tag_file.read_text(), {path: pyc.read_bytes() for path, pyc in found.items() if pyc.is_file()}


def rezip(data: bytes, added: dict[str, bytes]) -> bytes:
    """The zip archive ``data`` with the files ``added`` (archive name -> bytes) after its own, every entry with a
    fixed time; a wheel's ``RECORD`` gets a line for each added file."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = [(info, source.read(info)) for info in source.infolist()]
    records = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(".dist-info/RECORD")]
    for index in records:
        info, text = entries[index]
        lines = [f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(pyc).digest()).rstrip(b'=').decode()},"
                 f"{len(pyc)}\n" for path, pyc in added.items()]
        entries[index] = (info, text + "".join(lines).encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in entries + [(zipfile.ZipInfo(path), pyc) for path, pyc in added.items()]:
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.external_attr = info.external_attr or 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()


def site_packages(lock: dict) -> str:
    """Where the kernel installs wheels: ``/lib/python3.14/site-packages`` for the lock's Python."""
    major, minor = lock["info"]["python"].split(".")[:2]
    return f"/lib/python{major}.{minor}/site-packages"


def stdlib_zip(lock: dict) -> str:
    """Where Pyodide puts its standard library, imported by zipimport: ``/lib/python314.zip``."""
    major, minor = lock["info"]["python"].split(".")[:2]
    return f"/lib/python{major}{minor}.zip"


def modules(data: bytes) -> dict[str, bytes]:
    """The ``.py`` files of a zip archive (archive name -> source)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist() if name.endswith(".py")}


def with_bytecode(core: Path, lock: dict, wheels: list[Wheel], cache: Path) -> tuple[list[Wheel], bytes]:
    """The wheels with a ``__pycache__`` pyc beside each module, and Pyodide's ``python_stdlib.zip`` with a pyc
    beside each module (where zipimport looks), all compiled for the kernel's runtime."""
    stdlib = (core / "python_stdlib.zip").read_bytes()
    sources = {f"{stdlib_zip(lock)}/{name}": source for name, source in modules(stdlib).items()}
    for wheel in wheels:
        sources |= {f"{site_packages(lock)}/{name}": source for name, source in modules(wheel.data).items()}
    tag, compiled = compile_bytecode(core, sources, cache)

    def cached(name: str) -> str:
        folder, _, file = name.rpartition("/")
        return f"{folder}/__pycache__/{file[:-3]}.{tag}.pyc".removeprefix("/")

    done = []
    for wheel in wheels:
        added = {cached(name): compiled[f"{site_packages(lock)}/{name}"] for name in modules(wheel.data)
                 if f"{site_packages(lock)}/{name}" in compiled}
        done.append(Wheel(wheel.name, wheel.version, wheel.file_name, rezip(wheel.data, added), wheel.imports,
                          wheel.depends))
    beside = {f"{name}c": compiled[f"{stdlib_zip(lock)}/{name}"] for name in modules(stdlib)
              if f"{stdlib_zip(lock)}/{name}" in compiled}
    return done, rezip(stdlib, beside)


# -- the kernel's lock ----------------------------------------------------------------------------------------------

def kernel_extension() -> Path:
    """The installed labextension of jupyterlite-pyodide-kernel (its JavaScript and the kernel's own wheels).

    Raises ``LiteError`` when the ``lite`` extra is missing or not at the pinned versions.
    """
    from importlib import metadata

    for dist, version in JUPYTERLITE.items():
        try:
            found = metadata.version(dist)
        except metadata.PackageNotFoundError:
            raise LiteError(f"{dist} is not installed: pip install 'imageshare[lite]'") from None
        if found != version:
            raise LiteError(f"{dist} {found} is installed; the site is pinned to {version} "
                            "(pip install 'imageshare[lite]')")
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("labextensions"):
        folder = Path(base) / "@jupyterlite" / "pyodide-kernel-extension"
        if (folder / "package.json").is_file():
            return folder
    raise LiteError("the labextension of jupyterlite-pyodide-kernel is not installed")


def kernel_wheels(extension: Path) -> list[Wheel]:
    """The kernel's wheels (piplite, pyodide-kernel, its ipykernel stand-in) shipped in its labextension."""
    pypi = extension / "static" / "pypi"
    wheels = []
    version = JUPYTERLITE["jupyterlite-pyodide-kernel"]
    for name, (imports, depends) in KERNEL_WHEELS.items():
        matches = sorted(pypi.glob(f"{name.replace('-', '_')}-*-py3-none-any.whl"))
        if len(matches) != 1:
            raise LiteError(f"{pypi} should hold one {name} wheel, not {len(matches)}")
        path = matches[0]
        wheels.append(Wheel(name, path.name.split("-")[1] if name == "ipykernel" else version, path.name,
                            path.read_bytes(), tuple(imports), tuple(depends)))
    return wheels


def canonical(name: str) -> str:
    """A distribution name as the lock's keys spell it (``prompt_toolkit`` -> ``prompt-toolkit``)."""
    return name.lower().replace("_", "-").replace(".", "-")


def site_wheels(cache: Path, core: Path, extension: Path, root: Path) -> tuple[dict, list[Wheel], bytes]:
    """The lock the site serves, the wheels it lists and the standard library: Pyodide's entries for the packages we
    ship, pointing at PyPI's files with our bytecode added (whose bytes differ from Pyodide's builds, hence the new
    sha256), the added ones, and nothing else."""
    lock = json.loads((core / "pyodide-lock.json").read_text(encoding="utf-8"))
    paths = fetch_wheels(cache, lock)
    wheels = []
    for name in FROM_LOCK:
        entry = lock["packages"][name]
        wheels.append(Wheel(name, entry["version"], paths[name].name, paths[name].read_bytes(),
                            tuple(entry["imports"]), tuple(canonical(d) for d in entry["depends"])))
    for name, (version, imports, depends) in ADDED.items():
        wheels.append(Wheel(name, version, paths[name].name, paths[name].read_bytes(), tuple(imports),
                            tuple(depends)))
    wheels += [pure_pyyaml(paths["pyyaml"]), *kernel_wheels(extension), project_wheel(root)]
    wheels, stdlib = with_bytecode(core, lock, wheels, cache)
    served = {w.name for w in wheels}
    unmet = sorted({d for w in wheels for d in w.depends} - served)
    if unmet:
        raise LiteError(f"the kernel's wheels depend on packages the site does not ship: {', '.join(unmet)}")
    entries = {w.name: w.lock_entry() for w in sorted(wheels, key=lambda w: w.name)}
    site_lock = {"info": lock["info"], "packages": entries}
    return site_lock, wheels, stdlib


# -- the site -------------------------------------------------------------------------------------------------------

def lite_config() -> dict:
    """``jupyter-lite.json`` of the site: the kernel loads everything from the site at start, never from PyPI."""
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "imageshare",
        "exposeAppInBrowser": True,
        "litePluginSettings": {KERNEL_SETTINGS: {
            "pyodideUrl": "./static/pyodide/pyodide.mjs",
            "disablePyPIFallback": True,
            "loadPyodideOptions": {"packages": PRELOADED},
        }},
    }}


def joined_lines(notebook_json: str) -> str:
    """The notebook with every text stored as a list of lines joined into one string (nbformat allows both).

    JupyterLite 0.8.6 shows a stored stream output kept as a list of lines with a comma before each line after the
    first (the list's ``toString``), so the site serves the notebooks joined; what they say is unchanged.
    """
    notebook = json.loads(notebook_json)

    def joined(value):
        return "".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value

    for cell in notebook.get("cells", []):
        cell["source"] = joined(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = joined(output["text"])
            for mime, value in output.get("data", {}).items():
                if not mime.endswith("json"):
                    output["data"][mime] = joined(value)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def stage(lite_dir: Path, cache: Path, root: Path, extension: Path) -> list[str]:
    """Lay out the lite dir ``jupyter lite build`` reads: Pyodide with our wheels and lock in ``static/pyodide``,
    the course in ``content``, the settings; returns the extra build arguments (the extensions to include)."""
    core = pyodide_core(cache)
    lock, wheels, stdlib = site_wheels(cache, core, extension, root)
    pyodide = lite_dir / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(core / name, pyodide / name)
    (pyodide / "python_stdlib.zip").write_bytes(stdlib)
    for wheel in wheels:
        (pyodide / wheel.file_name).write_bytes(wheel.data)
    (pyodide / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    content = lite_dir / "content"
    (content / "quizzes").mkdir(parents=True)
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        (content / notebook.name).write_text(joined_lines(notebook.read_text(encoding="utf-8")), encoding="utf-8")
    for quiz in sorted((root / "quizzes").glob("*")):
        if quiz.is_file():
            shutil.copyfile(quiz, content / "quizzes" / quiz.name)
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(lite_config(), indent=2) + "\n", encoding="utf-8")
    labextensions = lite_dir / "labextensions" / "@jupyterlite"
    labextensions.mkdir(parents=True)
    shutil.copytree(extension, labextensions / extension.name)
    widgets = cached_wheel(cache, *WIDGETS_LABEXTENSION)
    return [f"--FederatedExtensionAddon.extra_labextensions_path={lite_dir / 'labextensions'}",
            f"--LiteBuildConfig.federated_extensions={widgets}"]


def build(output: Path, cache: Path = DEFAULT_CACHE, root: Path = ROOT) -> Path:
    """Build the site into ``output`` (replaced); raises ``LiteError`` when a step fails."""
    if not (root / "notebooks").is_dir():
        raise LiteError(f"no notebooks folder in {root}")
    extension = kernel_extension()
    cache.mkdir(parents=True, exist_ok=True)
    output = output.resolve()
    with tempfile.TemporaryDirectory(prefix="imageshare-lite-") as work:
        lite_dir = Path(work) / "lite"
        lite_dir.mkdir()
        extra = stage(lite_dir, cache, root, extension)
        built = Path(work) / "site"
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
        run([sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(built),
             "--contents", str(lite_dir / "content"), "--ignore-sys-prefix", "--no-sourcemaps",
             f"--source-date-epoch={EPOCH}", f"--LiteBuildConfig.cache_dir={Path(work) / 'cache'}", *extra],
            "jupyter lite build", cwd=lite_dir, env=env)
        for stray in built.rglob(".jupyterlite.doit.db*"):
            stray.unlink()
        (built / ".nojekyll").write_bytes(b"")  # GitHub Pages serves the site as it is, not through Jekyll
        if output.exists():
            shutil.rmtree(output)
        shutil.move(str(built), output)
    return output


def size(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- a preview server ------------------------------------------------------------------------------------------------

#: A file name holding a hash of its content (JupyterLab's bundles: ``jlab_core.a86436d.js``): a new build names new
#: content anew, so a browser may keep such a file for good.
HASHED_NAME = re.compile(r"\.[0-9a-f]{7,32}\.js$")


def cache_control(path: str) -> str:
    """What the preview server (and, the docs say, any host) tells browsers about keeping ``path``: bundles named
    by their content are kept for good; everything else is kept but asked about again (``ETag``) on each use, so a
    rebuilt site shows at once and an unchanged one costs a 304 instead of its bytes."""
    return "public, max-age=31536000, immutable" if HASHED_NAME.search(path.split("?", 1)[0]) else "no-cache"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types a browser needs for WebAssembly and ES modules, quiet, with an ``ETag`` of each
    file's content and `cache_control`. Every file of a site has the same fixed date (builds are identical), so the
    date cannot tell a rebuilt file from the old one: only the ``ETag`` answers ``304 Not Modified``."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **SERVE_TYPES}
    #: (path, inode, size, mtime) -> ETag, so a file is hashed once while it stays the same file.
    etags: dict[tuple, str] = {}
    etag: str | None = None

    def send_head(self):
        self.etag = None
        del self.headers["If-Modified-Since"]
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            self.etag = file_etag(path, self.etags)
            if self.etag in (t.strip() for t in self.headers.get("If-None-Match", "").split(",")):
                self.send_response(http.server.HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", cache_control(self.path))
        if self.etag is not None:
            self.send_header("ETag", self.etag)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature of the base class
        pass


def file_etag(path: str, known: dict[tuple, str]) -> str:
    """A strong ``ETag`` of the file's content, remembered in ``known`` while the file stays the same file."""
    stat = os.stat(path)
    key = (path, stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if key not in known:
        digest = hashlib.sha256()
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        known[key] = f'"{digest.hexdigest()[:32]}"'
    return known[key]


def serve(site: Path, port: int = 0, ready=None) -> None:
    """Serve ``site`` on 127.0.0.1:``port`` (0: a free one) until SIGINT or SIGTERM; ``ready(url)`` is called once
    the socket listens."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(site)))
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    stopping = threading.Event()

    def stop(*_) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready(url)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


# -- the command ----------------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    """``imageshare lite build [OUTDIR]`` or ``imageshare lite serve [OUTDIR]``; 1 when a build step fails, 2 on
    bad usage."""
    parser = argparse.ArgumentParser(prog="imageshare lite", description="The course as a JupyterLite site: Python "
                                     "runs in the learner's browser, nothing to install.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="build|serve")
    built = commands.add_parser("build", help="build the site (offline once the cache is filled)")
    built.add_argument("outdir", nargs="?", default="_site", help="where the site goes (default: _site)")
    built.add_argument("--cache", default=str(DEFAULT_CACHE), metavar="DIR",
                       help=f"where downloads are kept between builds (default: {DEFAULT_CACHE})")
    served = commands.add_parser("serve", help="preview a built site on 127.0.0.1")
    served.add_argument("outdir", nargs="?", default="_site", help="the built site (default: _site)")
    served.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    options = parser.parse_args(argv)
    site = Path(options.outdir)
    if options.command == "build":
        try:
            output = build(site, Path(options.cache))
        except LiteError as e:
            sys.stderr.write(f"imageshare lite build: {e}\n")
            return 1
        sys.stdout.write(f"imageshare: the course is in {output} ({size(output) / 1e6:.1f} MB); "
                         f"preview it with: imageshare lite serve {options.outdir}\n")
        return 0
    if not (site / "index.html").is_file():
        sys.stderr.write(f"imageshare lite serve: no site in {site} (run: imageshare lite build {options.outdir})\n")
        return 2
    try:
        serve(site, options.port, ready=lambda url: (
            sys.stdout.write(f"imageshare: the course is at {url}lab/index.html (Ctrl-C to stop)\n"),
            sys.stdout.flush()))
    except OSError as e:
        sys.stderr.write(f"imageshare lite serve: cannot listen on 127.0.0.1:{options.port}: {e.strerror}\n")
        return 1
    return 0
