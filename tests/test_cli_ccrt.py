"""``workbench ccrt PATH [--episodes] [--json]`` (main(argv) in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ccrt import four_episodes

import workbench
from workbench.cli import main

TEACHING = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "teaching"
CASE = TEACHING / "ccrt_unheard_colleague.formulation.json"
CMP = CASE.with_name("cmp_obliging_student.formulation.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ccrt_prints_the_summary_and_every_category(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    ) -> None:
    f, _ids = four_episodes()
    path = tmp_path / "c.formulation.json"
    workbench.save(f, path, message="scored", author="t")
    code, out, err = run(capsys, "ccrt", str(path))
    assert code == 0 and err == ""
    assert "W (wish): W6 “To be loved and understood” (“To be heard”) tied with W1" in out
    rows = {line.strip().split("  ")[0]: line.split() for line in out.splitlines() if line.startswith("  ")}
    assert rows["RO5 Rejecting and opposing"][-9:] == ["3", "of", "4", "75%", "0", "3", "3", "0", "yes"]
    assert rows["RO8 Understanding"][-8:] == ["1", "of", "4", "25%", "1", "0", "0", "1"]
    assert rows["W6 To be loved and understood"][-5:] == ["2", "of", "4", "50%", "tie"]
    assert rows["W1 To assert self and be independent"][-5:] == ["2", "of", "4", "50%", "tie"]
    assert "Episodes:" not in out


def test_ccrt_episodes_lists_each_episode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f, _ids = four_episodes()
    path = tmp_path / "c.formulation.json"
    workbench.save(f, path, message="scored", author="t")
    code, out, _err = run(capsys, "ccrt", str(path), "--episodes")
    assert code == 0
    assert "    RO: Takes him seriously [RO8] (positive, expected)" in out
    assert "    W: (none)" in out  # RE 4 has no wish


def test_ccrt_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "ccrt", str(CASE), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["episodes"] == 6
    assert [c["category"] for c in data["ccrt"]["W"]] == ["W6"]
    assert data["ccrt"]["RO"][0]["frequency"] == 4
    assert data["ccrt"]["RO"][0]["pervasiveness"] == pytest.approx(4 / 6)
    ro5 = next(r for r in data["categories"] if r["category"] == "RO5" and r["level"] == "category")
    assert (ro5["negative"], ro5["expected"], ro5["actual"]) == (4, 1, 3)
    assert len(data["episode_scores"]) == 6


def test_ccrt_of_another_template_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ccrt", str(CMP))
    assert code == 1 and out == ""
    assert err.startswith("error: The template 'cmp'") and "needs a CCRT formulation" in err
    assert len(err.strip().splitlines()) == 1


def test_ccrt_of_an_old_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "ccrt", str(CASE), "-v", "1")
    assert code == 0 and "2 relationship episodes." in out


def test_export_writes_the_ccrt_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _err = run(capsys, "export", str(CASE), "-o", str(tmp_path / "ccrt.csv"), "--table", "ccrt")
    assert code == 0
    text = (tmp_path / "ccrt.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("W,category,W6,To be loved and understood,4,")
    code, _out, err = run(capsys, "export", str(CMP), "-o", str(tmp_path / "cmp.csv"), "--table", "ccrt")
    assert code == 1 and "There is no table 'ccrt' to export" in err
