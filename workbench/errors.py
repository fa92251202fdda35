"""Every error the workbench raises, named by meaning.

All errors derive from :class:`WorkbenchError`. Their messages are short
sentences meant for a clinician: they say what is wrong, where, and, where it
helps, what to do about it. The UI and the CLI show ``str(error)`` as it is.

One error style: a value the user gave that cannot be used (a field, an option,
a file name, an argument) is an :class:`InvalidValue`, never a bare
``ValueError`` or ``TypeError``; ``InvalidValue`` is a ``ValueError`` too, so
code that catches ``ValueError`` still works. :func:`user_message` is the one
place that decides which failures are the user's (told as a sentence) and which
are bugs (``None``): the CLI and the notebook functions both use it.
"""

from __future__ import annotations

from workbench._text import safe_text

__all__ = [
    "AmbiguousElement",
    "BrokenTemplateWarning",
    "CommentNotFound",
    "DiffDoesNotApply",
    "DuplicateId",
    "ElementInUse",
    "ElementNotFound",
    "FileContentError",
    "FormulationFileError",
    "IncompleteSaveWarning",
    "InvalidEntry",
    "InvalidValue",
    "LinkNotAllowed",
    "LinkNotFound",
    "ModelError",
    "NewerFormatError",
    "NotAFormulationFile",
    "NotJSONError",
    "RenderError",
    "SaveConflict",
    "SessionError",
    "SessionNotFound",
    "TemplateError",
    "TemplateNotFound",
    "TruncatedFileError",
    "UnknownKind",
    "UnsavedChanges",
    "VersionNotFound",
    "WorkbenchError",
    "short",
    "user_message",
]


class WorkbenchError(Exception):
    """Root of all workbench errors; ``str(err)`` is a message for the user."""


# --- templates ---------------------------------------------------------------


class TemplateError(WorkbenchError):
    """A framework template file is missing, unreadable or inconsistent."""


class TemplateNotFound(TemplateError):
    """No template with the requested id is installed."""


class BrokenTemplateWarning(UserWarning):
    """A user's template file that cannot be read was skipped; ``path`` names it.

    Every other template still works; only a case that uses the broken one fails
    (with a :class:`TemplateError` naming the file).
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


# --- the model ---------------------------------------------------------------


class ModelError(WorkbenchError):
    """An edit that the formulation cannot accept."""


class UnknownKind(ModelError):
    """An element or link kind that the template does not define."""


class LinkNotAllowed(ModelError):
    """A link kind that the template does not allow between two element kinds."""


class ElementNotFound(ModelError, KeyError):
    """No element with this id is in the formulation."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AmbiguousElement(ElementNotFound):
    """Several elements match a typed name; ``matches`` holds their ids."""

    def __init__(self, message: str, matches: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.matches = matches


class LinkNotFound(ModelError, KeyError):
    """No link with this id is in the formulation."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class CommentNotFound(ModelError, KeyError):
    """No comment with this id is in the formulation."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class SessionNotFound(ModelError, KeyError):
    """No session with this number has notes in the formulation."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ElementInUse(ModelError):
    """An element cannot be removed because links still use it."""

    def __init__(self, message: str, link_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.link_ids = link_ids


class InvalidValue(ModelError, ValueError):
    """A value given by the user (a field, an option, a file name, an argument) that is out of range
    or of the wrong type. A ``ValueError`` too, for callers that catch that."""


class DuplicateId(ModelError):
    """An id that is already used in the formulation."""


class DiffDoesNotApply(ModelError):
    """A set of changes (a diff) that does not fit the formulation it is applied to."""


# --- files -------------------------------------------------------------------


class FormulationFileError(WorkbenchError):
    """A formulation file that cannot be read, with the place in the file."""

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None) -> None:
        self.path = path
        self.where = where
        self.reason = message
        super().__init__(self._compose())

    def _compose(self) -> str:
        parts = []
        if self.path:
            parts.append(f"{self.path}")
        if self.where:
            parts.append(self.where)
        prefix = ", ".join(parts)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class NewerFormatError(FormulationFileError):
    """A file written by a newer version of the workbench."""


class NotAFormulationFile(FormulationFileError):
    """An empty file, or one that does not start with a formulation file header."""


class NotJSONError(FormulationFileError):
    """A line of a formulation file that is not JSON."""


class TruncatedFileError(FormulationFileError):
    """A file cut short before it holds one complete version."""


class FileContentError(FormulationFileError):
    """A formulation file whose content is wrong: types, kinds, links, ids or template."""


class IncompleteSaveWarning(UserWarning):
    """A save that was interrupted (a crash, a kill): its half-written last line is ignored.

    Every earlier version is intact; ``lost_version`` is the number the
    interrupted save would have had. The next save removes the broken line.
    """

    def __init__(self, message: str, *, path: str, lost_version: int) -> None:
        super().__init__(message)
        self.path = path
        self.lost_version = lost_version


class VersionNotFound(FormulationFileError):
    """A requested version number that the file does not hold."""


class SaveConflict(WorkbenchError):
    """Someone else saved a newer version since this formulation was loaded.

    Nothing was written. The formulation in memory keeps its unsaved changes,
    so it can be saved under another file name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        other_version: int | None = None,
        other_author: str | None = None,
        other_time: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.other_version = other_version
        self.other_author = other_author
        self.other_time = other_time


# --- rendering -----------------------------------------------------------------


class RenderError(WorkbenchError):
    """A formulation cannot be drawn, e.g. because the drawing library is not installed."""


# --- editing sessions (the app) ----------------------------------------------------


class SessionError(WorkbenchError):
    """An editing-session request that cannot be done now (no file yet, file exists, ...)."""


class InvalidEntry(SessionError, InvalidValue):
    """A value typed or chosen in the app that cannot be used: empty where one is needed, say."""


class UnsavedChanges(SessionError):
    """The case has unsaved changes that an action (open, restore, new) would throw away."""


def short(value: object, limit: int = 60) -> str:
    """Quote ``value`` for an error message, cut to ``limit`` characters.

    >>> short("a" * 100, limit=10)
    "'aaaaaaaaa…'"
    """
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def user_message(err: BaseException) -> str | None:
    """The sentence that tells the user about ``err``, or ``None`` when ``err`` is a bug.

    A :class:`WorkbenchError` says it itself; an operating-system error names the
    file and the reason (``'x.json: no such file or folder.'``); text that is not
    UTF-8 is named as such. Anything else is a fault of the workbench, for the
    caller to report as one.

    >>> user_message(InvalidValue("The weight is a number from 0 to 1."))
    'The weight is a number from 0 to 1.'
    >>> user_message(FileNotFoundError(2, "No such file or directory", "case.json"))
    'case.json: no such file or folder.'
    >>> user_message(ZeroDivisionError()) is None
    True
    """
    if isinstance(err, WorkbenchError):
        return str(err)
    if isinstance(err, UnicodeError):
        return "the file is not readable text (it is not UTF-8)."
    if isinstance(err, OSError):
        return _os_message(err)
    return None


def _os_message(exc: OSError) -> str:
    name = safe_text(str(exc.filename)) if exc.filename is not None else "the file"
    if isinstance(exc, FileNotFoundError):
        return f"{name}: no such file or folder."
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder, not a file."
    if isinstance(exc, PermissionError):
        return f"{name}: permission denied."
    reason = exc.strerror or type(exc).__name__
    return f"{name}: {reason}."
