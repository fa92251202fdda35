"""The one step model (workbench.analysis.steps): frames by layer, session and version, one layout,
and the page and the presenter drawing the same frames."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from workbench import _clock
from workbench.analysis.compare import match, match_with_choices, merged_graph
from workbench.analysis.steps import (
    X_GAP,
    Y_GAP,
    iter_version_frames,
    layer_frames,
    layered_positions,
    pick_versions,
    session_frames,
)
from workbench.diffing import FormulationDiff, RecordChange
from workbench.errors import InvalidValue, SessionError, WorkbenchError
from workbench.export.stepthrough import (
    PAGE_X_GAP,
    PAGE_Y_GAP,
    step_keys_js,
    steps_for,
    stepthrough_html,
    stepthrough_versions_html,
)
from workbench.fileformat import save
from workbench.model import Formulation
from workbench.render.compare_map import merged_vis_data
from workbench.session import EditSession, ViewState, read_case
from workbench.ui.presenter import PresenterKeys, frames_for

CARER = (Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "teaching"
         / "psychodynamic_self_sufficient_carer.formulation.json")


def _case() -> tuple[Formulation, dict[str, str]]:
    f = Formulation.new(case_id="S-1", title="Steps")
    ids = {
        "past": f.add_element("early_experience", "Father often absent", evidence=[{"session": 2}]),
        "fear": f.add_element("unconscious_fear", "Fear of being left", evidence=[{"session": 1}]),
        "defense": f.add_element("defense", "Self-sufficiency"),
    }
    ids["l1"] = f.add_link(ids["past"], ids["fear"], "gives_rise_to")
    ids["l2"] = f.add_link(ids["defense"], ids["fear"], "defends_against")
    return f, ids


def test_layer_frames_say_what_is_shown_and_what_is_new() -> None:
    f, ids = _case()
    frames = layer_frames(f)
    assert [fr.counter for fr in frames] == ["Layer 1 of 5", "Layer 2 of 5", "Layer 3 of 5"]
    assert [fr.detail for fr in frames] == ["", "", ""]  # the counter is kept apart from the words
    assert frames[0].elements == (ids["past"],) and frames[0].links == ()
    assert frames[1].new == {ids["fear"], ids["l1"]}
    assert frames[2].shown() == set(ids.values())
    assert frames[2].new == {ids["defense"], ids["l2"]}
    assert all(fr.marks == {} and fr.changes == () for fr in frames)


def test_session_frames_add_elements_by_first_evidence() -> None:
    f, ids = _case()
    frames = session_frames(f)
    assert [fr.title for fr in frames] == ["Session 1", "Session 2", "Not tied to a session"]
    assert frames[0].elements == (ids["fear"],)
    assert frames[1].new == {ids["past"], ids["l1"]}
    assert frames[1].notes == ("1 new element · 1 new link",)
    assert frames[2].counter == "Step 3 of 3"


def test_version_frames_mark_changes_and_list_them() -> None:
    v1, ids = _case()
    v1.add_comment("Where is the mother?", author="Dr S")
    v2 = v1.copy()
    wish = v2.add_element("unconscious_wish", "Wish to be cared for")
    v2.update_element(ids["past"], label="Father absent for work")
    v2.remove_element(ids["defense"], cascade=True)
    v3 = v2.copy()
    v3.update_element(wish, label="Wish to be cared for")  # the same words: a time stamp at most
    frames = list(iter_version_frames([
        ({"version": 1, "time": "2026-01-05T17:00:00Z", "author": "Dr A", "session": 1,
          "message": "Start"}, v1),
        (2, v2),
        (3, v3),
    ]))
    first, second, third = (fr for fr, _f in frames)
    assert [fr.version for fr, _f in frames] == [1, 2, 3]
    assert first.detail == "2026-01-05 17:00 UTC · session 1 · by Dr A" and first.counter == ""
    assert first.notes == ("“Start”", "The first version")
    assert first.changes == ("Comment by Dr S: Where is the mother?",)
    assert first.new == first.shown()
    assert second.marks == {
        wish: "added", ids["past"]: "changed", ids["defense"]: "removed", ids["l2"]: "removed"
    }
    assert second.new == {wish, ids["past"]}
    assert "New: Unconscious wish “Wish to be cared for”" in second.changes
    assert "Removed: Self-sufficiency" in second.changes
    assert any(c.startswith("Revised: Father absent for work (label") for c in second.changes)
    assert third.marks == {} and third.new == frozenset()
    assert frames[1][1] is v2  # each frame comes with the version it draws


def test_version_frames_stream_one_version_at_a_time() -> None:
    f, _ids = _case()
    taken: list[int] = []

    def pairs() -> Iterator[tuple[int, Formulation]]:
        for number in range(1, 1000):
            taken.append(number)
            yield number, f

    frames = iter_version_frames(pairs())
    next(frames)
    next(frames)
    assert taken == [1, 2]  # nothing is read ahead


def test_diff_marks_can_leave_out_time_stamps() -> None:
    stamp = RecordChange("el-1", {"updated": ("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")})
    words = RecordChange("ln-1", {"label": ("a", "b"), "updated": ("x", "y")})
    d = FormulationDiff(elements_changed=[stamp], links_changed=[words])
    assert d.marks() == {"el-1": "changed", "ln-1": "changed"}
    assert d.marks(stamps=False) == {"ln-1": "changed"}


def test_layered_positions_scale_with_the_gaps() -> None:
    levels = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2}
    pairs = [("b", "c"), ("a", "d"), ("d", "e")]
    small = layered_positions(levels, pairs)
    large = layered_positions(levels, pairs, x_gap=2 * X_GAP, y_gap=3 * Y_GAP)
    assert {k: (2 * x, 3 * y) for k, (x, y) in small.items()} == large
    assert small["d"][0] < small["c"][0]  # linked to a, which is left of b


@pytest.mark.parametrize("mode", ["layers", "sessions", "versions"])
def test_the_page_and_the_presenter_show_the_same_frames_in_one_layout(mode: str) -> None:
    steps = list(steps_for(CARER, mode))
    frames = frames_for(CARER, mode)
    assert [s.title for s in steps] == [fr.title for fr in frames]
    for step, frame in zip(steps, frames, strict=True):
        shown = {n["id"] for n in step.nodes} | {e["id"] for e in step.edges}
        assert shown == frame.shown_ids() - {i for i in frame.shown_ids() if i in _removed(step)}
        assert frame.detail == step.frame.detail
        assert frame.notes == (*step.frame.notes, *step.frame.changes)
    # one layout: the page's places are the presenter's, spaced for a projector
    if mode == "versions":
        page = stepthrough_versions_html(CARER)
    else:
        page = stepthrough_html(read_case(CARER), mode=mode)
    found = _extra(page)["positions"]
    placed = {n["id"]: (n["x"], n["y"]) for n in frames[-1].nodes}
    assert found.keys() == placed.keys()
    for i, (x, y) in placed.items():
        assert found[i]["y"] * Y_GAP == y * PAGE_Y_GAP
        assert abs(found[i]["x"] * X_GAP / PAGE_X_GAP - x) <= 1


def _extra(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="wb-extra" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the page carries its step data"
    return cast(dict[str, Any], json.loads(match.group(1)))


def _removed(step: object) -> set[str]:
    return {i["id"] for i in [*getattr(step, "removed_nodes", []), *getattr(step, "removed_edges", [])]}


def test_the_page_and_the_presenter_answer_the_same_keys() -> None:
    keys = step_keys_js()
    assert "function wbStepKey" in keys
    assert keys in PresenterKeys._esm  # the presenter's script starts with the shared key map
    page = stepthrough_html(_case()[0])
    assert keys.strip() in page


def test_versions_need_a_file_and_say_so() -> None:
    f, _ids = _case()
    with pytest.raises(SessionError, match="saved case file"):
        frames_for(f, "versions")
    with pytest.raises(SessionError, match="not 'slides'"):
        frames_for(f, "slides")


def test_versions_from_a_file_come_with_removed_items_of_the_version_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_clock, "now", lambda: "2026-03-02T10:00:00Z")
    path = tmp_path / "case.formulation.json"
    f, ids = _case()
    save(f, path, message="one", author="Dr A", session=1)
    f.remove_element(ids["defense"], cascade=True)
    save(f, path, message="two", author="Dr A", session=2)
    steps = list(steps_for(path, "versions"))
    assert [n["id"] for n in steps[1].removed_nodes] == [ids["defense"]]
    assert [e["id"] for e in steps[1].removed_edges] == [ids["l2"]]
    frames = frames_for(path, "versions")
    marked = {n["id"]: n.get("diff") for n in frames[1].nodes if n["shown"]}
    assert marked[ids["defense"]] == "removed" and marked[ids["past"]] is None


# --- compare: the rule override and the merged map, outside the UI ----------------------------


def test_match_with_choices_overrides_the_automatic_matching() -> None:
    a, ids = _case()
    b = a.copy()
    other = b.add_element("defense", "Intellectualisation")
    chosen = match_with_choices(a, b, chosen={ids["defense"]: other, "el-gone": other})
    assert chosen.elements[ids["defense"]] == other and chosen.methods[ids["defense"]] == "manual"
    dropped = match_with_choices(a, b, chosen={}, unmatched={ids["fear"]})
    assert ids["fear"] not in dropped.elements
    assert dropped.links == {}  # both links end at the fear
    assert match_with_choices(a, b, chosen={}) == match(a, b)


def test_merged_map_marks_sides_without_the_ui() -> None:
    a, ids = _case()
    b = a.copy()
    b.remove_element(ids["defense"], cascade=True)
    extra = b.add_element("strength", "Close friend")
    data = merged_vis_data(a, b, merged_graph(a, b, match(a, b)))
    sides = {n["id"]: n["side"] for n in data["nodes"]}
    assert sides[ids["defense"]] == "only_a" and sides[extra] == "only_b" and sides[ids["fear"]] == "shared"
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[extra].startswith("[B] ") and labels[ids["defense"]].startswith("[A] ")


# --- the session: the files the UI reaches ------------------------------------------------------


def test_session_keeps_the_map_view_beside_the_case(tmp_path: Path) -> None:
    s = EditSession.new_case(case_id="V-1", path=tmp_path / "v.formulation.json")
    el = s.add_element("defense", "Self-sufficiency")
    s.save("first", "Dr A")
    assert s.map_view() == ViewState()
    s.keep_map_view(ViewState({el: (10.0, 20.0)}, frozenset({el})))
    again = EditSession.open_file(tmp_path / "v.formulation.json")
    assert again.map_view().positions == {el: (10.0, 20.0)} and again.map_view().pinned == {el}


def test_read_case_says_what_went_wrong(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="there is no such file"):
        read_case(tmp_path / "missing.formulation.json")
    (tmp_path / "folder.formulation.json").mkdir()
    with pytest.raises(WorkbenchError) as caught:  # an operating-system error, said as a sentence
        read_case(tmp_path / "folder.formulation.json")
    assert "Traceback" not in str(caught.value) and str(caught.value).endswith(".")


def test_revisions_may_be_records_with_aware_times() -> None:
    from dataclasses import dataclass
    from datetime import UTC, datetime

    @dataclass
    class Record:
        version: int
        time: datetime
        author: str
        session: int | None
        message: str

    f, _ids = _case()
    records = [Record(1, datetime(2026, 1, 5, 17, 0, tzinfo=UTC), "Dr A", 1, "one"),
               Record(2, datetime(2026, 1, 6, 9, 30, tzinfo=UTC), "Dr B", 1, "two"),
               Record(3, datetime(2026, 1, 7, 9, 30, tzinfo=UTC), "Dr B", 2, "three")]
    assert pick_versions(records, "session") == [2, 3]
    assert pick_versions([{"version": 1, "session": None}, {"version": 2, "session": None}], "session") == [2]
    frame, _f = next(iter_version_frames([(records[0], f)]))
    assert frame.detail == "2026-01-05 17:00 UTC · session 1 · by Dr A" and frame.version == 1
    with pytest.raises(InvalidValue, match="a revision must be"):
        next(iter_version_frames([("v1", f)]))
