"""The case header: case id, title, template, the version loaded, an unsaved-changes mark, undo/redo.

With ``show_status=True`` the app's status line sits in the header, under the case line, so
what just happened (or went wrong) is always in view, also on a small screen.
"""

from __future__ import annotations

import ipywidgets as w

from workbench.session import EditSession
from workbench.ui._common import StatusLine, esc, guarded

__all__ = ["CaseHeader"]


class CaseHeader(w.HBox):  # type: ignore[misc]
    """One calm line on top of the app; the undo and redo buttons live here too."""

    def __init__(self, session: EditSession, status: StatusLine, *, show_status: bool = False) -> None:
        self.session = session
        self.status = status
        self.info = w.HTML(layout=w.Layout(width="100%"))
        self.unsaved = w.HTML(layout=w.Layout(width="auto"))
        self.undo_button = w.Button(description="Undo", icon="undo", tooltip="Undo the last unsaved edit",
                                    layout=w.Layout(width="90px"))
        self.redo_button = w.Button(description="Redo", icon="repeat", tooltip="Do the undone edit again",
                                    layout=w.Layout(width="90px"))
        self.info.add_class("wb-header-info")
        self.unsaved.add_class("wb-unsaved")
        self.undo_button.add_class("wb-undo")
        self.redo_button.add_class("wb-redo")
        lines = [self.info, status] if show_status else [self.info]
        left = w.VBox(lines, layout=w.Layout(flex="1 1 auto", width="auto", min_width="0"))
        left.add_class("wb-header-left")
        super().__init__([left, self.unsaved, self.undo_button, self.redo_button],
                         layout=w.Layout(width="100%", align_items="center", padding="2px 4px"))
        self.add_class("wb-header")
        guard = guarded(status)
        self.undo_button.on_click(guard(lambda _b: self.undo()))
        self.redo_button.on_click(guard(lambda _b: self.redo()))
        self.refresh()

    def undo(self) -> None:
        """Undo the last unsaved edit step."""
        label = self.session.undo_label
        if self.session.undo():
            self.status.info(f"Undone: {label}.")
        else:
            self.status.info("There is nothing to undo.")

    def redo(self) -> None:
        """Redo the last undone step."""
        label = self.session.redo_label
        if self.session.redo():
            self.status.info(f"Done again: {label}.")
        else:
            self.status.info("There is nothing to redo.")

    def refresh(self) -> None:
        """Show the session as it is now."""
        s = self.session
        f = s.formulation
        meta = f.meta
        version = f"version {s.version}" if s.version is not None else "not saved yet"
        where = esc(s.path) if s.path is not None else "no file yet"  # the full path: never a guess
        title = f" — {esc(meta.title)}" if meta.title else ""
        fictional = " <span class='wb-tag'>fictional</span>" if meta.fictional else ""
        case = meta.case_id + (f" — {meta.title}" if meta.title else "")
        case += " (fictional)" if meta.fictional else ""
        file_name = str(s.path) if s.path is not None else "no file yet"
        whole = " · ".join([case, f.template.name, version, file_name])
        self.info.value = (  # one line; the whole text is in the tooltip if the line is cut short
            f"<div class='wb-header-line' title='{esc(whole)}'>"
            f"<span class='wb-case-id'>{esc(meta.case_id)}</span>{title}{fictional}"
            f"<span class='wb-meta'> · {esc(f.template.name)} · {esc(version)} · {where}</span></div>"
        )
        self.unsaved.value = _save_mark(dirty=s.dirty, ever_saved=s.version is not None)
        if s.dirty:
            self.add_class("wb-dirty")
        else:
            self.remove_class("wb-dirty")
        self.undo_button.disabled = not s.can_undo
        self.redo_button.disabled = not s.can_redo
        self.undo_button.tooltip = f"Undo: {s.undo_label}" if s.can_undo else "Nothing to undo"
        self.redo_button.tooltip = f"Redo: {s.redo_label}" if s.can_redo else "Nothing to redo"


def _save_mark(*, dirty: bool, ever_saved: bool) -> str:
    """The mark beside Undo: unsaved changes, saved, or (a new, empty case) nothing to save yet."""
    if dirty:
        return "<span class='wb-unsaved-mark' title='Changes not saved yet'>● unsaved changes</span>"
    if not ever_saved:  # a new, empty case: "saved" would say there is a file when there is none
        return "<span class='wb-saved-mark' title='No version saved yet'>nothing to save yet</span>"
    return "<span class='wb-saved-mark'>saved</span>"
