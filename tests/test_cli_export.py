"""``workbench export`` and ``workbench stepthrough``: formats by suffix, share-safe warnings, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from workbench import _clock
from workbench.cli import main
from workbench.export import export, format_for
from workbench.fileformat import save
from workbench.model import Formulation


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(_clock, "now", lambda: "2026-03-02T10:00:00Z")
    path = tmp_path / "case.formulation.json"
    f = Formulation.new(case_id="Miller-0423", title="Ms K., aged 34", clinician="Dr Ruth Weber")
    a = f.add_element("early_experience", "Father often absent",
                      evidence=[{"session": 1, "quote": "Dad never came."}], notes="private")
    save(f, path, message="Session 1", author="Dr Weber", session=1)
    b = f.add_element("unconscious_fear", "Fear of being left")
    f.add_link(a, b, "gives_rise_to")
    f.add_element("present_symptom", "Rows with Daniel since March 2023")
    save(f, path, message="Session 2 with Anna", author="Dr Weber", session=2)
    return path


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.graphml", lambda p: nx.read_graphml(p).number_of_nodes() == 3),
        ("out.gexf", lambda p: nx.read_gexf(p).number_of_edges() == 1),
        ("out.xlsx", lambda p: len(pd.read_excel(p, sheet_name="Elements")) == 3),
        ("out.csv", lambda p: pd.read_csv(p, encoding="utf-8-sig")["label"][0] == "Father often absent"),
        ("out.md", lambda p: p.read_text(encoding="utf-8").startswith("# Case formulation")),
        ("out.html", lambda p: "Content-Security-Policy" in p.read_text(encoding="utf-8")),
    ],
)
def test_export_picks_the_format_from_the_suffix(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, check: object
) -> None:
    out = tmp_path / name
    assert main(["export", str(case), "-o", str(out)]) == 0
    assert callable(check) and check(out)
    assert f"Wrote {out}" in capsys.readouterr().out


def test_export_an_older_version_and_a_folder_of_csv(case: Path, tmp_path: Path) -> None:
    assert main(["export", str(case), "-o", str(tmp_path / "v1.graphml"), "--version", "1"]) == 0
    assert nx.read_graphml(tmp_path / "v1.graphml").number_of_nodes() == 1
    assert main(["export", str(case), "-o", str(tmp_path / "tables"), "--format", "csv"]) == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(
        ["elements.csv", "links.csv", "evidence.csv", "sessions.csv", "strength.csv", "comments.csv"]
    )
    assert main(["export", str(case), "-o", str(tmp_path / "l.csv"), "--table", "links"]) == 0
    assert pd.read_csv(tmp_path / "l.csv", encoding="utf-8-sig")["verb"].tolist() == ["gives rise to"]


def test_share_safe_export_strips_and_warns(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "safe.xlsx"
    assert main(["export", str(case), "-o", str(out), "--share-safe", "--case-code", "Case A"]) == 0
    captured = capsys.readouterr()
    assert "share-safe as 'Case A'" in captured.out
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert any("'Ms K.'" in w and "title" in w for w in warnings)
    assert any("'Daniel'" in w and "Rows with Daniel" in w for w in warnings)
    assert any("'March 2023'" in w for w in warnings)
    sheets = pd.read_excel(out, sheet_name=None)
    case_sheet = dict(zip(sheets["Case"]["field"], sheets["Case"]["value"].fillna(""), strict=True))
    assert case_sheet["case_id"] == "Case A" and case_sheet["clinician"] == ""
    assert sheets["Evidence"]["quote"].isna().all()
    assert "Miller" not in json.dumps(sheets["Elements"].astype(str).to_dict())


def test_stepthrough_layers_and_versions(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "layers.html"
    assert main(["stepthrough", str(case), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert '"mode": "layers"' in page
    out = tmp_path / "versions.html"
    assert main(["stepthrough", str(case), "-o", str(out), "--versions"]) == 0
    page = out.read_text(encoding="utf-8")
    assert '"mode": "versions"' in page and "Session 2 with Anna" in page
    assert "step-through 2 versions" in capsys.readouterr().out


def test_share_safe_versions_drop_authors_and_keep_one_code(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "safe.html"
    assert main(["stepthrough", str(case), "-o", str(out), "--versions", "--share-safe"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Dr Weber" not in page and "Miller-0423" not in page and "Dad never came" not in page
    codes = set(re.findall(r"Case [A-Z0-9]{3}\b", page))
    assert len(codes) == 1
    err = capsys.readouterr().err
    assert "version 2, message: 'Anna'" in err


def test_usage_and_user_errors(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(case), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "Cannot tell the export format from 'x.pdf'" in capsys.readouterr().err
    assert main(["export", str(case)]) == 2
    both = ["--versions", "--version", "1"]
    assert main(["stepthrough", str(case), "-o", str(tmp_path / "s.html"), *both]) == 2
    assert main(["export", str(case), "-o", str(case), "--format", "md"]) == 1
    assert "formulation file itself" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.formulation.json"), "-o", str(tmp_path / "m.md")]) == 1
    assert main(["export", str(case), "-o", str(tmp_path / "v.md"), "--version", "9"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("error:") == 2


def test_library_export_and_format_for(tmp_path: Path) -> None:
    f = Formulation.new(case_id="C-1")
    f.add_element("defense", "Denial")
    assert format_for("a/b/Case.XLSX") == "xlsx"
    assert export(f, tmp_path / "c.txt", "markdown").read_text(encoding="utf-8").startswith("# Case")
    step = export(f, tmp_path / "s.html", "stepthrough").read_text(encoding="utf-8")
    assert 'id="wb-extra"' in step
