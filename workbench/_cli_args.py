"""Argument types and options shared by the ``workbench`` subcommands."""

from __future__ import annotations

import argparse

__all__ = ["add_version", "positive_number", "version_number"]


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
