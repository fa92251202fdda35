"""The standalone page's long tasks, from Chrome traces (issue 12: no task over 50 ms at 500 elements).

For each size, the page of ``render_html`` is loaded ``--loads`` times in headless Chromium with a
Chrome trace; every main-thread task over ``--over`` ms is listed, named by what ran in it
(``vis``: vis-network's own script; ``start``: the page's script; ``frame``: an animation frame's
drawing; ``commit``: the canvas raster; ``slice``: a task of the page's own, e.g. a build slice).
A task is measured twice: by the wall clock (which a busy machine stretches) and by the main
thread's CPU time. The baseline of the same run is vis-network's script task: the page's longest
task after it is printed as a ratio of it.

    python benchmarks/bench_page_tasks.py --sizes 50,500 --loads 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_large_maps as large
from bench_render import build_formulation

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
READY = "() => document.body && document.body.getAttribute('data-ready') === 'true'"


def tasks_of(trace: dict[str, Any], vis_line: int) -> list[dict[str, Any]]:
    """The main thread's outermost tasks, in order: wall and CPU ms, what ran inside, after vis."""
    events = trace["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    main = {key for key, name in names.items() if name == "CrRendererMain"}
    # A navigation can use a second renderer: the page's is the one that ran vis-network's script.
    page_main = {(e["pid"], e["tid"]) for e in events if e.get("name") == "EvaluateScript"
                 and e.get("args", {}).get("data", {}).get("lineNumber") in (vis_line - 1, vis_line)}
    main = (main & page_main) or main
    timed = sorted((e for e in events if (e["pid"], e["tid"]) in main and e.get("ph") == "X" and "dur" in e),
                   key=lambda e: (e["ts"], -e["dur"]))  # outer events first
    task_name = "ThreadControllerImpl::RunTask"  # (Chromium's name for a task, or "RunTask")
    if not any(e["name"] == task_name for e in timed):
        task_name = "RunTask"
    outer, end = [], -1
    for e in timed:
        if e["name"] == task_name and e["ts"] >= end:
            outer.append(e)
            end = e["ts"] + e["dur"]
    out: list[dict[str, Any]] = []
    after_vis = False
    for task in outer:
        inside = [e for e in timed if e is not task and task["ts"] <= e["ts"]
                  and e["ts"] + e["dur"] <= task["ts"] + task["dur"]]
        kinds: list[str] = []
        for e in inside:
            line = e.get("args", {}).get("data", {}).get("lineNumber")
            if e["name"] == "EvaluateScript" and line in (vis_line - 1, vis_line):
                kinds.append("vis")
            elif e["name"] == "EvaluateScript" and line is not None and line > vis_line:
                kinds.append("start")
            elif e["name"] == "FireAnimationFrame" and e["dur"] > 3000:
                kinds.append("frame")
            elif e["name"] == "Commit" and e["dur"] > 3000:
                kinds.append("commit")
            elif e["name"] == "FunctionCall" and e["dur"] > 3000:
                kinds.append("slice")
        if "frame" in kinds:  # the frame's own callbacks
            kinds = [k for k in kinds if k != "slice"]
        kind = "+".join(dict.fromkeys(kinds)) or "other"
        out.append({"wall": task["dur"] / 1000, "cpu": task.get("tdur", task["dur"]) / 1000,
                    "kind": kind, "after_vis": after_vis and "vis" not in kinds})
        after_vis = after_vis or "vis" in kinds
    return out


def load_page(browser: Any, path: Path, vis_line: int, budget: float) -> list[dict[str, Any]]:
    """Load the page once with a trace until it is ready and the main thread free; its tasks."""
    context, page = large.open_page(browser)
    try:
        browser.start_tracing(page=page, categories=CATEGORIES)
        page.goto(path.as_uri(), wait_until="commit")
        large.measure_map(page, READY, budget)
        return tasks_of(json.loads(browser.stop_tracing()), vis_line)
    finally:
        context.close()


def spread(values: list[float]) -> str:
    """median (min-max) of ``values``, in whole ms."""
    return f"{statistics.median(values):4.0f} ({min(values):.0f}-{max(values):.0f})" if values else "   -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500", help="element counts, comma-separated")
    parser.add_argument("--loads", type=int, default=10, help="page loads per size")
    parser.add_argument("--over", type=float, default=40.0, help="list tasks over this many ms")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        print(f"error: --sizes takes whole numbers separated by commas, not {args.sizes!r}", file=sys.stderr)
        return 2
    if args.loads < 1 or any(n < 1 for n in sizes):
        print("error: --loads and every size must be at least 1", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"load average (1, 5, 15 min) at start: {large.uptime()}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=large.CHROMIUM, args=large.ARGS)
        for n in sizes:
            f = build_formulation(n, round(n * 1.4))
            target = Path(folder) / f"page-{n}"
            target.mkdir()
            path = large.page_variants(f, target)["page"][0]
            text = path.read_text(encoding="utf-8")
            vis_line = text[: text.index("<script>/* vis-network ")].count("\n") + 1
            vis_wall, vis_cpu, our_wall, our_cpu, over = [], [], [], [], 0
            for i in range(args.loads):
                tasks = load_page(browser, path, vis_line, 60.0)
                vis = [t for t in tasks if "vis" in t["kind"]]
                if not vis:  # (the trace missed the script's evaluation: nothing to count after it)
                    print(f"{n:6} elements, load {i + 1}: no vis-network script in the trace; left out")
                    continue
                ours = [t for t in tasks if t["after_vis"]]
                vis_wall += [t["wall"] for t in vis]
                vis_cpu += [t["cpu"] for t in vis]
                longest = max(ours, key=lambda t: t["wall"], default=None)
                our_wall.append(longest["wall"] if longest else 0.0)
                our_cpu.append(max((t["cpu"] for t in ours), default=0.0))
                over += bool(longest and longest["wall"] > 50)
                listed = " ".join(f"{t['wall']:.0f}/{t['cpu']:.0f} {t['kind']}"
                                  for t in ours if t["wall"] > args.over)
                print(f"{n:6} elements, load {i + 1}: tasks after vis-network's script (wall/cpu ms): "
                      f"{listed or f'none over {args.over:.0f} ms'}")
            print(f"{n:6} elements: longest task after vis-network's script, wall {spread(our_wall)} ms, "
                  f"cpu {spread(our_cpu)} ms; loads with one over 50 ms (wall): {over}/{len(our_wall)}")
            if not our_wall:
                continue
            wall_ratio = statistics.median(our_wall) / statistics.median(vis_wall)
            cpu_ratio = statistics.median(our_cpu) / statistics.median(vis_cpu)
            print(f"{n:6} elements: vis-network's script task, wall {spread(vis_wall)} ms, "
                  f"cpu {spread(vis_cpu)} ms; ours / vis-network's (medians): wall {wall_ratio:.2f}, "
                  f"cpu {cpu_ratio:.2f}")
        browser.close()
    print(f"load average at end: {large.uptime()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
