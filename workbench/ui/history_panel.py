"""The history panel: the versions of the file; view one read-only, compare two, restore one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w

from workbench.diffing import FormulationDiff
from workbench.errors import InvalidValue
from workbench.render.text import shown_time, text_or_none
from workbench.session import EditSession, Revision
from workbench.ui._common import ConfirmBar, StatusLine, esc, guarded, parse_session
from workbench.ui._settings import remember_author, remembered_author
from workbench.ui.graph_sync import GraphBinding

__all__ = ["HistoryPanel", "diff_table_html", "history_table_html"]

_NOW = -1  # the "version" standing for the case as it is now (unsaved changes included)

#: Stands for "the session number of the version restored" (the default of :meth:`HistoryPanel.restore`).
CARRY = object()


class HistoryPanel(w.VBox):  # type: ignore[misc]
    """Versions table; view, compare (listed and coloured on the graph) and restore versions."""

    def __init__(self, session: EditSession, status: StatusLine, graph: GraphBinding,
                 author: Callable[[], str]) -> None:
        self.session = session
        #: This tab's message line, next to its buttons (it passes each message on to ``status``).
        self.status = status.near("wb-history-message")
        self.graph = graph
        self._author = author
        guard = guarded(self.status)
        self.table = w.HTML(layout=w.Layout(width="100%", max_height="220px", overflow="auto"))
        self.version = w.Dropdown(description="Version", style={"description_width": "70px"},
                                  layout=w.Layout(width="180px"))
        self.view_button = w.Button(description="View", icon="eye", tooltip="Show this version read-only")
        self.restore_button = w.Button(description="Restore…", icon="history",
                                       tooltip="Save this version again as the newest version")
        self.diff_a = w.Dropdown(description="Compare", style={"description_width": "70px"},
                                 layout=w.Layout(width="180px"))
        self.diff_b = w.Dropdown(description="with", style={"description_width": "40px"},
                                 layout=w.Layout(width="180px"))
        self.compare_button = w.Button(description="Compare", icon="columns",
                                       tooltip="List the differences and colour them on the graph")
        self.back_button = w.Button(description="Back to editing", icon="pencil", button_style="info",
                                    tooltip="Show the case being edited again")
        self.diff_list = w.HTML(layout=w.Layout(width="100%", max_height="260px", overflow="auto"))
        self.refresh_button = w.Button(description="Refresh", icon="refresh", layout=w.Layout(width="100px"))
        self.confirm = ConfirmBar("wb-history")
        self.restore_author = w.Text(description="Author", placeholder="your name or initials",
                                     style={"description_width": "70px"}, layout=w.Layout(width="100%"))
        self.restore_author.add_class("wb-history-restore-author")
        self.restore_session = w.Text(description="Session", placeholder="optional",
                                      style={"description_width": "70px"}, layout=w.Layout(width="180px"))
        self.restore_session.add_class("wb-history-restore-session")
        self.restore_fields = w.HBox([self.restore_author, self.restore_session],
                                     layout=w.Layout(display="none", width="100%"))
        self.restore_fields.add_class("wb-history-restore-fields")
        for widget, name in [
            (self.table, "wb-history-table"), (self.version, "wb-history-version"),
            (self.view_button, "wb-history-view"), (self.restore_button, "wb-history-restore"),
            (self.diff_a, "wb-diff-a"), (self.diff_b, "wb-diff-b"),
            (self.compare_button, "wb-history-compare"),
            (self.back_button, "wb-history-back"), (self.diff_list, "wb-diff-list"),
            (self.refresh_button, "wb-history-refresh"),
        ]:
            widget.add_class(name)
        super().__init__([
            w.HBox([w.HTML("<b>Versions</b>"), self.refresh_button],
                   layout=w.Layout(justify_content="space-between")),
            self.table,
            w.HBox([self.version, self.view_button, self.restore_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.restore_fields,
            self.confirm,
            self.status,
            w.HBox([self.diff_a, self.diff_b, self.compare_button], layout=w.Layout(flex_flow="row wrap")),
            self.back_button,
            self.diff_list,
        ], layout=w.Layout(width="100%", padding="4px"))
        self.add_class("wb-history-panel")
        self.refresh_button.on_click(guard(lambda _b: self.refresh()))
        self.view_button.on_click(guard(lambda _b: self.view()))
        self.compare_button.on_click(guard(lambda _b: self.compare()))
        self.back_button.on_click(guard(lambda _b: self.back()))
        self.restore_button.on_click(guard(lambda _b: self.ask_restore()))
        self.refresh()

    def refresh(self) -> None:
        """Read the versions from the file again."""
        if self.session.path is None or not self.session.path.exists():
            self.table.value = "<span class='wb-hint'>This case has not been saved yet: no versions.</span>"
            self._set_choices([])
            return
        revisions = self.session.history()
        self.table.value = history_table_html(revisions)
        self._set_choices(revisions.versions())

    def view(self, version: int | None = None) -> None:
        """Show a version read-only in the graph."""
        number = self.version.value if version is None else version
        if number is None:
            self.status.error("There is no saved version to view yet.")
            return
        f = self.session.view_version(int(number))
        self.graph.show_version(f, f"Version {number} (read-only)")
        self.back_button.layout.display = "flex"
        self.status.info(f"Showing version {number}, read-only. 'Back to editing' returns to the case.")

    def compare(self, a: int | None = None, b: int | None = None) -> FormulationDiff | None:
        """List what changed from version ``a`` to ``b`` and colour it on the graph (-1 = now)."""
        first = self.diff_a.value if a is None else a
        second = self.diff_b.value if b is None else b
        if first is None or second is None:
            self.status.error("Choose two versions to compare.")
            return None
        old = self.session.formulation if first == _NOW else self.session.view_version(int(first))
        new = self.session.formulation if second == _NOW else self.session.view_version(int(second))
        d = self.session.diff_versions(None if first == _NOW else int(first),
                                       None if second == _NOW else int(second))
        name_a, name_b = _name(first), _name(second)
        self.diff_list.value = diff_table_html(d, name_a, name_b)
        self.graph.show_diff(old, new, d, f"Changes from {name_a} to {name_b}: {d.summary()}")
        self.back_button.layout.display = "flex"
        self.status.info(f"{name_a.capitalize()} → {name_b}: {d.summary()}.")
        return d

    def back(self) -> None:
        """Show the case being edited again."""
        self.graph.show_current()
        self.back_button.layout.display = "none"
        self.diff_list.value = ""
        self.status.info("Back to editing the case.")

    def ask_restore(self) -> None:
        """Ask, here in the tab, before restoring the chosen version: author and session filled in."""
        number = self.version.value
        if number is None:
            self.status.error("There is no saved version to restore.")
            return
        if not self.restore_author.value.strip():
            self.restore_author.value = self._author().strip() or remembered_author(self.session)
        session = version_session(self.session, int(number))
        self.restore_session.value = "" if session is None else str(session)
        self.restore_fields.layout.display = "flex"
        extra = " Your unsaved changes will be discarded." if self.session.dirty else ""
        self.confirm.ask(f"Save version {number} again as the newest version?{extra}",
                         f"Restore version {number}",
                         guarded(self.status)(lambda: self._restore_quietly(int(number))))

    def _restore_quietly(self, version: int) -> None:
        if not self.restore_author.value.strip():  # the field was emptied: ask again, here
            self.ask_restore()
            raise InvalidValue("Please type your name or initials as the author of the restored version.")
        self.restore(version, author=self.restore_author.value,
                     session=parse_session(self.restore_session.value))
        self.restore_fields.layout.display = "none"

    def restore(
        self, version: int, *, author: str | None = None, session: int | object | None = CARRY
    ) -> int:
        """Restore ``version`` as a new version and go on editing it.

        ``author`` defaults to the Save tab's author, or the one remembered for this user;
        ``session`` to the session number of the version restored.
        """
        who = (author or "").strip() or self._author().strip() or remembered_author(self.session)
        if not who:
            self.restore_fields.layout.display = "flex"
            raise InvalidValue("Please type your name or initials as the author of the restored version.")
        number = version_session(self.session, version) if session is CARRY else session
        new = self.session.restore(version, author=who, discard=True, session=number)  # type: ignore[arg-type]
        remember_author(who)
        self.refresh()
        self.back_button.layout.display = "none"
        self.diff_list.value = ""
        self.status.info(f"Version {version} restored as version {new}.")
        return new

    def _set_choices(self, versions: list[int]) -> None:
        newest_first = sorted(versions, reverse=True)
        options = [(f"v{v}", v) for v in newest_first]
        self.version.options = options
        self.version.value = newest_first[0] if newest_first else None
        self.diff_a.options = options
        self.diff_b.options = [("now (unsaved)", _NOW), *options]
        older = newest_first[1:2] or newest_first[:1]
        self.diff_a.value = older[0] if older else None
        self.diff_b.value = newest_first[0] if newest_first else _NOW
        for button in (self.view_button, self.restore_button, self.compare_button):
            button.disabled = not versions
        if self.graph.live:
            self.back_button.layout.display = "none"


def history_table_html(revisions: Iterable[Revision]) -> str:
    """The versions (as :func:`workbench.history` returns them) as an escaped HTML table, newest first."""
    rows = []
    for rec in sorted(revisions, key=lambda r: r.version, reverse=True):
        session = "" if rec.session is None else str(rec.session)
        rows.append(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in (
                rec.version, shown_time(rec.time, zone=False), rec.author, session, rec.message,
            )) + "</tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("No.", "Date (UTC)", "Author", "Session", "Message"))
    return f"<table class='wb-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def diff_table_html(d: FormulationDiff, name_a: str, name_b: str) -> str:
    """The differences as an escaped HTML list: one line per record, changed fields named."""
    if d.is_empty:
        return f"<span class='wb-hint'>No differences between {esc(name_a)} and {esc(name_b)}.</span>"
    frame = d.to_frame()
    lines: list[str] = []
    seen: dict[tuple[str, str, str], list[str]] = {}
    for rec in frame.to_dict("records"):
        key = (str(rec["what"]), str(rec["change"]), str(rec["label"] or rec["id"]))
        fields = seen.setdefault(key, [])
        name = text_or_none(rec.get("field"))
        if name is not None:
            fields.append(name)
    for (what, change, label), fields in seen.items():
        detail = f" ({', '.join(fields)})" if fields else ""
        lines.append(f"<li class='wb-diff-{esc(change)}'><b>{esc(change)}</b> {esc(what)}: {esc(label)}"
                     f"{esc(detail)}</li>")
    return f"<div><b>{esc(d.summary())}</b></div><ul class='wb-diff'>{''.join(lines)}</ul>"


def version_session(session: EditSession, version: int) -> int | None:
    """Return the session number saved with ``version`` of the session's file (``None`` if none)."""
    revision = session.history().get(version)
    return None if revision is None else revision.session


def _name(version: Any) -> str:
    return "now (unsaved)" if version == _NOW else f"version {version}"
