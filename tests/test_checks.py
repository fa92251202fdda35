"""Tests of workbench.analysis.checks: every check, flagged and not flagged."""

from __future__ import annotations

import pytest

import workbench
from workbench.analysis import checks
from workbench.analysis.checks import COLUMNS, run_checks
from workbench.model import Formulation

EVIDENCE = [{"session": 1, "quote": "He never came to my games."}]


def sound() -> tuple[Formulation, dict[str, str]]:
    """A small psychodynamic formulation that no check flags."""
    f = workbench.new(case_id="C-1")
    e = {
        "past": f.add_element("early_experience", "Father often absent", evidence=EVIDENCE,
                              confidence="high"),
        "fear": f.add_element("unconscious_fear", "Fear of being left", evidence=EVIDENCE),
        "defense": f.add_element("defense", "Self-sufficiency", evidence=EVIDENCE),
        "problem": f.add_element("present_symptom", "Conflict over closeness", evidence=EVIDENCE),
        "strength": f.add_element("strength", "Loyal friend", evidence=EVIDENCE),
    }
    e["l1"] = f.add_link(e["past"], e["fear"], "gives_rise_to", evidence=EVIDENCE)
    e["l2"] = f.add_link(e["defense"], e["fear"], "defends_against", evidence=EVIDENCE)
    e["l3"] = f.add_link(e["defense"], e["problem"], "expressed_as", evidence=EVIDENCE)
    e["l4"] = f.add_link(e["strength"], e["problem"], "protects_against", evidence=EVIDENCE)
    return f, e


def test_a_sound_formulation_flags_nothing() -> None:
    f, _ = sound()
    table = run_checks(f)
    assert table.empty
    assert list(table.columns) == [*COLUMNS, "count"]
    for name, check in checks.CHECKS.items():
        assert check(f).empty, name


def test_symptom_without_roots() -> None:
    f, e = sound()
    assert checks.symptoms_without_roots(f).empty  # rooted through the defense and the fear
    lonely = f.add_element("present_symptom", "Low mood", evidence=EVIDENCE)
    f.add_link(e["strength"], lonely, "protects_against", evidence=EVIDENCE)
    table = checks.symptoms_without_roots(f)
    assert list(table["id"]) == [lonely]
    assert table.iloc[0]["severity"] == "warning"
    assert table.iloc[0]["label"] == "Low mood"
    assert table.iloc[0]["message"] == (
        "Present symptom or problem “Low mood” is not linked from any early experience, unconscious wish "
        "or unconscious fear: where does it come from?"
    )
    # A drive alone is enough of a root.
    wish = f.add_element("unconscious_wish", "To be cared for")
    f.add_link(wish, lonely, "expressed_as")
    assert checks.symptoms_without_roots(f).empty


def test_symptom_rooted_only_through_a_discarded_link_is_flagged() -> None:
    f, e = sound()
    f.update_link(e["l3"], status="discarded")
    assert list(checks.symptoms_without_roots(f)["id"]) == [e["problem"]]


def test_drive_without_roots() -> None:
    f, e = sound()
    assert checks.drives_without_roots(f).empty
    wish = f.add_element("unconscious_wish", "To be admired", evidence=EVIDENCE)
    f.add_link(wish, e["problem"], "expressed_as", evidence=EVIDENCE)
    table = checks.drives_without_roots(f)
    assert list(table["id"]) == [wish]
    assert table.iloc[0]["message"] == (
        "Unconscious wish “To be admired” has no roots: no early experience leads to it."
    )
    f.add_link(e["fear"], wish, "gives_rise_to")  # fear <- father: rooted at one remove
    assert checks.drives_without_roots(f).empty


def test_isolated_elements() -> None:
    f, _e = sound()
    assert checks.isolated_elements(f).empty
    alone = f.add_element("defense", "Intellectualisation", evidence=EVIDENCE)
    table = checks.isolated_elements(f)
    assert list(table["id"]) == [alone]
    assert table.iloc[0]["message"] == "Defense “Intellectualisation” is not linked to anything yet."
    f.update_element(alone, status="discarded")
    assert checks.isolated_elements(f).empty  # discarded hypotheses are left out


def test_cycles_are_reported_for_discussion() -> None:
    f, e = sound()
    assert checks.cycle_findings(f).empty
    back = f.add_link(e["problem"], e["defense"], "maintains", evidence=EVIDENCE)
    table = checks.cycle_findings(f)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["severity"] == "info"
    assert row["id"] == e["defense"]
    assert set(row["ids"]) == {e["defense"], e["problem"], e["l3"], back}
    assert row["message"] == ("Maintaining cycle: Self-sufficiency is expressed as Conflict over closeness "
                              "maintains Self-sufficiency.")
    f.update_link(back, status="discarded")
    assert checks.cycle_findings(f).empty


