"""The map's view state (positions kept beside the case) and links made on the map, without a browser.

The page side (placement, the link chooser, dragging) is checked in Chromium by
``test_map_build_browser.py``; here the Python half: the view file, and what the graph binding
does with the page's positions and link requests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.fileformat.view import VIEW_FORMAT, ViewState, load_view, save_view, view_path
from workbench.session import EditSession
from workbench.ui.graph_sync import GraphBinding, link_rules
from workbench.ui.graph_view import GraphView


class RecordingView(GraphView):
    """A GraphView that keeps the messages it sends to the page (there is no page here)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent: list[dict[str, Any]] = []

    def send(self, content: Any, buffers: Any = None) -> None:  # type: ignore[override]
        self.sent.append(content)


def _from_page(view: GraphView, content: dict[str, Any]) -> None:
    """Deliver a message as the page would send it."""
    view._handle_custom_msg(content, [])  # the ipywidgets entry point for messages from the page


def _bind(path: Path) -> tuple[EditSession, RecordingView, GraphBinding]:
    """The case at ``path`` open in a session, drawn in a (page-less) graph view."""
    session = EditSession.open_file(path)
    view = RecordingView()
    return session, view, GraphBinding(session, view)


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    f = workbench.new(case_id="C-9")
    ids = {
        "past": f.add_element("early_experience", "Father often absent"),
        "fear": f.add_element("unconscious_fear", "Fear of being left"),
        "defense": f.add_element("defense", "Avoids asking for help"),
    }
    path = tmp_path / "c9.formulation.json"
    workbench.save(f, path, message="start", author="Dr A")
    return path, ids


def test_view_file_sits_beside_the_case_and_round_trips(tmp_path: Path) -> None:
    case_file = tmp_path / "c017.formulation.json"
    assert view_path(case_file) == tmp_path / "c017.view.json"
    assert view_path(tmp_path / "odd.json") == tmp_path / "odd.json.view.json"
    state = ViewState({"a": (1.5, -3.0), "b": (400.0, 135.0)}, frozenset({"b"}))
    written = save_view(case_file, state)
    assert written == tmp_path / "c017.view.json"
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["format"] == VIEW_FORMAT and data["case_file"] == "c017.formulation.json"
    assert load_view(case_file) == state
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary file left


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b'{"format": "something else"}',
     b'{"format": "formulation-workbench-view", "format_version": 99, "positions": {"a": [1, 2]}}'],
)
def test_a_missing_or_unusable_view_file_only_means_a_new_layout(tmp_path: Path, content: bytes) -> None:
    case_file = tmp_path / "c.formulation.json"
    assert load_view(case_file) == ViewState()
    view_path(case_file).write_bytes(content)
    assert load_view(case_file) == ViewState()


def test_bad_positions_are_dropped_and_pins_need_a_position(tmp_path: Path) -> None:
    case_file = tmp_path / "c.formulation.json"
    view_path(case_file).write_text(json.dumps({
        "format": VIEW_FORMAT, "format_version": 1,
        "positions": {"a": [1, 2], "b": ["x", 2], "c": [1], "d": [True, 1], "e": [1e400, 0]},
        "pinned": ["a", "b", "zz"],
    }), encoding="utf-8")
    assert load_view(case_file) == ViewState({"a": (1.0, 2.0)}, frozenset({"a"}))


def test_positions_from_the_page_are_kept_on_save_and_drawn_on_open(
    case: tuple[Path, dict[str, str]],
) -> None:
    path, ids = case
    session, view, binding = _bind(path)
    assert all("x" not in n for n in view.nodes)  # nothing kept yet: the page lays the map out
    assert not view_path(path).exists()

    # The page reports where it drew everything, and that the user dragged the defense.
    view.positions = {ids["past"]: [0, 0], ids["fear"]: [10, 135], ids["defense"]: [-300, 290]}
    view.pinned = [ids["defense"]]
    session.update_element(ids["fear"], label="Fear of being left alone")
    session.save("renamed", "Dr A")
    assert load_view(path) == ViewState(
        {ids["past"]: (0.0, 0.0), ids["fear"]: (10.0, 135.0), ids["defense"]: (-300.0, 290.0)},
        frozenset({ids["defense"]}),
    )
    binding.close()

    # Opened again (here in another session): drawn where it was left, the dragged one still pinned.
    again = RecordingView()
    GraphBinding(EditSession.open_file(path), again)
    drawn = {n["id"]: (n.get("x"), n.get("y")) for n in again.nodes}
    assert drawn == {ids["past"]: (0.0, 0.0), ids["fear"]: (10.0, 135.0), ids["defense"]: (-300.0, 290.0)}
    assert again.pinned == [ids["defense"]]


