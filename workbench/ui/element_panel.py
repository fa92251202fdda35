"""The element editor: a searchable list of elements and a form to add, update or delete one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from workbench.model import Element
from workbench.session import EditSession
from workbench.ui._common import (
    LABELLED,
    AssessmentFields,
    ConfirmBar,
    StatusLine,
    esc,
    full_width,
    guarded,
    on_enter,
    set_optional,
    show_editing,
    time_frame_options,
)
from workbench.ui.list_box import ListBox
from workbench.ui.quotes_view import quotes_behind_html

__all__ = ["ElementPanel"]

_ALL = "__all__"


class ElementPanel(w.VBox):  # type: ignore[misc]
    """Pick an element from the list (or the graph) and edit it, or fill the form to add one.

    ``on_select(id)`` is called when an element is picked here, so the graph can show it.
    """

    def __init__(self, session: EditSession, status: StatusLine,
                 on_select: Callable[[str], None] | None = None) -> None:
        self.session = session
        #: This tab's message line, next to its buttons (it passes each message on to ``status``).
        self.status = status.near("wb-element-message")
        self._on_select = on_select
        self.editing: str | None = None
        #: The element the last Add created (the form is then empty again, for the next one).
        self.last_added: str | None = None
        guard = guarded(self.status)

        # list
        self.search = w.Text(placeholder="Search elements", layout=w.Layout(width="60%"))
        self.kind_filter = w.Dropdown(layout=w.Layout(width="40%"))
        self.listing = ListBox(rows=5, layout=full_width())
        self.search.add_class("wb-element-search")
        self.kind_filter.add_class("wb-element-filter")
        self.listing.add_class("wb-element-list")

        # form
        self.kind = w.Dropdown(description="Kind", style=LABELLED, layout=full_width())
        self.kind_help = w.HTML(layout=full_width())
        self.kind_help.add_class("wb-hint")
        self.label = w.Text(description="Label", placeholder="e.g. Father often absent (Enter adds)",
                            style=LABELLED, layout=full_width())
        self.assessment = AssessmentFields("wb-element")
        self.description, self.evidence = self.assessment.description, self.assessment.evidence
        self.confidence, self.status_field = self.assessment.confidence, self.assessment.status_field
        self.time_frame = w.Dropdown(description="Time frame", options=time_frame_options(), index=0,
                                     style=LABELLED, layout=w.Layout(width="50%"))
        self.tags = w.Text(description="Tags", placeholder="comma, separated", style=LABELLED,
                           layout=full_width())
        self.code = w.Dropdown(description="Code", style=LABELLED,
                               layout=w.Layout(width="100%", display="none"))
        self.add_button = w.Button(description="Add", button_style="primary", icon="plus",
                                   tooltip="Add a new element with these fields")
        self.update_button = w.Button(description="Update", icon="check", disabled=True,
                                      tooltip="Save these fields into the selected element")
        self.delete_button = w.Button(description="Delete", icon="trash", disabled=True,
                                      tooltip="Delete the selected element")
        self.clear_button = w.Button(description="New", icon="file",
                                     tooltip="Empty the form for a new element")
        self.confirm = ConfirmBar("wb-element")
        self.editing_note = w.HTML()
        for widget, name in [
            (self.kind, "wb-element-kind"), (self.label, "wb-element-label"),
            (self.time_frame, "wb-element-time-frame"), (self.tags, "wb-element-tags"),
            (self.code, "wb-element-code"), (self.add_button, "wb-add-element"),
            (self.update_button, "wb-update-element"), (self.delete_button, "wb-delete-element"),
            (self.clear_button, "wb-clear-element"), (self.editing_note, "wb-element-editing"),
        ]:
            widget.add_class(name)

        super().__init__([
            w.HBox([self.search, self.kind_filter]),
            self.listing,
            w.HTML("<hr class='wb-rule'>"),
            self.editing_note,
            self.kind, self.kind_help, self.label, self.description,
            self.evidence, self.confidence,
            w.HBox([self.status_field, self.time_frame]),
            self.tags, self.code,
            w.HBox([self.add_button, self.update_button, self.delete_button, self.clear_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.confirm,
            self.status,
        ], layout=w.Layout(width="100%", padding="4px"))
        self.add_class("wb-element-panel")

        self.search.observe(guard(lambda _c: self.refresh_list()), "value")
        self.kind_filter.observe(guard(lambda _c: self.refresh_list()), "value")
        self.listing.observe(guard(self._on_list_pick), "value")
        self.kind.observe(guard(lambda _c: self._show_kind()), "value")
        self.add_button.on_click(guard(lambda _b: self.add()))
        self.update_button.on_click(guard(lambda _b: self.update()))
        self.delete_button.on_click(guard(lambda _b: self.delete()))
        self.clear_button.on_click(guard(lambda _b: self.clear()))
        on_enter(self.label, guard(self._enter))
        self.reset()

    # --- actions -------------------------------------------------------------------------

    def add(self) -> str:
        """Add an element from the form; return its id.

        The form is then ready for the next new element: the kind stays, everything else is
        emptied, and nothing is being edited (so Enter adds again and never renames this one).
        """
        label = self.label.value.strip()
        element_id = self.session.add_element(self.kind.value, self.label.value, **self._fields())
        self.last_added = element_id
        self.clear()
        self.refresh_list()
        self.status.info(f"Added {label!r}.")
        return element_id

    def update(self) -> None:
        """Write the form into the element being edited."""
        if self.editing is None:
            self.status.error("Pick an element in the list or the graph first.")
            return
        self.session.update_element(self.editing, kind=self.kind.value, label=self.label.value,
                                    **self._fields())
        self.status.info(f"Updated {self.label.value.strip()!r}.")
        self.show(self.editing)

    def delete(self) -> None:
        """Delete the element being edited; ask first if links use it."""
        if self.editing is None:
            self.status.error("Pick an element in the list or the graph first.")
            return
        element_id = self.editing
        label = self.session.formulation.element(element_id).label
        used = self.session.formulation.links_of(element_id)
        if used:
            self.confirm.ask(
                f"{label!r} is used by {len(used)} link(s). Delete it together with those links?",
                f"Delete with {len(used)} link(s)",
                guarded(self.status)(lambda: self._remove(element_id, label, cascade=True)),
            )
            return
        self._remove(element_id, label, cascade=False)

    def clear(self) -> None:
        """Empty the form for a new element."""
        self.editing = None
        self.confirm.cancel()
        self.label.value = ""
        self.assessment.clear()
        set_optional(self.time_frame, None)
        self.tags.value = ""
        set_optional(self.code, None)
        self.listing.value = None
        self._sync_buttons()
        if self._on_select is not None:
            self._on_select("")  # nothing is selected in the graph either

    def show(self, element_id: str) -> None:
        """Load element ``element_id`` into the form (as when it is clicked in the graph)."""
        el = self.session.formulation.element(element_id)
        self.editing = element_id
        self.confirm.cancel()
        self._fill(el)
        if self.listing.value != element_id:
            self.refresh_list()
            if element_id in [v for _, v in self.listing.options]:
                self.listing.value = element_id
        self._sync_buttons()

    def reset(self) -> None:
        """Set the kinds from the session's template and clear everything (a case was loaded)."""
        t = self.session.formulation.template
        self.kind.options = [(k.name, k.id) for k in t.element_kinds.values()]
        self.kind.value = next(iter(t.element_kinds), None)
        self.kind_filter.options = [("All kinds", _ALL)] + [(k.name, k.id) for k in t.element_kinds.values()]
        self.kind_filter.value = _ALL
        self._show_kind()
        self.clear()
        self.refresh_list()

    def refresh(self) -> None:
        """Follow a change in the case: update the list, and the form if its element changed or went."""
        if self.editing is not None and not self.session.formulation.has_element(self.editing):
            self.clear()
        elif self.editing is not None:  # evidence attached elsewhere (Sessions tab) or notes edited
            self.evidence.behind.value = quotes_behind_html(self.session.formulation, self.editing)
        self.refresh_list()
        self._sync_buttons()

    def refresh_list(self) -> None:
        """Fill the list with the elements matching the search text and kind filter."""
        f = self.session.formulation
        needle = self.search.value.strip().lower()
        wanted = self.kind_filter.value
        options = []
        for el in f.element_records():
            if wanted not in (None, _ALL) and el.kind != wanted:
                continue
            if needle and needle not in el.label.lower() and needle not in el.description.lower():
                continue
            options.append((f"{el.label} · {f.template.element_kinds[el.kind].name}", el.id))
        keep = self.listing.value
        self._filling = True
        try:
            if [tuple(o) for o in self.listing.options] != options:  # unchanged: nothing to send
                self.listing.options = tuple(options)
            self.listing.value = keep if keep in [v for _, v in options] else None
        finally:
            self._filling = False

    # --- helpers -------------------------------------------------------------------------

    _filling = False

    def _enter(self) -> None:
        if self.editing is None:
            self.add()
        else:
            self.update()

    def _on_list_pick(self, change: dict[str, Any]) -> None:
        if self._filling or not change["new"] or change["new"] == self.editing:
            return
        self.show(change["new"])
        if self._on_select is not None:
            self._on_select(change["new"])

    def _remove(self, element_id: str, label: str, *, cascade: bool) -> None:
        removed = self.session.remove_element(element_id, cascade=cascade)
        extra = f" and {len(removed)} link(s)" if removed else ""
        self.status.info(f"Deleted {label!r}{extra}.")
        self.clear()
        self.refresh_list()

    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            **self.assessment.values(),
            "time_frame": self.time_frame.value,
            "tags": self.tags.value,
        }
        if self.session.formulation.template.code_set_for(self.kind.value) is not None:
            fields["code"] = self.code.value
        return fields

    def _fill(self, el: Element) -> None:
        self.kind.value = el.kind
        self.label.value = el.label
        self.assessment.fill(el)
        self.evidence.behind.value = quotes_behind_html(self.session.formulation, el.id)
        set_optional(self.time_frame, el.time_frame)
        self.tags.value = ", ".join(el.tags)
        self._show_kind()
        if el.code is not None and el.code not in [v for _, v in self.code.options]:
            self.code.options = [*self.code.options, (el.code, el.code)]
        set_optional(self.code, el.code)

    def _show_kind(self) -> None:
        t = self.session.formulation.template
        if self.kind.value is None:
            self.kind_help.value = ""
            return
        kind = t.element_kind(self.kind.value)
        self.kind_help.value = f"<span class='wb-hint'>{esc(kind.description)}</span>"
        code_set = t.code_set_for(kind.id)
        if code_set is None:
            self.code.layout.display = "none"
            self.code.options = [("—", None)]
            set_optional(self.code, None)
            return
        keep = self.code.value
        options: list[tuple[str, str | None]] = [("—", None)]
        for cluster_id, cluster_name in code_set.clusters.items():
            options.append((f"{cluster_name} (cluster)", cluster_id))
        for code in code_set.codes.values():
            options.append((f"{code.name} ({code.id})", code.id))
        self.code.options = options
        set_optional(self.code, keep if keep in [v for _, v in options] else None)
        self.code.description = "Code"
        self.code.layout.display = "flex"

    def _sync_buttons(self) -> None:
        label = None if self.editing is None else self.session.formulation.element(self.editing).label
        show_editing(self.editing_note, [self.update_button, self.delete_button], label, new="New element")
