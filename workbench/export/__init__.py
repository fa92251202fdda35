"""Exports of a formulation: graph files, tables, narrative, share-safe copies, step-through pages.

One module per job:

- :mod:`~workbench.export.graph_formats`: GraphML (with yEd graphics) and GEXF;
- :mod:`~workbench.export.tables`: CSV and Excel of the analysis tables;
- :mod:`~workbench.export.markdown`: the narrative as a Markdown file;
- :mod:`~workbench.export.share_safe`: a copy for seminars, with warnings about identifying details;
- :mod:`~workbench.export.stepthrough`: standalone pages that step through layers or versions
  (the frames of :mod:`workbench.analysis.steps` drawn; the app's presenter draws the same).

:func:`export` picks the format from the file name:

>>> import tempfile, pathlib
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> _ = f.add_element("early_experience", "Father often absent")
>>> export(f, pathlib.Path(tempfile.mkdtemp()) / "case.gexf").suffix
'.gexf'
"""

from __future__ import annotations

from pathlib import Path

from workbench._paths import file_name
from workbench.errors import InvalidValue
from workbench.export.graph_formats import to_graph, write_gexf, write_graphml
from workbench.export.markdown import write_markdown
from workbench.export.share_safe import identifying_details, scan_text, share_safe
from workbench.export.stepthrough import stepthrough_html, stepthrough_versions_html
from workbench.export.tables import (
    CCRT_TABLES,
    TABLES,
    export_tables,
    write_csv,
    write_csv_folder,
    write_excel,
)
from workbench.model import Formulation
from workbench.render.html import render_html

__all__ = [
    "CCRT_TABLES",
    "FORMATS",
    "TABLES",
    "export",
    "export_tables",
    "format_for",
    "identifying_details",
    "scan_text",
    "share_safe",
    "stepthrough_html",
    "stepthrough_versions_html",
    "to_graph",
    "write_csv",
    "write_csv_folder",
    "write_excel",
    "write_gexf",
    "write_graphml",
    "write_markdown",
]

#: Export formats and what they write.
FORMATS = {
    "html": "an interactive page of the map (offline)",
    "stepthrough": "a page that reveals the map layer by layer (offline)",
    "graphml": "GraphML for yEd, Gephi and Cytoscape",
    "gexf": "GEXF for Gephi",
    "csv": "one table as CSV, or every table into a folder",
    "xlsx": "every table in one Excel workbook",
    "md": "the narrative in Markdown",
}

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".md": "md",
    ".markdown": "md",
}


def format_for(path: str | Path) -> str:
    """Return the export format that a file name asks for, from its suffix.

    >>> format_for("seminar/case.GraphML")
    'graphml'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        known = ", ".join(sorted(set(_SUFFIXES)))
        raise InvalidValue(
            f"Cannot tell the export format from {Path(path).name!r}; use a file name ending in {known}, "
            "or name the format."
        )
    return _SUFFIXES[suffix]


def export(
    f: Formulation, path: str | Path, format: str | None = None, *, table: str = "elements",
    quotes: bool = False,
) -> Path:
    """Write ``f`` to ``path`` in ``format`` (default: from the suffix, see :func:`format_for`).

    ``format="csv"`` writes the table named by ``table`` to a ``.csv`` file, or
    every table into ``path`` as a folder when it does not end in ``.csv``.
    ``quotes`` puts the quotes behind each element and link into the Markdown
    narrative (never the session notes). Returns the path written. For a
    share-safe export, pass the copy that :func:`share_safe` returns.
    """
    path = Path(file_name(path))  # InvalidValue for a name no file can have
    chosen = (format or format_for(path)).lower().lstrip(".")
    chosen = {"excel": "xlsx", "markdown": "md", "htm": "html"}.get(chosen, chosen)
    if chosen == "html":
        path.write_text(render_html(f), encoding="utf-8", errors="replace")
    elif chosen == "stepthrough":
        path.write_text(stepthrough_html(f), encoding="utf-8", errors="replace")
    elif chosen == "graphml":
        write_graphml(f, path)
    elif chosen == "gexf":
        write_gexf(f, path)
    elif chosen == "csv":
        if path.suffix.lower() == ".csv":
            write_csv(f, path, table=table)
        else:
            write_csv_folder(f, path)
    elif chosen == "xlsx":
        write_excel(f, path)
    elif chosen == "md":
        write_markdown(f, path, quotes=quotes)
    else:
        raise InvalidValue(f"There is no export format {chosen!r}; formats are: {', '.join(FORMATS)}.")
    return path
