"""The CCRT panel of the Supervise tab: the CCRT of a CCRT formulation, scored from its episodes.

A thin layer over :func:`workbench.analysis.ccrt.ccrt_score`: the summary in
sentences (ties shown as ties), one table per component (each category's
frequency, pervasiveness, positive/negative and, for the RO, actual/expected
counts) and a table of what each relationship episode scores. It follows the
session's edits while it is shown. For a case of another template it says, in
one sentence, that the CCRT applies to CCRT formulations. Every label is escaped.

Example
-------
>>> from workbench.session import EditSession
>>> s = EditSession.new_case("ccrt", case_id="T-1")
>>> re1 = s.add_element("episode_current", "RE 1")
>>> _ = s.add_link(re1, s.add_element("wish", "To be heard", code="W6"), "expresses")
>>> panel = CCRTPanel(s)
>>> panel.score.component("W").ccrt[0].category
'W6'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.analysis.ccrt import (
    COMPONENT_NAMES,
    COMPONENTS,
    CategoryCount,
    CCRTScore,
    ccrt_score,
    has_ccrt,
)
from workbench.session import EditSession, SessionEvent
from workbench.ui._panel_kit import FollowsSession, StatusLine, esc, guarded, html_table, panel_style

__all__ = ["CCRTPanel"]

#: The columns of a component's table: the category, the episodes it occurs in with its
#: pervasiveness, positive/negative (RO, RS), actual/expected (RO), and the CCRT mark.
_COLUMNS = [("category", "Category"), ("episodes", "Episodes"), ("valence", "Pos / neg"),
            ("reality", "Actual / expected"), ("ccrt", "CCRT")]


class CCRTPanel(FollowsSession):
    """The CCRT summary and tables of the session's formulation; redrawn after edits while shown."""

    def __init__(
        self,
        session: EditSession,
        *,
        status: StatusLine | None = None,
        visible: Callable[[], bool] | None = None,
    ) -> None:
        if visible is not None:
            self.visible = visible
        self.session = session
        #: The last score drawn (``None`` for a case whose template holds no episodes).
        self.score: CCRTScore | None = None
        self.summary = w.HTML()
        self.summary.add_class("wb-ccrt-summary")
        self.tables = w.HTML()
        self.tables.add_class("wb-ccrt-tables")
        self.episodes = w.HTML()
        self.episodes.add_class("wb-ccrt-episodes")
        self.own_status = status is None
        self.status = status if status is not None else StatusLine()
        self._stop = session.observe(self._on_session)
        self.widget = w.VBox(
            [
                panel_style(),
                w.HTML("<b>CCRT</b>: the core conflictual relationship theme (Luborsky), counted from the "
                       "relationship episodes. A category's frequency is the number of episodes it occurs "
                       "in; its pervasiveness is that share of all episodes."),
                self.summary,
                self.tables,
                self.episodes,
                *([self.status] if self.own_status else []),
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("wb-ccrt-panel")
        if self._follow():
            self.refresh()

    @guarded
    def refresh(self) -> None:
        """Score the CCRT again and redraw."""
        f = self.session.formulation
        if not has_ccrt(f.template):
            self.score = None
            self.summary.value = (
                f"<p class='wb-panel-empty'>This case uses the template {esc(f.template.name)}; the CCRT "
                "summary is for CCRT formulations (template <i>ccrt</i>), whose relationship episodes "
                "are scored for the wish, the response of other and the response of self.</p>")
            self.tables.value = self.episodes.value = ""
            return
        self.score = score = ccrt_score(f)
        self.summary.value = "<ul class='wb-panel-list'>" + "".join(
            f"<li>{esc(line)}</li>" for line in score.summary()) + "</ul>"
        if not score.episodes:
            self.tables.value = self.episodes.value = ""
            return
        parts = []
        for component in COMPONENTS:
            part = score.component(component)
            parts.append(f"<p><b>{esc(component)}</b>: {esc(COMPONENT_NAMES[component])}</p>")
            parts.append(html_table(_rows(part.categories, component, len(score.episodes)),
                                    _columns(component), empty="Not scored in any episode."))
            if part.clusters and [c.category for c in part.clusters] != [c.category for c in part.categories]:
                parts.append("<p>By cluster</p>")
                parts.append(html_table(_rows(part.clusters, component, len(score.episodes)),
                                        _columns(component)))
        self.tables.value = "".join(parts)
        self.episodes.value = "<p><b>Episodes</b></p><ul class='wb-panel-list'>" + "".join(
            _episode_item(row) for row in score.episodes_frame().to_dict("records")) + "</ul>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the session."""
        self._stop()

    def _on_session(self, _event: SessionEvent) -> None:
        if self._follow():
            self.refresh()


def _columns(component: str) -> list[tuple[str, str]]:
    drop = {"W": {"valence", "reality"}, "RO": set(), "RS": {"reality"}}[component]
    return [c for c in _COLUMNS if c[0] not in drop]


def _episode_item(row: Mapping[Any, Any]) -> str:
    """One episode: its label and kind, then what it scores for W, RO and RS (escaped)."""
    parts = [f"<b>{esc(row['label'])}</b> <span class='wb-ccrt-kind'>({esc(row['kind'])})</span>"]
    parts += [f"{esc(c)}: {esc(row[c]) if row[c] else '<i>none</i>'}" for c in COMPONENTS]
    return "<li>" + "<br>".join(parts) + "</li>"


def _rows(counts: tuple[CategoryCount, ...], component: str, total: int) -> pd.DataFrame:
    rows = []
    for c in counts:
        name = f"{c.category} {c.name}" if c.coded else c.name
        if c.coded and c.level == "category" and c.labels:
            name += f" ({', '.join(c.labels)})"
        valence = f"{c.positive} / {c.negative}" + (f" ({c.unmarked} not marked)" if c.unmarked else "")
        rows.append({
            "category": name,
            "episodes": f"{c.frequency} of {total} ({round(c.pervasiveness * 100)}%)",
            "valence": valence,
            "reality": f"{c.actual} / {c.expected}",
            "ccrt": ("tie" if c.tie else "yes") if c.in_ccrt else "",
        })
    return pd.DataFrame(rows, columns=[c[0] for c in _COLUMNS])
