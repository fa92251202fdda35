"""ElementPicker: a field that names an element by its label (or part of it), with suggestions.

The page shows the element names that contain what was typed; ArrowDown and
Enter (or a click) pick one. Python reads :attr:`ElementPicker.value` (the text
as typed or picked) and resolves it with :func:`workbench.model.resolve_element`,
so a typed label, an unambiguous part of it, or a picked suggestion all work.

>>> p = ElementPicker(description="From", options=["Low mood (Present symptom or problem)"])
>>> p.value = "low mood"
>>> p.value
'low mood'
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

from workbench.ui._static import STATIC

__all__ = ["ElementPicker"]



class ElementPicker(anywidget.AnyWidget):
    """A labelled text field with a keyboard-friendly list of element names to pick from."""

    _esm = STATIC / "element_picker.js"
    _css = STATIC / "element_picker.css"

    value = traitlets.Unicode("", help="The text typed or the name picked.").tag(sync=True)
    options = traitlets.List(traitlets.Unicode(), help="The element names offered.").tag(sync=True)
    description = traitlets.Unicode("", help="The field's label.").tag(sync=True)
    placeholder = traitlets.Unicode("", help="Grey text shown while the field is empty.").tag(sync=True)
    disabled = traitlets.Bool(False, help="Whether the field takes input.").tag(sync=True)
    submitted = traitlets.Int(0, help="Counts Enter pressed with no suggestion marked.").tag(sync=True)

    def on_submit(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when Enter is pressed on typed text (not when a suggestion is picked)."""
        self.observe(lambda _change: callback(), "submitted")

    def submit(self) -> None:
        """Act as if Enter was pressed on the typed text (for tests and keyboard-free use)."""
        self.submitted += 1
