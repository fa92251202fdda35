"""The save panel: message, author, session number; a conflict becomes an offer to save a copy."""

from __future__ import annotations

import ipywidgets as w

from workbench.errors import SaveConflict
from workbench.session import EditSession
from workbench.ui._common import LABELLED, StatusLine, esc, full_width, guarded, parse_session
from workbench.ui._settings import remember_author, remembered_author

__all__ = ["SavePanel"]



class SavePanel(w.VBox):  # type: ignore[misc]
    """Save a new version; if someone saved first, offer to save these changes as a copy."""

    def __init__(self, session: EditSession, status: StatusLine, *, suggest_sessions: bool = False) -> None:
        self.session = session
        #: Whether to fill in the newest session that has notes as the session number (the app's Save tab).
        self.suggest_sessions = suggest_sessions
        #: This tab's message line, next to its buttons (it passes each message on to ``status``).
        self.status = status.near("wb-save-message-line")
        guard = guarded(self.status)
        self.message = w.Text(description="Message", placeholder="what changed, e.g. after session 5",
                              style=LABELLED, layout=full_width())
        self.author = w.Text(description="Author", placeholder="your name or initials", style=LABELLED,
                             layout=full_width())
        self.session_number = w.Text(description="Session no.", placeholder="optional", style=LABELLED,
                                     layout=w.Layout(width="200px"),
                                     tooltip="The session this version follows (the timeline uses it)")
        #: The session number this panel filled in itself (a number the clinician typed is never replaced).
        self._suggested = ""
        self.path = w.Text(description="File", placeholder="e.g. cases/c-017.formulation.json",
                           style=LABELLED, layout=full_width())
        self.save_button = w.Button(description="Save version", button_style="primary", icon="save",
                                    tooltip="Save the case as a new version")
        self.conflict_note = w.HTML(layout=full_width())
        self.copy_path = w.Text(description="Copy as", style=LABELLED, layout=full_width())
        self.copy_button = w.Button(description="Save as copy…", icon="copy", button_style="warning",
                                    tooltip="Save these changes into a new file; nothing is lost")
        self.conflict_box = w.VBox([self.conflict_note, self.copy_path, self.copy_button],
                                   layout=w.Layout(display="none", border="1px solid #c9a900",
                                                   padding="6px", width="100%"))
        for widget, name in [
            (self.message, "wb-save-message"), (self.author, "wb-save-author"),
            (self.session_number, "wb-save-session"), (self.path, "wb-save-path"),
            (self.save_button, "wb-save-button"), (self.conflict_note, "wb-save-conflict"),
            (self.copy_path, "wb-copy-path"), (self.copy_button, "wb-save-copy"),
            (self.conflict_box, "wb-conflict-box"),
        ]:
            widget.add_class(name)
        super().__init__([
            w.HTML("<span class='wb-hint'>Saving adds a new version; earlier versions are kept.</span>"),
            self.path, self.message, self.author, self.session_number, self.save_button, self.status,
            self.conflict_box,
        ], layout=w.Layout(width="100%", padding="4px"))
        self.add_class("wb-save-panel")
        self.save_button.on_click(guard(lambda _b: self.save()))
        self.copy_button.on_click(guard(lambda _b: self.save_copy()))
        self.author.value = remembered_author(session)
        self.refresh()

    def save(self) -> int | None:
        """Save a new version (or, for a new case, the first version at the path typed)."""
        number = self._session_number()
        try:
            if self.session.path is None:
                version = self.session.save_as(self.path.value.strip(), self.message.value, self.author.value,
                                               number)
            else:
                version = self.session.save(self.message.value, self.author.value, number)
        except SaveConflict as err:
            self._show_conflict(err)
            self.status.error(str(err))
            return None
        self.message.value = ""
        remember_author(self.author.value)
        self.status.info(f"Saved version {version} of {self.session.path}.")
        self.refresh()
        return version

    def save_copy(self) -> int:
        """Save the changes into the new file named in 'Copy as' and go on editing that file."""
        version = self.session.save_as(self.copy_path.value.strip(), self.message.value or "Saved as a copy",
                                       self.author.value, self._session_number())
        self.message.value = ""
        self.status.info(f"Saved your changes as a copy: {self.session.path} (version {version}).")
        self.refresh()
        return version

    def refresh(self) -> None:
        """Show or hide the file field and the conflict offer."""
        has_path = self.session.path is not None
        self.path.layout.display = "none" if has_path else "flex"
        if has_path:
            self.path.value = str(self.session.path)
        if self.session.conflict is None:
            self.conflict_box.layout.display = "none"
        self.suggest_session()

    def suggest_session(self) -> None:
        """Fill in the newest session that has notes, unless the clinician typed a session number.

        Without it a version saved after writing session 5's notes would name no session, and the
        Sessions tab's timeline (what the formulation held after each session) would leave it out.
        """
        if not self.suggest_sessions:
            return
        notes = self.session.formulation.session_notes()
        newest = str(notes[-1].number) if notes else ""
        if self.session_number.value.strip() in ("", self._suggested):
            self.session_number.value = newest
            self._suggested = newest

    def _show_conflict(self, err: SaveConflict) -> None:
        self.conflict_note.value = (
            f"<b>Not saved:</b> {esc(err)}<br>Your changes are still here. Save them as a copy under a new "
            "file name, then compare the two files with a colleague."
        )
        self.copy_path.value = str(self.session.suggest_copy_path())
        self.conflict_box.layout.display = "flex"

    def _session_number(self) -> int | None:
        return parse_session(self.session_number.value)
