"""The quotes behind an element or link, or taken from one session, as escaped HTML for the editors.

Each quote is shown with its session and whether that session's notes still hold it word
for word (see :mod:`workbench.analysis.evidence`); a flagged quote is marked
``wb-quote-flagged``. Everything from the case is escaped.

>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> _ = f.add_session(1, text="x")
>>> e = f.add_element("defense", "Denial", evidence=[{"session": 1, "quote": "<b>y</b>"}])
>>> "&lt;b&gt;y&lt;/b&gt;" in quotes_behind_html(f, e) and "wb-quote-flagged" in quotes_behind_html(f, e)
True
"""

from __future__ import annotations

from workbench.analysis.evidence import Quote, quotes
from workbench.model import Formulation
from workbench.ui._common import esc

__all__ = ["quotes_behind_html", "quotes_html"]

_STATUS_TEXT = {
    "found": "found in the notes",
    "not found": "not found word for word in the notes: edited notes or a paraphrase",
    "no notes": "no notes to check against",
}


def quotes_behind_html(f: Formulation, target: str) -> str:
    """Return the quotes behind element or link ``target`` as a small table ('' when it has none)."""
    items = quotes(f, target)
    if not items:
        return ""
    flagged = sum(q.flagged for q in items)
    title = f"<b>Quotes behind it</b> ({len(items)}"
    title += f", {flagged} not found in the notes)" if flagged else ")"
    return title + _table(items, first="Session", first_cell=lambda q: _session(q))


def quotes_html(items: list[Quote]) -> str:
    """Return quotes from one session as a table: what each is behind, the quote, and its status."""
    if not items:
        return "<span class='wb-hint'>No quotes from this session yet.</span>"
    return _table(items, first="Behind", first_cell=lambda q: esc(q.label))


def _table(items: list[Quote], *, first: str, first_cell: object) -> str:
    cell = first_cell if callable(first_cell) else (lambda q: "")
    rows = []
    for q in items:
        flag = " class='wb-quote-flagged'" if q.flagged else ""
        status = f"⚠ {esc(_STATUS_TEXT[q.status])}" if q.flagged else esc(_STATUS_TEXT[q.status])
        kind = "wb-quote-status" if q.flagged else "wb-quote-status wb-hint"
        rows.append(f"<tr{flag}><td>{cell(q)}</td>"
                    f"<td>“{esc(q.quote)}”<br><span class='{kind}'>{status}</span></td></tr>")
    return (f"<table class='wb-table wb-quotes-table'><tr><th>{first}</th>"
            "<th>Quote, and whether the session's notes hold it</th></tr>" + "".join(rows) + "</table>")



def _session(q: Quote) -> str:
    return "—" if q.session is None else str(q.session)
