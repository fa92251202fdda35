"""Bounded-length simple cycles of a directed graph, found without all-pairs work.

:func:`bounded_cycles` finds each cycle once, from its first element in a
given order: strongly connected components are computed once, and the search
from each element only enters later elements of its component that can still
get back to it within the length bound (a breadth-first pass backwards from it
gives those distances). The work per element is bounded by its neighbourhood of
radius ``max_length``, so a large sparse formulation costs about linear time,
where repeating the component split after every element (as
``networkx.simple_cycles`` does) costs quadratic time.

>>> import networkx as nx
>>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")])
>>> sorted(bounded_cycles(g, {"a": 0, "b": 1, "c": 2}, 3))
[['a', 'b'], ['a', 'b', 'c']]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

__all__ = ["bounded_cycles"]


def bounded_cycles(graph: nx.DiGraph, rank: Mapping[Any, Any], max_length: int) -> Iterator[list[Any]]:
    """Yield every simple cycle of at most ``max_length`` links, starting at its lowest-``rank`` node.

    Cycles come lowest starting node first; ``rank`` must give every node a
    sortable key.
    """
    if max_length < 1:
        return
    component: dict[Any, int] = {}
    for number, nodes in enumerate(nx.strongly_connected_components(graph)):
        component.update(dict.fromkeys(nodes, number))
    order = sorted(graph, key=lambda n: rank[n])
    position = {node: i for i, node in enumerate(order)}
    for start in order:
        if graph.has_edge(start, start):
            yield [start]
        if max_length >= 2:
            back = _distances_back(graph, start, component, position, max_length - 1)
            if len(back) > 1:
                yield from _search(graph, start, back, max_length)


def _distances_back(
    graph: nx.DiGraph, start: Any, component: Mapping[Any, int], position: Mapping[Any, int], limit: int
) -> dict[Any, int]:
    """Links from each later node of ``start``'s component back to ``start`` (those within ``limit``)."""
    home, first = component[start], position[start]
    distance = {start: 0}
    frontier = [start]
    for step in range(1, limit + 1):
        ahead = []
        for node in frontier:
            for before in graph.predecessors(node):
                if before not in distance and component[before] == home and position[before] > first:
                    distance[before] = step
                    ahead.append(before)
        if not ahead:
            break
        frontier = ahead
    return distance


def _search(graph: nx.DiGraph, start: Any, back: Mapping[Any, int], max_length: int) -> Iterator[list[Any]]:
    """Depth-first paths from ``start`` that can still close within ``max_length`` links."""
    path = [start]
    on_path = {start}
    stack = [iter(graph.successors(start))]
    while stack:
        for node in stack[-1]:
            if node == start:
                if len(path) >= 2:
                    yield list(path)
                continue
            if node in on_path or node not in back or len(path) + back[node] > max_length:
                continue
            path.append(node)
            on_path.add(node)
            stack.append(iter(graph.successors(node)))
            break
        else:
            stack.pop()
            on_path.discard(path.pop())
