"""NotesArea: a text area for a session's process notes that reports the passage selected in it.

A plain :class:`ipywidgets.Textarea` does not tell Python what is selected; this small
anywidget does: :attr:`NotesArea.selection_start` and :attr:`NotesArea.selection_end` are
character positions in :attr:`NotesArea.value` (as Python counts them), and
:attr:`NotesArea.selected` is the passage between them. The page sets the text as a text
area's value, never as HTML.

>>> n = NotesArea(value="He was never there.")
>>> n.selection_start, n.selection_end = 7, 18
>>> n.selected
'never there'
"""

from __future__ import annotations

import anywidget
import traitlets

from workbench.ui._static import STATIC

__all__ = ["NotesArea"]



class NotesArea(anywidget.AnyWidget):
    """A multi-line text field whose selected passage Python can read (and set)."""

    _esm = STATIC / "notes_area.js"
    _css = STATIC / "notes_area.css"

    value = traitlets.Unicode("", help="The notes as typed.").tag(sync=True)
    selection_start = traitlets.Int(0, help="Where the selection starts (a character position).").tag(
        sync=True
    )
    selection_end = traitlets.Int(0, help="Where the selection ends (just after its last character).").tag(
        sync=True
    )
    description = traitlets.Unicode("", help="A line shown above the text.").tag(sync=True)
    placeholder = traitlets.Unicode("", help="Grey text shown while the notes are empty.").tag(sync=True)
    rows = traitlets.Int(10, help="The height in lines.").tag(sync=True)
    disabled = traitlets.Bool(False, help="Whether the notes can be edited.").tag(sync=True)

    @property
    def selected(self) -> str:
        """The passage selected (empty when nothing is)."""
        start, end = sorted((self.selection_start, self.selection_end))
        return self.value[max(0, start) : max(0, end)]

    def select(self, start: int, end: int) -> None:
        """Select the passage from ``start`` to ``end`` (for tests and keyboard-free use)."""
        self.selection_start, self.selection_end = start, end
