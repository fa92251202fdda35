"""Small widgets and helpers shared by the panels: status line, guarded callbacks, evidence rows.

Everything user-written that goes into an ``HTML`` widget passes through :func:`esc`.
"""

from __future__ import annotations

import asyncio
import html
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import ipywidgets as w

from workbench.errors import InvalidValue, user_message
from workbench.model import CONFIDENCE_SCALE, STATUSES, TIME_FRAMES, Evidence, confidence_name

__all__ = [
    "LABELLED",
    "NOT_OPENED",
    "AssessmentFields",
    "ConfidenceInput",
    "ConfirmBar",
    "EvidenceEditor",
    "StatusLine",
    "esc",
    "failure_message",
    "full_width",
    "guarded",
    "on_enter",
    "open_or_explain",
    "parse_optional_float",
    "parse_session",
    "set_optional",
    "show_editing",
    "status_options",
    "time_frame_options",
]

_log = logging.getLogger("workbench.ui")

F = TypeVar("F", bound=Callable[..., Any])


def esc(text: object) -> str:
    """Escape text for an ``HTML`` widget (quotes too)."""
    return html.escape(str(text), quote=True)


class StatusLine(w.HTML):  # type: ignore[misc]
    """One line for what just happened, or what went wrong, as a sentence.

    The app has one in its header; each tab has its own next to its buttons (:meth:`near`),
    which shows the messages of that tab's actions and passes them on to the header. Every
    message flashes briefly when shown, and one repeated right after itself is marked with
    a count ("×2"), so a second identical message is visibly a new one.
    """

    def __init__(self, css_class: str = "wb-status") -> None:
        super().__init__(value="")
        self.add_class(css_class)
        self.message = ""
        self.is_error = False
        #: How many times in a row the current message was shown.
        self.repeats = 0
        self._parent: StatusLine | None = None
        self._near: list[StatusLine] = []
        self._flash = 0

    def near(self, css_class: str = "") -> StatusLine:
        """Return a status line for one tab: it shows that tab's messages and passes them on here.

        A message shown elsewhere (in this line or another tab's) clears the tab's line.
        """
        line = StatusLine("wb-status-near")
        if css_class:
            line.add_class(css_class)
        line._parent = self
        self._near.append(line)
        return line

    def info(self, message: str) -> None:
        """Show a plain message."""
        self._show(message, error=False)

    def error(self, message: str) -> None:
        """Show an error message (a sentence, never a traceback)."""
        self._show(message, error=True)

    def clear(self) -> None:
        """Show nothing."""
        self._show("", error=False)

    def _show(self, message: str, *, error: bool, origin: StatusLine | None = None) -> None:
        origin = origin or self
        if self._parent is not None and origin is self:
            self._parent._show(message, error=error, origin=self)
        for line in self._near:
            if line is not origin and line.message:
                line._display("", error=False)
        self._display(message, error=error)

    def _display(self, message: str, *, error: bool) -> None:
        repeated = bool(message) and message == self.message and error == self.is_error
        self.repeats = self.repeats + 1 if repeated else (1 if message else 0)
        self.message, self.is_error = message, error
        if error:
            self.add_class("wb-status-error")
        else:
            self.remove_class("wb-status-error")
        self._flash = 1 - self._flash  # two names for one animation: each message restarts it
        role = "alert" if error else "status"
        count = f' <span class="wb-status-count">×{self.repeats}</span>' if self.repeats > 1 else ""
        self.value = (f'<span role="{role}" class="wb-flash-{self._flash}">{esc(message)}{count}</span>'
                      if message else "")


#: What :func:`failure_message` adds after a fault of the workbench in a running app.
STILL_IN_MEMORY = "your work is still in memory. Please try again, or save a copy."

#: What :func:`failure_message` adds after a fault of the workbench while a case was being opened.
NOT_OPENED = "the case was not opened. Please report this."


def failure_message(err: Exception, *, then: str = STILL_IN_MEMORY) -> str:
    """The one sentence a notebook shows for a failure: the way every panel and every notebook
    function (``workbench.app``, ``supervise``, ``teach``, ``trace``) tells what went wrong.

    The user's own errors (:func:`workbench.errors.user_message`: an ``InvalidValue`` or any
    other workbench error, a file the system refuses) are told as they are. Anything else is a
    fault of the workbench: its traceback goes to the ``workbench.ui`` log, never onto the page,
    and the sentence names only its type, followed by ``then``.
    """
    message = user_message(err)
    if message is not None:
        return message
    _log.error("Unexpected error in the app", exc_info=err)
    return f"Something went wrong ({type(err).__name__}); {then}"


def guarded(status: StatusLine) -> Callable[[F], F]:
    """Wrap a widget callback so that any error ends up as a sentence in the status line."""

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as err:  # never a traceback in the app
                status.error(failure_message(err))
            return None

        return wrapper  # type: ignore[return-value]

    return decorate


