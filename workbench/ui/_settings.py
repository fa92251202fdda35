"""Small per-user settings of the app, kept in ``~/.config/formulation-workbench/settings.json``.

Only conveniences live here (the author name last used), never case material.
Reading or writing them never stops an action: a missing or broken file means
"nothing remembered", and a file that cannot be written is left alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from workbench.session import EditSession

__all__ = ["remember_author", "remembered_author", "settings_file"]


def settings_file() -> Path:
    """Where the settings are kept: ``~/.config/formulation-workbench/settings.json``."""
    return Path.home() / ".config" / "formulation-workbench" / "settings.json"


def remembered_author(session: EditSession | None = None) -> str:
    """Return the author this user last saved as, else the author of the case's latest version, else ''."""
    name = _read().get("author")
    if isinstance(name, str) and name.strip():
        return name.strip()
    if session is not None and session.path is not None and session.path.is_file():
        try:
            authors = [rev.author for rev in session.history() if rev.author.strip()]
        except Exception:  # a file that cannot be read now: nothing to suggest
            return ""
        return authors[-1].strip() if authors else ""
    return ""


def remember_author(name: str) -> None:
    """Remember ``name`` as this user's author name (quietly does nothing if it cannot be written)."""
    if not name.strip():
        return
    data = _read()
    data["author"] = name.strip()
    target = settings_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def _read() -> dict[str, Any]:
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
