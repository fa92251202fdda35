"""The records a formulation is made of: elements, links, evidence, comments, case metadata.

Records are immutable dataclasses; a :class:`~workbench.model.Formulation`
hands them out and takes changes through its methods. Field values are
checked by :func:`clean_fields`, so a record in a formulation is always valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from workbench.errors import InvalidValue, short

__all__ = [
    "CONFIDENCE_SCALE",
    "STATUSES",
    "TIME_FRAMES",
    "CaseMeta",
    "Comment",
    "Element",
    "Evidence",
    "Link",
    "SessionNote",
    "clean_evidence",
    "clean_fields",
    "clean_session_date",
    "clean_session_number",
    "clean_session_text",
    "clean_stamp",
    "confidence_name",
]

#: Named confidence levels and the number each stands for.
CONFIDENCE_SCALE: dict[str, float] = {
    "very low": 0.1,
    "low": 0.3,
    "moderate": 0.5,
    "high": 0.7,
    "very high": 0.9,
}

#: Where a hypothesis stands.
STATUSES = ("hypothesis", "supported", "discarded")

#: When an element belongs: the client's past, their present life, or the session itself.
TIME_FRAMES = ("past", "present", "in_session")


@dataclass(frozen=True)
class Evidence:
    """One piece of clinical material behind an element or link.

    ``start`` is where the quote begins (a character position) in the
    session's notes, when it was picked from them (see :class:`SessionNote`).

    >>> Evidence(session=3, quote="He never came to my games.")
    Evidence(session=3, date=None, quote='He never came to my games.', note='', start=None)
    """

    session: int | None = None
    date: str | None = None
    quote: str = ""
    note: str = ""
    start: int | None = None


@dataclass(frozen=True)
class Element:
    """A node of the formulation: an early experience, a wish, a defense, ..."""

    id: str
    kind: str
    label: str
    description: str = ""
    evidence: tuple[Evidence, ...] = ()
    confidence: float | None = None
    status: str = "hypothesis"
    time_frame: str | None = None
    tags: tuple[str, ...] = ()
    code: str | None = None
    notes: str = ""
    created: str = ""
    updated: str = ""


@dataclass(frozen=True)
class Link:
    """A directed, typed link between two elements ("gives rise to", ...)."""

    id: str
    source: str
    target: str
    kind: str
    description: str = ""
    evidence: tuple[Evidence, ...] = ()
    confidence: float | None = None
    status: str = "hypothesis"
    weight: float | None = None
    notes: str = ""
    created: str = ""
    updated: str = ""


@dataclass(frozen=True)
class Comment:
    """A remark on an element, a link, or (``target=None``) the whole formulation."""

    id: str
    text: str
    author: str = ""
    time: str = ""
    target: str | None = None
    resolved: bool = False


@dataclass(frozen=True)
class SessionNote:
    """One therapy session: its number, its date and the clinician's process notes (private).

    Notes are kept with the case and versioned like everything else, but they
    never go into share-safe or client-facing exports.

    >>> SessionNote(3, "2024-03-18", "Arrived late; spoke of her father.").id
    'session-3'
    """

    number: int
    date: str | None = None
    text: str = ""
    created: str = ""
    updated: str = ""

    @property
    def id(self) -> str:
        """A key for the session, unique in a formulation: ``'session-<number>'``."""
        return f"session-{self.number}"


@dataclass(frozen=True)
class CaseMeta:
    """What identifies a case, pseudonymously: no field asks for a client's name."""

    case_id: str
    title: str = ""
    clinician: str = ""
    template: str = "psychodynamic"
    created: str = ""
    description: str = ""
    fictional: bool = False


#: The fields a caller may set on an element or a link (the rest the formulation manages).
ELEMENT_FIELDS = tuple(f.name for f in fields(Element) if f.name not in ("id", "kind", "created", "updated"))
LINK_FIELDS = tuple(
    f.name for f in fields(Link) if f.name not in ("id", "source", "target", "kind", "created", "updated")
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: A time stamp as files hold them (UTC ISO 8601, e.g. 2026-11-25T19:10:46Z); the file schema uses the same.
_STAMP = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)


def clean_stamp(value: Any, what: str) -> str:
    """Return ``value`` if it is a time stamp like ``2026-11-25T19:10:46Z``; raise :class:`InvalidValue`.

    >>> clean_stamp("2026-11-25T19:10:46Z", "the time")
    '2026-11-25T19:10:46Z'
    """
    if not isinstance(value, str) or not _STAMP.match(value):
        raise InvalidValue(
            f"{what.capitalize()} must be a time stamp like 2026-11-25T19:10:46Z, not {short(value)}."
        )
    return value


def confidence_name(value: float | None) -> str:
    """Return the named level nearest to ``value`` ('' for no confidence).

    >>> confidence_name(0.72)
    'high'
    """
    if value is None:
        return ""
    return min(CONFIDENCE_SCALE, key=lambda name: abs(CONFIDENCE_SCALE[name] - value))


