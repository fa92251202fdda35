"""The supervision and teaching panels, driven in Python: set values, click buttons, check model and view."""

from __future__ import annotations

import math
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

import workbench
from workbench.session import EditSession
from workbench.ui.app import App
from workbench.ui.checks_panel import ChecksPanel
from workbench.ui.comments_panel import CommentsPanel
from workbench.ui.compare_panel import ComparePanel
from workbench.ui.graph_view import GraphView
from workbench.ui.presenter import Presenter
from workbench.ui.supervision import PANELS, Supervision
from workbench.ui.trace_panel import TracePanel

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "notebooks" / "cases" / "teaching"
CARER = TEACHING / "psychodynamic_self_sufficient_carer.formulation.json"
TRAINEE = TEACHING / "psychodynamic_self_sufficient_carer_trainee.formulation.json"
CCRT = TEACHING / "ccrt_unheard_colleague.formulation.json"
CCRT_2 = TEACHING / "ccrt_unheard_colleague_second_rater.formulation.json"


@pytest.fixture
def carer(tmp_path: Path) -> Path:
    """A private copy of the psychodynamic teaching case (tests may save into it)."""
    return Path(shutil.copy(CARER, tmp_path / CARER.name))


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the recent-cases list goes there


def by_label(f: workbench.Formulation) -> dict[str, str]:
    return {el.label: el.id for el in f.element_records()}


def highlighted(view: GraphView) -> set[str]:
    return {i["id"] for i in [*view.nodes, *view.edges] if i.get("highlighted")}


def small_session() -> tuple[EditSession, dict[str, str]]:
    s = EditSession.new_case(case_id="T-1", title="Small")
    ids = {
        "past": s.add_element("early_experience", "Father often absent"),
        "fear": s.add_element("unconscious_fear", "Fear of being left"),
        "symptom": s.add_element("present_symptom", "Conflict with partner"),
        "other": s.add_element("strength", "Close friend"),
    }
    ids["l1"] = s.add_link(ids["past"], ids["fear"], "gives_rise_to")
    ids["l2"] = s.add_link(ids["fear"], ids["symptom"], "expressed_as")
    return s, ids


# --- trace ------------------------------------------------------------------------------------


def test_trace_highlights_the_paths_into_and_out_of_an_element() -> None:
    s, ids = small_session()
    view = GraphView()
    data = workbench.render.visdata.vis_data(s.formulation)
    view.set_data(data["nodes"], data["edges"])
    panel = TracePanel(s, view=view)
    assert highlighted(view) == set()

    panel.element.value = ids["symptom"]
    expected = {ids["past"], ids["fear"], ids["symptom"], ids["l1"], ids["l2"]}
    assert panel.highlighted == expected
    assert highlighted(view) == expected
    assert view.node(ids["other"])["opacity"] < 1  # the rest is dimmed
    assert "Father often absent" in panel.paths_html.value and "gives rise to" in panel.paths_html.value
    assert len(panel.paths) == 1

    panel.element.value = ids["fear"]
    panel.direction.value = "out_of"
    assert highlighted(view) == {ids["fear"], ids["symptom"], ids["l2"]}
    panel.direction.value = "both"
    assert highlighted(view) == expected - {ids["other"]}

    panel.clear_button.click()
    assert highlighted(view) == set() and panel.element.value == ""


def test_trace_follows_a_click_in_the_graph_and_escapes_labels() -> None:
    s, ids = small_session()
    s.update_element(ids["past"], label="<img src=x onerror=alert(1)>")
    panel = TracePanel(s)  # its own read-only graph
    panel.view.selected = ids["symptom"]
    assert panel.element.value == ids["symptom"]
    assert "<img" not in panel.paths_html.value and "&lt;img src=x" in panel.paths_html.value
    assert highlighted(panel.view) >= {ids["past"], ids["l1"]}


def test_trace_lists_cycles_and_marks_those_through_the_transference() -> None:
    s = EditSession.open_file(CARER)
    panel = TracePanel(s)
    table = panel.cycle_table
    assert len(table) >= 3
    through = table[table["through_therapist"]]
    assert len(through) >= 1
    assert panel.cycles_html.value.count("wb-badge-transference") == len(through)
    marked = [text for text, value in panel.cycle_choice.options if "[transference]" in text]
    assert len(marked) == len(through)

    number = str(through.iloc[0]["cycle"])
    panel.cycle_choice.value = number
    row = through.iloc[0]
    assert panel.highlighted == set(row["elements"]) | set(row["links"])
    transference = by_label(s.formulation)["Apologises for taking up the therapist's time"]
    assert transference in panel.highlighted


