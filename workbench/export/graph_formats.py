"""GraphML and GEXF export: a formulation as a graph file for Gephi, yEd and Cytoscape.

Every element becomes a node and every link an edge, keyed by their ids.
Attributes keep what the formulation knows, flattened to the plain types
GraphML and GEXF allow (text, whole numbers, decimals, true/false): tuples
such as tags and evidence sessions become comma-separated text, and a value
that is not set (no confidence, say) is left out rather than written empty.

Node attributes: ``label``, ``kind``, ``kind_name``, ``layer``, ``layer_name``,
``color``, ``shape``, ``description``, ``status``, ``confidence``,
``confidence_name``, ``time_frame``, ``tags``, ``code``, ``evidence_count``,
``sessions``. Edge attributes: ``label`` (the verb phrase), ``kind``,
``kind_name``, ``verb``, ``sign``, ``weight``, ``description``, ``status``,
``confidence``, ``confidence_name``, ``evidence_count``, ``sessions``,
``dashes``. Line breaks become ``\n``; characters XML cannot hold become U+FFFD.

GraphML files also carry yEd's own node and edge graphics (label, fill colour,
shape, a layered position, arrow, dashed line), so yEd shows labels and colours
without any property mapping; Gephi and Cytoscape read the plain attributes.
GEXF files carry Gephi's ``viz`` colour, shape and layered position.

Example
-------
>>> import networkx as nx, tempfile, pathlib
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> a = f.add_element("early_experience", "Father often absent")
>>> path = write_graphml(f, pathlib.Path(tempfile.mkdtemp()) / "case.graphml")
>>> nx.read_graphml(path).nodes[a]["kind"]
'early_experience'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from workbench.model import Formulation, confidence_name

__all__ = ["graphml_text", "to_graph", "write_gexf", "write_graphml"]

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_YED_NS = "http://www.yworks.com/xml/graphml"

#: vis-network shapes (used by templates) and the nearest yEd and Gephi shapes.
_YED_SHAPES = {
    "box": "roundrectangle",
    "ellipse": "ellipse",
    "circle": "ellipse",
    "database": "rectangle3d",
    "text": "rectangle",
    "diamond": "diamond",
    "dot": "ellipse",
    "star": "star5",
    "triangle": "triangle",
    "triangleDown": "triangle",
    "hexagon": "hexagon",
    "square": "rectangle",
}
_GEXF_SHAPES = {"box": "square", "square": "square", "database": "square", "text": "square",
                "triangle": "triangle", "triangleDown": "triangle", "diamond": "diamond"}

#: Characters XML 1.0 cannot hold at all (and lone surrogates, which UTF-8 cannot); clinical
#: text pasted from elsewhere may contain them. They become U+FFFD.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_LAYER_GAP = 160.0
_NODE_GAP = 220.0


def to_graph(formulation: Formulation) -> nx.MultiDiGraph:
    """Return a new graph of the formulation with flat, file-safe attributes.

    Nodes are element ids, edge keys are link ids; every attribute value is a
    ``str``, ``int``, ``float`` or ``bool``. Graph attributes name the case,
    the template and its layers.

    >>> from workbench.model import Formulation
    >>> f = Formulation.new(case_id="C-1")
    >>> e = f.add_element("defense", "Self-sufficiency", tags=["core", "early"])
    >>> to_graph(f).nodes[e]["tags"]
    'core, early'
    """
    template = formulation.template
    meta = formulation.meta
    g = nx.MultiDiGraph()
    g.graph.update(
        _clean(
            {
                "name": meta.title or meta.case_id,
                "case_id": meta.case_id,
                "title": meta.title,
                "template": template.id,
                "template_name": template.name,
                "layers": " | ".join(template.layers),
                "fictional": meta.fictional,
            }
        )
    )
    for el in formulation.element_records():
        kind = template.element_kinds[el.kind]
        g.add_node(
            el.id,
            **_clean(
                {
                    "label": el.label,
                    "kind": el.kind,
                    "kind_name": kind.name,
                    "layer": kind.layer,
                    "layer_name": template.layer_name(kind.layer),
                    "color": kind.color,
                    "shape": kind.shape,
                    "description": el.description,
                    "status": el.status,
                    "confidence": el.confidence,
                    "confidence_name": confidence_name(el.confidence),
                    "time_frame": el.time_frame,
                    "tags": ", ".join(el.tags),
                    "code": el.code,
                    "evidence_count": len(el.evidence),
                    "sessions": _sessions(el.evidence),
                }
            ),
        )
    for ln in formulation.link_records():
        lk = template.link_kinds[ln.kind]
        weight = ln.weight if ln.weight is not None else float(lk.sign)
        g.add_edge(
            ln.source,
            ln.target,
            key=ln.id,
            **_clean(
                {
                    "label": lk.verb,
                    "kind": ln.kind,
                    "kind_name": lk.name,
                    "verb": lk.verb,
                    "sign": lk.sign,
                    "weight": float(weight),
                    "description": ln.description,
                    "status": ln.status,
                    "confidence": ln.confidence,
                    "confidence_name": confidence_name(ln.confidence),
                    "evidence_count": len(ln.evidence),
                    "sessions": _sessions(ln.evidence),
                    "dashes": lk.dashes,
                }
            ),
        )
    return g


def write_graphml(formulation: Formulation, path: str | Path, *, yed: bool = True) -> Path:
    """Write the formulation as a GraphML file and return its path.

    With ``yed=True`` (the default) nodes and edges also carry yEd graphics
    (label, colour, shape, position), which other readers ignore.
    """
    path = Path(path)
    path.write_text(graphml_text(formulation, yed=yed), encoding="utf-8")
    return path


def graphml_text(formulation: Formulation, *, yed: bool = True) -> str:
    """Return the GraphML document of the formulation as text (see :func:`write_graphml`)."""
    g = to_graph(formulation)
    g.graph.pop("name", None)  # GraphML keeps graph data as attributes; 'title' already says it
    g_for_cytoscape = g.copy()
    for _, data in g_for_cytoscape.nodes(data=True):
        data["name"] = data["label"]  # Cytoscape labels nodes by their 'name' column
    text = "\n".join(nx.generate_graphml(g_for_cytoscape))
    if not yed:
        return text + "\n"
    return _add_yed_graphics(text, g, _positions(formulation))


def write_gexf(formulation: Formulation, path: str | Path) -> Path:
    """Write the formulation as a GEXF 1.2 file (Gephi's format) and return its path.

    Node colours, shapes and a layered position go into GEXF's ``viz`` data.
    """
    path = Path(path)
    g = to_graph(formulation)
    positions = _positions(formulation)
    for node, data in g.nodes(data=True):
        viz: dict[str, Any] = {"size": 12.0, "shape": _GEXF_SHAPES.get(str(data.get("shape")), "disc")}
        rgb = _rgb(str(data.get("color", "")))
        if rgb is not None:
            viz["color"] = {"r": rgb[0], "g": rgb[1], "b": rgb[2], "a": 1.0}
        x, y = positions[node]
        viz["position"] = {"x": x, "y": -y, "z": 0.0}  # Gephi's y axis points up
        data["viz"] = viz
    for _, _, key, data in g.edges(keys=True, data=True):
        data["id"] = key
    nx.write_gexf(g, path)
    return path


# --- helpers -------------------------------------------------------------------------


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values and make text XML-safe."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, str):  # XML readers turn \r\n and \r into \n anyway
            value = _XML_ILLEGAL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
        out[name] = value
    return out


def _sessions(evidence: tuple[Any, ...]) -> str:
    return ", ".join(str(s) for s in sorted({e.session for e in evidence if e.session is not None}))


def _positions(formulation: Formulation) -> dict[str, tuple[float, float]]:
    """A simple layered layout: one row per template layer, centred."""
    rows: dict[int, list[str]] = {}
    for el in formulation.element_records():
        rows.setdefault(formulation.template.element_kinds[el.kind].layer, []).append(el.id)
    positions: dict[str, tuple[float, float]] = {}
    for layer, ids in rows.items():
        for i, element_id in enumerate(ids):
            positions[element_id] = ((i - (len(ids) - 1) / 2) * _NODE_GAP, layer * _LAYER_GAP)
    return positions


def _rgb(color: str) -> tuple[int, int, int] | None:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", color.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _add_yed_graphics(text: str, g: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> str:
    """Add yEd's ``nodegraphics`` and ``edgegraphics`` data to a GraphML document."""
    ET.register_namespace("", _GRAPHML_NS)
    ET.register_namespace("y", _YED_NS)
    root = ET.fromstring(text)
    gm = f"{{{_GRAPHML_NS}}}"
    y = f"{{{_YED_NS}}}"
    root.insert(0, ET.Element(f"{gm}key", {"for": "node", "id": "yed_node", "yfiles.type": "nodegraphics"}))
    root.insert(0, ET.Element(f"{gm}key", {"for": "edge", "id": "yed_edge", "yfiles.type": "edgegraphics"}))
    graph = root.find(f"{gm}graph")
    assert graph is not None  # networkx always writes one
    for node in graph.findall(f"{gm}node"):
        node_id = node.get("id", "")
        data = g.nodes[node_id]
        label = str(data["label"])
        x, yy = positions[node_id]
        width = max(120.0, min(320.0, 8.0 * len(label) + 24.0))
        holder = ET.SubElement(node, f"{gm}data", {"key": "yed_node"})
        shape_node = ET.SubElement(holder, f"{y}ShapeNode")
        ET.SubElement(
            shape_node, f"{y}Geometry",
            {"x": f"{x - width / 2:.1f}", "y": f"{yy:.1f}", "width": f"{width:.1f}", "height": "50.0"},
        )
        rgb = _rgb(str(data.get("color", "")))
        fill = "#{:02X}{:02X}{:02X}".format(*rgb) if rgb else "#DDDDDD"
        ET.SubElement(shape_node, f"{y}Fill", {"color": fill, "transparent": "false"})
        border = "dashed" if data.get("status") == "hypothesis" else "line"
        ET.SubElement(shape_node, f"{y}BorderStyle", {"color": "#333333", "type": border, "width": "1.5"})
        node_label = ET.SubElement(
            shape_node, f"{y}NodeLabel",
            {"fontSize": "13", "textColor": "#000000", "modelName": "internal", "modelPosition": "c"},
        )
        node_label.text = label
        ET.SubElement(shape_node, f"{y}Shape", {"type": _YED_SHAPES.get(str(data.get("shape")), "ellipse")})
    for edge in graph.findall(f"{gm}edge"):
        data = g.edges[edge.get("source", ""), edge.get("target", ""), edge.get("id", "")]
        holder = ET.SubElement(edge, f"{gm}data", {"key": "yed_edge"})
        line = ET.SubElement(holder, f"{y}PolyLineEdge")
        style = "dashed" if data.get("dashes") else "line"
        ET.SubElement(line, f"{y}LineStyle", {"color": "#333333", "type": style, "width": "1.5"})
        ET.SubElement(line, f"{y}Arrows", {"source": "none", "target": "standard"})
        edge_label = ET.SubElement(line, f"{y}EdgeLabel", {"fontSize": "11"})
        edge_label.text = str(data["label"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
