"""How changes look on a map: diff marks drawn over the items' own vis-network style.

Used wherever two versions are shown on one map: the app's history compare
(:mod:`workbench.ui.graph_sync`) and the step-through presenter. The marks
themselves come from :meth:`workbench.diffing.FormulationDiff.marks`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["DIFF_STYLES", "mark_diff"]

#: How a diff mark looks on top of the kind's own style: a border colour (Okabe-Ito),
#: a label prefix (so it reads without colour too) and a tooltip line.
DIFF_STYLES: dict[str, dict[str, str]] = {
    "added": {"color": "#009E73", "prefix": "+ ", "note": "Added"},
    "removed": {"color": "#D55E00", "prefix": "− ", "note": "Removed"},
    "changed": {"color": "#0072B2", "prefix": "~ ", "note": "Changed"},
}


def mark_diff(items: Iterable[Mapping[str, Any]], marks: Mapping[str, str]) -> list[dict[str, Any]]:
    """Return copies of nodes or edges with diff marks drawn on top of their own style.

    ``marks`` maps ids to ``"added"``, ``"removed"`` or ``"changed"``; unmarked items are faded.

    >>> mark_diff([{"id": "a", "label": "A", "title": "A"}], {"a": "added"})[0]["label"]
    '+ A'
    """
    out = []
    for item in items:
        new = copy.deepcopy(dict(item))
        mark = marks.get(str(new.get("id")))
        is_node = "from" not in new
        if mark is None:
            if is_node:
                new["opacity"] = min(float(new.get("opacity", 1.0)), 0.45)
            else:
                color = new.get("color")
                new["color"] = {**(color if isinstance(color, dict) else {}), "opacity": 0.35}
        else:
            style = DIFF_STYLES[mark]
            new["label"] = style["prefix"] + str(new.get("label", ""))
            new["title"] = f"{style['note']}\n{new.get('title', '')}".rstrip()
            new["diff"] = mark
            if is_node:
                color = new.get("color")
                new["color"] = {**(color if isinstance(color, dict) else {}), "border": style["color"]}
                new["borderWidth"] = 5
                if mark == "removed":
                    new["shapeProperties"] = {"borderDashes": [6, 4]}
                    new["opacity"] = 0.6
            else:
                new["color"] = {"color": style["color"], "highlight": style["color"], "opacity": 1.0}
                new["width"] = 4
                if mark == "removed":
                    new["dashes"] = [6, 4]
        out.append(new)
    return out
