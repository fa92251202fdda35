"""The step-through presenter: reveal a formulation layer by layer, session by session, or version by version.

For seminars and teaching, in the notebook or the app (the same steps as the
standalone page of :mod:`workbench.export.stepthrough`, whose step functions
it uses). *Layer by layer* shows the template's layers one at a time (early
experiences first, present problems last); *by first evidence* adds elements
in the session their first evidence comes from; *version by version* replays
the saved versions of the file and marks what each one added, changed or
removed, with its message, author, session and the comments made in it.
Forward and back buttons, a timeline to jump, and keys (→ / Space forward,
← back, Home / End, F for full screen) while the presenter has the focus.
The graph is a read-only :class:`~workbench.ui.graph_view.GraphView`; every
element keeps one place through all steps, so nothing jumps.

The frames are plain data (:func:`frames_for`), so they can be checked without
a browser.

Example
-------
>>> import workbench
>>> f = workbench.new(case_id="T-1")
>>> past = f.add_element("early_experience", "Father often absent")
>>> fear = f.add_element("unconscious_fear", "Fear of being left")
>>> _ = f.add_link(past, fear, "gives_rise_to")
>>> p = Presenter(f)
>>> p.frames[p.step].title
'Early experiences'
>>> p.next_button.click()
>>> sorted(p.visible_ids()) == sorted([past, fear] + [ln.id for ln in f.link_records()])
True
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from workbench.analysis._phrases import element_phrase
from workbench.diffing import FormulationDiff, diff
from workbench.errors import SessionError
from workbench.export import stepthrough
from workbench.fileformat import each_version
from workbench.fileformat import history as file_history
from workbench.fileformat import load as file_load
from workbench.model import Formulation
from workbench.render.visdata import network_options
from workbench.ui._panel_kit import StatusLine, esc, guarded, set_choices
from workbench.ui.graph_sync import diff_marks
from workbench.ui.graph_view import GraphView, mark_diff

__all__ = ["MODES", "Frame", "Presenter", "PresenterKeys", "frames_for", "layered_positions"]

_STATIC = Path(__file__).parent / "static"

#: The ways of stepping, as (button text, value); the last needs a saved file.
MODES = [("Layer by layer", "layers"), ("By first evidence", "sessions"), ("Version by version", "versions")]

#: Spacing of the presenter's own layered layout (canvas units).
X_GAP = 240
Y_GAP = 160


@dataclass(frozen=True)
class Frame:
    """One step as the presenter shows it: the words, and every item of the presentation.

    ``nodes`` and ``edges`` hold every item of all steps; those not shown in this
    step are invisible placeholders (``shown`` False), so positions never move.
    """

    title: str
    detail: str = ""
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
    fit_request = traitlets.Int(0, help="Counts the page's requests to fit the map (after full screen).").tag(
        sync=True
    )
    reveal = traitlets.Bool(False, help="Scroll the presenter into view and focus it when it is shown.").tag(
        sync=True
    )


def frames_for(source: Formulation | str | Path, mode: str = "layers", *, every: str = "auto") -> list[Frame]:
    """Return the presenter's frames for a formulation (or the latest version of a file).

    ``mode``: ``"layers"``, ``"sessions"`` (by first evidence) or ``"versions"``
    (needs a file). The steps come from :mod:`workbench.export.stepthrough`; the
    presenter adds fixed places and, for versions, marks and lists what changed.
    ``every`` picks the versions shown (see :func:`workbench.export.stepthrough.pick_versions`:
    a long history is shown by session); the file is read once, front to back.
    """
    if mode == "versions":
        if isinstance(source, Formulation):
            raise SessionError("Stepping version by version needs a saved case file.")
        wanted = set(stepthrough.pick_versions(file_history(source), every))
        pairs = list(each_version(source, wanted))
        versions = [f for _, f in pairs]
        steps = stepthrough.version_steps(pairs)
        return _frames(steps, versions)
    f = source if isinstance(source, Formulation) else file_load(source)
    if mode == "layers":
        return _frames(stepthrough.layer_steps(f), None)
    if mode == "sessions":
        return _frames(stepthrough.session_steps(f), None)
    raise SessionError(f"The presenter steps by layers, sessions or versions, not {mode!r}.")


def layered_positions(
    levels: Mapping[str, int], pairs: Iterable[tuple[str, str]]
) -> dict[str, tuple[int, int]]:
    """Return an ``(x, y)`` for each element: one row per level, ordered to keep links short.

    Rows go top to bottom by level; within a row elements are ordered by the mean
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

    ``source`` is a formulation or the path of a case file (then version by
    version is offered too; the other modes show ``version``, or the latest).
    ``every``: which versions version by version shows: ``"auto"`` (every one of a
    short history, the last save of each session of a long one), ``"version"`` or
    ``"session"``.
    """

    def __init__(self, source: Formulation | str | Path, *, mode: str = "layers",
                 version: int | None = None, height: str = "62vh", every: str = "auto") -> None:
        if isinstance(source, Formulation):
            self.path: Path | None = None
            self.formulation = source
        else:
            self.path = Path(source)
            self.formulation = file_load(self.path, version)
        #: The frames of the current mode, and the one shown (0-based).
        self.frames: list[Frame] = []
        self.step = -1
        #: Which versions "version by version" shows (see :func:`workbench.export.stepthrough.pick_versions`).
        self.every = every
        self._cache: dict[str, list[Frame]] = {}
        self._quiet = False

        modes = MODES if self.path is not None else MODES[:2]
        self.mode = w.ToggleButtons(options=modes, value="layers", tooltips=[
            "Reveal the template's layers one by one",
            "Add elements in the session their first evidence comes from",
            "Replay the saved versions of the file",
        ][: len(modes)])
        self.mode.style.button_width = "auto"
        self.back_button = w.Button(description="Back", icon="arrow-left", tooltip="Previous step (←)",
                                    layout=w.Layout(width="120px", height="40px"))
        self.next_button = w.Button(description="Next", icon="arrow-right", tooltip="Next step (→ or Space)",
                                    button_style="primary", layout=w.Layout(width="120px", height="40px"))
        self.position = w.Label()
        self.timeline = w.Dropdown(description="Go to", options=[], layout=w.Layout(width="50%"))
        self.title = w.HTML()
        self.notes = w.HTML()
        # The whole map with every label, however small (nothing cut); Full screen draws it larger.
        self.view = GraphView(read_only=True, height=height, min_fit_scale=0)
        self.keys = PresenterKeys()
        self.status = StatusLine()

        self.back_button.on_click(lambda _b: self.back())
        self.next_button.on_click(lambda _b: self.forward())
        self.mode.observe(lambda c: self.set_mode(c["new"]), "value")
        self.timeline.observe(self._on_timeline, "value")
        self.keys.observe(self._on_key_step, "step")
        self.keys.observe(lambda _c: self.view.fit(), "fit_request")

        self.widget = w.VBox(
            [
                w.HBox([self.mode, self.keys], layout=w.Layout(align_items="center", flex_flow="row wrap",
                                                              grid_gap="12px")),
                self.title,
                self.view,
                w.HBox([self.back_button, self.next_button, self.position, self.timeline],
                       layout=w.Layout(align_items="center", flex_flow="row wrap", grid_gap="8px")),
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
        """Step by ``"layers"``, ``"sessions"`` (first evidence) or ``"versions"``; start at step one."""
        if mode not in {value for _, value in MODES}:
            raise SessionError(f"The presenter steps by layers, sessions or versions, not {mode!r}.")
        if mode == "versions" and self.path is None:
            raise SessionError("Stepping version by version needs a saved case file.")
        if self.mode.value != mode:
            self.mode.value = mode  # its observer comes back here
            return
        if mode not in self._cache:
            source = self.path if mode == "versions" and self.path is not None else self.formulation
            self._cache[mode] = frames_for(source, mode, every=self.every)
        self.frames = self._cache[mode]
        self.view.options = _options(self.formulation)
        first = self.frames[0] if self.frames else Frame(title="")
        self.view.set_data(first.nodes, first.edges)
        self._quiet = True
        try:
            set_choices(self.timeline, [(f"{i + 1}. {fr.title}", i) for i, fr in enumerate(self.frames)], 0)
        finally:
            self._quiet = False
        self.keys.n_steps = len(self.frames)
        self.step = -1
        self.go(0)

    @guarded
    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the first and last step)."""
        if not self.frames:
            self.title.value = ("<div class='wb-presenter-title'>Nothing to present: "
                                "the formulation is empty.</div>")
            self.position.value = ""
            self.back_button.disabled = self.next_button.disabled = True
            return
        index = max(0, min(len(self.frames) - 1, int(index)))
        if index == self.step:
            return
        self.step = index
        frame = self.frames[index]
        self.view.update_items(nodes=frame.nodes, edges=frame.edges)
        case = self.formulation.meta
        sub = " · ".join(x for x in (frame.detail, case.title or case.case_id) if x)
        self.title.value = (f"<div class='wb-presenter-title'>{esc(frame.title)}</div>"
                            f"<div class='wb-presenter-sub'>{esc(sub)}</div>")
        items = "".join(f"<li>{esc(note)}</li>" for note in frame.notes)
        self.notes.value = f"<div class='wb-presenter-notes'><ul>{items}</ul></div>" if items else ""
        self.position.value = f"Step {index + 1} of {len(self.frames)}"
        self.back_button.disabled = index == 0
        self.next_button.disabled = index == len(self.frames) - 1
        if self.timeline.value != index:
            self.timeline.value = index
        if self.keys.step != index:
            self.keys.step = index

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

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