# --- presenter --------------------------------------------------------------------------------


def test_presenter_steps_forward_and_back_layer_by_layer() -> None:
    p = Presenter(CARER)
    f = workbench.load(CARER)
    layer = {el.id: f.template.element_kinds[el.kind].layer for el in f.element_records()}
    assert len(p.frames) == 5 and p.step == 0
    assert p.back_button.disabled and not p.next_button.disabled
    first = {i for i in p.visible_ids() if i.startswith("el-")}
    assert first == {i for i, n in layer.items() if n == 0}
    assert "Early experiences" in p.title.value

    p.next_button.click()
    assert p.step == 1 and p.position.value == "Step 2 of 5"
    shown = p.visible_ids()
    assert {i for i in shown if i.startswith("el-")} == {i for i, n in layer.items() if n <= 1}
    links = {ln.id for ln in f.link_records() if layer[ln.source] <= 1 and layer[ln.target] <= 1}
    assert {i for i in shown if i.startswith("ln-")} == links

    p.back_button.click()
    assert p.step == 0 and {i for i in p.visible_ids() if i.startswith("el-")} == first
    p.back_button.click()  # nothing before the first step
    assert p.step == 0

    p.keys.step = 4  # what the arrow keys do in the browser
    assert p.step == 4 and p.next_button.disabled and p.timeline.value == 4
    assert p.visible_ids() == {el.id for el in f.element_records()} | {ln.id for ln in f.link_records()}
    p.timeline.value = 2
    assert p.step == 2 and p.keys.step == 2


def test_presenter_replays_versions_with_fixed_places_and_marks() -> None:
    p = Presenter(CARER, mode="versions")
    history = workbench.history(CARER)
    assert len(p.frames) == len(history) == 6
    places = {}
    for index, row in enumerate(history):
        p.go(index)
        version = workbench.load(CARER, row.version)
        shown = {i for i in p.visible_ids() if i.startswith("el-")}
        assert shown == {el.id for el in version.element_records()}
        for node in p.view.nodes:
            places.setdefault(node["id"], (node["x"], node["y"]))
            assert (node["x"], node["y"]) == places[node["id"]], "an element moved between steps"
    p.go(1)
    added = {n["id"] for n in p.view.nodes if n.get("diff") == "added"}
    before = {el.id for el in workbench.load(CARER, 1).element_records()}
    after = {el.id for el in workbench.load(CARER, 2).element_records()}
    assert added == after - before
    p.go(4)  # the supervisor's version: three comments, no new elements
    assert p.notes.value.count("Comment by Supervisor S (fictional)") == 3


def test_presenter_on_an_unsaved_formulation_offers_no_versions() -> None:
    s, _ids = small_session()
    p = Presenter(s.formulation)
    assert [value for _, value in p.mode.options] == ["layers", "sessions"]
    p.set_mode("versions")
    assert "saved case file" in p.status.message


# --- comments ---------------------------------------------------------------------------------


def test_comments_add_resolve_reopen_and_survive_save_and_load(carer: Path) -> None:
    s = EditSession.open_file(carer)
    panel = CommentsPanel(s)
    f = s.formulation
    fear = by_label(f)["Fear of being left"]
    link = f.link_records()[0].id
    before = {c.id for c in f.comment_records()}
    open_before = len(panel.open_comments())

    panel.author.value = "Supervisor S (fictional)"
    panel.target.value = fear
    panel.text.value = "What did she say about the last break?"
    panel.add_button.click()
    panel.target.value = link
    panel.text.value = "Evidence for this link?"
    panel.add_button.click()
    panel.target.value = ""
    panel.text.value = "Good progress overall."
    panel.add_button.click()
    new = [c for c in s.formulation.comment_records() if c.id not in before]
    assert [(c.target, c.text) for c in new] == [
        (fear, "What did she say about the last break?"),
        (link, "Evidence for this link?"),
        (None, "Good progress overall."),
    ]
    assert len(panel.open_comments()) == open_before + 3 and s.dirty

    panel.buttons[new[0].id].click()  # resolve
    resolved_earlier = next(c for c in f.comment_records() if c.resolved)
    panel.show_resolved.value = True
    panel.buttons[resolved_earlier.id].click()  # reopen
    assert panel.buttons[new[0].id].description == "Reopen"

    s.save("Supervision comments", "Supervisor S (fictional)", 6)
    again = {c.id: c for c in workbench.load(carer).comment_records()}
    assert again[new[0].id].resolved is True
    assert again[resolved_earlier.id].resolved is False
    assert again[new[1].id].target == link and again[new[2].id].target is None
    assert again[new[2].id].author == "Supervisor S (fictional)"


