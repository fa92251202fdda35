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

The page is :func:`workbench.render.html.render_html`'s offline, escaped page
(vis-network inlined from pyvis, a strict Content-Security-Policy, data as
escaped JSON, every text put in with ``textContent``) with a presenter bar
added through its hooks. Every element keeps one place on the map through all
steps, so nothing jumps when the next layer or version appears.

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

import pandas as pd

from workbench.diffing import diff
from workbench.errors import InvalidValue
from workbench.fileformat import each_version, history
from workbench.model import Formulation
from workbench.render.html import render_html
from workbench.render.visdata import vis_data

__all__ = [
    "AUTO_LIMIT",
    "EVERY",
    "MODES",
    "Step",
    "iter_version_steps",
    "layer_steps",
    "pick_versions",
    "session_steps",
    "stepthrough_html",
    "stepthrough_versions_html",
    "version_steps",
]

#: The ways :func:`stepthrough_html` can reveal one formulation.
MODES = ("layers", "sessions")

#: Which saved versions a step-through by versions shows: ``"auto"`` (every
#: version of a short history, else the last save of each session), every
#: ``"version"``, or the last save of each ``"session"``.
EVERY = ("auto", "version", "session")

#: A history longer than this is shown by session under ``every="auto"``, and at
#: most this many steps (spread evenly, the newest version always last).
AUTO_LIMIT = 100

Revision = int | Mapping[str, Any]


@dataclass
class Step:
    """One step of a step-through: what it is called and what is on the map."""

    title: str
    detail: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def stepthrough_html(f: Formulation, *, mode: str = "layers", title: str | None = None) -> str:
    """Return a standalone offline page that reveals ``f`` step by step.

    ``mode`` is ``"layers"`` (one step per template layer that has elements)
    or ``"sessions"`` (one step per session, by each element's first evidence).
    ``title`` replaces the case title in the heading.
    """
    if mode == "layers":
        steps = layer_steps(f)
        kind = "layers"
    elif mode == "sessions":
        steps = session_steps(f)
        kind = "sessions"
    else:
        raise InvalidValue(f"There is no step-through mode {mode!r}; modes are: {', '.join(MODES)}.")
    return _page(f, steps, kind, title)


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
    if isinstance(source, (str, Path)):
        pairs: Iterable[tuple[Revision, Formulation]] = each_version(
            source, set(pick_versions(history(source), every))
        )
    else:
        pairs = source
    last: list[Formulation] = []

    def remembered() -> Iterator[tuple[Revision, Formulation]]:
        for revision, f in pairs:
            last[:] = [f]
            yield revision, f

    packed = _pack(iter_version_steps(remembered()))
    if not last:
        raise InvalidValue("There are no versions to step through.")
    return _page(last[0], packed, "versions", title)


