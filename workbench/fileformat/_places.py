"""Where something is in a formulation file, for error messages that name the place."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import FileContentError, FormulationFileError

__all__ = ["Place", "Problem"]


class Problem(Exception):
    """Something wrong inside one line, found before the line's place is attached.

    ``subject`` names the record or field (e.g. ``"element 'el-1a2b'"``);
    :meth:`Place.error` turns a problem into a :class:`FormulationFileError`.
    """

    def __init__(
        self, message: str, subject: str | None = None, kind: type[FormulationFileError] = FileContentError
    ) -> None:
        super().__init__(message)
        self.message = message
        self.subject = subject
        self.kind = kind


@dataclass(frozen=True)
class Place:
    """A line of a file: its number (1 is the header) and the version it holds."""

    path: str
    line: int | None = None
    version: int | None = None

    def where(self, subject: str | None = None) -> str | None:
        """Return e.g. ``"line 7 (version 6), element 'el-1a2b'"``."""
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}" + (f" (version {self.version})" if self.version else ""))
        elif self.version is not None:
            parts.append(f"version {self.version}")
        if subject:
            parts.append(subject)
        return ", ".join(parts) or None

    def error(self, problem: Problem) -> FormulationFileError:
        """Return the file error for ``problem`` found at this place."""
        return problem.kind(problem.message, path=self.path, where=self.where(problem.subject))
