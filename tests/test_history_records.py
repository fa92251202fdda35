"""Typed history (issue 9.5) and the explicit store policy (issue 9.6).

``history()`` returns revision records whose ``to_frame()`` is the table it returned
before; one helper makes table values plain and one module formats UTC times; the
snapshot policy and the cache of the newest version are objects, not patched globals.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fileformat_helpers import fixed_clock, reseal, sample, three_versions

import workbench
from workbench import _clock
from workbench._values import plain, text_or_none
from workbench.errors import FileContentError, IncompleteSaveWarning, InvalidValue
from workbench.fileformat import CACHE, Revision, Revisions, StorePolicy, VersionCache, store
from workbench.fileformat.revisions import COLUMNS


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "case.formulation.json"


def frame_as_before(path: Path) -> pd.DataFrame:
    """The table ``history()`` returned before it returned records (built from the file's own lines)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        data = json.loads(line)
        revision = data["revision"]
        stored = "snapshot" if "snapshot" in data else "delta"
        rows.append({**{k: revision[k] for k in COLUMNS[:-1]}, "stored": stored})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["session"] = frame["session"].astype("Int64")
    frame.attrs["lost_version"] = None
    return frame


# --- the records ---------------------------------------------------------------------------------


def test_history_returns_frozen_records_with_aware_utc_times(path: Path) -> None:
    three_versions(path)
    revisions = workbench.history(path)
    assert isinstance(revisions, Revisions) and len(revisions) == 3
    first = revisions[0]
    assert isinstance(first, Revision)
    assert (first.version, first.author, first.session, first.message) == (1, "Dr Rivera", 1, "Start")
    assert first.time.tzinfo is UTC and first.time.utcoffset() == timedelta(0)
    assert first.stamp == first.time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert revisions[1].session is None  # no session: None, not NaN or pd.NA
    with pytest.raises(FrozenInstanceError):
        first.author = "Someone else"  # type: ignore[misc]
    assert revisions.versions() == [1, 2, 3]
    assert revisions.get(2) is revisions[1] and revisions.get(4) is None and revisions.get(0) is None
    assert isinstance(revisions[1:], Revisions) and revisions[1:].versions() == [2, 3]
    assert workbench.history(path) == revisions  # records compare by value


def test_to_frame_is_exactly_the_table_history_returned_before(path: Path) -> None:
    three_versions(path)
    revisions = workbench.history(path)
    frame = revisions.to_frame()
    pd.testing.assert_frame_equal(frame, frame_as_before(path))
    assert frame.attrs == {"lost_version": None}
    assert str(frame["session"].dtype) == "Int64" and frame["session"].isna().tolist() == [False, True, False]
    # a name as an index is kept for code written for the table
    assert revisions["version"].tolist() == [1, 2, 3]
    pd.testing.assert_series_equal(revisions["author"], frame["author"])
    with pytest.raises(KeyError, match="'nonsense' is not a field of a revision"):
        revisions["nonsense"]


def test_an_empty_history_gives_the_empty_table_with_its_columns() -> None:
    frame = Revisions().to_frame()
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 0
    assert str(frame["session"].dtype) == "Int64"


def test_records_round_trip_through_the_frame(path: Path) -> None:
    three_versions(path)
    revisions = workbench.history(path)
    rows = revisions.to_frame().to_dict("records")
    again = Revisions(
        Revision.from_json({**row, "session": plain(row["session"])}, row["stored"]) for row in rows
    )
    assert again == revisions
    pd.testing.assert_frame_equal(again.to_frame(), revisions.to_frame())  # from records as from the file
    assert [r.to_dict() for r in revisions] == [{**row, "session": plain(row["session"])} for row in rows]


def test_a_torn_last_line_is_named_by_lost_version_in_records_and_frame(path: Path) -> None:
    three_versions(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # the save of version 3 was cut short
    CACHE.clear()
    with pytest.warns(IncompleteSaveWarning):
        revisions = workbench.history(path)
    assert revisions.lost_version == 3 and revisions.versions() == [1, 2]
    assert revisions.to_frame().attrs["lost_version"] == 3


def test_a_version_time_that_is_no_real_moment_is_a_damaged_line(path: Path) -> None:
    three_versions(path)
    lines = path.read_bytes().split(b"\n")
    stamp = json.loads(lines[2])["revision"]["time"].encode()
    lines[2] = lines[2].replace(stamp, b"2026-02-31T14:00:00Z")  # shaped like a stamp, but no such day
    path.write_bytes(reseal(b"\n".join(lines)))
    CACHE.clear()
    with pytest.raises(
        FileContentError, match=r"line 3 \(version 2\), revision: the time '2026-02-31T14:00:00Z' is not"
    ):
        workbench.history(path)
    with pytest.raises(FileContentError, match="is not a real moment"):
        workbench.validate(path)


# --- one helper for missing values, one module for UTC times --------------------------------------


@pytest.mark.parametrize("missing", [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT])
def test_every_kind_of_missing_value_becomes_none(missing: object) -> None:
    assert plain(missing) is None
    assert text_or_none(missing) is None


def test_plain_values_are_python_values() -> None:
    assert plain(np.int64(7)) == 7 and type(plain(np.int64(7))) is int
    assert type(plain(np.float64(0.5))) is float and type(plain(np.bool_(True))) is bool
    assert plain("") == "" and text_or_none("") is None and text_or_none(3) == "3"
    assert plain([1, 2]) == [1, 2]  # not a scalar: unchanged


def test_utc_times_are_parsed_written_and_shown_one_way() -> None:
    when = _clock.parse("2026-11-25T20:40:46+01:30")
    assert when == datetime(2026, 11, 25, 19, 10, 46, tzinfo=UTC) and when.tzinfo is UTC
    assert _clock.parse("2026-11-25T19:10:46") == when  # no zone: the workbench means UTC
    assert _clock.stamp(when) == "2026-11-25T19:10:46Z"
    assert _clock.stamp(when.astimezone(timezone(timedelta(hours=-5)))) == "2026-11-25T19:10:46Z"
    assert _clock.stamp(when.replace(microsecond=120)) == "2026-11-25T19:10:46.000120Z"
    assert _clock.shown(when) == _clock.shown("2026-11-25T19:10:46Z") == "2026-11-25 19:10 UTC"
    assert _clock.shown("2026-11-25T20:40:46+01:30", zone=False) == "2026-11-25 19:10"
    assert _clock.shown("") == "" and _clock.shown("yesterday") == "yesterday"
    assert _clock.compact(when) == "20261125T191046Z"
    now = _clock.now()
    assert now.endswith("Z") and _clock.stamp(_clock.parse(now)) == now


def test_the_conflict_message_shows_the_time_as_the_other_places_do(path: Path) -> None:
    workbench.save(sample(), path, message="One", author="A")
    mine, theirs = workbench.load(path), workbench.load(path)
    workbench.save(theirs, path, message="Theirs", author="Dr Other")
    when = workbench.history(path)[-1].time
    with pytest.raises(workbench.errors.SaveConflict, match=f"by Dr Other at {_clock.shown(when)} after"):
        workbench.save(mine, path, message="Mine", author="Me")


# --- the store policy and the cache ----------------------------------------------------------------


def test_a_policy_chooses_the_snapshots_and_the_file_reads_the_same(path: Path, tmp_path: Path) -> None:
    every_3 = StorePolicy(snapshot_every=3)
    default_path = tmp_path / "default.formulation.json"
    f, g = sample(), sample()
    for i in range(7):
        f.update_element("el-0002", label=f"Small {i}")
        g.update_element("el-0002", label=f"Small {i}")
        workbench.save(f, path, message=f"v{i + 1}", author="A", policy=every_3)
        workbench.save(g, default_path, message=f"v{i + 1}", author="A")
    assert [r.stored for r in workbench.history(path)] == ["snapshot", "delta", "delta"] * 2 + ["snapshot"]
    assert [r.stored for r in workbench.history(default_path)] == ["snapshot"] + ["delta"] * 6
    assert workbench.restore(path, 1, author="B", policy=every_3) == 8
    assert workbench.history(path)[-1].stored == "delta"
    CACHE.clear()
    for version in range(1, 8):
        assert workbench.load(path, version) == workbench.load(default_path, version)
    assert store.DEFAULT_POLICY.snapshot_every == store.SNAPSHOT_EVERY == 200


@pytest.mark.parametrize("every", [0, -1, True, 2.5, "3"])
def test_a_policy_that_makes_no_sense_is_refused_with_a_sentence(every: object) -> None:
    with pytest.raises(InvalidValue, match="A snapshot must be written at least every 1 version"):
        StorePolicy(snapshot_every=every)  # type: ignore[arg-type]


def test_the_cache_is_an_object_to_clear_forget_and_bound(path: Path, tmp_path: Path) -> None:
    CACHE.clear()
    assert len(CACHE) == 0
    f = sample()
    workbench.save(f, path, message="One", author="A")
    assert len(CACHE) == 1
    CACHE.forget(path)
    assert len(CACHE) == 0
    workbench.load(path)
    assert len(CACHE) == 1
    small = VersionCache(size=2)
    for i in range(3):
        other = tmp_path / f"other-{i}.formulation.json"
        workbench.save(sample(), other, message="One", author="A")
        small.remember(other, "id", 1, other.stat().st_size, f)
    assert len(small) == 2  # the oldest entry went
    small.clear()
    assert len(small) == 0


def test_the_cache_is_not_used_once_the_file_changed(path: Path) -> None:
    f = sample()
    workbench.save(f, path, message="One", author="A")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f.update_element("el-0001", label="Two")
        workbench.save(f, path, message="Two", author="A")  # saved onto the cached version 1
    g = workbench.load(path)
    with path.open("rb") as fh:
        opened_size = path.stat().st_size
        assert CACHE.newest(path, g.file_id or "", 2, opened_size, fh) is not None
        assert CACHE.newest(path, g.file_id or "", 1, opened_size, fh) is None  # another version
        assert CACHE.newest(path, g.file_id or "", 2, opened_size - 1, fh) is None  # another size


# --- the callers ------------------------------------------------------------------------------------


def test_the_history_table_shows_records_newest_first_escaped_with_utc_minutes() -> None:
    from workbench.ui.history_panel import history_table_html

    when = datetime(2026, 11, 25, 19, 10, 46, tzinfo=UTC)
    revisions = Revisions([
        Revision(1, when, "<b>Dr X</b>", 2, "Start & go", 1, 0, 0, "snapshot"),
        Revision(2, when + timedelta(days=1), "Dr Y", None, "<script>alert(1)</script>", 1, 0, 0, "delta"),
    ])
    html = history_table_html(revisions)
    assert html.index("<td>2</td>") < html.index("<td>1</td>")  # newest first
    assert "<td>2026-11-25 19:10</td>" in html and "<td>2026-11-26 19:10</td>" in html
    assert "&lt;b&gt;Dr X&lt;/b&gt;" in html and "<script>" not in html and "Start &amp; go" in html
    assert "<td>Dr Y</td><td></td>" in html  # no session: an empty cell, not 'nan' or '<NA>'


def test_step_through_picks_versions_from_records_or_their_frame(path: Path) -> None:
    from workbench.export.stepthrough import pick_versions

    with fixed_clock():
        f = sample()
        for session in (1, 1, 2, None, 3, 3):
            f.update_element("el-0001", label=f"Label {session}")
            workbench.save(f, path, message="v", author="A", session=session)
    revisions = workbench.history(path)
    by_session = [2, 3, 4, 6]
    assert pick_versions(revisions, "session") == pick_versions(revisions.to_frame(), "session") == by_session
    assert pick_versions(revisions, "version") == [1, 2, 3, 4, 5, 6]


def test_log_prints_the_records_and_json_keeps_its_shape(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli import main

    three_versions(path)
    assert main(["log", "--json", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    revisions = workbench.history(path)
    fields = ("version", "author", "session", "message")
    assert rows == [{"time": r.stamp, **{name: getattr(r, name) for name in fields}} for r in revisions]
    assert rows[1]["session"] is None and rows[0]["time"].endswith("Z")


def test_a_step_through_takes_history_records_as_revisions(path: Path) -> None:
    from workbench.export.stepthrough import version_steps

    three_versions(path)
    revisions = workbench.history(path)
    pairs = [(r, workbench.load(path, r.version)) for r in revisions]
    details = [step.detail for step in version_steps(pairs)]
    assert details[0] == f"{_clock.shown(revisions[0].time)} · session 1 · by Dr Rivera"
    assert details[1] == f"{_clock.shown(revisions[1].time)} · by Dr Ng"


def test_a_time_written_with_an_offset_is_read_as_utc_and_the_table_keeps_the_text(path: Path) -> None:
    three_versions(path)
    lines = path.read_bytes().split(b"\n")
    stamp = json.loads(lines[1])["revision"]["time"].encode()
    lines[1] = lines[1].replace(stamp, b"2026-11-25T16:00:01.5+02:00")  # another program's way
    path.write_bytes(reseal(b"\n".join(lines)))
    CACHE.clear()
    first = workbench.history(path)[0]
    assert first.time == datetime(2026, 11, 25, 14, 0, 1, 500000, tzinfo=UTC) and first.time.tzinfo is UTC
    assert first.stamp == "2026-11-25T16:00:01.5+02:00"
    assert workbench.history(path).to_frame()["time"][0] == "2026-11-25T16:00:01.5+02:00"  # as before
    assert first == Revision(1, first.time, first.author, 1, "Start", 3, 2, 2, "snapshot")  # same moment
    assert Revision(1, first.time, "A", None, "", 0, 0, 0, "snapshot").stamp == "2026-11-25T14:00:01.500000Z"
    pd.testing.assert_frame_equal(workbench.history(path).to_frame(), frame_as_before(path))


def test_a_comment_shows_its_time_as_every_other_place_does() -> None:
    from workbench.model import Comment
    from workbench.ui.comments_panel import _comment_html

    html = _comment_html(Comment("cm-1", "Look at <this>", "Dr S", "2026-11-25T19:10:46Z"), "the case")
    assert "Dr S, 2026-11-25 19:10 UTC, on the case" in html and "&lt;this&gt;" in html
    assert "Dr S, , on the case" in _comment_html(Comment("cm-2", "No time", "Dr S"), "the case")
