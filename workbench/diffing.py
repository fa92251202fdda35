"""Differences between two formulations, field by field, and applying them.

:func:`diff` compares two formulations by record id: elements, links and
comments added, removed or changed (each change lists the fields with their
old and new values, stamps included), and changes to the case metadata.
:func:`apply_diff` applies such a difference to a formulation and returns a
new one, so that ``apply_diff(a, diff(a, b)) == b`` exactly. Both are pure
functions: no I/O, and the formulations passed in are never changed.

Example
-------
>>> from workbench.model import Formulation
>>> a = Formulation.new(case_id="C-1")
>>> b = a.copy()
>>> e = b.add_element("defense", "Intellectualisation")
>>> d = diff(a, b)
>>> d.summary()
'1 element added'
>>> apply_diff(a, d) == b
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

import pandas as pd

from workbench.errors import DiffDoesNotApply, short
from workbench.model import Comment, Element, Formulation, Link, SessionNote

__all__ = ["FormulationDiff", "RecordChange", "apply_diff", "diff", "patch"]

What = Literal["element", "link", "comment", "session"]


@dataclass(frozen=True)
class RecordChange:
    """The changed fields of one record: ``fields[name] == (old, new)``."""

    id: str
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class FormulationDiff:
    """What changed from one formulation to another.

    Records added or removed are given whole; changed records list only the
    fields that differ. ``labels`` maps ids to readable text for tables and
    is not part of the comparison of two diffs. Sessions (their notes) are
    matched by number; a changed session's ``id`` is ``'session-<number>'``.
    """

    elements_added: list[Element] = field(default_factory=list)
    elements_removed: list[Element] = field(default_factory=list)
    elements_changed: list[RecordChange] = field(default_factory=list)
    links_added: list[Link] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)
    links_changed: list[RecordChange] = field(default_factory=list)
    comments_added: list[Comment] = field(default_factory=list)
    comments_removed: list[Comment] = field(default_factory=list)
    comments_changed: list[RecordChange] = field(default_factory=list)
    meta_changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    sessions_added: list[SessionNote] = field(default_factory=list)
    sessions_removed: list[SessionNote] = field(default_factory=list)
    sessions_changed: list[RecordChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return not any(getattr(self, name) for name in _GROUPS) and not self.meta_changed

    def marks(self, *, stamps: bool = True) -> dict[str, str]:
        """Map the ids of the elements and links added, removed or changed to ``"added"``, ``"removed"``
        or ``"changed"`` (e.g. to mark them on a map).

        With ``stamps=False`` a record whose only changed fields are its time stamps
        (``created``, ``updated``) does not count as changed.
        """
        marks = {el.id: "added" for el in self.elements_added}
        marks.update({ln.id: "added" for ln in self.links_added})
        marks.update({el.id: "removed" for el in self.elements_removed})
        marks.update({ln.id: "removed" for ln in self.links_removed})
        marks.update({c.id: "changed" for c in [*self.elements_changed, *self.links_changed]
                      if stamps or set(c.fields) - _STAMPS})
        return marks

    def without_notes(self) -> FormulationDiff:
        """Return this diff without the changes to session notes (for pages others see: notes are private)."""
        return replace(self, sessions_added=[], sessions_removed=[], sessions_changed=[])

    def summary(self) -> str:
        """Return the changes as one plain sentence, e.g. ``'2 elements added, 1 link changed'``."""
        parts = []
        for name in _GROUPS:
            count = len(getattr(self, name))
            if count:
                noun, action = name.split("_")
                noun = noun[:-1] if count == 1 else noun
                parts.append(f"{count} {noun} {action}")
        if self.meta_changed:
            parts.append("case details changed (" + ", ".join(self.meta_changed) + ")")
        return ", ".join(parts) if parts else "No changes"

    def to_frame(self) -> pd.DataFrame:
        """Return one row per change: what, id, change, field, old, new, label.

        Added and removed records take one row each (``field`` is ``""``, ``old``
        and ``new`` are None); a changed record takes one row per changed field.
        """
        rows: list[dict[str, Any]] = []
        for what in ("element", "link", "comment", "session"):
            for change in ("added", "removed"):
                for record in getattr(self, f"{what}s_{change}"):
                    rows.append(self._row(what, record.id, change))
            for rc in getattr(self, f"{what}s_changed"):
                for name, (old, new) in rc.fields.items():
                    rows.append(self._row(what, rc.id, "changed", name, old, new))
        for name, (old, new) in self.meta_changed.items():
            rows.append(self._row("case", "", "changed", name, old, new))
        columns = ["what", "id", "change", "field", "old", "new", "label"]
        return pd.DataFrame(
            {
                c: pd.Series([r[c] for r in rows], dtype=object if c in ("old", "new") else "str")
                for c in columns
            },
            columns=columns,
        )

    def _row(
        self,
        what: str,
        record_id: str,
        change: str,
        name: str = "",
        old: Any = None,
        new: Any = None,
    ) -> dict[str, Any]:
        return {
            "what": what,
            "id": record_id,
            "change": change,
            "field": name,
            "old": old,
            "new": new,
            "label": self.labels.get(record_id, ""),
        }


_GROUPS = (
    "elements_added",
    "elements_removed",
    "elements_changed",
    "links_added",
    "links_removed",
    "links_changed",
    "comments_added",
    "comments_removed",
    "comments_changed",
    "sessions_added",
    "sessions_removed",
    "sessions_changed",
)

#: Fields that change with every edit (time stamps), not with what a record says.
_STAMPS = frozenset({"created", "updated"})


def diff(a: Formulation, b: Formulation) -> FormulationDiff:
    """Return what changed from formulation ``a`` to formulation ``b``.

    Records are matched by id. Added records keep the order they have in
    ``b``; the diff is empty exactly when ``a == b``.
    """
    parts: dict[str, Any] = {}
    for what, old, new in (
        ("elements", a.element_records(), b.element_records()),
        ("links", a.link_records(), b.link_records()),
        ("comments", a.comment_records(), b.comment_records()),
        ("sessions", a.session_notes(), b.session_notes()),
    ):
        old_by_id = {r.id: r for r in old}
        new_by_id = {r.id: r for r in new}
        parts[f"{what}_added"] = [r for r in new if r.id not in old_by_id]
        parts[f"{what}_removed"] = [r for r in old if r.id not in new_by_id]
        parts[f"{what}_changed"] = [
            RecordChange(r.id, changed)
            for r in new
            if r.id in old_by_id and (changed := _changed_fields(old_by_id[r.id], r))
        ]
    meta = _changed_fields(a.meta, b.meta)
    result = FormulationDiff(**parts, meta_changed=meta)
    result.labels.update(_labels(a, result))
    result.labels.update(_labels(b, result))
    return result


def apply_diff(formulation: Formulation, d: FormulationDiff) -> Formulation:
    """Return a new formulation: ``formulation`` with the changes ``d`` applied.

    The changes must fit: removed and changed records must be there with the
    old values the diff expects, added ids must be free; otherwise
    :class:`~workbench.errors.DiffDoesNotApply` is raised. The formulation
    passed in is not changed.
    """
    result = formulation.copy()
    patch(result, d)
    result.modified = True
    return result


def patch(formulation: Formulation, d: FormulationDiff) -> None:
    """Apply the changes ``d`` to ``formulation`` in place (for :func:`apply_diff` and the file reader)."""
    f = formulation
    _check_removed(f, "element", d.elements_removed)
    _check_removed(f, "link", d.links_removed)
    _check_removed(f, "comment", d.comments_removed)
    f.remove_records(comments=[c.id for c in d.comments_removed], links=[ln.id for ln in d.links_removed])
    if d.meta_changed:
        f.restore_records(meta=_changed(f.meta, d.meta_changed, "the case", "case"))
    f.restore_records(
        elements=[
            *_added(f, "element", d.elements_added),
            *(
                _changed(f.element(rc.id), rc.fields, _name("element", rc.id), rc.id)
                for rc in _present(f, "element", d.elements_changed)
            ),
        ],
    )
    f.restore_records(
        links=[
            *(
                _changed(f.link(rc.id), rc.fields, _name("link", rc.id), rc.id)
                for rc in _present(f, "link", d.links_changed)
            ),
            *_added(f, "link", d.links_added),
        ],
    )
    f.remove_records(elements=[el.id for el in d.elements_removed])
    f.restore_records(
        comments=[
            *(
                _changed(f.comment(rc.id), rc.fields, _name("comment", rc.id), rc.id)
                for rc in _present(f, "comment", d.comments_changed)
            ),
            *_added(f, "comment", d.comments_added),
        ],
    )
    _check_removed(f, "session", d.sessions_removed)
    f.remove_records(sessions=[s.number for s in d.sessions_removed])
    f.restore_records(
        sessions=[
            *(
                _changed(f.session_note(_number(rc.id)), rc.fields, f"session {_number(rc.id)}", rc.id)
                for rc in _present(f, "session", d.sessions_changed)
            ),
            *_added(f, "session", d.sessions_added),
        ],
    )


# --- helpers -------------------------------------------------------------------------


def _changed_fields(old: Any, new: Any) -> dict[str, tuple[Any, Any]]:
    if old is new:  # records are immutable: the same record has not changed (a copy shares them)
        return {}
    return {
        f.name: (getattr(old, f.name), getattr(new, f.name))
        for f in fields(old)
        if f.name != "id" and getattr(old, f.name) != getattr(new, f.name)
    }


def _labels(f: Formulation, d: FormulationDiff) -> dict[str, str]:
    labels: dict[str, str] = {}
    ids = {r.id for name in _GROUPS for r in getattr(d, name)}
    for el in f.element_records():
        if el.id in ids:
            labels[el.id] = el.label
    for ln in f.link_records():
        if ln.id in ids:
            labels[ln.id] = f.sentence(ln.id)
    for cm in f.comment_records():
        if cm.id in ids:
            labels[cm.id] = cm.text if len(cm.text) <= 60 else cm.text[:59] + "…"
    for sn in f.session_notes():
        if sn.id in ids:
            labels[sn.id] = f"Session {sn.number}"
    return labels


def _number(session_id: str) -> int:
    """The session number in a session's id ``'session-<number>'``."""
    return int(session_id.rpartition("-")[2])


