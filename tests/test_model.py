"""Unit tests of the domain model: elements, links, comments, case metadata, errors."""

from __future__ import annotations

import networkx as nx
import pytest

import workbench
from workbench import errors
from workbench.model import CONFIDENCE_SCALE, Change, Evidence, Formulation


@pytest.fixture
def f() -> Formulation:
    return workbench.new(case_id="C-017", title="Demo", clinician="Dr A")


def test_new_records_case_metadata(f: Formulation) -> None:
    assert f.meta.case_id == "C-017"
    assert f.meta.title == "Demo"
    assert f.meta.template == "psychodynamic"
    assert f.meta.created.endswith("Z")
    assert len(f) == 0
    assert not f.modified


def test_case_id_is_required() -> None:
    with pytest.raises(errors.InvalidValue, match="case id"):
        workbench.new(case_id="  ")


def test_unknown_template_names_installed_ones() -> None:
    message = r"There is no template 'nope'; installed templates are: .*psychodynamic"
    with pytest.raises(errors.TemplateNotFound, match=message):
        workbench.new("nope", case_id="X")


def test_add_element_returns_stable_id_and_stores_fields(f: Formulation) -> None:
    eid = f.add_element(
        "early_experience",
        "  Father often absent ",
        description="Worked abroad",
        evidence=[{"session": 2, "date": "2024-03-18", "quote": "He was never there."}],
        confidence="high",
        status="supported",
        time_frame="past",
        tags=["father", "loss", "father"],
        notes="private",
    )
    el = f.element(eid)
    assert eid.startswith("el-")
    assert el.label == "Father often absent"
    assert el.evidence == (Evidence(session=2, date="2024-03-18", quote="He was never there."),)
    assert el.confidence == CONFIDENCE_SCALE["high"]
    assert el.status == "supported"
    assert el.time_frame == "past"
    assert el.tags == ("father", "loss")
    assert el.created == el.updated
    assert f.modified
    f.update_element(eid, label="Father away for work")
    assert f.element(eid).label == "Father away for work"
    assert f.element(eid).id == eid


def test_ids_are_unique_and_explicit_ids_are_checked(f: Formulation) -> None:
    ids = {f.add_element("defense", f"d{i}") for i in range(200)}
    assert len(ids) == 200
    f.add_element("defense", "mine", id="el-mine")
    with pytest.raises(errors.DuplicateId, match="already used"):
        f.add_element("defense", "again", id="el-mine")


def test_unknown_element_kind_lists_kinds(f: Formulation) -> None:
    with pytest.raises(errors.UnknownKind) as info:
        f.add_element("dream", "x")
    assert str(info.value).startswith(
        "'dream' is not an element kind of template 'psychodynamic'; "
        "kinds are: early_experience, unconscious_wish,"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"confidence": 1.5}, "Confidence must be a number from 0 to 1"),
        ({"confidence": "sure"}, "is not a level"),
        ({"status": "maybe"}, "Status 'maybe' is not one of: hypothesis, supported, discarded"),
        ({"time_frame": "future"}, "Time frame 'future' is not one of"),
        ({"evidence": [{"session": -1}]}, "Evidence item 1: the session must be a whole number"),
        ({"evidence": [{"date": "18/03/2024"}]}, "the date must look like 2024-03-18"),
        ({"evidence": [{"page": 3}]}, "unknown field 'page'"),
        ({"colour": "red"}, "An element has no field 'colour'"),
        ({"code": "W1"}, "carry no code"),
    ],
)
def test_invalid_fields_are_refused_with_sentences(f: Formulation, fields: dict, message: str) -> None:
    with pytest.raises(errors.InvalidValue, match=message):
        f.add_element("defense", "Denial", **fields)
    assert len(f) == 0


def test_empty_label_is_refused(f: Formulation) -> None:
    with pytest.raises(errors.InvalidValue, match="label cannot be empty"):
        f.add_element("defense", "   ")


def test_links_follow_template_rules(f: Formulation) -> None:
    past = f.add_element("early_experience", "Father often absent")
    fear = f.add_element("unconscious_fear", "Fear of being left")
    lid = f.add_link(past, fear, "gives_rise_to", confidence=0.6, evidence=[Evidence(session=3)])
    assert f.sentence(lid) == "Father often absent gives rise to Fear of being left"
    assert f.link(lid).source == past
    with pytest.raises(
        errors.LinkNotAllowed, match="cannot go from 'unconscious_fear' to 'early_experience'"
    ):
        f.add_link(fear, past, "gives_rise_to")
    with pytest.raises(errors.UnknownKind, match="is not a link kind"):
        f.add_link(past, fear, "causes")
    with pytest.raises(errors.ElementNotFound, match="There is no element 'el-missing'"):
        f.add_link(past, "el-missing", "gives_rise_to")


def test_graph_is_a_multidigraph_keyed_by_link_id(f: Formulation) -> None:
    a = f.add_element("relational_pattern", "Withdraws when close")
    b = f.add_element("present_symptom", "Conflict with partner")
    l1 = f.add_link(a, b, "expressed_as")
    l2 = f.add_link(a, b, "maintains")
    g = f.graph
    assert isinstance(g, nx.MultiDiGraph)
    assert set(g.edges(keys=True)) == {(a, b, l1), (a, b, l2)}
    assert g.nodes[a]["kind"] == "relational_pattern"
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")  # a read-only view


