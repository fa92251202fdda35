"""The step-through presenter: reveal a formulation layer by layer, or replay it session by session.

For seminars and teaching. *Layer by layer* shows the template's layers one at a
time (early experiences first, present problems last); *session by session*
replays the saved versions of the file, marking what each version added,
changed or removed, with its message, author, session and the comments made
in it. Forward and back buttons, a timeline to jump, and keys (→ / Space
forward, ← back, Home / End, F for full screen) while the presenter has the
focus. The graph is a read-only :class:`~workbench.ui.graph_view.GraphView`;
every element keeps one place through all steps, so nothing jumps.

The steps are plain data (:func:`layer_steps`, :func:`version_steps`), so they
can be checked without a browser.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> past = f.add_element("early_experience", "Father often absent")
>>> fear = f.add_element("unconscious_fear", "Fear of being left")
>>> _ = f.add_link(past, fear, "gives_rise_to")
>>> p = Presenter(f)
>>> p.steps[p.step].title
'Layer 1 of 2: Early experiences'
>>> p.next_button.click()
>>> sorted(p.visible_ids()) == sorted([past, fear] + [ln.id for ln in f.link_records()])
True
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets

from workbench.analysis._phrases import element_phrase
from workbench.diffing import diff
from workbench.errors import SessionError
from workbench.fileformat import history as file_history
from workbench.fileformat import load as file_load
from workbench.model import Formulation
from workbench.render.visdata import edge_for, network_options, node_for
from workbench.ui._panel_kit import StatusLine, esc, guarded, set_choices
from workbench.ui.graph_view import GraphView, mark_diff

__all__ = ["MODES", "Presenter", "PresenterKeys", "Step", "layer_steps", "version_steps"]

_STATIC = Path(__file__).parent / "static"

#: The two ways of stepping, as (button text, value).
MODES = [("Layer by layer", "layers"), ("Session by session", "versions")]

#: Spacing of the presenter's own layered layout (canvas units).
X_GAP = 240
Y_GAP = 160


@dataclass(frozen=True)
class Step:
    """One step of a presentation: what to say and what the graph shows.

    ``nodes`` and ``edges`` hold every item of the whole presentation, those not
    yet shown as invisible placeholders (``shown`` False), so positions never move.
    """

    title: str
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def shown_ids(self) -> set[str]:
        """Return the ids of the nodes and edges visible in this step."""
        return {i["id"] for i in [*self.nodes, *self.edges] if i.get("shown")}


class PresenterKeys(anywidget.AnyWidget):
    """Keys and a full-screen button for the presenter; ``step`` is two-way."""

    _esm = _STATIC / "presenter.js"
    _css = _STATIC / "presenter.css"

    step = traitlets.Int(0, help="The step shown (0-based).").tag(sync=True)
    n_steps = traitlets.Int(0, help="How many steps there are.").tag(sync=True)


def layer_steps(f: Formulation) -> list[Step]:
    """Return the steps that reveal ``f`` one template layer at a time (empty layers are skipped)."""
    layers = sorted({f.template.element_kinds[el.kind].layer for el in f.element_records()})
    positions = layered_positions(
        {el.id: f.template.element_kinds[el.kind].layer for el in f.element_records()},
        [(ln.source, ln.target) for ln in f.link_records()],
    )
    steps = []
    for number, layer in enumerate(layers, start=1):
        shown_layers = set(layers[:number])
        new = [el for el in f.element_records() if f.template.element_kinds[el.kind].layer == layer]
        visible = {el.id for el in f.element_records()
                   if f.template.element_kinds[el.kind].layer in shown_layers}
        nodes = [_placed(node_for(f, el.id), positions, el.id in visible) for el in f.element_records()]
        edges = [_edge_shown(edge_for(f, ln.id), ln.source in visible and ln.target in visible)
                 for ln in f.link_records()]
        new_links = [ln for ln in f.link_records() if ln.source in visible and ln.target in visible
                     and (ln.source in {e.id for e in new} or ln.target in {e.id for e in new})]
        notes = [element_phrase(f, el.id, capital=True) for el in new]
        notes += [f.sentence(ln.id) for ln in new_links]
        steps.append(Step(
            title=f"Layer {number} of {len(layers)}: {f.template.layer_name(layer)}",
            subtitle=f"{f.meta.title or f.meta.case_id} · {f.template.name}",
            notes=tuple(notes),
            nodes=nodes,
            edges=edges,
        ))
    return steps


def version_steps(path: str | Path) -> list[Step]:
    """Return one step per saved version of the file at ``path``, marking what each one changed."""
    hist = file_history(path)
    versions = [file_load(path, int(v)) for v in hist["version"]]
    if not versions:
        return []
    # Place every element that ever appears: its latest kind decides its layer.
    levels: dict[str, int] = {}
    pairs: list[tuple[str, str]] = []
    for f in versions:
        for el in f.element_records():
            levels[el.id] = f.template.element_kinds[el.kind].layer
        pairs += [(ln.source, ln.target) for ln in f.link_records()]
    positions = layered_positions(levels, pairs)
    every_link = _all_links(versions)

    steps = []
    previous: Formulation | None = None
    for index, (f, row) in enumerate(zip(versions, hist.to_dict("records"), strict=True)):
        d = diff(previous if previous is not None else _empty_like(f), f)
        marks: dict[str, str] = {}
        if index:
            marks.update({el.id: "added" for el in d.elements_added})
            marks.update({ln.id: "added" for ln in d.links_added})
            marks.update({c.id: "changed" for c in d.elements_changed if _really_changed(c.fields)})
            marks.update({c.id: "changed" for c in d.links_changed if _really_changed(c.fields)})
            marks.update({el.id: "removed" for el in d.elements_removed})
            marks.update({ln.id: "removed" for ln in d.links_removed})
        cur_nodes = [node_for(f, el.id) for el in f.element_records()]
        cur_edges = [edge_for(f, ln.id) for ln in f.link_records()]
        gone_nodes = [node_for(previous, el.id) for el in d.elements_removed] if previous is not None else []
        gone_edges = [edge_for(previous, ln.id) for ln in d.links_removed] if previous is not None else []
        if marks:
            cur_nodes = mark_diff([*cur_nodes, *gone_nodes], marks)
            cur_edges = mark_diff([*cur_edges, *gone_edges], marks)
        by_id = {n["id"]: n for n in cur_nodes}
        nodes = [
            _placed(by_id[i], positions, True) if i in by_id else _ghost(i, positions)
            for i in positions
        ]
        edge_ids = {e["id"] for e in cur_edges}
        edges = [_edge_shown(e, True) for e in cur_edges]
        edges += [_hidden_edge(ln_id, s, t) for ln_id, (s, t) in every_link.items() if ln_id not in edge_ids]

        notes = []
        if index == 0:
            notes.append(f"{len(f)} elements and {len(f.link_records())} links to begin with.")
        else:
            notes += [f"New: {element_phrase(f, el.id, capital=True)}" for el in d.elements_added]
            notes += [f"New link: {f.sentence(ln.id)}" for ln in d.links_added]
            notes += [f"Removed: {el.label}" for el in d.elements_removed]
            changed = [c for c in d.elements_changed if _really_changed(c.fields)]
            notes += [f"Revised: {f.element(c.id).label} ({', '.join(_field_names(c.fields))})"
                      for c in changed]
        comments = d.comments_added if index else f.comment_records()
        notes += [f"Comment by {c.author or 'someone'}: {c.text}" for c in comments]
        for c in d.comments_changed if index else []:
            if "resolved" in c.fields:
                new_state = "resolved" if c.fields["resolved"][1] else "reopened"
                notes.append(f"Comment {new_state}: {f.comment(c.id).text[:80]}")

        session = f", session {int(row['session'])}" if pd.notna(row["session"]) else ""
        when = str(row["time"]).replace("T", " ").removesuffix("Z")
        steps.append(Step(
            title=f"Version {int(row['version'])} of {len(versions)}: {row['message']}",
            subtitle=f"{row['author']}{session}, {when} UTC",
            notes=tuple(notes),
            nodes=nodes,
            edges=edges,
        ))
        previous = f
    return steps


def layered_positions(
    levels: Mapping[str, int], pairs: Iterable[tuple[str, str]]
) -> dict[str, tuple[int, int]]:
    """Return an ``(x, y)`` for each element: one row per layer, ordered to keep links short.

    Rows go top to bottom by layer; within a row elements are ordered by the mean
    position of the elements they are linked with in the rows above (the
    barycentre heuristic), otherwise in the order given.

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
            centre = sum(placed) / len(placed) if placed else float(order[item] * X_GAP) - 1e6
            return (centre, order[item])

        row.sort(key=key)
        width = (len(row) - 1) * X_GAP
        for i, item in enumerate(row):
            x[item] = i * X_GAP - width / 2
            positions[item] = (round(x[item]), level * Y_GAP)
    return {item: positions[item] for item in levels}


