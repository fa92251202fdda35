"""Tests of workbench.analysis.trace: roots, consequences, paths tables, highlights and cycles."""

from __future__ import annotations

import itertools

import pytest

import workbench
from workbench.analysis import consequences_of, cycles, highlight_for, paths_table, roots_of
from workbench.errors import ElementNotFound
from workbench.model import Formulation


@pytest.fixture
def case() -> tuple[Formulation, dict[str, str]]:
    """The issue's example: father absent -> fear of being left <- self-sufficiency -> conflict."""
    f = workbench.new(case_id="T-1")
    ids = {
        "past": f.add_element("early_experience", "father often absent"),
        "fear": f.add_element("unconscious_fear", "of being left"),
        "defense": f.add_element("defense", "self-sufficiency"),
        "problem": f.add_element("present_symptom", "conflict with partner over closeness"),
        "mother": f.add_element("early_experience", "mother withdrawn"),
    }
    ids["l_past_fear"] = f.add_link(ids["past"], ids["fear"], "gives_rise_to")
    ids["l_def_fear"] = f.add_link(ids["defense"], ids["fear"], "defends_against")
    ids["l_def_problem"] = f.add_link(ids["defense"], ids["problem"], "expressed_as")
    ids["l_mother_def"] = f.add_link(ids["mother"], ids["defense"], "gives_rise_to")
    return f, ids


def test_roots_read_the_defense_backwards_as_in_the_issue(case: tuple[Formulation, dict[str, str]]) -> None:
    f, ids = case
    paths = roots_of(f, ids["problem"])
    sentences = sorted(p.sentence for p in paths)
    assert sentences == [
        "Early experience “father often absent” gives rise to unconscious fear “of being left”, which is "
        "defended against by defense “self-sufficiency”, which is expressed as present symptom or problem "
        "“conflict with partner over closeness”.",
        "Early experience “mother withdrawn” gives rise to defense “self-sufficiency”, which is expressed "
        "as present symptom or problem “conflict with partner over closeness”.",
    ]
    by_start = {p.elements[0]: p for p in paths}
    issue_path = by_start[ids["past"]]
    assert issue_path.elements == (ids["past"], ids["fear"], ids["defense"], ids["problem"])
    assert issue_path.links == (ids["l_past_fear"], ids["l_def_fear"], ids["l_def_problem"])
    assert issue_path.backward == (False, True, False)
    assert issue_path.complete


def test_roots_by_link_direction_only(case: tuple[Formulation, dict[str, str]]) -> None:
    f, ids = case
    paths = roots_of(f, ids["problem"], causal=False)
    assert [p.elements for p in paths] == [(ids["mother"], ids["defense"], ids["problem"])]
    assert paths[0].backward == (False, False)


def test_consequences_of_an_early_experience(case: tuple[Formulation, dict[str, str]]) -> None:
    f, ids = case
    paths = consequences_of(f, ids["past"])
    assert [p.elements for p in paths] == [(ids["past"], ids["fear"], ids["defense"], ids["problem"])]
    assert consequences_of(f, ids["past"], causal=False)[0].elements == (ids["past"], ids["fear"])


def test_an_element_without_links_has_no_paths(case: tuple[Formulation, dict[str, str]]) -> None:
    f, _ = case
    lonely = f.add_element("strength", "curious")
    assert roots_of(f, lonely) == []
    assert consequences_of(f, lonely) == []
    assert paths_table(f, []).empty


def test_unknown_element_is_a_clear_error(case: tuple[Formulation, dict[str, str]]) -> None:
    f, _ = case
    with pytest.raises(ElementNotFound, match="There is no element 'el-nope'"):
        roots_of(f, "el-nope")


