"""Where cases live: one rule for every file name, in the session, the app and ``workbench app``.

The rule: a file name that is not absolute is taken inside the folder the app was
opened on (the shell's folder for ``workbench app PATH``, the notebook's folder in
JupyterLab, the cases folder ``~/formulations`` or ``$WORKBENCH_CASES`` when there is
no file); missing folders of such a name are made inside that folder; the full path
is shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench
from workbench._paths import CASES_ENV, case_path, cases_home, make_case_folder
from workbench.cli import app as voila_app
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.session import EditSession
from workbench.ui.app import App


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(CASES_ENV, raising=False)
    return home


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that is NOT the app's folder: nothing may land here."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_the_rule_for_a_file_name(tmp_path: Path, _own_home: Path) -> None:
    folder = tmp_path / "clinic"
    assert case_path("a.formulation.json", folder) == folder / "a.formulation.json"
    assert case_path("  cases/b.formulation.json ", folder) == folder / "cases" / "b.formulation.json"
    assert case_path(tmp_path / "x.formulation.json", folder) == tmp_path / "x.formulation.json"
    assert case_path("~/y.formulation.json", folder) == _own_home / "y.formulation.json"
    assert case_path("../z.formulation.json", folder) == tmp_path / "z.formulation.json"  # normalised
    with pytest.raises(WorkbenchError, match="file name"):
        case_path("  ", folder)


def test_the_cases_folder_is_home_formulations_unless_the_variable_names_another(
    tmp_path: Path, _own_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cases_home() == _own_home / "formulations"
    monkeypatch.setenv(CASES_ENV, str(tmp_path / "mine"))
    assert cases_home() == tmp_path / "mine"


def test_missing_folders_are_made_only_inside_the_apps_folder(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    make_case_folder(folder / "cases" / "2026" / "a.formulation.json", folder)
    assert (folder / "cases" / "2026").is_dir()
    with pytest.raises(WorkbenchError, match="does not exist"):
        make_case_folder(tmp_path / "outside" / "b.formulation.json", folder)
    assert not (tmp_path / "outside").exists()


def test_a_session_saves_bare_names_in_its_folder_not_the_working_directory(
    tmp_path: Path, elsewhere: Path
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    s = EditSession.new_case(case_id="C-1", path="bare.formulation.json", folder=folder)
    assert s.path == folder / "bare.formulation.json"
    s.add_element("present_symptom", "Low mood")
    assert s.save("first", "Dr A") == 1
    s.add_element("defense", "Denial")
    assert s.save("second", "Dr A") == 2
    assert list(workbench.history(folder / "bare.formulation.json")["version"]) == [1, 2]
    # Save as a copy into a sub-folder that does not exist yet: made inside the folder.
    assert s.save_as("copies/c1.formulation.json", "copy", "Dr A") == 1
    assert s.path == folder / "copies" / "c1.formulation.json" and s.path.is_file()
    # Open by a relative name, and start another case by one.
    s.open("bare.formulation.json")
    assert s.path == folder / "bare.formulation.json" and len(s.formulation) == 2
    s.start_new(case_id="C-2", path="sub/c2.formulation.json")
    s.add_element("present_symptom", "Insomnia")
    s.save("first", "Dr A")
    assert (folder / "sub" / "c2.formulation.json").is_file()
    assert list(elsewhere.iterdir()) == []


def test_a_session_never_makes_a_folder_outside_its_own(tmp_path: Path, elsewhere: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    s = EditSession.new_case(case_id="C-1", path=tmp_path / "nowhere" / "c.formulation.json", folder=folder)
    s.add_element("present_symptom", "Low mood")
    with pytest.raises(WorkbenchError, match="does not exist"):
        s.save("first", "Dr A")
    assert not (tmp_path / "nowhere").exists() and s.dirty


def test_the_app_starts_a_case_with_a_bare_name_in_its_folder_and_shows_the_full_path(
    tmp_path: Path, elsewhere: Path
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    app = App(folder=folder)
    assert app.start is not None
    assert str(folder) in app.start.folder_note.value  # the panel says where bare names go
    app.start.case_id.value = "C-17"
    app.start.new_path.value = "rel-test.formulation.json"
    app.start.create_button.click()
    assert not app.status.is_error, app.status.message
    where = folder / "rel-test.formulation.json"
    assert app.session is not None and app.session.path == where
    assert str(where) in app.status.message and str(where) in app.header.info.value
    app.session.add_element("present_symptom", "Low mood")
    app.saving.message.value = "First"
    app.saving.author.value = "Dr A"
    app.saving.save_button.click()
    assert not app.status.is_error, app.status.message
    assert f"Saved version 1 of {where}." in app.status.message
    assert list(workbench.history(where)["version"]) == [1]
    assert list(elsewhere.iterdir()) == []


def test_the_app_opens_a_relative_name_in_its_folder(tmp_path: Path, elsewhere: Path) -> None:
    folder = tmp_path / "clinic"
    (folder / "cases").mkdir(parents=True)
    workbench.save(workbench.new(case_id="C-3"), folder / "cases" / "c3.formulation.json",
                   message="Empty", author="Dr A")
    app = App("cases/c3.formulation.json", folder=folder)
    assert app.session is not None and app.session.path == folder / "cases" / "c3.formulation.json"
    missing = App("cases/new.formulation.json", folder=folder)  # no file yet: the start screen, pre-filled
    assert missing.session is None and missing.start is not None
    assert missing.start.new_path.value == str(folder / "cases" / "new.formulation.json")
    assert missing.start.case_id.value == "new"


# --- workbench app -------------------------------------------------------------------------


def test_workbench_app_without_a_file_uses_the_cases_folder(
    tmp_path: Path, _own_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert voila_app.prepare_case(None) == (None, _own_home / "formulations")
    assert (_own_home / "formulations").is_dir()
    monkeypatch.setenv(CASES_ENV, str(tmp_path / "mine"))
    assert voila_app.prepare_case(None) == (None, tmp_path / "mine")


def test_workbench_app_takes_a_relative_path_in_the_shells_folder(elsewhere: Path) -> None:
    case, folder = voila_app.prepare_case("cases/new.formulation.json")
    assert (case, folder) == (elsewhere / "cases" / "new.formulation.json", elsewhere)
    assert not case.exists()  # nothing is written until the user starts the case in the app
    source = voila_app.app_notebook(case, cases_folder=folder, template="ccrt")["cells"][0]["source"]
    assert source == ("import workbench\n"
                      f"workbench.app({str(case)!r}, template='ccrt', folder={str(folder)!r})")


def test_workbench_app_with_a_case_id_creates_the_case(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case, _ = voila_app.prepare_case("cases/c-017.formulation.json", template="ccrt", case_id="C-017",
                                     title="Teaching")
    assert case == elsewhere / "cases" / "c-017.formulation.json"
    f = workbench.load(case)
    assert (f.meta.case_id, f.meta.title, f.template.id, f.base_version) == ("C-017", "Teaching", "ccrt", 1)
    assert str(case) in capsys.readouterr().out
    with pytest.raises(WorkbenchError, match="already exists"):
        voila_app.prepare_case(case, case_id="C-017")
    assert list(workbench.history(case)["version"]) == [1]


def test_workbench_app_refuses_a_missing_folder_outside_in_one_line(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nope" / "x.formulation.json"
    assert main(["app", str(target), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: There is no case file at ") and err.count("\n") == 1
    assert main(["app", str(target), "--case-id", "C-1", "--no-browser"]) == 1
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "nope").exists()
