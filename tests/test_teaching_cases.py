"""The fictional teaching cases in notebooks/cases/teaching/ and the script that writes them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import workbench
from workbench.export.share_safe import identifying_details

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "notebooks" / "cases" / "teaching"
SCRIPT = ROOT / "scripts" / "make_teaching_cases.py"

#: file stem -> (template, fewest versions, element kinds the case must use)
CASES = {
    "psychodynamic_self_sufficient_carer": (
        "psychodynamic", 4,
        {"early_experience", "unconscious_wish", "unconscious_fear", "defense", "relational_pattern",
         "transference", "present_symptom", "strength"},
    ),
    "ccrt_unheard_colleague": (
        "ccrt", 4,
        {"episode_current", "episode_past", "episode_therapist", "wish", "response_of_other",
         "response_of_self"},
    ),
    "cmp_obliging_student": (
        "cmp", 4,
        {"acts_of_self", "expectations_of_others", "acts_of_others", "acts_of_self_toward_self",
         "therapist_reaction"},
    ),
    "malan_cheerful_younger_brother": (
        "malan", 4,
        {"hidden_feeling", "anxiety", "defense", "current_other", "past_parent", "therapist"},
    ),
    "psychodynamic_polite_latecomer": (
        "psychodynamic", 4,
        {"early_experience", "unconscious_wish", "unconscious_fear", "defense", "relational_pattern",
         "transference", "present_symptom", "strength", "working_alliance", "rupture", "repair"},
    ),
    "psychodynamic_self_sufficient_carer_trainee": ("psychodynamic", 2, set()),
    "ccrt_unheard_colleague_second_rater": ("ccrt", 1, set()),
}
MAIN_CASES = [name for name, (_t, n, _k) in CASES.items() if n >= 4]


def path_of(name: str) -> Path:
    return TEACHING / f"{name}.formulation.json"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_teaching_cases", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_teaching_cases"] = module
    spec.loader.exec_module(module)
    return module


def test_every_teaching_file_is_listed_here() -> None:
    on_disk = {p.name.removesuffix(".formulation.json") for p in TEACHING.glob("*.formulation.json")}
    assert on_disk == set(CASES)


def test_the_main_cases_use_four_different_templates() -> None:
    assert {CASES[name][0] for name in MAIN_CASES} == {"psychodynamic", "ccrt", "cmp", "malan"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_loads_and_is_clearly_fictional(name: str) -> None:
    f = workbench.load(path_of(name))
    assert f.meta.fictional is True
    assert "(fictional teaching case)" in f.meta.title
    assert f.meta.description.startswith("FICTIONAL TEACHING CASE.")
    assert "fictional" in f.meta.clinician
    assert f.template.id == CASES[name][0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_version_validates_and_loads(name: str) -> None:
    path = path_of(name)
    workbench.validate(path)
    history = workbench.history(path)
    assert len(history) >= CASES[name][1]
    assert list(history["version"]) == list(range(1, len(history) + 1))
    for version in history["version"]:
        f = workbench.load(path, int(version))
        assert f.base_version == int(version)
        assert len(f) > 0


@pytest.mark.parametrize("name", MAIN_CASES)
def test_case_grows_across_sessions_with_a_supervisor_and_transference(name: str) -> None:
    path = path_of(name)
    history = workbench.history(path)
    sizes = [len(workbench.load(path, int(v))) for v in history["version"]]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], "the formulation grows session by session"
    assert all(row.startswith(("Session ", "Supervision")) for row in history["message"])
    assert any("transference emerging" in m for m in history["message"])
    assert list(history["session"]) == sorted(history["session"])
    assert any("Supervisor" in a for a in history["author"])
    latest = workbench.load(path)
    supervisor_comments = [c for c in latest.comment_records() if "Supervisor" in c.author]
    assert len(supervisor_comments) >= 2
    assert any(not c.resolved for c in latest.comment_records()), "an open comment to discuss"
    assert any(c.resolved for c in latest.comment_records()), "a comment taken up and resolved"


@pytest.mark.parametrize("name", MAIN_CASES)
def test_case_uses_its_templates_terms(name: str) -> None:
    template, _n, kinds = CASES[name]
    f = workbench.load(path_of(name))
    used = {el.kind for el in f.element_records()}
    assert used == kinds, f"{name} should use every kind of {template}"
    t = f.template
    assert {ln.kind for ln in f.link_records()} <= set(t.link_kinds)
    assert len({ln.kind for ln in f.link_records()}) >= 4, "links of several kinds"


def test_ccrt_components_are_coded_to_the_clusters_of_their_component() -> None:
    f = workbench.load(path_of("ccrt_unheard_colleague"))
    prefix = {"wish": "W", "response_of_other": "RO", "response_of_self": "RS"}
    components = [el for el in f.element_records() if el.kind in prefix]
    assert len(components) >= 12
    for el in components:
        code_set = f.template.code_set_for(el.kind)
        assert code_set is not None and el.code in code_set.clusters, (el.label, el.code)
        assert el.code.removeprefix(prefix[el.kind]).isdigit(), (el.label, el.code)
    # every episode has a wish, a response of other and a response of self
    for episode in (el for el in f.element_records() if el.kind.startswith("episode_")):
        linked = {f.element(ln.target).kind for ln in f.links_of(episode.id) if ln.source == episode.id}
        assert {"wish", "response_of_other", "response_of_self"} <= linked, episode.label


def test_second_ccrt_rater_codes_the_same_components_with_four_differences() -> None:
    a = workbench.load(path_of("ccrt_unheard_colleague"))
    b = workbench.load(path_of("ccrt_unheard_colleague_second_rater"))
    codes_a = {el.label: el.code for el in a.element_records() if el.code}
    codes_b = {el.label: el.code for el in b.element_records() if el.code}
    assert codes_a.keys() == codes_b.keys()
    differ = {label for label in codes_a if codes_a[label] != codes_b[label]}
    assert differ == {"To keep the peace and avoid a row", "Belittles him", "Goes quiet and withdraws",
                      "Gives in and stays silent"}


def test_evidence_never_comes_from_a_later_session_than_its_version() -> None:
    for name in CASES:
        path = path_of(name)
        for row in workbench.history(path):
            f = workbench.load(path, row.version)
            sessions = [e.session for el in f.element_records() for e in el.evidence]
            sessions += [e.session for ln in f.link_records() for e in ln.evidence]
            assert all(s is not None and row.session is not None and s <= row.session for s in sessions), (
                name, row.version)


def test_no_identifying_details_beyond_the_invented_session_dates() -> None:
    for name in CASES:
        findings = identifying_details(workbench.load(path_of(name)))
        other = findings[~findings["field"].str.endswith("date")]
        assert other.empty, f"{name}: {other[['label', 'field', 'text', 'category']].to_string()}"


def test_script_writes_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    script = load_script()
    real_clock = workbench._clock.now
    written = script.make_all(tmp_path)
    assert workbench._clock.now is real_clock  # the real clock is back
    assert sorted(p.name for p in written) == sorted(path_of(name).name for name in CASES)
    for path in written:
        assert path.read_bytes() == (TEACHING / path.name).read_bytes(), f"{path.name}: rerun the script"
