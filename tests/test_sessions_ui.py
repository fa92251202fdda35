"""The Sessions tab driven from Python as a user would: notes, attaching a selected passage, flags and the
timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui import HOSTILE, _own_home, add_element, add_link  # noqa: F401  (_own_home: autouse fixture)

import workbench
from workbench.ui.app import App
from workbench.ui.notes_area import NotesArea

NOTES = "She came late. He was never there when I needed him. 🧠 I'm useless, they'll see."


@pytest.fixture
def app(tmp_path: Path) -> App:
    path = tmp_path / "c1.formulation.json"
    workbench.save(workbench.new(case_id="C-1"), path, message="Empty case", author="Dr A")
    return App(path)


def write_session(app: App, number: int, text: str, date: str = "") -> None:
    panel = app.sessions
    panel.number.value = number
    panel.add_button.click()
    assert not app.status.is_error, app.status.message
    panel.date.value = date
    panel.notes.value = text
    panel.keep_button.click()
    assert not app.status.is_error, app.status.message


def save(app: App, message: str, session: int | None = None) -> None:
    app.saving.message.value = message
    app.saving.author.value = "Dr A"
    app.saving.session_number.value = "" if session is None else str(session)
    app.saving.save_button.click()
    assert not app.status.is_error, app.status.message


def test_the_sessions_tab_is_built_when_first_opened_and_keeps_notes_in_the_case(app: App) -> None:
    assert not app._built("Sessions")
    app.tabs.selected_index = app.tabs.titles.index("Sessions")
    assert app._built("Sessions")
    panel = app.sessions
    assert panel.notes.disabled and "No sessions yet" in panel.quotes.value
    write_session(app, 2, NOTES, "2024-02-12")
    note = app.session.formulation.session_note(2)
    assert (note.text, note.date) == (NOTES, "2024-02-12")
    assert panel.pick.options == (("Session 2 · 2024-02-12", 2),)
    assert panel.number.value == 3  # ready for the next session
    assert app.session.undo() and app.session.formulation.session_note(2).text == ""
    assert app.session.redo()
    save(app, "notes of session 2", 2)
    assert workbench.load(app.session.path).session_note(2).text == NOTES


def test_a_selected_passage_is_attached_to_an_element_and_a_link_with_its_position(app: App) -> None:
    past = add_element(app, "early_experience", "Father often absent")
    fear = add_element(app, "unconscious_fear", "Fear of being found wanting")
    link = add_link(app, past, fear, "gives_rise_to")
    write_session(app, 2, NOTES)
    panel = app.sessions
    start = NOTES.index("He was never")
    panel.notes.select(start, start + len("He was never there when I needed him."))
    assert "He was never there when I needed him." in panel.selected.value
    panel.target.value = "father often"  # part of the label, as typed
    panel.attach_button.click()
    assert not app.status.is_error, app.status.message
    [ev] = app.session.formulation.element(past).evidence
    assert (ev.session, ev.quote, ev.start) == (2, "He was never there when I needed him.", start)
    # a passage after a character beyond U+FFFF: positions are Python's
    at = NOTES.index("I'm useless")
    panel.notes.select(at, at + len("I'm useless"))
    panel.target.value = next(name for name in panel.target.options if name.startswith("Link: "))
    panel.attach_button.click()
    assert not app.status.is_error, app.status.message
    [ev] = app.session.formulation.link(link).evidence
    assert (ev.quote, ev.start) == ("I'm useless", at)
    assert "Father often absent" in panel.quotes.value and "found in the notes" in panel.quotes.value
    # the element and link editors show the quotes behind them
    app.elements.show(past)
    assert "He was never there" in app.elements.evidence.behind.value
    app.links.show(link)
    assert "I&#x27;m useless" in app.links.evidence.behind.value  # escaped, as everything shown
    assert "useless" not in app.elements.evidence.behind.value
    # updating the element through its form keeps where the quote starts
    app.elements.confidence.value = 0.7
    app.elements.update_button.click()
    assert app.session.formulation.element(past).evidence[0].start == start
    # one undo step takes the attachment back
    assert app.session.undo() is True  # the update
    assert app.session.undo() is True  # the link's quote
    assert app.session.formulation.link(link).evidence == ()


def test_editing_the_notes_flags_the_quotes_they_no_longer_hold(app: App) -> None:
    past = add_element(app, "early_experience", "Father often absent")
    write_session(app, 2, NOTES)
    panel = app.sessions
    start = NOTES.index("never there")
    panel.notes.select(start, start + len("never there"))
    panel.target.value = "Father often absent"
    panel.attach_button.click()
    panel.notes.value = NOTES.replace("never there", "rarely there")
    panel.keep_button.click()
    assert "wb-quote-flagged" in panel.quotes.value and "paraphrase" in panel.quotes.value
    app.elements.show(past)
    assert "1 not found in the notes" in app.elements.evidence.behind.value
    checks = workbench.analysis.checks.run_checks(app.session.formulation)
    assert "quote_not_in_notes" in set(checks["check"])


def test_attaching_needs_a_passage_and_a_target_and_says_so(app: App) -> None:
    add_element(app, "early_experience", "Father often absent")
    panel = app.sessions
    panel.attach_button.click()
    assert app.status.is_error and "Add a session first" in app.status.message
    write_session(app, 1, NOTES)
    panel.attach_button.click()
    assert app.status.is_error and "Select a passage" in app.status.message
    panel.notes.select(0, 5)
    panel.target.value = ""
    panel.attach_button.click()
    assert app.status.is_error and "Pick the element or link" in app.status.message
    panel.target.value = "no such thing"
    panel.attach_button.click()
    assert app.status.is_error
    assert app.session.formulation.element_records()[0].evidence == ()


def test_hostile_notes_and_quotes_are_shown_escaped(app: App) -> None:
    el = add_element(app, "early_experience", HOSTILE)
    write_session(app, 1, HOSTILE + " and more")
    panel = app.sessions
    panel.notes.select(0, len(HOSTILE))
    assert "<img" not in panel.selected.value and "&lt;img" in panel.selected.value
    panel.target.value = next(n for n in panel.target.options)
    panel.attach_button.click()
    assert not app.status.is_error, app.status.message
    assert app.session.formulation.element(el).evidence[0].quote == HOSTILE
    for html in (panel.quotes.value, app.status.value):
        assert "<img" not in html and "<b>me" not in html
    save(app, "v", 1)
    panel.timeline_button.click()
    assert "<img" not in panel.timeline.value and "&lt;img" in panel.timeline.value
    app.elements.show(el)
    assert "<img" not in app.elements.evidence.behind.value


def test_the_timeline_shows_what_a_session_added_and_what_rests_on_it(app: App) -> None:
    panel = app.sessions
    write_session(app, 1, "Assessment.")
    past = add_element(app, "early_experience", "Father often absent")
    save(app, "after session 1", 1)
    write_session(app, 2, NOTES)
    add_element(app, "unconscious_fear", "Fear of being found wanting")
    panel.notes.select(0, 14)
    panel.target.value = "Father often absent"
    panel.attach_button.click()
    panel.timeline_button.click()
    assert "Save a version first" not in panel.timeline.value  # session 2 not saved yet: nothing to show
    assert "No version was saved" in panel.timeline.value
    save(app, "after session 2", 2)
    panel.pick.value = 2
    view = panel.show_timeline()
    assert view is not None and view.versions == (3,)
    assert [el.label for el in view.added.elements_added] == ["Fear of being found wanting"]
    assert [r.id for r in view.resting] == [past]
    html = panel.timeline.value
    assert "Fear of being found wanting" in html and "Father often absent" in html
    panel.pick.value = 1
    view = panel.show_timeline()
    assert view is not None and [el.label for el in view.added.elements_added] == ["Father often absent"]


def test_the_notes_widget_reports_a_selection_in_python_characters() -> None:
    n = NotesArea(value="a🧠bc")
    n.select(2, 4)
    assert n.selected == "bc"
    n.select(4, 2)  # selected backwards
    assert n.selected == "bc"


def test_notes_typed_but_not_kept_are_never_dropped(app: App) -> None:
    write_session(app, 1, "First.")
    write_session(app, 2, "Second.")
    panel = app.sessions
    panel.notes.value = "Second, typed on."  # not kept yet
    add_element(app, "defense", "Denial")  # an edit elsewhere leaves the typed notes in place
    assert panel.notes.value == "Second, typed on." and panel.pending()
    panel.pick.value = 1  # switching sessions keeps them
    assert app.session.formulation.session_note(2).text == "Second, typed on."
    assert panel.notes.value == "First." and "Notes of session 2 kept" in app.status.message
    app.tabs.selected_index = app.tabs.titles.index("Sessions")
    panel.date.value = "2024-05-06"
    app.tabs.selected_index = app.tabs.titles.index("Save")  # so does leaving the tab
    assert app.session.formulation.session_note(1).date == "2024-05-06"
    save(app, "notes", 2)
    assert workbench.load(app.session.path).session_note(2).text == "Second, typed on."


def test_while_hidden_the_tab_only_notes_that_it_must_catch_up(app: App) -> None:
    panel = app.sessions  # built, but another tab is open
    write_session(app, 1, "Notes.")
    assert app.tabs.selected_index != app.tabs.titles.index("Sessions")
    el = add_element(app, "defense", "Denial")
    assert "Denial (Defense)" not in panel.target.options  # not sent to the page while hidden
    app.tabs.selected_index = app.tabs.titles.index("Sessions")
    assert "Denial (Defense)" in panel.target.options
    app.session.update_element(el, label="Denial, mostly")
    assert "Denial, mostly (Defense)" in panel.target.options  # shown: it follows at once


def test_the_map_shows_the_case_after_a_session_with_what_it_added_marked(app: App) -> None:
    past = add_element(app, "early_experience", "Father often absent")
    save(app, "after session 1", 1)
    fear = add_element(app, "unconscious_fear", "Fear of being left")
    save(app, "after session 2", 2)
    add_element(app, "defense", "Denial")  # unsaved: not in any session's version
    panel = app.sessions
    write_session(app, 2, "Notes.")
    view = panel.show_on_map()
    assert view is not None and view.versions == (3,)
    assert not app.binding.live and "After session 2 (version 3" in app.graph.caption
    shown = {n["id"]: n for n in app.graph.nodes}
    assert set(shown) == {past, fear}  # as it was then: no Denial
    assert shown[fear].get("diff") == "added" and "diff" not in shown[past]  # what session 2 added
    panel.back_button.click()
    assert app.binding.live and len(app.graph.nodes) == 3
    panel.pick.value = 2
    write_session(app, 9, "No version names this one.")
    panel.show_on_map()
    assert app.binding.live and "nothing to draw" in app.status.message


def test_a_session_is_removed_after_asking_and_undo_brings_it_back(app: App) -> None:
    write_session(app, 1, "First.")
    write_session(app, 2, "Second.")
    panel = app.sessions
    panel.remove_button.click()
    assert panel.confirm.pending and "Remove session 2" in panel.confirm.question.value
    panel.confirm.no.click()
    assert [s.number for s in app.session.formulation.session_notes()] == [1, 2]
    panel.remove_button.click()
    panel.confirm.yes.click()
    assert [s.number for s in app.session.formulation.session_notes()] == [1]
    assert panel.current == 1 and panel.notes.value == "First."
    assert app.session.undo()
    assert app.session.formulation.session_note(2).text == "Second."


def test_a_new_date_keeps_the_form_and_the_selection(app: App) -> None:
    add_element(app, "defense", "Denial")
    write_session(app, 1, "Other notes.")
    write_session(app, 2, "abc def ghi")
    panel = app.sessions
    panel.date.value = "2024-03-18"  # the session's title in the list changes with its date
    panel.notes.select(4, 7)
    panel.target.value = "Denial"
    panel.attach_button.click()
    assert panel.pick.options[-1] == ("Session 2 · 2024-03-18", 2)
    assert (panel.current, panel.notes.value, panel.notes.selected) == (2, "abc def ghi", "def")
    assert app.session.formulation.session_note(1).text == "Other notes."


def test_the_save_tab_names_the_newest_session_unless_the_clinician_typed_another(app: App) -> None:
    assert app.saving.session_number.value == ""  # no notes yet: no session is guessed
    write_session(app, 1, NOTES)
    assert app.saving.session_number.value == "1"
    app.saving.message.value = "After session 1"
    app.saving.save_button.click()
    assert workbench.history(app.session.path)[-1].session == 1  # the timeline can place the version
    write_session(app, 2, "Quieter today.")
    assert app.saving.session_number.value == "2"  # follows the newest session
    app.saving.session_number.value = "7"  # typed by the clinician: kept through later edits
    write_session(app, 3, "Spoke about her sister.")
    assert app.saving.session_number.value == "7"
