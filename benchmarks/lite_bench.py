"""Speed of the course in the browser (JupyterLite, Pyodide) on this machine, in Debian's headless Chromium: the
site's size and build time, a cold load to kernel idle, the first ``%docker images`` after ``%load_ext sandbox`` and
the warm median, a push and a pull, and each notebook's Run All beside the same notebook's Run All in JupyterLab with
a CPython kernel, measured the same way (the same browser, menu to every cell run and the kernel idle), and beside
the same notebook run by a CPython kernel through nbclient (kernel start excluded). Goals (issue 14): kernel idle
<= 10 s cold, a ``%docker`` command <= 50 ms warm, each notebook within 3x its CPython time (the JupyterLab one: like
for like).

Wall times swing with the machine's load (printed at the start, the end and on each notebook's line), so it also
prints what load does not change: the bytes and requests a cold load fetches before the kernel is idle, the wheels the
kernel loads, the Python modules imported, the CPU seconds of each step of the kernel's start run by the same Pyodide
in Node, and each notebook's push/pull animation (seconds its schedule plays in a live front end, JupyterLab's as the
browser's; nbclient has none, so its column does not include it).

Run from the repository root: .venv/bin/python -m benchmarks.lite_bench [--site DIR] [--notebook NAME ...]
(without --site it builds a site into a temp folder first; downloads come from the lite cache)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from playwright.sync_api import sync_playwright

from sandbox.entrypoint.lite import DEFAULT_CACHE, build, size
from tests.e2e.harness import (CHROMIUM, CHROMIUM_ARGS, ROOT, Lab, confine, open_lite, run_all, run_all_lite, serve_lite,
                               start_lab, stop)

#: Runs ``code`` in the open notebook's kernel; resolves to [milliseconds from request to reply, stdout+stderr].
EXECUTE = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const start = performance.now();
    const future = kernel.requestExecute({code, store_history: false});
    let text = '';
    future.onIOPub = msg => { if (msg.header.msg_type === 'stream') text += msg.content.text; };
    const reply = await future.done;
    if (reply.content.status !== 'ok') text += reply.content.ename + ': ' + reply.content.evalue;
    return [performance.now() - start, text];
}"""
PUSH = ("%%docker\necho s3cret-pass | docker login -u learner --password-stdin\n"
        "docker tag nginx:alpine learner/bench:1\n")
GOAL_IDLE_S, GOAL_WARM_MS, GOAL_RATIO = 10.0, 50.0, 3.0
#: What a page and its kernel's worker fetched: [requests, bytes of bodies, wheels].
FETCHED = """() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
    .map(e => [e.name, e.encodedBodySize])"""
#: The kernel's start, step by step, in Pyodide under Node: CPU seconds of each (load does not stretch CPU time).
NODE_STEPS = """
const [core, code] = process.argv.slice(1);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let c = cpu();
const { loadPyodide } = await import(core + "/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: core + "/" });
const steps = [["runtime", cpu() - c]]; c = cpu();
await pyodide.loadPackage(PACKAGES, { messageCallback: () => {} });
steps.push(["wheels unpacked", cpu() - c]);
for (const [what, line] of JSON.parse(code)) {
    c = cpu();
    await pyodide.runPythonAsync(line);
    steps.push([what, cpu() - c]);
}
console.log(JSON.stringify(steps));
"""
SHELL = "pyodide_kernel.kernel_instance.interpreter"
KERNEL_STEPS = [("import piplite", "import piplite.piplite"),
                ("import pyodide_kernel (IPython)", "import pyodide_kernel"),
                ("%load_ext sandbox", f"{SHELL}.run_line_magic('load_ext', 'sandbox')"),
                ("first %docker images", f"{SHELL}.run_line_magic('docker', 'images')")]


def cpython_seconds(notebook: Path) -> float:
    """Seconds to run every cell of ``notebook`` in a CPython kernel already started."""
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}},
                            timeout=600)
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        return time.perf_counter() - start


def lab_seconds(browser, lab: Lab, notebook: str) -> float:
    """Seconds of Run All of ``notebook`` in JupyterLab with a CPython kernel, measured as the lite site's is: a fresh
    browser context, the notebook opened until its kernel is idle, then from the menu until every cell ran and the
    kernel is idle again (the push/pull progress plays, as in the browser). The kernel is shut down afterwards."""
    context = browser.new_context()
    page = context.new_page()
    lab.open(page, notebook)
    start = time.perf_counter()
    run_all(page)
    seconds = time.perf_counter() - start
    context.close()
    shut_down_kernels(lab)
    return seconds


