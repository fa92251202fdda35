"""Tests of workbench.analysis.compare, with hand-computed Jaccard and kappa values."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

import workbench
from workbench.analysis.compare import (
    Matching,
    agreement_table,
    cohens_kappa,
    jaccard,
    kappa_terms,
    label_similarity,
    match,
    matches_table,
    merged_graph,
    normalise_label,
)
from workbench.errors import ElementNotFound, InvalidValue
from workbench.model import Formulation


def pair() -> tuple[Formulation, Formulation, dict[str, str]]:
    """A supervisor's (A) and a trainee's (B) formulation of one case."""
    a = workbench.new(case_id="C-1", clinician="supervisor")
    b = workbench.new(case_id="C-1", clinician="trainee")
    i = {
        "a1": a.add_element("early_experience", "Father often absent"),
        "a2": a.add_element("unconscious_fear", "Fear of being left"),
        "a3": a.add_element("defense", "Self-sufficiency"),
        "a4": a.add_element("present_symptom", "Low mood"),
        "b1": b.add_element("early_experience", "father  often absent!"),
        "b2": b.add_element("unconscious_fear", "fear of being abandoned"),
        "b3": b.add_element("defense", "Intellectualisation"),
        "b4": b.add_element("present_symptom", "Low mood and exhaustion"),
        "b5": b.add_element("strength", "Loyal friend"),
    }
    i["la1"] = a.add_link(i["a1"], i["a2"], "gives_rise_to")
    i["la2"] = a.add_link(i["a3"], i["a2"], "defends_against")
    i["la3"] = a.add_link(i["a2"], i["a4"], "expressed_as")
    i["lb1"] = b.add_link(i["b1"], i["b2"], "gives_rise_to")
    i["lb2"] = b.add_link(i["b2"], i["b4"], "expressed_as")
    i["lb3"] = b.add_link(i["b3"], i["b2"], "defends_against")
    i["lb4"] = b.add_link(i["b5"], i["b4"], "protects_against")
    return a, b, i


def value(table, scope: str, kind: str, figure: str = "Jaccard") -> float:  # type: ignore[no-untyped-def]
    rows = table[(table["figure"] == figure) & (table["scope"] == scope) & (table["kind"] == kind)]
    assert len(rows) == 1, (scope, kind)
    return float(rows.iloc[0]["value"])


def test_normalised_labels_and_similarity() -> None:
    assert normalise_label("  Fear of\n being LEFT!! ") == "fear of being left"
    assert normalise_label("Ｆｅａｒ") == "fear"  # full-width letters fold to ASCII (NFKC)
    assert label_similarity("Father often absent", "father  often absent!") == 1.0
    # {fear, of, being, left} vs {fear, of, being, abandoned}: 3 shared of 5 words.
    assert label_similarity("Fear of being left", "fear of being abandoned") == pytest.approx(3 / 5)
    # {low, mood} vs {low, mood, and, exhaustion}: 2 of 4.
    assert label_similarity("Low mood", "Low mood and exhaustion") == pytest.approx(2 / 4)
    assert label_similarity("Self-sufficiency", "Intellectualisation") == 0.0
    assert label_similarity("!!", "!!") == 1.0
    assert label_similarity("!!", "??") == 0.0


def test_match_by_kind_and_label() -> None:
    a, b, i = pair()
    m = match(a, b)
    assert m.elements == {i["a1"]: i["b1"], i["a2"]: i["b2"], i["a4"]: i["b4"]}
    assert set(m.methods.values()) == {"label"}
    assert m.similarity[i["a2"]] == pytest.approx(0.6)
    # Links pair when both ends pair and the kinds agree: la1-lb1 and la3-lb2 (la2 starts at unpaired a3).
    assert m.links == {i["la1"]: i["lb1"], i["la3"]: i["lb2"]}
    # A stricter threshold leaves "Low mood" / "Low mood and exhaustion" (0.5) unpaired.
    assert i["a4"] not in match(a, b, threshold=0.6).elements


def test_labels_pair_only_within_a_kind_and_best_first() -> None:
    a = workbench.new(case_id="C-2")
    b = workbench.new(case_id="C-2")
    wish = a.add_element("unconscious_wish", "To be cared for")
    fear = b.add_element("unconscious_fear", "To be cared for")
    close = b.add_element("unconscious_wish", "To be cared for by her partner")
    exact = b.add_element("unconscious_wish", "to be cared for")
    m = match(a, b)
    assert m.elements == {wish: exact}
    assert fear not in m.elements.values() and close not in m.elements.values()


def test_manual_matches_come_first_and_are_checked() -> None:
    a, b, i = pair()
    m = match(a, b, matches={i["a3"]: i["b3"]})
    assert m.elements[i["a3"]] == i["b3"]
    assert m.methods[i["a3"]] == "manual"
    assert m.links[i["la2"]] == i["lb3"]  # now both ends of the defense link pair
    with pytest.raises(ElementNotFound, match="formulation A"):
        match(a, b, matches={"el-nope": i["b3"]})
    with pytest.raises(ElementNotFound, match="formulation B"):
        match(a, b, matches={i["a3"]: "el-nope"})
    with pytest.raises(InvalidValue, match="matched twice"):
        match(a, b, matches={i["a3"]: i["b3"], i["a4"]: i["b3"]})
    with pytest.raises(InvalidValue):
        match(a, b, threshold=1.5)


def test_versions_of_one_file_match_by_id() -> None:
    a, _, i = pair()
    a.file_id = "file-1"
    b = a.copy()
    b.update_element(i["a4"], label="Exhausted, flat, hopeless")
    added = b.add_element("strength", "Loyal friend")
    m = match(a, b)  # same file_id: by id
    assert m.elements == {i["a1"]: i["a1"], i["a2"]: i["a2"], i["a3"]: i["a3"], i["a4"]: i["a4"]}
    assert set(m.methods.values()) == {"id"}
    assert m.links == {i["la1"]: i["la1"], i["la2"]: i["la2"], i["la3"]: i["la3"]}
    assert added not in m.elements.values()
    assert i["a4"] not in match(a, b, by_id=False).elements  # the renamed label no longer matches


def test_jaccard_hand_computed() -> None:
    assert jaccard(3, 4, 5) == pytest.approx(3 / 6)
    assert jaccard(0, 2, 3) == 0.0
    assert jaccard(2, 2, 2) == 1.0
    assert math.isnan(jaccard(0, 0, 0))
    with pytest.raises(ValueError):
        jaccard(3, 2, 5)


def test_agreement_table_hand_computed() -> None:
    a, b, i = pair()
    table = agreement_table(a, b)
    # Elements: 3 paired of |A| = 4, |B| = 5: 3 / (4 + 5 - 3) = 3/6 = 0.5.
    assert value(table, "elements", "all") == pytest.approx(0.5)
    row = table[(table["scope"] == "elements") & (table["kind"] == "all")].iloc[0]
    assert (row["n_a"], row["n_b"], row["shared"]) == (4, 5, 3)
    # Per kind: early experience 1/(1+1-1) = 1; defense 0/(1+1-0) = 0; strength 0/(0+1-0) = 0.
    assert value(table, "elements", "early_experience") == 1.0
    assert value(table, "elements", "unconscious_fear") == 1.0
    assert value(table, "elements", "present_symptom") == 1.0
    assert value(table, "elements", "defense") == 0.0
    assert value(table, "elements", "strength") == 0.0
    # Links: 2 paired of |A| = 3, |B| = 4: 2 / (3 + 4 - 2) = 2/5 = 0.4.
    assert value(table, "links", "all") == pytest.approx(0.4)
    assert value(table, "links", "gives_rise_to") == 1.0
    assert value(table, "links", "defends_against") == 0.0
    assert value(table, "links", "protects_against") == 0.0
    assert not (table["figure"] == "Cohen's kappa").any()  # nothing here is coded

    # Pairing the two defenses by hand: elements 4 / (4 + 5 - 4) = 0.8; links 3 / (3 + 4 - 3) = 0.75.
    manual = agreement_table(a, b, match(a, b, matches={i["a3"]: i["b3"]}))
    assert value(manual, "elements", "all") == pytest.approx(0.8)
    assert value(manual, "links", "all") == pytest.approx(0.75)
    assert value(manual, "elements", "defense") == 1.0


def test_a_cross_kind_manual_match_counts_overall_but_not_per_kind() -> None:
    a, b, i = pair()
    m = match(a, b, matches={i["a3"]: i["b5"]})  # a defense paired with a strength
    table = agreement_table(a, b, m)
    # Overall 4 / (4 + 5 - 4) = 0.8; defense 0 / (1 + 1 - 0) = 0; strength 0 / (0 + 1 - 0) = 0.
    assert value(table, "elements", "all") == pytest.approx(0.8)
    assert value(table, "elements", "defense") == 0.0
    assert value(table, "elements", "strength") == 0.0


def test_kappa_hand_computed() -> None:
    # Wikipedia's worked 2x2 example: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no.
    # p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert kappa_terms(a, b) == (Fraction(7, 10), Fraction(1, 2))
    assert cohens_kappa(a, b) == pytest.approx(0.4)
    # Six wishes: A = W5 W5 W6 W6 W1 W1, B = W5 W6 W6 W6 W1 W4. Agreements 4 -> p_o = 2/3.
    # Marginals A: W5 2, W6 2, W1 2; B: W5 1, W6 3, W1 1, W4 1.
    # p_e = (2*1 + 2*3 + 2*1 + 0*1) / 36 = 10/36 = 5/18; kappa = (2/3 - 5/18) / (13/18) = 7/13.
    codes_a = ["W5", "W5", "W6", "W6", "W1", "W1"]
    codes_b = ["W5", "W6", "W6", "W6", "W1", "W4"]
    assert kappa_terms(codes_a, codes_b) == (Fraction(2, 3), Fraction(5, 18))
    assert cohens_kappa(codes_a, codes_b) == pytest.approx(7 / 13)
    # Perfect agreement 1; exact swap of two categories: p_o = 0, p_e = 1/2, kappa = -1.
    assert cohens_kappa(["x", "y", "z"], ["x", "y", "z"]) == 1.0
    assert cohens_kappa(["x", "y"], ["y", "x"]) == -1.0
    # Undefined: both coders used one category throughout (p_e = 1), or nothing coded.
    assert math.isnan(cohens_kappa(["x", "x"], ["x", "x"]))
    assert math.isnan(cohens_kappa([], []))
    with pytest.raises(ValueError):
        cohens_kappa(["x"], ["x", "y"])


def ccrt_pair(codes_a: list[str | None], codes_b: list[str | None]) -> tuple[Formulation, Formulation]:
    a = workbench.new("ccrt", case_id="C-3")
    b = workbench.new("ccrt", case_id="C-3")
    for n, (x, y) in enumerate(zip(codes_a, codes_b, strict=True)):
        a.add_element("wish", f"wish {n}", code=x)
        b.add_element("wish", f"Wish {n}.", code=y)
    return a, b


def test_kappa_of_ccrt_wish_clusters_in_the_agreement_table() -> None:
    a, b = ccrt_pair(["W5", "W5", "W6", "W6", "W1", "W1", None], ["W5", "W6", "W6", "W6", "W1", "W4", "W2"])
    a.add_element("response_of_other", "Dismisses him", code="RO5")
    b.add_element("response_of_other", "dismisses him", code="RO5")
    table = agreement_table(a, b)
    wishes = table[table["scope"] == "CCRT wish clusters (Edition 3)"]
    assert len(wishes) == 1  # the codes are clusters: no separate cluster row
    row = wishes.iloc[0]
    assert row["figure"] == "Cohen's kappa"
    assert (row["pairs"], row["agreements"]) == (6, 4)
    assert row["value"] == pytest.approx(7 / 13)
    assert "observed agreement 0.667, chance agreement 0.278" in row["note"]
    assert "1 paired element(s) left out" in row["note"]
    # One RO pair coded alike: p_e = 1, kappa undefined (NaN), said so in the note.
    ro = table[table["scope"] == "CCRT response-of-other clusters (Edition 3)"].iloc[0]
    assert math.isnan(ro["value"]) and "undefined" in ro["note"]


CODED_TEMPLATE = """
id = "coded_test"
name = "Coded test template"
layers = ["Wishes"]

