"""``imageshare lite build|serve``: the pieces of the JupyterLite site that need no download (the wheels written
here, the kernel's settings, the lock's shape) and the preview server (the address printed once it listens, a clean
stop on SIGTERM). The whole site is built and run in a browser in tests/e2e/test_lite.py."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import select
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from sandbox.entrypoint import main
from sandbox.entrypoint.lite import (ADDED, DEFAULT_CACHE, FROM_LOCK, KERNEL_WHEELS, PRELOADED, PROJECT, PYODIDE,
                                     Wheel, cache_control, canonical, compile_bytecode, joined_lines, lite_config, project_wheel,
                                     pure_pyyaml, rezip, write_wheel)

ROOT = Path(__file__).resolve().parents[2]


def test_usage_lists_lite(capsys) -> None:
    main(["--help"])
    assert "  lite build|serve [DIR] " in capsys.readouterr().out


def test_a_wheel_written_twice_is_the_same_bytes_and_its_record_holds_every_hash() -> None:
    files = {"pkg/b.py": b"B = 2\n", "pkg/__init__.py": b"from .b import B\n"}
    name, first = write_wheel("my-pkg", "1.0", files, requires=("pyyaml",))
    assert (name, first) == write_wheel("my-pkg", "1.0", dict(reversed(files.items())), requires=("pyyaml",))
    assert name == "my_pkg-1.0-py3-none-any.whl"
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    record = archive.read("my_pkg-1.0.dist-info/RECORD").decode().splitlines()
    for line in record[:-1]:
        path, digest, length = line.split(",")
        data = archive.read(path)
        assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert int(length) == len(data)
    assert record[-1] == "my_pkg-1.0.dist-info/RECORD,,"
    assert "Requires-Dist: pyyaml" in archive.read("my_pkg-1.0.dist-info/METADATA").decode()


def test_files_added_to_a_wheel_get_a_record_line_and_the_fixed_time() -> None:
    _, data = write_wheel("pkg", "1.0", {"pkg/__init__.py": b"A = 1\n"})
    pyc = b"\x00" * 20
    archive = zipfile.ZipFile(io.BytesIO(rezip(data, {"pkg/__pycache__/__init__.cpython-314.pyc": pyc})))
    assert archive.read("pkg/__pycache__/__init__.cpython-314.pyc") == pyc
    assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    digest = base64.urlsafe_b64encode(hashlib.sha256(pyc).digest()).rstrip(b"=").decode()
    assert f"pkg/__pycache__/__init__.cpython-314.pyc,sha256={digest},20" in archive.read(
        "pkg-1.0.dist-info/RECORD").decode().splitlines()


def test_bytecode_is_compiled_by_the_sites_own_pyodide_without_a_timestamp(tmp_path) -> None:
    core = DEFAULT_CACHE / f"pyodide-{PYODIDE}"
    if shutil.which("node") is None or not (core / "pyodide.mjs").is_file():
        pytest.skip("needs node and the lite cache's Pyodide (imageshare lite build fills it)")
    sources = {"/lib/python3.14/site-packages/pkg/a.py": b"A = {'x', 'y'}\n", "/lib/python3.14/site-packages/b.py":
               b"print 'python 2'\n"}
    tag, compiled = compile_bytecode(core, sources, tmp_path)
    assert tag == "cpython-314" and list(compiled) == ["/lib/python3.14/site-packages/pkg/a.py"]  # b: no pyc
    pyc = compiled["/lib/python3.14/site-packages/pkg/a.py"]
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, unchecked: nothing varies between builds
    assert compile_bytecode(core, sources, tmp_path) == (tag, compiled)  # the second time from the cache


def test_the_project_wheel_holds_the_package_its_data_and_the_quizzes_but_no_bytecode() -> None:
    wheel = project_wheel(ROOT)
    names = zipfile.ZipFile(io.BytesIO(wheel.data)).namelist()
    assert "sandbox/__init__.py" in names and "sandbox/cli/spec/commands.json" in names
    assert "quizzes/course-questions.yaml" in names  # where find_quiz looks beside the installed package
    shipped = json.loads(zipfile.ZipFile(io.BytesIO(wheel.data)).read("sandbox/registry/catalogue.json"))
    assert shipped == yaml.safe_load((ROOT / "sandbox" / "registry" / "catalogue.yaml").read_text())
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert wheel.lock_entry()["sha256"] == hashlib.sha256(wheel.data).hexdigest()
    assert wheel.lock_entry()["imports"] == ["sandbox"]


def test_pyyaml_keeps_only_its_pure_modules(tmp_path) -> None:
    binary = tmp_path / "pyyaml-6.0.3-cp314-cp314-manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(binary, "w") as archive:
        archive.writestr("yaml/__init__.py", "__with_libyaml__ = False\n")
        archive.writestr("yaml/_yaml.cpython-314-x86_64-linux-gnu.so", b"\x7fELF")
        archive.writestr("_yaml/__init__.py", "")
    wheel = pure_pyyaml(binary)
    names = zipfile.ZipFile(io.BytesIO(wheel.data)).namelist()
    assert wheel.file_name == "PyYAML-6.0.3-py3-none-any.whl"
    assert [n for n in names if not n.startswith("PyYAML-6.0.3.dist-info/")] == ["yaml/__init__.py"]


def test_the_kernel_loads_everything_at_start_from_the_site_and_never_from_pypi() -> None:
    settings = lite_config()["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert settings["disablePyPIFallback"] is True
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"  # the site's own copy, not jsDelivr's
    assert PROJECT in settings["loadPyodideOptions"]["packages"]
    # the kernel installs these with piplite (from PyPI) unless they are loaded already
    assert {"ipykernel", "comm", "pyodide-kernel", "jedi", "ipython", "piplite", "micropip"} <= set(PRELOADED)
    shipped = set(FROM_LOCK) | set(ADDED) | set(KERNEL_WHEELS) | {"pyyaml", PROJECT}
    assert set(PRELOADED) <= shipped


def test_names_are_spelled_as_the_lock_keys_them() -> None:
    assert canonical("prompt_toolkit") == "prompt-toolkit" and canonical("Pygments") == "pygments"
    entry = Wheel("x", "1", "x-1-py3-none-any.whl", b"", ("x",), ()).lock_entry()
    assert entry["install_dir"] == "site" and entry["package_type"] == "package"


def test_serve_without_a_site_says_how_to_build_one(tmp_path, capsys) -> None:
    assert main(["lite", "serve", str(tmp_path / "nowhere")]) == 2
    assert "imageshare lite build" in capsys.readouterr().err


def test_serve_prints_its_address_serves_wasm_and_stops_on_sigterm(tmp_path) -> None:
    (tmp_path / "index.html").write_text("<p>course</p>")
    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    process = subprocess.Popen([str(Path(sys.executable).parent / "imageshare"), "lite", "serve", str(tmp_path)],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert select.select([process.stdout], [], [], 30)[0], "no address printed within 30 s"
        line = process.stdout.readline()
        assert line.startswith("imageshare: the course is at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split()[0].removesuffix("lab/index.html")
        with urllib.request.urlopen(url + "a.wasm", timeout=10) as response:
            assert response.headers["Content-Type"] == "application/wasm"
            assert response.headers["Cache-Control"] == "no-cache"
            etag = response.headers["ETag"]
        again = urllib.request.Request(url + "a.wasm", headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as unchanged:  # urllib reports a 304 as an error
            urllib.request.urlopen(again, timeout=10)
        assert unchanged.value.code == 304
        (tmp_path / "a.wasm").write_bytes(b"\0asm\1")  # a rebuild keeps the date: only the ETag tells
        with urllib.request.urlopen(again, timeout=10) as response:
            assert response.read() == b"\0asm\1" and response.headers["ETag"] != etag
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_bundles_named_by_their_content_are_kept_for_good_and_the_rest_asked_about_again() -> None:
    assert cache_control("/build/jlab_core.a86436d.js") == "public, max-age=31536000, immutable"
    assert cache_control("/extensions/x/static/remoteEntry.abcac41d5ca77040.js?v=1") == cache_control(
        "/build/jlab_core.a86436d.js")
    for path in ("/build/bootstrap.js", "/static/pyodide/pyodide.asm.wasm", "/jupyter-lite.json", "/lab/index.html"):
        assert cache_control(path) == "no-cache"


def test_an_unknown_subcommand_is_usage(capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["lite", "publish"])
    assert exit.value.code == 2


def test_the_site_serves_notebooks_with_each_text_as_one_string_and_nothing_else_changed() -> None:
    stored = (ROOT / "notebooks" / "04-pull.ipynb").read_text()
    served = json.loads(joined_lines(stored))
    original = json.loads(stored)

    def flat(value):
        return "".join(value) if isinstance(value, list) else value

    for mine, theirs in zip(served["cells"], original["cells"]):
        assert isinstance(mine["source"], str) and mine["source"] == flat(theirs["source"])
        for a, b in zip(mine.get("outputs", []), theirs.get("outputs", [])):
            assert {k: v for k, v in a.items() if k not in ("text", "data")} == \
                {k: v for k, v in b.items() if k not in ("text", "data")}
            if "text" in b:
                assert a["text"] == flat(b["text"])  # JupyterLite shows a list of lines with commas
    assert served["metadata"] == original["metadata"]