def shut_down_kernels(lab: Lab) -> None:
    """End the sessions (and so the kernels) of ``lab``: one idle CPython kernel per notebook would pile up."""
    headers = {"Authorization": f"token {lab.token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab.url}/api/sessions", headers=headers),
                                timeout=30) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{lab.url}/api/sessions/{session['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def jupyter_env(work: Path) -> dict[str, str]:
    """This environment with Jupyter's and IPython's directories in ``work`` (as the tests' conftest does), so the
    JupyterLab of the benchmark reads no profile, settings or workspace of this machine and writes none."""
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(work / "jupyter" / name.lower())
    return env


def node_steps(site: Path) -> list[tuple[str, float]]:
    """CPU seconds of each step of the kernel's start (the runtime, the wheels, the imports, ``%load_ext``), run by
    the site's own Pyodide in Node with the packages the site's kernel loads."""
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]["litePluginSettings"]
    packages = next(iter(config.values()))["loadPyodideOptions"]["packages"]
    script = NODE_STEPS.replace("PACKAGES", json.dumps(packages))
    done = subprocess.run([shutil.which("node") or "node", "--input-type=module", "-e", script,
                           str((site / "static" / "pyodide").resolve()), json.dumps(KERNEL_STEPS)],
                          capture_output=True, text=True, timeout=600, check=True)
    return [tuple(step) for step in json.loads(done.stdout.strip().splitlines()[-1])]


def animation_seconds(notebook: Path) -> float:
    """Seconds the push/pull progress of ``notebook`` plays in a live front end (JupyterLab, the browser): its
    schedule's length, found by running the notebook in this process with a clock that only the waits move."""
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.reset()
    waited: list[float] = []
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] == "code":
                shell.run_cell("".join(cell["source"]))
                magics = shell.magics_manager.registry.get("SandboxMagics")
                if magics is not None and magics.sleep is not waited.append:
                    magics.sleep, magics.clock = waited.append, lambda: sum(waited)
                    magics.session.progress = "on"
    return sum(waited)


def cpu_seconds() -> float:
    """CPU seconds used so far by this process's children and their children (the browser Playwright started, all
    of its processes): unlike wall time, what a load costs does not grow with the machine's load."""
    parents, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid], used[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    mine, grew = {os.getpid()}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in mine} - mine
        grew, mine = bool(found), mine | found
    return sum(used[pid] for pid in mine if pid != os.getpid()) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(page, code: str) -> tuple[float, str]:
    """Milliseconds for the kernel to run ``code`` (request to reply, as a learner waits for it), and its output."""
    elapsed, text = page.evaluate(EXECUTE, code)
    return elapsed, text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="a site built by imageshare lite build (default: build one now)")
    parser.add_argument("--cold-only", action="store_true", help="only the cold load and the commands after it")
    parser.add_argument("--notebook", action="append", metavar="NAME",
                        help="Run All of this notebook only (e.g. 04-pull.ipynb); repeat for more (default: all)")
    options = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if options.notebook:
        unknown = set(options.notebook) - {n.name for n in notebooks}
        if unknown:
            parser.error(f"no such notebook in notebooks/: {', '.join(sorted(unknown))}")
        notebooks = [n for n in notebooks if n.name in options.notebook]
    with tempfile.TemporaryDirectory() as work:
        if options.site:
            site = Path(options.site)
        else:
            started = time.perf_counter()
            site = build(Path(work) / "_site", DEFAULT_CACHE)
            print(f"build (cache filled): {time.perf_counter() - started:.1f} s")
        print(f"site size: {size(site) / 1e6:.1f} MB in {sum(1 for p in site.rglob('*') if p.is_file())} files")
        print(f"load average at the start: {load()} (this machine has {os.cpu_count()} cores)")
        for what, seconds in node_steps(site):
            print(f"kernel start in Node, {what}: {seconds:.2f} s CPU")
        url, server = serve_lite(site, Path(work) / "serve.log")
        lab, lab_server = None, None
        try:
            if not options.cold_only:
                lab, lab_server = start_lab(Path(work) / "notebooks", Path(work) / "jupyterlab.log",
                                            jupyter_env(Path(work)))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                     args=CHROMIUM_ARGS)
                report(browser, url, lab, [] if options.cold_only else notebooks)
                browser.close()
        finally:
            if lab_server is not None:
                stop(lab_server)
            stop(server)
    print(f"load average at the end: {load()}")
    return 0


