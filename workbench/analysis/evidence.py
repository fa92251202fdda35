"""The quotes behind elements and links, checked against the session notes they came from.

Evidence can be picked from a session's process notes (the app keeps the
session and where the quote starts) or typed by hand. :func:`quotes` lists the
quotes behind one element or link, or behind all of them, and tells for each
whether it is still found word for word in its session's notes:

- ``"found"``: the notes of its session hold the quote verbatim;
- ``"not found"``: the session has notes but they do not hold the quote (the notes
  were edited since, or the quote is a paraphrase typed by hand): it is *flagged*;
- ``"no notes"``: its session has no notes in the case (or it names no session), so
  there is nothing to check it against.

Pure functions: the formulation is never changed.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> _ = f.add_session(2, text="He said: I was never good enough for him.")
>>> e = f.add_element("early_experience", "Critical father",
...                   evidence=[{"session": 2, "quote": "never good enough", "start": 15},
...                             {"session": 2, "quote": "He despised me"}])
>>> [(q.quote, q.status) for q in quotes(f, e)]
[('never good enough', 'found'), ('He despised me', 'not found')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

from workbench.model import Evidence, Formulation

__all__ = [
    "FLAGGED",
    "QUOTE_COLUMNS",
    "Quote",
    "QuoteStatus",
    "find_quote",
    "flagged_quotes",
    "quote_status",
    "quote_table",
    "quotes",
]

QuoteStatus = Literal["found", "not found", "no notes"]

#: The status of a quote that is no longer found verbatim in its session's notes.
FLAGGED: QuoteStatus = "not found"

#: The columns of :func:`quote_table`.
QUOTE_COLUMNS = [
    "target", "what", "label", "item", "session", "date", "quote", "note", "start", "found_at", "status",
]


@dataclass(frozen=True)
class Quote:
    """One evidence quote behind an element or a link, and whether its session's notes hold it.

    ``item`` is the position (from 1) of the evidence item on its element or link;
    ``found_at`` is where the quote is in the notes now (None when not found).
    """

    target: str
    what: Literal["element", "link"]
    label: str
    item: int
    session: int | None
    date: str | None
    quote: str
    note: str
    start: int | None
    found_at: int | None
    status: QuoteStatus

    @property
    def flagged(self) -> bool:
        """Whether the quote is no longer found verbatim in its session's notes."""
        return self.status == FLAGGED


def quotes(f: Formulation, target: str | None = None) -> list[Quote]:
    """Return the quotes behind the element or link ``target`` (every one when None).

    Evidence items without a quote are left out. Elements come first, in the
    formulation's order, then links; each keeps its evidence items' order.
    """
    notes = {s.number: s.text for s in f.session_notes()}
    out: list[Quote] = []
    records: list[tuple[Literal["element", "link"], str, str, tuple[Evidence, ...]]]
    if target is not None:
        if f.has_link(target):
            records = [("link", target, f.sentence(target), f.link(target).evidence)]
        else:
            el = f.element(target)
            records = [("element", el.id, el.label, el.evidence)]
    else:
        records = [("element", el.id, el.label, el.evidence) for el in f.element_records()]
        records += [("link", ln.id, f.sentence(ln.id), ln.evidence) for ln in f.link_records()]
    for what, record_id, label, evidence in records:
        for number, ev in enumerate(evidence, start=1):
            if not ev.quote.strip():
                continue
            status, found_at = _check(ev, notes)
            out.append(
                Quote(record_id, what, label, number, ev.session, ev.date, ev.quote, ev.note, ev.start,
                      found_at, status)
            )
    return out


def flagged_quotes(f: Formulation) -> list[Quote]:
    """Return the quotes no longer found verbatim in their session's notes."""
    return [q for q in quotes(f) if q.flagged]


def quote_status(f: Formulation, evidence: Evidence) -> QuoteStatus:
    """Return whether one evidence item's quote is found in its session's notes (see the module)."""
    return _check(evidence, {s.number: s.text for s in f.session_notes()})[0]


def quote_table(f: Formulation, target: str | None = None) -> pd.DataFrame:
    """Return :func:`quotes` as a table, one row per quote (columns :data:`QUOTE_COLUMNS`)."""
    rows = [asdict(q) for q in quotes(f, target)]
    table = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for column in ("session", "start", "found_at"):
        table[column] = table[column].astype("Int64")
    return table


def find_quote(notes: str, quote: str, start: int | None = None) -> int | None:
    """Return where ``quote`` is in ``notes`` (preferring ``start``), or None if it is not there verbatim.

    >>> find_quote("a b a b", "a b", 4), find_quote("a b a b", "a b"), find_quote("a b", "b a")
    (4, 0, None)
    """
    if not quote:
        return None
    if start is not None and notes.startswith(quote, start):
        return start
    at = notes.find(quote)
    return at if at >= 0 else None


def _check(ev: Evidence, notes: dict[int, str]) -> tuple[QuoteStatus, int | None]:
    if ev.session is None or ev.session not in notes:
        return "no notes", None
    at = find_quote(notes[ev.session], ev.quote, ev.start)
    return ("found", at) if at is not None else ("not found", None)
