"""Files that survive editors and hostile values: read strictly, write only what reads back.

Each test is one case of issues 8 (defect 3) and 14 (defects 2, 3, 4, 5 and 9):
hostile values and sizes are refused in one line that names the place; the
newest version is never taken from a tail that does not fit; what editors
commonly do to a text file is accepted without losing a version; ``workbench
repair`` keeps every intact version; a checksum on every line reports a
changed byte instead of showing it as the clinician's words.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import sample

import workbench
from workbench.cli import main
from workbench.errors import (
    FileContentError,
    FormulationFileError,
    IncompleteSaveWarning,
    WorkbenchError,
)
from workbench.fileformat import StorePolicy, reader, store, writer
from workbench.fileformat.store import DEFAULT_POLICY
from workbench.session import EditSession

GOLDEN_1 = Path(__file__).parent / "data" / "golden" / "format-1.formulation.jsonl"


# --- building files ------------------------------------------------------------------------------


def saved_versions(
    p: Path, count: int = 3, policy: StorePolicy = DEFAULT_POLICY
) -> list[workbench.Formulation]:
    """Save ``count`` versions of the sample case (snapshots and deltas as ``policy`` says); return each."""
    f = sample()
    versions = []
    for number in range(1, count + 1):
        if number > 1:
            f.update_element("el-0001", label=f"Father often absent ({number})")
        workbench.save(f, p, message=f"Version {number}", author="Dr Rivera", session=number, policy=policy)
        versions.append(f.copy())
    store.CACHE.clear()
    return versions


def read_lines(p: Path) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in p.read_bytes().split(b"\n") if raw.strip()]


def sealed(content: bytes, file_id: str) -> bytes:
    """A line as the workbench writes it: the content with its checksum."""
    return writer.seal(content, file_id)


def write_lines(p: Path, lines: list[dict[str, Any]], replace: tuple[bytes, bytes] | None = None) -> None:
    """Write line objects as a file would hold them (NaN and escapes allowed), checksums made anew."""
    file_id = lines[0]["file_id"]
    out = []
    for line in lines:
        body = {k: v for k, v in line.items() if k != "check"}
        content = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=True).encode()
        if replace is not None:
            content = content.replace(*replace)
        out.append(sealed(content, file_id) + b"\n")
    p.write_bytes(b"".join(out))
    store.CACHE.clear()


def refused(
    p: Path, *fragments: str, capsys: pytest.CaptureFixture[str] | None = None, log: bool = True
) -> str:
    """Assert that load, validate (and history, with ``log``) refuse ``p`` in one line holding ``fragments``.

    History lists the versions without reading the records inside snapshots,
    so only problems of a line as a whole or of its revision concern it.
    """
    texts = []
    for action in (workbench.load, workbench.validate, *([workbench.history] if log else [])):
        with pytest.raises(FormulationFileError) as caught:
            action(p)
        text = str(caught.value)
        assert text.startswith(str(p)), text
        assert "\n" not in text and len(text) < 400, text
        for fragment in fragments:
            assert fragment in text, f"{action.__name__}: {fragment!r} not in {text!r}"
        texts.append(text)
    if capsys is not None:
        capsys.readouterr()
        assert main(["show", str(p)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "internal error" not in err, err
    return texts[1]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "case.formulation.json"


# --- issue 8, defect 3: structures, numbers and lines too big to read -----------------------------


def test_deeply_nested_json_is_refused_in_one_line(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved_versions(path)
    lines = read_lines(path)
    lines[2]["revision"]["session"] = "DEEP"
    write_lines(path, lines, replace=(b'"DEEP"', b"[" * 100_000 + b"]" * 100_000))
    refused(path, "line 3 (version 2)", "nested", capsys=capsys)


def test_moderately_deep_values_in_a_delta_are_refused_too(path: Path) -> None:
    saved_versions(path)
    lines = read_lines(path)
    lines[2]["delta"]["elements"]["changed"][0]["fields"]["label"][1] = "DEEP"
    write_lines(path, lines, replace=(b'"DEEP"', b"[" * 500 + b"]" * 500))
    refused(path, "line 3 (version 2)", "nested")


def test_a_session_number_of_31_digits_is_refused(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved_versions(path)
    lines = read_lines(path)
    lines[2]["revision"]["session"] = 10**30
    write_lines(path, lines)
    refused(path, "line 3 (version 2)", "31 digits", capsys=capsys)


def test_a_version_number_of_5000_digits_is_refused(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved_versions(path)
    lines = read_lines(path)
    write_lines(path, lines, replace=(b'"version":3', b'"version":' + b"9" * 5000))
    refused(path, "line 4", "5000 digits", capsys=capsys)


def test_a_number_too_large_for_a_float_is_refused(path: Path) -> None:
    saved_versions(path)
    lines = read_lines(path)
    write_lines(path, lines, replace=(b'"weight":0.8', b'"weight":1e999'))
    refused(path, "line 2 (version 1)", "too large", log=False)


def test_an_over_long_header_without_newline_is_refused_quickly(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 1 << 20)
    path.write_bytes(b'{"format":"' + b"x" * (3 << 20))
    refused(path, "line 1", "longer than 1 MB", capsys=capsys)


@pytest.mark.parametrize(
    ("versions", "index", "line"), [(4, 2, "line 3"), (3, 3, "line 4")], ids=["inside", "last"]
)
def test_an_over_long_line_is_refused(
    path: Path, monkeypatch: pytest.MonkeyPatch, versions: int, index: int, line: str
) -> None:
    saved_versions(path, versions)
    lines = read_lines(path)
    lines[index]["delta"]["elements"]["changed"][0]["fields"]["label"][1] = "x" * (2 << 20)
    write_lines(path, lines)
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 1 << 20)
    refused(path, line, "longer than 1 MB")


def test_a_version_too_large_to_read_back_is_not_saved(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_versions(path, 1)
    before = path.read_bytes()
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 1 << 20)
    f = workbench.load(path)
    f.update_element("el-0001", description="x" * (2 << 20))
    with pytest.raises(FormulationFileError, match="larger than 1 MB"):
        workbench.save(f, path, message="Huge", author="A")
    assert path.read_bytes() == before


# --- issue 14, defect 2: the tail is checked before it is trusted ----------------------------------


def never_saved_on(p: Path, base_version: int) -> None:
    """Assert that a save based on ``base_version`` of ``p`` is refused and writes nothing."""
    f = sample()
    f.base_version, f.file_id = base_version, read_lines(p)[0]["file_id"]
    before = p.read_bytes()
    with pytest.raises(FormulationFileError):
        workbench.save(f, p, message="x", author="A")
    assert p.read_bytes() == before


def test_an_old_line_appended_at_the_end_is_not_taken_as_the_newest(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_versions(path, 5)
    data = path.read_bytes()
    path.write_bytes(data + data.split(b"\n")[1] + b"\n")  # version 1's line again at the end
    store.CACHE.clear()
    message = refused(path, capsys=capsys)
    assert "line 7" in message and "version 1" in message
    with pytest.raises(FormulationFileError) as caught:
        workbench.load(path)
    assert str(caught.value) == message  # load says what validate says
    never_saved_on(path, 1)  # what load took as the newest before


def test_a_file_concatenated_twice_is_refused_and_never_saved_on(path: Path) -> None:
    saved_versions(path, 5)
    path.write_bytes(path.read_bytes() * 2)
    store.CACHE.clear()
    message = refused(path)
    assert "line 7" in message
    never_saved_on(path, 5)


def test_a_version_line_dropped_from_the_middle_is_refused_by_load(path: Path) -> None:
    saved_versions(path, 5)
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:2] + lines[3:]))
    store.CACHE.clear()
    refused(path, "line 3", "version 3 where version 2 belongs")


# --- issue 14, defect 3: what editors commonly do ---------------------------------------------------


def _accepted_and_saved_on(p: Path, expected: list[workbench.Formulation]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        workbench.validate(p)
        assert len(workbench.history(p)) == len(expected)
        for version, want in enumerate(expected, start=1):
            assert workbench.load(p, version) == want
        f = workbench.load(p)
        assert f.base_version == len(expected)
        f.update_element("el-0002", label="Fear of being left alone")
        assert workbench.save(f, p, message="After the editor", author="A") == len(expected) + 1
        store.CACHE.clear()
        workbench.validate(p)
        assert workbench.load(p) == f
        for version, want in enumerate(expected, start=1):
            assert workbench.load(p, version) == want


@pytest.mark.parametrize("tail", [b"\n", b"\n\n", b"\n  \n\t\n", b"  "])
def test_blank_lines_at_the_end_are_accepted(path: Path, tail: bytes) -> None:
    versions = saved_versions(path)
    path.write_bytes(path.read_bytes() + tail)
    _accepted_and_saved_on(path, versions)
    assert b"\n\n" not in path.read_bytes()


def test_a_utf8_byte_order_mark_is_accepted(path: Path) -> None:
    versions = saved_versions(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _accepted_and_saved_on(path, versions)


@pytest.mark.parametrize("end", [b"\r\n", b" \t\n"], ids=["windows line ends", "spaces at line ends"])
def test_windows_line_ends_and_trailing_spaces_are_accepted(path: Path, end: bytes) -> None:
    versions = saved_versions(path)
    path.write_bytes(path.read_bytes().replace(b"\n", end))
    _accepted_and_saved_on(path, versions)


def test_a_complete_last_line_without_its_newline_is_a_version_never_dropped(path: Path) -> None:
    versions = saved_versions(path)
    path.write_bytes(path.read_bytes()[:-1])
    _accepted_and_saved_on(path, versions)
    assert len(read_lines(path)) == 5  # header, versions 1 to 3 and the new one


def test_a_torn_line_that_gained_a_newline_is_an_interrupted_save(path: Path) -> None:
    versions = saved_versions(path, 4)
    data = path.read_bytes()
    last = data[: -1].rfind(b"\n") + 1
    path.write_bytes(data[: last + (len(data) - last) // 2] + b"\n")  # torn, then an editor's newline
    with pytest.warns(IncompleteSaveWarning, match="the save of version 4 was interrupted"):
        f = workbench.load(path)
    assert f == versions[2] and f.base_version == 3
    f.update_element("el-0002", label="Saved after the torn line")
    assert workbench.save(f, path, message="Four again", author="A") == 4  # cuts the torn line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        workbench.validate(path)
        assert workbench.load(path) == f


# --- issue 14, defect 3: workbench repair ------------------------------------------------------------


def _damaged(path: Path) -> list[workbench.Formulation]:
    """Five versions (snapshots 1, 3, 5); version 2's line damaged, a blank line inside, a torn tail."""
    versions = saved_versions(path, 6, StorePolicy(snapshot_every=2))
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"(2)", b"(7)")  # a changed byte: version 2 is damaged
    lines.insert(4, b"")  # a blank line after version 3
    torn = lines[7]
    lines[7] = torn[: len(torn) // 2]  # version 6 torn
    path.write_bytes(b"\n".join(lines[:8]))
    store.CACHE.clear()
    return versions


def test_repair_keeps_every_intact_version_and_says_what_it_set_aside(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = _damaged(path)
    original = path.read_bytes()
    with pytest.raises(FileContentError, match="checksum"):
        workbench.validate(path)
    capsys.readouterr()
    assert main(["repair", str(path)]) == 0
    out = capsys.readouterr().out
    assert "line 3 (version 2)" in out and "checksum" in out
    assert "blank" in out and "interrupted" in out
    backups = list(path.parent.glob(path.name + ".*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        workbench.validate(path)
        history = workbench.history(path)
    kept = [versions[0], versions[2], versions[3], versions[4]]  # versions 1, 3, 4, 5
    assert len(history) == len(kept)
    assert history["message"].tolist() == ["Version 1", "Version 3", "Version 4", "Version 5"]
    for version, want in enumerate(kept, start=1):
        assert workbench.load(path, version) == want
    f = workbench.load(path)
    f.update_element("el-0002", label="After the repair")
    assert workbench.save(f, path, message="Go on", author="A") == 5


def test_repair_of_a_sound_file_changes_nothing(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved_versions(path)
    before = path.read_bytes()
    assert main(["repair", str(path)]) == 0
    assert "nothing to repair" in capsys.readouterr().out
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.bak"))


def test_repair_of_a_file_that_cannot_be_read_is_one_line(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path.write_bytes(b"not a formulation\n")
    assert main(["repair", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert path.read_bytes() == b"not a formulation\n"


# --- issue 14, defect 4: the reader applies the model's rules ---------------------------------------


def _element(lines: list[dict[str, Any]], index: int = 0) -> dict[str, Any]:
    element: dict[str, Any] = lines[1]["snapshot"]["elements"][index]
    return element


MODEL_RULES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "NaN confidence": (
        lambda ls: _element(ls).update(confidence=float("nan")),
        ("line 2 (version 1)", "NaN"),
    ),
    "NaN weight": (
        lambda ls: ls[1]["snapshot"]["links"][0].update(weight=float("nan")),
        ("line 2 (version 1)", "NaN"),
    ),
    "infinite weight": (
        lambda ls: ls[1]["snapshot"]["links"][0].update(weight=float("inf")),
        ("line 2 (version 1)", "Infinity"),
    ),
    "lone surrogate": (
        lambda ls: _element(ls, 1).update(label="Fear \ud800 of being left"),
        ("line 2 (version 1)", "not valid text"),
    ),
    "blank label": (
        lambda ls: _element(ls, 1).update(label="   "),
        ("line 2 (version 1)", "element 'el-0002', field 'label'", "blank"),
    ),
    "blank label in a delta": (
        lambda ls: ls[3]["delta"]["elements"]["changed"][0]["fields"]["label"].__setitem__(1, " "),
        ("line 4 (version 3)", "element 'el-0001', field 'label'", "blank"),
    ),
    "blank case id": (
        lambda ls: ls[1]["snapshot"]["meta"].update(case_id=" \t"),
        ("line 2 (version 1)", "case details, field 'case_id'", "blank"),
    ),
    "comment on a missing target": (
        lambda ls: ls[1]["snapshot"]["comments"][0].update(target="el-9999"),
        ("line 2 (version 1)", "comment 'cm-0001'", "'el-9999'"),
    ),
    "impossible date": (
        lambda ls: _element(ls)["evidence"][0].update(date="2026-99-99"),
        ("line 2 (version 1)", "element 'el-0001'", "2026-99-99"),
    ),
    "revision time that is not a time stamp": (
        lambda ls: ls[2]["revision"].update(time="yesterday"),
        ("line 3 (version 2)", "revision, field 'time'", "time stamp"),
    ),
    "record stamp that is not a time stamp": (
        lambda ls: _element(ls).update(created="2026-13-45T99:00:00Z"),
        ("line 2 (version 1)", "element 'el-0001'", "time stamp"),
    ),
    "comment time that is not a time stamp": (
        lambda ls: ls[1]["snapshot"]["comments"][0].update(time="soon"),
        ("line 2 (version 1)", "comment 'cm-0001', field 'time'", "time stamp"),
    ),
    "evidence session of 10^30": (
        lambda ls: _element(ls)["evidence"][0].update(session=10**30),
        ("line 2 (version 1)", "31 digits"),
    ),
}


@pytest.mark.parametrize("case", sorted(MODEL_RULES))
def test_values_the_model_refuses_are_refused_by_the_reader(
    path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_versions(path)
    change, fragments = MODEL_RULES[case]
    lines = read_lines(path)
    change(lines)
    write_lines(path, lines)
    refused(path, *fragments, capsys=capsys, log="revision" in case)


def test_a_session_number_too_large_to_read_back_is_not_saved(path: Path) -> None:
    saved_versions(path, 1)
    before = path.read_bytes()
    f = workbench.load(path)
    with pytest.raises(WorkbenchError, match="session"):
        workbench.save(f, path, message="x", author="A", session=10**30)
    assert path.read_bytes() == before


def test_text_that_cannot_be_written_is_a_workbench_error_from_save_and_the_session(path: Path) -> None:
    saved_versions(path, 1)
    before = path.read_bytes()
    f = workbench.load(path)
    f.update_element("el-0001", label="Father \ud800 absent")
    with pytest.raises(WorkbenchError, match="not valid text"):
        workbench.save(f, path, message="x", author="A")
    session = EditSession.open_file(path)
    session.formulation.update_element("el-0001", description="broken \udfff text")
    with pytest.raises(WorkbenchError, match="not valid text"):
        session.save("x", "A")
    assert path.read_bytes() == before


# --- issue 14, defect 9: a checksum on every line ----------------------------------------------------


def test_a_changed_byte_inside_a_quote_is_reported_not_shown(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_versions(path)
    data = path.read_bytes()
    assert data.count(b"never came") == 1
    path.write_bytes(data.replace(b"never came", b"often came"))  # still valid JSON
    refused(path, "line 2 (version 1)", "checksum", capsys=capsys)


def test_a_changed_byte_in_the_header_is_reported(path: Path) -> None:
    saved_versions(path)
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"created":"2026', b'"created":"2027', 1))
    refused(path, "line 1", "checksum")


def test_a_line_moved_from_another_file_fails_its_checksum(path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.formulation.json"
    saved_versions(path)
    saved_versions(other)
    mine, theirs = path.read_bytes().split(b"\n"), other.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(mine[:3] + theirs[3:]))
    store.CACHE.clear()
    refused(path, "line 4 (version 3)", "checksum")


def test_every_line_written_carries_a_checksum_that_verifies(path: Path) -> None:
    saved_versions(path)
    raw = path.read_bytes().split(b"\n")[:-1]
    file_id = json.loads(raw[0])["file_id"]
    for line in raw:
        assert line.startswith(b'{"check":"')
        check, content = reader.unseal(line)
        assert check is not None and writer.seal(content, file_id) == line


def test_an_old_format_1_file_loads_validates_and_accepts_saves(tmp_path: Path) -> None:
    p = tmp_path / "old.formulation.jsonl"
    p.write_bytes(GOLDEN_1.read_bytes())
    original = p.read_bytes()
    workbench.validate(p)
    old = [workbench.load(p, v) for v in range(1, 7)]
    f = workbench.load(p)
    f.update_element("el-0001", label="Saved by the new workbench")
    assert workbench.save(f, p, message="New", author="A") == 7
    store.CACHE.clear()
    assert p.read_bytes().startswith(original)
    workbench.validate(p)
    assert [workbench.load(p, v) for v in range(1, 7)] == old
    assert workbench.load(p) == f
    assert json.loads(p.read_bytes().split(b"\n")[0])["format_version"] == 1  # readable by older versions


def test_a_comment_time_that_would_not_read_back_is_refused_by_the_model() -> None:
    f = sample()
    with pytest.raises(workbench.errors.InvalidValue, match="time stamp like"):
        f.add_comment("Fine", author="Supervisor", time="soon")
    assert f.add_comment("Fine", author="Supervisor", time="2026-11-25T19:10:46Z")


def test_a_blank_line_inside_the_file_is_named(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved_versions(path)
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*lines[:2], b"", *lines[2:]]))
    store.CACHE.clear()
    refused(path, "line 3", "blank", capsys=capsys)


def test_repair_json_lists_what_was_kept_and_set_aside(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _damaged(path)
    capsys.readouterr()
    assert main(["repair", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] and Path(report["backup"]).exists()
    assert report["kept"] == [
        {"version": 1, "now": 1},
        {"version": 3, "now": 2},
        {"version": 4, "now": 3},
        {"version": 5, "now": 4},
    ]
    assert [(s["line"], s["version"]) for s in report["set_aside"]] == [(3, 2), (5, None), (8, None)]


def test_repair_rewrites_an_old_format_1_file_with_checksums(tmp_path: Path) -> None:
    p = tmp_path / "old.formulation.jsonl"
    p.write_bytes(GOLDEN_1.read_bytes())
    before = [workbench.load(p, v) for v in range(1, 7)]
    report = workbench.fileformat.repair(p)
    assert report.changed and not report.set_aside and not report.renumbered
    assert report.backup is not None and report.backup.read_bytes() == GOLDEN_1.read_bytes()
    assert all(line.startswith(b'{"check":"') for line in p.read_bytes().split(b"\n")[:-1])
    workbench.validate(p)
    assert [workbench.load(p, v) for v in range(1, 7)] == before


def test_every_cut_of_a_line_is_torn_and_a_damaged_end_is_not(path: Path) -> None:
    f = sample()  # true, false, null, escapes, non-ASCII text
    workbench.save(f, path, message="One", author="A")
    f.update_link("ln-0001", weight=-1.5e-7, description='a "quoted" \\ path\n ✓')
    workbench.save(f, path, message="Two", author="A")
    raw = path.read_bytes().split(b"\n")[:-1]
    file_id = read_lines(path)[0]["file_id"]
    unsealed = [reader.unseal(line)[1] for line in raw[1:]]  # as format 1 writes them
    assert b"e-07" in raw[2] and b"\\u" not in raw[2]
    for line in [*raw[1:], *unsealed]:
        for cut in range(1, len(line)):
            assert reader.cut_short(line[:cut], file_id), line[:cut][-30:]
        assert not reader.cut_short(line, file_id)
        assert not reader.cut_short(line[:-1] + b"x", file_id)  # a damaged last byte is not a torn line
