"""CSV and Excel export of the analysis tables: elements, links, evidence by session, sessions, strength.

The tables themselves come from :func:`workbench.analysis.tables.analysis_tables`
(plus the comments); this module only writes them:

- :func:`write_excel`: one workbook, one sheet per table, after a *Case* sheet;
- :func:`write_csv`: one table to one CSV file;
- :func:`write_csv_folder`: every table to its own CSV file in a folder.

Clinical text is hostile to spreadsheets too. In Excel files every text cell is
stored as text, never as a formula, and characters a workbook cannot hold are
replaced with U+FFFD. CSV files are UTF-8 with a byte-order mark (so Excel reads
accents right) and end their rows in CRLF (RFC 4180), so that any cell holding a
carriage return or a newline is quoted and cannot start a row of its own. With
``spreadsheet_safe=True`` (the default) a text cell that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
gets a leading apostrophe, and so does every line inside a cell that starts with
``=``, ``+``, ``-``, ``@`` or tab (a spreadsheet that splits the cell there would
otherwise run it).

Example
-------
>>> import pandas as pd, tempfile, pathlib
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> e = f.add_element("early_experience", "Father often absent", evidence=[{"session": 2}])
>>> path = write_excel(f, pathlib.Path(tempfile.mkdtemp()) / "case.xlsx")
>>> pd.read_excel(path, sheet_name="Elements")["label"].tolist()
['Father often absent']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workbench.analysis.ccrt import ccrt_score, has_ccrt
from workbench.analysis.tables import analysis_tables
from workbench.errors import InvalidValue
from workbench.model import Formulation

__all__ = ["CCRT_TABLES", "TABLES", "export_tables", "write_csv", "write_csv_folder", "write_excel"]

#: The tables written, in order (the Excel sheet of each is its name capitalised).
TABLES = ("elements", "links", "evidence", "sessions", "strength", "comments")

#: The tables a CCRT formulation adds after :data:`TABLES`: each category's frequency and
#: pervasiveness (:meth:`~workbench.analysis.ccrt.CCRTScore.to_frame`), and what each episode scores.
CCRT_TABLES = ("ccrt", "ccrt_episodes")

#: Sheet names that are not the table's name capitalised.
_SHEETS = {"ccrt": "CCRT", "ccrt_episodes": "CCRT episodes"}

#: Where a spreadsheet could read a formula: the cell's start before ``= + - @``, tab or CR,
#: and each line's start inside the cell (after CR or LF) before ``= + - @`` or tab.
_FORMULA_AT = re.compile(r"^(?=[=+\-@\t\r])|(?<=[\r\n])(?=[=+\-@\t])")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_MAX_WIDTH = 60


def export_tables(f: Formulation) -> dict[str, pd.DataFrame]:
    """Return the tables that the exports write, by name (see :data:`TABLES` and :data:`CCRT_TABLES`)."""
    tables = dict(analysis_tables(f))
    tables["comments"] = f.comments().reset_index()
    out = {name: tables[name] for name in TABLES}
    if has_ccrt(f.template):
        score = ccrt_score(f)
        frame = score.to_frame()
        for column in ("episodes", "labels"):  # tuples: one cell of text each
            frame[column] = frame[column].map("; ".join)
        out["ccrt"] = frame
        out["ccrt_episodes"] = score.episodes_frame()
    return out


def write_excel(f: Formulation, path: str | Path) -> Path:
    """Write every table to one Excel workbook (one sheet each, after a *Case* sheet); return the path."""
    path = Path(path)
    sheets = {"Case": _case_table(f)}
    sheets.update({_SHEETS.get(name, name.capitalize()): table for name, table in export_tables(f).items()})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            _clean_text(table, _ILLEGAL, "\ufffd").to_excel(writer, sheet_name=name, index=False)
            _tidy_sheet(writer.sheets[name], table)
    return path


def write_csv(
    f: Formulation, path: str | Path, *, table: str = "elements", spreadsheet_safe: bool = True
) -> Path:
    """Write one table (``elements`` by default, see :data:`TABLES`) to a CSV file; return the path."""
    tables = export_tables(f)
    if table not in tables:
        raise InvalidValue(f"There is no table {table!r} to export; tables are: {', '.join(tables)}.")
    path = Path(path)
    _to_csv(tables[table], path, spreadsheet_safe)
    return path


def write_csv_folder(f: Formulation, folder: str | Path, *, spreadsheet_safe: bool = True) -> list[Path]:
    """Write every table to ``<folder>/<table>.csv`` (creating the folder); return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in export_tables(f).items():
        path = folder / f"{name}.csv"
        _to_csv(table, path, spreadsheet_safe)
        paths.append(path)
    return paths


# --- helpers ---------------------------------------------------------------------------


def _case_table(f: Formulation) -> pd.DataFrame:
    meta = f.meta
    rows = [
        ("case_id", meta.case_id),
        ("title", meta.title),
        ("clinician", meta.clinician),
        ("template", f"{f.template.name} ({meta.template})"),
        ("created", meta.created),
        ("fictional", "yes" if meta.fictional else "no"),
        ("description", meta.description),
        ("version", "" if f.base_version is None else str(f.base_version)),
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def _to_csv(table: pd.DataFrame, path: Path, spreadsheet_safe: bool) -> None:
    if spreadsheet_safe:
        table = _defuse_formulas(table)
    # CRLF rows: Python's csv module quotes a cell holding any character of the row ending, and
    # a bare CR is a row ending to spreadsheets, so it must be among them.
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n", errors="replace")


def _clean_text(table: pd.DataFrame, pattern: re.Pattern[str], replacement: str) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: pattern.sub(replacement, v) if isinstance(v, str) else v
            )
    return out


def _defuse_formulas(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: _FORMULA_AT.sub("'", v) if isinstance(v, str) else v
            )
    return out


def _tidy_sheet(sheet: Any, table: pd.DataFrame) -> None:
    """Text stays text (never a formula); bold frozen header; readable column widths."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads any text starting with "=" as a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)])
        sheet.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, longest + 2)
