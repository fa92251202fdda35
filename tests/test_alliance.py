"""The therapeutic relationship over the sessions: alliance_timeline and its narrative section."""

from __future__ import annotations

import workbench
from workbench.analysis.alliance import TIMELINE_COLUMNS, alliance_timeline
from workbench.analysis.narrative import narrative_markdown


def relationship() -> tuple[workbench.Formulation, dict[str, str]]:
    f = workbench.new(case_id="T-A")
    ids = {
        "alliance": f.add_element("working_alliance", "Agreed focus; careful bond",
                                  evidence=[{"session": 1}]),
        "withdrawal": f.add_element("rupture", "Goes quiet after a comment", evidence=[{"session": 4}]),
        "confront": f.add_element("rupture", "Says the sessions are useless", evidence=[{"session": 6}]),
        "repair": f.add_element("repair", "Asks how the comment landed", evidence=[{"session": 5}]),
        "undated": f.add_element("repair", "Could acknowledge the missed call"),
    }
    f.add_link(ids["withdrawal"], ids["alliance"], "strains")
    f.add_link(ids["confront"], ids["alliance"], "strains")
    f.add_link(ids["repair"], ids["withdrawal"], "resolves")
    f.add_link(ids["repair"], ids["alliance"], "strengthens")
    return f, ids


def test_the_timeline_orders_by_first_session_and_says_what_each_does() -> None:
    f, ids = relationship()
    table = alliance_timeline(f)
    assert list(table.columns) == TIMELINE_COLUMNS
    assert list(table["id"]) == [ids["alliance"], ids["withdrawal"], ids["repair"], ids["confront"],
                                 ids["undated"]]
    by_id = table.set_index("id")
    assert by_id.loc[ids["withdrawal"], "repaired"] is True
    assert by_id.loc[ids["confront"], "repaired"] is False
    assert by_id.loc[ids["withdrawal"], "detail"] == (
        "strains “Agreed focus; careful bond”; resolved by “Asks how the comment landed” (session 5)")
    assert by_id.loc[ids["confront"], "detail"] == "strains “Agreed focus; careful bond”; no repair yet"
    assert by_id.loc[ids["alliance"], "detail"] == (
        "strained by “Goes quiet after a comment” (session 4); strained by “Says the sessions are useless” "
        "(session 6); strengthened by “Asks how the comment landed” (session 5)")
    assert by_id.loc[ids["repair"], "detail"].startswith("resolves “Goes quiet after a comment” (session 4)")


def test_discarded_repairs_do_not_repair_and_other_templates_have_no_timeline() -> None:
    f, ids = relationship()
    f.update_element(ids["repair"], status="discarded")
    table = alliance_timeline(f).set_index("id")
    assert ids["repair"] not in table.index
    assert table.loc[ids["withdrawal"], "repaired"] is False
    empty = alliance_timeline(workbench.new("cmp", case_id="T-B"))
    assert empty.empty and list(empty.columns) == TIMELINE_COLUMNS


def test_the_narrative_tells_the_relationship_over_the_sessions() -> None:
    f, _ids = relationship()
    text = narrative_markdown(f)
    section = text[text.index("## The therapeutic relationship over the sessions"):]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert lines[1] == ("- Session 4 · Alliance rupture: Goes quiet after a comment — strains “Agreed focus; "
                        "careful bond”; resolved by “Asks how the comment landed” (session 5).")
    assert lines[-1] == "- No session yet · Repair: Could acknowledge the missed call."
    assert "## The therapeutic relationship" not in narrative_markdown(workbench.new(case_id="T-C"))
