"""The formulation: a typed, directed multigraph of elements and links.

The graph (a :class:`networkx.MultiDiGraph`) is the single truth: each node is
an element, keyed by its id, with the element's fields as attributes; each edge
is a link, keyed by its id. Every change goes through a method that checks it
against the template, stamps it, and tells observers (the UI, an undo stack).
The model does no I/O and knows nothing of files or widgets.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-017", title="Demo")
>>> past = f.add_element("early_experience", "Father often absent")
>>> fear = f.add_element("unconscious_fear", "Fear of being left")
>>> link = f.add_link(past, fear, "gives_rise_to")
>>> f.sentence(link)
'Father often absent gives rise to Fear of being left'
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

import networkx as nx
import pandas as pd

from workbench import _clock
from workbench.errors import (
    CommentNotFound,
    DuplicateId,
    ElementInUse,
    ElementNotFound,
    InvalidValue,
    LinkNotFound,
    SessionNotFound,
    short,
)
from workbench.model.records import (
    ELEMENT_FIELDS,
    LINK_FIELDS,
    CaseMeta,
    Comment,
    Element,
    Link,
    SessionNote,
    clean_fields,
    clean_session_date,
    clean_session_number,
    clean_session_text,
    clean_stamp,
)
from workbench.templates import DEFAULT_TEMPLATE, Template, get_template

__all__ = ["Change", "Formulation"]

What = Literal["element", "link", "comment", "meta", "session"]
Action = Literal["add", "update", "remove"]


@dataclass(frozen=True)
class Change:
    """One change to a formulation, as told to observers.

    ``before`` and ``after`` are the record before and after the change
    (``None`` for an add or a remove), so a change can be undone.
    """

    action: Action
    what: What
    id: str
    before: Any = None
    after: Any = None


Observer = Callable[[Change], None]

_ID_PREFIX = {"element": "el", "link": "ln", "comment": "cm"}


class Formulation:
    """A case formulation: elements and links typed by a framework template.

    Create one with :meth:`Formulation.new` (or :func:`workbench.new`); load one
    from a file with :func:`workbench.load`.
    """

    def __init__(self, meta: CaseMeta, template: Template | None = None) -> None:
        self._template = template if template is not None else get_template(meta.template)
        if self._template.id != meta.template:
            raise InvalidValue(
                f"The case names template {meta.template!r} but template {self._template.id!r} was given."
            )
        self._meta = meta
        self._graph = nx.MultiDiGraph()
        self._links: dict[str, tuple[str, str]] = {}
        self._comments: dict[str, Comment] = {}
        self._sessions: dict[int, SessionNote] = {}
        self._observers: list[Observer] = []
        #: The file version this formulation was loaded from or last saved as (set by the file layer).
        self.base_version: int | None = None
        #: The identity of the file it belongs to (set by the file layer).
        self.file_id: str | None = None
        #: Whether anything changed since it was loaded or saved.
        self.modified = False

    @classmethod
    def new(
        cls,
        template: str | Template = DEFAULT_TEMPLATE,
        *,
        case_id: str,
        title: str = "",
        clinician: str = "",
        description: str = "",
        fictional: bool = False,
    ) -> Formulation:
        """Start an empty formulation of a case with a framework template."""
        tmpl = template if isinstance(template, Template) else get_template(template)
        case_id = str(case_id).strip()
        if not case_id:
            raise InvalidValue("A case needs a case id (a pseudonym or number, never the client's name).")
        meta = CaseMeta(
            case_id=case_id,
            title=title,
            clinician=clinician,
            template=tmpl.id,
            created=_clock.now(),
            description=description,
            fictional=fictional,
        )
        return cls(meta, tmpl)

    # --- reading ---------------------------------------------------------------

    @property
    def template(self) -> Template:
        """The framework template that types this formulation."""
        return self._template

    @property
    def meta(self) -> CaseMeta:
        """The case metadata (case id, title, clinician, template, ...)."""
        return self._meta

    @property
    def graph(self) -> nx.MultiDiGraph:
        """A read-only networkx view: nodes are element ids, edge keys are link ids."""
        return self._graph.copy(as_view=True)

    def element(self, element_id: str) -> Element:
        """Return the element ``element_id`` or raise :class:`ElementNotFound`."""
        try:
            return self._graph.nodes[element_id]["record"]  # type: ignore[no-any-return]
        except KeyError:
            raise ElementNotFound(f"There is no element {short(element_id)} in this formulation.") from None

    def link(self, link_id: str) -> Link:
        """Return the link ``link_id`` or raise :class:`LinkNotFound`."""
        try:
            source, target = self._links[link_id]
        except KeyError:
            raise LinkNotFound(f"There is no link {short(link_id)} in this formulation.") from None
        return self._graph.edges[source, target, link_id]["record"]  # type: ignore[no-any-return]

    def comment(self, comment_id: str) -> Comment:
        """Return the comment ``comment_id`` or raise :class:`CommentNotFound`."""
        try:
            return self._comments[comment_id]
        except KeyError:
            raise CommentNotFound(f"There is no comment {short(comment_id)} in this formulation.") from None

    def session_note(self, number: int) -> SessionNote:
        """Return the notes of session ``number`` or raise :class:`SessionNotFound`."""
        try:
            return self._sessions[number]
        except (KeyError, TypeError):
            raise SessionNotFound(f"There are no notes for session {short(number)} in this case.") from None

    def session_notes(self) -> list[SessionNote]:
        """Return the sessions with notes, by session number (private: never in share-safe exports)."""
        return [self._sessions[n] for n in sorted(self._sessions)]

    def has_element(self, element_id: str) -> bool:
        """Return whether an element with this id exists."""
        return element_id in self._graph

    def has_link(self, link_id: str) -> bool:
        """Return whether a link with this id exists."""
        return link_id in self._links

    def element_records(self) -> list[Element]:
        """Return all elements, in the order they were added."""
        return [data["record"] for _, data in self._graph.nodes(data=True)]

    def link_records(self) -> list[Link]:
        """Return all links, in the order they were added."""
        adjacency = self._graph._succ  # networkx's own dicts: no view per lookup (15,000 links: 10x faster)
        return [adjacency[s][t][link_id]["record"] for link_id, (s, t) in self._links.items()]

    def comment_records(self) -> list[Comment]:
        """Return all comments, oldest first."""
        return list(self._comments.values())

    def links_of(self, element_id: str) -> list[Link]:
        """Return the links that start or end at ``element_id``."""
        self.element(element_id)
        ids = [k for _, _, k in self._graph.in_edges(element_id, keys=True)]
        ids += [k for _, _, k in self._graph.out_edges(element_id, keys=True) if k not in ids]
        return [self.link(i) for i in ids]

    def elements(self) -> pd.DataFrame:
        """Return the elements as a table, one row per element, indexed by id."""
        rows = []
        for el in self.element_records():
            kind = self._template.element_kinds[el.kind]
            rows.append(
                {
                    "id": el.id,
                    "kind": el.kind,
                    "kind_name": kind.name,
                    "layer": kind.layer,
                    "label": el.label,
                    "description": el.description,
                    "confidence": el.confidence,
                    "status": el.status,
                    "time_frame": el.time_frame,
                    "tags": ", ".join(el.tags),
                    "code": el.code,
                    "evidence_count": len(el.evidence),
                    "sessions": _sessions(el.evidence),
                    "created": el.created,
                    "updated": el.updated,
                }
            )
        columns = [
            "id",
            "kind",
            "kind_name",
            "layer",
            "label",
            "description",
            "confidence",
            "status",
            "time_frame",
            "tags",
            "code",
            "evidence_count",
            "sessions",
            "created",
            "updated",
        ]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def links(self) -> pd.DataFrame:
        """Return the links as a table, one row per link, indexed by id."""
        rows = []
        for ln in self.link_records():
            kind = self._template.link_kinds[ln.kind]
            rows.append(
                {
                    "id": ln.id,
                    "source": ln.source,
                    "source_label": self.element(ln.source).label,
                    "kind": ln.kind,
                    "verb": kind.verb,
                    "target": ln.target,
                    "target_label": self.element(ln.target).label,
                    "description": ln.description,
                    "confidence": ln.confidence,
                    "status": ln.status,
                    "weight": ln.weight,
                    "evidence_count": len(ln.evidence),
                    "sessions": _sessions(ln.evidence),
                    "created": ln.created,
                    "updated": ln.updated,
                }
            )
        columns = [
            "id",
            "source",
            "source_label",
            "kind",
            "verb",
            "target",
            "target_label",
            "description",
            "confidence",
            "status",
            "weight",
            "evidence_count",
            "sessions",
            "created",
            "updated",
        ]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def comments(self, *, open_only: bool = False) -> pd.DataFrame:
        """Return the comments as a table, oldest first (only unresolved ones if ``open_only``)."""
        rows = [asdict(c) for c in self._comments.values() if not (open_only and c.resolved)]
        columns = ["id", "target", "author", "time", "text", "resolved"]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def sentence(self, link_id: str) -> str:
        """Return a link as a sentence, e.g. ``'Father often absent gives rise to Fear of being left'``."""
        ln = self.link(link_id)
        verb = self._template.link_kinds[ln.kind].verb
        return f"{self.element(ln.source).label} {verb} {self.element(ln.target).label}"

    def __len__(self) -> int:
        return int(self._graph.number_of_nodes())

    def __iter__(self) -> Iterator[Element]:
        return iter(self.element_records())

    def __repr__(self) -> str:
        return (
            f"<Formulation {self._meta.case_id!r} ({self._template.id}): "
            f"{len(self)} elements, {len(self._links)} links>"
        )

    def __eq__(self, other: object) -> bool:
        """Formulations are equal when their case, elements, links and comments are equal."""
        if not isinstance(other, Formulation):
            return NotImplemented
        return (
            self._meta == other._meta
            and _by_id(self.element_records()) == _by_id(other.element_records())
            and _by_id(self.link_records()) == _by_id(other.link_records())
            and self._comments == other._comments
            and self._sessions == other._sessions
        )

    __hash__ = None  # type: ignore[assignment]

    # --- changing: elements ----------------------------------------------------------

    def add_element(self, kind: str, label: str, *, id: str | None = None, **fields: Any) -> str:
        """Add an element of ``kind`` and return its id.

        Fields: description, evidence, confidence, status, time_frame, tags, code, notes.
        """
        self._template.element_kind(kind)
        values = clean_fields({"label": label, **fields}, ELEMENT_FIELDS, "an element")
        self._check_code(kind, values.get("code"))
        element_id = self._claim_id("element", id)
        stamp = _clock.now()
        record = Element(id=element_id, kind=kind, created=stamp, updated=stamp, **values)
        self._put_element(record)
        self._notify(Change("add", "element", element_id, after=record))
        return element_id

    def update_element(self, element_id: str, **fields: Any) -> None:
        """Change fields of an element (``kind`` may change if its links still fit)."""
        before = self.element(element_id)
        kind = fields.pop("kind", before.kind)
        self._template.element_kind(kind)
        values = clean_fields(fields, ELEMENT_FIELDS, "an element")
        self._check_code(kind, values.get("code", before.code if kind == before.kind else None))
        if kind != before.kind:
            values.setdefault("code", before.code if self._code_fits(kind, before.code) else None)
            for ln in self.links_of(element_id):
                src = kind if ln.source == element_id else self.element(ln.source).kind
                tgt = kind if ln.target == element_id else self.element(ln.target).kind
                self._template.check_link(ln.kind, src, tgt)
        after = replace(before, kind=kind, updated=_clock.now(), **values)
        if _same_content(before, after):
            return
        self._put_element(after)
        self._notify(Change("update", "element", element_id, before=before, after=after))

    def remove_element(self, element_id: str, *, cascade: bool = False) -> list[str]:
        """Remove an element; return the ids of the links removed with it.

        An element that links still use is only removed with ``cascade=True``,
        which removes those links too; otherwise :class:`ElementInUse` is raised.
        """
        record = self.element(element_id)
        used_by = [ln.id for ln in self.links_of(element_id)]
        if used_by and not cascade:
            raise ElementInUse(
                f"{short(record.label)} is used by {len(used_by)} link(s); remove those links first, "
                "or remove the element together with its links.",
                tuple(used_by),
            )
        for link_id in used_by:
            self.remove_link(link_id)
        for comment in [c for c in self._comments.values() if c.target == element_id]:
            self.remove_comment(comment.id)
        self._graph.remove_node(element_id)
        self._notify(Change("remove", "element", element_id, before=record))
        return used_by

    # --- changing: links --------------------------------------------------------------

    def add_link(
        self, source_id: str, target_id: str, kind: str, *, id: str | None = None, **fields: Any
    ) -> str:
        """Add a link of ``kind`` from ``source_id`` to ``target_id`` and return its id.

        Fields: description, evidence, confidence, status, weight, notes.
        """
        source, target = self.element(source_id), self.element(target_id)
        self._template.check_link(kind, source.kind, target.kind)
        values = clean_fields(fields, LINK_FIELDS, "a link")
        link_id = self._claim_id("link", id)
        stamp = _clock.now()
        record = Link(
            id=link_id, source=source_id, target=target_id, kind=kind, created=stamp, updated=stamp, **values
        )
        self._put_link(record)
        self._notify(Change("add", "link", link_id, after=record))
        return link_id

    def update_link(self, link_id: str, **fields: Any) -> None:
        """Change fields of a link; ``kind``, ``source`` and ``target`` may change if the template allows."""
        before = self.link(link_id)
        source = fields.pop("source", before.source)
        target = fields.pop("target", before.target)
        kind = fields.pop("kind", before.kind)
        self._template.check_link(kind, self.element(source).kind, self.element(target).kind)
        values = clean_fields(fields, LINK_FIELDS, "a link")
        after = replace(before, source=source, target=target, kind=kind, updated=_clock.now(), **values)
        if _same_content(before, after):
            return
        if (source, target) != (before.source, before.target):
            self._graph.remove_edge(before.source, before.target, key=link_id)
        self._put_link(after)
        self._notify(Change("update", "link", link_id, before=before, after=after))

    def remove_link(self, link_id: str) -> None:
        """Remove a link (and the comments on it)."""
        record = self.link(link_id)
        for comment in [c for c in self._comments.values() if c.target == link_id]:
            self.remove_comment(comment.id)
        self._graph.remove_edge(record.source, record.target, key=link_id)
        del self._links[link_id]
        self._notify(Change("remove", "link", link_id, before=record))

    # --- changing: comments and case ------------------------------------------------

    def add_comment(
        self,
        text: str,
        *,
        author: str = "",
        target: str | None = None,
        time: str | None = None,
        resolved: bool = False,
        id: str | None = None,
    ) -> str:
        """Comment on an element or link (``target`` id) or on the whole formulation; return its id."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidValue("A comment cannot be empty.")
        if target is not None and not (self.has_element(target) or self.has_link(target)):
            raise ElementNotFound(f"There is no element or link {short(target)} to comment on.")
        comment_id = self._claim_id("comment", id)
        record = Comment(
            id=comment_id,
            text=text,
            author=str(author),
            time=clean_stamp(time, "the time of a comment") if time else _clock.now(),
            target=target,
            resolved=bool(resolved),
        )
        self._comments[comment_id] = record
        self._notify(Change("add", "comment", comment_id, after=record))
        return comment_id

    def resolve_comment(self, comment_id: str, resolved: bool = True) -> None:
        """Mark a comment resolved (or, with ``resolved=False``, open again)."""
        before = self.comment(comment_id)
        if before.resolved == resolved:
            return
        after = replace(before, resolved=resolved)
        self._comments[comment_id] = after
        self._notify(Change("update", "comment", comment_id, before=before, after=after))

    def remove_comment(self, comment_id: str) -> None:
        """Delete a comment."""
        record = self.comment(comment_id)
        del self._comments[comment_id]
        self._notify(Change("remove", "comment", comment_id, before=record))

    def update_meta(self, **values: Any) -> None:
        """Change the case title, clinician, description or fictional mark."""
        allowed = ("case_id", "title", "clinician", "description", "fictional")
        for name in values:
            if name not in allowed:
                raise InvalidValue(
                    f"The case has no field {name!r} that can be changed; fields are: {', '.join(allowed)}."
                )
        if "case_id" in values and not str(values["case_id"]).strip():
            raise InvalidValue("A case needs a case id (a pseudonym or number, never the client's name).")
        before = self._meta
        after = replace(before, **values)
        if after == before:
            return
        self._meta = after
        self._notify(Change("update", "meta", after.case_id, before=before, after=after))

    # --- changing: session notes --------------------------------------------------------

    def add_session(self, number: int, *, date: Any = None, text: str = "") -> int:
        """Add session ``number`` with its date (``YYYY-MM-DD``) and process notes; return the number.

        >>> f = Formulation.new(case_id="C-1")
        >>> f.add_session(3, date="2024-03-18", text="Spoke of her father.")
        3
        """
        number = clean_session_number(number)
        if number in self._sessions:
            raise DuplicateId(f"Session {number} already has notes; edit them instead.")
        stamp = _clock.now()
        record = SessionNote(
            number, clean_session_date(date), clean_session_text(text), created=stamp, updated=stamp
        )
        self._sessions[number] = record
        self._notify(Change("add", "session", record.id, after=record))
        return number

    def update_session(self, number: int, /, **values: Any) -> None:
        """Change the ``date`` or ``text`` (process notes) of session ``number``."""
        before = self.session_note(number)
        for name in values:
            if name not in ("date", "text"):
                raise InvalidValue(
                    f"A session has no field {name!r} that can be changed; fields are: date, text."
                )
        clean: dict[str, Any] = {}
        if "date" in values:
            clean["date"] = clean_session_date(values["date"])
        if "text" in values:
            clean["text"] = clean_session_text(values["text"])
        after = replace(before, updated=_clock.now(), **clean)
        if _same_content(before, after):
            return
        self._sessions[number] = after
        self._notify(Change("update", "session", after.id, before=before, after=after))

    def remove_session(self, number: int) -> None:
        """Remove session ``number`` and its notes (evidence quoting them stays, flagged as not found)."""
        record = self.session_note(number)
        del self._sessions[number]
        self._notify(Change("remove", "session", record.id, before=record))

    # --- observers and copies --------------------------------------------------------

    def observe(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback(change)`` after every change; return a function that stops it."""
        self._observers.append(callback)
        return lambda: self._observers.remove(callback) if callback in self._observers else None

    def copy(self) -> Formulation:
        """Return an independent copy (without observers), e.g. to keep a version in memory."""
        other = Formulation(self._meta, self._template)
        other._graph = self._graph.copy()  # records are immutable: the copy shares them, in the same order
        other._links = dict(self._links)
        other._comments = dict(self._comments)
        other._sessions = dict(self._sessions)
        other.base_version, other.file_id, other.modified = self.base_version, self.file_id, self.modified
        return other

    def restore_records(
        self,
        *,
        elements: list[Element] | None = None,
        links: list[Link] | None = None,
        comments: list[Comment] | None = None,
        meta: CaseMeta | None = None,
        sessions: list[SessionNote] | None = None,
    ) -> None:
        """Put whole records back as they were (for undo, file readers and patches).

        Records are stored exactly, stamps included; a record with an existing id
        replaces it. Links must point at elements that exist.
        """
        if meta is not None:
            if meta.template != self._template.id:
                raise InvalidValue(f"The case cannot switch to template {meta.template!r}.")
            before_meta, self._meta = self._meta, meta
            self._notify(Change("update", "meta", meta.case_id, before=before_meta, after=meta))
        for el in elements or []:
            self._template.element_kind(el.kind)
            before_el = self._graph.nodes[el.id]["record"] if el.id in self._graph else None
            self._put_element(el)
            self._notify(
                Change("update" if before_el else "add", "element", el.id, before=before_el, after=el)
            )
        for ln in links or []:
            self._template.check_link(ln.kind, self.element(ln.source).kind, self.element(ln.target).kind)
            before_ln = self.link(ln.id) if ln.id in self._links else None
            if before_ln is not None and (before_ln.source, before_ln.target) != (ln.source, ln.target):
                self._graph.remove_edge(before_ln.source, before_ln.target, key=ln.id)
            self._put_link(ln)
            self._notify(Change("update" if before_ln else "add", "link", ln.id, before=before_ln, after=ln))
        for cm in comments or []:
            before_cm = self._comments.get(cm.id)
            self._comments[cm.id] = cm
            self._notify(
                Change("update" if before_cm else "add", "comment", cm.id, before=before_cm, after=cm)
            )
        for sn in sessions or []:
            before_sn = self._sessions.get(sn.number)
            self._sessions[sn.number] = sn
            self._notify(
                Change("update" if before_sn else "add", "session", sn.id, before=before_sn, after=sn)
            )

    def remove_records(
        self,
        *,
        elements: list[str] | None = None,
        links: list[str] | None = None,
        comments: list[str] | None = None,
        sessions: list[int] | None = None,
    ) -> None:
        """Remove records by id (sessions by number) exactly, without cascades (for undo, readers, patches).

        Comments go first, then links, then elements. Nothing else is removed
        with them: an element that a remaining link still uses raises
        :class:`ElementInUse`, and comments on removed records stay unless listed.
        """
        for number in sessions or []:
            self.remove_session(number)
        for comment_id in comments or []:
            self.remove_comment(comment_id)
        for link_id in links or []:
            record = self.link(link_id)
            self._graph.remove_edge(record.source, record.target, key=link_id)
            del self._links[link_id]
            self._notify(Change("remove", "link", link_id, before=record))
        for element_id in elements or []:
            el = self.element(element_id)
            used_by = tuple(ln.id for ln in self.links_of(element_id))
            if used_by:
                raise ElementInUse(f"{short(el.label)} is still used by {len(used_by)} link(s).", used_by)
            self._graph.remove_node(element_id)
            self._notify(Change("remove", "element", element_id, before=el))

    # --- helpers ----------------------------------------------------------------------

    def _put_element(self, record: Element) -> None:
        kind = self._template.element_kinds[record.kind]
        self._graph.add_node(record.id, record=record, kind=record.kind, label=record.label, layer=kind.layer)

    def _put_link(self, record: Link) -> None:
        if record.source not in self._graph or record.target not in self._graph:
            raise ElementNotFound(f"Link {short(record.id)} points at an element that does not exist.")
        sign = self._template.link_kinds[record.kind].sign
        weight = record.weight if record.weight is not None else float(sign)
        self._graph.add_edge(
            record.source, record.target, key=record.id, record=record, kind=record.kind, weight=weight
        )
        self._links[record.id] = (record.source, record.target)

    def _claim_id(self, what: str, wanted: str | None) -> str:
        taken = self._id_taken
        if wanted is not None:
            if not isinstance(wanted, str) or not wanted.strip():
                raise InvalidValue("An id must be non-empty text.")
            if taken(wanted):
                raise DuplicateId(f"The id {short(wanted)} is already used in this formulation.")
            return wanted
        while True:
            candidate = f"{_ID_PREFIX[what]}-{secrets.token_hex(4)}"
            if not taken(candidate):
                return candidate

    def _id_taken(self, candidate: str) -> bool:
        return candidate in self._graph or candidate in self._links or candidate in self._comments

    def _code_fits(self, kind: str, code: str | None) -> bool:
        code_set = self._template.code_set_for(kind)
        return code is None or (code_set is not None and code_set.accepts(code))

    def _check_code(self, kind: str, code: str | None) -> None:
        if code is None:
            return
        code_set = self._template.code_set_for(kind)
        if code_set is None:
            raise InvalidValue(f"Elements of kind {kind!r} carry no code in template {self._template.id!r}.")
        if not code_set.accepts(code):
            raise InvalidValue(f"{short(code)} is not a category of {code_set.name}.")

    def _notify(self, change: Change) -> None:
        self.modified = True
        for callback in list(self._observers):
            callback(change)


def _by_id(records: list[Any]) -> dict[str, Any]:
    return {r.id: r for r in records}


def _same_content(a: Any, b: Any) -> bool:
    """Whether two records differ only in their 'updated' stamp."""
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(a) if f.name != "updated")


def _sessions(evidence: tuple[Any, ...]) -> str:
    return ", ".join(str(s) for s in sorted({e.session for e in evidence if e.session is not None}))
