"""Benchmark: render_html against plain pyvis on the same 300-element formulation.

Run on demand (not part of the test suite)::

    python3 benchmarks/bench_render.py [--elements 300] [--links 400] [--repeats 15]

Prints the median time of ``workbench.render_html(f)`` and of plain pyvis
``Network.from_nx(graph)`` + ``generate_html()`` on the same graph (node label,
kind and layer; edge kind and weight: what pyvis can take, since the model's
graph carries record objects that pyvis cannot serialise), and their ratio.
pyvis is timed with its default ``cdn_resources="local"`` (the page links
vis-network from a CDN, nothing inlined) and with ``"in_line"`` (the closest to
our page, which inlines everything).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
from pyvis.network import Network

from workbench import render_html
from workbench.model import Formulation

WORDS = [
    "father", "mother", "absent", "loss", "anger", "shame", "fear", "wish", "care", "admired", "leave",
    "alone", "partner", "work", "sleep", "mood", "withdraw", "control", "perfect", "guilt", "rival",
    "sister", "brother", "school", "move", "illness", "praise", "critic",
]


def build_formulation(n_elements: int, n_links: int, seed: int = 7) -> Formulation:
    """A random but valid psychodynamic formulation with evidence, like a long-running case."""
    rng = random.Random(seed)
    f = Formulation.new(case_id="BENCH-300", title="Benchmark case", fictional=True)
    kinds = list(f.template.element_kinds)
    ids: list[str] = []
    for i in range(n_elements):
        label = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
        ids.append(
            f.add_element(
                rng.choice(kinds),
                f"{label} {i}",
                description=" ".join(rng.choice(WORDS) for _ in range(20)),
                confidence=rng.choice([None, 0.1, 0.3, 0.5, 0.7, 0.9]),
                status=rng.choice(["hypothesis", "hypothesis", "supported", "discarded"]),
                evidence=[
                    dict(session=rng.randint(1, 40), date="2024-03-18", quote=" ".join(rng.sample(WORDS, 8)))
                    for _ in range(rng.randint(0, 3))
                ],
            )
        )
    template = f.template
    attempts = 0
    while len(f.link_records()) < n_links and attempts < n_links * 50:
        attempts += 1
        a, b = rng.sample(ids, 2)
        allowed = template.allowed_link_kinds(f.element(a).kind, f.element(b).kind)
        if allowed:
            f.add_link(a, b, rng.choice(allowed).id, confidence=rng.choice([None, 0.5, 0.9]))
    return f


def plain_graph(f: Formulation) -> nx.MultiDiGraph:
    """The same graph with plain attributes that pyvis can serialise."""
    g = nx.MultiDiGraph()
    for node, data in f.graph.nodes(data=True):
        g.add_node(node, label=data["label"], group=data["kind"], level=data["layer"])
    for source, target, key, data in f.graph.edges(keys=True, data=True):
        g.add_edge(source, target, key=key, label=data["kind"], weight=data["weight"])
    return g


def pyvis_page(graph: nx.MultiDiGraph, cdn_resources: str) -> str:
    net = Network(directed=True, cdn_resources=cdn_resources)
    net.from_nx(graph)
    return str(net.generate_html())


def median_times(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, tuple[float, Any]]:
    """Median time of each function; runs are interleaved so load on the machine hits all alike."""
    results = {name: fn() for name, fn in fns.items()}  # warm-up: imports, file caches
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), results[name]) for name in fns}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--elements", type=int, default=300)
    parser.add_argument("--links", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)

    f = build_formulation(args.elements, args.links)
    print(f"formulation: {len(f)} elements, {len(f.link_records())} links; median of {args.repeats} runs")

    graph = plain_graph(f)  # built once; from_nx only sets each node's size, the same every time
    measured = median_times(
        {
            "ours": lambda: render_html(f),
            "local": lambda: pyvis_page(graph, "local"),
            "inline": lambda: pyvis_page(graph, "in_line"),
        },
        args.repeats,
    )
    (ours, page), (local, local_page), (inline, inline_page) = (
        measured["ours"], measured["local"], measured["inline"]
    )
    rows = [
        ("render_html (offline, escaped, styled)", ours, page),
        ("pyvis from_nx + generate_html (local)", local, local_page),
        ("pyvis from_nx + generate_html (in_line)", inline, inline_page),
    ]
    for name, seconds, html in rows:
        print(f"{name:<40}: {seconds * 1000:8.1f} ms  {len(html) / 1e6:5.2f} MB")
    print(f"{'ratio render_html / pyvis (local)':<40}: {ours / local:8.2f}")
    print(f"{'ratio render_html / pyvis (in_line)':<40}: {ours / inline:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
