"""The checks panel: the formulation checklist, one row per finding, each row selectable.

A thin layer over :func:`workbench.analysis.checks.run_checks`: the panel shows
its findings as a table (what was checked, how serious, about what, the
message) and re-runs the checks after every edit. The *Show* button of a row
selects its element or link in the app's graph (and editor) and highlights
everything the finding is about.

Example
-------
>>> from workbench.session import EditSession
>>> s = EditSession.new_case(case_id="T-1")
>>> low = s.add_element("present_symptom", "Low mood")
>>> panel = ChecksPanel(s)
>>> panel.show(0)
>>> panel.selected == low
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.analysis.checks import evidence_gaps, run_checks
from workbench.session import EditSession, SessionEvent
from workbench.ui._panel_kit import (
    FollowsSession,
    StatusLine,
    esc,
    guarded,
    panel_style,
    replace_children,
    show_highlight,
)

__all__ = ["CHECK_NAMES", "SEVERITY_FILTERS", "ChecksPanel"]

#: The severity filter's buttons, as (text, value).
SEVERITY_FILTERS = [("All", "all"), ("Warnings", "warning"), ("Information", "info")]

#: Plain names of the checks, for the table's first column.
CHECK_NAMES = {
    "symptom_without_roots": "Symptom without roots",
    "drive_without_roots": "Drive without roots",
    "isolated_element": "Isolated element",
    "cycle": "Cycle",
    "no_evidence": "No evidence",
    "low_confidence": "Low confidence",
    "incomplete": "Template completeness",
    "no_strength": "No strength",
    "rupture_without_repair": "Rupture without repair",
    "transference_without_alliance": "Transference and alliance",
}

#: The badge of each severity (styles in ``ui/static/panels.css``).
_SEVERITY_CLASS = {"warning": "wb-badge-warning", "info": "wb-badge-info"}


class ChecksPanel(FollowsSession):
    """A checklist of findings; each row's button selects (and highlights) what it is about.

    ``view`` is the app's graph view (optional): the chosen row's element or link
    is selected there, and every id of the finding is highlighted. ``on_select``
    (optional) is called with the id as well, e.g. to show it in the editor. ``status`` is
    the line for messages (the app's own); without one the panel has its own. ``visible``
    tells whether a host shows the panel now (see :class:`FollowsSession`).
    """

    def __init__(
        self,
        session: EditSession,
        *,
        view: Any = None,
        on_select: Callable[[str], None] | None = None,
        status: StatusLine | None = None,
        visible: Callable[[], bool] | None = None,
    ) -> None:
        if visible is not None:
            self.visible = visible
        self.session = session
        self.view = view
        self.on_select = on_select
        #: Every finding (the table of run_checks), and those the severity filter shows.
        self.findings = pd.DataFrame()
        self.shown_findings = pd.DataFrame()
        #: The "List" button and the list it opens, for each summary row (e.g. the evidence gaps).
        self.expand_buttons: list[w.Button] = []
        self.expansions: list[w.HTML] = []
        self.severity = w.ToggleButtons(options=SEVERITY_FILTERS, value="all",
                                        tooltips=["Every finding", "Only the gaps to fix",
                                                  "Only points for discussion"])
        self.severity.style.button_width = "auto"
        self.severity.add_class("wb-checks-severity")
        self.severity.observe(lambda _c: self._draw(), "value")
        #: The id selected by the last row chosen ('' for the whole formulation or none).
        self.selected = ""
        #: The "Show" button of each row, in the order of the findings.
        self.row_buttons: list[w.Button] = []
        self.summary = w.HTML()
        columns = "minmax(60px, 0.6fr) auto minmax(0, 2fr) auto"  # the message gets the room
        self.rows = w.GridBox(layout=w.Layout(grid_template_columns=columns, grid_gap="2px 8px", width="100%",
                                              align_items="center"))
        self.rerun_button = w.Button(description="Check again", icon="refresh")
        self.rerun_button.on_click(lambda _b: self.refresh())
        self.own_status = status is None
        self.status = status if status is not None else StatusLine()
        self._stop = session.observe(self._on_session)
        self.widget = w.VBox(
            [
                panel_style(),
                w.HTML("<b>Formulation checks</b>: gaps a supervisor would ask about. Choose <i>Show</i> "
                       "on a row to select what it is about."),
                w.HBox([self.summary, self.rerun_button]),
                self.severity,
                self.rows,
                *([self.status] if self.own_status else []),
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("wb-checks-panel")
        if self._follow():  # a hidden panel runs the checks when it is first shown
            self.refresh()

    # --- actions -------------------------------------------------------------------------

    @guarded
    def refresh(self) -> None:
        """Run the checks again and redraw the table."""
        self.findings = run_checks(self.session.formulation)
        self._draw()

    @guarded
    def _draw(self) -> None:
        """Show the findings the severity filter lets through."""
        table = self.findings
        wanted = self.severity.value
        shown = table if wanted == "all" or table.empty else table[table["severity"] == wanted]
        self.shown_findings = shown.reset_index(drop=True)
        self.row_buttons, self.expand_buttons, self.expansions = [], [], []
        if table.empty:
            self.summary.value = "<b>Nothing flagged.</b>"
            replace_children(self.rows, [])
            return
        counts = table["severity"].value_counts()
        parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items()]
        plural = "s" if len(table) != 1 else ""
        self.summary.value = f"<b>{len(table)} finding{plural}</b>: {esc(', '.join(parts))}"
        if shown.empty:
            empty = w.HTML("<p class='wb-panel-empty'>No findings of this severity.</p>",
                           layout=w.Layout(grid_column="1 / -1"))
            replace_children(self.rows, [empty])
            return
        cells: list[w.Widget] = []
        for index, row in enumerate(self.shown_findings.to_dict("records")):
            button = w.Button(description="Show", icon="crosshairs", layout=w.Layout(width="80px"),
                              tooltip="Select what this finding is about")
            button.on_click(self._show_handler(index))
            self.row_buttons.append(button)
            badge = _SEVERITY_CLASS.get(str(row["severity"]), "")
            name = CHECK_NAMES.get(str(row["check"]), str(row["check"]))
            message = w.HTML(f"<span class='wb-panel-text'>{esc(row['message'])}</span>")
            cells += [
                w.HTML(f"<span class='wb-panel-text'>{esc(name)}</span>"),
                w.HTML(f"<span class='wb-badge {badge}'>{esc(row['severity'])}</span>"),
            ]
            if int(row.get("count", 1)) > 1 and row["check"] == "no_evidence":
                cells.append(self._expandable(message, int(row["count"])))
            else:
                cells.append(message)
            cells.append(button)
        replace_children(self.rows, cells)

    def _expandable(self, message: w.HTML, count: int) -> w.VBox:
        """A summary row's message with a button that opens the list of what it counts."""
        toggle = w.Button(description=f"List all {count}", icon="caret-right",
                          layout=w.Layout(width="auto"),
                          tooltip="Show each element and link without evidence")
        toggle.add_class("wb-checks-expand")
        items = w.HTML(layout=w.Layout(display="none"))
        items.add_class("wb-checks-expansion")

        def flip(_button: w.Button) -> None:
            opening = items.layout.display == "none"
            if opening:
                gaps = evidence_gaps(self.session.formulation)
                items.value = "<ul class='wb-panel-list'>" + "".join(
                    f"<li>{esc(m)}</li>" for m in gaps["message"]) + "</ul>"
            items.layout.display = "block" if opening else "none"
            toggle.icon = "caret-down" if opening else "caret-right"
            toggle.description = "Hide the list" if opening else f"List all {count}"

        toggle.on_click(flip)
        self.expand_buttons.append(toggle)
        self.expansions.append(items)
        return w.VBox([message, toggle, items], layout=w.Layout(min_width="0"))

    @guarded
    def show(self, index: int) -> None:
        """Select the element or link of finding ``index`` of those shown (and highlight all it is about)."""
        row = self.shown_findings.iloc[index]
        f = self.session.formulation
        target = str(row["id"] or "")
        ids = {i for i in row["ids"] if f.has_element(i) or f.has_link(i)} if row["ids"] else set()
        if target:
            ids.add(target)
        self.selected = target
        if self.view is not None:
            show_highlight(self.view, f, ids)
            if target:
                self.view.selected = target
        if target and self.on_select is not None:
            self.on_select(target)
        self.status.info(f"Showing: {row['message']}" if target or ids else
                         f"This finding is about the whole formulation: {row['message']}")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the session."""
        self._stop()

    # --- helpers ---------------------------------------------------------------------------

    def _show_handler(self, index: int) -> Callable[[w.Button], None]:
        return lambda _button: self.show(index)

    def _on_session(self, _event: SessionEvent) -> None:
        if self._follow():
            self.refresh()
