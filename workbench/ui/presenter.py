"""The step-through presenter: reveal a formulation layer by layer, session by session, or version by version.

For seminars and teaching, in the notebook or the app. The steps are the one
step model's (:mod:`workbench.analysis.steps`), drawn by
:func:`workbench.export.stepthrough.steps_for` as the standalone page draws
them, in the same layout; the presenter only adapts them to its widgets.
*Layer by layer* shows the template's layers one at a time (early
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from workbench.analysis.steps import X_GAP, Y_GAP, layered_positions
from workbench.errors import InvalidEntry, InvalidValue, SessionError
from workbench.export import stepthrough
from workbench.model import Formulation
from workbench.render.diffstyle import mark_diff
from workbench.render.visdata import network_options
from workbench.session import read_case
from workbench.ui._panel_kit import StatusLine, esc, guarded, set_choices
from workbench.ui._static import STATIC, static_text
from workbench.ui.graph_view import GraphView

__all__ = ["MODES", "Frame", "Presenter", "PresenterKeys", "frames_for", "layered_positions"]


#: The ways of stepping, as (button text, value); the last needs a saved file.
MODES = [("Layer by layer", "layers"), ("By first evidence", "sessions"), ("Version by version", "versions")]

# layered_positions (in __all__) is the step model's layout (workbench.analysis.steps), importable here too.


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

    #: The step-through keys shared with the standalone page, then the widget's own script.
    _esm = stepthrough.step_keys_js() + "\n" + static_text("presenter.js")
    _css = STATIC / "presenter.css"

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
    (needs a file). The steps come from :func:`workbench.export.stepthrough.steps_for`
    (the step model's frames, drawn); the presenter gives every item its fixed place
    and, for versions, marks what changed. ``every`` picks the versions shown (see
    :func:`workbench.analysis.steps.pick_versions`: a long history is shown by session);
    the file is read once, front to back.
    """
    if mode not in {value for _, value in MODES}:
        raise InvalidEntry(f"The presenter steps by layers, sessions or versions, not {mode!r}.")
    if mode == "versions" and isinstance(source, Formulation):
        raise SessionError("Stepping version by version needs a saved case file.")
    try:
        steps = list(stepthrough.steps_for(source, mode, every=every))
    except OSError as err:
        raise SessionError(f"{source} cannot be read: {err.strerror or err}.") from None
    except InvalidValue as err:
        raise SessionError(str(err)) from None
    return _frames(steps, versions=mode == "versions")


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
            self.formulation = read_case(self.path, version)
        #: The frames of the current mode, and the one shown (0-based).
        self.frames: list[Frame] = []
        self.step = -1
        #: Which versions "version by version" shows (see :func:`workbench.analysis.steps.pick_versions`).
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
            raise InvalidEntry(f"The presenter steps by layers, sessions or versions, not {mode!r}.")
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


def _frames(steps: Sequence[stepthrough.Step], *, versions: bool) -> list[Frame]:
    """Adapt the drawn steps to the presenter: fixed places for every item, placeholders for hidden ones.

    Version by version, what a version added, changed or removed is marked (removed items drawn
    as they were in the version before) and the others faded.
    """
    latest_nodes: dict[str, dict[str, Any]] = {}
    latest_edges: dict[str, dict[str, Any]] = {}
    for step in steps:
        latest_nodes.update({n["id"]: n for n in step.nodes})
        latest_edges.update({e["id"]: e for e in step.edges})
    positions = stepthrough.step_positions(latest_nodes.values(), latest_edges.values(),
                                           x_gap=X_GAP, y_gap=Y_GAP)
    frames = []
    for index, step in enumerate(steps):
        nodes, edges = list(step.nodes), list(step.edges)
        if versions and index:
            marks = step.frame.marks
            nodes = mark_diff([*nodes, *(n for n in step.removed_nodes if n["id"] in positions)], marks)
            edges = mark_diff([*edges, *(e for e in step.removed_edges if e["id"] in latest_edges)], marks)
        shown = {n["id"]: n for n in nodes}
        shown_edges = {e["id"]: e for e in edges}
        frames.append(Frame(
            title=step.title,
            detail=step.frame.detail,  # not the page's counter: the presenter counts the steps itself
            notes=(*step.frame.notes, *step.frame.changes),
            nodes=[_placed(shown[i], positions) if i in shown else _ghost(latest_nodes[i], positions)
                   for i in positions],
            edges=[_edge(shown_edges[i], True) if i in shown_edges else _edge(e, False)
                   for i, e in latest_edges.items()],
        ))
    return frames


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
