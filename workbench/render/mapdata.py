"""The live map's vis-network data: its options, the link chooser's rules, and patches after edits.

The app's map (:class:`workbench.ui.graph_view.GraphView`, kept in step with the
editing session by :mod:`workbench.ui.graph_sync`) is drawn from these; the nodes
and edges themselves come from :mod:`workbench.render.visdata`, the one place that
styles them. After an edit only the items touched are rebuilt (:func:`patch_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workbench.model import Change, Formulation
from workbench.render.visdata import edge_for, levels, link_pairs, network_options, node_for
from workbench.templates import Template

__all__ = ["MAP_LABEL_WIDTH", "link_rules", "map_options", "patch_for", "with_positions"]

#: Characters per line of a node label on the live map: narrower nodes than the standalone
#: page (whose labels are wider), so a fitted map in a side-by-side app is drawn larger.
MAP_LABEL_WIDTH = 15


def map_options(template: Template) -> dict[str, Any]:
    """Return the vis-network options of the live map: the shared ones, rows packed for narrow labels.

    >>> from workbench.templates import get_template
    >>> map_options(get_template("psychodynamic"))["layout"]["hierarchical"]["nodeSpacing"]
    150
    """
    options = network_options(template)
    hier = options["layout"]["hierarchical"]
    if hier.get("direction") == "UD":
        hier.update(nodeSpacing=150, treeSpacing=150, levelSeparation=135)
    # Slightly larger text: a fitted map is drawn at about 0.7, and labels should stay near 11 px.
    options["nodes"]["font"]["size"] = 16
    options["edges"]["font"]["size"] = 13
    return options


def link_rules(template: Template) -> dict[str, dict[str, list[dict[str, str]]]]:
    """Return the link kinds the template allows between each two element kinds, for the map's chooser.

    >>> from workbench.templates import get_template
    >>> link_rules(get_template("psychodynamic"))["early_experience"]["unconscious_fear"][0]["verb"]
    'gives rise to'
    """
    rules: dict[str, dict[str, list[dict[str, str]]]] = {}
    for source in template.element_kinds:
        for target in template.element_kinds:
            allowed = template.allowed_link_kinds(source, target)
            if allowed:
                rules.setdefault(source, {})[target] = [
                    {"kind": lk.id, "name": lk.name, "verb": lk.verb} for lk in allowed
                ]
    return rules


def with_positions(
    nodes: Iterable[dict[str, Any]], positions: Mapping[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    """Return ``nodes`` with ``x`` and ``y`` set for those whose position is known (the others unchanged).

    >>> with_positions([{"id": "a"}, {"id": "b"}], {"a": (1.0, 2.0)})
    [{'id': 'a', 'x': 1.0, 'y': 2.0}, {'id': 'b'}]
    """
    out = []
    for node in nodes:
        at = positions.get(str(node.get("id")))
        out.append({**node, "x": at[0], "y": at[1]} if at is not None else node)
    return out


def patch_for(f: Formulation, changes: Iterable[Change]) -> dict[str, Any]:
    """Return the nodes and edges to send (rebuilt from ``f`` as it is now) and the ids to remove.

    A label change also resends the element's links, whose tooltips quote it.
    """
    elements: dict[str, None] = {}
    links: dict[str, None] = {}
    for change in changes:
        if change.what == "element":
            elements[change.id] = None
            if f.has_element(change.id):
                links.update((ln.id, None) for ln in f.links_of(change.id))
        elif change.what == "link":
            links[change.id] = None
    node_ids = [i for i in elements if f.has_element(i)]
    link_ids = [i for i in links if f.has_link(i)]
    # the rows and the parallel links once for the whole patch (each is a pass over the case)
    rows = levels(f) if node_ids or link_ids else {}
    pairs = link_pairs(f) if link_ids else {}
    return {
        "nodes": [node_for(f, i, levels=rows) for i in node_ids],
        "remove_nodes": [i for i in elements if not f.has_element(i)],
        "edges": [edge_for(f, i, levels=rows, _pairs=pairs) for i in link_ids],
        "remove_edges": [i for i in links if not f.has_link(i)],
    }
