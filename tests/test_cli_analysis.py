"""Tests of the analysis subcommands: workbench check, trace and compare (main(argv) in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import workbench
from workbench.cli import main

EVIDENCE = [{"session": 1, "quote": "He never came."}]


def save(f: workbench.Formulation, path: Path) -> str:
    workbench.save(f, path, message="test", author="tester")
    return str(path)


def sound_case() -> workbench.Formulation:
    """A formulation that no check flags."""
    f = workbench.new(case_id="C-1")
    past = f.add_element("early_experience", "Father often absent", evidence=EVIDENCE, id="el-past")
    fear = f.add_element("unconscious_fear", "Fear of being left", evidence=EVIDENCE, id="el-fear")
    defense = f.add_element("defense", "Self-sufficiency", evidence=EVIDENCE, id="el-def")
    problem = f.add_element("present_symptom", "Conflict over closeness", evidence=EVIDENCE, id="el-problem")
    strength = f.add_element("strength", "Loyal friend", evidence=EVIDENCE, id="el-strength")
    f.add_link(past, fear, "gives_rise_to", evidence=EVIDENCE, id="ln-1")
    f.add_link(defense, fear, "defends_against", evidence=EVIDENCE, id="ln-2")
    f.add_link(defense, problem, "expressed_as", evidence=EVIDENCE, id="ln-3")
    f.add_link(strength, problem, "protects_against", evidence=EVIDENCE, id="ln-4")
    return f


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- check ----------------------------------------------------------------------------------


def test_check_exit_0_when_nothing_is_flagged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(sound_case(), tmp_path / "sound.formulation.json")
    code, out, err = run(capsys, "check", path)
    assert (code, err) == (0, "")
    assert out == "Nothing flagged in case C-1 (psychodynamic).\n"
    code, out, _ = run(capsys, "check", path, "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["flagged"], data["findings"]) == (0, [])
    assert (data["version"], data["template"]) == (1, "psychodynamic")


def test_check_exit_1_when_something_is_flagged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = sound_case()
    f.add_element("defense", "Denial\x1b[31m", evidence=EVIDENCE, confidence="low", id="el-alone")
    path = save(f, tmp_path / "flagged.formulation.json")
    code, out, err = run(capsys, "check", path)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "2 findings in case C-1 (psychodynamic):",
        "- [warning] Defense “Denial [31m” is not linked to anything yet.",
        "- [info] Defense “Denial [31m” is held with low confidence (0.3).",
    ]
    code, out, _ = run(capsys, "check", path, "--json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert [x["check"] for x in findings] == ["isolated_element", "low_confidence"]
    assert findings[0]["id"] == "el-alone"
    assert findings[0]["ids"] == ["el-alone"]
    # A lower threshold leaves only the isolated element.
    code, out, _ = run(capsys, "check", path, "--json", "--low-confidence", "0.2")
    assert [x["check"] for x in json.loads(out)["findings"]] == ["isolated_element"]


def test_check_reads_an_earlier_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = sound_case()
    path = save(f, tmp_path / "case.formulation.json")
    f.add_element("defense", "Denial", evidence=EVIDENCE)
    workbench.save(f, path, message="v2", author="tester")
    assert run(capsys, "check", path)[0] == 1
    assert run(capsys, "check", path, "--version", "1")[0] == 0


def test_check_usage_and_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(sound_case(), tmp_path / "case.formulation.json")
    code, _, err = run(capsys, "check", path, "--low-confidence", "2")
    assert code == 2 and "from 0 to 1" in err
    code, out, err = run(capsys, "check", str(tmp_path / "missing.formulation.json"))
    assert code == 1 and out == ""
    assert err.startswith("error: ") and len(err.splitlines()) == 1


# --- trace ----------------------------------------------------------------------------------


def test_trace_roots_by_id_and_by_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(sound_case(), tmp_path / "case.formulation.json")
    code, out, err = run(capsys, "trace", path, "el-problem")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Roots of “Conflict over closeness” (2 paths):",
        "1. Early experience “Father often absent” gives rise to unconscious fear “Fear of being left”, "
        "which is defended against by defense “Self-sufficiency”, which is expressed as present symptom "
        "or problem “Conflict over closeness”.",
        "2. Strength or resource “Loyal friend” protects against present symptom or problem "
        "“Conflict over closeness”.",
    ]
    assert run(capsys, "trace", path, "conflict over  CLOSENESS")[1] == out  # label, any case and spacing


def test_trace_out_of_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(sound_case(), tmp_path / "case.formulation.json")
    code, out, _ = run(capsys, "trace", path, "el-past", "--out-of", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["direction"] == "out_of"
    assert data["element"] == "el-past" and data["label"] == "Father often absent"
    assert data["truncated"] is False
    assert data["paths"] == [{
        "elements": ["el-past", "el-fear", "el-def", "el-problem"],
        "links": ["ln-1", "ln-2", "ln-3"],
        "backward": [False, True, False],
        "sentence": "Early experience “Father often absent” gives rise to unconscious fear "
                    "“Fear of being left”, which is defended against by defense “Self-sufficiency”, "
                    "which is expressed as present symptom or problem “Conflict over closeness”.",
        "complete": True,
    }]
    code, out, _ = run(capsys, "trace", path, "el-strength")
    assert (code, out) == (0, "Nothing leads into “Loyal friend”.\n")
    code, out, _ = run(capsys, "trace", path, "el-problem", "--max-paths", "1")
    assert "Only the first 1 paths are shown" in out
    code, out, _ = run(capsys, "trace", path, "el-problem", "--max-paths", "2")
    assert "Only the first" not in out  # exactly two paths: nothing left out
    assert json.loads(run(capsys, "trace", path, "el-problem", "--max-paths", "1", "--json")[1])["truncated"]


def test_trace_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = sound_case()
    f.add_element("defense", "Self-sufficiency", id="el-def2")
    path = save(f, tmp_path / "case.formulation.json")
    code, _, err = run(capsys, "trace", path, "nobody")
    assert code == 1
    assert err == ("error: There is no element called 'nobody': no label contains it. "
                   "'workbench show PATH' lists the elements.\n")
    code, _, err = run(capsys, "trace", path, "self-sufficiency")
    assert code == 1 and err == (
        "error: 'self-sufficiency' matches 2 elements: Self-sufficiency (Defense 1); "
        "Self-sufficiency (Defense 2). Type more of the label, or the kind in brackets.\n")
    code, out, _ = run(capsys, "trace", path, "Self-sufficiency (Defense 2)", "--json")
    assert code == 0 and json.loads(out)["element"] == "el-def2"
    code, _, err = run(capsys, "trace", path, "el-def", "--into", "--out-of")
    assert code == 2 and "not allowed with argument" in err


# --- compare --------------------------------------------------------------------------------


def trainee_case() -> workbench.Formulation:
    b = workbench.new(case_id="C-1", clinician="trainee")
    past = b.add_element("early_experience", "father often absent!", id="el-b1")
    fear = b.add_element("unconscious_fear", "Fear of abandonment", id="el-b2")
    b.add_element("defense", "Intellectualisation", id="el-b3")
    b.add_link(past, fear, "gives_rise_to", id="ln-b1")
    return b


def test_compare_json_hand_computed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = save(sound_case(), tmp_path / "supervisor.formulation.json")
    b = save(trainee_case(), tmp_path / "trainee.formulation.json")
    code, out, err = run(capsys, "compare", a, b, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    overall = {(r["scope"], r["kind"]): r for r in data["agreement"]}
    # Only the early experience pairs by label: elements 1 / (5 + 3 - 1) = 1/7; links 0 / (4 + 1 - 0) = 0.
    assert overall[("elements", "all")]["value"] == pytest.approx(1 / 7)
    assert overall[("links", "all")]["value"] == 0.0
    shared = [m for m in data["matches"] if m["side"] == "shared"]
    assert [(m["a_id"], m["b_id"], m["method"]) for m in shared] == [("el-past", "el-b1", "label")]
    # Pairing the fears by hand: elements 2 / (5 + 3 - 2) = 1/3; links 1 / (4 + 1 - 1) = 1/4.
    code, out, _ = run(capsys, "compare", a, b, "--json", "--match", "el-fear=el-b2")
    rows = {(r["scope"], r["kind"]): r["value"] for r in json.loads(out)["agreement"]}
    assert rows[("elements", "all")] == pytest.approx(1 / 3)
    assert rows[("links", "all")] == pytest.approx(1 / 4)
    assert rows[("elements", "strength")] == 0.0


def test_compare_text_and_versions_of_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = sound_case()
    path = save(f, tmp_path / "case.formulation.json")
    f.update_element("el-problem", label="Rows with partner whenever he wants to talk")
    f.add_element("unconscious_wish", "To be cared for", id="el-wish")
    workbench.save(f, path, message="v2", author="tester")
    code, out, _ = run(capsys, "compare", path, path, "--version-a", "1")
    assert code == 0
    assert "Elements: 5 shared, 0 only in A, 1 only in B." in out  # versions pair by id despite the new label
    assert "only_b  unconscious_wish" in out
    assert "Jaccard  elements  all" in out and "5 shared of 5 + 6" in out and "0.833" in out


def test_compare_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = save(sound_case(), tmp_path / "a.formulation.json")
    code, _, err = run(capsys, "compare", a, a, "--match", "nonsense")
    assert code == 2 and "A_ID=B_ID" in err
    code, _, err = run(capsys, "compare", a, a, "--threshold", "-1")
    assert code == 2
    code, _, err = run(capsys, "compare", a, a, "--match", "el-nope=el-past")
    assert code == 1 and err == "error: There is no element 'el-nope' in formulation A.\n"


# --- naming by part and --fail-on -------------------------------------------------------------


def test_trace_accepts_part_of_a_label_as_in_the_readme(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    demo = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"
    code, out, err = run(capsys, "trace", str(demo), "Low mood")
    assert (code, err) == (0, "")
    assert out.startswith("Roots of “Low mood since being passed over” (")
    code, out, err = run(capsys, "trace", str(demo), "ti")  # in several labels: they are named
    assert code == 1 and out == ""
    assert "matches" in err and "Panic before meetings (Present symptom or problem)" in err


def infos_only_case() -> workbench.Formulation:
    f = sound_case()
    f.update_link("ln-1", evidence=[])  # an evidence gap: information, not a warning
    return f


@pytest.mark.parametrize(("fail_on", "infos_only", "with_warning"),
                         [(None, 0, 1), ("warning", 0, 1), ("info", 1, 1), ("never", 0, 0)])
def test_check_fails_on_warnings_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            fail_on: str | None, infos_only: int, with_warning: int) -> None:
    infos = save(infos_only_case(), tmp_path / "infos.formulation.json")
    f = infos_only_case()
    f.add_element("defense", "Denial", evidence=EVIDENCE)  # isolated: a warning
    warned = save(f, tmp_path / "warned.formulation.json")
    extra = [] if fail_on is None else ["--fail-on", fail_on]
    code, out, _ = run(capsys, "check", infos, *extra)
    assert code == infos_only and "[info]" in out
    code, _, _ = run(capsys, "check", warned, *extra)
    assert code == with_warning
    code, out, _ = run(capsys, "check", warned, "--json", *extra)
    data = json.loads(out)
    assert code == with_warning and data["failed"] is bool(with_warning)
    assert data["fail_on"] == (fail_on or "warning")


def test_check_summarises_evidence_gaps_in_one_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    f = sound_case()
    for link in ("ln-1", "ln-2", "ln-3"):
        f.update_link(link, evidence=[])
    f.update_element("el-fear", evidence=[])
    path = save(f, tmp_path / "gaps.formulation.json")
    code, out, _ = run(capsys, "check", path)
    assert code == 0
    assert out.splitlines() == [
        "1 finding in case C-1 (psychodynamic):",
        "- [info] 1 element and 3 links have no evidence from the sessions yet.",
    ]
    code, out, _ = run(capsys, "check", path, "--json")
    (finding,) = json.loads(out)["findings"]
    assert finding["count"] == 4 and sorted(finding["ids"]) == ["el-fear", "ln-1", "ln-2", "ln-3"]
    code, out, _ = run(capsys, "check", path, "--each")
    assert len(out.splitlines()) == 5
    code, _, err = run(capsys, "check", path, "--fail-on", "sometimes")
    assert code == 2 and "invalid choice" in err
