"""The templates reviewed against their methods (version 2): the links added, the cycles named, the
alliance in the psychodynamic template and its checks, and older files still valid.

``tests/data/templates_v1/`` holds the four main teaching cases as they were written with the
version 1 templates, and ``vocabulary.json``: every element kind, link kind and allowed
(link kind, from kind, to kind) of each version 1 template. Version 2 may only add to them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import workbench
from workbench.analysis.checks import run_checks, ruptures_without_repair, transference_without_alliance
from workbench.analysis.trace import cycles
from workbench.templates import get_template

ROOT = Path(__file__).resolve().parents[1]
OLD = ROOT / "tests" / "data" / "templates_v1"
VOCABULARY = json.loads((OLD / "vocabulary.json").read_text(encoding="utf-8"))
SHIPPED = sorted(VOCABULARY)


@pytest.fixture(autouse=True)
def _no_user_templates(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("WORKBENCH_TEMPLATE_PATH", raising=False)


# --- older files stay valid -----------------------------------------------------------------


@pytest.mark.parametrize("template_id", SHIPPED)
def test_version_2_only_adds_to_version_1(template_id: str) -> None:
    t = get_template(template_id)
    old = VOCABULARY[template_id]
    assert t.version == 2
    assert set(old["element_kinds"]) <= set(t.element_kinds)
    assert set(old["link_kinds"]) <= set(t.link_kinds)
    for kind, source, target in old["allowed"]:
        assert t.link_kind(kind).allows(source, target), f"{template_id}: {source} {kind} {target} removed"


@pytest.mark.parametrize("path", sorted(OLD.glob("*.formulation.json")), ids=lambda p: p.stem)
def test_files_made_with_version_1_load_and_validate_unchanged(path: Path) -> None:
    before = path.read_bytes()
    workbench.validate(path)
    for version in workbench.history(path)["version"]:
        f = workbench.load(path, int(version))
        for ln in f.link_records():  # every link is still allowed by the version 2 template
            f.template.check_link(ln.kind, f.element(ln.source).kind, f.element(ln.target).kind)
    assert path.read_bytes() == before


@pytest.mark.parametrize("template_id", SHIPPED)
def test_the_template_file_says_what_version_2_added_and_where_it_comes_from(template_id: str) -> None:
    t = get_template(template_id)
    assert t.path is not None
    text = Path(t.path).read_text(encoding="utf-8")
    assert re.search(r"^version = 2$", text, re.MULTILINE)
    said = r"^# Version 2 \(November 2026\) (adds, and removes nothing|only adds)"
    assert re.search(said, text, re.MULTILINE)
    assert "could not" in text, "say where the literature could not be checked"
    added = set(t.link_kinds) - set(VOCABULARY[template_id]["link_kinds"])
    for kind in added:
        assert t.link_kind(kind).description, kind


# --- psychodynamic: defense in the transference; the alliance, ruptures and repairs ---------------


def test_a_defense_is_enacted_in_the_transference() -> None:
    t = get_template("psychodynamic")
    allowed = [lk.id for lk in t.allowed_link_kinds("defense", "transference")]
    assert "enacted_in" in allowed
    assert t.link_kind("enacted_in").verb == "is enacted in"
    f = workbench.new(case_id="T-1")
    d = f.add_element("defense", "Compulsive self-sufficiency")
    tr = f.add_element("transference", "Apologises for taking up the therapist's time")
    link = f.add_link(d, tr, "enacted_in")
    assert f.sentence(link) == ("Compulsive self-sufficiency is enacted in Apologises for taking up the "
                                "therapist's time")


def alliance_case() -> tuple[workbench.Formulation, dict[str, str]]:
    f = workbench.new(case_id="T-2")
    ids = {
        "tr": f.add_element("transference", "Offers to skip the session before the break"),
        "alliance": f.add_element("working_alliance", "Agreed focus on closeness; warm but guarded bond"),
        "rupture": f.add_element("rupture", "Withdrawal: says the break is no bother, goes quiet"),
    }
    return f, ids


def test_the_alliance_kinds_and_links() -> None:
    f, ids = alliance_case()
    f.add_link(ids["tr"], ids["rupture"], "surfaces_as")
    strains = f.add_link(ids["rupture"], ids["alliance"], "strains")
    repair = f.add_element("repair", "Therapist names the withdrawal and her part in the timing of the break")
    resolves = f.add_link(repair, ids["rupture"], "resolves")
    f.add_link(repair, ids["alliance"], "strengthens")
    t = f.template
    assert t.link_kind("strains").sign == -1 and t.link_kind("resolves").sign == -1
    row = t.layer_name(t.element_kind("rupture").layer)
    assert row == "Relational patterns and the therapeutic relationship"
    assert len(t.layers) == 5  # as in version 1: step-throughs count the same layers
    assert f.sentence(strains).startswith("Withdrawal: says the break is no bother, goes quiet strains ")
    assert f.sentence(resolves).endswith("resolves Withdrawal: says the break is no bother, goes quiet")


def test_checks_ask_about_the_alliance_and_the_repair() -> None:
    f, ids = alliance_case()
    f.add_link(ids["rupture"], ids["alliance"], "strains")
    asked = transference_without_alliance(f)
    assert list(asked["id"]) == [ids["tr"]] and list(asked["severity"]) == ["info"]
    assert "how does it bear on the working alliance?" in asked["message"].iloc[0]
    no_repair = ruptures_without_repair(f)
    assert list(no_repair["id"]) == [ids["rupture"]] and list(no_repair["severity"]) == ["warning"]
    assert "has no repair linked to it" in no_repair["message"].iloc[0]

    f.add_link(ids["tr"], ids["rupture"], "surfaces_as")
    assert transference_without_alliance(f).empty
    repair = f.add_element("repair", "Explore the withdrawal with her")
    f.add_link(repair, ids["rupture"], "resolves")
    assert ruptures_without_repair(f).empty


def test_a_discarded_repair_does_not_count_and_isolated_ruptures_are_flagged_once() -> None:
    f = workbench.new(case_id="T-3")
    rupture = f.add_element("rupture", "Confrontation: 'you never remember what I say'")
    repair = f.add_element("repair", "Acknowledge the lapse", status="discarded")
    f.add_link(repair, rupture, "resolves")
    findings = run_checks(f)
    about = set(findings[findings["id"] == rupture]["check"])
    assert "rupture_without_repair" in about and "isolated_element" not in about


def test_other_templates_ask_nothing_about_the_alliance() -> None:
    f = workbench.load(OLD / "cmp_obliging_student.formulation.json")
    assert transference_without_alliance(f).empty and ruptures_without_repair(f).empty


# --- CMP: the four-step cycle with named links ----------------------------------------------------


def test_the_introject_confirms_the_expectation_and_closes_the_four_step_cycle() -> None:
    t = get_template("cmp")
    assert [lk.id for lk in t.allowed_link_kinds("acts_of_self_toward_self", "expectations_of_others")] == [
        "confirms", "reinforces"]
    f = workbench.new("cmp", case_id="T-4")
    expect = f.add_element("expectations_of_others", "They will think me stupid")
    act = f.add_element("acts_of_self", "Keeps quiet in seminars")
    others = f.add_element("acts_of_others", "Others talk over her")
    introject = f.add_element("acts_of_self_toward_self", "I'm useless")
    f.add_link(expect, act, "shapes")
    f.add_link(act, others, "evokes")
    f.add_link(others, introject, "internalised_as")
    f.add_link(introject, expect, "confirms")
    found = cycles(f)
    assert list(found["type"]) == ["full CMP cycle (all four categories)"]
    assert found["length"].iloc[0] == 4
    assert "reinforces" not in {ln.kind for ln in f.link_records()}
    messages = run_checks(f)
    cycle = messages[messages["check"] == "cycle"]["message"].iloc[0]
    assert cycle.startswith("Full CMP cycle (all four categories): They will think me stupid shapes ")


def test_a_three_step_cmp_cycle_keeps_its_old_name() -> None:
    f = workbench.new("cmp", case_id="T-5")
    expect = f.add_element("expectations_of_others", "They will drop me")
    act = f.add_element("acts_of_self", "Agrees to everything")
    others = f.add_element("acts_of_others", "Take her for granted")
    f.add_link(expect, act, "shapes")
    f.add_link(act, others, "evokes")
    f.add_link(others, expect, "confirms")
    assert list(cycles(f)["type"]) == ["CMP cycle"]


# --- Malan: the triangle of person ----------------------------------------------------------------


def test_the_triangle_of_person_closes_with_the_t_p_link() -> None:
    t = get_template("malan")
    assert "links_back_to" in [lk.id for lk in t.allowed_link_kinds("therapist", "past_parent")]
    assert "links_back_to" in [lk.id for lk in t.allowed_link_kinds("current_other", "past_parent")]
    f = workbench.new("malan", case_id="T-6")
    parent = f.add_element("past_parent", "Father")
    brother = f.add_element("current_other", "Elder brother")
    therapist = f.add_element("therapist", "The therapist")
    f.add_link(parent, brother, "repeats_with")
    f.add_link(brother, therapist, "repeats_with")
    f.add_link(therapist, parent, "links_back_to")
    assert list(cycles(f)["type"]) == ["triangle of person"]


def test_the_triangle_of_conflict_is_still_named() -> None:
    f = workbench.new("malan", case_id="T-7")
    feeling = f.add_element("hidden_feeling", "Anger")
    anxiety = f.add_element("anxiety", "Guilt")
    defense = f.add_element("defense", "Compliance")
    f.add_link(feeling, anxiety, "arouses")
    f.add_link(anxiety, defense, "leads_to")
    f.add_link(defense, feeling, "defends_against")
    assert list(cycles(f)["type"]) == ["triangle of conflict"]


# --- 5 Ps: protective against perpetuating; the problem feeding its perpetuating factors ----------


def test_five_ps_protective_lessens_perpetuating_and_the_problem_feeds_a_vicious_circle() -> None:
    f = workbench.new("five_ps", case_id="T-8")
    mood = f.add_element("presenting", "Low mood")
    withdrawal = f.add_element("perpetuating", "Withdraws from friends")
    friend = f.add_element("protective", "A friend who calls every week")
    protects = f.add_link(friend, withdrawal, "protects_against")
    f.add_link(withdrawal, mood, "perpetuates")
    f.add_link(mood, withdrawal, "perpetuates")
    assert f.template.link_kind(f.link(protects).kind).sign == -1
    assert list(cycles(f)["type"]) == ["vicious circle"]


def test_workbench_templates_shows_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    assert main(["templates", "cmp"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("(cmp, template version 2)")
    assert main(["templates", "--json"]) == 0
    assert {t["id"]: t["version"] for t in json.loads(capsys.readouterr().out)}["malan"] == 2


TWO = '["acts_of_self", "acts_of_others"]'


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (f"named_cycles = [ {{ kinds = {TWO} }} ]", "named_cycles item 1 has no 'name'"),
        ('named_cycles = [ { name = "x", kinds = ["acts_of_self"] } ]', "'x' needs at least two"),
        ('named_cycles = [ { name = "x", kinds = ["ghost", "acts_of_self"] } ]', "unknown element kinds"),
        ('repair_links = ["ghost"]', "repair_links names unknown link kinds: ghost"),
    ],
)
def test_a_mistake_in_the_new_analysis_settings_is_a_sentence(
    tmp_path: Path, setting: str, message: str
) -> None:
    from workbench.analysis.roles import roles_for
    from workbench.errors import TemplateError
    from workbench.templates import load_template

    text = (ROOT / "templates" / "cmp.toml").read_text(encoding="utf-8")
    text = re.sub(r"^named_cycles = \[.*?\n\]\n", "", text, flags=re.MULTILINE | re.DOTALL)
    assert "named_cycles" not in text
    path = tmp_path / "cmp_site.toml"
    text = text.replace('id = "cmp"', 'id = "cmp_site"', 1)
    path.write_text(f"{text}\n{setting}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape(message)):
        roles_for(load_template(path))