def test_comment_without_author_or_text_is_refused_with_a_sentence() -> None:
    s, _ids = small_session()
    panel = CommentsPanel(s)
    panel.text.value = "Where is the evidence?"
    panel.add_button.click()
    assert "author" in panel.status.message and s.formulation.comment_records() == []
    panel.author.value = "S"
    panel.text.value = "   "
    panel.add_button.click()
    assert "write the comment" in panel.status.message and s.formulation.comment_records() == []


def test_comment_target_follows_the_graph_selection() -> None:
    s, ids = small_session()
    view = GraphView()
    panel = CommentsPanel(s, view=view)
    view.selected = ids["l2"]
    assert panel.target.value == ids["l2"]


# --- compare ----------------------------------------------------------------------------------


def test_compare_with_the_trainee_gives_hand_checked_figures(carer: Path) -> None:
    s = EditSession.open_file(carer)
    panel = ComparePanel(s, other=TRAINEE)
    assert panel.status.message == ""
    # Matched by label: 5 of A's 15 elements and B's 10; 1 of A's 19 links and B's 9.
    assert panel.figure("elements") == pytest.approx(5 / (15 + 10 - 5))
    assert panel.figure("links") == pytest.approx(1 / (19 + 9 - 1))
    assert panel.figure("elements", "present_symptom") == pytest.approx(2 / (3 + 3 - 2))

    a, b = by_label(s.formulation), by_label(workbench.load(TRAINEE))
    panel.match_choices[a["Fear of being left"]].value = b["Fear of abandonment"]
    panel.match_choices[a["Mother low and withdrawn after a sibling's birth"]].value = \
        b["Mother depressed after her sibling was born"]
    panel.match_choices[a["Overwork: cannot say no at work"]].value = b["Overwork"]
    # 8 shared elements; the trainee's 4 links from father, mother, self-sufficiency and fear now match too.
    assert panel.figure("elements") == pytest.approx(8 / (15 + 10 - 8))
    assert panel.figure("links") == pytest.approx(5 / (19 + 9 - 5))
    assert panel.matching is not None and panel.matching.methods[a["Fear of being left"]] == "manual"

    panel.match_choices[a["Low mood and exhaustion"]].value = ""  # "no match" by hand
    assert panel.figure("elements") == pytest.approx(7 / (15 + 10 - 7))
    sides = [n["side"] for n in panel.view.nodes]
    assert (sides.count("shared"), sides.count("only_a"), sides.count("only_b")) == (7, 8, 3)
    only_b = [n for n in panel.view.nodes if n["side"] == "only_b"]
    assert all(n["label"].startswith("[B] ") for n in only_b)
    assert "7 elements shared, 8 only in A, 3 only in B" in panel.heading.value


def test_compare_two_ccrt_raters_gives_kappa_per_component() -> None:
    s = EditSession.open_file(CCRT)
    panel = ComparePanel(s)
    assert str(CCRT_2) in panel.path.options  # the cases next to this one are offered
    panel.path.value = str(CCRT_2)
    panel.open_button.click()
    assert panel.figure("elements") == 1.0
    t = workbench.load(CCRT).template

    def kappa(a: list[str], b: list[str]) -> float:
        n = len(a)
        p_o = Fraction(sum(x == y for x, y in zip(a, b, strict=True)), n)
        p_e = sum((Fraction(a.count(c) * b.count(c), n * n) for c in set(a)), Fraction(0))
        return float((p_o - p_e) / (1 - p_e))

    # By hand: W 4/7, RO 2/3, RS 3/5 (see the second rater's four recodings).
    assert kappa(["W6", "W4", "W1"], ["W6", "W5", "W1"]) == pytest.approx(4 / 7)
    assert panel.figure(t.code_sets["ccrt_w"].name, "codes") == pytest.approx(4 / 7)
    assert panel.figure(t.code_sets["ccrt_ro"].name, "codes") == pytest.approx(2 / 3)
    assert panel.figure(t.code_sets["ccrt_rs"].name, "codes") == pytest.approx(3 / 5)
    assert "Cohen" in panel.agreement_html.value


