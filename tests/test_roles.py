"""Tests of workbench.analysis.roles: the [analysis] table of a template, read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench
from workbench.analysis import run_checks
from workbench.analysis.roles import Requirement, roles_for
from workbench.errors import TemplateError
from workbench.templates import get_template, load_template

BASE = """
id = "mine"
name = "My template"
layers = ["Past", "Now"]

[[element_kinds]]
id = "past"
name = "Past event"
layer = 0

[[element_kinds]]
id = "problem"
name = "Problem"
layer = 1

[[link_kinds]]
id = "leads_to"
verb = "leads to"
allow = [ { from = ["*"], to = ["*"] } ]
"""


def write(tmp_path: Path, analysis: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(BASE + analysis, encoding="utf-8")
    return path


def test_built_in_templates_declare_their_roles() -> None:
    pd_roles = roles_for(get_template("psychodynamic"))
    assert pd_roles.roots == {"early_experience"}
    assert pd_roles.symptoms == {"present_symptom"}
    assert pd_roles.therapist == {"transference"}
    assert pd_roles.expect_strength
    assert pd_roles.reverse_links == {"defends_against": "is defended against by"}
    ccrt = roles_for(get_template("ccrt"))
    assert set(ccrt.per_element) == {"episode_current", "episode_past", "episode_therapist"}
    assert ccrt.therapist == {"episode_therapist"}
    cmp_roles = roles_for(get_template("cmp"))
    assert cmp_roles.cycle_name == "CMP cycle" and len(cmp_roles.required[0].kinds) == 4
    malan = roles_for(get_template("malan"))
    assert [r.group for r in malan.required] == ["corners of the triangle of conflict",
                                                 "corners of the triangle of person"]
    five = roles_for(get_template("five_ps"))
    assert five.required == (Requirement("Ps", ("presenting", "predisposing", "precipitating", "perpetuating",
                                                "protective")),)
    assert not five.expect_strength


def test_a_template_without_analysis_gets_empty_roles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "")
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path))
    roles = roles_for(get_template("mine"))
    assert not roles.roots and not roles.required and not roles.therapist
    f = workbench.new("mine", case_id="X")
    a = f.add_element("problem", "Panic", evidence=[{"session": 1}])
    b = f.add_element("problem", "Avoidance", evidence=[{"session": 1}])
    f.add_link(a, b, "leads_to", evidence=[{"session": 1}])
    assert run_checks(f).empty  # no roles: the structural checks have nothing to ask


def test_a_users_analysis_table_drives_the_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, '[analysis]\nroots = ["past"]\nsymptoms = ["problem"]\n'
                    'required = [ { group = "parts", kinds = ["past", "problem"] } ]\n')
    monkeypatch.setenv("WORKBENCH_TEMPLATE_PATH", str(tmp_path))
    f = workbench.new("mine", case_id="X")
    f.add_element("problem", "Panic", evidence=[{"session": 1}])
    # One finding per problem: the unrooted symptom is not flagged as isolated as well.
    assert list(run_checks(f)["check"]) == ["symptom_without_roots", "incomplete"]
    assert run_checks(f).iloc[1]["message"] == (
        "The formulation has no “Past event” yet: a complete formulation names both parts "
        "(past event and problem)."
    )


@pytest.mark.parametrize(
    ("analysis", "message"),
    [
        ('[analysis]\nroot = ["past"]\n', "[analysis] has unknown setting 'root'; settings are: roots,"),
        ('[analysis]\nroots = ["early"]\n', "[analysis] roots names unknown element kinds: early."),
        ('[analysis]\nroots = "past"\n', "[analysis] roots must be a list of element kinds."),
        ('[analysis]\nmaintaining_links = ["maintains"]\n',
         "[analysis] maintaining_links names unknown link kinds: maintains."),
        ('[analysis]\nrequired = [ { kinds = ["past"] } ]\n',
         "[analysis] required item 1 has no 'group' name."),
        ('[analysis]\nper_element = { nobody = ["past"] }\n',
         "per_element names unknown element kinds: nobody."),
        ('[analysis]\nreverse_links = { pushes = "is pushed by" }\n',
         "reverse_links names unknown link kinds: pushes."),
    ],
)
def test_mistakes_in_the_analysis_table_are_named(tmp_path: Path, analysis: str, message: str) -> None:
    template = load_template(write(tmp_path, analysis))
    with pytest.raises(TemplateError) as caught:
        roles_for(template)
    assert str(caught.value).startswith("Template 'mine' (")
    assert message in str(caught.value)


def test_analysis_must_be_a_table(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('analysis = 3\n' + BASE, encoding="utf-8")
    with pytest.raises(TemplateError, match="'analysis' must be a table of settings"):
        load_template(path)
