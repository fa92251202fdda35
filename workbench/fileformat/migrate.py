"""One-step migrations of older file formats to the current one.

Each migration ``upgrade_from_N`` moves one line of a format-``N`` file (the
header or a revision line) to format ``N + 1``; :func:`upgrade` chains them
one step at a time and records the format the file was written in as
``original_format_version`` in the header.

- format 1 -> 2 (:func:`upgrade_from_1`): format 2 adds a checksum to every
  line; a format-1 line has none, so only the header's version moves. The
  lines of a format-1 file stay unverified (the reader knows the file's
  original format); ``workbench repair`` rewrites a file in format 2.

A future format 3 adds ``upgrade_from_2`` here (and a ``v3/`` folder with
its schema), registered with ``register(2, upgrade_from_2)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from workbench.errors import FileContentError
from workbench.fileformat import v2
from workbench.fileformat._places import Problem

__all__ = ["CURRENT_FORMAT", "MIGRATIONS", "LineKind", "Migration", "register", "upgrade", "upgrade_from_1"]

#: The format this version of the workbench writes.
CURRENT_FORMAT = v2.FORMAT_VERSION

LineKind = Literal["header", "revision"]

#: A migration takes one line object of format N and its kind and returns it in format N + 1.
Migration = Callable[[dict[str, Any], LineKind], dict[str, Any]]

#: ``MIGRATIONS[N]`` upgrades format N to N + 1.
MIGRATIONS: dict[int, Migration] = {}


def register(from_version: int, migration: Migration) -> None:
    """Register ``migration`` as the step from format ``from_version`` to ``from_version + 1``."""
    MIGRATIONS[from_version] = migration


def upgrade(
    line: dict[str, Any], kind: LineKind, from_version: int, to_version: int = CURRENT_FORMAT
) -> dict[str, Any]:
    """Return ``line`` moved from format ``from_version`` to ``to_version``, one step at a time.

    A header that moved records ``original_format_version``; each step must
    set the header's ``format_version`` to the next number.

    >>> upgrade({"format_version": 2}, "header", 2)
    {'format_version': 2}
    >>> upgrade({"format_version": 1}, "header", 1)
    {'format_version': 2, 'original_format_version': 1}
    """
    version = from_version
    while version < to_version:
        step = MIGRATIONS.get(version)
        if step is None:
            raise Problem(
                f"files of format {version} cannot be read by this version of Formulation Workbench.",
                kind=FileContentError,
            )
        line = step(dict(line), kind)
        version += 1
        if kind == "header" and line.get("format_version") != version:
            raise RuntimeError(f"The migration from format {version - 1} did not set format {version}.")
    if kind == "header" and from_version != to_version:
        line.setdefault("original_format_version", from_version)
    return line


def upgrade_from_1(line: dict[str, Any], kind: LineKind) -> dict[str, Any]:
    """Move a format-1 line to format 2: the header's version moves; records are stored alike."""
    if kind == "header":
        line["format_version"] = 2
    return line


register(1, upgrade_from_1)
