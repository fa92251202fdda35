"""Tests of workbench.analysis.tables: evidence by session, drivers and end points, export set."""

from __future__ import annotations

import pandas as pd
import pytest

import workbench
from workbench.analysis.tables import (
    EVIDENCE_COLUMNS,
    STRENGTH_COLUMNS,
    analysis_tables,
    evidence_by_session,
    session_summary,
    signed_weight,
    strength_table,
)
from workbench.model import Formulation


def case() -> tuple[Formulation, dict[str, str]]:
    f = workbench.new(case_id="C-1")
    i = {
        "past": f.add_element("early_experience", "Father often absent",
                              evidence=[{"session": 2, "quote": "He was never there."}, {"session": 1}]),
        "fear": f.add_element("unconscious_fear", "Fear of being left", confidence="high",
                              evidence=[{"note": "undated impression"}]),
        "problem": f.add_element("present_symptom", "Low mood",
                                 evidence=[{"session": 1, "date": "2026-01-05"}]),
        "strength": f.add_element("strength", "Loyal friend"),
        "alone": f.add_element("defense", "Denial"),
    }
    i["l1"] = f.add_link(i["past"], i["fear"], "gives_rise_to", weight=0.8,
                         evidence=[{"session": 2, "note": "linked in session"}])
    i["l2"] = f.add_link(i["fear"], i["problem"], "expressed_as")
    i["l3"] = f.add_link(i["strength"], i["problem"], "protects_against", weight=0.5)
    return f, i


def test_evidence_by_session_orders_by_session_and_keeps_undated_last() -> None:
    f, i = case()
    table = evidence_by_session(f)
    assert list(table.columns) == EVIDENCE_COLUMNS
    assert list(table["session"].astype("object").where(table["session"].notna(), None)) == [1, 1, 2, 2, None]
    assert list(table["id"]) == [i["past"], i["problem"], i["past"], i["l1"], i["fear"]]
    assert list(table["what"]) == ["element", "element", "element", "link", "element"]
    link_row = table[table["what"] == "link"].iloc[0]
    assert link_row["label"] == "Father often absent gives rise to Fear of being left"
    assert table.iloc[2]["quote"] == "He was never there."
    assert evidence_by_session(workbench.new(case_id="E")).empty


def test_session_summary() -> None:
    f, _ = case()
    table = session_summary(f)
    assert table.to_dict("records") == [
        {"session": 1, "elements": 2, "links": 0, "items": 2},
        {"session": 2, "elements": 1, "links": 1, "items": 2},
    ]
    empty = session_summary(workbench.new(case_id="E"))
    assert empty.empty
    assert list(empty.columns) == ["session", "elements", "links", "items"]


def test_signed_weight() -> None:
    f, i = case()
    assert signed_weight(f, f.link(i["l1"])) == 0.8  # recorded weight
    assert signed_weight(f, f.link(i["l2"])) == 1.0  # no weight counts 1
    assert signed_weight(f, f.link(i["l3"])) == -0.5  # protects against: a negative kind
    f.update_link(i["l3"], weight=-0.5)
    assert signed_weight(f, f.link(i["l3"])) == -0.5  # not turned positive by a double negative
    f.update_link(i["l2"], weight=-2)
    assert signed_weight(f, f.link(i["l2"])) == -2.0  # a negative weight on a positive kind stays


def test_strength_table_hand_computed() -> None:
    f, i = case()
    table = strength_table(f).set_index("id")
    assert list(strength_table(f).columns) == STRENGTH_COLUMNS
    # past: out 0.8 (to fear). fear: in 0.8, out 1.0 (to problem). strength: out -0.5.
    # problem: in 1.0 - 0.5 = 0.5. Denial: nothing.
    assert table.loc[i["past"], ["out_strength", "in_strength", "role"]].tolist() == [0.8, 0.0, "driver"]
    assert table.loc[i["fear"], ["out_strength", "in_strength", "role"]].tolist() == [1.0, 0.8, "link"]
    assert table.loc[i["fear"], "net_strength"] == pytest.approx(0.2)
    assert table.loc[i["problem"], ["in_strength", "in_degree", "role"]].tolist() == [0.5, 2, "end point"]
    assert table.loc[i["strength"], ["out_strength", "role"]].tolist() == [-0.5, "driver"]
    assert table.loc[i["alone"], ["out_degree", "in_degree", "role"]].tolist() == [0, 0, "isolated"]
    # Sorted by out-strength, largest first.
    assert list(strength_table(f)["id"])[:2] == [i["fear"], i["past"]]


def test_analysis_tables_for_export() -> None:
    f, i = case()
    tables = analysis_tables(f)
    assert list(tables) == ["elements", "links", "evidence", "sessions", "strength"]
    assert all(isinstance(t, pd.DataFrame) for t in tables.values())
    elements = tables["elements"].set_index("id")
    assert elements.loc[i["fear"], "confidence_level"] == "high"
    assert elements.loc[i["past"], "confidence_level"] == ""
    cols = list(tables["elements"].columns)
    assert cols.index("confidence_level") == cols.index("confidence") + 1
    assert "confidence_level" in tables["links"].columns
    assert len(tables["links"]) == 3


def test_tables_do_not_change_the_formulation() -> None:
    f, _ = case()
    before = f.copy()
    analysis_tables(f)
    assert f == before
