"""One-step migrations of older file formats to the current one.

Each migration ``upgrade_from_N`` moves one line of a format-``N`` file (the
header or a revision line) to format ``N + 1``; :func:`upgrade` chains them
one step at a time and records the format the file was written in as
``original_format_version`` in the header. Format 1 is the first format of
the workbench, so no migration exists yet: the registry is empty and
:func:`upgrade` is a no-op for format-1 files.

A future format 2 adds ``upgrade_from_1`` here (and a ``v2/`` folder with
its schema), registered with ``register(1, upgrade_from_1)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from workbench.errors import FileContentError
from workbench.fileformat import v1
from workbench.fileformat._places import Problem

__all__ = ["CURRENT_FORMAT", "MIGRATIONS", "LineKind", "Migration", "register", "upgrade"]

#: The format this version of the workbench writes.
CURRENT_FORMAT = v1.FORMAT_VERSION

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

    >>> upgrade({"format_version": 1}, "header", 1)
    {'format_version': 1}
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
