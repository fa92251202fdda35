"""Benchmark: large maps in headless Chromium, our page against pyvis's own and the floor.

Run on demand (not part of the test suite; it needs /usr/bin/chromium and Playwright)::

    python3 benchmarks/bench_large_maps.py [--sizes 50,300,500,1000,3000] [--budget 60]
                                           [--no-app] [--no-pyvis]

For each size, a synthetic psychodynamic case (``bench_render.build_formulation``,
about 1.4 links per element) is shown in four ways, each in a fresh browser page
(1280x800, every request off the machine aborted):

- **page**: the standalone page of ``render_html`` (layered layout, link-label placement);
- **floor**: the same page with the link-label placement switched off (what vis-network
  alone costs for our layout and styling);
- **pyvis**: pyvis's own page for the same graph (``Network.from_nx``, its default physics);
- **app**: the live map in the Voilà app (``workbench app``), a graph widget fed by the kernel.

Measured with a ``PerformanceObserver`` on long tasks (main-thread tasks over 50 ms):

- **usable**: from the start of the page (the app: from the creation of its map) until the
  map is drawn (and, for ours, its labels placed) and the main thread is free, i.e. the end
  of the last long task before a quiet second;
- **longest**: the longest task;
- **fps**: animation frames per second while the element with the most links is dragged for
  two seconds (the view centred on it);
- **heap**: the JS heap in use once usable (``performance.memory``).

For the app it also times **edit**: from a click on "Update" (after renaming the element
picked in the list) until the map has drawn the new label, and **search**: from a keystroke
in the element search until the element list shows the match (medians of five each; both
timed from the event in the page, and the map's data is not polled while an edit is timed).
With each edit it prints the five runs and, for each run, the longest task (0 when none was
over 50 ms) from the click until the label is drawn and until the page is quiet again (the link
labels placed, the element list shown), and how many times the map was drawn in that time.

Every step is bounded by ``--budget`` seconds; a step that runs over prints ``>budget``.
Ratios are taken from this one run. Note the machine load (``uptime``) printed first.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from bench_render import build_formulation, plain_graph  # noqa: E402
from e2e_pages import NETWORK_HOOK  # noqa: E402

import workbench  # noqa: E402
from workbench.cli import app as voila_app  # noqa: E402
from workbench.render.html import render_html  # noqa: E402

CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-precise-memory-info",
]
VIEWPORT = {"width": 1280, "height": 800}
QUIET_MS = 1000  # the main thread is free once no long task began for this long
DRAG_SECONDS = 2.0

#: Installed before any page script (after NETWORK_HOOK): records long tasks, the moment the page
#: says it is ready (data-ready), every vis.Network created (and when), and counts animation frames.
PROBE = """
(() => {
  const probe = (window.__probe = { tasks: [], ready: null, networks: [], frames: 0, counting: false });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (err) { probe.noLongTasks = String(err); }
  new MutationObserver(() => {
    if (probe.ready == null && document.body && document.body.getAttribute("data-ready") === "true") {
      probe.ready = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
  // each vis.Network the page makes (tests/e2e_pages.py NETWORK_HOOK, installed first), and when
  const made = window.__wbNetworks;
  made.push = (network) => {
    probe.networks.push({ network, at: performance.now() });
    return Array.prototype.push.call(made, network);
  };
  const tick = () => { if (probe.counting) probe.frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();
"""

# The newest map: in the app the graph widget's, in a page its only one.
_NET_ENTRY = "window.__probe.networks.filter((n) => n.network.body.container.isConnected).at(-1)"
_NET = f"({_NET_ENTRY} || {{}}).network"

# Our labels are placed once every labelled link carries the placement's own scaling.
_PLACED = f"""() => {{
  const net = {_NET};
  if (!net || net.body.data.edges.length === 0) return false;
  return net.body.data.edges.get().every((e) => !e.label || (e.scaling && e.scaling.label));
}}"""

_DRAWN = f"() => {{ const net = {_NET}; return !!net && net.body.nodeIndices.length > 0; }}"

_QUIET_SINCE = f"""(since) => {{
  const p = window.__probe;
  const last = p.tasks.reduce((m, t) => Math.max(m, t[0] + t[1]), since);
  return performance.now() - last >= {QUIET_MS} ? last : null;
}}"""


def uptime() -> str:
    """The machine load: the load averages over 1, 5 and 15 minutes."""
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


class OverBudget(Exception):
    """A step took longer than the budget."""


def _is_timeout(exc: Exception) -> bool:
    return "Timeout" in type(exc).__name__ or "Timeout" in str(exc)[:200]


def bounded(fn: Any, *args: Any) -> Any:
    """``fn(*args)``, or None when it ran over the budget (a browser step that timed out)."""
    try:
        return fn(*args)
    except OverBudget:
        return None
    except Exception as exc:  # Playwright's TimeoutError of a click or a fill
        if _is_timeout(exc):
            return None
        raise


def _wait(page: Any, script: str, arg: Any, budget: float) -> Any:
    try:
        return page.wait_for_function(script, arg=arg, timeout=budget * 1000, polling=100).json_value()
    except Exception as exc:  # Playwright's TimeoutError
        if _is_timeout(exc):
            raise OverBudget from exc
        raise


def measure_map(page: Any, ready_script: str, budget: float, origin: str = "page") -> dict[str, Any]:
    """Wait until the map is ready and the main thread free; return usable, longest, heap (ms, MB)."""
    _wait(page, ready_script, None, budget)
    since = page.evaluate("() => window.__probe.ready || performance.now()")
    start = 0.0
    if origin == "network":
        start = page.evaluate(f"() => ({_NET_ENTRY} || {{ at: 0 }}).at")
    free = _wait(page, _QUIET_SINCE, since, budget)
    tasks = page.evaluate("(s) => window.__probe.tasks.filter((t) => t[0] + t[1] >= s).map((t) => t[1])",
                          start)
    heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null")
    return {"usable": (free - start) / 1000, "longest": max(tasks, default=0.0), "heap": heap}


def drag_fps(page: Any) -> float:
    """Frames per second while the element with the most links is dragged about (view centred on it)."""
    point = page.evaluate(f"""() => {{
      const net = {_NET};
      const ids = net.body.nodeIndices;
      if (!ids.length) return null;
      const busiest = ids.reduce((a, b) =>
        net.getConnectedEdges(a).length >= net.getConnectedEdges(b).length ? a : b);
      net.moveTo({{ position: net.getPositions([busiest])[busiest], animation: false }});
      const box = net.body.container.getBoundingClientRect();
      const dom = net.canvasToDOM(net.getPositions([busiest])[busiest]);
      return {{ x: box.left + dom.x, y: box.top + dom.y }};
    }}""")
    if not point:
        return float("nan")
    x, y = point["x"], point["y"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate("() => { const p = window.__probe; p.frames = 0; p.counting = true; "
                  "p.t0 = performance.now(); }")
    end = time.monotonic() + DRAG_SECONDS
    step = 0
    while time.monotonic() < end:
        step += 1
        page.mouse.move(x + 60 * ((step % 20) / 10 - 1), y + 30 * (((step // 20) % 2) * 2 - 1))
    result = page.evaluate("() => { const p = window.__probe; p.counting = false; "
                           "return [p.frames, performance.now() - p.t0]; }")
    page.mouse.up()
    frames, ms = result
    return float(frames / (ms / 1000)) if ms else float("nan")


def open_page(browser: Any) -> tuple[Any, Any]:
    """A fresh 1280x800 page with the probe installed and every request off the machine aborted."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    context.add_init_script(NETWORK_HOOK)
    context.add_init_script(PROBE)
    return context, context.new_page()


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "blob:", "about:", "http://127.0.0.1", "ws://127.0.0.1"))


def run_page(browser: Any, html_path: Path, ready: str, budget: float) -> dict[str, Any]:
    """Open one standalone page and measure it."""
    context, page = open_page(browser)
    try:
        page.set_default_timeout(budget * 1000)
        page.goto(html_path.as_uri(), timeout=budget * 1000, wait_until="commit")
        row = measure_map(page, ready, budget)
        row["fps"] = bounded(drag_fps, page)
        return row
    except OverBudget:
        return {"usable": None}
    finally:
        context.close()


def page_variants(f: workbench.Formulation, folder: Path) -> dict[str, tuple[Path, str]]:
    """Write the three standalone pages of ``f``; return each one's path and readiness test."""
    from pyvis.network import Network

    ours = render_html(f)
    call = "labels.place(ready);"
    if call not in ours:
        raise SystemExit("render_html no longer calls the label placement as this benchmark expects")
    floor = ours.replace(call, "ready(); /* label placement off (benchmark floor) */")
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(plain_graph(f))
    pages = {"page": ours, "floor": floor, "pyvis": str(net.generate_html())}
    out = {}
    ready_ours = "() => document.body && document.body.getAttribute('data-ready') === 'true'"
    for name, text in pages.items():
        path = folder / f"{name}.html"
        path.write_text(text, encoding="utf-8")
        out[name] = (path, _DRAWN if name == "pyvis" else ready_ours)
    return out


# --- the app in Voilà --------------------------------------------------------------------


@contextlib.contextmanager
def voila_on(f: workbench.Formulation, workdir: Path, budget: float) -> Iterator[Any]:
    """Run the Voilà app on a saved copy of ``f`` (a temporary folder) until the block ends."""
    import e2e_servers

    root = workdir / "notebooks"
    root.mkdir(parents=True)
    case = root / "bench.formulation.json"
    workbench.save(f, case, message="Benchmark case", author="bench")
    notebook = voila_app.write_app_notebook(case, root)
    port, token = voila_app.free_port(), secrets.token_hex(16)
    env = voila_app.voila_env(e2e_servers._isolated_env(workdir), token=token)
    command = voila_app.voila_command(notebook, port=port)
    with e2e_servers._running("voila", command, env, workdir, port, token, root) as server:
        e2e_servers._wait_for(server, server.url("/voila/static/require.min.js"))
        yield server


def app_budget(budget: float) -> float:
    """The app's map may take longer: Voilà first starts a kernel that builds the case."""
    return max(budget, 120.0)


def run_app(browser: Any, f: workbench.Formulation, budget: float) -> dict[str, Any]:
    """Open the app on ``f`` and measure its map, an edit and a search keystroke."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-app-"))
    try:
        with voila_on(f, workdir, budget) as server:
            context, page = open_page(browser)
            try:
                page.set_default_timeout(budget * 1000)
                page.goto(server.url("/"), timeout=budget * 1000, wait_until="commit")
                row = measure_map(page, _PLACED, app_budget(budget), origin="network")
                row["fps"] = bounded(drag_fps, page)
                row.update(bounded(app_edit_and_search, page, f, budget) or {})
                return row
            except OverBudget:
                return {"usable": None}
            finally:
                context.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def app_edit_and_search(page: Any, f: workbench.Formulation, budget: float,
                        rounds: int = 5) -> dict[str, Any]:
    """Median time of an edit (rename, then "Update") until the map shows it, and of a search keystroke;
    the longest task while the edit is drawn, and until the page is quiet after it (all rounds)."""
    page.evaluate(EDIT_PROBE)
    searches, edits, drawing, after, draws = [], [], [], [], []
    records = f.element_records()
    for round_ in range(rounds):
        target = records[(len(records) * (round_ + 1)) // (rounds + 1)]
        searches.append(_search_keystroke(page, target.label.rsplit(" ", 1)[-1], budget))
        took, longest, settled, drawn = _edit(page, budget)
        edits.append(took)
        drawing.append(longest)
        after.append(settled)
        draws.append(drawn)
    return {"search": statistics.median(searches), "edit": statistics.median(edits),
            "edits": edits, "edit_longest": max(drawing), "after_longest": max(after),
            "edit_longests": drawing, "after_longests": after, "edit_draws": draws}


_LIST = ".wb-element-list select"

#: Installed once on the app's page: the time of each click on "Update" and of each keystroke in the
#: element search (taken in the page, at the event), and of the end of the first frame drawn after the
#: map's data received a label (``__probe.edit.label``; the task that draws also commits the frame):
#: no polling of the whole data set while an edit is timed.
EDIT_PROBE = f"""() => {{
  const p = window.__probe;
  if (p.edit) return;
  p.edit = {{ label: null, clicked: null, data: null, drawn: null }};
  p.draws = 0; // the map's draws so far
  document.addEventListener("click", (e) => {{
    if (e.target.closest && e.target.closest(".wb-update-element")) p.edit.clicked = performance.now();
  }}, true);
  document.addEventListener("keydown", (e) => {{
    if (e.target.closest && e.target.closest(".wb-element-search")) p.keyAt = performance.now();
  }}, true);
  const net = {_NET};
  net.on("afterDrawing", () => {{ p.draws += 1; }});
  const seen = (_event, params) => {{
    const e = p.edit;
    if (e.label == null || e.data != null) return;
    const ids = (params && params.items) || [];
    const has = (id) => {{
      const n = net.body.data.nodes.get(id);
      return !!n && String(n.full_label) === e.label;
    }};
    if (!ids.some(has)) return;
    e.data = performance.now();
    // drawn: after the draw's own task, which ends with the frame's commit (the canvas on screen)
    net.once("afterDrawing", () => {{
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {{ e.drawn = performance.now(); }};
      channel.port2.postMessage(0);
    }});
  }};
  net.body.data.nodes.on("update", seen);
  net.body.data.nodes.on("add", seen);
}}"""


def _search_keystroke(page: Any, needle: str, budget: float) -> float:
    """Type ``needle`` (a number unique to one element) but its last key; time that key until the
    list narrows."""
    search = page.locator(".wb-element-search input")
    search.fill(needle[:-1])
    _wait(page, "([sel, text]) => document.querySelector('.wb-element-search input').value === text",
          [_LIST, needle[:-1]], budget)
    page.wait_for_timeout(500)  # let the list answer the filled text first
    count_before = page.locator(f"{_LIST} option").count()
    search.press(needle[-1])
    _wait(page, "([sel, n]) => { const s = document.querySelector(sel); "
          "return !!s && s.options.length < n; }", [_LIST, count_before], budget)
    return float(page.evaluate("() => performance.now() - window.__probe.keyAt")) / 1000


def _edit(page: Any, budget: float) -> tuple[float, float, float, int]:
    """Pick the first listed element, rename it, click "Update": the time until the map drew the new
    label (s), the longest task in that time, and the longest until the page is quiet again (ms), and
    the map's draws from the click until then."""
    page.locator(_LIST).first.select_option(index=0)
    _wait(page, "() => { const i = document.querySelector('.wb-element-label input'); "
          "return !!i && !!i.value; }", None, budget)
    _wait(page, _QUIET_SINCE, page.evaluate("() => performance.now()"), budget)  # the pick is done
    new_label = f"Renamed in benchmark {secrets.token_hex(3)}"
    page.locator(".wb-element-label input").first.fill(new_label)
    page.evaluate("(label) => { window.__probe.edit = Object.assign(window.__probe.edit, "
                  "{ label, clicked: null, data: null, drawn: null }); }", new_label)
    draws = page.evaluate("() => window.__probe.draws")
    page.locator(".wb-update-element").first.click()
    _wait(page, "() => window.__probe.edit.drawn != null", None, budget)
    clicked, drawn = page.evaluate("() => [window.__probe.edit.clicked, window.__probe.edit.drawn]")
    quiet = _wait(page, _QUIET_SINCE, drawn, budget)
    longest = page.evaluate("([a, b]) => Math.max(0, ...window.__probe.tasks"
                            ".filter((t) => t[0] + t[1] > a && t[0] < b).map((t) => t[1]))",
                            [clicked, drawn])
    settled = page.evaluate("([a, b]) => Math.max(0, ...window.__probe.tasks"
                            ".filter((t) => t[0] + t[1] > a && t[0] <= b).map((t) => t[1]))",
                            [clicked, quiet])
    draws = page.evaluate("() => window.__probe.draws") - draws
    return (drawn - clicked) / 1000, float(longest), float(settled), int(draws)


# --- the table ---------------------------------------------------------------------------


def _runs(row: dict[str, Any], key: str) -> str:
    """The figures of each run (``key`` of ``row``), as whole numbers."""
    return " ".join(fmt(v, digits=0) for v in row.get(key, [])) or "-"


def fmt(value: Any, unit: str = "", budget: float = 0.0, digits: int = 2) -> str:
    if value is None:
        return f">{budget:.0f}s" if unit == "s" else "-"
    if isinstance(value, float) and value != value:
        return "-"
    return f"{value:.{digits}f}{unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="50,300,500,1000,3000")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per step at most")
    parser.add_argument("--no-app", action="store_true", help="skip the Voilà app")
    parser.add_argument("--no-pyvis", action="store_true", help="skip pyvis's page")
    parser.add_argument("--only", default="", help="comma-separated variants (page,floor,pyvis,app)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    variants = ["page", "floor", "pyvis", "app"]
    if args.only:
        variants = [v for v in variants if v in args.only.split(",")]
    if args.no_pyvis and "pyvis" in variants:  # --only app --no-pyvis: nothing to remove
        variants.remove("pyvis")
    if args.no_app and "app" in variants:
        variants.remove("app")
    print(f"load average (1, 5, 15 min) at start: {uptime()}; {os.cpu_count()} cores; "
          f"budget {args.budget:.0f} s")
    results: dict[tuple[int, str], dict[str, Any]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for n in sizes:
                f = build_formulation(n, round(n * 1.4))
                links = len(f.link_records())
                with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
                    pages = page_variants(f, Path(tmp)) if set(variants) - {"app"} else {}
                    for variant in variants:
                        if variant == "app":
                            row = run_app(browser, f, args.budget)
                        else:
                            path, ready = pages[variant]
                            row = run_page(browser, path, ready, args.budget)
                        row["links"] = links
                        limit = app_budget(args.budget) if variant == "app" else args.budget
                        results[(n, variant)] = row
                        print(f"  {n:5d} elements {links:5d} links  {variant:<6}"
                              f" usable {fmt(row.get('usable'), 's', limit):>8}"
                              f"  longest {fmt(row.get('longest'), 'ms', digits=0):>8}"
                              f"  fps {fmt(row.get('fps'), digits=1):>5}"
                              f"  heap {fmt(row.get('heap'), 'MB', digits=0):>6}"
                              + (f"  edit {fmt(row.get('edit'), 's')}"
                                 f" (runs {' '.join(fmt(e, digits=2) for e in row.get('edits', []))};"
                                 f" longest task {_runs(row, 'edit_longests')} ms,"
                                 f" until quiet {_runs(row, 'after_longests')} ms;"
                                 f" draws {_runs(row, 'edit_draws')})"
                                 f"  search {fmt(row.get('search'), 's')}"
                                 if variant == "app" else ""), flush=True)
        finally:
            browser.close()
    print(f"\nload average at end: {uptime()}")
    print("\nratios (this run): usable time of our page / floor, / pyvis; "
          "app edit at n / at the smallest size")
    smallest = sizes[0]
    for n in sizes:
        parts = []
        for other in ("floor", "pyvis"):
            a = results.get((n, "page"), {}).get("usable")
            b = results.get((n, other), {}).get("usable")
            if a and b:
                parts.append(f"page/{other} {a / b:6.2f}")
        e, e0 = results.get((n, "app"), {}).get("edit"), results.get((smallest, "app"), {}).get("edit")
        if e and e0:
            parts.append(f"app edit {n}/{smallest} {e / e0:5.2f}")
        print(f"  {n:5d}: " + "  ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
