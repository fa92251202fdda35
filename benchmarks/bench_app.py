"""Benchmark: how fast the Voilà app opens and how fast an edit reaches the map, against the floor.

Run on demand (not part of the test suite; needs Chromium and Playwright)::

    python3 benchmarks/bench_app.py [--sizes 50 300 1000] [--edits 3] [--preheat both]

Measured in headless Chromium on this machine, in the same run:

- **floor**: a plain Voilà page holding one ipywidgets button (same Voilà, same
  offline template): from starting the server to the button shown;
- **app open**: from starting ``workbench app CASE --no-browser`` to the map drawn
  (the vis-network canvas holds every element of the case), for the demo case and
  for cases of 50, 300 and 1,000 elements (about 1.3 links per element);
- **edit to canvas**: from a click on *Add* (label typed) to the new node on the
  canvas, in each of those cases.

Prints the raw times and the ratio of each app-open to the floor. ``--preheat``
compares Voilà's pre-heated kernel (``WORKBENCH_VOILA_PREHEAT=1``: the app's cell
runs while the browser is still on its way) with a kernel started on request
(``workbench app``'s default).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_render import build_formulation
from e2e_pages import NETWORK_HOOK
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

import workbench
from workbench.cli import app as voila_app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "cases" / "demo.formulation.json"
CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 600_000

_NODE_COUNT = """() => {
  const n = (window.__wbNetworks || []).filter((x) => x.body.container.isConnected);
  return n.length ? n[n.length - 1].body.data.nodes.length : -1;
}"""
_HAS_LABEL = """(label) => (window.__wbNetworks || []).some((n) => n.body.container.isConnected &&
  n.body.data.nodes.get().some((x) => String(x.label ?? "").split(/\\s+/).join(" ") === label))"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 300, 1000])
    parser.add_argument("--edits", type=int, default=3, help="Add clicks timed per case")
    parser.add_argument("--timeout", type=int, default=600, help="seconds to wait for a page or an edit")
    parser.add_argument("--preheat", choices=["on", "off", "both"], default="off",
                        help="the Voilà pre-heated kernel (workbench app: off)")
    args = parser.parse_args(argv)
    global TIMEOUT_MS
    TIMEOUT_MS = args.timeout * 1000

    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        env = {**os.environ, "HOME": str(folder / "home"), "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
        (folder / "home").mkdir()
        floor = _floor(browser, folder, env)
        print(f"floor (plain Voilà page, one button): {floor:6.1f} s")
        cases = [("demo", DEMO)]
        for n in args.sizes:
            path = folder / f"bench-{n}.formulation.json"
            workbench.save(build_formulation(n, int(n * 1.3)), path, message="bench", author="bench")
            cases.append((f"{n} elements", path))
        modes = {"on": [True], "off": [False], "both": [True, False]}[args.preheat]
        for preheat in modes:
            print(f"\nVoilà pre-heated kernel: {'on' if preheat else 'off'}")
            print(f"{'case':>14} {'elements':>8} {'app open':>9} {'x floor':>8} "
                  f"{'edit->canvas (median, max)':>28}")
            for name, path in cases:
                try:
                    opened, edits, count = _app(browser, folder, env, path, args.edits, preheat)
                except PlaywrightTimeout:
                    print(f"{name:>14} not open, or an edit not shown, within {TIMEOUT_MS / 1000:.0f} s")
                    continue
                print(f"{name:>14} {count:8d} {opened:8.1f}s {opened / floor:7.1f}x "
                      f"{statistics.median(edits):14.2f}s {max(edits):8.2f}s")
        browser.close()
    print(f"load average after: {os.getloadavg()}")
    return 0


def _floor(browser: Any, folder: Path, env: dict[str, str]) -> float:
    """Seconds from starting Voilà on a one-button notebook to the button shown in the page."""
    notebook = folder / "floor" / "floor.ipynb"
    notebook.parent.mkdir()
    app = voila_app.app_notebook(None)
    app["cells"][0]["source"] = "import ipywidgets as w\nw.Button(description='Floor button')"
    notebook.write_text(json.dumps(app), encoding="utf-8")
    port, token = voila_app.free_port(), "f" * 32
    started = time.perf_counter()
    command = voila_app.voila_command(notebook, port=port)
    with _running(command, voila_app.voila_env(env, token=token), notebook.parent) as process:
        if not voila_app.wait_until_up(port, timeout=300, process=process):
            raise RuntimeError("the floor's Voilà did not start")
        page = browser.new_page()
        try:
            page.goto(f"http://127.0.0.1:{port}/?token={token}", timeout=TIMEOUT_MS)
            page.locator(".widget-button", has_text="Floor button").wait_for(timeout=TIMEOUT_MS)
            return time.perf_counter() - started
        finally:
            page.close()


def _app(browser: Any, folder: Path, env: dict[str, str], case: Path, edits: int,
         preheat: bool) -> tuple[float, list[float], int]:
    """Open ``workbench app`` on a copy of ``case``: seconds to the map drawn, Add-to-node times, nodes."""
    copy = folder / "cases" / case.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(case, copy)
    expected = len(workbench.load(copy))
    script = Path(sys.executable).with_name("workbench")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]
    run_env = {**env, "WORKBENCH_VOILA_PREHEAT": "1" if preheat else "0"}
    started = time.perf_counter()
    with _running([*command, "app", str(copy), "--no-browser"], run_env, folder, text=True) as process:
        url = _announced(process)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(NETWORK_HOOK)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)  # typing into a big map's page may wait for a long task
        try:
            page.goto(url, timeout=TIMEOUT_MS)
            page.wait_for_function(f"() => ({_NODE_COUNT})() >= {expected}", timeout=TIMEOUT_MS)
            opened = time.perf_counter() - started
            times = []
            for i in range(edits):
                label = f"Bench element {i} {time.monotonic_ns()}"
                page.locator(".wb-element-label input").fill(label)
                page.wait_for_timeout(300)  # let the typed label reach the kernel: not part of the measure
                clicked = time.perf_counter()
                page.locator(".wb-add-element").click()
                page.wait_for_function(_HAS_LABEL, arg=label, timeout=TIMEOUT_MS, polling=20)
                times.append(time.perf_counter() - clicked)
            return opened, times, expected
        finally:
            context.close()


def _announced(process: subprocess.Popen[str]) -> str:
    """The address ``workbench app`` prints; its later output is drained so that it never blocks."""
    out = process.stdout
    assert out is not None
    for line in out:
        found = re.search(r"open at (\S+)", line)
        if found:
            threading.Thread(target=lambda: [None for _ in out], daemon=True).start()
            return found.group(1)
    raise RuntimeError("workbench app printed no address")


@contextmanager
def _running(command: list[str], env: dict[str, str], cwd: Path, *, text: bool = False) -> Iterator[Any]:
    out = subprocess.PIPE if text else subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=text,
                               start_new_session=True)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