def report(browser, url: str, lab: Lab | None, notebooks: list[Path]) -> None:
    """Print every figure, measured in fresh browser contexts (empty cache and storage: a learner's first visit);
    Run All for each of ``notebooks`` in the site, in ``lab`` and through nbclient."""
    context = browser.new_context()
    foreign = confine(context, url)
    page = context.new_page()
    start, cpu = time.perf_counter(), cpu_seconds()
    open_lite(page, url, "00-welcome.ipynb")
    idle, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"cold load to kernel idle: {idle:.1f} s (goal <= {GOAL_IDLE_S:g} s); CPU of the browser and server "
          f"meanwhile: {cpu:.1f} s")
    fetched = page.evaluate(FETCHED) + [e for w in page.workers for e in w.evaluate(FETCHED)]
    wheels = [name for name, _ in fetched if name.endswith(".whl")]
    print(f"fetched before kernel idle: {len(fetched)} requests, {sum(n for _, n in fetched) / 1e6:.1f} MB "
          f"({len(wheels)} wheels)")
    _, modules = run(page, "import sys; print(len(sys.modules))")
    load_ext, _ = run(page, "%load_ext sandbox")
    _, after = run(page, "print(len(sys.modules))")
    print(f"Python modules imported: {modules.strip()} at kernel idle, {after.strip()} after %load_ext sandbox")
    first, out = run(page, "%docker images")
    assert out.startswith("REPOSITORY"), out
    warm = statistics.median(run(page, "%docker images")[0] for _ in range(20))
    print(f"%load_ext sandbox: {load_ext:.0f} ms; first %docker images: {first:.0f} ms; "
          f"warm %docker images: {warm:.1f} ms median of 20 (goal <= {GOAL_WARM_MS:g} ms)")
    pull, out = run(page, "%docker pull nginx:alpine")
    assert "Status: Downloaded newer image" in out, out
    run(page, PUSH)
    push, out = run(page, "%docker push learner/bench:1")
    assert "digest: sha256:" in out, out
    print(f"docker pull nginx:alpine: {pull:.0f} ms; docker push learner/bench:1: {push:.0f} ms")
    context.close()
    assert foreign == [], foreign
    if not notebooks:
        return

    print("Run All, s: Lite = the site (Pyodide) in Chromium; Lab = JupyterLab with a CPython kernel in the same "
          "Chromium, measured the same way; nbclient = CPython through nbclient (no front end, so no animation).")
    print(f"{'notebook':<27}{'idle s':>7}{'CPU s':>7}{'Lite s':>8}{'Lab s':>7}{'Lite/Lab':>9}{'nbclient s':>11}"
          f"{'Lite/nbc':>9}{'anim s':>7}{'w/o anim':>9}{'load 1m':>8}  goal Lite/Lab <= {GOAL_RATIO:g}x")
    for notebook in notebooks:
        context = browser.new_context()
        foreign = confine(context, url)
        page = context.new_page()
        start, cpu = time.perf_counter(), cpu_seconds()
        open_lite(page, url, notebook.name)
        idle, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        start = time.perf_counter()
        run_all_lite(page)
        lite = time.perf_counter() - start
        context.close()
        assert foreign == [], foreign
        in_lab = lab_seconds(browser, lab, notebook.name)
        cpython = cpython_seconds(notebook)
        animation = animation_seconds(notebook)
        ratio, nbc_ratio, without = lite / in_lab, lite / cpython, (lite - animation) / cpython
        print(f"{notebook.name:<27}{idle:>7.1f}{cpu:>7.1f}{lite:>8.1f}{in_lab:>7.1f}{ratio:>9.1f}{cpython:>11.2f}"
              f"{nbc_ratio:>9.1f}{animation:>7.1f}{without:>9.1f}{os.getloadavg()[0]:>8.1f}  "
              f"{'met' if ratio <= GOAL_RATIO else 'missed'}")
    print("idle s, CPU s: the Lite page's open to kernel idle (wall) and the browser's CPU meanwhile; w/o anim: "
          "(Lite - anim) / nbclient; load 1m: the 1-minute load average after the line's runs.")

if __name__ == "__main__":
    raise SystemExit(main())
