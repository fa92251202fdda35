"""Time as the workbench writes and shows it: UTC, ISO 8601, seconds. The one place for time stamps.

Files hold time stamps as text (``2026-11-25T19:10:46Z``); in Python a time is an aware
UTC :class:`~datetime.datetime`. :func:`now` stamps a save, :func:`parse` and :func:`stamp`
convert between the two, :func:`shown` is the short form people read in a table or a
message, :func:`compact` the form used in file names.

>>> when = parse("2026-11-25T21:10:46+02:00")
>>> when
datetime.datetime(2026, 11, 25, 19, 10, 46, tzinfo=datetime.timezone.utc)
>>> stamp(when)
'2026-11-25T19:10:46Z'
>>> shown(when), shown("2026-11-25T19:10:46Z", zone=False), shown("not a time")
('2026-11-25 19:10 UTC', '2026-11-25 19:10', 'not a time')
>>> compact(when)
'20261125T191046Z'
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["compact", "now", "parse", "shown", "stamp"]


def now() -> str:
    """Return the current UTC time as a stamp, e.g. ``'2026-11-25T19:10:46Z'``."""
    return stamp(datetime.now(UTC).replace(microsecond=0))


def parse(text: str) -> datetime:
    """Return the aware UTC datetime of an ISO 8601 stamp (``Z`` or an offset); ValueError if it is none.

    A stamp without a zone is taken as UTC (the workbench never writes one).
    """
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when if when.tzinfo is UTC else when.astimezone(UTC)


def stamp(when: datetime) -> str:
    """Return ``when`` as the workbench writes it: UTC, ``Z``, seconds (a fraction only if it has one)."""
    if when.tzinfo is not UTC:
        when = when.astimezone(UTC)
    return when.isoformat()[:-6] + "Z"  # isoformat ends in "+00:00" in UTC; it is the fast way


def shown(when: datetime | str, *, zone: bool = True) -> str:
    """Return a time for people to read, to the minute: ``'2026-11-25 19:10 UTC'`` (without ``UTC``
    when ``zone`` is False, under a heading that says it). Text that is not a stamp is returned as it is."""
    if isinstance(when, str):
        try:
            moment = parse(when)
        except ValueError:
            return when
    else:
        moment = when
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    return f"{text} UTC" if zone else text


def compact(when: datetime | None = None) -> str:
    """Return ``when`` (default: now) in UTC for a file name, e.g. ``'20261125T191046Z'``."""
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