class Presenter:
    """A large, read-only step-through view with buttons, a timeline and keys.

    ``source`` is a formulation (layer by layer only) or the path of a case file
    (both modes; layer by layer shows ``version`` or the latest version).
    """

    def __init__(self, source: Formulation | str | Path, *, mode: str = "layers",
                 version: int | None = None, height: str = "66vh") -> None:
        if isinstance(source, Formulation):
            self.path: Path | None = None
            self.formulation = source
        else:
            self.path = Path(source)
            self.formulation = file_load(self.path, version)
        #: The steps of the current mode, and the one shown (0-based).
        self.steps: list[Step] = []
        self.step = 0
        self._cache: dict[str, list[Step]] = {}
        self._quiet = False

        modes = MODES if self.path is not None else MODES[:1]
        self.mode = w.ToggleButtons(options=modes, value="layers")
        self.back_button = w.Button(description="Back", icon="arrow-left", tooltip="Previous step (←)",
                                    layout=w.Layout(width="110px"))
        self.next_button = w.Button(description="Next", icon="arrow-right", tooltip="Next step (→ or Space)",
                                    button_style="primary", layout=w.Layout(width="110px"))
        self.position = w.Label()
        self.timeline = w.Dropdown(description="Go to", options=[], layout=w.Layout(width="50%"))
        self.title = w.HTML()
        self.notes = w.HTML()
        self.view = GraphView(read_only=True, height=height)
        self.keys = PresenterKeys()
        self.status = StatusLine()

        self.back_button.on_click(lambda _b: self.back())
        self.next_button.on_click(lambda _b: self.forward())
        self.mode.observe(lambda c: self.set_mode(c["new"]), "value")
        self.timeline.observe(self._on_timeline, "value")
        self.keys.observe(self._on_key_step, "step")

        self.widget = w.VBox(
            [
                w.HBox([self.mode, self.keys], layout=w.Layout(align_items="center", flex_flow="row wrap")),
                self.title,
                self.view,
                w.HBox([self.back_button, self.next_button, self.position, self.timeline],
                       layout=w.Layout(align_items="center", flex_flow="row wrap")),
                self.notes,
                self.status,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("wb-presenter")
        self.set_mode(mode)

    # --- stepping -----------------------------------------------------------------------------

    @guarded
    def set_mode(self, mode: str) -> None:
        """Switch between ``"layers"`` and ``"versions"``; start at the first step."""
        if mode not in {value for _, value in MODES}:
            raise SessionError(f"The presenter steps by layers or by versions, not {mode!r}.")
        if mode == "versions" and self.path is None:
            raise SessionError("Stepping session by session needs a saved case file.")
        if self.mode.value != mode:
            self.mode.value = mode  # its observer comes back here
            return
        if mode not in self._cache:
            self._cache[mode] = (layer_steps(self.formulation) if self.path is None or mode == "layers"
                                 else version_steps(self.path))
        self.steps = self._cache[mode]
        self.view.options = _options(self.formulation)
        first = self.steps[0] if self.steps else Step(title="")
        self.view.set_data(first.nodes, first.edges)
        self._quiet = True
        try:
            set_choices(self.timeline, [(s.title, i) for i, s in enumerate(self.steps)], 0)
        finally:
            self._quiet = False
        self.keys.n_steps = len(self.steps)
        self.step = -1
        self.go(0)

    @guarded
    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first and last step)."""
        if not self.steps:
            self.title.value = ("<div class='wb-presenter-title'>Nothing to present: "
                                "the formulation is empty.</div>")
            self.position.value = ""
            self.back_button.disabled = self.next_button.disabled = True
            return
        index = max(0, min(len(self.steps) - 1, int(index)))
        if index == self.step:
            return
        self.step = index
        shown = self.steps[index]
        self.view.update_items(nodes=shown.nodes, edges=shown.edges)
        self.title.value = (f"<div class='wb-presenter-title'>{esc(shown.title)}</div>"
                            f"<div class='wb-presenter-sub'>{esc(shown.subtitle)}</div>")
        items = "".join(f"<li>{esc(note)}</li>" for note in shown.notes)
        self.notes.value = f"<div class='wb-presenter-notes'><ul>{items}</ul></div>" if items else ""
        self.position.value = f"Step {index + 1} of {len(self.steps)}"
        self.back_button.disabled = index == 0
        self.next_button.disabled = index == len(self.steps) - 1
        if self.timeline.value != index:
            self.timeline.value = index
        if self.keys.step != index:
            self.keys.step = index

    def forward(self) -> None:
        """Show the next step."""
        self.go(self.step + 1)

    def back(self) -> None:
        """Show the previous step."""
        self.go(self.step - 1)

    def visible_ids(self) -> set[str]:
        """Return the ids of the elements and links shown in the graph now."""
        return {n["id"] for n in self.view.nodes if n.get("shown")} | {
            e["id"] for e in self.view.edges if e.get("shown")
        }

    # --- helpers --------------------------------------------------------------------------------

    def _on_timeline(self, change: dict[str, Any]) -> None:
        if change["new"] is not None and not self._quiet:
            self.go(change["new"])

    def _on_key_step(self, change: dict[str, Any]) -> None:
        self.go(change["new"])


def _options(f: Formulation) -> dict[str, Any]:
    options = network_options(f.template)
    options["layout"] = {"hierarchical": {"enabled": False}}
    options["physics"] = {"enabled": False}
    options["interaction"] = {**options["interaction"], "keyboard": {"enabled": False}, "dragNodes": False}
    return options


def _placed(item: Mapping[str, Any], positions: Mapping[str, tuple[int, int]], shown: bool) -> dict[str, Any]:
    node = copy.deepcopy(dict(item))
    x, y = positions[node["id"]]
    node.update({"x": x, "y": y, "fixed": True})
    if not shown:
        return _ghost(node["id"], positions)
    node["shown"] = True
    return node


def _ghost(node_id: str, positions: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """An invisible placeholder that keeps a node's place (and the zoom) until it is shown."""
    x, y = positions[node_id]
    clear = "rgba(0,0,0,0)"
    return {"id": node_id, "x": x, "y": y, "fixed": True, "label": "", "title": "", "shape": "dot", "size": 1,
            "opacity": 0.0, "chosen": False, "color": {"background": clear, "border": clear},
            "font": {"color": clear}, "shown": False}


def _edge_shown(item: Mapping[str, Any], shown: bool) -> dict[str, Any]:
    edge = copy.deepcopy(dict(item))
    edge["hidden"] = not shown
    edge["shown"] = shown
    return edge


def _hidden_edge(link_id: str, source: str, target: str) -> dict[str, Any]:
    return {"id": link_id, "from": source, "to": target, "hidden": True, "shown": False, "label": "",
            "title": ""}


def _all_links(versions: list[Formulation]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for f in versions:
        for ln in f.link_records():
            found[ln.id] = (ln.source, ln.target)
    return found


def _empty_like(f: Formulation) -> Formulation:
    empty = Formulation(f.meta, f.template)
    return empty


_STAMPS = {"updated", "created"}


def _really_changed(fields: Mapping[str, Any]) -> bool:
    return bool(set(fields) - _STAMPS)


def _field_names(fields: Mapping[str, Any]) -> list[str]:
    return [name.replace("_", " ") for name in fields if name not in _STAMPS]