def test_paths_table_and_highlight(case: tuple[Formulation, dict[str, str]]) -> None:
    f, ids = case
    paths = roots_of(f, ids["problem"])
    table = paths_table(f, paths)
    assert list(table["path"]) == [1, 2]
    assert set(table["start_label"]) == {"father often absent", "mother withdrawn"}
    assert set(table["end"]) == {ids["problem"]}
    assert sorted(table["length"]) == [2, 3]
    assert list(table["sentence"]) == [p.sentence for p in paths]
    assert highlight_for(paths) == {
        ids["past"], ids["fear"], ids["defense"], ids["problem"], ids["mother"],
        ids["l_past_fear"], ids["l_def_fear"], ids["l_def_problem"], ids["l_mother_def"],
    }
    assert highlight_for([]) == set()


def test_parallel_links_give_separate_paths() -> None:
    f = workbench.new(case_id="T-2")
    a = f.add_element("relational_pattern", "withdraws")
    b = f.add_element("present_symptom", "low mood")
    one = f.add_link(a, b, "expressed_as")
    two = f.add_link(a, b, "maintains")
    assert sorted(p.links for p in roots_of(f, b)) == sorted([(one,), (two,)])
    assert {p.sentence for p in roots_of(f, b)} == {
        "Relational pattern “withdraws” is expressed as present symptom or problem “low mood”.",
        "Relational pattern “withdraws” maintains present symptom or problem “low mood”.",
    }


def test_paths_stop_where_a_cycle_closes() -> None:
    f = workbench.new(case_id="T-3")
    a = f.add_element("present_symptom", "low mood")
    b = f.add_element("present_symptom", "withdrawal")
    f.add_link(a, b, "maintains")
    f.add_link(b, a, "maintains")
    paths = roots_of(f, a)
    assert [p.elements for p in paths] == [(b, a)]
    assert paths[0].complete


def test_bounds_cut_long_chains_and_many_paths() -> None:
    f = workbench.new(case_id="T-4")
    chain = [f.add_element("present_symptom", f"problem {i}") for i in range(12)]
    for x, y in itertools.pairwise(chain):
        f.add_link(x, y, "maintains")
    cut = roots_of(f, chain[-1], max_length=4)
    assert [len(p) for p in cut] == [4]
    assert cut[0].elements == tuple(chain[-5:])
    assert not cut[0].complete
    assert roots_of(f, chain[-1])[0].complete is False  # the default bound is 8 links
    assert roots_of(f, chain[-1], max_length=20)[0].complete

    # A dense layered graph has 5**4 = 625 maximal paths into the sink; max_paths caps them.
    g = workbench.new(case_id="T-5")
    sink = g.add_element("present_symptom", "sink")
    layers = [[g.add_element("present_symptom", f"p{layer}-{i}") for i in range(5)] for layer in range(4)]
    for upper, lower in itertools.pairwise(layers):
        for x in upper:
            for y in lower:
                g.add_link(x, y, "maintains")
    for x in layers[-1]:
        g.add_link(x, sink, "maintains")
    assert len(roots_of(g, sink, max_paths=50)) == 50
    assert len(roots_of(g, sink, max_paths=1000)) == 625
    with pytest.raises(ValueError):
        roots_of(g, sink, max_paths=0)


def test_tracing_does_not_change_the_formulation(case: tuple[Formulation, dict[str, str]]) -> None:
    f, ids = case
    before = f.copy()
    roots_of(f, ids["problem"])
    consequences_of(f, ids["past"])
    cycles(f)
    assert f == before


def test_vicious_circle_named_and_started_at_earliest_layer() -> None:
    f = workbench.new(case_id="T-6")
    mood = f.add_element("present_symptom", "Low mood")
    withdrawal = f.add_element("relational_pattern", "Withdrawal")
    one = f.add_link(mood, withdrawal, "maintains")
    two = f.add_link(withdrawal, mood, "maintains")
    table = cycles(f)
    assert len(table) == 1
    row = table.iloc[0]
    # The relational pattern (layer 3) comes before the symptom (layer 4).
    assert row["elements"] == (withdrawal, mood)
    assert row["links"] == (two, one)
    assert row["type"] == "vicious circle"
    assert row["name"] == "vicious circle: Withdrawal maintains Low mood maintains Withdrawal"
    assert row["sentence"] == (
        "Relational pattern “Withdrawal” maintains present symptom or problem “Low mood”, "
        "which maintains “Withdrawal” again."
    )
    assert not row["through_therapist"]
    assert row["length"] == 2


