"""What the ``workbench`` subcommands share: the :class:`Command` row, argument types and
options, terminal-safe text and tables, JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench import _clock, errors
from workbench._text import safe_text
from workbench._values import plain

__all__ = [
    "CELL_LIMIT",
    "Command",
    "add_json",
    "add_version",
    "cell",
    "clean",
    "indent",
    "jsonable",
    "login_name",
    "one_line",
    "output_file",
    "positive_number",
    "print_json",
    "session_number",
    "table",
    "version_number",
]


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, a one-line help, its arguments and what it does.

    ``configure`` adds the subcommand's arguments to its parser; ``run`` gets the
    parsed arguments and returns the exit code (0 when it succeeds; errors are
    raised, not returned).
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""


def _whole_number(text: str, *, whole: str, least: int, below: str) -> int:
    """``text`` as a whole number of at least ``least``, or an argparse error saying why not."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{whole}, not {text!r}") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"{below}, not {number}")
    return number


def version_number(text: str) -> int:
    """Parse a version number (1, 2, ...) or tell argparse why it is not one."""
    return _whole_number(text, whole="a version is a whole number", least=1, below="versions start at 1")


def positive_number(text: str) -> int:
    """Parse a whole number of at least 1 (a count or a length)."""
    return _whole_number(text, whole="expected a whole number", least=1,
                         below="expected a number of at least 1")


def session_number(text: str) -> int:
    """Parse a session number (0, 1, ...) or tell argparse why it is not one."""
    return _whole_number(text, whole="a session is a whole number", least=0,
                         below="sessions are numbered from 0")


def add_version(
    parser: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup,
    help: str = "the version to read (default: the latest)",
) -> None:
    """Add the ``--version N`` (``-v N``) option that picks a saved version."""
    parser.add_argument("--version", "-v", type=version_number, metavar="N", help=help)


def add_json(parser: argparse.ArgumentParser) -> None:
    """Add the ``--json`` option of the data-printing commands."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text (see docs/cli.md)")


def print_json(value: Any) -> None:
    """Print ``value`` as indented UTF-8 JSON (NaN is refused: convert with :func:`jsonable`)."""
    print(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False))


def jsonable(value: Any) -> Any:
    """Turn records, tuples, numpy/pandas scalars, NaN and times (as UTC stamps) into plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    value = plain(value)
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, datetime):
        return _clock.stamp(value)
    return str(value)


def login_name() -> str:
    """Return the user's login name, the default author of a version ('' where there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""


def output_file(output: str, source: str) -> Path:
    """The file a command writes, refused when it is the formulation file ``source`` itself."""
    out = Path(output)
    if out.exists() and out.resolve() == Path(source).resolve():
        raise errors.WorkbenchError("The output file is the formulation file itself; choose another name.")
    return out


# --- text output ---------------------------------------------------------------------

#: Table cells longer than this are cut (with "…").
CELL_LIMIT = 48


def clean(text: str, limit: int | None = None) -> str:
    """Make clinical text safe for one terminal line: no control characters or newlines.

    ``limit`` cuts the result to that many characters.
    """
    safe = safe_text(text)
    return safe if limit is None else safe[:limit]


def one_line(text: str) -> str:
    """:func:`clean` ``text`` and fold every run of white space into one space."""
    return " ".join(clean(text).split())


def cell(value: Any, limit: int = CELL_LIMIT) -> str:
    """``value`` as one table cell of at most ``limit`` characters ('' for ``None``)."""
    if value is None:
        return ""
    text = one_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = CELL_LIMIT, *,
          last_limit: int = 400, rule: bool = True, empty: str | None = "(none)") -> str:
    """Align ``rows`` under ``headers`` in plain-text columns.

    Cells are cut to ``limit`` characters, except in the last column, which is
    cut to ``last_limit`` and not padded. ``rule`` draws a line of dashes under
    the headers; ``empty`` is the line shown when there are no rows (``None``: none).
    """
    cells = [[cell(v, limit if i < len(headers) - 1 else last_limit) for i, v in enumerate(row)]
             for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        padded = [v.ljust(widths[i]) for i, v in enumerate(values[:-1])] + [values[-1]]
        return "  ".join(padded).rstrip()

    out = [line(list(headers))]
    if rule:
        out.append(line(["-" * w for w in widths]))
    out += [line(r) for r in cells]
    if not rows and empty is not None:
        out.append(empty)
    return "\n".join(out)


def indent(text: str) -> str:
    """Indent every non-empty line of ``text`` by two spaces."""
    return "\n".join("  " + line if line else line for line in text.splitlines())