def _name(what: What, record_id: str) -> str:
    return f"{what} {short(record_id)}"


def _exists(f: Formulation, what: What, record_id: str) -> bool:
    if what == "element":
        return f.has_element(record_id)
    if what == "link":
        return f.has_link(record_id)
    if what == "session":
        return any(s.id == record_id for s in f.session_notes())
    return record_id in {c.id for c in f.comment_records()}


def _get(f: Formulation, what: What, record_id: str) -> Any:
    if what == "session":
        return f.session_note(_number(record_id))
    return {"element": f.element, "link": f.link, "comment": f.comment}[what](record_id)


def _check_removed(f: Formulation, what: What, records: Sequence[Any]) -> None:
    for record in records:
        if not _exists(f, what, record.id):
            raise DiffDoesNotApply(f"The changes remove {_name(what, record.id)}, which is not there.")
        if _get(f, what, record.id) != record:
            raise DiffDoesNotApply(
                f"The changes remove {_name(what, record.id)}, but it differs from the one they expect."
            )


def _added(f: Formulation, what: What, records: Sequence[Any]) -> list[Any]:
    for record in records:
        if _exists(f, what, record.id):
            raise DiffDoesNotApply(f"The changes add {_name(what, record.id)}, which is already there.")
    return list(records)


def _present(f: Formulation, what: What, changes: Sequence[RecordChange]) -> list[RecordChange]:
    for rc in changes:
        if not _exists(f, what, rc.id):
            raise DiffDoesNotApply(f"The changes change {_name(what, rc.id)}, which is not there.")
    return list(changes)


def _changed(record: Any, changes: dict[str, tuple[Any, Any]], name: str, record_id: str) -> Any:
    for field_name, (old, _new) in changes.items():
        current = getattr(record, field_name, _MISSING)
        if current is _MISSING:
            raise DiffDoesNotApply(f"The changes name field {field_name!r}, which {name} does not have.")
        if current != old:
            raise DiffDoesNotApply(
                f"The changes expect {field_name} {short(old)} on {name}, but it is {short(current)}."
            )
    return replace(record, **{k: new for k, (_old, new) in changes.items()})


_MISSING = object()
