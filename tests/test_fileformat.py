"""The versioned formulation file: round trips, history, restore, determinism, golden file, migrations."""

from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fileformat_helpers import fixed_clock, random_edit, reseal, same_fields, sample, three_versions
from jsonschema import Draft202012Validator

import workbench
from workbench.errors import (
    FileContentError,
    IncompleteSaveWarning,
    InvalidValue,
    SaveConflict,
    VersionNotFound,
)
from workbench.fileformat import StorePolicy, migrate, store, v1, v2, writer
from workbench.fileformat._places import Problem

GOLDEN = Path(__file__).parent / "data" / "golden" / "format-1.formulation.jsonl"
GOLDEN_2 = Path(__file__).parent / "data" / "golden" / "format-2.formulation.jsonl"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "case.formulation.jsonl"


def lines_of(p: Path) -> list[bytes]:
    return p.read_bytes().split(b"\n")[:-1]


# --- round trips ----------------------------------------------------------------------------


def test_save_creates_a_file_and_load_gives_the_same_formulation(path: Path) -> None:
    f = sample()
    f.add_element("present_symptom", "Low mood ✓ <b>bold</b>", id="el-0004")
    assert f.modified
    assert workbench.save(f, path, message="First", author="Dr Rivera", session=1) == 1
    assert (f.base_version, f.modified) == (1, False)
    assert f.file_id is not None and len(f.file_id) == 32
    g = workbench.load(path)
    assert g == f
    same_fields(g, f)
    assert (g.base_version, g.file_id, g.modified) == (1, f.file_id, False)


def test_every_saved_version_reloads_exactly(path: Path) -> None:
    rng = random.Random(11)
    f = sample()
    saved = []
    for version in range(1, 41):
        for _ in range(rng.randint(0, 3)):
            random_edit(f, rng)
        assert workbench.save(f, path, message=f"v{version}", author="Dr A", session=version) == version
        saved.append(f.copy())
    for version, expected in enumerate(saved, start=1):
        got = workbench.load(path, version)
        assert got == expected, version
        same_fields(got, expected)
        assert got.base_version == version
    hist = workbench.history(path)
    assert set(hist["stored"]) == {"snapshot", "delta"}  # both kinds of line were exercised


def test_saving_appends_one_line_and_never_rewrites_earlier_bytes(path: Path) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    for i in range(5):
        before = path.read_bytes()
        f.update_element("el-0001", label=f"Label {i}")
        workbench.save(f, path, message="Edit", author="A")
        after = path.read_bytes()
        assert after.startswith(before)
        assert after[len(before) :].count(b"\n") == 1


def test_history_lists_versions_with_author_time_session_message_and_counts(path: Path) -> None:
    three_versions(path)
    revisions = workbench.history(path)
    assert [(r.version, r.author, r.session, r.message) for r in revisions] == [
        (1, "Dr Rivera", 1, "Start"),
        (2, "Dr Ng", None, "A strength"),
        (3, "Dr Rivera", 3, ""),
    ]
    assert [(r.elements, r.links, r.comments, r.stored) for r in revisions] == [
        (3, 2, 2, "snapshot"),
        (4, 2, 2, "delta"),
        (4, 1, 2, "delta"),
    ]
    times = [r.time for r in revisions]
    assert times == sorted(times) and all(t.tzinfo is UTC for t in times)
    assert all(datetime(2026, 11, 25, 14, 0, tzinfo=UTC) < t < datetime(2026, 11, 25, 14, 1, tzinfo=UTC)
               for t in times)
    assert revisions.lost_version is None
    hist = revisions.to_frame()  # the same as a pandas table
    assert list(hist.columns) == [
        "version",
        "time",
        "author",
        "session",
        "message",
        "elements",
        "links",
        "comments",
        "stored",
    ]
    assert hist["version"].tolist() == [1, 2, 3]
    assert hist["author"].tolist() == ["Dr Rivera", "Dr Ng", "Dr Rivera"]
    assert hist["message"].tolist() == ["Start", "A strength", ""]
    assert hist["session"].tolist()[0] == 1 and hist["session"].isna().tolist() == [False, True, False]
    assert hist["elements"].tolist() == [3, 4, 4]
    assert hist["links"].tolist() == [2, 2, 1]
    assert hist["comments"].tolist() == [2, 2, 2]
    assert hist["stored"].tolist() == ["snapshot", "delta", "delta"]
    assert hist["time"].tolist() == [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times]
    assert hist.attrs["lost_version"] is None


