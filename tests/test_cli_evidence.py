"""``workbench evidence`` and ``workbench timeline``: quotes behind elements and links, flagged when their
session's notes no longer hold them; the sessions of a case. Never the notes themselves."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import pytest
from test_evidence_quotes import PRIVATE, case_with_notes

import workbench
from workbench.cli import main


@pytest.fixture
def case(tmp_path: Path) -> Path:
    p = tmp_path / "c.formulation.json"
    f = case_with_notes()
    workbench.save(f, p, message="after session 2", author="Dr A", session=2)
    f.add_element("defense", "Denial \x1b[31m<b>", evidence=[{"session": 5, "quote": "It's fine.\x07"}])
    workbench.save(f, p, message="after session 5", author="Dr A", session=5)
    return p


def test_evidence_lists_every_quote_and_flags_those_not_in_the_notes(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", str(case)]) == 0
    out = capsys.readouterr().out
    assert "Fear of being found wanting:\n  session 5: “I'm useless”\n" in out
    assert "“I am worthless”  ! not found word for word" in out
    assert "“No notes for this session”  (no notes of that session" in out
    assert "2 quotes not found word for word" in out  # the paraphrase and Denial's quote
    assert "\x1b" not in out and "\x07" not in out and PRIVATE not in out


def test_evidence_for_one_element_or_link_and_only_the_flagged(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", str(case), "found wanting"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Quotes behind Fear of being found wanting (version 2 of ")
    assert "He was never there" not in out
    assert main(["evidence", str(case), "ln-1", "--version", "1"]) == 0
    assert "“never there”" in capsys.readouterr().out
    assert main(["evidence", str(case), "--flagged", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 2 and data["flagged"] == 2
    assert [q["quote"] for q in data["quotes"]] == ["I am worthless", "It's fine.\x07"]
    assert all(q["flagged"] and q["status"] == "not found" for q in data["quotes"])
    assert main(["evidence", str(case), "Father often absent", "--flagged"]) == 0
    assert capsys.readouterr().out.startswith("No flagged quotes behind Father often absent")


def test_evidence_names_an_unknown_element_in_one_line(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", str(case), "nothing like this"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "workbench show PATH" in err


def test_timeline_lists_the_sessions_and_details_one(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", str(case)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Session 2 (2024-02-12): version 1; 2 elements and 1 link added; 2 rest on it; notes kept",
        "Session 5 (2024-03-04): version 2; 1 element and 0 links added; 2 rest on it; notes kept",
        "Session 9: no version saved; 1 rest on it",
    ]
    assert main(["timeline", str(case), "5"]) == 0
    out = capsys.readouterr().out
    assert "Version 2; the formulation then held 3 elements and 1 link." in out
    assert "    + Denial [31m<b>" in out and "\x1b" not in out
    assert main(["timeline", str(case), "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["versions"] == [1] and [e["id"] for e in data["elements_added"]] == ["el-past", "el-fear"]
    assert [r["id"] for r in data["resting"]] == ["el-past", "ln-1"]
    assert main(["timeline", str(case), "--json"]) == 0
    sessions = json.loads(capsys.readouterr().out)["sessions"]
    assert [s["session"] for s in sessions] == [2, 5, 9] and sessions[2]["date"] is None
    assert main(["timeline", str(case), "x"]) == 2


def test_the_markdown_export_lists_the_quotes_on_request(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, quoted, safe = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    assert main(["export", str(case), "-o", str(plain)]) == 0
    assert main(["export", str(case), "-o", str(quoted), "--quotes"]) == 0
    assert main(["export", str(case), "-o", str(safe), "--quotes", "--share-safe"]) == 0
    capsys.readouterr()
    assert "I'm useless" not in plain.read_text(encoding="utf-8")
    text = quoted.read_text(encoding="utf-8")
    assert "  - Session 5: “I'm useless”" in text and "“I am worthless” (not found word for word" in text
    assert PRIVATE not in text
    safe_text = safe.read_text(encoding="utf-8")
    assert "useless" not in safe_text and PRIVATE not in safe_text


def test_the_session_notes_benchmark_prints_ratios_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_session_notes.py"
    spec = importlib.util.spec_from_file_location("bench_session_notes", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--elements", "6", "--sessions", "2", "--versions", "3", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "session timeline" in out and "ratio" in out
    assert "6 elements, 2 sessions of notes, 3 versions" in out
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone
