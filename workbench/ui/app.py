"""The Formulation Workbench app: header on top, the live graph in the centre, editors in tabs.

Stable CSS classes for browser tests (``widget.add_class``):

- app and layout: ``wb-app``, ``wb-main``, ``wb-header``, ``wb-header-info``, ``wb-unsaved``
  (``wb-dirty`` is added to ``wb-header`` while there are unsaved changes; the mark inside is a
  ``span.wb-unsaved-mark``, else ``span.wb-saved-mark``), ``wb-undo``, ``wb-redo``,
  ``wb-graph`` (the GraphView), ``wb-legend``, ``wb-fit``, ``wb-relayout``, ``wb-tabs``, ``wb-status``
  (``wb-status-error`` while it shows an error)
- element editor: ``wb-element-panel``, ``wb-element-search``, ``wb-element-filter``, ``wb-element-list``,
  ``wb-element-kind``, ``wb-element-label``, ``wb-element-description``, ``wb-element-status``,
  ``wb-element-time-frame``, ``wb-element-tags``, ``wb-element-code``, ``wb-element-confidence``
  (the level buttons), ``wb-element-confidence-number`` (an optional exact number),
  ``wb-element-message`` (the tab's messages; also ``wb-link-message``, ``wb-save-message-line``,
  ``wb-history-message``: each tab's line next to its buttons, class ``wb-status-near``),
  ``wb-element-add-evidence``, ``wb-element-evidence-session`` / ``-date`` / ``-quote`` / ``-remove``,
  ``wb-add-element``, ``wb-update-element``, ``wb-delete-element``, ``wb-clear-element``,
  ``wb-element-confirm-yes``, ``wb-element-confirm-no``, ``wb-element-editing``
- link editor: ``wb-link-panel``, ``wb-link-search``, ``wb-link-list``, ``wb-link-source``,
  ``wb-link-target``, ``wb-link-kind``, ``wb-link-sentence``, ``wb-link-description``, ``wb-link-status``,
  ``wb-link-weight``, ``wb-link-confidence``, ``wb-link-confidence-number``, ``wb-link-add-evidence``,
  ``wb-link-evidence-session`` / ``-date`` / ``-quote`` / ``-remove``, ``wb-add-link``,
  ``wb-update-link``, ``wb-delete-link``, ``wb-clear-link``, ``wb-link-editing``; From and To are
  element pickers (an ``input`` inside, ``li.wb-picker-option`` suggestions), with ``wb-link-source-hint``,
  ``wb-link-target-hint`` under them
- saving: ``wb-save-panel``, ``wb-save-path``, ``wb-save-message``, ``wb-save-author``,
  ``wb-save-session``, ``wb-save-button``, ``wb-conflict-box``, ``wb-save-conflict``, ``wb-copy-path``,
  ``wb-save-copy``
- history: ``wb-history-panel``, ``wb-history-table``, ``wb-history-version``, ``wb-history-view``,
  ``wb-history-restore``, ``wb-history-restore-author``, ``wb-history-restore-session``,
  ``wb-history-confirm-yes``, ``wb-history-confirm-no``, ``wb-diff-a``, ``wb-diff-b``,
  ``wb-history-compare``, ``wb-history-back``, ``wb-diff-list``, ``wb-history-refresh``
- sessions: see :mod:`workbench.ui.sessions_panel` (``wb-sessions-panel`` and the classes listed there);
  the element and link editors show the quotes behind the record in ``wb-element-quotes`` / ``wb-link-quotes``
- start panel: ``wb-start``, ``wb-start-template``, ``wb-start-case-id``, ``wb-start-title``,
  ``wb-start-path``, ``wb-start-create``, ``wb-open-path``, ``wb-open-button``, ``wb-recent-list``,
  ``wb-open-recent``, ``wb-start-folder`` (where bare file names go); in the Case tab also
  ``wb-discard`` (discard unsaved changes when opening another)
- inside the graph (``wb-graph``): ``.wb-graph-canvas`` (focusable), ``.wb-graph-caption`` (e.g.
  "Version 2 (read-only)"), ``.wb-graph-readonly`` on the root while read-only, ``.wb-graph-tip`` (tooltips)
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as w

from workbench.render.visdata import legend_items, link_legend_items
from workbench.session import EditSession, SessionEvent, case_path
from workbench.templates import Template
from workbench.ui._common import NOT_OPENED, StatusLine, esc, failure_message, guarded
from workbench.ui._static import style_html
from workbench.ui.element_panel import ElementPanel
from workbench.ui.graph_sync import GraphBinding
from workbench.ui.graph_view import GraphView
from workbench.ui.header import CaseHeader
from workbench.ui.history_panel import HistoryPanel
from workbench.ui.lazy_tabs import LazyTabs
from workbench.ui.link_panel import LinkPanel
from workbench.ui.save_panel import SavePanel
from workbench.ui.sessions_panel import SessionsPanel
from workbench.ui.start_panel import StartPanel
from workbench.ui.supervision import SupervisionPanels, attach_to_app

__all__ = ["App", "app"]

#: Tab order of the editors at the side (the *Supervise* tab follows them).
TABS = ("Element", "Link", "Save", "History", "Sessions", "Case")
#: The tabs built only when first opened (or first asked for in code): fewer widgets at start.
LAZY_TABS = ("History", "Case", "Supervise", "Sessions")

#: Small inline SVG symbols for the legend, one per vis-network shape (no icon font needed).
_SYMBOLS = {
    "box": "<rect x='1' y='3' width='12' height='8' rx='2'/>",
    "database": "<rect x='2' y='1' width='10' height='12' rx='3'/>",
    "ellipse": "<ellipse cx='7' cy='7' rx='6' ry='4'/>",
    "circle": "<circle cx='7' cy='7' r='6'/>",
    "dot": "<circle cx='7' cy='7' r='4'/>",
    "diamond": "<polygon points='7,1 13,7 7,13 1,7'/>",
    "square": "<rect x='2' y='2' width='10' height='10'/>",
    "triangle": "<polygon points='7,1 13,13 1,13'/>",
    "triangleDown": "<polygon points='1,1 13,1 7,13'/>",
    "hexagon": "<polygon points='4,1 10,1 13,7 10,13 4,13 1,7'/>",
    "star": "<polygon points='7,1 8.8,5.2 13,5.4 9.7,8.2 10.8,12.6 7,10.2 3.2,12.6 4.3,8.2 1,5.4 5.2,5.2'/>",
    "text": "<text x='3' y='12' font-size='12'>T</text>",
}


#: Height of the map: the viewport less the header, the legend and the page's own bars
#: (``--wb-chrome``: JupyterLab's menus, toolbar and status bar take more than Voilà's margins),
#: so header, status, map and legend fit on a 1280x800 screen; never tiny, never huge.
GRAPH_HEIGHT = "clamp(360px, calc(100vh - var(--wb-chrome, 250px)), 760px)"
#: The side panel is as tall as the map and its legend row; its content scrolls inside.
SIDE_HEIGHT = "clamp(404px, calc(100vh - var(--wb-chrome, 250px) + 44px), 804px)"

#: The app's styles (``ui/static/app.css``) and the status lines'.
_STYLE = style_html("app.css", "status.css")


class App(w.VBox):  # type: ignore[misc]
    """The whole workbench in one widget. Build it with :func:`app`.

    ``session`` is ``None`` until a case is opened or started from the start panel.
    File names that are not absolute are taken inside ``folder`` (default: the
    working directory); every message names the full path.
    """

    def __init__(self, path: str | Path | None = None, *, template: str | None = None,
                 folder: str | Path | None = None) -> None:
        self.status = StatusLine()
        #: The folder the app was opened on: relative file names are taken inside it.
        self.folder = Path(os.path.abspath(folder)) if folder is not None else Path.cwd()
        self.session: EditSession | None = None
        self._start: StartPanel | None = None
        self._lazy: LazyTabs | None = None
        self._stop: list[object] = []
        self._style = w.HTML(_STYLE)
        super().__init__([self._style], layout=w.Layout(width="100%"))
        self.add_class("wb-app")
        target: Path | None = None
        try:
            target = case_path(path, self.folder) if path is not None else None
            if target is not None and target.exists():
                self._begin(EditSession.open_file(target, folder=self.folder))
                return
        except Exception as err:  # told as workbench.supervise, teach and trace tell it
            self._show_start(target, template)
            self.status.error(failure_message(err, then=NOT_OPENED))
            return
        self._show_start(target, template)
        if target is not None:
            self.status.info(f"There is no case at {target} yet: start a new one there, or open another one.")

    # --- the tabs built when first needed ------------------------------------------------

    @property
    def start(self) -> StartPanel | None:
        """The start panel: the start screen's, or (with a case open) the Case tab's."""
        self._ensure("Case")
        return self._start

    @start.setter
    def start(self, panel: StartPanel | None) -> None:
        self._start = panel

    @property
    def history(self) -> HistoryPanel:
        """The History tab's panel (built now if the tab was never opened)."""
        self._ensure("History")
        return self._history

    @property
    def discard(self) -> w.Checkbox:
        """The Case tab's "Discard unsaved changes" tick box."""
        self._ensure("Case")
        return self._discard

    @property
    def supervision(self) -> SupervisionPanels:
        """The Supervise tab's panels (built now if the tab was never opened)."""
        self._ensure("Supervise")
        return self._supervision

    def _ensure(self, title: str) -> None:
        if self._lazy is not None:
            self._lazy.ensure(title)

    def _built(self, title: str) -> bool:
        return self._lazy is not None and self._lazy.built(title)

    def _build_history(self) -> w.Widget:
        assert self.session is not None
        self._history = HistoryPanel(self.session, self.status, self.binding,
                                     author=lambda: str(self.saving.author.value))
        return self._history

    @property
    def sessions(self) -> SessionsPanel:
        """The Sessions tab's panel: notes, quotes picked from them, the timeline (built now if needed)."""
        self._ensure("Sessions")
        return self._sessions

    def _build_sessions(self) -> w.Widget:
        assert self.session is not None
        index = self._lazy.index("Sessions") if self._lazy is not None else -1
        self._sessions = SessionsPanel(self.session, self.status,
                                       visible=lambda: self.tabs.selected_index == index, graph=self.binding)

        def on_tab(change: dict[str, object]) -> None:
            if change["old"] == index:  # notes typed but not kept are kept on leaving the tab
                self._sessions.keep_pending()
            if change["new"] == index:
                self._sessions.shown()

        self.tabs.observe(guarded(self.status)(on_tab), "selected_index")
        return self._sessions

    def _build_case(self) -> w.Widget:
        self._discard = w.Checkbox(value=False, description="Discard unsaved changes of this case",
                                   indent=False)
        self._discard.add_class("wb-discard")
        self._start = StartPanel(self.status, self._new_case, self._open_case, in_app=True,
                                 folder=self.folder)
        return w.VBox([self._start, self._discard])

    def _build_supervision(self) -> None:
        assert self._lazy is not None
        self._supervision = attach_to_app(self, into=self._lazy.box("Supervise"))

    # --- the two screens ---------------------------------------------------------------

    def _show_start(self, path: Path | None, template: str | None) -> None:
        self.start = StartPanel(self.status, self._new_case, self._open_case, path=path, template=template,
                                folder=self.folder)
        self.children = [self._style, self._start, self.status]

    def _new_case(self, template: str, case_id: str, title: str, path: str) -> None:
        if self.session is not None:
            self.session.start_new(template, case_id=case_id, title=title, path=path or None,
                                   discard=self.discard.value)
            self.discard.value = False
            self.tabs.selected_index = 0
        else:
            self._begin(EditSession.new_case(template, case_id=case_id, title=title, path=path or None,
                                             folder=self.folder))
        assert self.session is not None
        where = f" It will be saved as {self.session.path}." if self.session.path is not None else ""
        self.status.info(f"Started case {case_id.strip()!r}. Add its first element.{where}")

    def _open_case(self, path: str) -> None:
        if not path:
            self.status.error("Please type the path of a case file to open.")
            return
        if self.session is not None:
            self.session.open(path, discard=self.discard.value)
            self.discard.value = False
            self.tabs.selected_index = 0
        else:
            self._begin(EditSession.open_file(path, folder=self.folder))
        assert self.session is not None
        self.status.info(f"Opened {self.session.path}.")

    def _begin(self, session: EditSession) -> None:
        self.session = session
        guard = guarded(self.status)
        self.graph = GraphView(height=GRAPH_HEIGHT)
        self.graph.add_class("wb-graph")
        self.binding = GraphBinding(session, self.graph)
        self.header = CaseHeader(session, self.status, show_status=True)
        self.elements = ElementPanel(session, self.status, on_select=self._select_in_graph)
        self.links = LinkPanel(session, self.status, on_select=self._select_in_graph,
                               visible=self._link_tab_open)
        self.saving = SavePanel(session, self.status, suggest_sessions=True)
        self._start = None  # the start screen's panel is gone; the Case tab builds its own
        self.tabs = w.Tab(children=[self.elements, self.links, self.saving], layout=w.Layout(width="100%"))
        self.tabs.titles = TABS[:3]
        self.tabs.add_class("wb-tabs")
        # History, Case and Supervise are built when first opened (or asked for): about half the widgets.
        self._lazy = LazyTabs(self.tabs)
        self._lazy.add("History", self._build_history)
        self._lazy.add("Sessions", self._build_sessions)
        self._lazy.add("Case", self._build_case)
        self._lazy.add("Supervise", self._build_supervision)
        self.legend = w.HTML()
        self.legend.add_class("wb-legend")
        fit = w.Button(description="Fit", icon="arrows-alt", tooltip="Zoom to show the whole map",
                       layout=w.Layout(width="52px", flex="0 0 auto"))
        relayout = w.Button(description="", icon="sitemap",  # an icon only: the legend gets the room
                            layout=w.Layout(width="32px", flex="0 0 auto"),
                            tooltip="Re-arrange: lay the map out in layers again "
                                    "(elements you dragged stay where you put them)")
        fit.add_class("wb-fit")
        relayout.add_class("wb-relayout")
        fit.on_click(guard(lambda _b: self.graph.fit()))
        relayout.on_click(guard(lambda _b: self.graph.relayout()))
        self.legend.layout = w.Layout(flex="1 1 auto", width="auto", min_width="0")
        # Legend first (it wraps within its box), the two map buttons at the right end.
        tools = w.HBox([self.legend, fit, relayout],
                       layout=w.Layout(align_items="flex-start", width="100%", margin="4px 0 0 0"))
        tools.add_class("wb-map-tools")
        centre = w.VBox([self.graph, tools],
                        layout=w.Layout(flex="1 1 0", min_width="0", padding="0 8px 0 0"))
        side = w.VBox([self.tabs], layout=w.Layout(flex="0 0 440px", width="440px", height=SIDE_HEIGHT))
        side.add_class("wb-side")
        # The status line is in the header (under the case line), where it is always seen.
        body = w.HBox([centre, side], layout=w.Layout(width="100%", margin="4px 0 0 0",
                                                      align_items="flex-start"))
        main = w.VBox([self.header, body], layout=w.Layout(width="100%"))
        main.add_class("wb-main")
        self.children = [self._style, main]
        self.graph.observe(guard(self._on_graph_select), "selected")
        self.tabs.observe(guard(self._on_tab), "selected_index")
        session.observe(guard(self._on_session))
        self._show_legend()

    # --- reacting -------------------------------------------------------------------------

    def _on_session(self, event: SessionEvent) -> None:
        assert self.session is not None
        self.header.refresh()
        if event.kind == "reset":
            self.elements.reset()
            self.links.reset()
            self.saving.refresh()
            if self._built("History"):  # a tab not built yet reads the case when it is built
                self.history.refresh()
            self._show_legend()
            if self._built("Case") and self._start is not None:
                self._start.refresh_recent()
        elif event.kind == "saved":
            self.saving.refresh()
            if self._built("History"):
                self.history.refresh()
        elif event.changes:
            if not self.binding.live:  # an edit while an earlier version is shown: show the case again
                self.history.back()
            self.elements.refresh()
            self.links.refresh()
            self.saving.suggest_session()  # a session added in the Sessions tab is the one saved after
            if event.kind in ("undo", "redo"):  # show the record as it is now in the open form
                f = self.session.formulation
                if self.elements.editing is not None and f.has_element(self.elements.editing):
                    self.elements.show(self.elements.editing)
                if self.links.editing is not None and f.has_link(self.links.editing):
                    self.links.show(self.links.editing)

    def _link_tab_open(self) -> bool:
        # The Link tab's lists follow the case only while it is open (hundreds of entries at 500 elements).
        tabs = getattr(self, "tabs", None)  # None while the panels are built
        return tabs is not None and tabs.selected_index == 1

    def _on_tab(self, change: dict[str, object]) -> None:
        if change["new"] == 1:
            self.links.shown()

    def _on_graph_select(self, change: dict[str, object]) -> None:
        assert self.session is not None
        item = str(change["new"] or "")
        if not item:
            return
        f = self.session.formulation
        if not self.binding.live:
            self.status.info("This is an earlier version, shown read-only; "
                             "'Back to editing' returns to the case.")
            return
        if self.tabs.selected_index == len(TABS):  # the Supervise tab follows the selection itself
            return
        if item in (self.elements.editing, self.links.editing):  # the editor shows it already
            self.tabs.selected_index = 0 if item == self.elements.editing else 1
            return
        if f.has_element(item):
            self.elements.show(item)
            self.tabs.selected_index = 0
            self.status.info(f"Selected {f.element(item).label!r}.")
        elif f.has_link(item):
            self.links.show(item)
            self.tabs.selected_index = 1
            self.status.info(f"Selected the link: {f.sentence(item)}.")

    def _select_in_graph(self, item: str) -> None:
        if self.binding.live:
            self.graph.selected = item

    def _show_legend(self) -> None:
        assert self.session is not None
        t: Template = self.session.formulation.template
        parts = []
        for item in legend_items(t):
            shape = _SYMBOLS.get(str(item["shape"]), _SYMBOLS["dot"])
            symbol = (f"<svg width='14' height='14' viewBox='0 0 14 14' aria-hidden='true' "
                      f"fill='{esc(item['color'])}' stroke='{esc(item['border'])}'>{shape}</svg>")
            parts.append(
                f"<span class='wb-legend-item' title='{esc(item['description'])}'>"
                f"{symbol} {esc(item['name'])}</span>"
            )
        parts.append(_negative_links_legend(t))
        self.legend.value = "".join(parts)


def _negative_links_legend(t: Template) -> str:
    """The legend's note on the blue links ending in a bar (those that weaken their target), if any."""
    negative = [item for item in link_legend_items(t) if item["sign"] < 0]
    if not negative:
        return ""
    color = esc(negative[0]["color"])
    verbs = ", ".join(str(item["verb"]) for item in negative)
    tip = "Blue links ending in a bar weaken or hold back what they point to: " + verbs + "."
    symbol = (f"<svg width='20' height='14' viewBox='0 0 20 14' aria-hidden='true' stroke='{color}' "
              "stroke-width='2'><line x1='1' y1='7' x2='17' y2='7'/>"
              "<line x1='18' y1='2' x2='18' y2='12'/></svg>")
    return f"<span class='wb-legend-item' title='{esc(tip)}'>{symbol} weakens: {esc(verbs)}</span>"


def app(path: str | Path | None = None, *, template: str | None = None,
        folder: str | Path | None = None) -> App:
    """Open the workbench app on the case at ``path``; with no path (or a new one), a start panel.

    Relative file names are taken inside ``folder`` (default: the working directory).

    >>> a = app()                                   # doctest: +SKIP
    >>> a = app("cases/demo.formulation.json")      # doctest: +SKIP
    """
    return App(path, template=template, folder=folder)
