"""The map's view state, kept beside a case file: where each element is drawn, which ones were dragged.

Positions are how a map *looks*, not what the formulation *says*, so they are not part of the
versioned case file (whose format stays as it is): they live in a small JSON file next to it,
``<name>.view.json`` beside ``<name>.formulation.json``, written (atomically, replacing the last
one) each time the case is saved, and read when it is opened, so a reopened map is drawn as it
was left, without a new layout. A missing, unreadable or foreign view file only means the map is
laid out anew: it never stops a case from opening.

>>> import tempfile, pathlib
>>> case = pathlib.Path(tempfile.mkdtemp()) / "c017.formulation.json"
>>> view_path(case).name
'c017.view.json'
>>> _ = save_view(case, ViewState({"e1": (10.0, -40.5)}, frozenset({"e1"})))
>>> load_view(case)
ViewState(positions={'e1': (10.0, -40.5)}, pinned=frozenset({'e1'}))
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.fileformat.writer import create_file, dumps

__all__ = ["VIEW_FORMAT", "ViewState", "load_view", "save_view", "view_path"]

#: The ``format`` of a view file.
VIEW_FORMAT = "formulation-workbench-view"
_VERSION = 1
_CASE_SUFFIX = ".formulation.json"


@dataclass(frozen=True)
class ViewState:
    """Where the map draws each element (``{id: (x, y)}``, map units) and the ids the user dragged."""

    positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    pinned: frozenset[str] = frozenset()


def view_path(case_path: str | Path) -> Path:
    """Return the view file of a case file: ``x.view.json`` for ``x.formulation.json``."""
    p = Path(case_path)
    name = p.name[: -len(_CASE_SUFFIX)] if p.name.endswith(_CASE_SUFFIX) else p.name
    return p.with_name(name + ".view.json")


def load_view(case_path: str | Path) -> ViewState:
    """Return the view state kept beside ``case_path``; an empty one if there is none usable."""
    try:
        data = json.loads(view_path(case_path).read_bytes())
    except (OSError, ValueError):
        return ViewState()
    if not isinstance(data, dict) or data.get("format") != VIEW_FORMAT:
        return ViewState()
    if data.get("format_version") != _VERSION:
        return ViewState()
    positions: dict[str, tuple[float, float]] = {}
    raw = data.get("positions")
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        if _is_point(value):
            positions[str(key)] = (float(value[0]), float(value[1]))
    pinned = data.get("pinned")
    listed = pinned if isinstance(pinned, list) else []
    kept = frozenset(str(i) for i in listed if str(i) in positions)
    return ViewState(positions, kept)


def save_view(case_path: str | Path, state: ViewState) -> Path:
    """Write the view state beside ``case_path`` (atomically) and return the view file's path."""
    target = view_path(case_path)
    data: dict[str, Any] = {
        "format": VIEW_FORMAT,
        "format_version": _VERSION,
        "case_file": Path(case_path).name,
        "positions": {k: [round(x, 1), round(y, 1)] for k, (x, y) in sorted(state.positions.items())},
        "pinned": sorted(i for i in state.pinned if i in state.positions),
    }
    create_file(target, [dumps(data) + b"\n"])
    return target


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    )
