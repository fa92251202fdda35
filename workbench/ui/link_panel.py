"""The link editor: source and target (searchable), the kinds the template allows, a sentence preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from workbench.errors import ElementNotFound, InvalidValue
from workbench.model import Link, element_names, resolve_element
from workbench.session import EditSession
from workbench.ui._common import (
    LABELLED,
    AssessmentFields,
    StatusLine,
    esc,
    full_width,
    guarded,
    parse_optional_float,
    show_editing,
)
from workbench.ui.element_picker import ElementPicker
from workbench.ui.list_box import ListBox
from workbench.ui.quotes_view import quotes_behind_html

__all__ = ["LinkPanel"]

#: What the From and To fields say while empty.
_PICK_HINT = "type part of a label; ↓ and Enter pick"


class LinkPanel(w.VBox):  # type: ignore[misc]
    """Pick a link from the list (or the graph) and edit it, or choose two elements to link them."""

    def __init__(self, session: EditSession, status: StatusLine,
                 on_select: Callable[[str], None] | None = None,
                 visible: Callable[[], bool] | None = None) -> None:
        self.session = session
        #: This tab's message line, next to its buttons (it passes each message on to ``status``).
        self.status = status.near("wb-link-message")
        self._on_select = on_select
        self.editing: str | None = None
        #: The link the last Add created (the form is then ready for the next one).
        self.last_added: str | None = None
        #: The element names (name -> id) as last made; None: made again when next needed (_choices).
        self._names_made: dict[str, str] | None = {}
        self._filling = False
        #: Whether the panel is on screen (the app turns it off while another tab is open). While it
        #: is not, an edit does not re-send the element names and the link list to the page (hundreds
        #: of entries in a large case): :meth:`shown` sends them when the panel is shown again.
        self.visible: Callable[[], bool] = visible if visible is not None else (lambda: True)
        self._stale = False
        guard = guarded(self.status)

        self.search = w.Text(placeholder="Search links", layout=full_width())
        self.listing = ListBox(rows=5, layout=full_width())
        self.source = ElementPicker(description="From", placeholder=_PICK_HINT, layout=full_width())
        self.target = ElementPicker(description="To", placeholder=_PICK_HINT, layout=full_width())
        self.source_hint = w.HTML(layout=full_width())
        self.target_hint = w.HTML(layout=full_width())
        self.kind = w.Dropdown(description="Link kind", style=LABELLED, layout=full_width())
        self.kind_help = w.HTML(layout=full_width())
        self.sentence = w.HTML(layout=full_width())
        self.assessment = AssessmentFields("wb-link")
        self.description, self.evidence = self.assessment.description, self.assessment.evidence
        self.confidence, self.status_field = self.assessment.confidence, self.assessment.status_field
        self.weight = w.Text(description="Weight", placeholder="optional, e.g. -1", style=LABELLED,
                             layout=w.Layout(width="50%"))
        self.add_button = w.Button(description="Add link", button_style="primary", icon="plus",
                                   tooltip="Add a link with these fields")
        self.update_button = w.Button(description="Update", icon="check", disabled=True,
                                      tooltip="Save these fields into the selected link")
        self.delete_button = w.Button(description="Delete", icon="trash", disabled=True,
                                      tooltip="Delete the selected link")
        self.clear_button = w.Button(description="New", icon="file", tooltip="Empty the form for a new link")
        self.editing_note = w.HTML()
        for widget, name in [
            (self.search, "wb-link-search"), (self.listing, "wb-link-list"), (self.source, "wb-link-source"),
            (self.target, "wb-link-target"), (self.kind, "wb-link-kind"), (self.sentence, "wb-link-sentence"),
            (self.weight, "wb-link-weight"), (self.add_button, "wb-add-link"),
            (self.update_button, "wb-update-link"), (self.delete_button, "wb-delete-link"),
            (self.clear_button, "wb-clear-link"), (self.editing_note, "wb-link-editing"),
            (self.source_hint, "wb-link-source-hint"), (self.target_hint, "wb-link-target-hint"),
        ]:
            widget.add_class(name)
        self.kind_help.add_class("wb-hint")

        super().__init__([
            self.search, self.listing, w.HTML("<hr class='wb-rule'>"), self.editing_note,
            self.source, self.source_hint, self.target, self.target_hint, self.kind, self.kind_help,
            self.sentence, self.description,
            self.evidence, self.confidence, w.HBox([self.status_field, self.weight]),
            w.HBox([self.add_button, self.update_button, self.delete_button, self.clear_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.status,
        ], layout=w.Layout(width="100%", padding="4px"))
        self.add_class("wb-link-panel")

        self.search.observe(guard(lambda _c: self.refresh_list()), "value")
        self.listing.observe(guard(self._on_list_pick), "value")
        self.source.observe(guard(lambda _c: self._update_kinds()), "value")
        self.target.observe(guard(lambda _c: self._update_kinds()), "value")
        self.kind.observe(guard(lambda _c: self._update_sentence()), "value")
        self.source.on_submit(guard(self._enter))
        self.target.on_submit(guard(self._enter))
        self.add_button.on_click(guard(lambda _b: self.add()))
        self.update_button.on_click(guard(lambda _b: self.update()))
        self.delete_button.on_click(guard(lambda _b: self.delete()))
        self.clear_button.on_click(guard(lambda _b: self.clear()))
        self.reset()

    # --- actions -------------------------------------------------------------------------

    def add(self) -> str:
        """Add a link from the form; return its id. The form is then empty, ready for the next link."""
        source, target = self._endpoints()
        kind = self._kind()
        link_id = self.session.add_link(source, target, kind, **self._fields())
        self.last_added = link_id
        self.clear()
        self.refresh_list()
        self.status.info(f"Added the link: {self.session.formulation.sentence(link_id)}.")
        return link_id

    def update(self) -> None:
        """Write the form into the link being edited."""
        if self.editing is None:
            self.status.error("Pick a link in the list or the graph first.")
            return
        source, target = self._endpoints()
        self.session.update_link(self.editing, source=source, target=target, kind=self._kind(),
                                 **self._fields())
        self.status.info(f"Updated the link: {self.session.formulation.sentence(self.editing)}.")
        self.show(self.editing)

    def delete(self) -> None:
        """Delete the link being edited."""
        if self.editing is None:
            self.status.error("Pick a link in the list or the graph first.")
            return
        sentence = self.session.formulation.sentence(self.editing)
        self.session.remove_link(self.editing)
        self.status.info(f"Deleted the link: {sentence}.")
        self.clear()
        self.refresh_list()

    def clear(self) -> None:
        """Empty the form for a new link."""
        self.editing = None
        self.source.value = ""
        self.target.value = ""
        self.assessment.clear()
        self.weight.value = ""
        self._filling = True
        try:
            self.listing.value = None
        finally:
            self._filling = False
        self._update_kinds()
        self._sync_buttons()
        if self._on_select is not None:
            self._on_select("")  # nothing is selected in the graph either

    def show(self, link_id: str) -> None:
        """Load link ``link_id`` into the form (as when it is clicked in the graph)."""
        ln = self.session.formulation.link(link_id)
        self.editing = link_id
        self._fill(ln)
        self.evidence.behind.value = quotes_behind_html(self.session.formulation, link_id)
        self.refresh_list()
        self._sync_buttons()

    def set_endpoint(self, which: str, element_id: str) -> None:
        """Put an element into the 'From' (``which="source"``) or 'To' field."""
        name = self._name_of(element_id)
        (self.source if which == "source" else self.target).value = name

    def reset(self) -> None:
        """A case was loaded: refresh the element choices and empty the form."""
        self.refresh_choices()
        self.clear()
        self.refresh_list()

    def refresh(self) -> None:
        """Follow a change in the case (labels, new or deleted elements and links)."""
        if self.editing is not None and not self.session.formulation.has_link(self.editing):
            self.editing = None
        elif self.editing is not None:  # evidence attached elsewhere (Sessions tab) or notes edited
            self.evidence.behind.value = quotes_behind_html(self.session.formulation, self.editing)
        if not self.visible() and not self.source.value.strip() and not self.target.value.strip():
            # Hidden, with nothing in From and To: the names and the list (hundreds of entries in a
            # large case) are made when the panel is shown again, not at every edit.
            self._names_made = None
            self._stale = True
            self._sync_buttons()
            return
        src, tgt = self._endpoint(self.source), self._endpoint(self.target)
        self.refresh_choices()
        f = self.session.formulation
        self.source.value = self._name_of(src) if src and f.has_element(src) else ""
        self.target.value = self._name_of(tgt) if tgt and f.has_element(tgt) else ""
        self.refresh_list()
        self._sync_buttons()

    def shown(self) -> None:
        """The panel is on screen again: send the element names and the link list if they changed."""
        if self._stale:
            self._stale = False
            self._send_choices()
            self.refresh_list()

    def refresh_choices(self) -> None:
        """Rebuild the searchable element names: 'label (Kind)', numbered where two are the same."""
        self._names_made = element_names(self.session.formulation)
        if not self.visible():
            self._stale = True
            return
        self._send_choices()

    @property
    def _choices(self) -> dict[str, str]:
        """The element names (name -> id), made again if a hidden edit left them out of date."""
        if self._names_made is None:
            self._names_made = element_names(self.session.formulation)
        return self._names_made

    def _send_choices(self) -> None:
        names = list(self._choices)
        if list(self.source.options) != names:  # unchanged (e.g. a confidence edit): nothing to send
            self.source.options = names
            self.target.options = names

    def refresh_list(self) -> None:
        """Fill the list with the links whose sentence matches the search text."""
        if not self.visible():  # filled when the panel is shown
            self._stale = True
            return
        f = self.session.formulation
        needle = self.search.value.strip().lower()
        options = [(f.sentence(ln.id), ln.id) for ln in f.link_records()]
        if needle:
            options = [(text, i) for text, i in options if needle in text.lower()]
        self._filling = True
        try:
            if [tuple(o) for o in self.listing.options] != options:
                self.listing.options = tuple(options)
            self.listing.value = self.editing if self.editing in [i for _, i in options] else None
        finally:
            self._filling = False

    # --- helpers -------------------------------------------------------------------------

    def _name_of(self, element_id: str) -> str:
        for name, i in self._choices.items():
            if i == element_id:
                return name
        return ""

    def _endpoint(self, picker: ElementPicker) -> str | None:
        """The element a From/To field names now, or ``None`` (nothing, or several, match)."""
        names = self._choices
        if picker.value in names:
            return names[picker.value]
        try:
            return resolve_element(self.session.formulation, picker.value)
        except ElementNotFound:
            return None

    def _endpoints(self) -> tuple[str, str]:
        found = []
        for picker, which, what in ((self.source, "From", "starts"), (self.target, "To", "goes")):
            if not picker.value.strip():
                raise InvalidValue(f"Type where the link {what} ('{which}'): the label of an element, "
                                   "or part of it.")
            try:
                found.append(self._choices.get(picker.value) or
                             resolve_element(self.session.formulation, picker.value))
            except ElementNotFound as err:
                raise InvalidValue(f"{which}: {err}") from None
        return found[0], found[1]

    def _enter(self) -> None:
        """Enter in From or To: add the link once both name one element each (or update the one edited)."""
        if self._endpoint(self.source) is None or self._endpoint(self.target) is None:
            self._endpoints()  # says what is missing
            return
        if self.editing is None:
            self.add()
        else:
            self.update()

    def _show_match(self, picker: ElementPicker, hint: w.HTML) -> str | None:
        """Resolve one field and say under it what it names, or why it names nothing yet."""
        text = picker.value
        names = self._choices
        if not text.strip() or text in names:
            hint.value = ""
            return names.get(text)
        try:
            element_id = resolve_element(self.session.formulation, text)
        except ElementNotFound as err:
            hint.value = f"<span class='wb-hint wb-pick-problem'>{esc(err)}</span>"
            return None
        name = next(n for n, i in names.items() if i == element_id)
        hint.value = f"<span class='wb-hint'>→ {esc(name)}</span>"
        return element_id

    def _kind(self) -> str:
        if not self.kind.value:
            raise InvalidValue("No link kind fits between these two elements in this template; "
                               "choose other elements or change their kinds.")
        return str(self.kind.value)

    def _fields(self) -> dict[str, Any]:
        return {
            **self.assessment.values(),
            "weight": parse_optional_float(self.weight.value, "weight"),
        }

    def _fill(self, ln: Link) -> None:
        self.source.value = self._name_of(ln.source)
        self.target.value = self._name_of(ln.target)
        self._update_kinds()
        self.kind.value = ln.kind
        self.assessment.fill(ln)
        self.weight.value = "" if ln.weight is None else f"{ln.weight:g}"

    def _update_kinds(self) -> None:
        f = self.session.formulation
        source = self._show_match(self.source, self.source_hint)
        target = self._show_match(self.target, self.target_hint)
        if source is None or target is None:
            kinds = list(f.template.link_kinds.values())
        else:
            kinds = f.template.allowed_link_kinds(f.element(source).kind, f.element(target).kind)
        keep = self.kind.value
        self.kind.options = [(k.name, k.id) for k in kinds]
        ids = [k.id for k in kinds]
        self.kind.value = keep if keep in ids else (ids[0] if ids else None)
        if source is not None and target is not None and not kinds:
            self.kind_help.value = (
                "<span class='wb-hint'>The template allows no link between these kinds.</span>"
            )
        self._update_sentence()

    def _update_sentence(self) -> None:
        f = self.session.formulation
        source, target = self._endpoint(self.source), self._endpoint(self.target)
        kind = f.template.link_kinds.get(self.kind.value) if self.kind.value else None
        if kind is not None:
            self.kind_help.value = f"<span class='wb-hint'>{esc(kind.description)}</span>"
        if source is None or target is None or kind is None:
            self.sentence.value = "<span class='wb-hint'>Choose two elements to see the sentence.</span>"
            return
        self.sentence.value = (
            f"<div class='wb-sentence'><i>{esc(f.element(source).label)}</i> {esc(kind.verb)} "
            f"<i>{esc(f.element(target).label)}</i></div>"
        )

    def _on_list_pick(self, change: dict[str, Any]) -> None:
        if self._filling or not change["new"] or change["new"] == self.editing:
            return
        self.show(change["new"])
        if self._on_select is not None:
            self._on_select(change["new"])

    def _sync_buttons(self) -> None:
        sentence = None if self.editing is None else self.session.formulation.sentence(self.editing)
        show_editing(self.editing_note, [self.update_button, self.delete_button], sentence, new="New link")