def test_cycle_through_transference_says_so() -> None:
    f, e = sound()
    t = f.add_element("transference", "Apologises for the therapist's time", evidence=EVIDENCE)
    pattern = f.add_element("relational_pattern", "Looks after others", evidence=EVIDENCE)
    f.add_link(pattern, t, "repeats_in", evidence=EVIDENCE)
    f.add_link(t, e["fear"], "triggers", evidence=EVIDENCE)
    f.add_link(e["fear"], pattern, "expressed_as", evidence=EVIDENCE)
    message = checks.cycle_findings(f).iloc[0]["message"]
    assert message.endswith("It runs through the relationship with the therapist (transference).")


def test_missing_evidence_for_elements_and_links() -> None:
    f, e = sound()
    assert checks.missing_evidence(f).empty
    bare = f.add_element("unconscious_wish", "To be admired")
    link = f.add_link(e["past"], bare, "gives_rise_to")
    table = checks.missing_evidence(f)
    assert list(table["id"]) == [bare, link]
    assert list(table["what"]) == ["element", "link"]
    assert table.iloc[1]["message"] == (
        "The link “Father often absent gives rise to To be admired” has no evidence from the sessions yet."
    )


def test_low_confidence_with_threshold() -> None:
    f, e = sound()
    assert checks.low_confidence(f).empty  # "high" and no confidence are not low
    f.update_element(e["fear"], confidence="low")  # 0.3
    f.update_link(e["l1"], confidence=0.35)
    table = checks.low_confidence(f)
    assert list(table["id"]) == [e["fear"], e["l1"]]
    assert table.iloc[0]["message"] == (
        "Unconscious fear “Fear of being left” is held with low confidence (0.3)."
    )
    assert checks.low_confidence(f, threshold=0.3).empty  # strictly below the threshold
    assert list(checks.low_confidence(f, threshold=0.8)["id"]) == [e["past"], e["fear"], e["l1"]]
    assert list(run_checks(f, low_confidence=0.2)["check"]) == []
    with pytest.raises(ValueError):
        run_checks(f, low_confidence=1.5)


def test_no_strength_for_psychodynamic() -> None:
    f, e = sound()
    assert checks.no_strength(f).empty
    f.remove_element(e["strength"], cascade=True)
    table = checks.no_strength(f)
    assert list(table["check"]) == ["no_strength"]
    assert table.iloc[0]["id"] == ""
    assert table.iloc[0]["message"] == (
        "No strength or resource is recorded: what helps this client, and what can the work build on?"
    )


def test_ccrt_completeness_per_episode() -> None:
    f = workbench.new("ccrt", case_id="C-2")
    episode = f.add_element("episode_current", "RE 1: manager ignores his proposal")
    wish = f.add_element("wish", "To be listened to", code="W6")
    ro = f.add_element("response_of_other", "Dismisses him")
    f.add_link(episode, wish, "expresses")
    f.add_link(episode, ro, "contains")
    table = checks.template_completeness(f)
    assert list(table["id"]) == [episode]
    assert table.iloc[0]["message"] == (
        "Relationship episode: current other “RE 1: manager ignores his proposal” has no "
        "response of self (RS) linked to it yet."
    )
    rs = f.add_element("response_of_self", "Goes quiet")
    f.add_link(episode, rs, "contains")
    assert checks.template_completeness(f).empty
    other = f.add_element("episode_therapist", "RE 5: session ends on time")
    assert checks.template_completeness(f).iloc[0]["message"].endswith(
        "has no wish (W), response of other (RO) or response of self (RS) linked to it yet."
    )
    assert list(checks.template_completeness(f)["id"]) == [other]


def test_cmp_needs_all_four_categories() -> None:
    f = workbench.new("cmp", case_id="C-3")
    f.add_element("acts_of_self", "Agrees to everything")
    f.add_element("expectations_of_others", "Others will drop her")
    table = checks.template_completeness(f)
    assert len(table) == 2
    assert table.iloc[0]["message"] == (
        "The formulation has no “Acts of others toward self” yet: a complete formulation names all four "
        "categories of "
        "the Cyclical Maladaptive Pattern (acts of self, expectations of others' reactions, acts of others "
        "toward self and acts of self toward self (introject))."
    )
    f.add_element("acts_of_others", "Take her for granted")
    f.add_element("acts_of_self_toward_self", "Calls herself lazy")
    assert checks.template_completeness(f).empty


def test_malan_needs_both_triangles() -> None:
    f = workbench.new("malan", case_id="C-4")
    for kind in ("hidden_feeling", "anxiety", "defense", "current_other", "past_parent"):
        f.add_element(kind, kind)
    table = checks.template_completeness(f)
    assert len(table) == 1
    assert "therapist (T)" in table.iloc[0]["message"]
    assert "triangle of person" in table.iloc[0]["message"]
    t = f.add_element("therapist", "Agrees and forgets")
    assert checks.template_completeness(f).empty
    f.update_element(t, status="discarded")
    assert len(checks.template_completeness(f)) == 1


