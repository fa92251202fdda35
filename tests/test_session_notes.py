"""Session notes: the model, undo, the diff, the file format (old files, round trips) and hostile text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fileformat_helpers import HOSTILE, reseal, same_fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench.diffing import apply_diff, diff
from workbench.errors import DuplicateId, InvalidValue, SessionNotFound
from workbench.fileformat import store
from workbench.session import EditSession

GOLDEN = Path(__file__).parent / "data" / "golden"


def test_a_session_is_added_edited_and_removed_with_its_date_and_notes() -> None:
    f = workbench.new(case_id="C-1")
    assert f.session_notes() == []
    assert f.add_session(3, date="2024-03-18", text="Came late. Spoke of her father.") == 3
    f.add_session(1)
    assert [s.number for s in f.session_notes()] == [1, 3]
    f.update_session(3, text="Came late.")
    assert f.session_note(3).text == "Came late." and f.session_note(3).date == "2024-03-18"
    f.update_session(3, date=None)
    assert f.session_note(3).date is None
    f.remove_session(1)
    with pytest.raises(SessionNotFound, match="no notes for session 1"):
        f.session_note(1)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda f: f.add_session(-1), InvalidValue, "whole number"),
        (lambda f: f.add_session(True), InvalidValue, "whole number"),
        (lambda f: f.add_session(2, date="18/03/2024"), InvalidValue, "2024-03-18"),
        (lambda f: f.add_session(2, date="2024-02-30"), InvalidValue, "2024-03-18"),
        (lambda f: f.add_session(2, text=5), InvalidValue, "must be text"),
        (lambda f: f.add_session(1), DuplicateId, "already has notes"),
        (lambda f: f.update_session(1, number=4), InvalidValue, "fields are: date, text"),
        (lambda f: f.update_session(9, text="x"), SessionNotFound, "session 9"),
    ],
)
def test_wrong_session_values_are_refused_with_a_sentence(call, error, words) -> None:  # type: ignore[no-untyped-def]
    f = workbench.new(case_id="C-1")
    f.add_session(1)
    with pytest.raises(error, match=words):
        call(f)
    assert [s.number for s in f.session_notes()] == [1]


def test_notes_are_part_of_equality_copies_and_the_diff() -> None:
    a = workbench.new(case_id="C-1")
    a.add_session(2, text="first words")
    b = a.copy()
    assert a == b
    b.update_session(2, text="first words, edited")
    b.add_session(5, date="2024-05-01", text="second")
    assert a != b
    d = diff(a, b)
    assert d.summary() == "1 session added, 1 session changed"
    assert d.sessions_changed[0].fields["text"] == ("first words", "first words, edited")
    assert apply_diff(a, d) == b and apply_diff(b, diff(b, a)) == a
    rows = d.to_frame()
    assert set(rows["label"]) == {"Session 2", "Session 5"}
    assert a.session_note(2).text == "first words"  # the copy kept its own notes


def test_session_edits_undo_and_redo_in_the_edit_session() -> None:
    s = EditSession.new_case(case_id="C-1")
    s.add_session(1, date="2024-01-08", text="Opening session.")
    s.update_session(1, text="Opening session, revised.")
    assert s.undo() and s.formulation.session_note(1).text == "Opening session."
    assert s.undo() and s.formulation.session_notes() == []
    assert s.redo() and s.formulation.session_note(1).text == "Opening session."
    with s.step("remove"):
        s.formulation.remove_session(1)
    assert s.undo() and s.formulation.session_note(1).date == "2024-01-08"


def test_an_edit_to_a_note_is_a_change_in_the_next_version_and_old_versions_keep_old_notes(
    tmp_path: Path,
) -> None:
    p = tmp_path / "c.formulation.json"
    f = workbench.new(case_id="C-1")
    f.add_element("defense", "Denial", description="A description long enough to keep deltas small. " * 5)
    workbench.save(f, p, message="start", author="Dr A")
    f.add_session(1, date="2024-01-08", text="She said: I am always the one who waits.")
    workbench.save(f, p, message="session 1", author="Dr A", session=1)
    f.update_session(1, text="She said: I always wait.")
    workbench.save(f, p, message="notes tidied", author="Dr A", session=1)
    lines = p.read_text(encoding="utf-8").splitlines()
    third = json.loads(lines[3])
    assert third["delta"] == {
        "sessions": {
            "changed": [
                {
                    "number": 1,
                    "fields": {
                        "text": ["She said: I am always the one who waits.", "She said: I always wait."]
                    },
                }
            ]
        }
    }
    assert "sessions" not in json.loads(lines[1])["snapshot"]  # a version without notes is written as before
    store.CACHE.clear()
    assert workbench.load(p, 1).session_notes() == []
    assert workbench.load(p, 2).session_note(1).text == "She said: I am always the one who waits."
    assert workbench.load(p, 3).session_note(1).text == "She said: I always wait."
    workbench.validate(p)


@pytest.mark.parametrize("name", ["format-1.formulation.jsonl", "format-2.formulation.jsonl"])
def test_old_files_load_without_notes_and_take_notes_in_their_own_format(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    shutil.copy(GOLDEN / name, p)
    f = workbench.load(p)
    assert f.session_notes() == [] and all(e.start is None for el in f for e in el.evidence)
    f.add_session(4, date="2026-01-26", text=HOSTILE[0])
    f.update_element("el-0001", evidence=[{"session": 4, "quote": HOSTILE[0][:10], "start": 0}])
    version = workbench.save(f, p, message="notes", author="Dr A", session=4)
    store.CACHE.clear()
    again = workbench.load(p)
    assert again == f and again.session_note(4).text == HOSTILE[0]
    assert again.element("el-0001").evidence[0].start == 0
    workbench.validate(p)
    last = p.read_bytes().splitlines()[-1]
    assert last.startswith(b'{"check":') == (name == "format-2.formulation.jsonl")  # the file's own format
    assert workbench.history(p)["version"].tolist()[-1] == version


def test_a_damaged_session_in_a_file_is_reported_with_its_place(tmp_path: Path) -> None:
    p = tmp_path / "c.formulation.json"
    f = workbench.new(case_id="C-1")
    f.add_session(2, date="2024-02-28", text="x")
    workbench.save(f, p, message="start", author="Dr A")
    lines = p.read_text(encoding="utf-8").splitlines()
    line = json.loads(lines[1])
    del line["check"]
    line["snapshot"]["sessions"][0]["date"] = "2024-02-30"
    p.write_text(lines[0] + "\n" + json.dumps(line, sort_keys=True) + "\n", encoding="utf-8")
    with pytest.raises(workbench.errors.FormulationFileError) as caught:
        workbench.load(p)
    assert "line 2" in str(caught.value)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["add", "edit", "date", "remove", "quote"]),
            st.integers(0, 6),
            _TEXT,
            st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_notes_and_picked_quotes_round_trip_through_every_saved_version(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int, str, str | None]]
) -> None:
    p = tmp_path_factory.mktemp("notes") / "c.formulation.json"
    f = workbench.new(case_id="C-1")
    el = f.add_element("defense", "Denial")
    saved = []
    for action, number, text, day in steps:
        numbers = [s.number for s in f.session_notes()]
        if action == "add" and number not in numbers:
            f.add_session(number, date=day, text=text)
        elif action == "edit" and numbers:
            f.update_session(numbers[number % len(numbers)], text=text)
        elif action == "date" and numbers:
            f.update_session(numbers[number % len(numbers)], date=day)
        elif action == "remove" and numbers:
            f.remove_session(numbers[number % len(numbers)])
        elif action == "quote" and numbers:
            note = f.session_note(numbers[number % len(numbers)])
            start = min(number, len(note.text))
            quote = {"session": note.number, "quote": note.text[start:], "start": start}
            f.update_element(el, evidence=[quote])
        workbench.save(f, p, message=action, author="Dr A")
        saved.append(f.copy())
    store.CACHE.clear()
    for version, want in enumerate(saved, start=1):
        got = workbench.load(p, version)
        assert got == want
        same_fields(got, want)
    workbench.validate(p)


def test_repair_keeps_every_version_with_notes(tmp_path: Path) -> None:
    p = tmp_path / "c.formulation.json"
    shutil.copy(GOLDEN / "format-1.formulation.jsonl", p)
    f = workbench.load(p)
    f.add_session(3, text="notes as first written")
    workbench.save(f, p, message="notes", author="Dr A", session=3)
    f.update_session(3, text="notes as edited")
    workbench.save(f, p, message="notes edited", author="Dr A", session=3)
    with open(p, "ab") as fh:
        fh.write(b'{"revision": {"version": 9')  # an interrupted save
    report = workbench.fileformat.repair(p)
    assert [(s.line, s.version) for s in report.set_aside] == [(10, None)]  # only the torn line
    assert sorted(report.kept) == list(range(1, 9))
    store.CACHE.clear()
    assert workbench.load(p, 7).session_note(3).text == "notes as first written"
    assert workbench.load(p).session_note(3).text == "notes as edited"
    workbench.validate(p)


def _edited_file(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A two-version file with notes whose version-2 line (a delta) ``edit`` changes, checksums renewed."""
    p = tmp_path / "c.formulation.json"
    f = workbench.new(case_id="C-1")
    f.add_element("defense", "Denial", description="Long enough to keep the next line a delta. " * 5)
    f.add_session(1, date="2024-01-08", text="first")
    workbench.save(f, p, message="v1", author="Dr A")
    f.update_session(1, text="second")
    workbench.save(f, p, message="v2", author="Dr A")
    lines = p.read_bytes().split(b"\n")
    line = json.loads(lines[2])
    edit(line)
    lines[2] = json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    p.write_bytes(reseal(b"\n".join(lines)))
    store.CACHE.clear()
    return p


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda line: line["delta"]["sessions"]["changed"][0].update(number=4), "session 4: it is changed"),
        (lambda line: line["delta"]["sessions"]["changed"][0]["fields"].update(number=[1, 2]),
         "cannot be changed"),
        (lambda line: line["delta"]["sessions"]["changed"][0]["fields"].update(text=["other", "x"]),
         "was 'first'"),
        (lambda line: line["delta"]["sessions"].update(added=[{"number": 1, "date": None, "text": "",
                                                              "created": "2024-01-01T00:00:00Z",
                                                              "updated": "2024-01-01T00:00:00Z"}]),
         "used twice"),
        (lambda line: line["delta"]["sessions"].update(removed=[{"number": 1, "date": None, "text": "other",
                                                                "created": "2024-01-01T00:00:00Z",
                                                                "updated": "2024-01-01T00:00:00Z"}]),
         "differs"),
    ],
)
def test_a_delta_that_does_not_fit_the_notes_is_reported_with_its_place(
    tmp_path: Path, edit, words: str  # type: ignore[no-untyped-def]
) -> None:
    p = _edited_file(tmp_path, edit)
    with pytest.raises(workbench.errors.FormulationFileError) as caught:
        workbench.load(p)
    message = str(caught.value)
    assert "line 3" in message and words in message, message
    assert workbench.load(p, 1).session_note(1).text == "first"  # the version before is intact
