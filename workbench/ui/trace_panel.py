"""The trace panel: choose an element, see the paths into it or out of it, and the cycles.

A thin layer over :mod:`workbench.analysis.trace`: the panel asks the tracer for
the paths and cycles and shows them as sentences; the graph view highlights
every element and link on them (the rest is dimmed). Choosing an element works
from the list in the panel or by clicking it in the graph.

Example
-------
>>> from workbench.session import EditSession
>>> s = EditSession.new_case(case_id="T-1")
>>> past = s.add_element("early_experience", "Father often absent")
>>> fear = s.add_element("unconscious_fear", "Fear of being left")
>>> link = s.add_link(past, fear, "gives_rise_to")
>>> panel = TracePanel(s)
>>> panel.element.value = fear
>>> sorted(panel.highlighted) == sorted([past, fear, link])
True
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.analysis.trace import consequences_of, cycles, highlight_for, roots_of
from workbench.errors import ElementNotFound, InvalidValue, short
from workbench.model import element_names, resolve_element
from workbench.render.visdata import network_options, vis_data
from workbench.session import EditSession, SessionEvent
from workbench.ui._panel_kit import (
    NONE,
    FollowsSession,
    StatusLine,
    element_choices,
    esc,
    guarded,
    panel_style,
    set_choices,
    show_highlight,
)
from workbench.ui.element_picker import ElementPicker
from workbench.ui.graph_view import GraphView

__all__ = ["DIRECTIONS", "TracePanel"]

#: The directions the panel can trace, as (button text, value).
DIRECTIONS = [
    ("Roots: what leads into it", "into"),
    ("Consequences: what it feeds", "out_of"),
    ("Both", "both"),
]


class TracePanel(FollowsSession):
    """Trace linkages of one element; list paths and cycles; highlight them in a graph view.

    ``view`` is the graph to highlight in (the app's own graph); without one the
    panel shows its own read-only graph. Clicking an element in the view traces it.
    ``status`` is the line for messages (the app's own); without one the panel has its own.
    """

    def __init__(
        self, session: EditSession, *, view: GraphView | None = None, status: StatusLine | None = None
    ) -> None:
        self.session = session
        self.own_view = view is None
        self.view = view if view is not None else _own_view(session)
        #: The ids highlighted now (elements and links).
        self.highlighted: set[str] = set()
        #: The paths shown now, as the tracer returned them.
        self.paths: list[Any] = []
        #: The cycles table shown now.
        self.cycle_table = pd.DataFrame()
        self._quiet = False

        self.find = ElementPicker(description="Find", layout=w.Layout(width="100%"),
                                  placeholder="type a label or part of it; ↓ and Enter pick")
        self.find.add_class("wb-trace-find")
        self.find_hint = w.HTML()
        self.find_hint.add_class("wb-trace-find-hint")
        self.element = w.Dropdown(description="Element", options=[], layout=w.Layout(width="100%"))
        self.element.add_class("wb-trace-element")
        self.direction = w.ToggleButtons(options=DIRECTIONS, value="into", description="Trace")
        self.direction.style.button_width = "auto"
        self.clear_button = w.Button(description="Clear highlight", icon="eraser",
                                     tooltip="Show the whole formulation again")
        self.paths_html = w.HTML()
        self.cycle_choice = w.Dropdown(description="Cycle", options=[], layout=w.Layout(width="100%"))
        self.cycles_html = w.HTML()
        self.own_status = status is None
        self.status = status if status is not None else StatusLine()

        self.element.observe(self._on_element, "value")
        self.find.observe(self._on_find, "value")
        self.find.on_submit(self._on_find)
        self.direction.observe(self._on_element, "value")
        self.cycle_choice.observe(self._on_cycle, "value")
        self.clear_button.on_click(lambda _b: self.clear())
        self.view.observe(self._on_view_selected, "selected")
        self._stop = session.observe(self._on_session)

        parts: list[w.Widget] = [
            panel_style(),
            w.HTML("<b>Trace linkages</b>: choose an element (here or by clicking it in the graph) to see "
                   "every path into it (its roots) or out of it (what it feeds)."),
            self.find,
            self.find_hint,
            self.element,
            self.direction,
            self.clear_button,
            self.paths_html,
            w.HTML("<b>Cycles</b>: maintaining and repeating patterns; "
                   "<span class='wb-badge wb-badge-transference'>transference</span> marks those that pass "
                   "through the relationship with the therapist."),
            self.cycles_html,
            self.cycle_choice,
        ]
        if self.own_status:
            parts.append(self.status)
        if self.own_view:
            parts.insert(6, self.view)
        self.widget = w.VBox(parts, layout=w.Layout(width="100%"))
        self.widget.add_class("wb-trace-panel")
        self.refresh()

    # --- actions -------------------------------------------------------------------------

    @guarded
    def refresh(self) -> None:
        """Re-read the formulation: element choices, cycles, and the current trace."""
        f = self.session.formulation
        if self.own_view:
            data = vis_data(f)
            self.view.set_data(data["nodes"], data["edges"])
        keep = self.element.value
        choices = [("(choose an element)", NONE), *element_choices(f)]
        self.find.options = list(element_names(f))
        self._quiet = True
        try:
            set_choices(self.element, choices, keep)
            self._show_cycles()
        finally:
            self._quiet = False
        self._trace()

    @guarded
    def trace(self, element_id: str, direction: str | None = None) -> None:
        """Trace ``element_id`` (``direction``: ``"into"``, ``"out_of"`` or ``"both"``)."""
        if direction is not None:
            if direction not in [value for _, value in DIRECTIONS]:
                raise InvalidValue(f"A trace goes 'into' an element, 'out_of' it or 'both', "
                                   f"not {short(direction)}.")
            self.direction.value = direction
        self.element.value = element_id

    @guarded
    def clear(self) -> None:
        """Forget the chosen element and cycle; show the whole formulation plainly."""
        self.cycle_choice.value = NONE
        self.element.value = NONE
        self._highlight(set())

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the session."""
        self._stop()

    # --- helpers ---------------------------------------------------------------------------

    def _on_element(self, _change: Any = None) -> None:
        if not self._quiet:
            self._trace()

    @guarded
    def _on_find(self, _change: Any = None) -> None:
        """Trace the element named in the Find field once the text names exactly one."""
        text = self.find.value
        if not text.strip():
            self.find_hint.value = ""
            return
        try:
            element_id = resolve_element(self.session.formulation, text)
        except ElementNotFound as err:
            self.find_hint.value = f"<span class='wb-hint'>{esc(err)}</span>"
            return
        self.find_hint.value = ""
        if element_id != self.element.value:
            self.element.value = element_id

    def _on_view_selected(self, change: dict[str, Any]) -> None:
        picked = change["new"]
        if not self.visible():
            return
        if picked and self.session.formulation.has_element(picked) and picked != self.element.value:
            self.element.value = picked

    def _on_session(self, event: SessionEvent) -> None:
        if event.kind == "reset" and self.own_view:
            self.view.options = network_options(self.session.formulation.template)
        if event.kind == "reset":
            self.highlighted = set()
        if self._follow():
            self.refresh()

    @guarded
    def _trace(self) -> None:
        self.status.clear()
        f = self.session.formulation
        element_id = self.element.value
        if not element_id:
            self.paths = []
            self.paths_html.value = "<p class='wb-panel-empty'>No element chosen.</p>"
            if not self.cycle_choice.value:
                self._highlight(set())
            return
        if self.cycle_choice.value:
            self.cycle_choice.value = NONE
        direction = self.direction.value
        sections = []
        paths: list[Any] = []
        if direction in ("into", "both"):
            into = roots_of(f, element_id)
            paths += into
            sections.append(("Roots: paths into it", into, "Nothing leads into this element yet."))
        if direction in ("out_of", "both"):
            out = consequences_of(f, element_id)
            paths += out
            sections.append(("Consequences: paths out of it", out, "Nothing leads out of this element yet."))
        self.paths = paths
        parts = []
        for title, found, none in sections:
            parts.append(f"<div><b>{esc(title)}</b> ({len(found)})</div>")
            if not found:
                parts.append(f"<p class='wb-panel-empty'>{esc(none)}</p>")
                continue
            items = []
            for p in found:
                more = "" if p.complete else " <i>(the path goes on)</i>"
                items.append(f"<li>{esc(p.sentence)}{more}</li>")
            parts.append("<ol class='wb-panel-list'>" + "".join(items) + "</ol>")
        self.paths_html.value = "".join(parts)
        self._highlight(highlight_for(paths) | {element_id})

    def _show_cycles(self) -> None:
        f = self.session.formulation
        table = cycles(f)
        self.cycle_table = table
        if table.empty:
            self.cycles_html.value = "<p class='wb-panel-empty'>No cycles in this formulation.</p>"
        else:
            items = []
            for _, row in table.iterrows():
                badge = ("<span class='wb-badge wb-badge-transference'>transference</span>"
                         if row["through_therapist"] else "")
                items.append(f"<li>{badge}<b>{esc(row['type'])}</b>: {esc(row['sentence'])}</li>")
            self.cycles_html.value = "<ol class='wb-panel-list'>" + "".join(items) + "</ol>"
        keep = self.cycle_choice.value
        choices = [("(highlight a cycle)", NONE)] + [
            (f"{row['cycle']}. {'[transference] ' if row['through_therapist'] else ''}{row['name']}",
             str(row["cycle"]))
            for _, row in table.iterrows()
        ]
        set_choices(self.cycle_choice, choices, keep)

    @guarded
    def _on_cycle(self, change: dict[str, Any]) -> None:
        number = change["new"]
        if not number or self._quiet:
            return
        row = self.cycle_table[self.cycle_table["cycle"] == int(number)].iloc[0]
        if self.element.value:
            self.element.value = NONE  # (clears the path list)
        self._highlight(set(row["elements"]) | set(row["links"]))

    def _highlight(self, ids: set[str]) -> None:
        if not ids and not self.highlighted:
            return  # nothing was highlighted: leave the graph alone (no patch sent)
        if not self.own_view and self.view.read_only:
            self.status.info("An earlier version is shown; go back to editing to see the trace on the map.")
            return
        self.highlighted = set(ids)
        show_highlight(self.view, self.session.formulation, ids)


def _own_view(session: EditSession) -> GraphView:
    f = session.formulation
    return GraphView(options=network_options(f.template), read_only=True, height="460px")
