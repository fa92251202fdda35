"""The app, driven as a user would: set widget values, click buttons; check model, file and graph data.

No browser here (see the browser tests); the widgets' Python side runs for real, and the
messages the graph sends to the page are read from its comm channel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import workbench
from workbench.render.visdata import node_for
from workbench.session import EditSession
from workbench.ui._common import StatusLine, guarded
from workbench.ui.app import LAZY_TABS, TABS, App
from workbench.ui.graph_sync import patch_for
from workbench.ui.graph_view import GraphView, mark_diff

HOSTILE = '<img src=x onerror="alert(1)">Mother & <b>me</b>'


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    path = tmp_path / "c1.formulation.json"
    f = workbench.new(case_id="C-1", title="Teaching case")
    workbench.save(f, path, message="Empty case", author="Dr A")
    return path


def add_element(app: App, kind: str, label: str) -> str:
    panel = app.elements
    panel.clear_button.click()
    panel.kind.value = kind
    panel.label.value = label
    panel.add_button.click()
    assert not app.status.is_error, app.status.message
    assert panel.last_added is not None and panel.editing is None  # the form is ready for the next one
    return panel.last_added


def choice(app: App, element_id: str) -> str:
    return next(name for name, i in app.links._choices.items() if i == element_id)


def add_link(app: App, source: str, target: str, kind: str) -> str:
    panel = app.links
    panel.clear_button.click()
    panel.source.value = choice(app, source)
    panel.target.value = choice(app, target)
    panel.kind.value = kind
    panel.add_button.click()
    assert not app.status.is_error, app.status.message
    assert panel.last_added is not None and panel.editing is None
    return panel.last_added


def record_messages(widget: Any, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Collect what the widget sends to the page."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(widget.comm, "send", lambda data=None, buffers=None, **_kw: sent.append(data))
    return sent


def test_add_two_elements_and_a_link_through_the_forms_then_save(case_path: Path) -> None:
    app = workbench.app(case_path)
    assert isinstance(app, App) and "wb-app" in app._dom_classes
    father = add_element(app, "early_experience", "Father often absent")
    fear = add_element(app, "unconscious_fear", "Fear of abandonment")

    links = app.links
    links.source.value = choice(app, father)
    links.target.value = choice(app, fear)
    template = workbench.get_template("psychodynamic")
    allowed = template.allowed_link_kinds("early_experience", "unconscious_fear")
    assert [v for _, v in links.kind.options] == [k.id for k in allowed]
    links.kind.value = "gives_rise_to"
    assert "<i>Father often absent</i> gives rise to <i>Fear of abandonment</i>" in links.sentence.value
    links.add_button.click()
    link = links.last_added
    assert link is not None

    f = app.session.formulation  # type: ignore[union-attr]
    assert [el.label for el in f.element_records()] == ["Father often absent", "Fear of abandonment"]
    assert f.sentence(link) == "Father often absent gives rise to Fear of abandonment"
    assert "unsaved changes" in app.header.unsaved.value

    # the graph's synced data
    assert [n["id"] for n in app.graph.nodes] == [father, fear]
    node = app.graph.node(father)
    assert node["label"] == "Father often absent" and node["shape"] == "box" and node["level"] == 0
    assert app.graph.node(fear)["shape"] == "diamond"
    edge = app.graph.edge(link)
    assert (edge["from"], edge["to"], edge["label"]) == (father, fear, "gives rise to")

    app.saving.message.value = "First elements"
    app.saving.author.value = "Dr A"
    app.saving.session_number.value = "2"
    app.saving.save_button.click()
    assert app.status.message == f"Saved version 2 of {case_path}."
    history = workbench.history(case_path)
    assert history.versions() == [1, 2]
    assert history[-1].message == "First elements" and history[-1].session == 2
    assert workbench.load(case_path) == f
    assert "version 2" in app.header.info.value and "unsaved" not in app.header.unsaved.value
    assert "First elements" in app.history.table.value


def test_an_edit_sends_only_the_changed_items_to_the_page(
    case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", "Father often absent")
    b = add_element(app, "unconscious_fear", "Fear of abandonment")
    c = add_element(app, "present_symptom", "Low mood")
    link = add_link(app, a, b, "gives_rise_to")
    sent = record_messages(app.graph, monkeypatch)

    app.graph.selected = a
    app.elements.label.value = "Father away for work"
    app.elements.update_button.click()

    states = [m["state"] for m in sent if m and m.get("method") == "update"]
    assert not any("snapshot" in s for s in states), "an edit must not resend the whole graph"
    patches = [s["patch"] for s in states if "patch" in s]
    assert len(patches) == 1
    patch = patches[0]
    assert [n["id"] for n in patch["nodes"]["update"]] == [a]
    assert [e["id"] for e in patch["edges"]["update"]] == [link]  # its tooltip quotes the label
    assert patch["base"] == patch["seq"] - 1
    assert app.graph.node(a)["label"] == "Father away for work"
    assert app.graph.node(c)["label"] == "Low mood"

    sent.clear()
    app.header.undo_button.click()
    patch = next(m["state"]["patch"] for m in sent if m and "patch" in m.get("state", {}))
    assert patch["nodes"]["update"][0]["label"] == "Father often absent"
    assert app.graph.node(a)["label"] == "Father often absent"

    # a page that missed patches asks for the snapshot and gets the current one
    sent.clear()
    app.graph._handle_custom_msg({"type": "resync", "have": 0}, [])
    snapshot = next(m["state"]["snapshot"] for m in sent if m and "snapshot" in m.get("state", {}))
    assert snapshot["seq"] > patch["seq"]
    assert {n["id"] for n in snapshot["nodes"]} == {a, b, c}


def test_graph_view_patches_add_replace_and_remove() -> None:
    g = GraphView()
    g.set_data([{"id": "a", "label": "A"}, {"id": "b", "label": "B"}], [{"id": "e", "from": "a", "to": "b"}])
    g.update_items(nodes=[{"id": "b", "label": "B2"}, {"id": "c", "label": "C"}], remove_edges=["e"])
    assert [n["label"] for n in g.nodes] == ["A", "B2", "C"] and g.edges == []
    g.update_items(remove_nodes=["a", "missing"])
    assert [n["id"] for n in g.nodes] == ["b", "c"] and g.node("c")["label"] == "C"
    assert g.patch["nodes"]["remove"] == ["a"]
    seq = g.patch["seq"]
    g.update_items()  # nothing to send
    assert g.patch["seq"] == seq
    assert "vis-network" in g.library.js[:300]  # loaded from the pyvis package, not a CDN
    assert GraphView().library is g.library  # one copy of the library for every graph on the page
    assert "http" not in g._esm.replace("https://visjs", "")


def test_selecting_in_the_graph_shows_it_in_the_editors_and_back(case_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", "Father often absent")
    b = add_element(app, "unconscious_fear", "Fear of abandonment")
    link = add_link(app, a, b, "gives_rise_to")
    app.elements.clear_button.click()

    app.graph.selected = a
    assert app.tabs.selected_index == 0
    assert app.elements.editing == a and app.elements.label.value == "Father often absent"
    assert app.elements.kind.value == "early_experience" and not app.elements.update_button.disabled

    app.graph.selected = link
    assert app.tabs.selected_index == 1
    assert app.links.editing == link and app.links.kind.value == "gives_rise_to"
    assert app.links.source.value == choice(app, a)

    app.elements.listing.value = b  # picking in the editor's list highlights it in the graph
    assert app.graph.selected == b and app.elements.label.value == "Fear of abandonment"


def test_enter_in_the_label_field_adds_and_evidence_rows(case_path: Path) -> None:
    app = App(case_path)
    panel = app.elements
    panel.kind.value = "defense"
    panel.label.value = "Intellectualisation"
    panel.evidence.add_button.click()
    panel.evidence.add_button.click()
    panel.evidence.add_button.click()
    rows = panel.evidence.rows
    session, day, quote, _remove = rows[0].children
    session.value, day.value, quote.value = "3", "2024-03-18", "I see it"
    rows[1].children[2].value = "to be removed"
    rows[2].children[0].value, rows[2].children[2].value = "5", "Talks about theories"
    rows[1].children[3].click()  # the row's remove button
    panel.confidence.choice.value = "high"
    assert panel.confidence.level.value == "0.70 (high)"
    panel.tags.value = "intellect, defense"
    panel.label._handle_custom_msg({"event": "submit"}, [])  # what the page sends on Enter

    f = app.session.formulation  # type: ignore[union-attr]
    (el,) = f.element_records()
    assert el.label == "Intellectualisation" and el.confidence == 0.7 and el.tags == ("intellect", "defense")
    assert [(e.session, e.date, e.quote) for e in el.evidence] == [
        (3, "2024-03-18", "I see it"), (5, None, "Talks about theories")]

    panel.show(el.id)  # picking the element opens it for editing ...
    panel.label.value = "Intellectualisation (strong)"
    panel.label._handle_custom_msg({"event": "submit"}, [])  # ... and Enter while editing updates
    assert len(f) == 1 and f.element(el.id).label == "Intellectualisation (strong)"
    assert [e.session for e in f.element(el.id).evidence] == [3, 5]


def test_delete_with_links_asks_first_and_undo_brings_all_back(case_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", "Father often absent")
    b = add_element(app, "unconscious_fear", "Fear of abandonment")
    link = add_link(app, a, b, "gives_rise_to")
    f = app.session.formulation  # type: ignore[union-attr]

    app.graph.selected = a
    app.elements.delete_button.click()
    assert app.elements.confirm.pending and f.has_element(a)
    assert "used by 1 link" in app.elements.confirm.question.value
    app.elements.confirm.no.click()
    assert f.has_element(a) and not app.elements.confirm.pending

    app.elements.delete_button.click()
    app.elements.confirm.yes.click()
    assert not f.has_element(a) and not f.has_link(link)
    assert app.status.message == "Deleted 'Father often absent' and 1 link(s)."
    assert not app.graph.has_item(a) and not app.graph.has_item(link)

    app.header.undo_button.click()  # one step: element and link come back
    assert f.has_element(a) and f.has_link(link)
    assert app.graph.has_item(a) and app.graph.has_item(link)
    app.header.redo_button.click()
    assert not f.has_element(a)


def test_errors_appear_as_sentences_in_the_status_line(case_path: Path) -> None:
    app = App(case_path)
    app.elements.label.value = "   "
    app.elements.add_button.click()
    assert app.status.is_error and app.status.message == "The label cannot be empty."
    assert "wb-status-error" in app.status._dom_classes

    app.elements.show(add_element(app, "early_experience", "Father often absent"))
    app.links.clear_button.click()
    app.links.add_button.click()
    assert app.status.message == ("Type where the link starts ('From'): the label of an element, "
                                  "or part of it.")

    app.saving.message.value = "x"
    app.saving.author.value = "Dr A"
    app.saving.session_number.value = "five"
    app.saving.save_button.click()
    assert app.status.message.startswith("The session number must be a whole number")

    app.elements.evidence.add_button.click()
    app.elements.evidence.rows[0].children[1].value = "18.03.2024"
    app.elements.update_button.click()
    assert app.status.message.startswith("Evidence item 1: the date must look like 2024-03-18")

    status = StatusLine()

    @guarded(status)
    def broken() -> None:
        raise RuntimeError("internal detail")

    broken()
    assert status.message.startswith("Something went wrong (RuntimeError)")
    assert "Traceback" not in status.message and "internal detail" not in status.message


def test_conflict_offers_save_as_copy_and_keeps_the_changes(case_path: Path) -> None:
    app = App(case_path)
    add_element(app, "present_symptom", "Insomnia")

    other = EditSession.open_file(case_path)  # a colleague saves first
    other.add_element("defense", "Projection")
    other.save("Colleague's change", "Dr B")

    app.saving.message.value = "My change"
    app.saving.author.value = "Dr A"
    app.saving.save_button.click()
    assert app.status.is_error and "Dr B" in app.status.message
    assert app.saving.conflict_box.layout.display == "flex"
    assert "Your changes are still here" in app.saving.conflict_note.value
    copy_path = Path(app.saving.copy_path.value)
    assert copy_path.name == "c1-copy-1.formulation.json"
    assert "unsaved changes" in app.header.unsaved.value

    app.saving.copy_button.click()
    assert not app.status.is_error and str(copy_path) in app.status.message
    assert app.saving.conflict_box.layout.display == "none"
    assert [el.label for el in workbench.load(copy_path).element_records()] == ["Insomnia"]
    assert [el.label for el in workbench.load(case_path).element_records()] == ["Projection"]
    assert app.session is not None and app.session.path == copy_path


def test_history_view_compare_and_restore(case_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", HOSTILE)
    app.saving.message.value = "v2 <script>"
    app.saving.author.value = "Dr A"
    app.saving.save_button.click()
    b = add_element(app, "unconscious_fear", "Fear of abandonment")
    app.saving.message.value = "v3"
    app.saving.save_button.click()

    table = app.history.table.value
    assert "v2 &lt;script&gt;" in table and "<script>" not in table
    assert [v for _, v in app.history.version.options] == [3, 2, 1]

    app.history.version.value = 2
    app.history.view_button.click()
    assert app.graph.read_only and app.graph.caption == "Version 2 (read-only)"
    assert [n["id"] for n in app.graph.nodes] == [a]
    app.graph.selected = a  # clicking in a read-only version does not open the editor
    assert "read-only" in app.status.message

    app.history.diff_a.value = 2
    app.history.diff_b.value = 3
    app.history.compare_button.click()
    marks = {n["id"]: n.get("diff") for n in app.graph.nodes}
    assert marks == {a: None, b: "added"}
    assert app.graph.node(b)["label"].startswith("+ ")
    assert "1 element added" in app.history.diff_list.value
    assert "Fear of abandonment" in app.history.diff_list.value

    app.history.back_button.click()
    assert not app.graph.read_only and app.graph.caption == ""
    assert {n["id"] for n in app.graph.nodes} == {a, b}

    app.history.view_button.click()  # an edit while a version is shown brings the case back
    assert app.graph.read_only
    c = add_element(app, "present_symptom", "Low mood")
    assert not app.graph.read_only and {n["id"] for n in app.graph.nodes} == {a, b, c}
    assert app.status.message == "Added 'Low mood'."
    app.header.undo_button.click()

    app.history.version.value = 1
    app.history.restore_button.click()
    app.history.confirm.yes.click()
    assert app.status.message == "Version 1 restored as version 4."
    assert list(workbench.history(case_path)["version"]) == [1, 2, 3, 4]
    assert app.graph.nodes == [] and len(app.session.formulation) == 0  # type: ignore[union-attr]


def test_hostile_labels_stay_text(case_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", HOSTILE)
    b = add_element(app, "unconscious_fear", "Fear")
    app.links.show(add_link(app, a, b, "gives_rise_to"))
    app.elements.show(a)
    assert "<img" not in app.links.sentence.value and "&lt;img" in app.links.sentence.value
    assert "<img" not in app.elements.editing_note.value
    assert app.graph.node(a)["full_label"] == HOSTILE.strip()  # plain text, the page inserts it as text
    esm = Path(workbench.__file__).parent / "ui" / "static" / "graph_view.js"
    code = esm.read_text(encoding="utf-8")
    assert "innerHTML" not in code and "textContent" in code


def test_start_panel_for_a_new_path_and_for_a_bad_file(tmp_path: Path) -> None:
    new_path = tmp_path / "c-17.formulation.json"
    app = workbench.app(new_path, template="ccrt")
    assert app.session is None and app.start is not None
    assert app.start.new_path.value == str(new_path) and app.start.case_id.value == "c-17"
    assert app.start.template.value == "ccrt"
    app.start.title.value = "Ms K"
    app.start.create_button.click()
    assert app.session is not None and app.session.formulation.template.id == "ccrt"
    wish = add_element(app, "wish", "To be close")
    app.elements.show(wish)
    app.elements.code.value = "W1"
    app.elements.update_button.click()
    assert app.session.formulation.element(wish).code == "W1"
    app.saving.message.value = "Start"
    app.saving.author.value = "Dr A"
    app.saving.save_button.click()
    assert list(workbench.history(new_path)["version"]) == [1]

    bad = tmp_path / "bad.formulation.json"
    bad.write_text("not json\n", encoding="utf-8")
    broken = App(bad)
    assert broken.session is None and broken.status.is_error and broken.status.message

    start = App()
    assert start.start is not None
    assert [v for _, v in start.start.recent.options] == [str(new_path.resolve())]
    start.start.recent.value = str(new_path.resolve())
    start.start.recent_button.click()
    assert start.session is not None and start.session.path == new_path.resolve()


def test_widgets_carry_the_stable_css_classes(case_path: Path) -> None:
    app = App(case_path)
    wanted = {
        app.header: "wb-header", app.graph: "wb-graph", app.status: "wb-status",
        app.elements.label: "wb-element-label", app.elements.kind: "wb-element-kind",
        app.elements.add_button: "wb-add-element", app.links.source: "wb-link-source",
        app.links.target: "wb-link-target", app.links.kind: "wb-link-kind",
        app.links.add_button: "wb-add-link",
        app.saving.message: "wb-save-message", app.saving.author: "wb-save-author",
        app.saving.save_button: "wb-save-button",
    }
    for widget, css in wanted.items():
        assert css in widget._dom_classes, css
    # the file field is hidden for a case with a file; the message and author fields stay visible
    assert app.saving.path.layout.display == "none"
    assert app.saving.message.layout.display != "none" and app.saving.author.layout.display != "none"
    doc = (Path(workbench.__file__).parent / "ui" / "app.py").read_text(encoding="utf-8")
    for css in wanted.values():
        assert f"``{css}``" in doc
    json.dumps(app.graph.snapshot)  # the synced data is JSON


def test_clicking_the_same_node_again_after_new_shows_it_again(case_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", "Father often absent")
    assert app.status.message == "Added 'Father often absent'."
    app.graph.selected = a
    app.elements.clear_button.click()
    assert app.graph.selected == "" and app.elements.editing is None
    app.graph.selected = a
    assert app.elements.editing == a and app.elements.label.value == "Father often absent"


def test_undo_reloads_the_form_and_the_case_tab_opens_another_case(case_path: Path, tmp_path: Path) -> None:
    app = App(case_path)
    a = add_element(app, "early_experience", "Father often absent")
    app.elements.show(a)
    app.elements.label.value = "Father away"
    app.elements.update_button.click()
    app.header.undo_button.click()
    assert app.elements.label.value == "Father often absent"
    assert app.graph.node(a)["label"] == "Father often absent"

    other = tmp_path / "other.formulation.json"
    f = workbench.new("ccrt", case_id="C-2")
    f.add_element("wish", "To be close")
    workbench.save(f, other, message="Start", author="Dr B")
    seq = app.graph.snapshot["seq"]
    app.start.open_path.value = str(other)  # type: ignore[union-attr]
    app.start.open_button.click()  # type: ignore[union-attr]
    assert app.status.is_error and "unsaved changes" in app.status.message
    app.discard.value = True
    app.start.open_button.click()  # type: ignore[union-attr]
    assert app.status.message == f"Opened {other}."
    assert app.session is not None and app.session.path == other
    assert app.graph.snapshot["seq"] > seq and [n["label"] for n in app.graph.nodes] == ["To be close"]
    assert app.elements.kind.options[0][1] == "wish"
    assert "C-2" in app.header.info.value and not app.discard.value


def test_patch_for_follows_cascades_and_diff_marks_removed_items() -> None:
    s = EditSession.new_case(case_id="C-3")
    a = s.add_element("early_experience", "Father often absent")
    b = s.add_element("unconscious_fear", "Fear of abandonment")
    link = s.add_link(a, b, "gives_rise_to")
    changes: list[Any] = []
    s.observe(lambda event: changes.extend(event.changes))
    s.remove_element(a, cascade=True)
    patch = patch_for(s.formulation, changes)
    assert patch == {"nodes": [], "remove_nodes": [a], "edges": [], "remove_edges": [link]}

    old = EditSession.new_case(case_id="C-3").formulation
    kept = old.add_element("defense", "Denial")
    gone = old.add_element("defense", "Projection")
    marked = mark_diff([node_for(old, kept), node_for(old, gone)], {gone: "removed"})
    assert marked[0]["opacity"] <= 0.45 and "diff" not in marked[0]
    assert marked[1]["diff"] == "removed" and marked[1]["label"].startswith("− ")
    assert marked[1]["title"].startswith("Removed\n") and marked[1]["shapeProperties"]["borderDashes"]


def test_the_patch_of_a_rename_is_drawn_as_the_whole_map_and_passes_over_the_case_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An element with parallel links and links in its own row: the patch's items are those of the
    whole map (same bends), and the rows of the case are worked out once, not once per link."""
    from workbench.render import visdata

    s = EditSession.new_case(case_id="C-4")
    fear = s.add_element("unconscious_fear", "Fear of abandonment")
    other = s.add_element("unconscious_fear", "Fear of rejection")  # same row: a bent link
    past = s.add_element("early_experience", "Father often absent")
    for kind in ("gives_rise_to", "gives_rise_to"):  # two links between the same two elements
        s.add_link(past, fear, kind)
    s.add_link(fear, other, "maintains")
    changes: list[Any] = []
    s.observe(lambda event: changes.extend(event.changes))
    s.update_element(fear, label="Fear of being left")
    calls: list[int] = []
    rows = visdata._levels
    monkeypatch.setattr(visdata, "_levels", lambda f: calls.append(1) or rows(f))
    patch = patch_for(s.formulation, changes)
    assert len(calls) == 1 and len(patch["edges"]) == 3
    whole = visdata.vis_data(s.formulation)
    assert patch["nodes"] == [n for n in whole["nodes"] if n["id"] == fear]
    assert sorted(patch["edges"], key=lambda e: e["id"]) == sorted(
        (e for e in whole["edges"] if fear in (e["from"], e["to"])), key=lambda e: e["id"])


