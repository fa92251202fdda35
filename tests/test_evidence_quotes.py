"""Quotes behind elements and links, flagged when no longer verbatim in their session's notes; the session
timeline; and session notes kept out of every export (share-safe or not)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import workbench
from workbench.analysis.checks import run_checks
from workbench.analysis.evidence import find_quote, flagged_quotes, quote_status, quote_table, quotes
from workbench.analysis.narrative import narrative_markdown
from workbench.analysis.timeline import resting_table, session_timeline
from workbench.cli import main
from workbench.export import FORMATS, export, share_safe
from workbench.fileformat import each_version
from workbench.model import Evidence

#: Words only the private notes hold (never quoted): no export may contain them.
PRIVATE = "Zebulon-private-marker"
NOTE_2 = f"She arrived late. {PRIVATE} <script>alert(1)</script> He was never there when I needed him."
NOTE_5 = f"Talked about the new job. {PRIVATE} I'm useless, they will see it."


def case_with_notes() -> workbench.Formulation:
    f = workbench.new(case_id="C-7", title="Notes case")
    f.add_session(2, date="2024-02-12", text=NOTE_2)
    f.add_session(5, date="2024-03-04", text=NOTE_5)
    start = NOTE_2.index("He was never there")
    past = f.add_element(
        "early_experience",
        "Father often absent",
        id="el-past",
        evidence=[{"session": 2, "quote": "He was never there when I needed him.", "start": start}],
    )
    fear = f.add_element(
        "unconscious_fear",
        "Fear of being found wanting",
        id="el-fear",
        evidence=[
            {"session": 5, "quote": "I'm useless", "start": NOTE_5.index("I'm useless")},
            {"session": 5, "quote": "I am worthless"},  # a paraphrase typed by hand
            {"session": 9, "quote": "No notes for this session"},
            {"session": 5, "note": "no quote, only a note"},
        ],
    )
    f.add_link(past, fear, "gives_rise_to", id="ln-1",
               evidence=[{"session": 2, "quote": "never there", "start": NOTE_2.index("never there")}])
    return f


def test_quotes_behind_an_element_or_link_tell_whether_the_notes_still_hold_them() -> None:
    f = case_with_notes()
    got = [(q.quote, q.session, q.status) for q in quotes(f, "el-fear")]
    assert got == [
        ("I'm useless", 5, "found"),
        ("I am worthless", 5, "not found"),
        ("No notes for this session", 9, "no notes"),
    ]
    sentence = "Father often absent gives rise to Fear of being found wanting"
    assert [q.label for q in quotes(f, "ln-1")] == [sentence]
    assert [q.target for q in quotes(f)] == ["el-past", "el-fear", "el-fear", "el-fear", "ln-1"]
    assert [q.quote for q in flagged_quotes(f)] == ["I am worthless"]
    table = quote_table(f)
    assert list(table["status"]) == ["found", "found", "not found", "no notes", "found"]


def test_editing_the_notes_flags_the_quotes_they_no_longer_hold_and_a_moved_quote_is_still_found() -> None:
    f = case_with_notes()
    f.update_session(2, text="Inserted first. " + NOTE_2)  # the quote moved: still verbatim
    [q] = quotes(f, "el-past")
    assert q.status == "found" and q.found_at == q.start + len("Inserted first. ")
    f.update_session(2, text=NOTE_2.replace("never there", "rarely there"))
    assert quote_status(f, f.element("el-past").evidence[0]) == "not found"
    assert {q.target for q in flagged_quotes(f)} == {"el-past", "el-fear", "ln-1"}
    f.remove_session(5)
    assert [q.status for q in quotes(f, "el-fear")] == ["no notes", "no notes", "no notes"]


def test_find_quote_prefers_the_recorded_position() -> None:
    assert find_quote("ab ab ab", "ab", 3) == 3
    assert find_quote("ab ab ab", "ab", 4) == 0
    assert find_quote("ab", "") is None
    assert quote_status(workbench.new(case_id="x"), Evidence(session=None, quote="q")) == "no notes"


def test_the_checklist_flags_a_quote_not_found_in_its_notes() -> None:
    findings = run_checks(case_with_notes())
    rows = findings[findings["check"] == "quote_not_in_notes"]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["severity"] == "info" and row["id"] == "el-fear"
    assert "“I am worthless”" in row["message"] and "session 5" in row["message"]


def test_the_narrative_lists_the_quotes_on_request_escaped_and_flagged_and_never_the_notes() -> None:
    f = case_with_notes()
    f.update_element("el-past", evidence=[{"session": 2, "quote": "# [link](http://x) <b>", "start": None}])
    plain = narrative_markdown(f)
    assert "He was never there" not in plain and "never there" not in plain  # quotes only on request
    text = narrative_markdown(f, quotes=True)
    assert "  - Session 5: “I'm useless”" in text
    assert "“I am worthless” (not found word for word" in text
    assert "\\# \\[link\\](http\\://x) &lt;b&gt;" in text
    assert PRIVATE not in text and "<script>" not in text


def test_the_timeline_shows_what_each_session_added_and_what_rests_on_it(tmp_path: Path) -> None:
    p = tmp_path / "c.formulation.json"
    f = workbench.new(case_id="C-7")
    workbench.save(f, p, message="assessment", author="Dr A", session=1)
    f.add_session(2, text=NOTE_2)
    past = f.add_element("early_experience", "Father often absent", evidence=[{"session": 2, "quote": "x"}])
    workbench.save(f, p, message="s2", author="Dr A", session=2)
    fear = f.add_element("unconscious_fear", "Fear of being left")
    workbench.save(f, p, message="s2 again", author="Dr A", session=2)
    f.add_link(past, fear, "gives_rise_to", evidence=[{"session": 2}, {"session": 3}])
    f.update_element(past, confidence="high")
    workbench.save(f, p, message="s3", author="Dr A", session=3)
    workbench.save(f, p, message="no session", author="Dr A")
    t = session_timeline(each_version(p))
    assert t.sessions == [1, 2, 3]
    two = t.at(2)
    assert two.versions == (2, 3)
    assert [el.label for el in two.added.elements_added] == ["Father often absent", "Fear of being left"]
    assert two.held is not None and len(two.held) == 2 and two.held.link_records() == []
    assert [r.label for r in two.resting] == ["Father often absent",
                                               "Father often absent gives rise to Fear of being left"]
    three = t.at(3)
    assert three.added.summary() == "1 element changed, 1 link added"
    assert t.at(7).versions == () and t.at(7).held is None and t.at(7).added.is_empty
    table = t.table()
    assert list(table["session"]) == [1, 2, 3]
    assert list(table["elements_added"]) == [0, 2, 0] and list(table["has_notes"]) == [False, True, False]
    assert list(resting_table(f)["sessions"]) == ["2", "2, 3"]


# --- notes never leave the case file ---------------------------------------------------------------


def _read_all(path: Path) -> str:
    if path.is_dir():
        return "".join(_read_all(child) for child in sorted(path.iterdir()))
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())
    return path.read_text(encoding="utf-8", errors="replace")


_OUTPUTS = {"html": "m.html", "stepthrough": "s.html", "graphml": "g.graphml", "gexf": "g.gexf",
            "csv": "tables", "xlsx": "t.xlsx", "md": "n.md"}


def test_every_export_format_is_covered() -> None:
    assert set(_OUTPUTS) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(_OUTPUTS))
def test_session_notes_are_in_no_export_and_share_safe_ones_hold_no_quote_from_them(
    tmp_path: Path, fmt: str
) -> None:
    f = case_with_notes()
    out = export(f, tmp_path / _OUTPUTS[fmt], fmt)
    assert PRIVATE not in _read_all(out)
    safe, _warnings = share_safe(f, case_code="Case A")
    assert safe.session_notes() == []
    out = export(safe, tmp_path / ("safe-" + _OUTPUTS[fmt]), fmt)
    text = _read_all(out)
    assert PRIVATE not in text
    for quoted in ("never there", "I'm useless", "I am worthless"):
        assert quoted not in text and quoted.replace("'", "&#x27;") not in text


def test_the_command_line_exports_keep_the_notes_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "c.formulation.json"
    f = case_with_notes()
    workbench.save(f, p, message="v1", author="Dr A", session=2)
    f.update_session(5, text=NOTE_5 + " More.")
    workbench.save(f, p, message="v2", author="Dr A", session=5)
    for fmt, name in _OUTPUTS.items():
        out = str(tmp_path / f"cli-{name}")
        assert main(["export", str(p), "-o", out, "--format", fmt, "--share-safe"]) == 0
        assert PRIVATE not in _read_all(tmp_path / f"cli-{name}")
    assert main(["stepthrough", str(p), "-o", str(tmp_path / "v.html"), "--versions", "--share-safe"]) == 0
    page = _read_all(tmp_path / "v.html")
    assert PRIVATE not in page and "never there" not in page
    assert main(["stepthrough", str(p), "-o", str(tmp_path / "w.html"), "--versions"]) == 0
    page = _read_all(tmp_path / "w.html")
    assert PRIVATE not in page and "session changed" not in page  # not even that the notes changed
    assert PRIVATE not in capsys.readouterr().out
