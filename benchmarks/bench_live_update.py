"""Benchmark: an edit reaching the live graph widget, against regenerating the whole page.

Run on demand (not part of the test suite)::

    python3 benchmarks/bench_live_update.py [--elements 300] [--links 400] [--repeats 30]

For a formulation of 300 elements and about 400 links, each round renames one
element (``update_element(label=...)``) and times:

- **live**: from the edit in Python until the ``GraphView``'s synced data holds
  the change, i.e. the session's observer rebuilt the touched node and edges with
  the shared styling and the patch message was serialised to JSON for the page
  (what the comm would send);
- **live, whole app**: the same edit through the full ``App`` (which also
  refreshes the element list, the link choices and the header);
- **full page**: the same edit followed by ``render_html(f)`` (our offline pyvis
  page) and, for reference, plain pyvis ``Network`` + ``generate_html``.

Prints the raw median times, the bytes sent, and the ratios (goal: live at least
5x faster than regenerating the full page).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyvis.network import Network

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import build_formulation

import workbench
from workbench.render.html import render_html
from workbench.session import EditSession
from workbench.ui.app import App
from workbench.ui.graph_sync import GraphBinding
from workbench.ui.graph_view import GraphView


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--elements", type=int, default=300)
    parser.add_argument("--links", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)

    f = build_formulation(args.elements, args.links)
    ids = [el.id for el in f.element_records()]
    print(f"formulation: {len(f)} elements, {len(f.link_records())} links; {args.repeats} edits each")

    # live: session -> GraphBinding -> GraphView patch, serialised as the comm would
    session = EditSession(f.copy())
    view = GraphView()
    GraphBinding(session, view)
    sent: list[int] = []
    _serialise_sends(view, sent)
    counter = iter(range(10**9))

    def live_edit() -> None:
        i = next(counter)
        element_id = ids[i % len(ids)]
        session.update_element(element_id, label=f"Renamed element {i}")
        assert view.node(element_id)["label"].startswith("Renamed")

    sent.clear()
    live = _time(live_edit, args.repeats)
    live_bytes = sum(sent) / (args.repeats + 1)  # every message of every edit (warm-up included)

    # the whole app
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.formulation.json"
        workbench.save(f, path, message="Benchmark case", author="bench")
        app = App(path)
        assert app.session is not None
        app_session = app.session
        _serialise_sends(app.graph, [])

        def app_edit() -> None:
            i = next(counter)
            app_session.update_element(ids[i % len(ids)], label=f"Renamed in app {i}")

        whole_app = _time(app_edit, args.repeats)

    # full page regeneration
    g = f.copy()

    def page_edit() -> None:
        i = next(counter)
        g.update_element(ids[i % len(ids)], label=f"Renamed for page {i}")
        page = render_html(g)
        assert "Renamed for page" in page

    full = _time(page_edit, max(5, args.repeats // 3))
    page_bytes = len(render_html(g).encode("utf-8"))

    def pyvis_edit() -> None:
        i = next(counter)
        g.update_element(ids[i % len(ids)], label=f"Renamed for pyvis {i}")
        net = Network(directed=True, cdn_resources="in_line")
        for el in g.element_records():
            net.add_node(el.id, label=el.label, title=el.description, group=el.kind)
        for ln in g.link_records():
            net.add_edge(ln.source, ln.target, title=ln.kind)
        net.generate_html()

    plain = _time(pyvis_edit, max(5, args.repeats // 3))

    print(f"live GraphView patch      median {live * 1000:8.2f} ms   ({live_bytes:,.0f} bytes sent per edit)")
    print(f"live, whole App           median {whole_app * 1000:8.2f} ms")
    print(f"full render_html page     median {full * 1000:8.2f} ms   ({page_bytes:,} bytes per page)")
    print(f"plain pyvis generate_html median {plain * 1000:8.2f} ms")
    print(f"ratio render_html / live        {full / live:8.1f}x  (goal >= 5x)")
    print(f"ratio render_html / whole App   {full / whole_app:8.1f}x")
    print(f"ratio plain pyvis / live        {plain / live:8.1f}x")
    print(f"bytes: full page / live patch   {page_bytes / max(live_bytes, 1):8.1f}x")
    return 0


def _serialise_sends(widget: Any, sizes: list[int]) -> None:
    """Serialise every message the widget sends, as the kernel would, and record its size."""

    def send(data: Any = None, buffers: Any = None, **_kw: Any) -> None:
        sizes.append(len(json.dumps(data, separators=(",", ":")).encode("utf-8")))

    widget.comm.send = send


def _time(fn: Callable[[], None], repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    raise SystemExit(main())