def test_restore_appends_a_new_version_with_the_old_content(path: Path) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    f.remove_element("el-0003", cascade=True)
    f.update_meta(title="Changed")
    workbench.save(f, path, message="Two", author="A")
    before = path.read_bytes()
    assert workbench.restore(path, 1, author="Supervisor") == 3
    assert path.read_bytes().startswith(before)
    assert workbench.load(path) == workbench.load(path, 1)
    assert workbench.load(path, 2) == f
    last = workbench.history(path)[-1]
    assert (last.author, last.message) == ("Supervisor", "Restored version 1.")
    with pytest.raises(VersionNotFound, match="there is no version 9; the file holds versions 1 to 3"):
        workbench.restore(path, 9, author="A")


def test_load_of_a_missing_version_names_the_range(path: Path) -> None:
    workbench.save(sample(), path, message="One", author="A")
    with pytest.raises(VersionNotFound, match=r"case.formulation.jsonl: there is no version 0; .*1 to 1\."):
        workbench.load(path, 0)


def test_save_needs_an_author_and_a_whole_session_number(path: Path) -> None:
    with pytest.raises(InvalidValue, match="Give an author"):
        workbench.save(sample(), path, message="x", author=" ")
    with pytest.raises(InvalidValue, match="session must be a whole number"):
        workbench.save(sample(), path, message="x", author="A", session=-1)
    assert not path.exists()


def test_saving_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "case.formulation.jsonl"
    with pytest.raises(workbench.errors.FormulationFileError, match=r"the folder .*no such folder does not"):
        workbench.save(sample(), target, message="x", author="A")


# --- conflicts (in one process; see test_concurrent_save.py for two processes) ---------------


def test_second_save_from_the_same_version_is_a_conflict_and_keeps_changes(
    path: Path, tmp_path: Path
) -> None:
    with fixed_clock("2026-11-25T14:01:30"):
        workbench.save(sample(), path, message="One", author="Dr Rivera")
    mine, theirs = workbench.load(path), workbench.load(path)
    theirs.update_element("el-0001", label="Theirs")
    with fixed_clock("2026-11-25T14:02:06"):
        assert workbench.save(theirs, path, message="Theirs", author="Dr Ng") == 2
    mine.update_element("el-0002", label="Mine")
    size = path.stat().st_size
    with pytest.raises(SaveConflict) as caught:
        workbench.save(mine, path, message="Mine", author="Dr Rivera")
    assert str(caught.value) == (
        "Version 2 was saved by Dr Ng at 2026-11-25 14:02 UTC after you opened version 1; "
        "nothing was overwritten. Save your changes under another file name."
    )
    assert (caught.value.other_version, caught.value.other_author) == (2, "Dr Ng")
    assert caught.value.other_time == "2026-11-25T14:02:07Z"
    assert path.stat().st_size == size
    assert mine.modified and mine.element("el-0002").label == "Mine" and mine.base_version == 1
    copy = tmp_path / "mine.formulation.jsonl"
    assert workbench.save(mine, copy, message="Mine, as a copy", author="Dr Rivera") == 1
    assert workbench.load(copy) == mine
    assert mine.file_id != workbench.load(path).file_id


def test_saving_another_formulation_over_an_existing_file_is_refused(path: Path) -> None:
    workbench.save(sample(), path, message="One", author="Dr Rivera")
    other = workbench.new(case_id="C-999")
    with pytest.raises(SaveConflict, match=r"holds another formulation \(version 1 saved by Dr Rivera at "):
        workbench.save(other, path, message="Oops", author="Dr Ng")
    assert len(workbench.history(path)) == 1


# --- storage: snapshots, deltas, reading from the end ------------------------------------------


