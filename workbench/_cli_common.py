"""What the ``workbench`` subcommands share: argument types and options, JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import math
from dataclasses import asdict, is_dataclass
from typing import Any

__all__ = [
    "add_json", "add_version", "jsonable", "login_name", "positive_number", "print_json", "version_number",
]


def version_number(text: str) -> int:
    """Parse a version number (1, 2, ...) or tell argparse why it is not one."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a version is a whole number, not {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"versions start at 1, not {number}")
    return number


def positive_number(text: str) -> int:
    """Parse a whole number of at least 1 (a count or a length)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, not {number}")
    return number


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
    """Turn records, tuples, numpy/pandas scalars and NaN into plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return jsonable(item())
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return str(value)


def login_name() -> str:
    """Return the user's login name, the default author of a version ('' where there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return ""