def test_positions_of_deleted_elements_are_not_kept(case: tuple[Path, dict[str, str]]) -> None:
    path, ids = case
    session, view, _binding = _bind(path)
    view.positions = {ids["past"]: [0, 0], ids["fear"]: [10, 135]}
    view.pinned = [ids["fear"]]
    session.remove_element(ids["fear"], cascade=True)
    session.save("removed", "Dr A")
    assert load_view(path) == ViewState({ids["past"]: (0.0, 0.0)}, frozenset())


def test_positions_reported_while_an_earlier_version_is_shown_are_not_the_cases(
    case: tuple[Path, dict[str, str]],
) -> None:
    path, ids = case
    session, view, binding = _bind(path)
    view.positions = {ids["past"]: [1, 1]}
    binding.show_version(session.view_version(1), "Version 1 (read-only)")
    view.positions = {ids["past"]: [999, 999]}
    binding.show_current()
    assert binding.layout.positions == {ids["past"]: (1.0, 1.0)}
    assert next(n for n in view.nodes if n["id"] == ids["past"])["x"] == 1.0


def test_the_page_reports_only_what_moved_and_the_case_keeps_all_of_it(
    case: tuple[Path, dict[str, str]],
) -> None:
    """Positions come as messages: all of them after a layout, then only the elements that moved."""
    path, ids = case
    session, view, _binding = _bind(path)
    everything = {ids["past"]: [0, 0], ids["fear"]: [10, 135], ids["defense"]: [-300, 290]}
    _from_page(view, {"type": "positions", "full": True, "positions": everything})
    _from_page(view, {"type": "positions", "full": False, "positions": {ids["fear"]: [40, 135]}})
    assert view.positions == {**everything, ids["fear"]: [40, 135]}
    _from_page(view, {"type": "positions", "full": False, "positions": "not a mapping"})  # ignored
    session.update_element(ids["past"], label="Father absent for months")
    session.save("moved", "Dr A")
    assert load_view(path).positions == {
        ids["past"]: (0.0, 0.0), ids["fear"]: (40.0, 135.0), ids["defense"]: (-300.0, 290.0)
    }
    # A new layout (full) replaces them: positions of elements no longer drawn do not linger.
    _from_page(view, {"type": "positions", "full": True, "positions": {ids["past"]: [5, 5]}})
    assert view.positions == {ids["past"]: [5, 5]}
    # Only the page reports positions: nothing about them travels to it (no synced state).
    assert "positions" not in view.keys


def test_link_rules_list_only_the_kinds_the_template_allows() -> None:
    template = workbench.new(case_id="x").template
    rules = link_rules(template)
    for source, targets in rules.items():
        for target, kinds in targets.items():
            assert [k["kind"] for k in kinds] == [lk.id for lk in template.allowed_link_kinds(source, target)]
            assert kinds
    for source in template.element_kinds:
        for target in template.element_kinds:
            if target not in rules.get(source, {}):
                assert template.allowed_link_kinds(source, target) == []
    assert "defends_against" in [k["kind"] for k in rules["defense"]["unconscious_fear"]]
    assert "defends_against" not in [k["kind"] for k in rules["unconscious_fear"].get("defense", [])]


def test_a_link_made_on_the_map_is_added_to_the_case_and_selected(case: tuple[Path, dict[str, str]]) -> None:
    path, ids = case
    session, view, _binding = _bind(path)
    assert view.link_rules["early_experience"]["unconscious_fear"][0]["verb"] == "gives rise to"
    _from_page(view, {"type": "add_link", "from": ids["past"], "to": ids["fear"], "kind": "gives_rise_to"})
    (link,) = session.formulation.link_records()
    assert (link.source, link.target, link.kind) == (ids["past"], ids["fear"], "gives_rise_to")
    assert view.selected == link.id  # the app then opens it in the link editor
    assert view.sent[-1] == {"type": "link_result", "ok": True,
                             "text": "Linked: Father often absent gives rise to Fear of being left."}
    assert session.can_undo  # one undo step, like a link added with the form
    session.undo()
    assert not session.formulation.link_records()


def test_a_link_the_template_refuses_is_a_sentence_on_the_map(case: tuple[Path, dict[str, str]]) -> None:
    path, ids = case
    session, view, binding = _bind(path)
    _from_page(view, {"type": "add_link", "from": ids["past"], "to": ids["fear"], "kind": "defends_against"})
    assert not session.formulation.link_records()
    result = view.sent[-1]
    assert result["type"] == "link_result" and result["ok"] is False
    assert "Traceback" not in result["text"] and result["text"].endswith(".")

    _from_page(view, {"type": "add_link", "from": ids["past"], "to": 7, "kind": "gives_rise_to"})  # malformed
    assert not session.formulation.link_records()

    binding.show_version(session.view_version(1), "Version 1 (read-only)")
    _from_page(view, {"type": "add_link", "from": ids["past"], "to": ids["fear"], "kind": "gives_rise_to"})
    assert not session.formulation.link_records()
    assert view.sent[-1]["ok"] is False and "read-only" in view.sent[-1]["text"]
