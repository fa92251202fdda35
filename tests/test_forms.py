"""The forms, driven from Python as a user would: Add then Enter, From/To by typed labels,
confidence levels, messages beside the tab that caused them, restore asking in place, checks filter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import workbench
from workbench.session import EditSession
from workbench.ui._common import StatusLine
from workbench.ui.app import App
from workbench.ui.checks_panel import ChecksPanel
from workbench.ui.trace_panel import TracePanel


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def app(tmp_path: Path) -> App:
    path = tmp_path / "c1.formulation.json"
    workbench.save(workbench.new(case_id="C-1"), path, message="Empty case", author="Dr A")
    return App(path)


def enter(text_widget: object) -> None:
    text_widget._handle_custom_msg({"event": "submit"}, [])  # type: ignore[attr-defined]


def labels(app: App) -> list[str]:
    assert app.session is not None
    return [el.label for el in app.session.formulation.element_records()]


# --- element form ----------------------------------------------------------------------------


def test_after_add_the_form_is_ready_for_the_next_element(app: App) -> None:
    panel = app.elements
    panel.kind.value = "unconscious_fear"
    panel.label.value = "Fear of being a burden"
    panel.description.value = "Says sorry for taking up time"
    panel.evidence.add_button.click()
    panel.evidence.rows[0].children[2].value = "I'm too much for people"
    panel.confidence.choice.value = "moderate"
    panel.add_button.click()

    assert panel.editing is None and "New element" in panel.editing_note.value
    assert panel.update_button.disabled and panel.delete_button.disabled
    assert panel.kind.value == "unconscious_fear"  # the kind is kept ...
    assert panel.label.value == "" and panel.description.value == ""  # ... everything else is empty
    assert panel.evidence.value == [] and panel.confidence.value is None
    assert app.graph.selected == ""


def test_enter_after_add_adds_a_new_element_and_never_renames(app: App) -> None:
    panel = app.elements
    panel.kind.value = "unconscious_fear"
    panel.label.value = "Fear of being a burden"
    enter(panel.label)
    panel.label.value = "Fear of being left"
    enter(panel.label)
    assert labels(app) == ["Fear of being a burden", "Fear of being left"]
    assert app.status.message == "Added 'Fear of being left'."
    kinds = {el.kind for el in app.session.formulation.element_records()}  # type: ignore[union-attr]
    assert kinds == {"unconscious_fear"}

    first = panel.last_added
    assert first is not None
    panel.show(first)  # only an element the user picks is edited
    assert "Editing" in panel.editing_note.value
    panel.label.value = "Fear of being left alone"
    enter(panel.label)
    assert labels(app) == ["Fear of being a burden", "Fear of being left alone"]


# --- link form: From and To by typed label ---------------------------------------------------


def two_elements(app: App) -> tuple[str, str]:
    assert app.session is not None
    s = app.session
    past = s.add_element("early_experience", "Mother often ill")
    fear = s.add_element("unconscious_fear", "Fear of being a burden")
    return past, fear


def test_from_and_to_take_a_typed_label_or_part_of_it(app: App) -> None:
    past, fear = two_elements(app)
    links = app.links
    links.source.value = "Mother often ill"  # typed exactly, not the suggestion text
    links.target.value = "burden"  # part of a label
    assert "→ Fear of being a burden (Unconscious fear)" in links.target_hint.value
    assert "<i>Mother often ill</i> gives rise to <i>Fear of being a burden</i>" in links.sentence.value
    links.add_button.click()
    assert not app.status.is_error, app.status.message
    f = app.session.formulation  # type: ignore[union-attr]
    (link,) = f.link_records()
    assert (link.source, link.target) == (past, fear)
    assert links.editing is None and links.source.value == "" and links.target.value == ""


def test_from_says_which_elements_match_when_several_do(app: App) -> None:
    two_elements(app)
    app.session.add_element("transference", "Mother figure in the therapist")  # type: ignore[union-attr]
    links = app.links
    links.source.value = "mother"
    assert "matches 2 elements" in links.source_hint.value
    assert "Mother often ill (Early experience)" in links.source_hint.value
    links.target.value = "burden"
    links.add_button.click()
    assert app.status.is_error and app.status.message.startswith("From: 'mother' matches 2 elements")
    assert "matches 2 elements" in links.status.message  # and beside the Link tab's buttons
    assert app.session.formulation.link_records() == []  # type: ignore[union-attr]


def test_enter_in_to_adds_the_link_once_both_ends_name_one_element(app: App) -> None:
    past, fear = two_elements(app)
    links = app.links
    links.source.value = "often ill"
    links.target.value = "burd"
    links.target.submit()  # Enter in the To field
    f = app.session.formulation  # type: ignore[union-attr]
    assert [(ln.source, ln.target) for ln in f.link_records()] == [(past, fear)]


# --- trace panel -------------------------------------------------------------------------------


def test_trace_panel_finds_an_element_by_part_of_its_label() -> None:
    s = EditSession.new_case(case_id="T-1")
    past = s.add_element("early_experience", "Father often absent")
    low = s.add_element("present_symptom", "Low mood since being passed over")
    s.add_element("present_symptom", "Low self-esteem")
    fear = s.add_element("unconscious_fear", "Fear of being overlooked")
    s.add_link(past, fear, "gives_rise_to")
    panel = TracePanel(s)
    panel.find.value = "low"
    assert panel.element.value == "" and "matches 2 elements" in panel.find_hint.value
    panel.find.value = "low mood"
    assert panel.element.value == low and panel.find_hint.value == ""
    panel.find.value = "overlooked"
    assert panel.element.value == fear and len(panel.paths) == 1


def test_workbench_trace_accepts_the_readme_example() -> None:
    demo = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"
    panel = workbench.trace(demo, "Low mood")
    assert isinstance(panel, TracePanel)
    label = panel.session.formulation.element(panel.element.value).label
    assert label == "Low mood since being passed over" and panel.paths


# --- confidence --------------------------------------------------------------------------------


def test_confidence_is_a_visible_choice_with_an_optional_number(app: App) -> None:
    c = app.elements.confidence
    assert c.choice.options == ("not rated", "low", "moderate", "high") and c.value is None
    c.choice.value = "high"
    assert c.value == 0.7 and c.level.value == "0.70 (high)"
    c.number.value = "0.55"
    assert c.value == 0.55 and c.choice.value == "moderate" and c.level.value == "0.55 (moderate)"
    c.choice.value = "low"  # a level pressed replaces the number
    assert c.number.value == "" and c.value == 0.3
    c.value = 0.9  # a loaded value that is not a button keeps its number
    assert c.number.value == "0.9" and c.choice.value == "high" and c.value == 0.9
    c.value = None
    assert c.choice.value == "not rated" and c.number.value == ""
    c.number.value = "7"
    assert c.level.value == "not a number from 0 to 1"
    app.elements.label.value = "Fear"
    app.elements.add_button.click()
    assert app.status.is_error and "from 0 to 1" in app.status.message


# --- messages ------------------------------------------------------------------------------------


def test_each_message_shows_beside_its_tab_and_repeats_are_marked(app: App) -> None:
    panel = app.elements
    panel.label.value = "   "
    panel.add_button.click()
    assert panel.status.message == "The label cannot be empty." and panel.status.is_error
    assert panel.status in panel.children  # next to the Add button, in the Element tab
    assert app.status.message == "The label cannot be empty."  # and in the header
    first = panel.status.value
    panel.add_button.click()  # the same mistake again: visibly a new message
    assert panel.status.repeats == 2 and "×2" in panel.status.value and panel.status.value != first
    app.links.add_button.click()  # an action in another tab clears this tab's line
    assert panel.status.message == "" and app.links.status.message.startswith("Type where the link starts")


def test_status_line_flashes_each_message() -> None:
    line = StatusLine()
    line.info("Saved.")
    one = line.value
    line.info("Saved.")
    assert "wb-flash-" in one and one != line.value and line.repeats == 2
    line.info("Other.")
    assert line.repeats == 1 and "×" not in line.value


# --- restore --------------------------------------------------------------------------------------


def test_restore_asks_in_place_remembers_the_author_and_carries_the_session(
    tmp_path: Path, _own_home: Path
) -> None:
    path = tmp_path / "r.formulation.json"
    f = workbench.new(case_id="R-1")
    f.add_element("early_experience", "Father often absent")
    workbench.save(f, path, message="After session 3", author="Dr Rivera", session=3)
    f.add_element("unconscious_fear", "Fear of being left")
    workbench.save(f, path, message="After session 4", author="Dr Rivera", session=4)

    app = App(path)  # a reopened case: the Save tab's author is not typed yet
    history = app.history
    history.version.value = 1
    history.restore_button.click()
    assert history.restore_fields.layout.display == "flex"  # asked here, in the History tab
    assert history.restore_author.value == "Dr Rivera"  # from the last save
    assert history.restore_session.value == "3"  # carried from the version restored
    history.confirm.yes.click()
    assert not app.status.is_error, app.status.message
    last = workbench.history(path)[-1]
    assert (last.version, last.author, last.session) == (3, "Dr Rivera", 3)
    assert history.status.message == "Version 1 restored as version 3."
    settings = json.loads((_own_home / ".config" / "formulation-workbench" / "settings.json").read_text())
    assert settings["author"] == "Dr Rivera"


def test_restore_without_any_author_says_so_in_the_history_tab(tmp_path: Path) -> None:
    path = tmp_path / "r.formulation.json"
    workbench.save(workbench.new(case_id="R-2"), path, message="v1", author="Dr A")
    app = App(path)
    app.history.version.value = 1
    app.history.restore_button.click()
    app.history.restore_author.value = "  "
    app.saving.author.value = ""
    app.history.confirm.yes.click()
    assert app.history.status.is_error and "author" in app.history.status.message
    assert list(workbench.history(path)["version"]) == [1]


# --- checks panel -----------------------------------------------------------------------------------


def test_checks_panel_filters_by_severity_and_opens_the_evidence_gaps() -> None:
    s = EditSession.new_case(case_id="K-1")
    past = s.add_element("early_experience", "Father often absent")
    fear = s.add_element("unconscious_fear", "Fear of being left")
    s.add_link(past, fear, "gives_rise_to")
    s.add_element("defense", "Denial")  # isolated: a warning
    panel = ChecksPanel(s)
    assert set(panel.findings["severity"]) == {"warning", "info"}
    (gap,) = panel.findings[panel.findings["check"] == "no_evidence"].to_dict("records")
    assert gap["count"] == 4
    assert gap["message"] == "3 elements and 1 link have no evidence from the sessions yet."
    (toggle,) = panel.expand_buttons
    toggle.click()
    (items,) = panel.expansions
    assert items.layout.display == "block" and items.value.count("<li>") == 4
    assert "Father often absent" in items.value
    toggle.click()
    assert items.layout.display == "none"

    panel.severity.value = "warning"
    assert set(panel.shown_findings["severity"]) == {"warning"}
    assert len(panel.row_buttons) == len(panel.shown_findings)
    panel.row_buttons[0].click()
    assert panel.selected == panel.shown_findings.iloc[0]["id"]
    panel.severity.value = "info"
    assert set(panel.shown_findings["severity"]) == {"info"}


# --- presenter ------------------------------------------------------------------------------------


def test_presenter_has_one_counter_and_placeholders_keep_room_for_labels() -> None:
    from workbench.ui.presenter import Presenter

    carer = (Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "teaching"
             / "psychodynamic_self_sufficient_carer.formulation.json")
    p = Presenter(carer)
    n = len(p.frames)
    for step in range(n):
        p.go(step)
        shown = p.title.value + p.notes.value + p.position.value
        assert p.position.value == f"Step {step + 1} of {n}"
        assert "Layer " not in shown and shown.count(" of ") == 1  # no second, differently counted one
    first = p.frames[0]
    hidden = [node for node in first.nodes if not node["shown"]]
    real = {node["id"]: node for node in p.frames[-1].nodes}
    assert hidden and all(node["label"] == real[node["id"]]["label"] for node in hidden)  # same room
    assert all(node["shape"] == real[node["id"]]["shape"] for node in hidden)
    assert all(node["font"]["color"] == "rgba(0,0,0,0)" and node["title"] == "" for node in hidden)


def test_presenter_fits_the_whole_map_however_small() -> None:
    """The editor's map stops zooming out at a readable size; the presenter's never does (nothing cut)."""
    from workbench.ui.graph_view import GraphView
    from workbench.ui.presenter import Presenter

    demo = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"
    assert GraphView().min_fit_scale > 0
    assert Presenter(demo).view.min_fit_scale == 0
