"""Supervision and teaching in one place: the panels together, in the app or on their own.

- :class:`SupervisionPanels` puts the trace, checks, comments and compare panels
  behind one row of buttons, plus an entry that opens the step-through
  presenter, and the CCRT summary (for CCRT formulations). The app shows it
  as its *Supervise* tab (:func:`attach_to_app`), wired to the app's graph
  and status line.
- :class:`Supervision` is a full-width workspace for a seminar: the live graph
  of a case with the panels beside it, and a save row (comments are saved as a
  new version). :func:`supervise` opens one; :func:`teach` opens the presenter.

Example
-------
>>> from workbench.session import EditSession, file_name
>>> s = EditSession.new_case(case_id="T-1")
>>> panels = SupervisionPanels(s, view=None)
>>> [title for title, _ in panels.choice.options]
['Trace', 'Checks', 'Comments', 'Compare', 'Present', 'CCRT']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from workbench.errors import SessionError
from workbench.model import resolve_element
from workbench.session import EditSession, file_name
from workbench.ui._common import open_or_explain
from workbench.ui._panel_kit import StatusLine, esc, guarded, show_highlight
from workbench.ui.ccrt_panel import CCRTPanel
from workbench.ui.checks_panel import ChecksPanel
from workbench.ui.comments_panel import CommentsPanel
from workbench.ui.compare_panel import ComparePanel
from workbench.ui.graph_sync import GraphBinding
from workbench.ui.graph_view import GraphView
from workbench.ui.presenter import Presenter
from workbench.ui.save_panel import SavePanel
from workbench.ui.trace_panel import TracePanel

__all__ = ["PANELS", "Supervision", "SupervisionPanels", "attach_to_app", "supervise", "teach", "trace_case"]

#: The panels, in the order of their buttons.
PANELS = ("Trace", "Checks", "Comments", "Compare", "Present", "CCRT")


class SupervisionPanels:
    """Trace, checks, comments, compare and the presenter entry, one shown at a time.

    ``view`` is the graph to highlight and select in (``None``: trace shows its own);
    ``on_present`` is called with a :class:`Presenter` to put on the page (by
    default it is shown inside the panel).
    """

    def __init__(
        self,
        session: EditSession,
        *,
        view: GraphView | None,
        status: StatusLine | None = None,
        on_select: Callable[[str], None] | None = None,
        on_present: Callable[[Presenter], None] | None = None,
        other: str | Path | None = None,
    ) -> None:
        self.session = session
        self.view = view
        self.status = status if status is not None else StatusLine()
        self.on_present = on_present
        self.presenter: Presenter | None = None
        #: Whether the host shows these panels now (the app turns it off while another tab is open).
        self.visible: Callable[[], bool] = lambda: True
        self.choice = w.ToggleButtons(options=[(name, i) for i, name in enumerate(PANELS)], value=0)
        self.trace = TracePanel(session, view=view, status=self.status)
        self.checks = ChecksPanel(session, view=view, on_select=on_select, status=self.status,
                                  visible=self._is_showing(1))
        self.comments = CommentsPanel(session, view=view, status=self.status)
        self.compare = ComparePanel(session, other=other, status=self.status)
        self.ccrt = CCRTPanel(session, status=self.status, visible=self._is_showing(PANELS.index("CCRT")))
        self.present_mode = w.ToggleButtons(
            options=[("Layer by layer", "layers"), ("By first evidence", "sessions"),
                     ("Version by version", "versions")], value="layers")
        self.present_mode.style.button_width = "auto"
        self.present_button = w.Button(description="Open the presenter", icon="play", button_style="primary")
        self.present_button.on_click(lambda _b: self.open_presenter())
        self.present_box = w.VBox()
        present = w.VBox([
            w.HTML("<b>Step through</b> the formulation for a seminar: layer by layer, by the session of "
                   "each element's first evidence, or version by version (the saved versions of the file). "
                   "The presenter opens large, with a full-screen button and keys."),
            self.present_mode,
            self.present_button,
            self.present_box,
        ])
        self.choice.style.button_width = "auto"
        self.stack = w.Stack(
            [self.trace.widget, self.checks.widget, self.comments.widget, self.compare.widget, present,
             self.ccrt.widget],
            selected_index=0,
        )
        w.jslink((self.choice, "index"), (self.stack, "selected_index"))
        self.panels = (self.trace, self.checks, self.comments, self.compare)
        for index, panel in enumerate(self.panels):
            panel.visible = self._is_showing(index)
        self.choice.observe(self._on_choice, "value")
        parts: list[w.Widget] = [self.choice, self.stack]
        if status is None:
            parts.append(self.status)
        self.widget = w.VBox(parts, layout=w.Layout(width="100%"))
        self.widget.add_class("wb-supervision")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self, name: str) -> None:
        """Show the panel called ``name`` (one of :data:`PANELS`)."""
        self.choice.value = PANELS.index(name)

    @guarded
    def open_presenter(self) -> Presenter:
        """Open the step-through presenter on the case (its saved versions for version by version)."""
        mode = self.present_mode.value
        path = self.session.path
        if mode == "versions" and (path is None or not path.is_file()):
            raise SessionError("Save the case first: version by version replays the saved versions.")
        presenter = Presenter(self.session.formulation if mode != "versions" else path,  # type: ignore[arg-type]
                              mode=mode)
        self.presenter = presenter
        if self.on_present is not None:
            self.on_present(presenter)
        else:
            self.present_box.children = [presenter.widget]
        return presenter

    def clear_highlight(self) -> None:
        """Show the graph plainly again (after trace or checks highlighted part of it)."""
        if self.view is not None and not self.view.read_only:
            show_highlight(self.view, self.session.formulation, set())
        self.trace.highlighted = set()

    def close(self) -> None:
        """Stop every panel listening to the session."""
        for panel in (self.trace, self.checks, self.comments, self.compare, self.ccrt):
            panel.close()

    def _is_showing(self, index: int) -> Callable[[], bool]:
        return lambda: self.visible() and self.choice.value == index

    def shown(self) -> None:
        """The host shows the panels: bring the one on screen up to date."""
        if self.choice.value < len(self.panels):
            self.panels[self.choice.value].shown()
        elif PANELS[self.choice.value] == "CCRT":
            self.ccrt.shown()

    def _on_choice(self, change: dict[str, Any]) -> None:
        self.stack.selected_index = change["new"]
        self.shown()
        if PANELS[change["new"]] not in ("Trace", "Checks") and self.trace.highlighted:
            self.clear_highlight()


def attach_to_app(app: Any, *, into: w.Box | None = None) -> SupervisionPanels:
    """Add the *Supervise* tab to a running :class:`~workbench.ui.app.App`; return its panels.

    The panels use the app's session, graph and status line (messages show in the tab, next
    to its buttons, too); the presenter opens at the top of the app, full width, scrolled into
    view with the keys in it. Leaving the tab clears any highlight. ``into`` is a box that is
    already one of the app's tabs (the app builds this tab when it is first opened): the
    panels go into it instead of a new tab.
    """

    def present(presenter: Presenter) -> None:
        close = w.Button(description="Close the presenter", icon="times")
        close.add_class("wb-presenter-close")
        box = w.VBox([close, presenter.widget], layout=w.Layout(width="100%", margin="0 0 12px 0"))
        box.add_class("wb-presenter-box")
        close.on_click(lambda _b: setattr(app, "children", tuple(c for c in app.children if c is not box)))
        rest = [c for c in app.children if not getattr(c, "_wb_presenter", False)]
        presenter.keys.reveal = True
        app.children = (*rest[:1], box, *rest[1:])  # after the style, above the header and the map
        box._wb_presenter = True

    near = app.status.near("wb-supervise-message")
    panels = SupervisionPanels(app.session, view=app.graph, status=near,
                               on_select=app._select_in_graph, on_present=present)
    panels.widget.children = (*panels.widget.children, near)
    if into is None:
        app.tabs.children = (*app.tabs.children, panels.widget)
        app.tabs.set_title(len(app.tabs.children) - 1, "Supervise")
        index = len(app.tabs.children) - 1
    else:
        into.children = (panels.widget,)
        index = list(app.tabs.children).index(into)

    def left(change: dict[str, Any]) -> None:
        if change["new"] == index:
            panels.shown()
        elif panels.trace.highlighted:
            panels.clear_highlight()

    app.tabs.observe(left, "selected_index")
    panels.visible = lambda: app.tabs.selected_index == index
    if app.tabs.selected_index == index:  # built because the tab was just opened: show it up to date
        panels.shown()
    return panels


class Supervision(w.VBox):  # type: ignore[misc]
    """A seminar workspace: the case's live graph, the supervision panels beside it, a save row."""

    def __init__(self, path: str | Path, *, other: str | Path | None = None) -> None:
        self.session = EditSession.open_file(path)
        self.status = StatusLine()
        self.graph = GraphView(height="700px")
        self.binding = GraphBinding(self.session, self.graph)
        self.saving = SavePanel(self.session, self.status)
        self.panels = SupervisionPanels(self.session, view=self.graph, status=self.status, other=other,
                                        on_present=self._present)
        if other is not None:
            self.panels.show("Compare")
        f = self.session.formulation
        heading = w.HTML()
        heading.value = (f"<b>Supervision</b>: {esc(f.meta.title or f.meta.case_id)} "
                         f"({esc(f.template.name)})")
        # The panels scroll on their own, so the map beside them stays in view.
        right = w.VBox([self.panels.widget], layout=w.Layout(width="100%", height="720px", overflow="auto"))
        body = w.GridBox([self.graph, right],
                         layout=w.Layout(grid_template_columns="minmax(0, 1fr) minmax(0, 1fr)",
                                         grid_gap="12px", width="100%"))
        save = w.Accordion([self.saving], titles=("Save comments and changes as a new version",))
        save.selected_index = None
        self._presenter_box = w.VBox()
        super().__init__([heading, body, save, self.status, self._presenter_box],
                         layout=w.Layout(width="100%"))
        self.add_class("wb-supervision-workspace")

    def _present(self, presenter: Presenter) -> None:
        presenter.keys.reveal = True  # it opens below the workspace: bring it into view
        self._presenter_box.children = [presenter.widget]


