"""EditSession: undo/redo steps, unsaved changes, saving, conflicts, history, recent cases."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench
from workbench.errors import ElementInUse, SaveConflict, SessionError, UnsavedChanges, WorkbenchError
from workbench.session import EditSession, SessionEvent, recent_cases, recent_file


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the recent-cases list of the tests out of the real home folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """A case file with one version: two elements and a link."""
    f = workbench.new(case_id="C-7", title="Test case")
    a = f.add_element("early_experience", "Father often absent")
    b = f.add_element("unconscious_fear", "Fear of abandonment")
    f.add_link(a, b, "gives_rise_to")
    path = tmp_path / "c7.formulation.json"
    workbench.save(f, path, message="Start", author="Dr A")
    return path


def _ids(s: EditSession, label: str) -> str:
    return next(el.id for el in s.formulation.element_records() if el.label == label)


def test_undo_and_redo_restore_the_exact_states(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    original = s.formulation.copy()
    assert not s.dirty and not s.can_undo and s.version == 1

    new_id = s.add_element("defense", "Intellectualisation", confidence="high")
    after_add = s.formulation.copy()
    s.update_element(_ids(s, "Father often absent"), label="Father away for work", tags="loss, work")
    after_update = s.formulation.copy()
    assert s.dirty and s.undo_label.startswith("edit")

    assert s.undo() is True
    assert s.formulation == after_add
    assert s.undo() is True
    assert s.formulation == original
    assert not s.dirty and not s.can_undo and s.can_redo
    assert s.undo() is False

    assert s.redo() is True
    assert s.formulation.element(new_id).label == "Intellectualisation"
    assert s.redo() is True
    assert s.formulation == after_update
    assert s.dirty and not s.can_redo


def test_cascade_delete_is_one_undo_step_with_links_and_comments(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    father = _ids(s, "Father often absent")
    link = s.formulation.link_records()[0].id
    with s.step("comments"):
        s.formulation.add_comment("Check with supervisor", author="Dr B", target=link)
        s.formulation.add_comment("Early or late?", author="Dr B", target=father)
    before = s.formulation.copy()

    with pytest.raises(ElementInUse):
        s.remove_element(father)
    assert s.formulation == before  # the failed attempt left no trace and no undo step
    assert s.undo_label == "comments"

    removed = s.remove_element(father, cascade=True)
    assert removed == [link]
    assert not s.formulation.has_element(father) and not s.formulation.has_link(link)
    assert s.formulation.comment_records() == []

    assert s.undo() is True  # one step brings everything back
    assert s.formulation == before
    assert s.redo() is True
    assert not s.formulation.has_element(father) and s.formulation.comment_records() == []


def test_a_failing_step_is_rolled_back_completely(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    before = s.formulation.copy()
    with pytest.raises(WorkbenchError), s.step("two elements"):
        s.formulation.add_element("defense", "Denial")
        s.formulation.add_element("no_such_kind", "Broken")
    assert s.formulation == before
    assert not s.dirty


def test_edits_made_directly_on_the_formulation_can_be_undone(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    element_id = s.formulation.add_element("present_symptom", "Low mood")
    assert s.dirty
    s.undo()
    assert not s.formulation.has_element(element_id)


def test_listeners_hear_edits_undo_redo_and_saves(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    events: list[SessionEvent] = []
    s.observe(events.append)
    element_id = s.add_element("defense", "Denial")
    s.undo()
    s.redo()
    s.save("Add denial", "Dr A")
    kinds = [e.kind for e in events]
    assert kinds == ["edit", "undo", "redo", "saved"]
    assert [c.id for c in events[0].changes] == [element_id]
    assert events[1].changes[0].action == "remove"
    assert events[2].changes[0].action == "add"


def test_save_writes_a_new_version_and_clears_unsaved_state(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    s.add_element("defense", "Denial")
    version = s.save("Added a defense", "Dr A", session_number=4)
    assert version == 2 and s.version == 2
    assert not s.dirty and not s.can_undo and not s.can_redo
    history = workbench.history(case_file)
    assert history.versions() == [1, 2]
    assert history[-1].session == 4 and history[-1].author == "Dr A"
    assert workbench.load(case_file) == s.formulation


def test_save_needs_a_file_a_message_and_an_author(tmp_path: Path) -> None:
    s = EditSession.new_case("psychodynamic", case_id="C-1")
    s.add_element("defense", "Denial")
    with pytest.raises(SessionError, match="no file yet"):
        s.save("First", "Dr A")
    with pytest.raises(SessionError, match="author"):
        s.save_as(tmp_path / "c1.formulation.json", "First", "  ")
    assert s.save_as(tmp_path / "c1.formulation.json", "First", "Dr A") == 1
    assert s.path == tmp_path / "c1.formulation.json"
    with pytest.raises(SessionError, match="already exists"):
        s.save_as(tmp_path / "c1.formulation.json", "Again", "Dr A")


def test_conflict_keeps_the_changes_for_a_copy(case_file: Path) -> None:
    mine = EditSession.open_file(case_file)
    theirs = EditSession.open_file(case_file)
    theirs.add_element("defense", "Projection")
    theirs.save("Their change", "Dr B")

    mine.add_element("present_symptom", "Insomnia")
    with pytest.raises(SaveConflict) as caught:
        mine.save("My change", "Dr A")
    assert "Dr B" in str(caught.value)
    assert mine.conflict is caught.value
    assert mine.dirty and _ids(mine, "Insomnia")
    assert list(workbench.history(case_file)["version"]) == [1, 2]  # nothing of mine was written

    copy_path = mine.suggest_copy_path()
    assert copy_path.name == "c7-copy-1.formulation.json" and not copy_path.exists()
    assert mine.save_as(copy_path, "My change, as a copy", "Dr A") == 1
    assert mine.conflict is None and not mine.dirty and mine.path == copy_path
    copied = workbench.load(copy_path)
    assert "Insomnia" in [el.label for el in copied.element_records()]
    assert "Projection" not in [el.label for el in copied.element_records()]
    assert "Insomnia" not in [el.label for el in workbench.load(case_file).element_records()]


def test_history_view_diff_and_restore(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    first = s.formulation.copy()
    s.add_element("defense", "Denial")
    s.save("v2", "Dr A")
    s.update_element(_ids(s, "Denial"), label="Denial of need")
    s.save("v3", "Dr A", session_number=3)

    assert list(s.history()["message"]) == ["Start", "v2", "v3"]
    assert s.view_version(1) == first
    assert len(s.formulation) == 3  # viewing did not touch the case being edited

    d = s.diff_versions(1, 2)
    assert [el.label for el in d.elements_added] == ["Denial"]
    d23 = s.diff_versions(2, 3)
    assert d23.elements_changed and "label" in d23.elements_changed[0].fields
    s.add_element("present_symptom", "Unsaved symptom")
    d_now = s.diff_versions(3, None)
    assert [el.label for el in d_now.elements_added] == ["Unsaved symptom"]

    with pytest.raises(UnsavedChanges):
        s.restore(1, author="Dr A")
    new_version = s.restore(1, author="Dr A", discard=True)
    assert new_version == 4 and s.version == 4 and not s.dirty
    assert len(s.formulation) == 2
    assert list(s.history()["version"]) == [1, 2, 3, 4]


def test_open_and_new_case_guard_unsaved_changes(case_file: Path, tmp_path: Path) -> None:
    s = EditSession.open_file(case_file)
    events: list[str] = []
    s.observe(lambda e: events.append(e.kind))
    s.add_element("defense", "Denial")
    with pytest.raises(UnsavedChanges):
        s.open(case_file)
    s.open(case_file, version=1, discard=True)
    assert not s.dirty and len(s.formulation) == 2 and events[-1] == "reset"
    s.start_new("ccrt", case_id="C-8", path=tmp_path / "c8.formulation.json")
    assert s.formulation.template.id == "ccrt" and s.version is None
    with pytest.raises(SessionError, match="already exists"):
        EditSession.new_case(case_id="C-9", path=case_file)


def test_errors_are_workbench_errors_with_sentences(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError) as caught:
        EditSession.open_file(tmp_path / "missing.formulation.json")
    assert "Traceback" not in str(caught.value) and str(caught.value)
    not_json = tmp_path / "bad.formulation.json"
    not_json.write_text("this is not a formulation\n", encoding="utf-8")
    with pytest.raises(WorkbenchError):
        EditSession.open_file(not_json)
    s = EditSession.new_case(case_id="C-1")
    with pytest.raises(SessionError, match="not been saved"):
        s.history()


def test_recent_cases_are_remembered_newest_first(case_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.formulation.json"
    workbench.save(workbench.new(case_id="C-2"), other, message="Start", author="Dr A")
    EditSession.open_file(case_file)
    EditSession.open_file(other)
    EditSession.open_file(case_file)
    assert recent_cases() == [str(case_file.resolve()), str(other.resolve())]
    other.unlink()
    assert recent_cases() == [str(case_file.resolve())]
    recent_file().write_text("{broken", encoding="utf-8")
    assert recent_cases() == []


def test_case_details_and_comments_undo_too(case_file: Path) -> None:
    s = EditSession.open_file(case_file)
    before = s.formulation.copy()
    s.update_meta(title="Renamed case", clinician="Dr A")
    comment = s.formulation.add_comment("Looks right", author="Dr B")
    s.formulation.resolve_comment(comment)
    assert s.formulation.meta.title == "Renamed case"
    assert s.undo() and s.undo() and s.undo()
    assert s.formulation == before
    assert s.redo() and s.formulation.meta.title == "Renamed case"
