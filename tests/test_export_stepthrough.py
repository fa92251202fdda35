"""Step-through pages: steps by layer, session and version; offline, escaped page data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workbench import _clock
from workbench.errors import InvalidValue
from workbench.export.stepthrough import (
    layer_steps,
    session_steps,
    stepthrough_html,
    stepthrough_versions_html,
    version_steps,
)
from workbench.fileformat import save
from workbench.model import Formulation
from workbench.render.html import CSP

PAYLOAD = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def _case() -> Formulation:
    f = Formulation.new(case_id="T-1", title="Teaching " + PAYLOAD, fictional=True)
    past = f.add_element("early_experience", "Father often absent", evidence=[{"session": 2}])
    fear = f.add_element("unconscious_fear", "Fear of being left " + PAYLOAD, evidence=[{"session": 1}])
    defense = f.add_element("defense", "Self-sufficiency", evidence=[{"session": 3}])
    symptom = f.add_element("present_symptom", "Conflict with partner over closeness")
    f.add_link(past, fear, "gives_rise_to", evidence=[{"session": 3}])
    f.add_link(defense, fear, "defends_against")
    f.add_link(fear, symptom, "expressed_as")
    return f


def _extra(page: str) -> dict:
    match = re.search(r'<script id="wb-extra" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the page carries its step data"
    return json.loads(match.group(1))


def test_layer_steps_reveal_one_template_layer_at_a_time() -> None:
    f = _case()
    steps = layer_steps(f)
    assert [s.title for s in steps] == [
        "Early experiences", "Unconscious wishes and fears", "Defenses", "Present problems and strengths"
    ]
    assert [s.detail for s in steps] == ["Layer 1 of 5", "Layer 2 of 5", "Layer 3 of 5", "Layer 5 of 5"]
    counts = [(len(s.nodes), len(s.edges)) for s in steps]
    assert counts == [(1, 0), (2, 1), (3, 2), (4, 3)]
    assert steps[1].notes == ["Unconscious wish · Unconscious fear"]


def test_session_steps_follow_first_evidence() -> None:
    f = _case()
    steps = session_steps(f)
    assert [s.title for s in steps] == ["Session 1", "Session 2", "Session 3", "Not tied to a session"]
    labels = [{n["full_label"] for n in s.nodes} for s in steps]
    assert labels[0] == {"Fear of being left " + PAYLOAD}
    assert "Father often absent" in labels[1] and "Self-sufficiency" not in labels[1]
    # the link past -> fear has evidence from session 3 only: not shown in session 2
    assert [len(s.edges) for s in steps] == [0, 0, 2, 3]
    assert steps[2].notes == ["1 new element · 2 new links"]


def test_version_steps_carry_revision_details_and_changes() -> None:
    v1 = Formulation.new(case_id="T-2")
    a = v1.add_element("early_experience", "Father often absent")
    v2 = v1.copy()
    b = v2.add_element("unconscious_fear", "Fear of being left")
    v2.add_link(a, b, "gives_rise_to")
    v3 = v2.copy()
    v3.update_element(a, label="Father absent for work")
    steps = version_steps(
        [
            ({"version": 1, "time": "2026-01-05T17:00:00Z", "author": "Dr A", "session": 1,
              "message": "First sketch"}, v1),
            ({"version": 2, "time": "2026-01-12T17:00:00Z", "author": "Dr A", "session": float("nan"),
              "message": ""}, v2),
            (3, v3),
        ]
    )
    assert [s.title for s in steps] == ["Version 1", "Version 2", "Version 3"]
    assert steps[0].detail == "2026-01-05 17:00 UTC · session 1 · by Dr A"
    assert steps[0].notes == ["“First sketch”", "The first version"]
    assert steps[1].detail == "2026-01-12 17:00 UTC · by Dr A"
    assert steps[1].notes == ["1 element added, 1 link added"]
    assert steps[2].notes == ["1 element changed"]
    assert steps[2].nodes[0]["full_label"] == "Father absent for work"


def test_page_is_offline_and_escaped() -> None:
    page = stepthrough_html(_case())
    assert CSP in page.replace("&#x27;", "'")
    assert PAYLOAD not in page  # no user text appears raw anywhere
    assert "<img src=x" not in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    extra = _extra(page)
    assert extra["mode"] == "layers"
    labels = {n["full_label"] for n in extra["pool"]["nodes"]}
    assert "Fear of being left " + PAYLOAD in labels  # survives as data, for textContent
    assert [len(s["nodes"]) for s in extra["steps"]] == [1, 2, 3, 4]


def test_versions_page_from_a_file_keeps_each_element_once_per_variant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_clock, "now", lambda: "2026-03-02T10:00:00Z")
    path = tmp_path / "case.formulation.json"
    f = Formulation.new(case_id="T-3", title="Three versions")
    a = f.add_element("early_experience", "Father often absent")
    save(f, path, message="Session 1", author="Dr A", session=1)
    b = f.add_element("unconscious_fear", "Fear of being left")
    f.add_link(a, b, "gives_rise_to")
    save(f, path, message="Session 2: a fear", author="Dr A", session=2)
    f.remove_element(b, cascade=True)
    save(f, path, message="Session 3: fear dropped", author="Dr B", session=3)
    extra = _extra(stepthrough_versions_html(path))
    assert extra["mode"] == "versions"
    steps = extra["steps"]
    assert [s["title"] for s in steps] == ["Version 1", "Version 2", "Version 3"]
    assert steps[2]["detail"] == "2026-03-02 10:00 UTC · session 3 · by Dr B"
    assert steps[2]["notes"][0] == "“Session 3: fear dropped”"
    assert [len(s["nodes"]) for s in steps] == [1, 2, 1]
    # the unchanged element is stored once and shared by all three steps
    assert len(extra["pool"]["nodes"]) == 2
    assert steps[0]["nodes"] == steps[1]["nodes"][:1] == steps[2]["nodes"]


def test_bad_mode_and_empty_versions_are_clear_errors() -> None:
    with pytest.raises(InvalidValue, match="no step-through mode 'slides'"):
        stepthrough_html(_case(), mode="slides")
    with pytest.raises(InvalidValue, match="no versions"):
        stepthrough_versions_html([])


def test_empty_formulation_still_makes_a_page() -> None:
    page = stepthrough_html(Formulation.new(case_id="E-1"))
    assert _extra(page)["steps"] == []
