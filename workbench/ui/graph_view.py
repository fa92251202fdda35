"""GraphView: the live, two-way formulation graph (an anywidget over vis-network).

The node and edge dicts come from :mod:`workbench.render.visdata` (the one place
that styles them). The widget sends a full snapshot once and afterwards only
patches of the items that changed, so the page is not rebuilt and the user's
zoom and positions stay. vis-network (``render/assets.py``: its vendored script, pyvis's stylesheet)
is put into the page once; nothing is fetched from the network.

Synced state
------------
``snapshot``
    ``{"seq", "nodes", "edges"}``: all items. Python keeps it current in place;
    after a full :meth:`GraphView.set_data` only patches travel to the browser.
    :attr:`GraphView.nodes` and :attr:`GraphView.edges` read it.
``patch``
    The latest change, ``{"seq", "base", "nodes": {"update", "remove"}, "edges": ...}``
    (see ``static/graph_view.js``).
``selected``
    The selected element or link id, two-way.
``read_only`` / ``caption``
    A read-only view (e.g. an earlier version) and the text shown over the graph.
``positions`` / ``pinned``
    Where the page draws each element (``{id: [x, y]}``, reported after each layout, placement
    or drag) and which ones the user dragged (placement and re-arranging leave those where they
    are). A node sent with ``x`` and ``y`` is drawn there, with no new layout. ``positions`` is
    kept on the Python side only: the page reports it in ``{"type": "positions", "full",
    "positions"}`` messages holding only what moved since its last report (``full``: all of them,
    after a new case or layout), so a large map does not travel whole after every change.
``link_rules``
    The link kinds allowed between two element kinds: the map's link chooser offers only these.
    A link made on the map reaches Python as a message (see :meth:`GraphView.on_link`).
``label_width``
    When set, the page re-wraps node labels to this many characters a line (narrower nodes,
    so a fitted map is drawn larger); the labels in ``snapshot`` stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import anywidget
import traitlets
from ipywidgets import widget_serialization

from workbench.render.assets import shared_map_js, vis_network_css, vis_network_js
from workbench.render.diffstyle import DIFF_STYLES, mark_diff  # where they were before, for existing callers
from workbench.ui._static import STATIC, static_text

__all__ = ["DIFF_STYLES", "GraphView", "VisLibrary", "mark_diff", "vis_library"]

#: The page scripts of the graph, in order: helpers first, the view (which uses them) last.
_SCRIPTS = ("map_frames.js", "map_placement.js", "map_linking.js", "graph_view.js")



class VisLibrary(anywidget.AnyWidget):
    """The vis-network script and stylesheet (``render/assets.py``), sent to the page once per kernel.

    Every :class:`GraphView` refers to the one shared instance (:func:`vis_library`),
    so a page with several graphs receives the library once.
    """

    _esm = "export default {};"  # no view of its own: it only carries the library
    js = traitlets.Unicode("", help="vis-network JavaScript (UMD build).").tag(sync=True)
    css = traitlets.Unicode("", help="vis-network stylesheet.").tag(sync=True)


_LIBRARY: VisLibrary | None = None


def vis_library() -> VisLibrary:
    """Return the shared :class:`VisLibrary`, creating it on first use (or after it was closed)."""
    global _LIBRARY
    if _LIBRARY is None or _LIBRARY.comm is None:
        _LIBRARY = VisLibrary(js=vis_network_js(), css=vis_network_css())
    return _LIBRARY


class GraphView(anywidget.AnyWidget):
    """The formulation graph in the page: zoom, pan, drag, hover tooltips, click to select.

    >>> g = GraphView()
    >>> g.set_data([{"id": "a", "label": "A"}], [])
    >>> g.update_items(nodes=[{"id": "b", "label": "B"}])
    >>> [n["id"] for n in g.nodes], g.patch["nodes"]["update"][0]["id"]
    (['a', 'b'], 'b')
    >>> GraphView().library is g.library    # vis-network travels to the page once
    True
    """

    # The scripts shared with the standalone page (link-label placement, quick drawing) come first.
    _esm = "\n".join(
        [shared_map_js()] + [static_text(name) for name in _SCRIPTS]
    )
    _css = STATIC / "graph_view.css"

    library = traitlets.Instance(VisLibrary, allow_none=True, help="The shared vis-network library.").tag(
        sync=True, **widget_serialization
    )
    snapshot = traitlets.Dict(
        {"seq": 0, "nodes": [], "edges": []}, help="Full data: {seq, nodes, edges}."
    ).tag(sync=True)
    options = traitlets.Dict(help="vis-network options (layout, interaction).").tag(sync=True)
    patch = traitlets.Dict(help="The latest incremental change.").tag(sync=True)
    selected = traitlets.Unicode("", help="Selected element or link id ('' for none).").tag(sync=True)
    read_only = traitlets.Bool(False, help="Whether the graph shows something that cannot be edited.").tag(
        sync=True
    )
    caption = traitlets.Unicode("", help="Plain text shown over the graph.").tag(sync=True)
    height = traitlets.Unicode("560px", help="CSS height of the graph.").tag(sync=True)
    positions = traitlets.Dict(
        help="Where each element is drawn, {id: [x, y]} in map units; reported by the page after a layout, "
        "a placement or a drag (only what moved travels). Nodes sent with x and y are drawn there "
        "without a new layout."
    )
    pinned = traitlets.List(
        traitlets.Unicode(), help="Ids of the elements the user dragged (never moved by placement)."
    ).tag(sync=True)
    link_rules = traitlets.Dict(
        help="The link kinds the template allows, {source kind: {target kind: [{kind, name, verb}]}}; "
        "empty: no linking on the map."
    ).tag(sync=True)
    min_fit_scale = traitlets.Float(
        0.72, help="After the automatic fit the map is never drawn smaller than this zoom, so labels stay "
        "readable (the Fit button still shows it whole); 0: the automatic fit always shows the whole map."
    ).tag(sync=True)
    label_width = traitlets.Int(
        0, help="Characters per line of node labels as drawn (0: as given); the data is unchanged."
    ).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("library", vis_library())
        super().__init__(**kwargs)
        self._seq = int(cast(dict[str, Any], self.snapshot).get("seq", 0))
        self._node_pos = {n["id"]: i for i, n in enumerate(self.nodes)}
        self._edge_pos = {e["id"]: i for i, e in enumerate(self.edges)}
        self._link_handlers: list[Callable[[str, str, str], None]] = []
        self.on_msg(self._on_frontend_msg)

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """The nodes shown now (vis-network dicts, as synced to the page)."""
        return cast(list[dict[str, Any]], cast(dict[str, Any], self.snapshot)["nodes"])

    @property
    def edges(self) -> list[dict[str, Any]]:
        """The edges shown now (vis-network dicts, as synced to the page)."""
        return cast(list[dict[str, Any]], cast(dict[str, Any], self.snapshot)["edges"])

    # --- data ---------------------------------------------------------------------------

    def set_data(self, nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]) -> None:
        """Replace everything shown (a new case or version): the browser redraws and lays out anew."""
        self._seq += 1
        self.snapshot = {
            "seq": self._seq,
            "nodes": [dict(n) for n in nodes],
            "edges": [dict(e) for e in edges],
        }
        self._node_pos = {n["id"]: i for i, n in enumerate(self.nodes)}
        self._edge_pos = {e["id"]: i for i, e in enumerate(self.edges)}

    def update_items(
        self,
        *,
        nodes: Iterable[Mapping[str, Any]] = (),
        edges: Iterable[Mapping[str, Any]] = (),
        remove_nodes: Iterable[str] = (),
        remove_edges: Iterable[str] = (),
    ) -> None:
        """Add or replace some nodes and edges and remove others, sending only those to the page."""
        upd_nodes = [dict(n) for n in nodes]
        upd_edges = [dict(e) for e in edges]
        gone_nodes = [i for i in remove_nodes if i in self._node_pos]
        gone_edges = [i for i in remove_edges if i in self._edge_pos]
        if not (upd_nodes or upd_edges or gone_nodes or gone_edges):
            return
        # Keep the Python-side snapshot current in place (no trait event: nothing big is sent).
        _upsert(self.nodes, self._node_pos, upd_nodes, gone_nodes)
        _upsert(self.edges, self._edge_pos, upd_edges, gone_edges)
        base, self._seq = self._seq, self._seq + 1
        self.patch = {
            "seq": self._seq,
            "base": base,
            "nodes": {"update": upd_nodes, "remove": gone_nodes},
            "edges": {"update": upd_edges, "remove": gone_edges},
        }

    def node(self, node_id: str) -> dict[str, Any]:
        """Return the node ``node_id`` as the graph has it (raises ``KeyError`` if absent)."""
        return self.nodes[self._node_pos[node_id]]

    def edge(self, edge_id: str) -> dict[str, Any]:
        """Return the edge ``edge_id`` as the graph has it (raises ``KeyError`` if absent)."""
        return self.edges[self._edge_pos[edge_id]]

    def has_item(self, item_id: str) -> bool:
        """Return whether a node or an edge with this id is shown."""
        return item_id in self._node_pos or item_id in self._edge_pos

    # --- view ----------------------------------------------------------------------------

    def fit(self) -> None:
        """Zoom so the whole graph is visible."""
        self.send({"type": "fit"})

    def relayout(self) -> None:
        """Lay everything out in layers again; the elements the user dragged stay where they are."""
        self.send({"type": "relayout"})

    # --- linking on the map ------------------------------------------------------------------

    def on_link(self, handler: Callable[[str, str, str], None]) -> None:
        """Call ``handler(source_id, target_id, kind)`` when the user links two elements on the map."""
        self._link_handlers.append(handler)

    def link_result(self, ok: bool, text: str) -> None:
        """Tell the map how a link made on it went (``text`` is shown on the map, as text)."""
        self.send({"type": "link_result", "ok": bool(ok), "text": str(text)})

    # --- helpers ---------------------------------------------------------------------------

    def _on_frontend_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "add_link":
            source, target, kind = (content.get(key) for key in ("from", "to", "kind"))
            if isinstance(source, str) and isinstance(target, str) and isinstance(kind, str) and kind:
                for handler in list(self._link_handlers):
                    handler(source, target, kind)
            return
        if isinstance(content, dict) and content.get("type") == "positions":
            self._merge_positions(content.get("positions"), full=content.get("full") is True)
            return
        if isinstance(content, dict) and content.get("type") == "resync":
            # The page missed a patch (e.g. drawn after the changes): send the current snapshot.
            self._seq += 1
            self.snapshot = {**cast(dict[str, Any], self.snapshot), "seq": self._seq}

    def _merge_positions(self, moved: Any, *, full: bool) -> None:
        """Take the positions the page reported: all of them (``full``) or those that moved."""
        if not isinstance(moved, dict):
            return
        merged: dict[str, Any] = {} if full else dict(self.positions)
        merged.update(moved)
        if full or moved:
            self.positions = merged


def _upsert(items: list[dict[str, Any]], pos: dict[str, int], updates: list[dict[str, Any]],
            removals: list[str]) -> None:
    for item in updates:
        index = pos.get(item["id"])
        if index is None:
            pos[item["id"]] = len(items)
            items.append(item)
        else:
            items[index] = item
    if removals:
        gone = set(removals)
        items[:] = [it for it in items if it["id"] not in gone]
        pos.clear()
        pos.update({it["id"]: i for i, it in enumerate(items)})