def test_protects_against_has_negative_weight(f: Formulation) -> None:
    s = f.add_element("strength", "Close friend")
    p = f.add_element("present_symptom", "Low mood")
    lid = f.add_link(s, p, "protects_against")
    assert f.graph.edges[s, p, lid]["weight"] == -1.0
    f.update_link(lid, weight=-0.5)
    assert f.graph.edges[s, p, lid]["weight"] == -0.5


def test_remove_element_in_use_needs_cascade(f: Formulation) -> None:
    a = f.add_element("early_experience", "Loss of mother at 8")
    b = f.add_element("unconscious_fear", "Fear of loss")
    lid = f.add_link(a, b, "gives_rise_to")
    f.add_comment("Is this supported?", author="Supervisor", target=a)
    with pytest.raises(errors.ElementInUse) as info:
        f.remove_element(a)
    assert info.value.link_ids == (lid,)
    assert f.has_element(a) and f.has_link(lid)
    assert f.remove_element(a, cascade=True) == [lid]
    assert not f.has_element(a) and not f.has_link(lid)
    assert f.comments().empty


def test_update_link_can_move_ends_within_rules(f: Formulation) -> None:
    a = f.add_element("defense", "Self-sufficiency")
    b = f.add_element("unconscious_fear", "Fear of dependence")
    c = f.add_element("unconscious_wish", "Wish to be cared for")
    lid = f.add_link(a, b, "defends_against")
    f.update_link(lid, target=c)
    assert f.link(lid).target == c
    assert list(f.graph.edges(keys=True)) == [(a, c, lid)]
    with pytest.raises(errors.LinkNotAllowed):
        f.update_link(lid, source=b)
    assert f.link(lid).source == a


def test_changing_kind_checks_existing_links(f: Formulation) -> None:
    a = f.add_element("defense", "Self-sufficiency")
    b = f.add_element("unconscious_fear", "Fear of dependence")
    f.add_link(a, b, "defends_against")
    with pytest.raises(errors.LinkNotAllowed):
        f.update_element(a, kind="strength")
    assert f.element(a).kind == "defense"
    f.update_element(b, kind="unconscious_wish")
    assert f.element(b).kind == "unconscious_wish"


def test_comments_on_formulation_elements_and_links(f: Formulation) -> None:
    a = f.add_element("present_symptom", "Low mood")
    c1 = f.add_comment("Good start.", author="Supervisor")
    c2 = f.add_comment("Evidence?", author="Supervisor", target=a)
    f.resolve_comment(c2)
    assert f.comment(c2).resolved
    assert list(f.comments(open_only=True).index) == [c1]
    f.resolve_comment(c2, resolved=False)
    assert not f.comment(c2).resolved
    with pytest.raises(errors.InvalidValue):
        f.add_comment("  ")
    with pytest.raises(errors.ElementNotFound):
        f.add_comment("x", target="el-gone")


def test_tables_have_one_row_per_record(f: Formulation) -> None:
    a = f.add_element("early_experience", "A", evidence=[{"session": 3}, {"session": 1}])
    b = f.add_element("unconscious_wish", "B")
    f.add_link(a, b, "gives_rise_to")
    els = f.elements()
    assert list(els.index) == [a, b]
    assert els.loc[a, "sessions"] == "1, 3"
    assert els.loc[a, "kind_name"] == "Early experience"
    links = f.links()
    assert links.iloc[0]["verb"] == "gives rise to"
    assert links.iloc[0]["source_label"] == "A"


def test_observers_see_every_change_with_before_and_after(f: Formulation) -> None:
    seen: list[Change] = []
    stop = f.observe(seen.append)
    a = f.add_element("defense", "Denial")
    f.update_element(a, label="Denial of need")
    f.update_element(a, label="Denial of need")  # no change, no event
    f.remove_element(a)
    stop()
    f.add_element("defense", "unseen")
    assert [(c.action, c.what) for c in seen] == [
        ("add", "element"),
        ("update", "element"),
        ("remove", "element"),
    ]
    assert seen[1].before.label == "Denial" and seen[1].after.label == "Denial of need"


def test_copy_is_independent_and_equal(f: Formulation) -> None:
    a = f.add_element("defense", "Denial")
    g = f.copy()
    assert g == f
    g.update_element(a, label="Changed")
    assert g != f
    assert f.element(a).label == "Denial"


def test_restore_records_puts_back_exact_records(f: Formulation) -> None:
    a = f.add_element("defense", "Denial")
    record = f.element(a)
    f.update_element(a, label="Other")
    f.restore_records(elements=[record])
    assert f.element(a) == record


def test_update_meta(f: Formulation) -> None:
    f.update_meta(title="New title", fictional=True)
    assert f.meta.title == "New title" and f.meta.fictional
    with pytest.raises(errors.InvalidValue, match="no field 'template'"):
        f.update_meta(template="ccrt")


def test_repr_is_short(f: Formulation) -> None:
    for i in range(50):
        f.add_element("defense", "x" * 1000 + str(i))
    assert len(repr(f)) < 100
