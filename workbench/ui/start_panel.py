"""The start panel: a new case from a template, an existing file, or a recent case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from workbench.session import recent_cases
from workbench.templates import DEFAULT_TEMPLATE, templates
from workbench.ui._common import LABELLED, StatusLine, esc, full_width, guarded

__all__ = ["StartPanel"]


NewCase = Callable[[str, str, str, str], None]


class StartPanel(w.VBox):  # type: ignore[misc]
    """Start or open a case. ``on_new(template, case_id, title, path)`` and ``on_open(path)`` do the work.

    ``folder`` is where file names without a folder go; the panel says so under the file fields.
    """

    def __init__(self, status: StatusLine, on_new: NewCase, on_open: Callable[[str], None], *,
                 path: str | Path | None = None, template: str | None = None, in_app: bool = False,
                 folder: str | Path | None = None) -> None:
        self.status = status
        self._on_new = on_new
        self._on_open = on_open
        guard = guarded(status)
        found = templates()
        chosen = template if template in found else DEFAULT_TEMPLATE
        self.template = w.Dropdown(description="Template", options=[(t.name, t.id) for t in found.values()],
                                   value=chosen if chosen in found else None, style=LABELLED,
                                   layout=full_width())
        self.template_help = w.HTML(layout=full_width())
        self.case_id = w.Text(description="Case id", placeholder="a pseudonym or number, never a name",
                              style=LABELLED, layout=full_width())
        self.title = w.Text(description="Title", placeholder="optional", style=LABELLED, layout=full_width())
        self.new_path = w.Text(description="File", placeholder="e.g. cases/c-017.formulation.json",
                               style=LABELLED, layout=full_width())
        self.create_button = w.Button(description="Start new case", icon="plus", button_style="primary")
        self.open_path = w.Text(description="File", placeholder="path of a .formulation.json file",
                                style=LABELLED, layout=full_width())
        self.open_button = w.Button(description="Open", icon="folder-open")
        self.recent = w.Select(rows=5, layout=full_width())
        self.recent_button = w.Button(description="Open recent", icon="clock-o")
        self.folder_note = w.HTML(
            f"<span class='wb-hint'>A file name without a folder is kept in <b>{esc(folder)}</b>; "
            "a name such as <i>cases/c-017.formulation.json</i> makes the folder <i>cases</i> there.</span>"
            if folder is not None else "", layout=full_width())
        for widget, name in [
            (self.template, "wb-start-template"), (self.case_id, "wb-start-case-id"),
            (self.title, "wb-start-title"), (self.new_path, "wb-start-path"),
            (self.create_button, "wb-start-create"), (self.open_path, "wb-open-path"),
            (self.open_button, "wb-open-button"), (self.recent, "wb-recent-list"),
            (self.recent_button, "wb-open-recent"), (self.folder_note, "wb-start-folder"),
        ]:
            widget.add_class(name)
        heading = "Start another case or open one" if in_app else "Formulation Workbench"
        super().__init__([
            w.HTML(f"<h3 class='wb-start-title'>{esc(heading)}</h3>"),
            w.HTML("<b>New case from a template</b>"), self.template, self.template_help, self.case_id,
            self.title, self.new_path, self.folder_note, self.create_button,
            w.HTML("<hr class='wb-rule'><b>Open an existing case</b>"), self.open_path, self.open_button,
            w.HTML("<hr class='wb-rule'><b>Recent cases</b>"), self.recent, self.recent_button,
        ], layout=w.Layout(width="100%", max_width="640px", padding="8px"))
        self.add_class("wb-start")
        if path is not None:
            self.new_path.value = str(path)
            self.open_path.value = str(path)
            self.case_id.value = Path(path).name.split(".")[0]
        self.template.observe(guard(lambda _c: self._show_template()), "value")
        self.create_button.on_click(guard(lambda _b: self.create()))
        self.open_button.on_click(guard(lambda _b: self._on_open(self.open_path.value.strip())))
        self.recent_button.on_click(guard(lambda _b: self.open_recent()))
        self._show_template()
        self.refresh_recent()

    def create(self) -> None:
        """Start the new case described in the form."""
        self._on_new(str(self.template.value), self.case_id.value, self.title.value,
                     self.new_path.value.strip())

    def open_recent(self) -> None:
        """Open the recent case chosen in the list."""
        if not self.recent.value:
            self.status.error("Choose a recent case in the list first.")
            return
        self._on_open(str(self.recent.value))

    def refresh_recent(self) -> None:
        """Read the list of recent cases again."""
        items = recent_cases()
        self.recent.options = [(Path(p).name + "  —  " + str(Path(p).parent), p) for p in items]
        self.recent_button.disabled = not items

    def _show_template(self) -> None:
        found = templates()
        t = found.get(str(self.template.value))
        self.template_help.value = f"<span class='wb-hint'>{esc(t.description)}</span>" if t else ""
