"""The step model: what a step-through shows at each step, by layer, by session or by version.

One model for every step-through of a formulation: the standalone seminar page
(:mod:`workbench.export.stepthrough`) and the in-app presenter
(:mod:`workbench.ui.presenter`) both draw these frames, with the one layout of
:func:`layered_positions`. A :class:`Frame` is plain data: its words (title,
counter, detail, notes and change notes), which elements and links are shown,
which of them are new, and for versions how each item differs from the version
before. It names items by id; drawing them is the consumer's job.

- :func:`layer_frames`: one frame per template layer that has elements;
- :func:`session_frames`: one frame per session, each element coming in the
  session its first evidence is from;
- :func:`iter_version_frames`: one frame per saved version, from ``(revision,
  formulation)`` pairs taken one at a time (only the version before is kept), so
  a long history streams; :func:`pick_versions` chooses which versions to show.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> a = f.add_element("early_experience", "Father often absent")
>>> b = f.add_element("unconscious_fear", "Fear of being left")
>>> frames = layer_frames(f)
>>> [(fr.title, fr.counter) for fr in frames]
[('Early experiences', 'Layer 1 of 5'), ('Unconscious wishes and fears', 'Layer 2 of 5')]
>>> frames[1].elements == (a, b) and frames[1].new == frozenset({b})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from workbench import _clock
from workbench._text import counted
from workbench._values import plain
from workbench.analysis._phrases import element_phrase
from workbench.diffing import FormulationDiff, diff
from workbench.errors import InvalidValue
from workbench.model import Formulation

__all__ = [
    "AUTO_LIMIT",
    "EVERY",
    "MODES",
    "X_GAP",
    "Y_GAP",
    "Frame",
    "Revision",
    "change_notes",
    "iter_version_frames",
    "layer_frames",
    "layered_positions",
    "pick_versions",
    "session_frames",
]

#: The ways of stepping through a formulation.
MODES = ("layers", "sessions", "versions")

#: Which saved versions a step-through by versions shows: ``"auto"`` (every
#: version of a short history, else the last save of each session), every
#: ``"version"``, or the last save of each ``"session"``.
EVERY = ("auto", "version", "session")

#: A history longer than this is shown by session under ``every="auto"``, and at
#: most this many steps (spread evenly, the newest version always last).
AUTO_LIMIT = 100

#: Spacing of :func:`layered_positions` (canvas units) unless told otherwise.
X_GAP = 240
Y_GAP = 160

#: A saved version as the step model reads it: its number, or a mapping (a row of
#: :func:`workbench.history`) or a record with ``version``, ``time``, ``author``, ``session`` and
#: ``message`` (``time`` an ISO 8601 stamp or an aware datetime).
Revision = int | Mapping[str, Any] | object

_STAMPS = frozenset({"updated", "created"})


@dataclass(frozen=True)
class Frame:
    """One step of a step-through.

    ``title`` names the step; ``counter`` counts it in its own terms ("Layer 2 of 5",
    "Step 1 of 3"; empty for versions); ``detail`` describes a version (date, session,
    author). ``notes`` sum the step up (the kinds of a layer, how many elements are new,
    a version's message and changes); ``changes`` list a version's changes one by one
    (new and removed elements, revisions, comments). ``elements`` and ``links`` are the
    ids shown, ``new`` those not shown (or shown otherwise) in the step before, and
    ``marks`` (versions only) maps ids to ``"added"``, ``"changed"`` or ``"removed"``;
    removed ids belong to the version before.
    """

    title: str
    counter: str = ""
    detail: str = ""
    notes: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    new: frozenset[str] = frozenset()
    marks: Mapping[str, str] = field(default_factory=dict)
    version: int | None = None

    @property
    def caption(self) -> str:
        """The line under the title on the standalone page: the counter, or a version's detail."""
        return self.counter or self.detail

    def shown(self) -> set[str]:
        """Return the ids of the elements and links shown in this step."""
        return {*self.elements, *self.links}


def layer_frames(f: Formulation) -> list[Frame]:
    """Return one frame per template layer that has elements, each adding that layer to the map.

    A layer wrapped onto several rows of the map is still one step. A link is shown
    once both its elements are.
    """
    template = f.template
    kinds = template.element_kinds
    layer_of = {el.id: kinds[el.kind].layer for el in f.element_records()}
    layers = sorted(set(layer_of.values()))
    count = len(template.layers) or (max(layers) + 1 if layers else 0)
    frames: list[Frame] = []
    before: set[str] = set()
    for layer in layers:
        elements = tuple(i for i, n in layer_of.items() if n <= layer)
        links = tuple(ln.id for ln in f.link_records()
                      if layer_of[ln.source] <= layer and layer_of[ln.target] <= layer)
        names = [k.name for k in kinds.values() if k.layer == layer]
        frames.append(Frame(
            title=template.layer_name(layer),
            counter=f"Layer {layer + 1} of {max(count, layer + 1)}",
            notes=(" · ".join(names),) if names else (),
            elements=elements,
            links=links,
            new=frozenset({*elements, *links} - before),
        ))
        before = {*elements, *links}
    return frames


def session_frames(f: Formulation) -> list[Frame]:
    """Return one frame per session with evidence, each adding the elements first seen in it.

    Elements whose evidence names no session come in a last step. A link appears
    once both its elements are on the map and its own first session has come.
    """
    first: dict[str, int | None] = {}
    for el in f.element_records():
        first[el.id] = min((e.session for e in el.evidence if e.session is not None), default=None)
    for ln in f.link_records():
        first[ln.id] = min((e.session for e in ln.evidence if e.session is not None), default=None)
    sessions = sorted({s for el in f.element_records() if (s := first[el.id]) is not None})
    rounds: list[tuple[str, int | None]] = [(f"Session {s}", s) for s in sessions]
    if any(first[el.id] is None for el in f.element_records()):
        rounds.append(("Not tied to a session", None))
    frames: list[Frame] = []
    before: set[str] = set()
    for number, (name, session) in enumerate(rounds, start=1):
        def due(item_id: str, session: int | None = session) -> bool:
            s = first[item_id]
            return session is None or (s is not None and s <= session)

        elements = tuple(el.id for el in f.element_records() if due(el.id))
        shown = set(elements)
        links = tuple(
            ln.id for ln in f.link_records()
            if ln.source in shown and ln.target in shown and (due(ln.id) or first[ln.id] is None)
        )
        previous = frames[-1] if frames else Frame(title="")
        new = [counted(len(elements) - len(previous.elements), "new element"),
               counted(len(links) - len(previous.links), "new link")]
        frames.append(Frame(
            title=name,
            counter=f"Step {number} of {len(rounds)}",
            notes=(" · ".join(new),),
            elements=elements,
            links=links,
            new=frozenset({*elements, *links} - before),
        ))
        before = {*elements, *links}
    return frames


def iter_version_frames(pairs: Iterable[tuple[Revision, Formulation]]) -> Iterator[tuple[Frame, Formulation]]:
    """Yield one frame per saved version, with the version it draws, holding only the version before.

    A frame's notes are the version's message and a summary of its changes; its
    ``changes`` list them one by one (with the comments made in it), and ``marks``
    say what was added, changed (beyond its time stamps) or removed.
    """
    previous: Formulation | None = None
    for number, (revision, f) in enumerate(pairs, start=1):
        info = _revision_info(revision, number)
        detail = []
        if info["time"]:
            detail.append(_clock.shown(str(info["time"])))
        if info["session"] not in (None, ""):
            detail.append(f"session {info['session']}")
        if info["author"]:
            detail.append(f"by {info['author']}")
        notes = [f"“{info['message']}”"] if info["message"] else []
        if previous is None:
            notes.append("The first version")
            changes = [_comment_note(c.author, c.text) for c in f.comment_records()]
            marks: dict[str, str] = {}
        else:
            d = diff(previous, f).without_notes()  # session notes are private: never on a page
            notes.append(d.summary())
            changes = change_notes(previous, f, d)
            marks = d.marks(stamps=False)
        elements = tuple(el.id for el in f.element_records())
        links = tuple(ln.id for ln in f.link_records())
        new = {*elements, *links} if previous is None else {i for i, m in marks.items() if m != "removed"}
        yield Frame(
            title=f"Version {info['version']}" if info["version"] else f"Step {number}",
            detail=" · ".join(detail),
            notes=tuple(notes),
            changes=tuple(changes),
            elements=elements,
            links=links,
            new=frozenset(new),
            marks=marks,
            version=info["version"] or None,
        ), f
        previous = f


def change_notes(before: Formulation, after: Formulation, d: FormulationDiff) -> list[str]:
    """Return the changes from ``before`` to ``after`` as sentences: new, removed, revised, comments."""
    notes = [f"New: {element_phrase(after, el.id, capital=True)}" for el in d.elements_added]
    notes += [f"New link: {after.sentence(ln.id)}" for ln in d.links_added]
    notes += [f"Removed: {el.label}" for el in d.elements_removed]
    notes += [f"Revised: {after.element(c.id).label} ({', '.join(_field_names(c.fields))})"
              for c in d.elements_changed if _really_changed(c.fields)]
    notes += [_comment_note(c.author, c.text) for c in d.comments_added]
    for c in d.comments_changed:
        if "resolved" in c.fields:
            state = "resolved" if c.fields["resolved"][1] else "reopened"
            notes.append(f"Comment {state}: {after.comment(c.id).text}")
    return notes


def pick_versions(
    table: pd.DataFrame | Iterable[Any], every: str = "auto", *, limit: int = AUTO_LIMIT
) -> list[int]:
    """Return the version numbers a step-through by versions shows, from :func:`workbench.history`
    (a table with ``version`` and ``session`` columns, or records or mappings with those fields).

    ``every="version"``: all of them. ``"session"``: the last save of each run of
    saves with the same session number. ``"auto"``: all of them up to ``limit``
    versions; beyond that, by session, and if there are still more than
    ``limit`` sessions, ``limit`` of them spread evenly, the newest always last.
    """
    if every not in EVERY:
        raise InvalidValue(f"Versions are shown by {', '.join(EVERY)}, not {every!r}.")
    if isinstance(table, pd.DataFrame):
        versions = [int(v) for v in table["version"]]
        sessions = [_plain(s) for s in table["session"]]
    else:
        rows = list(table)
        versions = [int(_field(r, "version")) for r in rows]
        sessions = [_plain(_field(r, "session")) for r in rows]
    if every == "version" or (every == "auto" and len(versions) <= limit):
        return versions
    picked = [v for i, v in enumerate(versions) if i + 1 == len(versions) or sessions[i + 1] != sessions[i]]
    if every == "session" or len(picked) <= limit:
        return picked
    count = len(picked)
    return sorted({picked[count - 1 - (i * (count - 1)) // (limit - 1)] for i in range(limit)})


def layered_positions(
    levels: Mapping[str, int], pairs: Iterable[tuple[str, str]], *, x_gap: int = X_GAP, y_gap: int = Y_GAP
) -> dict[str, tuple[int, int]]:
    """Return an ``(x, y)`` for each element: one row per level, ordered to keep links short.

    The one layout of every step-through, so an element keeps its place through all
    steps. Rows go top to bottom by level, ``y_gap`` apart; within a row elements are
    ``x_gap`` apart, ordered by the mean position of the elements they are linked
    with in the rows above (the barycentre heuristic), otherwise in the order given.

    >>> layered_positions({"a": 0, "b": 0, "c": 1}, [("b", "c")])
    {'a': (-120, 0), 'b': (120, 0), 'c': (0, 160)}
    """
    order = {item: i for i, item in enumerate(levels)}
    neighbours: dict[str, set[str]] = {item: set() for item in levels}
    for source, target in pairs:
        if source in neighbours and target in neighbours and source != target:
            neighbours[source].add(target)
            neighbours[target].add(source)
    rows: dict[int, list[str]] = {}
    for item in levels:
        rows.setdefault(levels[item], []).append(item)
    x: dict[str, float] = {}
    positions: dict[str, tuple[int, int]] = {}
    for level in sorted(rows):
        row = rows[level]

        def key(item: str) -> tuple[float, int]:
            placed = [x[n] for n in neighbours[item] if n in x]
            centre = sum(placed) / len(placed) if placed else float(order[item] * x_gap) - 1e6
            return (centre, order[item])

        row.sort(key=key)
        width = (len(row) - 1) * x_gap
        for i, item in enumerate(row):
            x[item] = i * x_gap - width / 2
            positions[item] = (round(x[item]), level * y_gap)
    return {item: positions[item] for item in levels}


# --- helpers -----------------------------------------------------------------------------


def _revision_info(revision: Revision, number: int) -> dict[str, Any]:
    if isinstance(revision, int):
        return {"version": revision, "time": "", "author": "", "session": None, "message": ""}
    names = ("version", "time", "author", "session", "message")
    if not isinstance(revision, Mapping) and not hasattr(revision, "version"):
        raise InvalidValue(
            f"Version {number}: a revision must be a version number or have version, time, author, "
            "session and message."
        )
    info = {name: _field(revision, name) for name in names}
    info["version"] = _plain(info["version"]) or number
    if isinstance(info["time"], datetime):
        info["time"] = _clock.stamp(info["time"])
    for name in ("time", "author", "message"):
        info[name] = "" if _plain(info[name]) is None else str(info[name])
    info["session"] = _plain(info["session"])
    return info


def _field(record: Any, name: str) -> Any:
    """A field of a mapping or of a record (None when it has none)."""
    return record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)


def _plain(value: Any) -> Any:
    """None for missing values (None, NaN, pandas NA), else the plain value (whole floats as int)."""
    value = plain(value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _comment_note(author: str | None, text: str) -> str:
    return f"Comment by {author or 'someone'}: {text}"



def _really_changed(fields: Mapping[str, Any]) -> bool:
    return bool(set(fields) - _STAMPS)


def _field_names(fields: Mapping[str, Any]) -> list[str]:
    return [name.replace("_", " ") for name in fields if name not in _STAMPS]
