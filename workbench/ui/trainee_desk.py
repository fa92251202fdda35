"""The trainee's seminar desk: open a library case as one's own copy, build it, hand it in, read feedback.

A thin panel over :mod:`workbench.classroom.handin`: the app itself (:class:`~workbench.ui.app.App`)
edits the copy; this panel adds the case library, the **Hand in** button and the supervisors'
comments. ``workbench.seminar(role="trainee")`` opens it.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from workbench.classroom import folders as places
from workbench.classroom import handin
from workbench.errors import SessionError
from workbench.ui._common import StatusLine, esc, guarded
from workbench.ui._static import style_html
from workbench.ui.app import App

__all__ = ["TraineeDesk"]


class TraineeDesk(w.VBox):  # type: ignore[misc]
    """The case library, one's own copy in the app, Hand in, and the feedback received."""

    def __init__(self, *, root: str | Path | None = None, cases_folder: str | Path | None = None) -> None:
        self.folders = places.seminar_folders(root)
        self.cases_folder = Path(cases_folder).expanduser() if cases_folder is not None else None
        self.user = places.current_user()
        self.status = StatusLine()
        self.app: App | None = None
        self.library = w.Dropdown(description="Case", layout=w.Layout(width="60%"))
        self.open_button = w.Button(description="Open as my copy", button_style="primary", icon="folder-open",
                                    layout=w.Layout(width="auto"))
        self.hand_in_button = w.Button(description="Hand in", button_style="success", icon="paper-plane",
                                       disabled=True)
        self.feedback_button = w.Button(description="Show feedback", icon="comments", disabled=True)
        self.include_notes = w.Checkbox(
            value=False, indent=False, layout=w.Layout(width="auto"),
            description="Include my session notes (only you and your supervisors can read a hand-in)")
        self.feedback = w.HTML()
        style = w.HTML(style_html("seminar.css"))
        self.feedback.add_class("wb-feedback")
        self._app_box = w.VBox()
        for widget, name in [(self.library, "wb-desk-library"), (self.open_button, "wb-desk-open"),
                             (self.hand_in_button, "wb-hand-in"), (self.feedback_button, "wb-show-feedback"),
                             (self.include_notes, "wb-include-notes"), (self.status, "wb-desk-status")]:
            widget.add_class(name)
        self.open_button.on_click(guarded(self.status)(lambda _b: self.open_case()))
        self.hand_in_button.on_click(guarded(self.status)(lambda _b: self.hand_in()))
        self.feedback_button.on_click(guarded(self.status)(lambda _b: self.show_feedback()))
        heading = w.HTML(
            f"<b>Seminar</b>: the case library, for {esc(self.user)}. Pick a case and press "
            "<b>Open as my copy</b> (it is copied into your own folder); build it in the app, save, then "
            "press <b>Hand in</b>: your supervisors see the version you saved, with your name and the time. "
            "<b>Show feedback</b> lists their comments."
        )
        super().__init__([style, heading, w.HBox([self.library, self.open_button]),
                          w.HBox([self.hand_in_button, self.feedback_button, self.include_notes]),
                          self.status, self.feedback,
                          self._app_box], layout=w.Layout(width="100%"))
        self.add_class("wb-trainee-desk")
        self.refresh()

    def refresh(self) -> None:
        """List the library's cases again."""
        table = handin.library_cases(self.folders)
        rows = zip(table["title"], table["case_id"], table["file"], strict=True)
        self.library.options = [(f"{title or case_id} ({name})", name) for title, case_id, name in rows]
        if self.library.options and self.library.value is None:
            self.library.index = 0
        if table.empty:
            self.status.info(f"The case library {self.folders.library} has no cases yet.")

    def open_case(self, name: str | None = None) -> Path:
        """Open one's own copy of the library case ``name`` (the one picked) in the app."""
        name = name or self.library.value
        if not name:
            raise SessionError("Pick a case from the library first.")
        into = self.cases_folder / "seminar" if self.cases_folder is not None else None
        path = handin.open_library_case(name, folders=self.folders, into=into)
        self.app = App(path)
        self._app_box.children = [self.app]
        self.hand_in_button.disabled = self.feedback_button.disabled = False
        self.status.info(f"Your own copy: {path}. Build it, save, then press Hand in.")
        return path

    def hand_in(self) -> handin.HandIn | None:
        """Hand in the copy's newest saved version (unsaved changes must be saved first)."""
        session = self.app.session if self.app is not None else None
        if session is None or session.path is None:
            self.status.error("Open a case from the library first.")
            return None
        if session.dirty:
            self.status.error("Save your changes first (the Save tab): only saved versions are handed in.")
            return None
        done = handin.hand_in(session.path, folders=self.folders, user=self.user,
                              include_notes=self.include_notes.value)
        notes = "with your session notes" if done.notes_included else "without your session notes"
        self.status.info(f"Handed in version {done.source_version} of {done.source.name}, {notes} "
                         f"(hand-in {done.version}, kept in {done.path}).")
        return done

    def show_feedback(self) -> None:
        """Show the supervisors' comments on this case's hand-ins."""
        session = self.app.session if self.app is not None else None
        if session is None or session.path is None:
            return
        table = handin.feedback_for(session.path, folders=self.folders, user=self.user)
        if table.empty:
            self.feedback.value = "<i>No feedback on this case yet.</i>"
            return
        self.feedback.value = "<b>Feedback</b>" + table.to_html(index=False, escape=True, border=0)
        self.status.info(f"{len(table)} comment(s) from your supervisors.")