def pick_versions(table: pd.DataFrame, every: str = "auto", *, limit: int = AUTO_LIMIT) -> list[int]:
    """Return the version numbers a step-through by versions shows, from a :func:`workbench.history` table.

    ``every="version"``: all of them. ``"session"``: the last save of each run of
    saves with the same session number. ``"auto"``: all of them up to ``limit``
    versions; beyond that, by session, and if there are still more than
    ``limit`` sessions, ``limit`` of them spread evenly, the newest always last.
    """
    if every not in EVERY:
        raise InvalidValue(f"Versions are shown by {', '.join(EVERY)}, not {every!r}.")
    versions = [int(v) for v in table["version"]]
    if every == "version" or (every == "auto" and len(versions) <= limit):
        return versions
    sessions = [_plain(s) for s in table["session"]]
    picked = [v for i, v in enumerate(versions) if i + 1 == len(versions) or sessions[i + 1] != sessions[i]]
    if every == "session" or len(picked) <= limit:
        return picked
    count = len(picked)
    return sorted({picked[count - 1 - (i * (count - 1)) // (limit - 1)] for i in range(limit)})

def layer_steps(f: Formulation) -> list[Step]:
    """Return one step per template layer that has elements, each adding that layer to the map.

    A layer wrapped onto several rows of the map (see
    :func:`workbench.render.visdata.levels`) is still one step.
    """
    template = f.template
    data = vis_data(f)
    kinds = template.element_kinds
    layer_of = {el.id: kinds[el.kind].layer for el in f.element_records()}
    layers = sorted(set(layer_of.values()))
    count = len(template.layers) or (max(layers) + 1 if layers else 0)
    steps = []
    for layer in layers:
        nodes = [n for n in data["nodes"] if layer_of[n["id"]] <= layer]
        edges = [e for e in data["edges"] if layer_of[e["from"]] <= layer and layer_of[e["to"]] <= layer]
        names = [k.name for k in kinds.values() if k.layer == layer]
        steps.append(
            Step(
                title=template.layer_name(layer),
                detail=f"Layer {layer + 1} of {max(count, layer + 1)}",
                nodes=nodes,
                edges=edges,
                notes=[" · ".join(names)] if names else [],
            )
        )
    return steps


def session_steps(f: Formulation) -> list[Step]:
    """Return one step per session with evidence, each adding the elements first seen in it.

    Elements whose evidence names no session come in a last step. A link appears
    once both its elements are on the map and its own first session has come.
    """
    data = vis_data(f)
    first: dict[str, int | None] = {}
    for el in f.element_records():
        first[el.id] = min((e.session for e in el.evidence if e.session is not None), default=None)
    for ln in f.link_records():
        first[ln.id] = min((e.session for e in ln.evidence if e.session is not None), default=None)
    sessions = sorted({s for el in f.element_records() if (s := first[el.id]) is not None})
    rounds: list[tuple[str, int | None]] = [(f"Session {s}", s) for s in sessions]
    if any(first[el.id] is None for el in f.element_records()):
        rounds.append(("Not tied to a session", None))
    steps: list[Step] = []
    for number, (name, session) in enumerate(rounds, start=1):
        def due(item_id: str, session: int | None = session) -> bool:
            s = first[item_id]
            return session is None or (s is not None and s <= session)

        shown = {n["id"] for n in data["nodes"] if due(n["id"])}
        edges = [
            e for e in data["edges"]
            if e["from"] in shown and e["to"] in shown and (due(e["id"]) or first[e["id"]] is None)
        ]
        before = (len(steps[-1].nodes), len(steps[-1].edges)) if steps else (0, 0)
        new = [_count(len(shown) - before[0], "new element"), _count(len(edges) - before[1], "new link")]
        steps.append(
            Step(
                title=name,
                detail=f"Step {number} of {len(rounds)}",
                nodes=[n for n in data["nodes"] if n["id"] in shown],
                edges=edges,
                notes=[" · ".join(new)],
            )
        )
    return steps


def version_steps(pairs: Iterable[tuple[Revision, Formulation]]) -> list[Step]:
    """Return one step per saved version, with its date, author, session, message and changes."""
    return list(iter_version_steps(pairs))


def iter_version_steps(pairs: Iterable[tuple[Revision, Formulation]]) -> Iterator[Step]:
    """Yield the steps of :func:`version_steps` one by one, holding only the version before."""
    previous: Formulation | None = None
    for number, (revision, f) in enumerate(pairs, start=1):
        info = _revision_info(revision, number)
        data = vis_data(f)
        detail = []
        if info["time"]:
            detail.append(_when(str(info["time"])))
        if info["session"] not in (None, ""):
            detail.append(f"session {info['session']}")
        if info["author"]:
            detail.append(f"by {info['author']}")
        changes = diff(previous, f).summary() if previous is not None else "The first version"
        notes = [f"“{info['message']}”"] if info["message"] else []
        notes.append(changes)
        yield Step(
            title=f"Version {info['version']}" if info["version"] else f"Step {number}",
            detail=" · ".join(detail),
            nodes=data["nodes"],
            edges=data["edges"],
            notes=notes,
        )
        previous = f


# --- the page ----------------------------------------------------------------------------


@dataclass
class _Packed:
    """Steps as the page holds them: each distinct node and edge once, steps as places in the pools."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    latest_node: dict[str, int] = field(default_factory=dict)
    latest_edge: dict[str, int] = field(default_factory=dict)


def _pack(steps: Iterable[Step]) -> _Packed:
    """Take the steps one at a time, keeping only what the page needs of each."""
    packed = _Packed()
    node_index: dict[str, int] = {}
    edge_index: dict[str, int] = {}
    seen: dict[int, tuple[dict[str, Any], int]] = {}  # the same dict in several steps is keyed once
    for step in steps:
        node_refs = [_intern(n, packed.nodes, node_index, packed.latest_node, seen) for n in step.nodes]
        edge_refs = [_intern(e, packed.edges, edge_index, packed.latest_edge, seen) for e in step.edges]
        packed.steps.append(
            {"title": step.title, "detail": step.detail, "notes": step.notes,
             "nodes": node_refs, "edges": edge_refs}
        )
        items = zip([*step.nodes, *step.edges], [*node_refs, *edge_refs], strict=True)
        seen = {id(item): (item, ref) for item, ref in items}
    return packed


def _page(f: Formulation, steps: list[Step] | _Packed, mode: str, title: str | None) -> str:
    """Build the page: the union of all steps' nodes and edges is drawn once, steps show subsets."""
    packed = steps if isinstance(steps, _Packed) else _pack(steps)
    union = {
        "nodes": [packed.nodes[i] for i in packed.latest_node.values()],
        "edges": [packed.edges[i] for i in packed.latest_edge.values()],
    }
    meta = f.meta
    sub = [f"Case {meta.case_id}", f.template.name]
    if meta.fictional:
        sub.append("fictional case")
    extra = {
        "mode": mode,
        "sub": " · ".join(sub),
        "steps": packed.steps,
        "pool": {"nodes": packed.nodes, "edges": packed.edges},
    }
    return render_html(
        f, title=title, vis=union, extra_data=extra, extra_css=_STEP_CSS, extra_script=_STEP_JS
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


def _revision_info(revision: Revision, number: int) -> dict[str, Any]:
    if isinstance(revision, int):
        return {"version": revision, "time": "", "author": "", "session": None, "message": ""}
    if not isinstance(revision, Mapping):
        raise InvalidValue(
            f"Version {number}: a revision must be a version number or have version, time, author, "
            "session and message."
        )
    info = {name: revision.get(name) for name in ("version", "time", "author", "session", "message")}
    info["version"] = _plain(info["version"]) or number
    for name in ("time", "author", "message"):
        info[name] = "" if _plain(info[name]) is None else str(info[name])
    info["session"] = _plain(info["session"])
    return info


def _plain(value: Any) -> Any:
    """None for missing values (None, NaN, pandas NA), else the value (whole floats as int)."""
    if value is None or value is pd.NA or value != value:  # NaN
        return None
    try:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if hasattr(value, "item"):
            return value.item()
    except (TypeError, ValueError):
        return None
    return value


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _when(time: str) -> str:
    """'2026-11-25T19:10:46Z' -> '2026-11-25 19:10 UTC'."""
    if len(time) >= 16 and time[10] == "T":
        return f"{time[:10]} {time[11:16]} UTC" if time.endswith("Z") else f"{time[:10]} {time[11:16]}"
    return time


_STEP_CSS = """\
body.st-page { font-size: 18px; }
.st-page .wb-header { padding: 8px 28px; }
.st-page .wb-heading { display: flex; align-items: baseline; column-gap: 18px; flex-wrap: wrap; }
.st-page .wb-header h1 { font-size: 22px; max-height: 2.6em; }
.st-page .wb-sub { font-size: 15px; margin: 0; }
.st-page .wb-tools:empty { display: none; }
.st-page .wb-legend { width: 270px; font-size: 15px; }
.st-page .wb-legend h2 { font-size: 13px; }
.st-page .wb-legend h3 { font-size: 14px; }
.st-page.st-no-legend .wb-legend { display: none; }
.st-caption {
  flex: none; padding: 10px 28px 12px; background: #FFFFFF; border-bottom: 1px solid #E2E2DE;
  display: flex; align-items: baseline; column-gap: 22px; row-gap: 2px; flex-wrap: wrap;
}
#st-title { margin: 0; font-size: 32px; font-weight: 650; color: #15202B; overflow-wrap: anywhere; }
#st-detail { margin: 0; font-size: 19px; color: #4A4A47; overflow-wrap: anywhere; }
#st-notes { margin: 0; font-size: 19px; color: #2B4C8C; overflow-wrap: anywhere; }
#st-notes:empty { display: none; }
.st-bar {
  flex: none; display: flex; align-items: center; gap: 14px; padding: 10px 28px;
  background: #1E2A36; color: #FFFFFF;
}
.st-bar button {
  font: inherit; font-size: 20px; font-weight: 600; padding: 9px 22px; border-radius: 10px;
  border: 2px solid #8FA3B8; background: #2C3E50; color: #FFFFFF; cursor: pointer; min-width: 130px;
}
.st-bar button:hover:not(:disabled) { background: #3B5168; }
.st-bar button:focus-visible { outline: 3px solid #F0E442; outline-offset: 2px; }
.st-bar button:disabled { opacity: 0.35; cursor: default; }
.st-bar button.st-small { min-width: 0; font-size: 16px; padding: 8px 14px; font-weight: 500; }
#st-counter { font-size: 20px; font-variant-numeric: tabular-nums; min-width: 72px; text-align: center; }
.st-timeline {
  flex: 1; display: flex; gap: 8px; overflow-x: auto; padding: 4px 2px; min-width: 0;
  justify-content: center;
}
.st-bar .st-timeline button {
  min-width: 44px; flex: none; font-size: 16px; font-weight: 600; padding: 6px 10px; border-radius: 20px;
  border: 2px solid #5E7388; background: transparent; color: #C9D4DF;
}
.st-bar .st-timeline button.st-past { border-color: #A9B8C7; color: #FFFFFF; background: #34495E; }
.st-bar .st-timeline button[aria-current="step"] {
  background: #F0E442; border-color: #F0E442; color: #15202B;
}
"""

# Builds the presenter bar with DOM elements and textContent only, then shows one step at a time.
_STEP_JS = """\
(function () {
  "use strict";
  var extra = JSON.parse(document.getElementById("wb-extra").textContent);
  var wb = window.workbench;
  var steps = extra.steps;
  var body = document.body;
  body.classList.add("st-page", "st-no-legend");  // the caption names the kinds; L shows the legend
  body.setAttribute("data-mode", extra.mode);
  if (wb) {  // projector sizes, set before the first drawing so the layout makes room for them
    wb.network.setOptions({
      nodes: { font: { size: 20 }, widthConstraint: { maximum: 300 } },
      edges: { font: { size: 15 } },
      layout: { hierarchical: { levelSeparation: 190, nodeSpacing: 280 } },
      interaction: { keyboard: { enabled: false } }
    });
  }
  document.getElementById("wb-sub").textContent = extra.sub;

  function el(tag, props, text) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { node.setAttribute(k, props[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }
  var caption = el("section", { "class": "st-caption", "aria-live": "polite" });
  var title = el("h2", { id: "st-title" });
  var detail = el("p", { id: "st-detail" });
  var notes = el("p", { id: "st-notes" });
  caption.appendChild(title); caption.appendChild(detail); caption.appendChild(notes);
  var main = document.querySelector(".wb-main");
  body.insertBefore(caption, main);

  var bar = el("nav", { "class": "st-bar", "aria-label": "Step through" });
  var back = el("button", { id: "st-back", type: "button", title: "Back (Left arrow)" }, "\\u25C0 Back");
  var counter = el("span", { id: "st-counter" });
  var next = el("button", { id: "st-next", type: "button", title: "Next (Right arrow)" }, "Next \\u25B6");
  var timeline = el("div", { "class": "st-timeline", id: "st-timeline", role: "group",
                              "aria-label": "Timeline" });
  var legend = el("button", { id: "st-legend", type: "button", "class": "st-small",
                              title: "Show or hide the legend (L)" }, "Legend");
  var full = el("button", { id: "st-full", type: "button", "class": "st-small",
                            title: "Full screen (F)" }, "Full screen");
  var fit = document.getElementById("wb-fit");
  fit.classList.add("st-small");
  [back, next, counter, timeline, fit, legend, full].forEach(function (n) { bar.appendChild(n); });
  body.appendChild(bar);
  var dots = steps.map(function (step, i) {
    var short = extra.mode === "versions" ? step.title.replace("Version ", "v") : String(i + 1);
    var dot = el("button", { type: "button", "data-step": String(i), title: step.title,
                             "aria-label": step.title }, short);
    dot.addEventListener("click", function () { show(i); });
    timeline.appendChild(dot);
    return dot;
  });

  var current = -1;
  var positions = null;

  function styled(item, old, isNew, isNode) {
    var copy = JSON.parse(JSON.stringify(item));
    copy.title = wb.tooltip(item.title);
    copy.hidden = false;
    copy._new = isNew;
    if (isNode) {
      if (positions && positions[item.id]) { copy.x = positions[item.id].x; copy.y = positions[item.id].y; }
      copy.shadow = isNew ? { enabled: true, color: "rgba(0, 114, 178, 0.8)", size: 28, x: 0, y: 0 }
                          : { enabled: false };
    } else {
      if (old && old.smooth && item.same_level) { copy.smooth = old.smooth; }  // keep the page's bend
      if (isNew) { copy.width = (copy.width || 1) + 2; }
    }
    return copy;
  }

  // Show the step's items (their variant in this step), hide the rest; emphasise what is new.
  function apply(dataset, pool, refs, previous, isNode) {
    var wanted = {};
    refs.forEach(function (i) { wanted[pool[i].id] = i; });
    var updates = [];
    dataset.forEach(function (item) {
      var id = item.id;
      if (Object.prototype.hasOwnProperty.call(wanted, id)) {
        var i = wanted[id];
        var isNew = previous[id] !== i;
        if (item.hidden || item._variant !== i || item._new !== isNew) {
          var copy = styled(pool[i], item, isNew, isNode);
          copy._variant = i;
          updates.push(copy);
        }
      } else if (!item.hidden) {
        updates.push({ id: id, hidden: true });
      }
    });
    dataset.update(updates);
  }

  function refsOf(index) {
    var out = { nodes: {}, edges: {} };
    if (index < 0) { return out; }
    steps[index].nodes.forEach(function (j) { out.nodes[extra.pool.nodes[j].id] = j; });
    steps[index].edges.forEach(function (j) { out.edges[extra.pool.edges[j].id] = j; });
    return out;
  }

  function show(i) {
    if (!steps.length) { return; }
    i = Math.max(0, Math.min(steps.length - 1, i));
    var step = steps[i];
    if (wb) {
      var previous = refsOf(i - 1);  // new = not in the step before, whichever way we came
      apply(wb.nodes, extra.pool.nodes, step.nodes, previous.nodes, true);
      apply(wb.edges, extra.pool.edges, step.edges, previous.edges, false);
    }
    current = i;
    title.textContent = step.title;
    detail.textContent = step.detail;
    notes.textContent = step.notes.join("  \u00B7  ");
    counter.textContent = (i + 1) + " / " + steps.length;
    back.disabled = i === 0;
    next.disabled = i === steps.length - 1;
    dots.forEach(function (dot, j) {
      if (j === i) { dot.setAttribute("aria-current", "step"); } else { dot.removeAttribute("aria-current"); }
      dot.classList.toggle("st-past", j < i);
    });
    if (dots[i] && dots[i].scrollIntoView) {
      dots[i].scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    body.setAttribute("data-step", String(i));
  }

  back.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  legend.addEventListener("click", toggleLegend);
  function toggleLegend() {
    body.classList.toggle("st-no-legend");
    if (wb) { setTimeout(function () { wb.network.redraw(); fitAll(); }, 60); }  // the map changed width
  }
  full.addEventListener("click", toggleFullscreen);
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var k = ev.key;
    if ((k === " " || k === "Enter") && ev.target && ev.target.tagName === "BUTTON") { return; }
    if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "ArrowDown") { show(current + 1); }
    else if (k === "ArrowLeft" || k === "PageUp" || k === "ArrowUp") { show(current - 1); }
    else if (k === "Home") { show(0); }
    else if (k === "End") { show(steps.length - 1); }
    else if (k === "f" || k === "F") { toggleFullscreen(); }
    else if (k === "l" || k === "L") { toggleLegend(); }
    else { return; }
    ev.preventDefault();
  });

  // Frame every element of every step, shown or not, so the camera stays put while stepping.
  function fitAll() { wb.network.fit({ nodes: wb.nodes.getIds(), animation: false }); }

  function start() {
    if (wb) {
      // keep every element where the full map puts it, so nothing jumps between steps
      positions = wb.network.getPositions();
      wb.network.setOptions({ layout: { hierarchical: { enabled: false } }, physics: { enabled: false } });
      wb.nodes.update(Object.keys(positions).map(function (id) {
        return { id: id, x: positions[id].x, y: positions[id].y };
      }));
      fitAll();
      fit.addEventListener("click", fitAll);  // after the page's own handler: frame the whole map
      var pending = null;
      window.addEventListener("resize", function () {  // e.g. entering full screen on the projector
        clearTimeout(pending);
        pending = setTimeout(fitAll, 150);
      });
    }
    if (!steps.length) {
      title.textContent = "Nothing to step through yet";
      back.disabled = true; next.disabled = true;
      body.setAttribute("data-step", "-1");
      body.setAttribute("data-stepthrough", "ready");
      return;
    }
    show(0);
    body.setAttribute("data-stepthrough", "ready");
  }
  if (wb) { wb.network.once("afterDrawing", start); } else { start(); }
})();
"""
