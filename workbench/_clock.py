"""The current time as the workbench writes it: UTC, ISO 8601, seconds."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["now"]


def now() -> str:
    """Return the current UTC time, e.g. ``'2026-11-25T19:10:46Z'``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
