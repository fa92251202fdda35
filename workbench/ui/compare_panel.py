"""The compare panel: this formulation (A) beside another one or an earlier version (B).

A thin layer over :mod:`workbench.analysis.compare`: elements are matched by
kind and label (or by id for two versions of one file); the table shows each
element of A with its match in B, and a drop-down per row to match by hand or
to say "no match". The merged graph marks what is shared, only in A and only
in B (by a border colour and a label prefix, so it reads without colour), and
the agreement figures (Jaccard overlaps, Cohen's kappa of codes) are shown as
a table.

Example
-------
>>> import workbench
>>> from workbench.session import EditSession
>>> s = EditSession.new_case(case_id="T-1")
>>> _ = s.add_element("unconscious_fear", "Fear of being left")
>>> other = workbench.new(case_id="T-1")
>>> _ = other.add_element("unconscious_fear", "fear of being left")
>>> _ = other.add_element("defense", "Self-sufficiency")
>>> panel = ComparePanel(s)
>>> panel.compare_with(other, "trainee")
>>> panel.figure("elements", "all")
0.5
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.analysis.compare import (
    Matching,
    agreement_table,
    match_with_choices,
    matches_table,
    merged_graph,
)
from workbench.errors import InvalidEntry, SessionError
from workbench.model import Formulation
from workbench.render.compare_map import SIDE_STYLES
from workbench.render.compare_map import merged_vis_data as _merged_vis_data
from workbench.render.visdata import network_options
from workbench.session import EditSession, SessionEvent, read_case
from workbench.ui._panel_kit import (
    NONE,
    FollowsSession,
    StatusLine,
    esc,
    guarded,
    html_table,
    panel_style,
    replace_children,
)
from workbench.ui.graph_view import GraphView

__all__ = ["SIDE_STYLES", "ComparePanel", "merged_vis_data"]

#: Columns of the matching table: kind, A's label, B's match (a drop-down), how matched. Text wraps.
_MATCH_COLUMNS = "minmax(70px, 0.8fr) minmax(110px, 1.2fr) minmax(140px, 1.4fr) minmax(50px, auto)"

_METHOD_NAMES = {"manual": "by hand", "id": "same id", "label": "by label", "": ""}


class ComparePanel(FollowsSession):
    """Compare the session's formulation (A) with another file or a version of its own file (B).

    ``other`` is a file to compare with at once; ``status`` the line for messages (the
    app's own); without one the panel has its own.
    """

    def __init__(
        self, session: EditSession, *, other: str | Path | None = None, status: StatusLine | None = None
    ) -> None:
        self.session = session
        #: The formulation compared with (B), its description, and the current matching and figures.
        self.other: Formulation | None = None
        self.other_name = ""
        self.matching: Matching | None = None
        self.agreement = pd.DataFrame()
        self.table = pd.DataFrame()
        #: Pairs made by hand (id in A -> id in B) and elements of A said to have no match.
        self.manual: dict[str, str] = {}
        self.unmatched: set[str] = set()
        #: The match drop-down of each element of A, by id.
        self.match_choices: dict[str, w.Dropdown] = {}
        self._quiet = False

        self.path = w.Combobox(description="Other file", placeholder="type a path, or pick a case nearby",
                               ensure_option=False, layout=w.Layout(width="60%"))
        self.open_button = w.Button(description="Compare with file", icon="folder-open")
        self.version = w.Dropdown(description="Version", options=[], layout=w.Layout(width="60%"))
        self.version_button = w.Button(description="Compare with version", icon="history")
        self.heading = w.HTML()
        self.match_rows = w.GridBox(layout=w.Layout(grid_template_columns=_MATCH_COLUMNS,
                                                    grid_gap="2px 8px", width="100%", align_items="center"))
        self.only_b = w.HTML()
        self.view = GraphView(read_only=True, height="480px")
        self.agreement_html = w.HTML()
        self.own_status = status is None
        self.status = status if status is not None else StatusLine()

        self.open_button.on_click(lambda _b: self.compare_with_file(self.path.value))
        self.version_button.on_click(lambda _b: self.compare_with_version(self.version.value))
        self._stop = session.observe(self._on_session)

        legend = " ".join(
            f"<span class='wb-badge' style='border:3px solid {s['color']}'>{esc(s['prefix'] or '')}"
            f"{esc(s['name'])}</span>" for s in SIDE_STYLES.values()
        )
        self.widget = w.VBox(
            [
                panel_style(),
                w.HTML("<b>Compare</b> this formulation (A) with another clinician's formulation of the "
                       "case, or with an earlier version (B)."),
                w.HBox([self.path, self.open_button]),
                w.HBox([self.version, self.version_button]),
                *([self.status] if self.own_status else []),
                self.heading,
                w.HTML("<b>Matching</b>: each element of A and its match in B. Choose another match by hand, "
                       "or “no match”."),
                self.match_rows,
                self.only_b,
                w.HTML(f"<b>Merged graph</b> {legend}"),
                self.view,
                w.HTML("<b>Agreement</b>: Jaccard overlap = shared ÷ (A + B − shared); Cohen's kappa for the "
                       "codes of matched elements (see docs/comparing.md)."),
                self.agreement_html,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("wb-compare-panel")
        self._fill_versions()
        if other is not None:
            self.path.value = str(other)
            self.compare_with_file(other)
        else:
            self._redraw()

    # --- choosing B --------------------------------------------------------------------------

    @guarded
    def compare_with_file(self, path: str | Path) -> None:
        """Compare with the latest version of another case file."""
        if not str(path).strip():
            raise InvalidEntry("Please type the path of the formulation file to compare with.")
        target = Path(str(path).strip()).expanduser()
        if not target.is_file():
            raise SessionError(f"There is no file at {target}.")
        other = read_case(target)
        name = f"{other.meta.title or other.meta.case_id} ({other.meta.clinician or 'no clinician'}), " \
               f"version {other.base_version}"
        self.compare_with(other, name)

    @guarded
    def compare_with_version(self, version: int | str | None) -> None:
        """Compare with version ``version`` of this case's own file."""
        if version in (None, NONE):
            raise InvalidEntry("Please choose a version to compare with.")
        number = int(version)
        other = self.session.view_version(number)
        self.compare_with(other, f"version {number} of this case")

    def compare_with(self, other: Formulation, name: str) -> None:
        """Compare with ``other`` (called ``name`` in the panel); matches by hand start afresh."""
        self.other, self.other_name = other, name
        self.manual, self.unmatched = {}, set()
        self.status.clear()
        self._redraw()

    # --- matching by hand ----------------------------------------------------------------------

    @guarded
    def set_match(self, a_id: str, b_id: str | None) -> None:
        """Match element ``a_id`` of A with ``b_id`` of B by hand (``None``: it has no match in B)."""
        if self.other is None:
            raise SessionError("Choose a formulation to compare with first.")
        self.session.formulation.element(a_id)
        if b_id:
            self.other.element(b_id)
            for key, value in list(self.manual.items()):
                if value == b_id and key != a_id:
                    del self.manual[key]
            self.manual[a_id] = b_id
            self.unmatched.discard(a_id)
        else:
            self.manual.pop(a_id, None)
            self.unmatched.add(a_id)
        self._redraw()

    def figure(self, scope: str, kind: str = "all") -> float:
        """Return one figure of the agreement table (e.g. ``figure("elements")``; NaN if absent).

        ``scope`` is ``"elements"``, ``"links"`` or a code set's name (Cohen's kappa);
        ``kind`` is an element or link kind id, ``"all"``, or for kappa ``"codes"``/``"clusters"``.
        """
        t = self.agreement
        if t.empty:
            return math.nan
        rows = t[(t["scope"] == scope) & (t["kind"] == kind)]
        return float(rows["value"].iloc[0]) if len(rows) else math.nan

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the session."""
        self._stop()

    # --- drawing ----------------------------------------------------------------------------

    @guarded
    def _redraw(self) -> None:
        a, b = self.session.formulation, self.other
        if b is None:
            self.heading.value = "<p class='wb-panel-empty'>Nothing to compare with yet.</p>"
            replace_children(self.match_rows, [])
            self.only_b.value = ""
            self.agreement_html.value = ""
            self.view.set_data([], [])
            return
        matching = match_with_choices(a, b, chosen=self.manual, unmatched=self.unmatched)
        self.matching = matching
        self.table = matches_table(a, b, matching)
        self.agreement = agreement_table(a, b, matching)
        self.heading.value = (
            f"<div><b>A</b>: {esc(a.meta.title or a.meta.case_id)} "
            f"({esc(a.meta.clinician or 'no clinician')}), as open now"
            f"<br><b>B</b>: {esc(self.other_name)}</div>"
            f"<div>{esc(_headline(self.table, self.agreement))}</div>"
        )
        self._draw_rows(a, b)
        self._draw_graph(a, b, matching)
        self.agreement_html.value = html_table(
            self._agreement_for_people(a, b), _AGREEMENT_COLUMNS,
            formats={"value": lambda v: "undefined" if v != v else f"{v:.3f}"},
            empty="No figures.",
        )

    def _draw_rows(self, a: Formulation, b: Formulation) -> None:
        assert self.matching is not None
        b_by_kind = sorted(b.element_records(), key=lambda el: b.template.element_kinds[el.kind].layer)
        cells: list[w.Widget] = [w.HTML("<b>Kind</b>"), w.HTML("<b>In A</b>"), w.HTML("<b>Match in B</b>"),
                                 w.HTML("<b>How</b>")]
        self.match_choices = {}
        for el in a.element_records():
            same = [(f"{e.label}", e.id) for e in b_by_kind if e.kind == el.kind]
            other = [(f"{e.label} ({b.template.element_kinds[e.kind].name})", e.id)
                     for e in b_by_kind if e.kind != el.kind]
            current = self.matching.elements.get(el.id, NONE)
            choice = w.Dropdown(options=[("— no match in B —", NONE), *same, *other], value=current,
                                layout=w.Layout(width="100%"))
            choice.observe(self._choice_handler(el.id), "value")
            self.match_choices[el.id] = choice
            method = self.matching.methods.get(el.id, "")
            cells += [
                _cell(a.template.element_kinds[el.kind].name),
                _cell(el.label),
                choice,
                _cell(_METHOD_NAMES.get(method, method)),
            ]
        replace_children(self.match_rows, cells)
        only_b = self.table[self.table["side"] == "only_b"]
        if only_b.empty:
            self.only_b.value = "<p class='wb-panel-empty'>Every element of B has a match in A.</p>"
        else:
            items = "".join(
                f"<li>{esc(row['b_label'])} ({esc(b.template.element_kinds[str(row['kind'])].name)})</li>"
                for row in only_b.to_dict("records")
            )
            self.only_b.value = f"<b>Only in B</b> ({len(only_b)})<ul class='wb-panel-list'>{items}</ul>"

    def _choice_handler(self, a_id: str) -> Any:
        def changed(change: dict[str, Any]) -> None:
            if not self._quiet:
                self.set_match(a_id, change["new"] or None)

        return changed

    def _draw_graph(self, a: Formulation, b: Formulation, matching: Matching) -> None:
        data = _merged_vis_data(a, b, merged_graph(a, b, matching))
        self.view.options = network_options(a.template)
        self.view.set_data(data["nodes"], data["edges"])

    def _agreement_for_people(self, a: Formulation, b: Formulation) -> pd.DataFrame:
        t = self.agreement.copy()
        names = {**{k: v.name for k, v in b.template.element_kinds.items()},
                 **{k: v.name for k, v in a.template.element_kinds.items()},
                 **{k: v.verb for k, v in b.template.link_kinds.items()},
                 **{k: v.verb for k, v in a.template.link_kinds.items()},
                 "all": "all", "codes": "codes", "clusters": "clusters"}
        t["kind"] = [names.get(k, k) for k in t["kind"]]
        return t

    def _fill_nearby(self) -> None:
        """Offer the other case files in the same folder as this one."""
        path = self.session.path
        if path is None:
            self.path.options = []
            return
        here = path.resolve()
        nearby = sorted(p for p in path.parent.glob("*.formulation.json") if p.resolve() != here)
        self.path.options = [str(p) for p in nearby]

    def _fill_versions(self) -> None:
        self._fill_nearby()
        path = self.session.path
        options: list[tuple[str, Any]] = [("(choose a version)", NONE)]
        if path is not None and path.is_file():
            try:
                revisions = list(self.session.history())
            except Exception:  # an unreadable history only empties the list
                revisions = []
            for rev in revisions:
                session = f", session {rev.session}" if rev.session is not None else ""
                options.append((f"{rev.version}: {rev.message} ({rev.author}{session})", rev.version))
        self.version.options = options
        self.version.value = NONE

    def refresh(self) -> None:
        """Redraw the comparison (after edits to A)."""
        self._redraw()

    def _on_session(self, event: SessionEvent) -> None:
        if event.kind in ("reset", "saved"):
            self._fill_versions()
        if event.kind == "reset":
            self.other = None
        if self._follow():
            self._redraw()


_AGREEMENT_COLUMNS = [
    ("figure", "Figure"),
    ("scope", "Of"),
    ("kind", "Kind"),
    ("n_a", "A"),
    ("n_b", "B"),
    ("shared", "Shared"),
    ("pairs", "Coded pairs"),
    ("agreements", "Agreeing"),
    ("value", "Value"),
    ("note", "Note"),
]


def merged_vis_data(a: Formulation, b: Formulation, matching: Matching) -> dict[str, list[dict[str, Any]]]:
    """Return vis-network nodes and edges of the merged graph, each marked by its side.

    Kept for existing callers: see :func:`workbench.render.compare_map.merged_vis_data`.
    """
    return _merged_vis_data(a, b, merged_graph(a, b, matching))


def _cell(text: str) -> w.HTML:
    """A table cell of plain text that wraps (escaped)."""
    return w.HTML(f"<span style='font-size:13px;line-height:1.3'>{esc(text)}</span>")


def _headline(table: pd.DataFrame, agreement: pd.DataFrame) -> str:
    shared = int((table["side"] == "shared").sum())
    only_a = int((table["side"] == "only_a").sum())
    only_b = int((table["side"] == "only_b").sum())
    parts = [f"{shared} elements shared, {only_a} only in A, {only_b} only in B."]
    for scope in ("elements", "links"):
        row = agreement[(agreement["scope"] == scope) & (agreement["kind"] == "all")]
        if len(row) and row["value"].iloc[0] == row["value"].iloc[0]:
            parts.append(f"Jaccard overlap of {scope}: {row['value'].iloc[0]:.3f}.")
    kappa = agreement[(agreement["figure"] == "Cohen's kappa") & (agreement["kind"] == "codes")]
    for k in kappa.to_dict("records"):
        value = "undefined" if k["value"] != k["value"] else f"{k['value']:.3f}"
        parts.append(f"Cohen's kappa ({k['scope']}): {value} over {k['pairs']} coded pairs.")
    return " ".join(parts)