def _frames(steps: Sequence[stepthrough.Step], versions: Sequence[Formulation] | None) -> list[Frame]:
    """Turn the export's steps into frames: fixed places for every item, placeholders for hidden ones."""
    latest_nodes: dict[str, dict[str, Any]] = {}
    latest_edges: dict[str, dict[str, Any]] = {}
    for step in steps:
        latest_nodes.update({n["id"]: n for n in step.nodes})
        latest_edges.update({e["id"]: e for e in step.edges})
    positions = layered_positions(
        {i: int(n.get("level", 0)) for i, n in latest_nodes.items()},
        [(e["from"], e["to"]) for e in latest_edges.values()],
    )
    frames = []
    for index, step in enumerate(steps):
        nodes, edges = list(step.nodes), list(step.edges)
        notes = list(step.notes)
        if versions is not None and index:
            before, after = versions[index - 1], versions[index]
            d = diff(before, after)
            marks = {i: m for i, m in diff_marks(d).items() if m != "changed" or i in _really_changed_ids(d)}
            gone_nodes = [latest_nodes[el.id] for el in d.elements_removed if el.id in latest_nodes]
            gone_edges = [latest_edges[ln.id] for ln in d.links_removed if ln.id in latest_edges]
            nodes = mark_diff([*nodes, *gone_nodes], marks)
            edges = mark_diff([*edges, *gone_edges], marks)
            notes += _change_notes(before, after, d)
        elif versions is not None:
            notes += [f"Comment by {c.author or 'someone'}: {c.text}" for c in versions[0].comment_records()]
        shown = {n["id"]: n for n in nodes}
        shown_edges = {e["id"]: e for e in edges}
        frames.append(Frame(
            title=step.title,
            detail="" if _COUNTER.match(step.detail) else step.detail,  # the presenter counts the steps
            notes=tuple(notes),
            nodes=[_placed(shown[i], positions) if i in shown else _ghost(latest_nodes[i], positions)
                   for i in positions],
            edges=[_edge(shown_edges[i], True) if i in shown_edges else _edge(e, False)
                   for i, e in latest_edges.items()],
        ))
    return frames


