"""The Sessions tab: each session's date and process notes, quotes picked from them, and the timeline.

Pick a session (or add one), write or paste its notes, select a passage, pick the
element or link it speaks for and press *Attach as evidence*: the quote is added to
that element's or link's evidence with the session and where the passage starts.
The notes are kept with the case and saved with the next version (Save tab); they
are private and never exported. Below, the quotes taken from the session (those no
longer found word for word in its notes are flagged) and the session's place in the
timeline: what the formulation held after it, what it added, what rests on it.

Stable CSS classes for browser tests: ``wb-sessions-panel``, ``wb-sessions-pick``,
``wb-sessions-number``, ``wb-sessions-date``, ``wb-sessions-add``, ``wb-sessions-notes``,
``wb-sessions-keep``, ``wb-sessions-selected``, ``wb-sessions-target`` (the picker),
``wb-sessions-attach``, ``wb-sessions-quotes``, ``wb-sessions-timeline-show``,
``wb-sessions-timeline``, ``wb-sessions-map``, ``wb-sessions-back``, ``wb-sessions-remove`` (with
``wb-sessions-confirm-yes`` / ``-no``), ``wb-sessions-message``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from workbench.analysis.evidence import quotes
from workbench.analysis.timeline import SessionView, Timeline
from workbench.errors import InvalidValue
from workbench.model import Formulation, element_names, resolve_element
from workbench.session import EditSession, SessionEvent
from workbench.ui._common import ConfirmBar, StatusLine, esc, full_width, guarded
from workbench.ui.element_picker import ElementPicker
from workbench.ui.graph_sync import GraphBinding
from workbench.ui.notes_area import NotesArea
from workbench.ui.quotes_view import quotes_html

__all__ = ["SessionsPanel", "timeline_html"]

#: How the picker names a link: this prefix, then the link as a sentence.
LINK_PREFIX = "Link: "

class SessionsPanel(w.VBox):  # type: ignore[misc]
    """Session notes, evidence picked from them, and the session timeline (see the module)."""

    def __init__(self, session: EditSession, status: StatusLine,
                 visible: Callable[[], bool] | None = None, graph: GraphBinding | None = None) -> None:
        self.session = session
        #: The live map, to show what the formulation held after a session (None: no map).
        self.graph = graph
        #: Whether the panel is on screen: while it is not, edits elsewhere only mark it stale
        #: (its lists are sent to the page again when it is shown, see :meth:`shown`).
        self.visible: Callable[[], bool] = visible if visible is not None else (lambda: True)
        self._stale = False
        self._updating = False
        #: This tab's message line, next to its buttons (it passes each message on to ``status``).
        self.status = status.near("wb-sessions-message")
        guard = guarded(self.status)
        small = {"description_width": "60px"}
        self.pick = w.Dropdown(description="Session", style=small, layout=w.Layout(width="60%"))
        self.number = w.BoundedIntText(value=1, min=0, max=10**6, description="New", style=small,
                                       layout=w.Layout(width="130px"))
        self.add_button = w.Button(description="Add session", icon="plus", layout=w.Layout(width="120px"),
                                   tooltip="Add a session with this number, to write its notes")
        self.remove_button = w.Button(
            description="Remove…", icon="trash", layout=w.Layout(width="100px"),
            tooltip="Remove this session and its notes (earlier versions keep them)")
        self.confirm = ConfirmBar("wb-sessions")
        self.date = w.Text(description="Date", placeholder="2024-03-18", style=small,
                           layout=w.Layout(width="200px"))
        self.notes = NotesArea(rows=12,
                               placeholder="The process notes of this session: type or paste them.")
        self.keep_button = w.Button(
            description="Keep notes", icon="check", button_style="primary",
            tooltip="Keep these notes and date in the case (saved with the next version)")
        self.selected = w.HTML(layout=full_width())
        self.target = ElementPicker(description="Attach to", placeholder="element or link: type part of it")
        self.attach_button = w.Button(
            description="Attach as evidence", icon="paperclip", layout=w.Layout(width="170px"),
            tooltip="Add the selected passage to the evidence of this element or link")
        self.quotes = w.HTML(layout=w.Layout(width="100%", max_height="220px", overflow="auto"))
        self.timeline_button = w.Button(
            description="Show timeline", icon="clock-o", layout=w.Layout(width="140px"),
            tooltip="What the formulation held after this session, and what it added")
        self.timeline = w.HTML(layout=w.Layout(width="100%", max_height="320px", overflow="auto"))
        self.map_button = w.Button(
            description="Show on the map", icon="map", layout=w.Layout(width="150px"),
            tooltip="Draw the formulation as it was after this session, what it added marked (read-only)")
        self.back_button = w.Button(description="Back to editing", icon="pencil", button_style="info",
                                    layout=w.Layout(width="150px", display="none"),
                                    tooltip="Show the case being edited again")
        for widget, name in [
            (self.pick, "wb-sessions-pick"), (self.number, "wb-sessions-number"),
            (self.add_button, "wb-sessions-add"), (self.date, "wb-sessions-date"),
            (self.notes, "wb-sessions-notes"), (self.keep_button, "wb-sessions-keep"),
            (self.selected, "wb-sessions-selected"), (self.target, "wb-sessions-target"),
            (self.attach_button, "wb-sessions-attach"), (self.quotes, "wb-sessions-quotes"),
            (self.timeline_button, "wb-sessions-timeline-show"), (self.timeline, "wb-sessions-timeline"),
            (self.map_button, "wb-sessions-map"), (self.back_button, "wb-sessions-back"),
            (self.remove_button, "wb-sessions-remove"),
        ]:
            widget.add_class(name)
        private = w.HTML("<span class='wb-hint'>Private: notes are saved with the case's versions and never "
                         "exported, not even in share-safe copies.</span>")
        super().__init__([
            w.HBox([self.pick, self.remove_button], layout=full_width()),
            self.confirm,
            w.HBox([self.number, self.add_button], layout=w.Layout(flex_flow="row wrap")),
            private,
            self.date,
            self.notes,
            w.HBox([self.keep_button]),
            self.selected,
            self.target,
            w.HBox([self.attach_button]),
            self.status,
            w.HTML("<b>Quotes from this session</b>"),
            self.quotes,
            w.HBox([w.HTML("<b>Timeline</b>&nbsp;"), self.timeline_button, self.map_button, self.back_button],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            self.timeline,
        ], layout=w.Layout(width="100%", padding="4px"))
        self.add_class("wb-sessions-panel")
        self._targets: dict[str, str] = {}
        self._timeline_key: tuple[Any, ...] | None = None
        self._timeline_cache: Timeline | None = None
        #: The session whose notes the form shows (what a switch keeps the typed notes of).
        self.showing: int | None = None
        self.pick.observe(guard(self._on_pick), "value")
        self.add_button.on_click(guard(lambda _b: self.add()))
        self.remove_button.on_click(guard(lambda _b: self.ask_remove()))
        self.keep_button.on_click(guard(lambda _b: self.keep()))
        self.attach_button.on_click(guard(lambda _b: self.attach()))
        self.timeline_button.on_click(guard(lambda _b: self.show_timeline()))
        self.map_button.on_click(guard(lambda _b: self.show_on_map()))
        self.back_button.on_click(guard(lambda _b: self.back()))
        if graph is None:
            self.map_button.layout.display = "none"
        self.notes.observe(lambda _c: self._show_selected(), ["selection_start", "selection_end", "value"])
        self._stop = session.observe(guard(self._on_session))
        self.refresh()

    # --- reading ---------------------------------------------------------------------

    @property
    def current(self) -> int | None:
        """The number of the session shown (None when the case has no sessions yet)."""
        value = self.pick.value
        return int(value) if value is not None else None

    @property
    def formulation(self) -> Formulation:
        """The case being edited."""
        return self.session.formulation

    def refresh(self, *, keep_typed: bool = False) -> None:
        """Read the sessions, the attach targets and the shown session's quotes from the case again.

        With ``keep_typed``, notes typed but not kept yet stay in the form (an element was edited).
        """
        f = self.formulation
        sessions = f.session_notes()
        options = [(_session_title(s.number, s.date), s.number) for s in sessions]
        keep = self.current
        self._updating = True  # new options pass the dropdown through other values: not a pick
        try:
            if [tuple(o) for o in self.pick.options] != options:
                self.pick.options = options
                if options:  # the next number to add, unless the user is typing one
                    self.number.value = max(n for _, n in options) + 1
            if options:
                numbers = [n for _, n in options]
                wanted = keep if keep in numbers else numbers[-1]
                if self.pick.value != wanted:
                    self.pick.value = wanted
        finally:
            self._updating = False
        links = {LINK_PREFIX + f.sentence(ln.id): ln.id for ln in f.link_records()}
        self._targets = {**element_names(f), **links}
        names = list(self._targets)
        if list(self.target.options) != names:
            self.target.options = names
        self.show(self.current, keep_typed=keep_typed)

    def show(self, number: int | None, *, keep_typed: bool = False) -> None:
        """Show a session's date, notes and quotes in the form (an empty form for None).

        With ``keep_typed``, notes typed but not kept yet for that same session stay in the form.
        """
        typed = keep_typed and number is not None and number == self.showing and self.pending()
        self.showing = number
        for widget in (self.date, self.notes, self.keep_button, self.attach_button, self.target,
                       self.timeline_button, self.map_button, self.remove_button):
            widget.disabled = number is None
        if number is None:
            self.date.value, self.notes.value = "", ""
            self.quotes.value = "<span class='wb-hint'>No sessions yet: add one to write its notes.</span>"
            self.timeline.value = ""
            self._show_selected()
            return
        note = self.formulation.session_note(number)
        if not typed:
            if self.notes.value != note.text:
                self.notes.value = note.text
                self.notes.select(0, 0)
            self.date.value = note.date or ""
        self.quotes.value = quotes_html([q for q in quotes(self.formulation) if q.session == number])
        self.timeline.value = ""
        self._show_selected()

    # --- acting ----------------------------------------------------------------------------

    def add(self, number: int | None = None, date: str | None = None) -> int:
        """Add a session (the number in the *New* field by default) and show it."""
        number = int(self.number.value) if number is None else number
        self.session.add_session(number, date=date)
        self.pick.value = number
        self.status.info(f"Session {number} added: write or paste its notes, then press Keep notes.")
        return number

    def pending(self) -> bool:
        """Whether the form holds notes or a date not kept in the case yet."""
        number = self.showing
        if number is None or not self.formulation.session_notes() or number not in {
            s.number for s in self.formulation.session_notes()
        }:
            return False
        note = self.formulation.session_note(number)
        return (self.notes.value, self.date.value.strip() or None) != (note.text, note.date)

    def keep_pending(self) -> bool:
        """Keep notes typed but not kept yet (on leaving the session or the tab); return whether any were."""
        if not self.pending():
            return False
        number = self.showing
        assert number is not None
        self.session.update_session(number, text=self.notes.value, date=self.date.value.strip() or None)
        self.status.info(f"Notes of session {number} kept; they are saved with the next version.")
        return True

    def ask_remove(self) -> None:
        """Ask, here in the tab, before removing the session shown and its notes."""
        number = self._need_session()
        self.confirm.ask(
            f"Remove session {number} and its notes? Earlier versions keep them, and Undo brings them "
            "back; quotes taken from them stay, no longer checked.",
            "Remove", guarded(self.status)(lambda: self.remove(number)))

    def remove(self, number: int) -> None:
        """Remove session ``number`` and its notes (one undo step)."""
        self.showing = None  # nothing typed in the form is kept for a session that goes
        self.session.remove_session(number)
        self.status.info(f"Session {number} and its notes removed; Undo brings them back.")

    def keep(self) -> None:
        """Keep the notes and date in the form in the case (one undo step)."""
        number = self._need_session()
        before = self.formulation.session_note(number)
        self.session.update_session(number, text=self.notes.value, date=self.date.value.strip() or None)
        after = self.formulation.session_note(number)
        if after == before:
            self.status.info(f"The notes of session {number} are unchanged.")
        else:
            self.status.info(f"Notes of session {number} kept; they are saved with the next version.")

    def attach(self) -> str:
        """Attach the selected passage to the picked element or link as evidence; return its id."""
        number = self._need_session()
        quote = self.notes.selected
        if not quote.strip():
            raise InvalidValue("Select a passage in the notes first, then press Attach as evidence.")
        target = self._target()
        f = self.formulation
        start = min(self.notes.selection_start, self.notes.selection_end)
        note = f.session_note(number)
        item = {"session": number, "date": note.date, "quote": quote, "start": start}
        with self.session.step("attach quote"):
            if self.notes.value != note.text or (self.date.value.strip() or None) != note.date:
                self.session.update_session(number, text=self.notes.value,
                                            date=self.date.value.strip() or None)
                item["date"] = f.session_note(number).date
            if f.has_link(target):
                evidence = [*f.link(target).evidence, item]
                f.update_link(target, evidence=evidence)
                name = f.sentence(target)
            else:
                evidence = [*f.element(target).evidence, item]
                f.update_element(target, evidence=evidence)
                name = f.element(target).label
        self.refresh(keep_typed=True)  # its own edit: the quotes table follows, even while hidden
        self.status.info(f"Quote from session {number} attached to “{name}”.")
        return target

    def show_timeline(self) -> SessionView | None:
        """Show what the formulation held after the session, what it added, and what rests on it."""
        number = self._need_session()
        path = self.session.path
        if path is None or not path.exists():
            self.timeline.value = ("<span class='wb-hint'>Save a version first: the timeline is built from "
                                   "the saved versions.</span>")
            return None
        key = (str(path), self.session.version, path.stat().st_size, path.stat().st_mtime_ns)
        if key != self._timeline_key or self._timeline_cache is None:
            self._timeline_cache = self.session.timeline()
            self._timeline_key = key
        view = self._timeline_cache.at(number)
        self.timeline.value = timeline_html(view)
        return view

    def show_on_map(self) -> SessionView | None:
        """Draw the formulation as it was after the session, read-only, with what the session added marked."""
        view = self.show_timeline()
        if view is None or self.graph is None:
            return view
        if view.held is None:
            self.status.info(f"No version was saved with session {view.session}'s number: nothing to draw.")
            return view
        start = view.before if view.before is not None else Formulation(view.held.meta, view.held.template)
        last = view.versions[-1]
        caption = f"After session {view.session} (version {last}, read-only): what it added is marked"
        self.graph.show_diff(start, view.held, view.added.without_notes(), caption)
        self.back_button.layout.display = None
        self.status.info(f"The map shows the case after session {view.session}; "
                         "Back to editing returns to it.")
        return view

    def back(self) -> None:
        """Show the case being edited again on the map."""
        if self.graph is not None:
            self.graph.show_current()
        self.back_button.layout.display = "none"
        self.status.info("Back to editing the case.")

    # --- helpers -----------------------------------------------------------------------------

    def _need_session(self) -> int:
        number = self.current
        if number is None:
            raise InvalidValue("Add a session first (its number, then Add session).")
        return number

    def _target(self) -> str:
        text = self.target.value.strip()
        if not text:
            raise InvalidValue("Pick the element or link this passage is evidence for.")
        if text in self._targets:
            return self._targets[text]
        f = self.formulation
        if f.has_link(text):
            return text
        return resolve_element(f, text)

    def _show_selected(self) -> None:
        passage = self.notes.selected
        if not passage.strip():
            self.selected.value = ("<span class='wb-hint'>Select a passage in the notes to attach it as "
                                   "evidence.</span>")
        else:
            shown = passage if len(passage) <= 200 else passage[:199] + "…"
            self.selected.value = f"Selected: <q class='wb-sessions-passage'>{esc(shown)}</q>"

    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._updating:
            return
        if self.showing is not None and self.showing != self.current:
            self.keep_pending()  # typed notes are never dropped by a switch to another session
        self.show(self.current)

    def _on_session(self, event: SessionEvent) -> None:
        if event.kind == "saved":
            self.timeline.value = ""
            return
        sessions_changed = event.kind == "reset" or any(c.what == "session" for c in event.changes)
        if sessions_changed or any(c.what in ("element", "link") for c in event.changes):
            if not sessions_changed and not self.visible():
                self._stale = True  # an element or link edited in another tab: refreshed when shown
                return
            self.refresh(keep_typed=not sessions_changed)

    def shown(self) -> None:
        """The panel came on screen: catch up with edits made while it was hidden."""
        if self._stale:
            self._stale = False
            self.refresh(keep_typed=True)


def timeline_html(view: SessionView) -> str:
    """Return one session of the timeline as escaped HTML."""
    parts = [f"<b>{esc(_session_title(view.session, view.date))}</b>"]
    if view.held is None:
        parts.append("<div class='wb-hint'>No version was saved with this session's number.</div>")
    else:
        versions = ", ".join(str(v) for v in view.versions)
        parts.append(f"<div>After it (version {esc(versions)}) the formulation held "
                     f"{len(view.held)} elements and {len(view.held.link_records())} links.</div>")
        d = view.added.without_notes()  # what it added to the formulation (the notes are shown above)
        added = [esc(el.label) for el in d.elements_added]
        added += [esc(d.labels.get(ln.id, ln.id)) for ln in d.links_added]
        summary = esc(d.summary()) if not d.is_empty else "no changes"
        parts.append(f"<div>This session: {summary}.</div>")
        if added:
            parts.append("<ul class='wb-timeline-added'>" + "".join(f"<li>{a}</li>" for a in added) + "</ul>")
    if view.resting:
        parts.append("<div>Resting on this session (their evidence cites it):</div>")
        parts.append("<ul class='wb-timeline-resting'>"
                     + "".join(f"<li>{esc(r.label)}</li>" for r in view.resting) + "</ul>")
    else:
        parts.append("<div class='wb-hint'>No element or link cites this session yet.</div>")
    return "".join(parts)


def _session_title(number: int, date: str | None) -> str:
    return f"Session {number}" + (f" · {date}" if date else "")
