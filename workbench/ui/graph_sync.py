"""Keep a :class:`GraphView` in step with an :class:`EditSession`, sending only what changed.

After an edit, only the nodes and edges touched are rebuilt (see
:func:`workbench.render.mapdata.patch_for`) and sent as one patch. Loading a
case or a version redraws everything. Earlier versions and comparisons are shown
read-only, with a caption.
"""

from __future__ import annotations

import logging
from typing import Any

from workbench.diffing import FormulationDiff
from workbench.errors import WorkbenchError
from workbench.model import Formulation
from workbench.render.diffstyle import mark_diff
from workbench.render.mapdata import MAP_LABEL_WIDTH, link_rules, map_options, patch_for, with_positions
from workbench.render.visdata import edge_for, node_for, vis_data
from workbench.session import EditSession, SessionEvent, ViewState
from workbench.ui.graph_view import GraphView

__all__ = [
    "MAP_LABEL_WIDTH", "GraphBinding", "diff_marks", "link_rules", "map_options", "patch_for",
    "with_positions",
]

_log = logging.getLogger(__name__)

# map_options, link_rules, with_positions, patch_for and MAP_LABEL_WIDTH live in workbench.render.mapdata
# (the live map's data); they stay importable from here.


class GraphBinding:
    """Show the session's formulation in ``view`` and follow every change.

    While an earlier version or a comparison is shown (:meth:`show_version`,
    :meth:`show_diff`), edits are not drawn; :meth:`show_current` comes back.

    Where the map draws each element is kept as the case's view state: read from the view file
    beside the case when it is opened (so the map is not laid out again) and written beside it
    each time the case is saved (:meth:`EditSession.map_view`, :meth:`EditSession.keep_map_view`).
    A link made on the map is added to the session here.
    """

    def __init__(self, session: EditSession, view: GraphView) -> None:
        self.session = session
        self.view = view
        self.live = True
        view.label_width = MAP_LABEL_WIDTH
        view.options = map_options(session.formulation.template)
        self.layout = self._read_view()
        self._drawing = False  # True while Python itself sets the view's positions and pinned ids
        view.observe(self._on_layout, names=["positions", "pinned"])
        view.on_link(self._on_link)
        self._stop = session.observe(self._on_event)
        self.show_current()

    def show_current(self) -> None:
        """Draw the case being edited (editable), where its elements were last drawn."""
        f = self.session.formulation
        self.live = True
        data = vis_data(f)
        with self.view.hold_sync():
            self.view.options = map_options(f.template)
            self.view.link_rules = link_rules(f.template)
            self.view.read_only = False
            self.view.caption = ""
            self._drawing = True
            try:
                self.view.positions = {k: [x, y] for k, (x, y) in self.layout.positions.items()}
                self.view.pinned = sorted(self.layout.pinned)
            finally:
                self._drawing = False
            self.view.set_data(with_positions(data["nodes"], self.layout.positions), data["edges"])

    def show_version(self, formulation: Formulation, caption: str) -> None:
        """Draw another formulation (e.g. an earlier version) read-only, where the case draws its elements."""
        self.live = False
        data = vis_data(formulation)
        with self.view.hold_sync():
            self.view.options = map_options(formulation.template)
            self.view.read_only = True
            self.view.caption = caption
            self.view.selected = ""
            self.view.set_data(with_positions(data["nodes"], self.layout.positions), data["edges"])

    def show_diff(self, old: Formulation, new: Formulation, d: FormulationDiff, caption: str) -> None:
        """Draw ``new`` with what was added, removed (taken from ``old``) and changed marked."""
        self.live = False
        marks = d.marks()
        nodes = [node_for(new, el.id) for el in new.element_records()]
        nodes += [node_for(old, el.id) for el in d.elements_removed]
        edges = [edge_for(new, ln.id) for ln in new.link_records()]
        edges += [edge_for(old, ln.id) for ln in d.links_removed]
        with self.view.hold_sync():
            self.view.options = map_options(new.template)
            self.view.read_only = True
            self.view.caption = caption
            self.view.selected = ""
            self.view.set_data(with_positions(mark_diff(nodes, marks), self.layout.positions),
                               mark_diff(edges, marks))

    def close(self) -> None:
        """Stop following the session."""
        self._stop()

    def _read_view(self) -> ViewState:
        return self.session.map_view()

    def _on_layout(self, _change: Any) -> None:
        """The page drew the case's elements somewhere new (a layout, a placement or a drag)."""
        if not self.live or self._drawing:
            return
        raw = self.view.positions
        positions = {str(k): (float(v[0]), float(v[1])) for k, v in raw.items()
                     if isinstance(v, (list, tuple)) and len(v) == 2}
        self.layout = ViewState(positions, frozenset(str(i) for i in self.view.pinned))

    def _on_link(self, source: str, target: str, kind: str) -> None:
        if not self.live:
            self.view.link_result(False, "This is an earlier version, shown read-only: "
                                         "links cannot be added to it.")
            return
        try:
            link_id = self.session.add_link(source, target, kind)
        except WorkbenchError as err:
            self.view.link_result(False, str(err))
            return
        self.view.selected = link_id
        self.view.link_result(True, f"Linked: {self.session.formulation.sentence(link_id)}.")

    def _on_event(self, event: SessionEvent) -> None:
        if event.kind == "reset":
            self.layout = self._read_view()
            self.show_current()
            return
        if event.kind == "saved":
            self._write_view()
            return
        if not self.live or not event.changes:
            return
        patch = patch_for(self.session.formulation, event.changes)
        self.view.update_items(**patch)
        if self.view.selected and not self.view.has_item(self.view.selected):
            self.view.selected = ""

    def _write_view(self) -> None:
        """Keep where the elements are drawn beside the case just saved (only what still exists)."""
        path = self.session.path
        if path is None:
            return
        f = self.session.formulation
        kept = {i: p for i, p in self.layout.positions.items() if f.has_element(i)}
        try:
            self.session.keep_map_view(ViewState(kept, frozenset(i for i in self.layout.pinned if i in kept)))
        except OSError:  # the case itself is saved; only the drawing positions could not be kept
            _log.warning("Could not write the map's view file beside %s", path, exc_info=True)


def diff_marks(d: FormulationDiff) -> dict[str, str]:
    """Map element and link ids to 'added', 'removed' or 'changed' (see :meth:`FormulationDiff.marks`)."""
    return d.marks()
