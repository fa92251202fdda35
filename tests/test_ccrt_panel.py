"""The CCRT panel of the Supervise tab, driven in Python."""

from __future__ import annotations

import shutil
from pathlib import Path

import ipywidgets as w
import pytest

from workbench.session import EditSession
from workbench.ui.app import App
from workbench.ui.ccrt_panel import CCRTPanel
from workbench.ui.supervision import PANELS

ROOT = Path(__file__).resolve().parents[1]
CCRT = ROOT / "notebooks" / "cases" / "teaching" / "ccrt_unheard_colleague.formulation.json"
CARER = CCRT.with_name("psychodynamic_self_sufficient_carer.formulation.json")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the recent-cases list goes there


def html_of(widget: object) -> str:
    found = [widget.value] if isinstance(widget, w.HTML) else []
    return "".join(found) + "".join(html_of(child) for child in getattr(widget, "children", ()))


def test_the_supervise_tab_shows_the_ccrt_of_the_teaching_case(tmp_path: Path) -> None:
    app = App(Path(shutil.copy(CCRT, tmp_path / CCRT.name)))
    panels = app.supervision
    app.tabs.selected_index = len(app.tabs.children) - 1
    panels.show("CCRT")
    assert panels.stack.selected_index == PANELS.index("CCRT")
    panel = panels.ccrt
    assert panel.score is not None and [c.category for c in panel.score.component("W").ccrt] == ["W6"]
    text = panel.summary.value
    assert "W (wish): W6 “To be loved and understood”" in text and "in 4 of 6 episodes (67%)" in text
    tables = panel.tables.value
    assert "RO5 Rejecting and opposing (Dismisses him and moves on, Belittles him)" in tables
    assert "<td>4 of 6 (67%)</td><td>0 / 4</td><td>3 / 1</td><td>yes</td>" in tables
    assert "RO: Dismisses him and moves on [RO5] (negative, expected)" in panel.episodes.value


def test_the_panel_follows_edits_while_shown_and_catches_up_when_shown(tmp_path: Path) -> None:
    s = EditSession.open_file(Path(shutil.copy(CCRT, tmp_path / CCRT.name)))
    showing = {"now": True}
    panel = CCRTPanel(s, visible=lambda: showing["now"])
    assert panel.score is not None and len(panel.score.episodes) == 6
    re7 = s.add_element("episode_past", "RE 7")
    assert panel.score is not None and len(panel.score.episodes) == 7
    assert "RE 7: no W, RO, RS" in panel.summary.value
    showing["now"] = False
    s.add_link(re7, next(el.id for el in s.formulation.element_records() if el.code == "W6"), "expresses")
    assert "RE 7: no W, RO, RS" in panel.summary.value  # hidden: not redrawn yet
    showing["now"] = True
    panel.shown()
    assert "RE 7: no RO, RS" in panel.summary.value
    assert [c.frequency for c in panel.score.component("W").ccrt] == [5]


def test_another_template_gets_a_sentence() -> None:
    panel = CCRTPanel(EditSession.open_file(CARER))
    assert panel.score is None
    assert "the CCRT summary is for CCRT formulations" in panel.summary.value
    assert panel.tables.value == ""


def test_labels_are_escaped() -> None:
    s = EditSession.new_case("ccrt", case_id="H-1")
    episode = s.add_element("episode_current", HOSTILE)
    s.add_link(episode, s.add_element("wish", "W " + HOSTILE), "expresses")
    s.add_link(episode, s.add_element("response_of_other", "RO " + HOSTILE, code="RO5"), "contains")
    panel = CCRTPanel(s)
    shown = html_of(panel.widget)
    assert "&lt;script&gt;" in shown
    assert "<script" not in shown and "<img" not in shown
