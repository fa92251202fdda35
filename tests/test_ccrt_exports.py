"""The CCRT in the Markdown narrative and the table exports (Excel, CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from test_ccrt import four_episodes

import workbench
from workbench.analysis.narrative import narrative_markdown
from workbench.export.tables import (
    CCRT_TABLES,
    TABLES,
    export_tables,
    write_csv,
    write_csv_folder,
    write_excel,
)

ROOT = Path(__file__).resolve().parents[1]
CARER = ROOT / "notebooks" / "cases" / "teaching" / "psychodynamic_self_sufficient_carer.formulation.json"


def test_the_narrative_holds_the_ccrt_with_ties_and_counts() -> None:
    f, _ids = four_episodes()
    text = narrative_markdown(f)
    section = text[text.index("## Core Conflictual Relationship Theme (CCRT)"):]
    assert "- W (wish): W6 “To be loved and understood” (“To be heard”) tied with W1" in section
    assert "| RO | RO5 Rejecting and opposing | 3 of 4 | 75% | 0 | 3 | 3 | 0 | yes |" in section
    assert "| RO | RO8 Understanding | 1 of 4 | 25% | 1 | 0 | 0 | 1 |  |" in section
    assert "| W | W6 To be loved and understood | 2 of 4 | 50% |  |  |  |  | tie |" in section


def test_the_narrative_escapes_tailor_made_categories() -> None:
    f = workbench.new("ccrt", case_id="T-1")
    episode = f.add_element("episode_current", "RE 1")
    f.add_link(episode, f.add_element("wish", "To be *heard* | <b>now</b>"), "expresses")
    text = narrative_markdown(f)
    assert "| W | To be \\*heard\\* \\| &lt;b&gt;now&lt;/b&gt; | 1 of 1 | 100% |" in text


def test_other_templates_have_no_ccrt_section_or_tables() -> None:
    f = workbench.load(CARER)
    assert "CCRT" not in narrative_markdown(f)
    assert tuple(export_tables(f)) == TABLES


def test_excel_and_csv_carry_the_ccrt(tmp_path: Path) -> None:
    f, ids = four_episodes()
    assert tuple(export_tables(f)) == (*TABLES, *CCRT_TABLES)
    sheets = pd.read_excel(write_excel(f, tmp_path / "c.xlsx"), sheet_name=None)
    assert list(sheets)[-2:] == ["CCRT", "CCRT episodes"]
    ccrt = sheets["CCRT"]
    ro5 = ccrt[(ccrt["category"] == "RO5") & (ccrt["level"] == "category")].iloc[0]
    assert (ro5["frequency"], ro5["pervasiveness"], ro5["negative"]) == (3, 0.75, 3)
    assert ro5["episodes"] == "; ".join((ids["re1"], ids["re3"], ids["re4"]))
    episodes = pd.read_csv(write_csv(f, tmp_path / "e.csv", table="ccrt_episodes"), encoding="utf-8-sig")
    assert episodes["RO"].tolist()[1] == "Takes him seriously [RO8] (positive, expected)"
    names = [p.name for p in write_csv_folder(f, tmp_path / "all")]
    assert names[-2:] == ["ccrt.csv", "ccrt_episodes.csv"]
