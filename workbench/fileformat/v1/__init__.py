"""Format 1 of the formulation file: its schema and the record <-> JSON conversion.

A formulation is stored as plain JSON objects: a *snapshot* holds the case
metadata and every element, link and comment, in the order of the
formulation; a *delta* is a serialized :class:`~workbench.diffing.FormulationDiff`
(records added or removed whole, changed fields as ``[old, new]`` pairs).
While a file is read, the records live in a :class:`State` of plain JSON
dicts, which deltas update cheaply; :func:`to_formulation` builds the
formulation once at the end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

from workbench.diffing import FormulationDiff, RecordChange
from workbench.errors import short
from workbench.fileformat._places import Problem
from workbench.model import CaseMeta, Comment, Element, Evidence, Formulation, Link, SessionNote
from workbench.templates import Template

__all__ = [
    "FORMAT_VERSION",
    "GROUPS",
    "State",
    "Touched",
    "apply_delta",
    "diff_to_json",
    "record_to_json",
    "schema",
    "snapshot_to_json",
    "state_from_snapshot",
    "to_formulation",
]

#: The format version this module reads and writes.
FORMAT_VERSION = 1

#: The record groups of a snapshot or a delta, in the order they are written.
GROUPS = ("elements", "links", "comments")

#: The session notes (private): a snapshot or delta holds them only when a version has any,
#: so a file without notes is written exactly as before they existed. Keyed by number.
SESSIONS = "sessions"


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema of format 1 (shipped as ``workbench/fileformat/v1/schema.json``)."""
    text = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# --- records -> JSON -------------------------------------------------------------------


def record_to_json(record: Any) -> dict[str, Any]:
    """Return an element, link, comment, session or case record as a JSON object.

    An evidence item's ``start`` (where its quote begins in the session's
    notes) is written only when it is known.
    """
    out = {f.name: value_to_json(getattr(record, f.name)) for f in fields(record)}
    if isinstance(record, Evidence) and record.start is None:
        del out["start"]
    return out


def value_to_json(value: Any) -> Any:
    """Return a field value as JSON: evidence items become objects, tuples lists."""
    if isinstance(value, tuple):
        return [record_to_json(v) if isinstance(v, Evidence) else v for v in value]
    return value


def snapshot_to_json(f: Formulation) -> dict[str, Any]:
    """Return the whole formulation as a snapshot object."""
    out = {
        "meta": record_to_json(f.meta),
        "elements": [record_to_json(r) for r in f.element_records()],
        "links": [record_to_json(r) for r in f.link_records()],
        "comments": [record_to_json(r) for r in f.comment_records()],
    }
    sessions = f.session_notes()
    if sessions:
        out[SESSIONS] = [record_to_json(s) for s in sessions]
    return out


def diff_to_json(d: FormulationDiff) -> dict[str, Any]:
    """Return a diff as a delta object; empty groups are left out."""
    out: dict[str, Any] = {}
    for group in (*GROUPS, SESSIONS):
        part: dict[str, Any] = {}
        added = getattr(d, f"{group}_added")
        removed = getattr(d, f"{group}_removed")
        changed: list[RecordChange] = getattr(d, f"{group}_changed")
        if added:
            part["added"] = [record_to_json(r) for r in added]
        if removed:
            part["removed"] = [record_to_json(r) for r in removed]
        if changed:
            part["changed"] = [_change_to_json(group, rc) for rc in changed]
        if part:
            out[group] = part
    if d.meta_changed:
        out["meta"] = _pairs(d.meta_changed)
    return out


def _change_to_json(group: str, rc: RecordChange) -> dict[str, Any]:
    if group == SESSIONS:
        return {"number": int(rc.id.rpartition("-")[2]), "fields": _pairs(rc.fields)}
    return {"id": rc.id, "fields": _pairs(rc.fields)}