[[element_kinds]]
id = "wish"
name = "Wish"
code_set = "wishes"

[[link_kinds]]
id = "leads_to"
verb = "leads to"
allow = [ { from = ["wish"], to = ["wish"] } ]

[[code_sets]]
id = "wishes"
name = "Test wishes"
clusters = [ { id = "C1", name = "Closeness" }, { id = "C2", name = "Autonomy" } ]
codes = [
  { id = "c1a", name = "to be held", cluster = "C1" },
  { id = "c1b", name = "to be loved", cluster = "C1" },
  { id = "c2a", name = "to be free", cluster = "C2" },
]
"""


def test_kappa_at_code_and_cluster_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "coded_test.toml").write_text(CODED_TEMPLATE, encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path))
    a = workbench.new("coded_test", case_id="C-4")
    b = workbench.new("coded_test", case_id="C-4")
    for n, (x, y) in enumerate([("c1a", "c1b"), ("c1b", "c1b"), ("c2a", "c2a"), ("c1a", "c2a")]):
        a.add_element("wish", f"wish {n}", code=x)
        b.add_element("wish", f"wish {n}", code=y)
    table = agreement_table(a, b)
    codes = table[(table["figure"] == "Cohen's kappa") & (table["kind"] == "codes")].iloc[0]
    clusters = table[(table["figure"] == "Cohen's kappa") & (table["kind"] == "clusters")].iloc[0]
    # Codes: A = c1a c1b c2a c1a, B = c1b c1b c2a c2a; p_o = 2/4.
    # p_e = (c1a 2*0 + c1b 1*2 + c2a 1*2) / 16 = 4/16; kappa = (1/2 - 1/4) / (3/4) = 1/3.
    assert codes["value"] == pytest.approx(1 / 3)
    # Clusters: A = C1 C1 C2 C1, B = C1 C1 C2 C2; p_o = 3/4.
    # p_e = (C1 3*2 + C2 1*2) / 16 = 8/16; kappa = (3/4 - 1/2) / (1/2) = 1/2.
    assert clusters["value"] == pytest.approx(1 / 2)
    assert (clusters["pairs"], clusters["agreements"]) == (4, 3)


def test_matches_table_lists_every_element_once() -> None:
    a, b, i = pair()
    table = matches_table(a, b, match(a, b))
    assert list(table["side"]).count("shared") == 3
    assert list(table[table["side"] == "only_a"]["a_id"]) == [i["a3"]]
    assert list(table[table["side"] == "only_b"]["b_id"]) == [i["b3"], i["b5"]]
    shared = table[table["a_id"] == i["a2"]].iloc[0]
    assert (shared["b_label"], shared["method"]) == ("fear of being abandoned", "label")


def test_merged_graph_marks_every_node_and_edge() -> None:
    a, b, i = pair()
    graph = merged_graph(a, b, match(a, b))
    sides = {n: d["side"] for n, d in graph.nodes(data=True)}
    assert sides == {i["a1"]: "shared", i["a2"]: "shared", i["a3"]: "only_a", i["a4"]: "shared",
                     i["b3"]: "only_b", i["b5"]: "only_b"}
    assert graph.nodes[i["a2"]]["label_b"] == "fear of being abandoned"
    assert graph.nodes[i["a2"]]["b_id"] == i["b2"]
    edges = {k: (u, v, d["side"]) for u, v, k, d in graph.edges(keys=True, data=True)}
    assert edges == {
        i["la1"]: (i["a1"], i["a2"], "shared"),
        i["la2"]: (i["a3"], i["a2"], "only_a"),
        i["la3"]: (i["a2"], i["a4"], "shared"),
        i["lb3"]: (i["b3"], i["a2"], "only_b"),  # B's defense joins A's node for the shared fear
        i["lb4"]: (i["b5"], i["a4"], "only_b"),
    }


def test_merged_graph_keeps_colliding_ids_apart() -> None:
    a = workbench.new(case_id="C-5")
    b = workbench.new(case_id="C-5")
    a.add_element("defense", "Denial", id="el-same")
    b.add_element("strength", "Humour", id="el-same")
    m = match(a, b, by_id=False)
    assert m == Matching()
    graph = merged_graph(a, b, m)
    assert dict(graph.nodes(data="side")) == {"el-same": "only_a", "b:el-same": "only_b"}
    assert graph.nodes["b:el-same"]["b_id"] == "el-same"


def test_comparing_does_not_change_either_formulation() -> None:
    a, b, i = pair()
    before_a, before_b = a.copy(), b.copy()
    m = match(a, b, matches={i["a3"]: i["b3"]})
    agreement_table(a, b, m)
    merged_graph(a, b, m)
    matches_table(a, b, m)
    assert a == before_a and b == before_b