def test_snapshot_when_deltas_outgrow_it_or_every_k_versions(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    snapshot_bytes = len(lines_of(path)[1])
    f.update_element("el-0001", description="x" * (snapshot_bytes + 10))  # a delta bigger than the snapshot
    workbench.save(f, path, message="Big", author="A")
    every_4 = StorePolicy(snapshot_every=4)
    for i in range(8):
        f.update_element("el-0002", label=f"Small {i}")
        workbench.save(f, path, message="Small", author="A", policy=every_4)
    assert workbench.history(path)["stored"].tolist() == (
        ["snapshot", "snapshot"] + ["delta"] * 3 + ["snapshot"] + ["delta"] * 3 + ["snapshot"]
    )
    revisions = [json.loads(line)["revision"]["stored"] for line in lines_of(path)[1:]]
    assert [r["base"] for r in revisions] == [1, 2, 2, 2, 2, 6, 6, 6, 6, 10]


def test_load_of_the_newest_version_reads_only_the_tail(path: Path) -> None:
    f = sample()
    for i in range(7):
        f.update_element("el-0001", label=f"Label {i}")
        workbench.save(f, path, message=f"v{i + 1}", author="A", policy=StorePolicy(snapshot_every=3))
    lines = lines_of(path)
    lines[2] = lines[2].replace(b'"author":"A"', b'"author":7')  # break version 2, before the last snapshot
    path.write_bytes(reseal(b"\n".join(lines) + b"\n"))
    store.CACHE.clear()
    assert workbench.load(path) == f  # versions 7 (snapshot) read from the end, version 2 never parsed
    with pytest.raises(
        FileContentError, match=r"line 3 \(version 2\), revision, field 'author': 7 should be text"
    ):
        workbench.load(path, 3)
    with pytest.raises(FileContentError, match=r"line 3 \(version 2\), revision, field 'author'"):
        workbench.validate(path)


def test_history_does_not_decode_snapshot_bodies(path: Path) -> None:
    workbench.save(sample(), path, message="One", author="A")
    line = lines_of(path)[1]
    broken = line.replace(b'"elements":[', b'"elements":[nonsense', 1)  # inside the snapshot only
    path.write_bytes(reseal(lines_of(path)[0] + b"\n" + broken + b"\n"))
    assert workbench.history(path)["message"].tolist() == ["One"]
    with pytest.raises(workbench.errors.NotJSONError, match=r"line 2 \(version 1\): the line is not JSON"):
        workbench.load(path)


def test_validate_checks_every_delta_even_those_load_skips(path: Path) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    f.update_element("el-0001", label="Two")
    workbench.save(f, path, message="Two", author="A")
    f.update_element("el-0001", description="y" * 3000)
    workbench.save(f, path, message="Three (a snapshot)", author="A")
    workbench.validate(path)
    lines = lines_of(path)
    assert b'"snapshot":' in lines[3]
    lines[2] = lines[2].replace(b'["Father often absent","Two"]', b'["Somebody else","Two"]')
    path.write_bytes(reseal(b"\n".join(lines) + b"\n"))
    store.CACHE.clear()
    assert workbench.load(path) == f  # the newest version is a snapshot: the bad delta is not needed
    with pytest.raises(
        FileContentError,
        match=r"line 3 \(version 2\), element 'el-0001': field 'label' is "
        r"changed from 'Somebody else' but was 'Father often absent'",
    ):
        workbench.validate(path)


# --- determinism --------------------------------------------------------------------------------


def test_lines_are_deterministic_sorted_compact_utf8(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "new_file_id", lambda: "0" * 32)
    files = []
    for name in ("a", "b"):
        with fixed_clock():
            f = sample()
            f.add_element("strength", "Grand-mère ✓ “support”", id="el-0005")
            p = tmp_path / f"{name}.formulation.jsonl"
            workbench.save(f, p, message="Même contenu", author="Dr Ü")
            f.update_element("el-0005", label="Changed")
            workbench.save(f, p, message="Two", author="Dr Ü")
        files.append(p.read_bytes())
    assert files[0] == files[1]  # same content, same clock, same id: same bytes
    data = files[0]
    assert data.endswith(b"\n") and b"\r" not in data.replace(b"\\r", b"")
    assert "Grand-mère ✓".encode() in data  # UTF-8 as is, not \u escapes
    for raw in data.split(b"\n")[:-1]:
        assert raw == writer.dumps(json.loads(raw))  # sorted keys, compact separators


def test_same_content_gives_the_same_snapshot_bytes() -> None:
    f = sample()
    assert writer.dumps(v1.snapshot_to_json(f)) == writer.dumps(v1.snapshot_to_json(f.copy()))


# --- interrupted saves ----------------------------------------------------------------------------


def test_a_torn_last_line_is_ignored_reported_and_cut_by_the_next_save(path: Path) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    f.update_element("el-0001", label="Two")
    workbench.save(f, path, message="Two", author="A")
    good = path.read_bytes()
    f.update_element("el-0001", label="Three")
    workbench.save(f, path, message="Three", author="A")
    third = path.read_bytes()[len(good) :]
    path.write_bytes(good + third[: len(third) // 2])  # a crash in the middle of writing version 3
    store.CACHE.clear()
    with pytest.warns(
        IncompleteSaveWarning,
        match=r"the save of version 3 was interrupted and is lost; "
        r"versions 1 to 2 are intact",
    ) as caught:
        g = workbench.load(path)
    assert caught[0].message.lost_version == 3  # type: ignore[union-attr]
    assert g.base_version == 2 and g.element("el-0001").label == "Two"
    with pytest.warns(IncompleteSaveWarning):
        revisions = workbench.history(path)
    assert revisions.lost_version == revisions.to_frame().attrs["lost_version"] == 3
    assert revisions.versions() == [1, 2]
    g.update_element("el-0001", label="Three again")
    assert workbench.save(g, path, message="Three again", author="A") == 3
    data = path.read_bytes()
    assert data.startswith(good) and data.count(b"\n") == 4
    workbench.validate(path)
    assert workbench.load(path) == g


# --- the golden files of formats 1 and 2 -----------------------------------------------------------


def write_golden(p: Path, monkeypatch: pytest.MonkeyPatch) -> list[workbench.Formulation]:
    """Write the golden file's content (fixed clock and ids) to ``p``; return each version."""
    monkeypatch.setattr(writer, "new_file_id", lambda: "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
    versions = []
    with fixed_clock("2026-11-25T09:00:00"):
        f = sample()
        workbench.save(f, p, message="First formulation after the assessment", author="Dr Rivera", session=1)
        versions.append(f.copy())
        f.add_element("present_symptom", "Insomnie et « vide » intérieur", id="el-0004", time_frame="present")
        f.add_link("el-0002", "el-0004", "expressed_as", id="ln-0003", confidence=0.5)
        workbench.save(f, p, message="Symptom linked", author="Dr Rivera", session=2)
        versions.append(f.copy())
        f.update_element(
            "el-0001",
            confidence="very high",
            evidence=[
                {"session": 1, "date": "2026-01-05", "quote": "He never came to my games."},
                {"session": 3, "note": "Repeated with her partner."},
            ],
        )
        f.update_meta(title="Teaching case (revised)", fictional=True)
        f.resolve_comment("cm-0001")
        workbench.save(f, p, message="Supervision notes", author="Dr Ng", session=3)
        versions.append(f.copy())
        f.remove_element("el-0003", cascade=True)
        workbench.save(f, p, message="Defense discarded", author="Dr Rivera")
        versions.append(f.copy())
        for el in f.element_records():
            f.update_element(
                el.id, notes="A longer note that makes this delta bigger than the snapshot. " * 8
            )
        workbench.save(f, p, message="Notes everywhere", author="Dr Rivera", session=4)
        versions.append(f.copy())
        workbench.restore(p, 2, author="Dr Ng", message="Back to version 2")
        versions.append(versions[1])
    return versions


def test_golden_file_of_format_1_loads_to_the_expected_formulations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert GOLDEN.exists(), "tests/data/golden/format-1.formulation.jsonl is missing"
    expected = write_golden(tmp_path / "fresh.formulation.jsonl", monkeypatch)
    workbench.validate(GOLDEN)
    assert workbench.history(GOLDEN)["stored"].tolist() == [
        "snapshot",
        "delta",
        "delta",
        "delta",
        "snapshot",
        "delta",
    ]
    for version, want in enumerate(expected, start=1):
        got = workbench.load(GOLDEN, version)
        assert got == want, version
        same_fields(got, want, order=version != 6)  # a restore appends re-added records at the end
    v3 = workbench.load(GOLDEN, 3)
    assert v3.meta.title == "Teaching case (revised)" and v3.meta.fictional
    assert v3.element("el-0001").confidence == 0.9
    assert v3.element("el-0001").evidence[1].note == "Repeated with her partner."
    assert v3.element("el-0004").label == "Insomnie et « vide » intérieur"
    assert v3.link("ln-0002").notes == 'line one\nline two\r\n"quoted"\t\\back'
    assert v3.comment("cm-0001").resolved
    assert workbench.load(GOLDEN).file_id == "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"


def test_writing_the_golden_content_again_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh.formulation.jsonl"
    write_golden(fresh, monkeypatch)
    assert fresh.read_bytes() == GOLDEN_2.read_bytes()


def test_golden_format_2_is_format_1_with_a_documented_checksum_on_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, old = GOLDEN_2.read_bytes().split(b"\n"), GOLDEN.read_bytes().split(b"\n")
    file_id = b"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
    assert len(new) == len(old)
    for line_2, line_1 in zip(new[:-1], old[:-1], strict=True):
        match = re.fullmatch(rb'\{"check":"([0-9a-f]{32})",(.*)', line_2)
        assert match, line_2[:60]
        content = b"{" + match.group(2)
        assert content.replace(b'"format_version":2', b'"format_version":1') == line_1
        # the check as docs/file-format.md states it: SHA-256 of file id, newline, line without its check
        assert match.group(1) == hashlib.sha256(file_id + b"\n" + content).hexdigest()[:32].encode()
    expected = write_golden(tmp_path / "fresh.formulation.jsonl", monkeypatch)
    workbench.validate(GOLDEN_2)
    for version, want in enumerate(expected, start=1):
        assert workbench.load(GOLDEN_2, version) == want


# --- schema and migrations ---------------------------------------------------------------------------


def test_the_schema_ships_in_the_package_and_is_valid() -> None:
    for schema in (v1.schema(), v2.schema()):
        Draft202012Validator.check_schema(schema)
        assert {"header", "revision_line", "snapshot", "delta", "element", "link", "comment"} <= set(
            schema["$defs"]
        )
    assert v2.schema()["$defs"]["header"]["properties"]["format_version"] == {"const": 2}
    assert "check" in v2.schema()["$defs"]["revision_line"]["properties"]


def test_migrations_run_one_step_at_a_time_and_record_the_original_format(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two fake steps (in place of the real one) check the chaining machinery.
    calls = []

    def upgrade_from_1(line: dict, kind: str) -> dict:
        calls.append((1, kind))
        return {**line, "format_version": 2} if kind == "header" else {**line, "step1": True}

    def upgrade_from_2(line: dict, kind: str) -> dict:
        calls.append((2, kind))
        assert kind == "header" or line["step1"]  # sees the output of the step before
        return {**line, "format_version": 3} if kind == "header" else {**line, "step2": True}

    monkeypatch.setattr(migrate, "MIGRATIONS", {})
    migrate.register(1, upgrade_from_1)
    migrate.register(2, upgrade_from_2)
    header = migrate.upgrade({"format": "formulation-workbench", "format_version": 1}, "header", 1, 3)
    assert header == {"format": "formulation-workbench", "format_version": 3, "original_format_version": 1}
    assert migrate.upgrade({"revision": {}}, "revision", 1, 3) == {
        "revision": {},
        "step1": True,
        "step2": True,
    }
    assert calls == [(1, "header"), (2, "header"), (1, "revision"), (2, "revision")]
    assert migrate.upgrade({"format_version": 3}, "header", 3, 3) == {"format_version": 3}

    migrate.register(1, lambda line, kind: line)  # a step that forgets to move the version
    with pytest.raises(RuntimeError, match="did not set format 2"):
        migrate.upgrade({"format_version": 1}, "header", 1, 3)
    monkeypatch.setattr(migrate, "MIGRATIONS", {})
    with pytest.raises(Problem, match="files of format 1 cannot be read"):
        migrate.upgrade({"format_version": 1}, "header", 1, 2)


def test_format_1_moves_to_format_2_in_one_step() -> None:
    assert migrate.CURRENT_FORMAT == 2
    assert set(migrate.MIGRATIONS) == {1}
    header = {"format": "formulation-workbench", "format_version": 1, "file_id": "f" * 32}
    moved = migrate.upgrade(dict(header), "header", 1)
    assert moved == {**header, "format_version": 2, "original_format_version": 1}
    line = {"revision": {"version": 1}, "snapshot": {}}
    assert migrate.upgrade(dict(line), "revision", 1) == line  # records are stored alike; no checksum