def test_cycle_through_transference_is_flagged() -> None:
    f = workbench.new(case_id="T-7")
    fear = f.add_element("unconscious_fear", "of being left")
    pattern = f.add_element("relational_pattern", "looks after others")
    therapist = f.add_element("transference", "apologises for taking up time")
    f.add_link(fear, pattern, "expressed_as")
    f.add_link(pattern, therapist, "repeats_in")
    f.add_link(therapist, fear, "triggers")
    row = cycles(f).iloc[0]
    assert row["type"] == "repeating pattern"
    assert row["through_therapist"]
    assert row["therapist_elements"] == (therapist,)


def test_cmp_cycle_named() -> None:
    f = workbench.new("cmp", case_id="T-8")
    expects = f.add_element("expectations_of_others", "others will drop her")
    act = f.add_element("acts_of_self", "agrees to everything")
    others = f.add_element("acts_of_others", "take her for granted")
    f.add_link(expects, act, "shapes")
    f.add_link(act, others, "evokes")
    f.add_link(others, expects, "confirms")
    row = cycles(f).iloc[0]
    assert row["type"] == "CMP cycle"
    assert row["name"].startswith("CMP cycle: others will drop her shapes agrees to everything evokes")
    assert not row["through_therapist"]


def test_cmp_cycle_through_the_therapist() -> None:
    f = workbench.new("cmp", case_id="T-9")
    expects = f.add_element("expectations_of_others", "others will drop her")
    act = f.add_element("acts_of_self", "agrees with the therapist")
    reaction = f.add_element("therapist_reaction", "therapist gives advice")
    f.add_link(expects, act, "shapes")
    f.add_link(act, reaction, "pulls_for")
    f.add_link(reaction, expects, "confirms")
    assert bool(cycles(f).iloc[0]["through_therapist"])


def test_malan_triangle_of_conflict_and_therapist_corner() -> None:
    f = workbench.new("malan", case_id="T-10")
    feeling = f.add_element("hidden_feeling", "anger")
    anxiety = f.add_element("anxiety", "guilt")
    defense = f.add_element("defense", "cheerful compliance")
    f.add_link(feeling, anxiety, "arouses")
    f.add_link(anxiety, defense, "leads_to")
    f.add_link(defense, feeling, "defends_against")
    row = cycles(f).iloc[0]
    assert row["type"] == "triangle of conflict"
    assert not row["through_therapist"]
    assert set(row["elements"]) == {feeling, anxiety, defense}


def test_ccrt_therapist_episode_counts_as_transference() -> None:
    f = workbench.new("ccrt", case_id="T-11")
    therapist = f.add_element("episode_therapist", "RE 5: session ends on time")
    father = f.add_element("episode_past", "RE 3: father laughs")
    f.add_link(therapist, father, "parallels")
    f.add_link(father, therapist, "parallels")
    row = cycles(f).iloc[0]
    assert row["type"] == "repeating pattern"
    assert row["through_therapist"]


def test_no_cycles_gives_an_empty_table_with_columns(case: tuple[Formulation, dict[str, str]]) -> None:
    f, _ = case
    table = cycles(f)
    assert table.empty
    assert "through_therapist" in table.columns


def test_cycles_are_bounded() -> None:
    f = workbench.new(case_id="T-12")
    nodes = [f.add_element("present_symptom", f"p{i}") for i in range(6)]
    for x in nodes:
        for y in nodes:
            if x != y:
                f.add_link(x, y, "maintains")
    assert len(cycles(f, max_cycles=10)) == 10
    assert set(cycles(f, max_length=2)["length"]) == {2}
    assert len(cycles(f, max_length=2)) == 15  # one 2-cycle per pair of 6 elements