View = TypeVar("View")


def open_or_explain(open_view: Callable[[], View]) -> View | StatusLine:
    """Open a view for a notebook function; if that fails, return a status line that says why.

    The sentence is :func:`failure_message`'s, so ``workbench.supervise``, ``teach`` and
    ``trace`` tell a failure as the app does, never with a traceback.
    """
    try:
        return open_view()
    except Exception as err:
        line = StatusLine()
        line.error(failure_message(err, then=NOT_OPENED))
        return line


#: Seconds between Enter and acting on it in a running kernel. The page sends Enter at once but may
#: hold the last keystrokes back until the kernel has answered the ones before (ipywidgets' message
#: throttle), so a quick Enter could otherwise act on a cut-short text (seen: a label typed at full
#: speed was added without its last 7 characters). The held-back text follows within a round trip.
ENTER_SETTLE = 0.3


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the IPython kernel this code runs in, or ``None`` outside a kernel."""
    kernel_app = sys.modules.get("ipykernel.kernelapp")
    if kernel_app is None or not kernel_app.IPKernelApp.initialized():
        return None  # e.g. a test process, whose event loop (if any) is not a kernel's
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def on_enter(text: w.Text, callback: Callable[[], None]) -> None:
    """Call ``callback()`` when Enter is pressed in ``text`` (the browser sends a 'submit' event).

    In a kernel, the call comes :data:`ENTER_SETTLE` seconds after the Enter, once the text
    typed before it has arrived; further Enters meanwhile are the same one. Outside a kernel
    (widgets driven from Python) the call is immediate.
    """
    pending = False

    def act() -> None:
        nonlocal pending
        pending = False
        callback()

    def submitted(_widget: w.Text) -> None:
        nonlocal pending
        loop = _kernel_loop()
        if loop is None:  # not in a kernel: the value was set from Python, nothing is in flight
            callback()
            return
        if not pending:
            pending = True
            loop.call_later(ENTER_SETTLE, act)

    with warnings.catch_warnings():
        # ipywidgets 8 marks on_submit deprecated but still sends the event; it is the only Enter hook.
        warnings.simplefilter("ignore", DeprecationWarning)
        text.on_submit(submitted)


def status_options() -> list[tuple[str, str]]:
    """Options for a status dropdown."""
    return [(s.capitalize(), s) for s in STATUSES]


def time_frame_options() -> list[tuple[str, str | None]]:
    """Options for a time-frame dropdown ('—' for none)."""
    return [("—", None)] + [(t.replace("_", "-").capitalize(), t) for t in TIME_FRAMES]


def set_optional(dropdown: w.Dropdown, value: object) -> None:
    """Set a dropdown whose options include ``None`` (shown as '—').

    ``None`` selects that option by its index, so the box shows '—' and is never blank
    (ipywidgets leaves no option selected when the value ``None`` is set directly, and
    clears the index again when choosing it moves the value from something else to ``None``).
    """
    if value is None:
        values = [v for _, v in dropdown.options]
        if None in values:
            dropdown.value = None  # first the value (this clears the index) ...
            dropdown.index = values.index(None)  # ... then the option, which now stays chosen
            return
    dropdown.value = value


def parse_session(text: str) -> int | None:
    """Turn a typed session number into a number (``None`` when empty)."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidValue(f"The session number must be a whole number, such as 5, not {text!r}.")
    return int(text)