def _descendants(widget: Any) -> list[Any]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _descendants(child)
    return found


def test_status_line_is_in_the_header_under_the_case_line(case_path: Path) -> None:
    app = App(case_path)
    assert app.status in _descendants(app.header)  # seen at the top, not below a tall map
    add_element(app, "early_experience", "Father often absent")
    assert app.status.message == "Added 'Father often absent'."


def test_empty_time_frame_and_code_show_a_dash_not_a_blank_box(case_path: Path) -> None:
    app = App(case_path)
    panel = app.elements
    assert panel.time_frame.index == 0 and panel.time_frame.label == "—" and panel.time_frame.value is None
    first = next(v for _, v in panel.time_frame.options if v is not None)
    panel.kind.value = "early_experience"
    panel.label.value = "Father often absent"
    panel.time_frame.value = first
    panel.add_button.click()
    assert app.session is not None
    element = panel.last_added
    assert element is not None and app.session.formulation.element(element).time_frame == first
    panel.clear_button.click()
    assert panel.time_frame.label == "—" and panel.time_frame.value is None
    other = add_element(app, "early_experience", "Praised only for marks")
    panel.show(other)
    assert panel.time_frame.label == "—" and panel.code.label == "—"
    panel.show(element)
    assert panel.time_frame.value == first