def supervise(path: str | Path, other: str | Path | None = None) -> Supervision | StatusLine:
    """Open a case for supervision: trace, checks, comments, compare (with ``other``, if given).

    >>> workbench.supervise("cases/teaching/ccrt_unheard_colleague.formulation.json")  # doctest: +SKIP
    """
    return open_or_explain(lambda: Supervision(path, other=other))


def teach(path: str | Path, *, mode: str = "layers") -> Presenter | StatusLine:
    """Open the step-through presenter on a case file (``mode``: layers, sessions or versions)."""
    return open_or_explain(lambda: Presenter(file_name(path), mode=mode))


def trace_case(
    path: str | Path, label: str | None = None, *, direction: str = "into"
) -> TracePanel | StatusLine:
    """Open the trace panel, with its own graph, on a case file; trace the element called ``label``.

    For teaching: the notebook starts with the symptom (or early experience) to follow.
    ``direction`` is ``"into"`` (its roots), ``"out_of"`` (what it feeds) or ``"both"``.

    >>> trace_case("cases/teaching/malan_cheerful_younger_brother.formulation.json",
    ...            "Anger at being overlooked", direction="out_of")  # doctest: +SKIP
    """
    def open_and_trace() -> TracePanel:
        panel = TracePanel(EditSession.open_file(path))
        if label is not None:
            panel.trace(resolve_element(panel.session.formulation, label), direction)
        return panel

    return open_or_explain(open_and_trace)


