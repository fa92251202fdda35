"""Small pieces shared by the supervision and teaching panels (trace, comments, compare, checks, presenter).

Everything a clinician typed is shown as text: either in a widget that shows
plain text (Label, Dropdown options, Button descriptions) or escaped with
:func:`esc` before it goes into an ``HTML`` widget. The status line and
:func:`esc` are the app's own (:mod:`workbench.ui._common`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from functools import wraps
from typing import Any, TypeVar

import ipywidgets as w
import pandas as pd

from workbench.model import Formulation
from workbench.render.text import plain
from workbench.render.visdata import edge_for, node_for
from workbench.ui._common import StatusLine, esc
from workbench.ui._common import guarded as guarded_by
from workbench.ui._static import style_html

__all__ = [
    "NONE",
    "FollowsSession",
    "StatusLine",
    "clip",
    "element_choices",
    "esc",
    "guarded",
    "html_table",
    "link_choices",
    "panel_style",
    "replace_children",
    "set_choices",
    "show_highlight",
    "target_name",
]

#: The value of a choice that stands for "nothing chosen" (widgets cannot hold None in every case).
NONE = ""

_F = TypeVar("_F", bound=Callable[..., Any])


class FollowsSession:
    """A panel that follows the session's edits, but redraws only while it is shown.

    A host (the app's Supervise tab) sets :attr:`visible`; while it returns False,
    edits only mark the panel stale, and :meth:`shown` brings it up to date when it
    appears. So a hidden panel costs nothing per edit (cycles and checks are not
    recomputed for every keystroke in the element editor).
    """

    #: Whether the panel is on screen now (a host replaces this; standalone panels are always shown).
    visible: Callable[[], bool] = staticmethod(lambda: True)
    _stale = False

    def refresh(self) -> None:
        """Redraw from the formulation (each panel defines it)."""
        raise NotImplementedError

    def shown(self) -> None:
        """The host shows the panel: redraw it if edits happened while it was hidden."""
        if self._stale:
            self._stale = False
            self.refresh()

    def _follow(self) -> bool:
        """Whether to redraw after an edit now (else the panel is marked stale)."""
        if self.visible():
            return True
        self._stale = True
        return False


def guarded(method: _F) -> _F:
    """Run a panel method; show any failure as a sentence in the panel's ``status`` line.

    The method-level form of :func:`workbench.ui._common.guarded`: workbench errors
    show their sentence, anything else a short apology, never a traceback.
    """

    @wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        return guarded_by(self.status)(method)(self, *args, **kwargs)

    return run  # type: ignore[return-value]


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, ending with "…" when cut (no quotes added).

    >>> clip("Fear of being left", 10)
    'Fear of b…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def element_choices(f: Formulation, *, kinds: Collection[str] | None = None) -> list[tuple[str, str]]:
    """Return ``(text, id)`` choices for the elements, by layer and then in the order added."""
    els = [el for el in f.element_records() if kinds is None or el.kind in kinds]
    order = {el.id: i for i, el in enumerate(els)}
    els.sort(key=lambda el: (f.template.element_kinds[el.kind].layer, order[el.id]))
    return [(f"{clip(el.label, 70)} ({f.template.element_kinds[el.kind].name})", el.id) for el in els]


def link_choices(f: Formulation) -> list[tuple[str, str]]:
    """Return ``(sentence, id)`` choices for the links, in the order added."""
    return [(clip(f.sentence(ln.id), 110), ln.id) for ln in f.link_records()]


def target_name(f: Formulation, target: str | None) -> str:
    """Return what a comment is about, as text: an element's label, a link's sentence, or the case."""
    if not target:
        return "the whole formulation"
    if f.has_element(target):
        return f"element “{f.element(target).label}”"
    if f.has_link(target):
        return f"link “{f.sentence(target)}”"
    return "an element or link that has been removed"


def replace_children(box: Any, children: Sequence[Any]) -> None:
    """Put ``children`` into ``box`` and close the widgets it held before (they are not shown again).

    Panels that redraw rows of widgets use this, so a long session does not pile up
    widgets that the page and the kernel still keep.
    """
    old = list(box.children)
    box.children = list(children)
    keep = {id(c) for c in children}
    for child in old:
        if id(child) not in keep:
            _close_tree(child)


def _close_tree(widget: Any) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


def set_choices(widget: Any, options: Sequence[tuple[str, Any]], keep: Any) -> None:
    """Give a selection widget new ``options``, keeping the value ``keep`` if it is still offered.

    Otherwise the first option is chosen. (Observers see the intermediate values;
    panels mute their own while they refresh.)
    """
    values = [value for _, value in options]
    widget.options = list(options)
    widget.value = keep if keep in values else (values[0] if values else None)


def show_highlight(view: Any, f: Formulation, ids: Iterable[str]) -> None:
    """Redraw every node and edge of ``f`` in ``view`` with ``ids`` highlighted (others dimmed).

    An empty ``ids`` shows everything plainly again. Only a patch travels to the
    page; zoom and positions stay.
    """
    marked = set(ids)
    view.update_items(
        nodes=[node_for(f, el.id, highlight=marked) for el in f.element_records()],
        edges=[edge_for(f, ln.id, highlight=marked) for ln in f.link_records()],
    )


def html_table(
    table: pd.DataFrame,
    columns: Sequence[tuple[str, str]],
    *,
    formats: dict[str, Callable[[Any], str]] | None = None,
    empty: str = "Nothing to show.",
) -> str:
    """Return ``table`` as an escaped HTML table of the named ``(column, heading)`` pairs."""
    if table.empty:
        return f"<p class='wb-panel-empty'>{esc(empty)}</p>"
    formats = formats or {}
    head = "".join(f"<th>{esc(heading)}</th>" for _, heading in columns)
    rows = []
    for _, row in table.iterrows():
        cells = []
        for column, _heading in columns:
            value = row[column]
            shown = formats[column](value) if column in formats else _plain(value)
            cells.append(f"<td>{esc(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<table class='wb-panel-table'><thead><tr>" + head + "</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>"
    )


def _plain(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def panel_style() -> w.HTML:
    """Return a hidden HTML widget carrying the panels' styles (safe to show more than once).

    The styles are ``ui/static/panels.css`` (tables, lists, badges) and ``status.css`` (status lines).
    """
    style = w.HTML(value=style_html("panels.css", "status.css"))
    style.layout.display = "none"
    return style