def test_the_live_map_packs_rows_for_narrower_labels(case_path: Path) -> None:
    from workbench.render.visdata import network_options
    from workbench.ui.graph_sync import MAP_LABEL_WIDTH, map_options

    app = App(case_path)
    assert app.session is not None
    template = app.session.formulation.template
    shared = network_options(template)["layout"]["hierarchical"]
    packed = map_options(template)["layout"]["hierarchical"]
    assert app.graph.label_width == MAP_LABEL_WIDTH < 22
    assert app.graph.options == map_options(template)
    assert packed["nodeSpacing"] < shared["nodeSpacing"] and packed["direction"] == "UD"
    a = add_element(app, "early_experience", "Father criticised every mistake he ever made")
    assert app.graph.node(a)["full_label"] == "Father criticised every mistake he ever made"  # data unchanged


def test_rarely_used_tabs_are_built_when_first_opened(case_path: Path) -> None:
    app = App(case_path)
    assert app.tabs.titles == (*TABS, "Supervise")
    boxes = {title: app.tabs.children[i] for i, title in enumerate(app.tabs.titles) if title in LAZY_TABS}
    assert set(boxes) == set(LAZY_TABS)
    assert all(box.children == () for box in boxes.values())  # nothing built yet: fewer widgets to draw
    assert not any(css in w._dom_classes for w in _descendants(app)
                   for css in ("wb-history-panel", "wb-start", "wb-supervision"))

    # edits and a save while the tabs do not exist yet, then the History tab is opened
    add_element(app, "early_experience", "Father often absent")
    app.saving.message.value = "First element"
    app.saving.author.value = "Dr A"
    app.saving.save_button.click()
    assert app.status.message == f"Saved version 2 of {case_path}."
    assert boxes["History"].children == ()
    app.tabs.selected_index = app.tabs.titles.index("History")
    (panel,) = boxes["History"].children
    assert panel is app.history and "wb-history-panel" in panel._dom_classes
    assert "First element" in app.history.table.value  # it shows the case as it is now
    assert [v for _, v in app.history.version.options] == [2, 1]
    assert boxes["Case"].children == () and boxes["Supervise"].children == ()

    # opening a tab again does not build it again; a later save refreshes the built tab
    app.tabs.selected_index = 0
    app.tabs.selected_index = app.tabs.titles.index("History")
    assert boxes["History"].children == (panel,)
    add_element(app, "unconscious_fear", "Fear of abandonment")
    app.saving.message.value = "Second element"
    app.saving.save_button.click()
    assert [v for _, v in app.history.version.options] == [3, 2, 1]

    # the Case tab: its start panel and the discard box appear when it is opened
    app.tabs.selected_index = app.tabs.titles.index("Case")
    (case_tab,) = boxes["Case"].children
    assert app.start in case_tab.children and app.discard in case_tab.children
    assert "wb-start" in app.start._dom_classes and "wb-discard" in app.discard._dom_classes

    # the Supervise tab, opened on its Trace panel, lists the elements added before it existed
    assert boxes["Supervise"].children == ()
    app.tabs.selected_index = app.tabs.titles.index("Supervise")
    (supervise,) = boxes["Supervise"].children
    assert supervise is app.supervision.widget and "wb-supervision" in supervise._dom_classes
    labels = {name for name, _ in app.supervision.trace.element.options}
    assert any("Fear of abandonment" in name for name in labels), labels


