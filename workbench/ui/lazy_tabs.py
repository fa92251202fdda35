"""Tabs whose content is built the first time it is needed, so the app opens with fewer widgets.

A :class:`LazyTabs` puts an empty box in a :class:`ipywidgets.Tab` for each tab it is given
and runs that tab's builder once: when the user opens the tab, or when code asks for it with
:meth:`LazyTabs.ensure` (the app's ``history``, ``start`` and ``supervision`` do so), whichever
comes first. Every widget the browser has to create at start-up costs time there, and the
less-used tabs (History, Case, Supervise) hold about half of the app's widgets.

Example
-------
>>> import ipywidgets as w
>>> tabs = w.Tab(children=[w.HTML("first")])
>>> lazy = LazyTabs(tabs)
>>> box = lazy.add("Later", lambda: w.HTML("built"))
>>> lazy.built("Later")
False
>>> tabs.selected_index = 1
>>> lazy.built("Later"), box.children[0].value
(True, 'built')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

__all__ = ["LazyTabs"]


class LazyTabs:
    """Build a tab's content on its first showing (or first :meth:`ensure`), once.

    The builder returns the tab's widget, which goes into the tab's box; a builder that
    puts its content into the box itself (see :meth:`box`) may return ``None``.
    """

    def __init__(self, tabs: w.Tab) -> None:
        self.tabs = tabs
        self._boxes: dict[str, w.Box] = {}
        self._builders: dict[str, Callable[[], w.Widget | None]] = {}
        tabs.observe(self._on_select, "selected_index")

    def add(self, title: str, builder: Callable[[], w.Widget | None]) -> w.Box:
        """Add a tab called ``title`` (at the end) that ``builder`` fills when first needed."""
        box = w.VBox(layout=w.Layout(width="100%"))
        box.add_class("wb-lazy-tab")
        self._boxes[title] = box
        self._builders[title] = builder
        self.tabs.children = (*self.tabs.children, box)
        self.tabs.set_title(len(self.tabs.children) - 1, title)
        return box

    def box(self, title: str) -> w.Box:
        """The box that holds the tab's content."""
        return self._boxes[title]

    def index(self, title: str) -> int:
        """The tab's position in the row of tabs."""
        return list(self.tabs.children).index(self._boxes[title])

    def built(self, title: str) -> bool:
        """Whether the tab's content has been built."""
        return title in self._boxes and title not in self._builders

    def ensure(self, title: str) -> None:
        """Build the tab's content now if it was not built yet."""
        builder = self._builders.pop(title, None)
        if builder is None:
            return
        content = builder()
        if content is not None:
            self._boxes[title].children = (content,)

    def _on_select(self, change: dict[str, Any]) -> None:
        index = change["new"]
        children = self.tabs.children
        if index is None or not 0 <= index < len(children):
            return
        for title, box in self._boxes.items():
            if box is children[index]:
                self.ensure(title)
                return
