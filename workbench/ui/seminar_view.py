"""The supervisor's Seminar view: hand-ins per case, read-only map, comments, comparison, presenter.

A thin panel over :mod:`workbench.classroom.seminar`. ``workbench.seminar()`` opens it (in a
notebook or in Voilà). Nothing here writes into a trainee's file: a comment goes to the
feedback file of the hand-in.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pandas as pd

from workbench.classroom import folders as places
from workbench.classroom import seminar
from workbench.errors import SessionError
from workbench.session import EditSession
from workbench.ui._common import StatusLine, esc, guarded
from workbench.ui._static import style_html
from workbench.ui.graph_sync import GraphBinding
from workbench.ui.graph_view import GraphView
from workbench.ui.presenter import Presenter

__all__ = ["SeminarView"]

_WHOLE = "__whole__"
_STYLE = style_html("seminar.css")


class SeminarView(w.VBox):  # type: ignore[misc]
    """Lists the hand-ins of a case; opens, comments on, compares and presents them."""

    def __init__(self, *, root: str | Path | None = None) -> None:
        self.folders = places.seminar_folders(root)
        self.user = places.current_user()
        self.status = StatusLine()
        self.case = w.Dropdown(description="Case", layout=w.Layout(width="50%"))
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.table = w.HTML()
        self.table.add_class("wb-handins")
        self.handin = w.Dropdown(description="Hand-in", layout=w.Layout(width="50%"))
        self.open_button = w.Button(description="Open read-only", icon="eye")
        self.compare_button = w.Button(description="Compare with the reference", icon="columns",
                                       button_style="info", layout=w.Layout(width="auto"))
        self.present_button = w.Button(description="Present", icon="television")
        self.target = w.Dropdown(description="About", layout=w.Layout(width="50%"))
        self.comment = w.Textarea(placeholder="Your comment for the trainee",
                                  layout=w.Layout(width="70%", height="4em"))
        self.send_button = w.Button(description="Send comment", icon="comment", button_style="primary",
                                    disabled=True)
        self.comparison = w.HTML()
        self.comparison.add_class("wb-comparison")
        self.graph: GraphView | None = None
        self._shown = w.VBox()
        self.opened: EditSession | None = None
        for widget, name in [
            (self.case, "wb-seminar-case"), (self.handin, "wb-seminar-handin"),
            (self.open_button, "wb-open-handin"),
            (self.compare_button, "wb-compare-handins"), (self.present_button, "wb-present-handin"),
            (self.target, "wb-comment-target"), (self.comment, "wb-comment-text"),
            (self.send_button, "wb-send-comment"), (self.status, "wb-seminar-status"),
        ]:
            widget.add_class(name)
        say = guarded(self.status)
        self.refresh_button.on_click(say(lambda _b: self.refresh()))
        self.case.observe(lambda _c: self._list_case(), names="value")
        self.open_button.on_click(say(lambda _b: self.open_handin()))
        self.compare_button.on_click(say(lambda _b: self.compare()))
        self.present_button.on_click(say(lambda _b: self.present()))
        self.send_button.on_click(say(lambda _b: self.send_comment()))
        heading = w.HTML(
            _STYLE + f"<b>Seminar</b>: the hand-ins, seen by {esc(self.user)}. <b>Open read-only</b> shows "
            "one; a comment reaches its trainee without changing their file; <b>Compare with the "
            "reference</b> compares every hand-in of the case with the reference and with each other."
        )
        super().__init__([
            heading, w.HBox([self.case, self.refresh_button]), self.table,
            w.HBox([self.handin, self.open_button, self.present_button]), self._shown,
            w.HBox([self.target]), w.HBox([self.comment, self.send_button]), self.status,
            w.HBox([self.compare_button]), self.comparison,
        ], layout=w.Layout(width="100%"))
        self.add_class("wb-seminar")
        self.refresh()

    # --- actions ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the hand-ins again."""
        self._all = seminar.handins(self.folders)
        cases = sorted(set(self._all["case_id"]))
        keep = self.case.value
        self.case.options = cases
        if keep in cases:
            self.case.value = keep
        elif cases:
            self.case.index = 0
        self._list_case()
        if not cases:
            self.status.info("Nobody has handed in a case yet.")

    def open_handin(self, path: str | None = None) -> EditSession:
        """Show the picked hand-in's map, read-only (nothing is saved from here)."""
        chosen = path or self.handin.value
        if not chosen:
            raise SessionError("Pick a hand-in first.")
        self.opened = EditSession.open_file(chosen)
        self.graph = GraphView(height="520px")
        self.graph.add_class("wb-graph")
        GraphBinding(self.opened, self.graph)
        self.graph.read_only = True  # no dragging or linking: nothing here is saved
        f = self.opened.formulation
        self.target.options = [("the whole formulation", _WHOLE)] + [
            (f"{e.label} ({e.kind})", e.id) for e in f.element_records()
        ]
        self.target.index = 0
        self.send_button.disabled = False
        trainee = Path(chosen).parent.name
        caption = w.HTML(f"<b>{esc(trainee)}</b>: {esc(f.meta.title or f.meta.case_id)}, read-only")
        self._shown.children = [caption, self.graph]
        self.status.info(f"Opened {trainee}'s hand-in read-only.")
        return self.opened

    def send_comment(self) -> int:
        """Send the comment to the trainee of the opened hand-in (into the feedback file)."""
        if self.opened is None or self.opened.path is None:
            raise SessionError("Open a hand-in first (Open read-only), then write the comment.")
        target = None if self.target.value in (None, _WHOLE) else str(self.target.value)
        version = seminar.give_feedback(self.opened.path, self.comment.value, author=self.user,
                                        target=target, folders=self.folders)
        self.comment.value = ""
        self.status.info(f"Comment sent to {self.opened.path.parent.name} (feedback version {version}).")
        return version

    def compare(self) -> seminar.Comparison:
        """Compare every hand-in of the case with the reference and with each other."""
        result = seminar.compare_handins(str(self.case.value), self.folders)
        self.comparison.value = _comparison_html(result)
        self.status.info(f"Compared {len(result.summary)} hand-in(s) of {result.case_id}.")
        return result

    def present(self) -> Presenter:
        """Open the presenter on the picked hand-in, for the group."""
        chosen = self.handin.value
        if not chosen:
            raise SessionError("Pick a hand-in first.")
        presenter = Presenter(chosen, mode="layers")
        presenter.keys.reveal = True
        self._shown.children = [presenter.widget]
        return presenter

    def _list_case(self) -> None:
        rows = self._all[self._all["case_id"] == self.case.value] if len(self._all) else self._all
        self.handin.options = [
            (f"{trainee} (hand-in {version}, {when})", path)
            for trainee, version, when, path in zip(rows["trainee"], rows["version"], rows["handed_in"],
                                                    rows["path"], strict=True)
        ]
        if self.handin.options and self.handin.value is None:
            self.handin.index = 0
        shown = rows[["trainee", "version", "handed_in", "author", "message"]].rename(columns={
            "trainee": "Trainee", "version": "Hand-in", "handed_in": "Handed in", "author": "Author",
            "message": "Message"})
        self.table.value = shown.to_html(index=False, escape=True, border=0) if len(rows) else ""


def _comparison_html(result: seminar.Comparison) -> str:
    """The summary, then per trainee the figures and what they missed and added (all escaped)."""
    if result.reference is None:
        return "<i>There is no reference formulation for this case.</i>"
    parts = [f"<b>Compared with the reference</b> {esc(result.reference.name)}",
             _table(result.summary.round(2), index=False),
             "<b>Trainees compared with each other</b> (Jaccard of elements)",
             _table(result.pairwise.astype(float).round(2), index=True)]
    for trainee, figures in result.figures.items():
        rows = figures[["figure", "scope", "kind", "value"]].round(2)
        parts += [f"<details open><summary><b>{esc(trainee)}</b>: missed {len(result.missed[trainee])}, "
                  f"added {len(result.added[trainee])}</summary>",
                  _table(rows, index=False),
                  "<p>Missed: " + esc("; ".join(result.missed[trainee]) or "nothing") + "</p>",
                  "<p>Added: " + esc("; ".join(result.added[trainee]) or "nothing") + "</p></details>"]
    return "".join(parts)


def _table(frame: pd.DataFrame, *, index: bool) -> str:
    return str(frame.to_html(index=index, escape=True, border=0, na_rep="–"))