def test_compare_with_an_earlier_version_matches_by_id(carer: Path) -> None:
    s = EditSession.open_file(carer)
    panel = ComparePanel(s)
    assert [v for _, v in panel.version.options][1:] == [1, 2, 3, 4, 5, 6]
    panel.version.value = 5
    panel.version_button.click()
    assert panel.matching is not None and set(panel.matching.methods.values()) == {"id"}
    assert panel.figure("elements") == pytest.approx(13 / 15)  # version 6 added two strengths
    assert panel.figure("elements", "strength") == 0.0


def test_compare_reports_a_missing_file_as_a_sentence() -> None:
    s, _ids = small_session()
    panel = ComparePanel(s)
    panel.path.value = "/no/such/case.formulation.json"
    panel.open_button.click()
    assert panel.status.is_error and "There is no file" in panel.status.message
    assert math.isnan(panel.figure("elements"))


# --- checks -----------------------------------------------------------------------------------


def test_checks_row_click_selects_and_highlights_the_element() -> None:
    s = EditSession.new_case(case_id="T-1")
    low = s.add_element("present_symptom", "Low mood")
    view = GraphView()
    chosen: list[str] = []
    panel = ChecksPanel(s, view=view, on_select=chosen.append)
    rows = panel.findings
    index = rows.index[rows["check"] == "symptom_without_roots"][0]
    assert len(panel.row_buttons) == len(rows)

    panel.row_buttons[index].click()
    assert panel.selected == low and view.selected == low and chosen == [low]
    assert "Low mood" in panel.status.message

    past = s.add_element("early_experience", "Father often absent")
    fear = s.add_element("unconscious_fear", "Fear of being left")
    s.add_link(past, fear, "gives_rise_to")
    s.add_link(fear, low, "expressed_as")  # the panel checks again after each edit
    assert "symptom_without_roots" not in set(panel.findings["check"])


def test_checks_of_a_complete_ccrt_case_flag_no_incomplete_episode() -> None:
    s = EditSession.open_file(CCRT)
    panel = ChecksPanel(s)
    assert "incomplete" not in set(panel.findings["check"])
    assert "finding" in panel.summary.value


# --- in the app, and the one-liners -----------------------------------------------------------


def test_the_app_has_a_supervise_tab_wired_to_its_graph(carer: Path) -> None:
    app = App(carer)
    assert app.tabs.titles[-1] == "Supervise"
    panels = app.supervision
    fear = by_label(app.session.formulation)["Fear of being left"]

    app.graph.selected = fear  # on the Element tab: the editor shows it, nothing is traced
    assert app.tabs.selected_index == 0 and panels.trace.highlighted == set()

    app.tabs.selected_index = len(app.tabs.children) - 1
    panels.show("Trace")
    app.graph.selected = ""
    app.graph.selected = fear
    assert app.tabs.selected_index == len(app.tabs.children) - 1
    assert panels.trace.element.value == fear and fear in highlighted(app.graph)

    app.tabs.selected_index = 0  # leaving the tab shows the map plainly again
    assert highlighted(app.graph) == set()

    panels.show("Checks")
    findings = panels.checks.findings
    index = int(findings.index[findings["id"] != ""][0])
    panels.checks.row_buttons[index].click()
    assert app.graph.selected == findings.iloc[index]["id"] != ""

    panels.show("Present")
    panels.present_mode.value = "versions"
    panels.present_button.click()
    assert panels.presenter is not None
    box = app.children[1]  # at the top of the app, above the header and the map: in view
    assert panels.presenter.widget in box.children and "wb-presenter-box" in box._dom_classes
    assert panels.presenter.keys.reveal  # the page scrolls it into view and gives it the keys
    assert panels.presenter.position.value == f"Step 1 of {len(panels.presenter.frames)}"
    box.children[0].click()  # "Close the presenter"
    assert box not in app.children and len(app.children) == 2
    assert PANELS == ("Trace", "Checks", "Comments", "Compare", "Present", "CCRT")


