"""Step-through pages for seminars: one standalone, offline HTML file to show on a projector.

A teacher opens the file in any browser, without Python, and steps through the
formulation with the big *Back* / *Next* buttons, the timeline, the arrow keys
(or a presenter's clicker, which sends Page Up / Page Down):

- :func:`stepthrough_html` with ``mode="layers"`` reveals the map layer by
  layer, in the template's order (early experiences first, present problems
  last); ``mode="sessions"`` reveals each element in the session its first
  evidence comes from;
- :func:`stepthrough_versions_html` replays the saved versions of a file one by
  one, showing each version's number, date, author, session and message.

What each step shows comes from the one step model, :mod:`workbench.analysis.steps`
(the in-app presenter, :mod:`workbench.ui.presenter`, draws the same frames); this
module draws its frames as vis-network items (:class:`Step`, :func:`steps_for`) and
builds the page. The page is :func:`workbench.render.html.render_html`'s offline,
escaped page (vis-network inlined, a strict Content-Security-Policy,
data as escaped JSON, every text put in with ``textContent``) with a presenter bar
added through its hooks; its script and style are ``static/stepthrough.js`` and
``static/stepthrough.css``, and its keys ``static/step_keys.js`` (shared with the
presenter). Every element keeps the one place :func:`~workbench.analysis.steps.layered_positions`
gives it through all steps, so nothing jumps when the next layer or version appears.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1", title="Teaching case")
>>> a = f.add_element("early_experience", "Father often absent")
>>> b = f.add_element("unconscious_fear", "Fear of being left")
>>> _ = f.add_link(a, b, "gives_rise_to")
>>> [s.title for s in layer_steps(f)]
['Early experiences', 'Unconscious wishes and fears']
>>> page = stepthrough_html(f)
>>> page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.analysis.steps import (
    AUTO_LIMIT,
    EVERY,
    Frame,
    Revision,
    iter_version_frames,
    layer_frames,
    layered_positions,
    pick_versions,
    session_frames,
)
from workbench.errors import InvalidValue
from workbench.fileformat import each_version, history, load
from workbench.model import Formulation
from workbench.render.assets import asset_text
from workbench.render.html import render_html
from workbench.render.visdata import vis_data

__all__ = [
    "AUTO_LIMIT",
    "EVERY",
    "MODES",
    "PAGE_X_GAP",
    "PAGE_Y_GAP",
    "Step",
    "iter_version_steps",
    "layer_steps",
    "pick_versions",
    "session_steps",
    "step_keys_js",
    "step_positions",
    "steps_for",
    "stepthrough_html",
    "stepthrough_versions_html",
    "version_steps",
]

#: The ways :func:`stepthrough_html` can reveal one formulation.
MODES = ("layers", "sessions")

#: The page's spacing of :func:`~workbench.analysis.steps.layered_positions`: a projector's
#: larger labels need more room than the app's presenter.
PAGE_X_GAP = 280
PAGE_Y_GAP = 190

_STATIC = Path(__file__).parent / "static"


@dataclass
class Step:
    """A frame of the step model drawn as vis-network items: what it is called and what is on the map.

    ``nodes`` and ``edges`` are the items shown; ``detail`` is the frame's counter or a
    version's detail. ``frame`` is the step model's frame; ``removed_nodes`` and
    ``removed_edges`` (versions) are the items of the version before that this one removed.
    """

    title: str
    detail: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    frame: Frame = field(default_factory=lambda: Frame(title=""))
    removed_nodes: list[dict[str, Any]] = field(default_factory=list)
    removed_edges: list[dict[str, Any]] = field(default_factory=list)


def stepthrough_html(f: Formulation, *, mode: str = "layers", title: str | None = None) -> str:
    """Return a standalone offline page that reveals ``f`` step by step.

    ``mode`` is ``"layers"`` (one step per template layer that has elements)
    or ``"sessions"`` (one step per session, by each element's first evidence).
    ``title`` replaces the case title in the heading.
    """
    if mode not in MODES:
        raise InvalidValue(f"There is no step-through mode {mode!r}; modes are: {', '.join(MODES)}.")
    return _page(f, _pack(steps_for(f, mode)), mode, title)


def stepthrough_versions_html(
    source: str | Path | Iterable[tuple[Revision, Formulation]],
    *,
    title: str | None = None,
    every: str = "auto",
) -> str:
    """Return a standalone offline page that replays saved versions one by one.

    ``source`` is a formulation file or an iterable of ``(revision,
    formulation)`` pairs, where a revision is a version number or a mapping (or
    a row of :func:`workbench.history`) with ``version``, ``time``, ``author``,
    ``session`` and ``message``. For a file, ``every`` picks the versions (see
    :data:`EVERY` and :func:`pick_versions`). Versions are read and drawn one at
    a time: memory holds one version and the page, however long the history.
    """
    pairs = _version_pairs(source, every) if isinstance(source, (str, Path)) else source
    last: list[Formulation] = []

    def remembered() -> Iterator[tuple[Revision, Formulation]]:
        for revision, f in pairs:
            last[:] = [f]
            yield revision, f

    packed = _pack(iter_version_steps(remembered()))
    if not last:
        raise InvalidValue("There are no versions to step through.")
    return _page(last[0], packed, "versions", title)


def steps_for(
    source: Formulation | str | Path, mode: str = "layers", *, every: str = "auto"
) -> Iterator[Step]:
    """Yield the steps of a formulation, or of a case file, in ``mode``.

    ``mode`` is ``"layers"``, ``"sessions"`` (the formulation, or the file's latest
    version) or ``"versions"`` (a file's saved versions, chosen by ``every``; see
    :func:`pick_versions`), read one at a time.
    """
    if mode not in (*MODES, "versions"):
        raise InvalidValue(f"There is no step-through mode {mode!r}; modes are: layers, sessions, versions.")
    if mode == "versions":
        if isinstance(source, Formulation):
            raise InvalidValue("Stepping version by version needs a saved case file.")
        return iter_version_steps(_version_pairs(source, every))
    f = source if isinstance(source, Formulation) else load(source)
    return iter(layer_steps(f) if mode == "layers" else session_steps(f))


def layer_steps(f: Formulation) -> list[Step]:
    """Return one step per template layer with elements (see :func:`.layer_frames` of the step model)."""
    return _drawn(f, layer_frames(f))


def session_steps(f: Formulation) -> list[Step]:
    """Return one step per session with evidence (see :func:`.session_frames` of the step model)."""
    return _drawn(f, session_frames(f))


def version_steps(pairs: Iterable[tuple[Revision, Formulation]]) -> list[Step]:
    """Return one step per saved version, with its date, author, session, message and changes."""
    return list(iter_version_steps(pairs))


def iter_version_steps(pairs: Iterable[tuple[Revision, Formulation]]) -> Iterator[Step]:
    """Yield the steps of :func:`version_steps` one by one, holding only the version before."""
    nodes_before: dict[str, dict[str, Any]] = {}
    edges_before: dict[str, dict[str, Any]] = {}
    for frame, f in iter_version_frames(pairs):
        data = vis_data(f)
        gone = {i for i, mark in frame.marks.items() if mark == "removed"}
        yield Step(
            title=frame.title,
            detail=frame.caption,
            nodes=data["nodes"],
            edges=data["edges"],
            notes=list(frame.notes),
            frame=frame,
            removed_nodes=[n for i, n in nodes_before.items() if i in gone],
            removed_edges=[e for i, e in edges_before.items() if i in gone],
        )
        nodes_before = {n["id"]: n for n in data["nodes"]}
        edges_before = {e["id"]: e for e in data["edges"]}


def step_positions(
    nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]], *, x_gap: int, y_gap: int
) -> dict[str, tuple[int, int]]:
    """Return the one layout of a step-through: a place for every node of every step.

    ``nodes`` and ``edges`` are the latest variant of each item over all steps; each node's
    ``level`` is its row (see :func:`workbench.analysis.steps.layered_positions`).
    """
    return layered_positions(
        {str(n["id"]): int(n.get("level", 0)) for n in nodes},
        [(str(e["from"]), str(e["to"])) for e in edges],
        x_gap=x_gap,
        y_gap=y_gap,
    )


def step_keys_js() -> str:
    """Return the script of the step-through keys, shared by the page and the app's presenter."""
    return asset_text(_STATIC / "step_keys.js")


# --- the page ----------------------------------------------------------------------------


@dataclass
class _Packed:
    """Steps as the page holds them: each distinct node and edge once, steps as places in the pools."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    latest_node: dict[str, int] = field(default_factory=dict)
    latest_edge: dict[str, int] = field(default_factory=dict)


def _drawn(f: Formulation, frames: Iterable[Frame]) -> list[Step]:
    """Draw frames of one formulation: every step shares the same node and edge dicts."""
    data = vis_data(f)
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {e["id"]: e for e in data["edges"]}
    return [
        Step(title=frame.title, detail=frame.caption, nodes=[nodes[i] for i in frame.elements],
             edges=[edges[i] for i in frame.links], notes=list(frame.notes), frame=frame)
        for frame in frames
    ]


def _version_pairs(path: str | Path, every: str) -> Iterator[tuple[Revision, Formulation]]:
    """The versions of a file that ``every`` picks, read one at a time."""
    return each_version(path, set(pick_versions(history(path), every)))


def _pack(steps: Iterable[Step]) -> _Packed:
    """Take the steps one at a time, keeping only what the page needs of each."""
    packed = _Packed()
    node_index: dict[str, int] = {}
    edge_index: dict[str, int] = {}
    seen: dict[int, tuple[dict[str, Any], int]] = {}  # the same dict in several steps is keyed once
    for step in steps:
        node_refs = [_intern(n, packed.nodes, node_index, packed.latest_node, seen) for n in step.nodes]
        edge_refs = [_intern(e, packed.edges, edge_index, packed.latest_edge, seen) for e in step.edges]
        fresh = step.frame.new
        new = [item["id"] for item in [*step.nodes, *step.edges] if item["id"] in fresh]
        packed.steps.append(
            {"title": step.title, "detail": step.detail, "notes": step.notes,
             "nodes": node_refs, "edges": edge_refs, "new": new}
        )
        items = zip([*step.nodes, *step.edges], [*node_refs, *edge_refs], strict=True)
        seen = {id(item): (item, ref) for item, ref in items}
    return packed


def _page(f: Formulation, packed: _Packed, mode: str, title: str | None) -> str:
    """Build the page: the union of all steps' nodes and edges is drawn once, steps show subsets."""
    union = {
        "nodes": [packed.nodes[i] for i in packed.latest_node.values()],
        "edges": [packed.edges[i] for i in packed.latest_edge.values()],
    }
    positions = step_positions(union["nodes"], union["edges"], x_gap=PAGE_X_GAP, y_gap=PAGE_Y_GAP)
    meta = f.meta
    sub = [f"Case {meta.case_id}", f.template.name]
    if meta.fictional:
        sub.append("fictional case")
    extra = {
        "mode": mode,
        "sub": " · ".join(sub),
        "steps": packed.steps,
        "pool": {"nodes": packed.nodes, "edges": packed.edges},
        "positions": {i: {"x": x, "y": y} for i, (x, y) in positions.items()},
    }
    return render_html(
        f, title=title, vis=union, extra_data=extra, extra_css=_page_css(), extra_script=_page_js()
    )


def _intern(item: dict[str, Any], pool: list[dict[str, Any]], index: dict[str, int],
            latest: dict[str, int], seen: Mapping[int, tuple[dict[str, Any], int]]) -> int:
    """Store each distinct node or edge once; return its place in the pool."""
    known = seen.get(id(item))
    if known is not None and known[0] is item:
        place = known[1]
    else:
        key = repr(item)  # vis_data builds every item with its keys in one order
        place = index.setdefault(key, len(pool))
        if place == len(pool):
            pool.append(item)
    latest[item["id"]] = place
    return place


def _page_js() -> str:
    return step_keys_js() + "\n" + asset_text(_STATIC / "stepthrough.js")


def _page_css() -> str:
    return asset_text(_STATIC / "stepthrough.css")