def clean_fields(values: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    """Check and normalise field values given for an element or a link.

    Raises :class:`InvalidValue` with a sentence naming the field.

    >>> clean_fields({"confidence": "high", "tags": ["loss", "loss"]}, ELEMENT_FIELDS, "an element")
    {'confidence': 0.7, 'tags': ('loss',)}
    """
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            raise InvalidValue(
                f"{what.capitalize()} has no field {name!r}; fields are: {', '.join(allowed)}."
            )
        cleaner = _CLEANERS.get(name, _text)
        clean[name] = cleaner(name, value)
    return clean


def clean_evidence(items: Any) -> tuple[Evidence, ...]:
    """Turn a list of :class:`Evidence` or dicts into a tuple of checked evidence."""
    if items is None:
        return ()
    if isinstance(items, (Evidence, Mapping)):
        items = [items]
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InvalidValue("Evidence must be a list of items, each with a session, date, quote or note.")
    out = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Evidence):
            item = {f.name: getattr(item, f.name) for f in fields(Evidence)}
        if not isinstance(item, Mapping):
            raise InvalidValue(f"Evidence item {number} must have a session, date, quote or note.")
        unknown = set(item) - {"session", "date", "quote", "note", "start"}
        if unknown:
            raise InvalidValue(
                f"Evidence item {number} has unknown field {sorted(unknown)[0]!r}; "
                "fields are: session, date, quote, note, start."
            )
        out.append(
            Evidence(
                session=_session(item.get("session"), number),
                date=_date(item.get("date"), number),
                quote=_text("quote", item.get("quote") or ""),
                note=_text("note", item.get("note") or ""),
                start=_start(item.get("start"), number),
            )
        )
    return tuple(out)


def clean_session_number(value: Any) -> int:
    """Return ``value`` if it is a session number (a whole number from 0); raise :class:`InvalidValue`.

    >>> clean_session_number(4)
    4
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**15:
        raise InvalidValue(f"A session number must be a whole number from 0, not {short(value)}.")
    return value


def clean_session_date(value: Any) -> str | None:
    """Return a session's date as ``YYYY-MM-DD`` (None for no date); raise :class:`InvalidValue`."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidValue(f"The date of a session must look like 2024-03-18, not {short(value)}.")


def clean_session_text(value: Any) -> str:
    """Return a session's notes as text; raise :class:`InvalidValue` for anything else."""
    return _text("notes of a session", value)


# --- cleaners ------------------------------------------------------------------


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidValue(f"The {name} must be text, not {short(value)}.")
    return value


def _label(name: str, value: Any) -> str:
    text = _text(name, value).strip()
    if not text:
        raise InvalidValue("The label cannot be empty.")
    return text


def _optional_text(name: str, value: Any) -> str | None:
    text = _text(name, value).strip()
    return text or None


def _confidence(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        key = value.strip().lower()
        if key in CONFIDENCE_SCALE:
            return CONFIDENCE_SCALE[key]
        raise InvalidValue(
            f"Confidence {short(value)} is not a level; use a number from 0 to 1 or one of: "
            f"{', '.join(CONFIDENCE_SCALE)}."
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidValue(f"Confidence must be a number from 0 to 1, not {short(value)}.")
    return float(value)


def _status(name: str, value: Any) -> str:
    if value not in STATUSES:
        raise InvalidValue(f"Status {short(value)} is not one of: {', '.join(STATUSES)}.")
    return str(value)


def _time_frame(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if value not in TIME_FRAMES:
        raise InvalidValue(f"Time frame {short(value)} is not one of: {', '.join(TIME_FRAMES)}.")
    return str(value)


def _tags(name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable):
        raise InvalidValue("Tags must be a list of words.")
    tags: list[str] = []
    for tag in value:
        tag = _text("tag", tag).strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _weight(name: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidValue(f"The weight must be a number, not {short(value)}.")
    return float(value)


def _evidence(name: str, value: Any) -> tuple[Evidence, ...]:
    return clean_evidence(value)


def _session(value: Any, number: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(f"Evidence item {number}: the session must be a whole number, not {short(value)}.")
    return value


def _start(value: Any, number: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**15:
        raise InvalidValue(
            f"Evidence item {number}: the position of the quote must be a whole number from 0, "
            f"not {short(value)}."
        )
    return value


def _date(value: Any, number: int) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise InvalidValue(f"Evidence item {number}: the date must look like 2024-03-18, not {short(value)}.")


_CLEANERS = {
    "label": _label,
    "confidence": _confidence,
    "status": _status,
    "time_frame": _time_frame,
    "tags": _tags,
    "weight": _weight,
    "evidence": _evidence,
    "code": _optional_text,
}
