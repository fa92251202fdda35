"""The merged map of two formulations (A and B) as vis-network items, each marked by its side.

The merged graph itself comes from :func:`workbench.analysis.compare.merged_graph`
(nodes and edges with ``side`` shared / only_a / only_b, ``a_id``, ``b_id``,
``label`` and ``label_b``); this module only draws it. Every item keeps its kind's
colour and shape (from :mod:`workbench.render.visdata`); the side is shown by the
border colour and a label prefix ("[A] ", "[B] "), so it reads without colour too,
and named in the tooltip.

Example
-------
>>> import workbench
>>> from workbench.analysis.compare import match, merged_graph
>>> a, b = workbench.new(case_id="C-1"), workbench.new(case_id="C-1")
>>> _ = a.add_element("unconscious_fear", "Fear of being left")
>>> _ = b.add_element("defense", "Self-sufficiency")
>>> data = merged_vis_data(a, b, merged_graph(a, b, match(a, b)))
>>> [n["label"][:4] for n in data["nodes"]], [n["side"] for n in data["nodes"]]
(['[A] ', '[B] '], ['only_a', 'only_b'])
"""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx

from workbench.model import Formulation
from workbench.render.visdata import edge_for, node_for

__all__ = ["SIDE_STYLES", "merged_vis_data"]

#: How each side looks in the merged graph: border colour (Okabe-Ito), label prefix, tooltip line.
SIDE_STYLES: dict[str, dict[str, str]] = {
    "shared": {"color": "#1F1F1F", "prefix": "", "note": "In both A and B", "name": "shared"},
    "only_a": {"color": "#D55E00", "prefix": "[A] ", "note": "Only in A", "name": "only in A"},
    "only_b": {"color": "#0072B2", "prefix": "[B] ", "note": "Only in B", "name": "only in B"},
}


def merged_vis_data(
    a: Formulation, b: Formulation, graph: nx.MultiDiGraph
) -> dict[str, list[dict[str, Any]]]:
    """Return vis-network nodes and edges of the merged ``graph`` of ``a`` and ``b``, each marked by its side.

    Each item carries ``side`` (shared / only_a / only_b); a shared element whose label
    differs in B names B's label in its tooltip.
    """
    nodes = []
    for key, attrs in graph.nodes(data=True):
        base = node_for(a, attrs["a_id"]) if attrs["a_id"] else node_for(b, attrs["b_id"])
        style = SIDE_STYLES[attrs["side"]]
        node = copy.deepcopy(base)
        node["id"] = key
        node["side"] = attrs["side"]
        node["label"] = style["prefix"] + str(node.get("label", ""))
        note = style["note"]
        if attrs["side"] == "shared" and attrs["label_b"] and attrs["label_b"] != attrs["label"]:
            note += f"; in B: “{attrs['label_b']}”"
        node["title"] = f"{note}\n{node.get('title', '')}".rstrip()
        node["color"] = {**node.get("color", {}), "border": style["color"]}
        node["borderWidth"] = 2 if attrs["side"] == "shared" else 5
        if attrs["side"] != "shared":
            node["shapeProperties"] = {"borderDashes": [6, 4] if attrs["side"] == "only_b" else False}
        nodes.append(node)
    edges = []
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        base = edge_for(a, attrs["a_id"]) if attrs["a_id"] else edge_for(b, attrs["b_id"])
        style = SIDE_STYLES[attrs["side"]]
        edge = copy.deepcopy(base)
        edge.update({"id": key, "from": source, "to": target, "side": attrs["side"]})
        edge["title"] = f"{style['note']}\n{edge.get('title', '')}".rstrip()
        if attrs["side"] != "shared":
            edge["label"] = style["prefix"] + str(edge.get("label", ""))
            edge["color"] = {"color": style["color"], "highlight": style["color"], "opacity": 1.0}
            edge["width"] = 3
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}