def test_asking_for_a_tab_in_code_builds_it_in_place(case_path: Path) -> None:
    app = App(case_path)
    index = app.tabs.titles.index("Supervise")
    panels = app.supervision  # built on access, in its own tab, without switching tabs
    assert app.tabs.selected_index == 0 and app.tabs.children[index].children == (panels.widget,)
    assert app.supervision is panels  # built once
    assert app.tabs.titles.count("Supervise") == 1 and len(app.tabs.children) == len(TABS) + 1


def test_the_link_tab_lists_follow_the_case_while_it_is_open(case_path: Path) -> None:
    app = App(case_path)
    father = add_element(app, "early_experience", "Father often absent")
    fear = add_element(app, "unconscious_fear", "Fear of abandonment")
    links = app.links
    assert list(links.source.options) == [] and links.listing.options == ()  # hidden: nothing sent yet
    link = add_link(app, father, fear, "gives_rise_to")  # typed names still resolve in Python
    assert links.listing.options == ()

    app.tabs.selected_index = 1  # the Link tab opens: its lists are up to date
    names = [choice(app, father), choice(app, fear)]
    assert sorted(links.source.options) == sorted(names) == sorted(links.target.options)
    assert [i for _, i in links.listing.options] == [link]

    other = add_element(app, "present_symptom", "Low mood")  # while it is open, every edit shows at once
    assert choice(app, other) in links.source.options

    app.tabs.selected_index = 0
    app.session.update_element(father, label="Father away")  # hidden again: the list waits
    assert "Father often absent" in links.listing.options[0][0]
    app.graph.selected = link  # picking the link on the map opens the tab with the list up to date
    assert app.tabs.selected_index == 1 and links.editing == link
    assert links.listing.options[0][0].startswith("Father away") and links.listing.value == link
    assert "Father away (Early experience)" in links.source.options


