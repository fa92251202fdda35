"""ListBox: a list of named items to pick one from, that changes in the page only what changed.

It stands where an :class:`ipywidgets.Select` would (``options`` as ``(label, value)`` pairs,
``value`` the picked one or ``None``, ``rows``), for lists that follow a large case: the element
list of a case of 500 elements. ipywidgets' Select builds every ``<option>`` anew whenever its
options change, so renaming one element re-made and laid out 500 of them (about 60 ms of the page's
time at 500 elements on this machine, and more the larger the case). This view keeps its options and
changes, adds, moves or removes only the ones that differ. Labels are set as text, never as HTML.

>>> box = ListBox(options=[("Low mood", "e1"), ("Fear of loss", "e2")])
>>> box.value = "e2"
>>> box.options, box.value
((('Low mood', 'e1'), ('Fear of loss', 'e2')), 'e2')
"""

from __future__ import annotations

import anywidget
import traitlets

from workbench.ui._static import STATIC

__all__ = ["ListBox"]


class ListBox(anywidget.AnyWidget):
    """A list box of ``(label, value)`` items; picking one sets :attr:`value`."""

    _esm = STATIC / "list_box.js"
    _css = STATIC / "list_box.css"

    options = traitlets.Tuple(help="The items, in order: (label shown, value) pairs.").tag(sync=True)
    value = traitlets.Unicode(None, allow_none=True, help="The value of the picked item (None: none).").tag(
        sync=True
    )
    rows = traitlets.Int(5, help="How many items are seen at once.").tag(sync=True)