def parse_optional_float(text: str, name: str) -> float | None:
    """Turn typed text into a number, or ``None`` when empty."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidValue(f"The {name} must be a number, such as 1 or -0.5, not {text!r}.") from None


class ConfirmBar(w.HBox):  # type: ignore[misc]
    """A question with Yes / No buttons, hidden until :meth:`ask` is called."""

    def __init__(self, css_prefix: str) -> None:
        self.question = w.HTML()
        self.yes = w.Button(description="Yes", button_style="danger")
        self.no = w.Button(description="Cancel")
        self.yes.add_class(f"{css_prefix}-confirm-yes")
        self.no.add_class(f"{css_prefix}-confirm-no")
        layout = w.Layout(display="none", flex_flow="row wrap", align_items="center")
        super().__init__([self.question, self.yes, self.no], layout=layout)
        self.add_class("wb-confirm")
        self._action: Callable[[], None] | None = None
        self.yes.on_click(lambda _b: self._answer(True))
        self.no.on_click(lambda _b: self._answer(False))

    @property
    def pending(self) -> bool:
        """Whether a question is waiting for an answer."""
        return self._action is not None

    def ask(self, question: str, yes_label: str, action: Callable[[], None]) -> None:
        """Show ``question``; run ``action`` if the user clicks the yes button."""
        self.question.value = f"<b>{esc(question)}</b>"
        self.yes.description = yes_label
        self._action = action
        self.layout.display = "flex"

    def cancel(self) -> None:
        """Hide the question without doing anything."""
        self._action = None
        self.layout.display = "none"

    def _answer(self, yes: bool) -> None:
        action = self._action
        self.cancel()
        if yes and action is not None:
            action()


#: The confidence levels offered as buttons, with the number each stands for ("not rated" is None).
CONFIDENCE_CHOICES: list[tuple[str, float | None]] = [
    ("not rated", None), *((name, CONFIDENCE_SCALE[name]) for name in ("low", "moderate", "high")),
]


class ConfidenceInput(w.VBox):  # type: ignore[misc]
    """Confidence as a visible choice (not rated / low / moderate / high), a number from 0 to 1 optional.

    A number typed wins over the buttons (the nearest level is then shown pressed);
    pressing a level empties the number. A loaded value that is not one of the
    levels is shown in the number field, so it is kept exactly.
    """

    def __init__(self, css_prefix: str) -> None:
        tips = ["No confidence given",
                *(f"{name} ({n:g})" for name, n in CONFIDENCE_CHOICES if n is not None)]
        self.choice = w.ToggleButtons(options=[name for name, _ in CONFIDENCE_CHOICES], value="not rated",
                                      tooltips=tips, style={"button_width": "78px"})
        self.number = w.Text(placeholder="0–1", layout=w.Layout(width="62px"),
                             tooltip="Optional: an exact confidence from 0 to 1, e.g. 0.6")
        self.level = w.Label(value="not rated", layout=w.Layout(width="110px"))
        self.choice.add_class(f"{css_prefix}-confidence")
        self.number.add_class(f"{css_prefix}-confidence-number")
        self.level.add_class(f"{css_prefix}-confidence-level")
        title = w.HTML("<b>Confidence</b> "
                       "<span class='wb-hint'>how sure you are; a number is optional</span>")
        super().__init__([title, w.HBox([self.choice, self.number, self.level],
                                        layout=w.Layout(align_items="center", flex_flow="row wrap"))])
        self.add_class("wb-confidence")
        self._setting = False
        self.choice.observe(self._on_choice, "value")
        self.number.observe(lambda _c: self._refresh(), "value")

    @property
    def value(self) -> float | None:
        """The confidence, or ``None`` when not rated.

        Raises :class:`~workbench.errors.InvalidValue` when the number typed is not one from 0 to 1.
        """
        number = parse_optional_float(self.number.value, "confidence")
        if number is not None:
            if not 0 <= number <= 1:
                raise InvalidValue(f"The confidence must be a number from 0 to 1, not {number:g}.")
            return number
        return dict(CONFIDENCE_CHOICES)[self.choice.value]

    @value.setter
    def value(self, confidence: float | None) -> None:
        self._setting = True
        try:
            exact = confidence is None or confidence in [n for _, n in CONFIDENCE_CHOICES]
            self.number.value = "" if exact else f"{confidence:g}"
            self.choice.value = _nearest_choice(confidence)
        finally:
            self._setting = False
        self._refresh()

    def _on_choice(self, _change: Any) -> None:
        if not self._setting:
            self.number.value = ""  # a level pressed replaces any number typed
        self._refresh()

    def _refresh(self) -> None:
        try:
            value = self.value
        except InvalidValue:
            self.level.value = "not a number from 0 to 1"
            return
        if value is not None and self.number.value.strip():
            self._setting = True
            try:
                self.choice.value = _nearest_choice(value)
            finally:
                self._setting = False
        self.level.value = f"{value:.2f} ({confidence_name(value)})" if value is not None else "not rated"


def _nearest_choice(confidence: float | None) -> str:
    """The button closest to ``confidence``."""
    if confidence is None:
        return "not rated"
    rated = [(name, number) for name, number in CONFIDENCE_CHOICES if number is not None]
    return min(rated, key=lambda item: abs(item[1] - confidence))[0]


class EvidenceEditor(w.VBox):  # type: ignore[misc]
    """Evidence items, one row each (session number, date, quote), added and removed freely."""

    def __init__(self, css_prefix: str) -> None:
        self._prefix = css_prefix
        self.rows_box = w.VBox()
        self.add_button = w.Button(description="Add evidence", icon="plus", layout=w.Layout(width="140px"),
                                   tooltip="Add a row for a session quote or note")
        self.add_button.add_class(f"{css_prefix}-add-evidence")
        self.add_button.on_click(lambda _b: self.add_row())
        title = w.HTML("<b>Evidence</b> <span class='wb-hint'>session, date (2024-03-18), quote</span>")
        #: The quotes behind the record shown, checked against the session notes (set by the panel).
        self.behind = w.HTML(layout=w.Layout(width="100%"))
        self.behind.add_class(f"{css_prefix}-quotes")
        super().__init__([title, self.rows_box, self.add_button, self.behind])
        self.add_class("wb-evidence")

    @property
    def rows(self) -> list[w.HBox]:
        """The evidence rows shown."""
        return list(self.rows_box.children)

    def add_row(self, item: Evidence | None = None) -> w.HBox:
        """Add one row (filled from ``item``) and return it."""
        session = w.Text(value="" if item is None or item.session is None else str(item.session),
                         placeholder="session", layout=w.Layout(width="70px"))
        day = w.Text(value=(item.date or "") if item else "", placeholder="date",
                     layout=w.Layout(width="100px"))
        note = item.note if item else ""
        quote = w.Text(value=(item.quote if item else ""), placeholder=f"note: {note}" if note else "quote",
                       tooltip=note, layout=w.Layout(flex="1 1 auto", width="auto"))
        remove = w.Button(icon="times", tooltip="Remove this evidence",
                          layout=w.Layout(width="36px", padding="0", flex="0 0 auto"))
        remove.description = ""
        session.add_class(f"{self._prefix}-evidence-session")
        day.add_class(f"{self._prefix}-evidence-date")
        quote.add_class(f"{self._prefix}-evidence-quote")
        remove.add_class(f"{self._prefix}-evidence-remove")
        row = w.HBox([session, day, quote, remove], layout=w.Layout(width="100%"))
        row.note = note  # kept as it is; only the quote is edited here
        row.start = item.start if item else None  # where a quote picked from session notes starts
        remove.on_click(lambda _b: self.remove_row(row))
        self.rows_box.children = (*self.rows_box.children, row)
        return row

    def remove_row(self, row: w.HBox) -> None:
        """Remove one row."""
        self.rows_box.children = tuple(r for r in self.rows_box.children if r is not row)

    @property
    def value(self) -> list[dict[str, Any]]:
        """The evidence as dicts for the model (empty rows are left out)."""
        items = []
        for row in self.rows:
            session, day, quote, _remove = row.children
            raw = session.value.strip()
            if not (raw or day.value.strip() or quote.value.strip()):
                continue
            items.append({
                "session": int(raw) if raw.isdigit() else (raw or None),
                "date": day.value.strip() or None,
                "quote": quote.value,
                "note": getattr(row, "note", ""),
                "start": getattr(row, "start", None),
            })
        return items

    @value.setter
    def value(self, items: Sequence[Evidence]) -> None:
        self.rows_box.children = ()
        for item in items:
            self.add_row(item)


def confidence_levels() -> list[str]:
    """The named confidence levels, lowest first."""
    return list(CONFIDENCE_SCALE)


#: The style of a labelled form field: labels in one 90 px column.
LABELLED = {"description_width": "90px"}


def full_width() -> w.Layout:
    """A full-width layout (each widget needs its own: a shared Layout would hide them all at once)."""
    return w.Layout(width="100%")


class AssessmentFields:
    """The fields an element and a link share: description, evidence, confidence and status.

    ``prefix`` (``"wb-element"``, ``"wb-link"``) names their CSS classes.
    """

    def __init__(self, prefix: str) -> None:
        self.description = w.Textarea(description="Description", rows=2, style=LABELLED, layout=full_width())
        self.evidence = EvidenceEditor(prefix)
        self.confidence = ConfidenceInput(prefix)
        self.status_field = w.Dropdown(description="Status", options=status_options(), style=LABELLED,
                                       layout=w.Layout(width="50%"))
        self.description.add_class(f"{prefix}-description")
        self.status_field.add_class(f"{prefix}-status")

    def values(self) -> dict[str, Any]:
        """The fields as the model takes them."""
        return {
            "description": self.description.value,
            "evidence": self.evidence.value,
            "confidence": self.confidence.value,
            "status": self.status_field.value,
        }

    def fill(self, record: Any) -> None:
        """Show the shared fields of an element or a link."""
        self.description.value = record.description
        self.evidence.value = list(record.evidence)
        self.confidence.value = record.confidence
        self.status_field.value = record.status

    def clear(self) -> None:
        """Empty the fields for a new record."""
        self.description.value = ""
        self.evidence.value = []
        self.evidence.behind.value = ""
        self.confidence.value = None
        self.status_field.value = "hypothesis"


def show_editing(
    note: w.HTML, buttons: Sequence[w.Button], editing: str | None, *, new: str
) -> None:
    """Enable Update/Delete ``buttons`` and say what is being edited (``editing``), or ``new``."""
    for button in buttons:
        button.disabled = editing is None
    text = new if editing is None else f"Editing: <b>{esc(editing)}</b>"
    note.value = f"<span class='wb-hint'>{text}</span>"