def test_five_ps_needs_protective_factors() -> None:
    f = workbench.new("five_ps", case_id="C-5")
    for kind in ("presenting", "predisposing", "precipitating", "perpetuating"):
        f.add_element(kind, kind)
    table = checks.template_completeness(f)
    assert len(table) == 1
    assert table.iloc[0]["message"] == (
        "The formulation has no “Protective factor” yet: a complete formulation names all five Ps "
        "(presenting problem, predisposing factor, precipitating factor, perpetuating factor "
        "and protective factor)."
    )
    f.add_element("protective", "Supportive sister")
    assert checks.template_completeness(f).empty


def test_five_ps_presenting_problem_needs_a_predisposing_or_precipitating_path() -> None:
    f = workbench.new("five_ps", case_id="C-6")
    problem = f.add_element("presenting", "Panic attacks")
    keeps = f.add_element("perpetuating", "Avoids the underground")
    f.add_link(keeps, problem, "perpetuates")
    assert list(checks.symptoms_without_roots(f)["id"]) == [problem]
    start = f.add_element("precipitating", "Collapse at work")
    f.add_link(start, keeps, "precipitates")
    assert checks.symptoms_without_roots(f).empty
    assert checks.no_strength(f).empty  # the 5 Ps ask for protective factors through completeness


def test_run_checks_combines_all_in_order() -> None:
    f = workbench.new(case_id="C-7")
    f.add_element("present_symptom", "Low mood")
    table = run_checks(f)  # one warning for the unlinked symptom, not two
    assert list(table["check"]) == ["symptom_without_roots", "no_evidence", "no_strength"]
    assert list(table.index) == [0, 1, 2]
    assert list(table.columns) == [*COLUMNS, "count"]
    ungrouped = run_checks(f, group=False)
    assert list(ungrouped["check"]) == ["symptom_without_roots", "isolated_element", "no_evidence",
                                        "no_strength"]


def test_an_empty_formulation_only_misses_a_strength() -> None:
    f = workbench.new(case_id="C-8")
    assert list(run_checks(f)["check"]) == ["no_strength"]
    assert run_checks(workbench.new("ccrt", case_id="C-9")).empty


def test_checks_do_not_change_the_formulation() -> None:
    f, e = sound()
    f.update_element(e["fear"], status="discarded")
    before = f.copy()
    run_checks(f)
    assert f == before


def test_run_checks_puts_warnings_first() -> None:
    f = workbench.new("ccrt", case_id="C-10")
    episode = f.add_element("episode_current", "RE 1", evidence=EVIDENCE)
    wish = f.add_element("wish", "To be heard")  # no evidence: info
    f.add_link(episode, wish, "expresses", evidence=EVIDENCE)
    table = run_checks(f)
    assert list(table["severity"]) == ["warning", "info"]
    assert list(table["check"]) == ["incomplete", "no_evidence"]


def test_one_finding_per_problem_and_evidence_gaps_in_one_row() -> None:
    f, e = sound()
    lonely = f.add_element("present_symptom", "Low mood", evidence=EVIDENCE)  # unlinked symptom
    alone = f.add_element("defense", "Denial", evidence=EVIDENCE)  # isolated, nothing more specific
    for link in (e["l1"], e["l2"]):
        f.update_link(link, evidence=[])
    f.update_element(e["fear"], evidence=[])
    table = run_checks(f)
    assert list(table[table["id"] == lonely]["check"]) == ["symptom_without_roots"]  # not also "isolated"
    assert list(table[table["id"] == alone]["check"]) == ["isolated_element"]
    (gaps,) = table[table["check"] == "no_evidence"].to_dict("records")
    assert gaps["message"] == "1 element and 2 links have no evidence from the sessions yet."
    assert gaps["count"] == 3 and set(gaps["ids"]) == {e["fear"], e["l1"], e["l2"]} and gaps["id"] == ""
    assert list(checks.evidence_gaps(f)["id"]) == [e["fear"], e["l1"], e["l2"]]
    assert (table["count"][table["check"] != "no_evidence"] == 1).all()


def test_fails_on_warnings_infos_or_never() -> None:
    f, e = sound()
    f.update_link(e["l1"], evidence=[])
    infos = run_checks(f)
    assert not checks.fails(infos) and checks.fails(infos, "info") and not checks.fails(infos, "never")
    f.add_element("defense", "Denial", evidence=EVIDENCE)
    warned = run_checks(f)
    assert checks.fails(warned) and checks.fails(warned, "info") and not checks.fails(warned, "never")
    assert not checks.fails(run_checks(sound()[0]), "info")
    with pytest.raises(ValueError):
        checks.fails(warned, "sometimes")