def _pairs(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    return {name: [value_to_json(old), value_to_json(new)] for name, (old, new) in changes.items()}


# --- JSON -> records -------------------------------------------------------------------


@dataclass
class State:
    """The records of one version as JSON objects, keyed by id in formulation order."""

    meta: dict[str, Any]
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Session notes keyed by their number as text (``"3"``).
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def group(self, name: str) -> dict[str, dict[str, Any]]:
        """Return the records of group ``name`` ('elements', 'links', 'comments' or 'sessions')."""
        records: dict[str, dict[str, Any]] = getattr(self, name)
        return records

    def copy(self) -> State:
        """A copy that a delta can change without touching this one (records are replaced, not changed)."""
        return State(
            meta=dict(self.meta),
            elements=dict(self.elements),
            links=dict(self.links),
            comments=dict(self.comments),
            sessions=dict(self.sessions),
        )

    def counts(self) -> tuple[int, int, int]:
        """Return the numbers of elements, links and comments."""
        return len(self.elements), len(self.links), len(self.comments)


def state_from_snapshot(snapshot: dict[str, Any]) -> State:
    """Return the state a (schema-valid) snapshot describes; an id used twice raises :class:`Problem`."""
    state = State(meta=dict(snapshot["meta"]))
    for group in GROUPS:
        records = state.group(group)
        for record in snapshot[group]:
            if _used(state, record["id"]):
                raise Problem(f"the id {short(record['id'])} is used twice.", _subject(group, record["id"]))
            records[record["id"]] = record
    for record in snapshot.get(SESSIONS, []):
        if _key(SESSIONS, record) in state.sessions:
            raise Problem(f"session {record['number']} is there twice.", f"session {record['number']}")
        state.sessions[_key(SESSIONS, record)] = record
    return state


def to_formulation(state: State, template: Template) -> Formulation:
    """Build the formulation a (validated) state describes, stamps and order included."""
    f = Formulation(_meta(state.meta), template)
    f.restore_records(
        elements=[_record(Element, r) for r in state.elements.values()],
        links=[_record(Link, r) for r in state.links.values()],
        comments=[_record(Comment, r) for r in state.comments.values()],
        sessions=[SessionNote(**r) for r in state.sessions.values()],
    )
    f.modified = False
    return f


def _meta(data: dict[str, Any]) -> CaseMeta:
    return CaseMeta(**data)


def _record(cls: type, data: dict[str, Any]) -> Any:
    values = dict(data)
    if "evidence" in values:
        values["evidence"] = tuple(Evidence(**e) for e in values["evidence"])
    if "tags" in values:
        values["tags"] = tuple(values["tags"])
    for name in ("confidence", "weight"):
        if values.get(name) is not None:
            values[name] = float(values[name])
    return cls(**values)


# --- applying a delta ------------------------------------------------------------------


@dataclass
class Touched:
    """Which records a delta added or changed, and which elements lost or changed kind."""

    records: dict[str, set[str]] = field(default_factory=lambda: {g: set() for g in (*GROUPS, SESSIONS)})
    elements_rekinded_or_removed: set[str] = field(default_factory=set)
    meta: bool = False


def apply_delta(state: State, delta: dict[str, Any]) -> Touched:
    """Apply a (schema-valid) delta to ``state`` in place; return what it touched.

    The order mirrors :func:`workbench.diffing.patch`. A delta that does not
    fit (a removed record that is missing or differs, an added id already
    used, a changed field with another old value) raises :class:`Problem`.
    """
    touched = Touched()
    for group in (SESSIONS, "comments", "links"):
        _remove(state, group, delta.get(group, {}).get("removed", []))
    if "meta" in delta:
        state.meta = _change(state.meta, delta["meta"], "", None)
        touched.meta = True
    for group in (*GROUPS, SESSIONS):
        order = ("added", "changed") if group == "elements" else ("changed", "added")
        part = delta.get(group, {})
        records = state.group(group)
        for step in order:
            for item in part.get(step, []):
                record_id = _key(group, item)
                if step == "added":
                    if _used(state, record_id) if group != SESSIONS else record_id in records:
                        raise Problem(f"the id {short(record_id)} is used twice.", _subject(group, record_id))
                    records[record_id] = item
                else:
                    if record_id not in records:
                        raise Problem(
                            "it is changed here but does not exist in the version before.",
                            _subject(group, record_id),
                        )
                    records[record_id] = _change(records[record_id], item["fields"], group, record_id)
                    if group == "elements" and "kind" in item["fields"]:
                        touched.elements_rekinded_or_removed.add(record_id)
                touched.records[group].add(record_id)
        if group == "links":
            removed = delta.get("elements", {}).get("removed", [])
            _remove(state, "elements", removed)
            touched.elements_rekinded_or_removed.update(r["id"] for r in removed)
    return touched


def _remove(state: State, group: str, removed: list[dict[str, Any]]) -> None:
    records = state.group(group)
    for item in removed:
        key = _key(group, item)
        subject = _subject(group, key)
        current = records.get(key)
        if current is None:
            raise Problem("it is removed here but does not exist in the version before.", subject)
        if current != item:
            raise Problem("it is removed here but differs from the one in the version before.", subject)
        del records[key]


def _change(record: dict[str, Any], changes: dict[str, Any], group: str, record_id: Any) -> dict[str, Any]:
    new = dict(record)
    for name, (old, value) in changes.items():
        if name not in record or name == "id" or (group == SESSIONS and name == "number"):
            raise Problem(f"field {name!r} cannot be changed; it is not a field of this record.",
                          _subject(group, record_id))
        if record[name] != old:
            raise Problem(
                f"field {name!r} is changed from {short(old)} but was {short(record[name])} "
                "in the version before.",
                _subject(group, record_id),
            )
        new[name] = value
    return new


def _key(group: str, item: dict[str, Any]) -> str:
    """The key of a record (or a change) in its group: its id, or a session's number as text."""
    return str(item["number"]) if group == SESSIONS else str(item["id"])


def _used(state: State, record_id: str) -> bool:
    return any(record_id in state.group(g) for g in GROUPS)


def _subject(group: str, record_id: Any) -> str:
    if group == SESSIONS:
        return f"session {record_id}"
    return f"{group[:-1]} {short(record_id)}" if group else "case details"
