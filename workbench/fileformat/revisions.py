"""The saved versions of a file as typed records: what :func:`workbench.history` returns.

One :class:`Revision` per saved version (number, UTC time, author, session, message,
counts, how it is stored) in a :class:`Revisions` sequence, oldest first. Pandas users
keep one call: :meth:`Revisions.to_frame` gives the table ``history()`` returned before
(the same columns and types, ``attrs["lost_version"]`` included).

>>> from dataclasses import replace
>>> from datetime import UTC, datetime
>>> when = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
>>> first = Revision(1, when, "Dr Rivera", 1, "Start", 3, 2, 0, "snapshot")
>>> revisions = Revisions([first, replace(first, version=2, session=None, stored="delta")])
>>> [r.version for r in revisions], revisions[-1].session, revisions.lost_version
([1, 2], None, None)
>>> revisions.to_frame()[["version", "time", "session"]]
   version                  time  session
0        1  2026-11-25T14:00:00Z        1
1        2  2026-11-25T14:00:00Z     <NA>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

import pandas as pd

from workbench import _clock

__all__ = ["COLUMNS", "Revision", "Revisions"]

#: The columns of :meth:`Revisions.to_frame`, in order: the fields of a :class:`Revision`.
COLUMNS = ("version", "time", "author", "session", "message", "elements", "links", "comments", "stored")


@dataclass(frozen=True, slots=True)
class Revision:
    """One saved version: its number, when (an aware UTC datetime), who, the session, the message,
    how many elements, links and comments it holds, and whether it is stored as a ``"snapshot"``
    or a ``"delta"``.

    ``stamp`` is the time as the file holds it (``'2026-11-25T19:10:46Z'``); a record made
    in Python without one gets the time written as the workbench writes it. Records compare
    by their time, not by how it was written.
    """

    version: int
    time: datetime
    author: str
    session: int | None
    message: str
    elements: int
    links: int
    comments: int
    stored: str
    stamp: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.stamp:
            object.__setattr__(self, "stamp", _clock.stamp(self.time))

    @classmethod
    def from_json(cls, revision: Mapping[str, Any], stored: str) -> Revision:
        """The record of a (checked) revision as the file holds it; ``stored`` is how the line holds it."""
        stamp = revision["time"]
        return cls(
            revision["version"],
            _clock.parse(stamp),
            revision["author"],
            revision["session"],
            revision["message"],
            revision["elements"],
            revision["links"],
            revision["comments"],
            stored,
            stamp,
        )

    def to_dict(self) -> dict[str, Any]:
        """The record as a row of :meth:`Revisions.to_frame`: the time as a stamp, plain values."""
        return {
            "version": self.version,
            "time": self.stamp,
            "author": self.author,
            "session": self.session,
            "message": self.message,
            "elements": self.elements,
            "links": self.links,
            "comments": self.comments,
            "stored": self.stored,
        }


#: One version as :func:`~workbench.history` reads it: the values of :data:`COLUMNS`, the time as its stamp.
Row = tuple[int, str, str, int | None, str, int, int, int, str]


class Revisions(Sequence[Revision]):
    """The saved versions of a file, oldest first (a read-only sequence of :class:`Revision`).

    ``lost_version`` is the number of a version whose save was interrupted (its
    half-written line is ignored), else None. ``revisions["version"]`` (a column
    name) is kept for code written when :func:`~workbench.history` returned a
    DataFrame: it is ``to_frame()["version"]``.

    What the file says is kept as rows; the records are made from them the first
    time they are asked for, so a history that only goes to a table (or is only
    counted) costs no more than the table did.
    """

    __slots__ = ("_items", "_rows", "lost_version")

    def __init__(self, items: Iterable[Revision] = (), *, lost_version: int | None = None) -> None:
        self._items: tuple[Revision, ...] | None = tuple(items)
        self._rows: tuple[Row, ...] | None = None
        self.lost_version = lost_version

    @classmethod
    def from_rows(cls, rows: Iterable[Row], *, lost_version: int | None = None) -> Revisions:
        """The versions of checked rows (as :func:`~workbench.history` reads them)."""
        new = cls((), lost_version=lost_version)
        new._items, new._rows = None, tuple(rows)
        return new

    @property
    def _records(self) -> tuple[Revision, ...]:
        if self._items is None:
            assert self._rows is not None
            self._items = tuple(
                Revision(r[0], _clock.parse(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[1])
                for r in self._rows
            )
        return self._items

    def _table_rows(self) -> tuple[Row, ...]:
        if self._rows is None:
            self._rows = tuple(
                (r.version, r.stamp, r.author, r.session, r.message, r.elements, r.links, r.comments,
                 r.stored)
                for r in self._records
            )
        return self._rows

    @overload
    def __getitem__(self, index: int) -> Revision: ...

    @overload
    def __getitem__(self, index: slice) -> Revisions: ...

    @overload
    def __getitem__(self, index: str) -> pd.Series: ...

    def __getitem__(self, index: int | slice | str) -> Revision | Revisions | pd.Series:
        if isinstance(index, str):
            if index not in COLUMNS:
                raise KeyError(f"{index!r} is not a field of a revision; they are {', '.join(COLUMNS)}.")
            return self.to_frame()[index]
        if isinstance(index, slice):
            return Revisions(self._records[index], lost_version=self.lost_version)
        return self._records[index]

    def __len__(self) -> int:
        if self._items is not None:
            return len(self._items)
        assert self._rows is not None
        return len(self._rows)

    def __iter__(self) -> Iterator[Revision]:
        return iter(self._records)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Revisions):
            return NotImplemented
        return self._records == other._records and self.lost_version == other.lost_version

    def __hash__(self) -> int:
        return hash((self._records, self.lost_version))

    def __repr__(self) -> str:
        lost = f", lost_version={self.lost_version}" if self.lost_version is not None else ""
        return f"Revisions({list(self._records)!r}{lost})"

    def versions(self) -> list[int]:
        """The version numbers, oldest first."""
        return [row[0] for row in self._table_rows()]

    def get(self, version: int) -> Revision | None:
        """The record of ``version``, or None if the file holds no such version."""
        records = self._records
        if 1 <= version <= len(records) and records[version - 1].version == version:
            return records[version - 1]  # versions are numbered 1, 2, ... in a checked file
        return next((r for r in records if r.version == version), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per version with the columns of :data:`COLUMNS` (``time`` as the file's stamp,
        ``session`` as a nullable ``Int64``) and ``attrs["lost_version"]``."""
        frame = pd.DataFrame(list(self._table_rows()), columns=list(COLUMNS))
        frame["session"] = frame["session"].astype("Int64")
        frame.attrs["lost_version"] = self.lost_version
        return frame