def test_supervise_and_teach_one_liners(carer: Path) -> None:
    sv = workbench.supervise(carer, other=TRAINEE)
    assert isinstance(sv, Supervision)
    assert sv.panels.choice.value == PANELS.index("Compare")
    assert sv.panels.compare.figure("elements") == pytest.approx(0.25)
    presenter = workbench.teach(carer, mode="versions")
    assert isinstance(presenter, Presenter) and len(presenter.frames) == 6


def test_hidden_panels_catch_up_only_when_shown(carer: Path) -> None:
    app = App(carer)
    panels = app.supervision
    assert panels.checks.findings.empty  # never shown yet: the checks have not run
    new = app.session.add_element("present_symptom", "Sleeps badly")
    assert panels.checks.findings.empty and new not in {v for _, v in panels.trace.element.options}

    app.tabs.selected_index = len(app.tabs.children) - 1  # Supervise, on its Trace panel
    assert new in {v for _, v in panels.trace.element.options}
    panels.show("Checks")
    assert new in set(panels.checks.findings["id"])


# --- hostile text ---------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _html_values(widget: object) -> list[str]:
    import ipywidgets as w

    found = [widget.value] if isinstance(widget, w.HTML) else []
    for child in getattr(widget, "children", ()):
        found += _html_values(child)
    return found


def test_user_text_is_escaped_in_every_panel(tmp_path: Path) -> None:
    path = tmp_path / "hostile.formulation.json"
    f = workbench.new(case_id="H-1", title=HOSTILE, clinician=HOSTILE)
    past = f.add_element("early_experience", HOSTILE)
    fear = f.add_element("unconscious_fear", "Fear " + HOSTILE)
    link = f.add_link(past, fear, "gives_rise_to")
    f.add_comment(HOSTILE, author=HOSTILE, target=link)
    workbench.save(f, path, message=HOSTILE, author=HOSTILE, session=1)
    other = tmp_path / "other.formulation.json"
    g = workbench.new(case_id="H-1", title=HOSTILE)
    g.add_element("unconscious_fear", HOSTILE + " too")
    workbench.save(g, other, message="x", author="y")

    s = EditSession.open_file(path)
    trace = TracePanel(s)
    trace.element.value = fear
    checks = ChecksPanel(s)
    comments = CommentsPanel(s)
    compare = ComparePanel(s, other=other)
    presenter = Presenter(path, mode="versions")
    shown = [v for panel in (trace, checks, comments, compare, presenter) for v in _html_values(panel.widget)]
    assert any("&lt;script&gt;" in v for v in shown)
    for value in shown:
        assert "<script" not in value and "<img" not in value, value[:200]


# --- the one-line entry points of the notebooks ----------------------------------------------


def test_one_line_entry_points_open_their_views() -> None:
    malan = TEACHING / "malan_cheerful_younger_brother.formulation.json"
    panel = workbench.trace(malan, "Anger at being overlooked", direction="out_of")
    assert isinstance(panel, TracePanel)
    assert highlighted(panel.view)
    assert isinstance(workbench.teach(CCRT, mode="sessions"), Presenter)
    assert isinstance(workbench.supervise(CARER, other=TRAINEE), Supervision)


@pytest.mark.parametrize(
    ("open_view", "sentence"),
    [
        (lambda p: workbench.supervise(p / "missing.formulation.json"), "there is no such file."),
        (lambda p: workbench.teach(p / "missing.formulation.json"), "there is no such file."),
        (lambda p: workbench.trace(CARER, "No such <b>label</b>"), "There is no element called"),
    ],
)
def test_one_line_entry_points_show_a_sentence_instead_of_a_traceback(
    tmp_path: Path, open_view: object, sentence: str
) -> None:
    shown = open_view(tmp_path)  # type: ignore[operator]
    assert shown.is_error
    assert sentence in shown.message
    assert "<b>" not in shown.value and "Traceback" not in shown.value
