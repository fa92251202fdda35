"""The session timeline: what the formulation held after each session, and what each session added.

Built on the version history: every saved version may name the session it was
saved after (``revision["session"]``). :func:`session_timeline` reads the
versions once, oldest first (pass :func:`workbench.fileformat.each_version`),
and keeps for each session the formulation before its first version and after
its last one, so that :meth:`Timeline.at` can tell

- what the formulation held then (the session's last version),
- what that session added or changed (from the version before its first one), and
- which elements and links rest on the session (their evidence cites it, in
  the newest version).

:func:`resting_on` lists, for every element and link, the sessions its evidence
comes from. Pure functions: the formulations passed in are not changed.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> v1 = f.copy()
>>> _ = f.add_element("defense", "Denial", evidence=[{"session": 2, "quote": "It's fine."}])
>>> t = session_timeline([({"version": 1, "session": 1}, v1), ({"version": 2, "session": 2}, f)])
>>> t.sessions, t.at(2).added.summary(), [r.label for r in t.at(2).resting]
([1, 2], '1 element added', ['Denial'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from workbench.diffing import FormulationDiff, diff
from workbench.model import Formulation

__all__ = [
    "RESTING_COLUMNS",
    "TIMELINE_COLUMNS",
    "Resting",
    "SessionView",
    "Timeline",
    "resting_on",
    "resting_table",
    "session_timeline",
]

#: The columns of :meth:`Timeline.table`.
TIMELINE_COLUMNS = [
    "session", "date", "versions", "elements", "links", "elements_added", "links_added", "changed",
    "resting", "has_notes",
]

#: The columns of :func:`resting_on`.
RESTING_COLUMNS = ["id", "what", "label", "sessions"]


@dataclass(frozen=True)
class Resting:
    """An element or link and the sessions its evidence comes from."""

    id: str
    what: Literal["element", "link"]
    label: str
    sessions: tuple[int, ...]


@dataclass(frozen=True)
class SessionView:
    """One session in the timeline.

    ``held`` is the formulation after the session's last saved version (None when
    no version names the session); ``added`` what its versions changed, from
    ``before`` (the version saved before its first one; None for none); ``resting``
    the elements and links whose evidence cites it in the newest version.
    """

    session: int
    date: str | None
    versions: tuple[int, ...]
    held: Formulation | None
    added: FormulationDiff
    resting: tuple[Resting, ...]
    before: Formulation | None = None


class Timeline:
    """The sessions of a case and, for each, its versions and what it added (see the module)."""

    def __init__(self, before: dict[int, Formulation | None], after: dict[int, Formulation],
                 versions: dict[int, list[int]], latest: Formulation | None) -> None:
        self._before, self._after, self._versions, self.latest = before, after, versions, latest
        numbers = set(versions)
        if latest is not None:
            numbers |= {s.number for s in latest.session_notes()}
            numbers |= {n for r in resting_on(latest) for n in r.sessions}
        #: Every session a version, a note or a piece of evidence names, in order.
        self.sessions: list[int] = sorted(numbers)

    def at(self, session: int) -> SessionView:
        """Return the view of one session (any number: one the case never names comes back empty)."""
        after = self._after.get(session)
        before = self._before.get(session)
        if after is None:
            added = FormulationDiff()
        else:
            start = before if before is not None else Formulation(after.meta, after.template)
            added = diff(start, after)
        date = None
        resting: tuple[Resting, ...] = ()
        if self.latest is not None:
            notes = {s.number: s for s in self.latest.session_notes()}
            date = notes[session].date if session in notes else None
            resting = tuple(r for r in resting_on(self.latest) if session in r.sessions)
        versions = tuple(self._versions.get(session, ()))
        return SessionView(session, date, versions, after, added, resting, before)

    def table(self) -> pd.DataFrame:
        """Return one row per session (columns :data:`TIMELINE_COLUMNS`)."""
        rows: list[dict[str, Any]] = []
        notes = {s.number for s in self.latest.session_notes()} if self.latest is not None else set()
        for number in self.sessions:
            view = self.at(number)
            d = view.added
            rows.append({
                "session": number,
                "date": view.date,
                "versions": ", ".join(str(v) for v in view.versions),
                "elements": len(view.held) if view.held is not None else None,
                "links": len(view.held.link_records()) if view.held is not None else None,
                "elements_added": len(d.elements_added),
                "links_added": len(d.links_added),
                "changed": len(d.elements_changed) + len(d.links_changed),
                "resting": len(view.resting),
                "has_notes": number in notes,
            })
        table = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
        for column in ("elements", "links"):
            table[column] = table[column].astype("Int64")
        return table


def session_timeline(versions: Iterable[tuple[Any, Formulation]]) -> Timeline:
    """Read ``(revision, formulation)`` pairs, oldest first, into a :class:`Timeline`.

    A revision is a mapping (as the file holds it) or a record with ``version``
    and ``session`` attributes. Memory holds two formulations per session
    (before its first version and after its last), not one per version.
    """
    before: dict[int, Formulation | None] = {}
    after: dict[int, Formulation] = {}
    numbers: dict[int, list[int]] = {}
    previous: Formulation | None = None
    for revision, f in versions:
        session, version = _field(revision, "session"), _field(revision, "version")
        if isinstance(session, int) and not isinstance(session, bool):
            if session not in numbers:
                before[session] = previous
                numbers[session] = []
            numbers[session].append(int(version))
            after[session] = f
        previous = f
    return Timeline(before, after, numbers, previous)


def _field(revision: Any, name: str) -> Any:
    return revision.get(name) if isinstance(revision, Mapping) else getattr(revision, name, None)


def resting_on(f: Formulation) -> list[Resting]:
    """Return every element and link whose evidence names a session, with those sessions in order."""
    out: list[Resting] = []
    for el in f.element_records():
        sessions = tuple(sorted({e.session for e in el.evidence if e.session is not None}))
        if sessions:
            out.append(Resting(el.id, "element", el.label, sessions))
    for ln in f.link_records():
        sessions = tuple(sorted({e.session for e in ln.evidence if e.session is not None}))
        if sessions:
            out.append(Resting(ln.id, "link", f.sentence(ln.id), sessions))
    return out


def resting_table(f: Formulation) -> pd.DataFrame:
    """Return :func:`resting_on` as a table (columns :data:`RESTING_COLUMNS`; sessions as ``'2, 5'``)."""
    rows = [{"id": r.id, "what": r.what, "label": r.label, "sessions": ", ".join(map(str, r.sessions))}
            for r in resting_on(f)]
    return pd.DataFrame(rows, columns=RESTING_COLUMNS)