def _really_changed_ids(d: FormulationDiff) -> set[str]:
    """Ids of elements and links whose content changed (not only their time stamps)."""
    return {c.id for c in [*d.elements_changed, *d.links_changed] if _really_changed(c.fields)}


def _change_notes(before: Formulation, after: Formulation, d: FormulationDiff) -> list[str]:
    notes = [f"New: {element_phrase(after, el.id, capital=True)}" for el in d.elements_added]
    notes += [f"New link: {after.sentence(ln.id)}" for ln in d.links_added]
    notes += [f"Removed: {el.label}" for el in d.elements_removed]
    notes += [f"Revised: {after.element(c.id).label} ({', '.join(_field_names(c.fields))})"
              for c in d.elements_changed if _really_changed(c.fields)]
    notes += [f"Comment by {c.author or 'someone'}: {c.text}" for c in d.comments_added]
    for c in d.comments_changed:
        if "resolved" in c.fields:
            state = "resolved" if c.fields["resolved"][1] else "reopened"
            notes.append(f"Comment {state}: {after.comment(c.id).text}")
    return notes


def _options(f: Formulation) -> dict[str, Any]:
    options = network_options(f.template)
    options["layout"] = {"hierarchical": {"enabled": False}}
    options["physics"] = {"enabled": False}
    options["interaction"] = {**options["interaction"], "keyboard": {"enabled": False}, "dragNodes": False}
    return options


def _placed(item: Mapping[str, Any], positions: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    node = copy.deepcopy(dict(item))
    x, y = positions[node["id"]]
    node.update({"x": x, "y": y, "fixed": True, "shown": True})
    return node


#: A step's own counter in the export's detail line ("Layer 4 of 5", "Step 2 of 3"): the presenter
#: shows one counter of its own ("Step 4 of 4"), so a second, differently counted one is left out.
_COUNTER = re.compile(r"^(Layer|Step) \d+ of \d+$")


def _ghost(node: Mapping[str, Any], positions: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """An invisible placeholder that keeps a node's place (and the zoom) until it is shown.

    It has the node's shape, size and label, drawn in transparent colours, so fitting the map
    to all placeholders leaves room for every label: nothing is cut when the last step shows it.
    """
    ghost = copy.deepcopy(dict(node))
    x, y = positions[str(node["id"])]
    clear = "rgba(0,0,0,0)"
    font = dict(ghost.get("font") or {}) if isinstance(ghost.get("font"), dict) else {}
    font.update({"color": clear, "strokeColor": clear, "background": clear})
    ghost.update({"x": x, "y": y, "fixed": True, "title": "", "opacity": 0.0, "chosen": False,
                  "color": {"background": clear, "border": clear,
                            "highlight": {"background": clear, "border": clear},
                            "hover": {"background": clear, "border": clear}},
                  "font": font, "shadow": False, "shapeProperties": {"borderDashes": False},
                  "borderWidth": 0, "shown": False})
    return ghost


def _edge(item: Mapping[str, Any], shown: bool) -> dict[str, Any]:
    edge = copy.deepcopy(dict(item))
    edge["hidden"] = not shown
    edge["shown"] = shown
    return edge


_STAMPS = {"updated", "created"}


def _really_changed(fields: Mapping[str, Any]) -> bool:
    return bool(set(fields) - _STAMPS)


def _field_names(fields: Mapping[str, Any]) -> list[str]:
    return [name.replace("_", " ") for name in fields if name not in _STAMPS]
