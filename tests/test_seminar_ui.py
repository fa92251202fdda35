"""The seminar's widgets driven from Python: trainee's desk (open, hand in, feedback) and Seminar view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import workbench
from workbench.classroom.folders import SeminarFolders, current_user
from workbench.ui.seminar_view import SeminarView
from workbench.ui.trainee_desk import TraineeDesk

CASES = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "teaching"
CASE = "psychodynamic_self_sufficient_carer.formulation.json"
HOSTILE = '<img src=x onerror="alert(1)">Panic'


@pytest.fixture
def folders(tmp_path: Path) -> SeminarFolders:
    """A seminar folder for this user alone (the permissions are tested in test_classroom_folders)."""
    places = SeminarFolders(tmp_path / "seminar")
    for folder in (places.library, places.references, places.handin_folder(current_user()),
                   places.feedback_folder(current_user())):
        folder.mkdir(parents=True)
    shutil.copy(CASES / CASE, places.references / CASE)
    full = workbench.load(CASES / CASE)
    starter = workbench.new(full.meta.template, case_id=full.meta.case_id, title=full.meta.title)
    workbench.save(starter, places.library / CASE, message="The case", author="Seminar")
    return places


def test_a_trainee_hands_in_and_the_supervisor_compares_comments_and_presents(
    folders: SeminarFolders, tmp_path: Path
) -> None:
    desk = TraineeDesk(root=folders.root, cases_folder=tmp_path / "home")
    assert desk.library.options[0][1] == CASE
    own = desk.open_case()
    assert own == tmp_path / "home" / "seminar" / CASE
    assert desk.app is not None and desk.app.session is not None
    session = desk.app.session
    session.add_element("present_symptom", HOSTILE)
    assert desk.hand_in() is None
    assert "Save your changes first" in desk.status.message
    session.save("Built", author="Trainee One")
    done = desk.hand_in()
    assert done is not None and (done.version, done.source_version) == (1, 2)
    assert desk.status.message.startswith(f"Handed in version 2 of {CASE}")

    view = SeminarView(root=folders.root)
    assert view.case.value == workbench.load(own).meta.case_id
    assert current_user() in view.table.value
    view.open_handin(str(done.path))
    assert view.graph is not None and len(view.graph.nodes) == 1 and view.graph.read_only
    view.target.value = view.target.options[1][1]
    view.comment.value = "Where does the panic come from?"
    view.send_button.click()
    assert view.status.message.startswith("Comment sent to")
    assert workbench.load(done.path).comments().empty  # the hand-in is untouched

    view.compare_button.click()
    html = view.comparison.value
    assert "Compared with the reference" in html and "Missed:" in html
    assert "<img" not in html and "&lt;img" in html  # a hostile label is text
    presenter = view.present()
    assert presenter.path == done.path

    desk.show_feedback()
    assert "Where does the panic come from?" in desk.feedback.value
    assert "&lt;img" in desk.feedback.value and "<img" not in desk.feedback.value


def test_the_seminar_view_without_hand_ins_says_so(folders: SeminarFolders) -> None:
    view = SeminarView(root=folders.root)
    assert view.status.message == "Nobody has handed in a case yet."
    view.compare_button.click()
    assert view.status.is_error and "nobody has handed in this case yet" in view.status.message


def test_seminar_opens_by_role(folders: SeminarFolders) -> None:
    assert isinstance(workbench.seminar(role="supervisor", root=folders.root), SeminarView)
    assert isinstance(workbench.seminar(role="trainee", root=folders.root), TraineeDesk)
    with pytest.raises(workbench.errors.InvalidValue, match="The role is"):
        workbench.seminar(role="teacher", root=folders.root)


def test_session_notes_go_with_a_hand_in_only_when_the_trainee_ticks_the_box(
    folders: SeminarFolders, tmp_path: Path
) -> None:
    desk = TraineeDesk(root=folders.root, cases_folder=tmp_path / "home")
    desk.open_case()
    assert desk.app is not None and desk.app.session is not None
    session = desk.app.session
    session.add_session(3, date="2024-03-18", text="She said: <b>nobody</b> ever asked me.")
    session.save("Notes of session 3", author="Trainee One")
    assert desk.include_notes.value is False

    first = desk.hand_in()
    assert first is not None and not first.notes_included
    assert "without your session notes" in desk.status.message
    assert workbench.load(first.path).session_notes() == []
    assert workbench.load(desk.app.session.path).session_notes() != []  # one's own copy keeps them

    desk.include_notes.value = True
    second = desk.hand_in()
    assert second is not None and second.notes_included and second.version == 2
    handed = workbench.load(second.path).session_notes()
    assert [(n.number, n.text) for n in handed] == [(3, "She said: <b>nobody</b> ever asked me.")]
    assert "with your session notes" in desk.status.message