def test_an_edit_while_the_link_tab_is_hidden_makes_no_element_names(
    case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names of all elements (hundreds in a large case) are made when the Link tab shows them,
    not at every edit while it is hidden (with From and To empty)."""
    from workbench.ui import link_panel

    app = App(case_path)
    father = add_element(app, "early_experience", "Father often absent")
    add_element(app, "unconscious_fear", "Fear of abandonment")
    made: list[int] = []
    real = link_panel.element_names
    monkeypatch.setattr(link_panel, "element_names", lambda f: made.append(1) or real(f))
    for n in range(3):
        app.session.update_element(father, label=f"Father away {n}")
    assert made == []  # hidden: nothing made for the Link tab
    app.tabs.selected_index = 1  # shown: made once, up to date
    assert len(made) == 1
    assert "Father away 2 (Early experience)" in app.links.source.options
    assert choice(app, father) == "Father away 2 (Early experience)"


def test_the_header_never_says_saved_before_a_version_exists(tmp_path: Path) -> None:
    from workbench.ui.header import CaseHeader

    s = EditSession.new_case(case_id="C-9", path=tmp_path / "c9.formulation.json")
    header = CaseHeader(s, StatusLine())
    header.refresh()
    assert "nothing to save yet" in header.unsaved.value and ">saved<" not in header.unsaved.value
    s.add_element("defense", "Denial")
    header.refresh()
    assert "unsaved changes" in header.unsaved.value
    s.save(message="first", author="Dr A")
    header.refresh()
    assert ">saved<" in header.unsaved.value


def test_the_legend_explains_the_blue_links_that_weaken_their_target(case_path: Path) -> None:
    app = App(case_path)
    legend = app.legend.value
    assert "weakens: strains, resolves, protects against" in legend
    assert "Alliance rupture" in legend and "Repair" in legend and "Working alliance" in legend
