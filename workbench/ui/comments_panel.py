"""The comments panel: supervisors' remarks on an element, a link or the whole formulation.

Comments live in the formulation (author, time, text, resolved) and are saved
with it: each addition, resolution or reopening is an edit of the session (it
can be undone, and the app's Save writes it as part of the next version).
The panel lists open comments first; resolved ones on request.

Example
-------
>>> from workbench.session import EditSession
>>> s = EditSession.new_case(case_id="T-1")
>>> fear = s.add_element("unconscious_fear", "Fear of being left")
>>> panel = CommentsPanel(s)
>>> panel.target.value = fear
>>> panel.author.value, panel.text.value = "Supervisor", "Any evidence from the sessions?"
>>> panel.add_button.click()
>>> [c.text for c in s.formulation.comment_records()]
['Any evidence from the sessions?']
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from workbench.errors import InvalidEntry
from workbench.model import Comment
from workbench.render.text import shown_time
from workbench.session import EditSession, SessionEvent
from workbench.ui._panel_kit import (
    NONE,
    FollowsSession,
    StatusLine,
    element_choices,
    esc,
    guarded,
    link_choices,
    panel_style,
    replace_children,
    set_choices,
    target_name,
)

__all__ = ["CommentsPanel"]


class CommentsPanel(FollowsSession):
    """Add, resolve and reopen comments; list the open ones (and, on request, the resolved ones).

    ``view`` (optional) is the app's graph: selecting an element or link there makes it
    the target of the next comment. ``status`` is the line for messages (the app's own);
    without one the panel has its own.
    """

    def __init__(
        self, session: EditSession, *, view: Any = None, author: str = "", status: StatusLine | None = None
    ) -> None:
        self.session = session
        self.view = view
        self.target = w.Dropdown(description="About", options=[], layout=w.Layout(width="100%"))
        self.author = w.Text(description="Author", value=author, placeholder="your name or role")
        self.text = w.Textarea(description="Comment", placeholder="What would you ask or suggest?",
                               layout=w.Layout(width="100%", height="80px"))
        self.add_button = w.Button(description="Add comment", button_style="primary", icon="comment")
        self.show_resolved = w.Checkbox(description="Show resolved comments too", value=False, indent=False)
        self.summary = w.HTML()
        self.items = w.VBox(layout=w.Layout(width="100%"))
        self.own_status = status is None
        self.status = status if status is not None else StatusLine()
        #: The resolve/reopen button of each listed comment, by comment id.
        self.buttons: dict[str, w.Button] = {}

        self.add_button.on_click(lambda _b: self.add())
        self.show_resolved.observe(lambda _c: self.refresh(), "value")
        if view is not None:
            view.observe(self._on_view_selected, "selected")
        self._stop = session.observe(self._on_session)

        self.widget = w.VBox(
            [
                panel_style(),
                w.HTML("<b>Comments</b> on an element, a link or the whole formulation. They are saved "
                       "with the next version."),
                self.target,
                self.author,
                self.text,
                self.add_button,
                *([self.status] if self.own_status else []),
                w.HBox([self.summary, self.show_resolved]),
                self.items,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("wb-comments-panel")
        self.refresh()

    # --- actions -------------------------------------------------------------------------

    @guarded
    def add(self) -> str | None:
        """Add the comment typed in the form; return its id."""
        author = self.author.value.strip()
        text = self.text.value.strip()
        if not author:
            raise InvalidEntry("Please give your name or role as the author of the comment.")
        if not text:
            raise InvalidEntry("Please write the comment first.")
        target = self.target.value or None
        with self.session.step("add comment"):
            comment_id = self.session.formulation.add_comment(text, author=author, target=target)
        self.text.value = ""
        self.status.info(f"Comment added on {target_name(self.session.formulation, target)}.")
        return comment_id

    @guarded
    def resolve(self, comment_id: str) -> None:
        """Mark a comment resolved."""
        with self.session.step("resolve comment"):
            self.session.formulation.resolve_comment(comment_id, True)
        self.status.info("Comment marked resolved.")

    @guarded
    def reopen(self, comment_id: str) -> None:
        """Open a resolved comment again."""
        with self.session.step("reopen comment"):
            self.session.formulation.resolve_comment(comment_id, False)
        self.status.info("Comment reopened.")

    def open_comments(self) -> list[Comment]:
        """Return the comments not yet resolved, oldest first."""
        return [c for c in self.session.formulation.comment_records() if not c.resolved]

    @guarded
    def refresh(self) -> None:
        """Re-read the formulation: targets and the list of comments."""
        f = self.session.formulation
        keep = self.target.value
        choices = [("The whole formulation", NONE)]
        choices += [(f"Element: {text}", value) for text, value in element_choices(f)]
        choices += [(f"Link: {text}", value) for text, value in link_choices(f)]
        set_choices(self.target, choices, keep)

        comments = f.comment_records()
        open_ones = [c for c in comments if not c.resolved]
        resolved = [c for c in comments if c.resolved]
        self.summary.value = (f"<b>{len(open_ones)}</b> open comment{'s' if len(open_ones) != 1 else ''}, "
                              f"{len(resolved)} resolved")
        shown = open_ones + (resolved if self.show_resolved.value else [])
        self.buttons = {}
        rows: list[w.Widget] = []
        for c in shown:
            button = w.Button(
                description="Reopen" if c.resolved else "Resolve",
                icon="undo" if c.resolved else "check",
                tooltip="Open this comment again" if c.resolved else "Mark this comment resolved",
                layout=w.Layout(width="110px", flex="0 0 auto"),
            )
            button.on_click(self._toggle_handler(c.id))
            self.buttons[c.id] = button
            rows.append(w.HBox([w.HTML(_comment_html(c, target_name(f, c.target)),
                                       layout=w.Layout(flex="1 1 auto")), button]))
        if not rows:
            rows.append(w.HTML("<p class='wb-panel-empty'>No open comments.</p>"))
        replace_children(self.items, rows)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop listening to the session."""
        self._stop()

    # --- helpers ---------------------------------------------------------------------------

    def _toggle_handler(self, comment_id: str) -> Any:
        def toggle(_button: w.Button) -> None:
            f = self.session.formulation
            if f.comment(comment_id).resolved:
                self.reopen(comment_id)
            else:
                self.resolve(comment_id)

        return toggle

    def _on_session(self, _event: SessionEvent) -> None:
        if self._follow():
            self.refresh()

    def _on_view_selected(self, change: dict[str, Any]) -> None:
        picked = change["new"]
        if picked and picked in {v for _, v in self.target.options}:
            self.target.value = picked


def _comment_html(c: Comment, about: str) -> str:
    state = ("<span class='wb-badge wb-badge-resolved'>resolved</span>" if c.resolved
             else "<span class='wb-badge wb-badge-open'>open</span>")
    css = "wb-comment wb-comment-resolved" if c.resolved else "wb-comment"
    when = shown_time(c.time) if c.time else ""
    return (f"<div class='{css}'>{state}<span class='wb-comment-meta'>{esc(c.author or 'unknown author')}, "
            f"{esc(when)}, on {esc(about)}</span><br>{esc(c.text)}</div>")
