"""Formulation -> vis-network data: the one place where nodes and edges get their look.

Both the standalone page (:func:`workbench.render.html.render_html`) and the
live graph widget build their nodes and edges here, so an element looks the same
everywhere. Every dict is JSON-serializable and holds only plain text: labels and
tooltips (``title``) are text, never HTML. The browser side must insert them with
``textContent`` or as DOM elements, never with ``innerHTML``.

Styling rules
-------------
- Colour and shape come from the element kind in the template (Okabe-Ito colours,
  a different shape per kind), so kinds stay apart without colour too.
- ``level`` is the kind's template layer; with :func:`network_options` the map
  reads from early experiences down to present problems. A layer with more than
  :data:`ROW_LIMIT` elements wraps onto extra rows (the layers after it move down),
  so a large formulation stays readable; see :func:`levels`.
- Status: a *supported* element has a thicker, darker outline; a *discarded* one
  is faded with a dashed outline; a *hypothesis* is drawn plainly.
- Confidence: a thicker outline (and a larger symbol for shapes labelled below).
- Links: an arrow with the verb phrase as label, dashed when the link kind is;
  a link with a negative sign (e.g. *protects against*) is blue with a bar end.
  Links within one layer, and links between the same two elements, are bent
  (``smooth``) so they do not hide each other; ``same_level`` marks the first
  kind, so the browser can bend them upwards once it knows the positions
  (clockwise when the source is left of the target, else counter-clockwise).
- Link labels: once positions are known, ``edge_labels.js`` (both pages) bends a link
  whose line would run through another element, or whose verb would cover an element
  or another verb, or else draws that verb only while the link is hovered or selected;
  verbs fade out when zoomed out (the ``scaling.label.drawThreshold`` in
  :func:`network_options`). The verb is always in the link's ``label`` and tooltip.
- A label drawn below its symbol has the map's white behind it
  (:data:`LABEL_BELOW_BACKGROUND`): the element's own links pass under it, and their
  arrows stop below it (``edge_labels.js``), never over the element's name.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-1")
>>> a = f.add_element("early_experience", "Father often absent", confidence="high")
>>> b = f.add_element("unconscious_fear", "Fear of being left")
>>> ln = f.add_link(a, b, "gives_rise_to")
>>> node = node_for(f, a)
>>> node["shape"], node["color"]["background"], node["level"]
('box', '#E69F00', 0)
>>> edge_for(f, ln)["label"]
'gives rise to'
>>> sorted(vis_data(f))
['edges', 'nodes']
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any

from workbench.errors import InvalidValue, short
from workbench.model import Element, Evidence, Formulation, Link, confidence_name
from workbench.templates import ElementKind, LinkKind, Template

__all__ = [
    "FONT_FACE",
    "LABEL_BELOW_BACKGROUND",
    "LABEL_LINES",
    "LABEL_WIDTH",
    "LINK_COLOR",
    "NEGATIVE_COLOR",
    "OUTSIDE_LABEL_SHAPES",
    "ROW_LIMIT",
    "edge_for",
    "legend_items",
    "levels",
    "link_legend_items",
    "link_pairs",
    "network_options",
    "node_for",
    "vis_data",
    "wrap_label",
]

#: Elements per row of a layer; a fuller layer wraps onto more rows.
ROW_LIMIT = 6

#: Characters per line and lines at most of a label drawn on the map (the tooltip has it whole).
LABEL_WIDTH = 22
LABEL_LINES = 3

#: The font used on the canvas: the system's own sans-serif, nothing fetched.
FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

#: Colour of ordinary links, and of links with a negative sign (Okabe-Ito blue).
LINK_COLOR = "#6B6B6B"
NEGATIVE_COLOR = "#0072B2"

#: vis-network shapes whose label is drawn below the symbol instead of inside it.
OUTSIDE_LABEL_SHAPES = frozenset(
    {"diamond", "dot", "star", "triangle", "triangleDown", "hexagon", "square"}
)

#: Behind a label drawn below its symbol: the map's own white, so that a link of that element passing
#: under its label leaves the text readable (vis-network draws such labels after links and arrows;
#: edge_labels.js stops arrows coming from below at the label's edge).
LABEL_BELOW_BACKGROUND = "#FFFFFF"

_TEXT_DARK = "#1F1F1F"
_TEXT_LIGHT = "#FFFFFF"
_SELECTED = "#1F1F1F"
_FALLBACK_COLOR = "#999999"
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_DISCARDED_OPACITY = 0.35
_DIMMED_OPACITY = 0.3
_DASHES = [6, 4]


def vis_data(f: Formulation, *, highlight: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return the nodes and edges of ``f`` for vis-network, in the order they were added.

    ``highlight`` is a collection of element and link ids to stand out (the
    others are dimmed); ``None`` or empty highlights nothing.
    """
    marked = set(highlight) if highlight is not None else set()
    rows = levels(f)
    links = f.link_records()
    pairs = link_pairs(f)
    nodes = [node_for(f, el.id, highlight=marked, levels=rows) for el in f.element_records()]
    edges = [edge_for(f, ln.id, highlight=marked, levels=rows, _pairs=pairs) for ln in links]
    return {"nodes": nodes, "edges": edges}


def link_pairs(f: Formulation) -> dict[frozenset[str], list[str]]:
    """Return the ids of the links between each two elements, in the order they were added
    (what :func:`edge_for` bends apart; pass it as ``_pairs`` when building several edges)."""
    pairs: dict[frozenset[str], list[str]] = {}
    for ln in f.link_records():
        pairs.setdefault(frozenset((ln.source, ln.target)), []).append(ln.id)
    return pairs


def node_for(
    f: Formulation,
    element_id: str,
    *,
    highlight: Collection[str] | None = None,
    levels: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Return the vis-network node of element ``element_id`` (plain text only).

    ``highlight``: ids that stand out, as in :func:`vis_data` (this node is dimmed if not among them).
    ``levels``: the result of :func:`levels` when the caller has it already (saves recomputing it).
    """
    el = f.element(element_id)
    kind = f.template.element_kind(el.kind)
    color = _safe_color(kind.color)
    border = _shade(color, 0.55 if el.status == "supported" else 0.75)
    outside = kind.shape in OUTSIDE_LABEL_SHAPES
    conf = el.confidence
    width = 1.0 + (2.0 * conf if conf is not None else 0.5)
    if el.status == "supported":
        width += 1.5
    opacity = _DISCARDED_OPACITY if el.status == "discarded" else 1.0
    node: dict[str, Any] = {
        "id": el.id,
        "kind": el.kind,
        "kind_name": kind.name,
        "label": wrap_label(el.label),
        "full_label": el.label,
        "level": (levels if levels is not None else _levels(f))[el.id],
        "layer": kind.layer,
        "layer_name": f.template.layer_name(kind.layer),
        "shape": kind.shape,
        "color": {
            "background": color,
            "border": border,
            "highlight": {"background": color, "border": _SELECTED},
            "hover": {"background": color, "border": _SELECTED},
        },
        "borderWidth": round(width, 2),
        "borderWidthSelected": round(width + 2.0, 2),
        "shapeProperties": {"borderDashes": list(_DASHES) if el.status == "discarded" else False},
        "opacity": opacity,
        "font": {"color": _TEXT_DARK, "background": LABEL_BELOW_BACKGROUND}
        if outside
        else {"color": _text_color(color)},
        "status": el.status,
        "confidence": conf,
        "highlighted": False,
        "title": element_tooltip(f, el, kind),
    }
    if outside:
        node["size"] = round(14 + 12 * (conf if conf is not None else 0.4), 1)
    _apply_highlight(node, el.id, highlight)
    return node


def edge_for(
    f: Formulation,
    link_id: str,
    *,
    highlight: Collection[str] | None = None,
    levels: Mapping[str, int] | None = None,
    _pairs: Mapping[frozenset[str], list[str]] | None = None,
) -> dict[str, Any]:
    """Return the vis-network edge of link ``link_id`` (plain text only).

    ``highlight``: ids that stand out, as in :func:`vis_data` (this edge is dimmed if not among them).
    ``levels``: the result of :func:`levels` when the caller has it already.
    """
    ln = f.link(link_id)
    kind = f.template.link_kind(ln.kind)
    negative = _is_negative(ln, kind)
    color = NEGATIVE_COLOR if negative else LINK_COLOR
    conf = ln.confidence
    width = 1.0 + (2.0 * conf if conf is not None else 0.4)
    if ln.status == "supported":
        width += 1.0
    dashes: bool | list[int] = kind.dashes
    if ln.status == "discarded":
        dashes = [2, 5]
    smooth = _curve(f, ln, levels if levels is not None else _levels(f), _pairs)
    edge: dict[str, Any] = {
        "id": ln.id,
        "kind": ln.kind,
        "kind_name": kind.name,
        "from": ln.source,
        "to": ln.target,
        "label": kind.verb,
        "arrows": {"to": {"enabled": True, "type": "bar" if negative else "arrow", "scaleFactor": 0.7}},
        "dashes": dashes,
        "color": {
            "color": color,
            "highlight": _SELECTED,
            "hover": _SELECTED,
            "opacity": _DISCARDED_OPACITY if ln.status == "discarded" else 1.0,
        },
        "font": {"color": _shade(color, 0.8)},
        "width": round(width, 2),
        "sign": -1 if negative else 1,
        "status": ln.status,
        "confidence": conf,
        "highlighted": False,
        "title": link_tooltip(f, ln, kind),
    }
    if smooth is not None:
        edge["smooth"] = smooth
        edge["same_level"] = bool(smooth.pop("same_level"))
    _apply_highlight(edge, ln.id, highlight)
    return edge


def network_options(template: Template, *, direction: str = "UD") -> dict[str, Any]:
    """Return vis-network options: a calm layered layout by template layer, physics off.

    ``direction`` is ``"UD"`` (top to bottom, the default) or ``"LR"`` (left to right).
    """
    if direction not in ("UD", "LR"):
        raise InvalidValue(f"The layout direction is 'UD' (top to bottom) or 'LR' (left to right), "
                           f"not {short(direction)}.")
    vertical = direction == "UD"
    return {
        "autoResize": True,
        "layout": {
            "hierarchical": {
                "enabled": True,
                "direction": direction,
                "sortMethod": "directed",
                "levelSeparation": 175 if vertical else 260,
                "nodeSpacing": 230 if vertical else 120,
                "treeSpacing": 220,
                "blockShifting": True,
                "edgeMinimization": True,
                "parentCentralization": True,
                "shakeTowards": "roots",
            }
        },
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
            "multiselect": False,
            "hideEdgesOnDrag": False,
        },
        "nodes": {
            "font": {"face": FONT_FACE, "size": 14, "color": _TEXT_DARK},
            "margin": {"top": 8, "right": 10, "bottom": 8, "left": 10},
            "shapeProperties": {"interpolation": False},
            "widthConstraint": {"maximum": 200},
        },
        "edges": {
            "smooth": {
                "enabled": True,
                "type": "cubicBezier",
                "forceDirection": "vertical" if vertical else "horizontal",
                "roundness": 0.45,
            },
            "font": {
                "face": FONT_FACE,
                "size": 12,
                "color": "#4A4A4A",
                "strokeWidth": 0,
                "background": "rgba(255,255,255,0.9)",
                "align": "horizontal",
            },
            # Link labels fade out below 7 px on screen and are not drawn below 6 px (zoomed out);
            # the verb stays in the tooltip. See edge_labels.js for labels kept off elements.
            "scaling": {"label": {"drawThreshold": 7}},
            "arrowStrikethrough": False,
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
    }


def levels(f: Formulation) -> dict[str, int]:
    """Return the layout row (vis-network ``level``) of every element, by id.

    An element's row is its kind's template layer, except that a layer with more
    than :data:`ROW_LIMIT` elements wraps onto extra rows, in the order the
    elements were added, and the layers after it move down. Adding or removing
    an element can therefore move others when a layer is that full; a live view
    should then update the ``level`` of every node.

    >>> from workbench.model import Formulation
    >>> f = Formulation.new(case_id="C-2")
    >>> ids = [f.add_element("defense", f"Defense {i}") for i in range(ROW_LIMIT + 1)]
    >>> mood = f.add_element("present_symptom", "Low mood")
    >>> levels(f)[ids[0]], levels(f)[ids[-1]], levels(f)[mood]
    (2, 3, 5)
    """
    return _levels(f)


def legend_items(template: Template) -> list[dict[str, Any]]:
    """Return the element kinds for a legend, by layer: kind, name, colour, shape, layer name.

    >>> from workbench.templates import get_template
    >>> legend_items(get_template("psychodynamic"))[0]["layer_name"]
    'Early experiences'
    """
    kinds = sorted(template.element_kinds.values(), key=lambda k: k.layer)
    return [_kind_item(template, k) for k in kinds]


def link_legend_items(template: Template) -> list[dict[str, Any]]:
    """Return the link kinds for a legend: kind, name, verb, colour, dashes, sign, arrow type."""
    items = []
    for lk in template.link_kinds.values():
        negative = lk.sign < 0
        items.append(
            {
                "kind": lk.id,
                "name": lk.name,
                "verb": lk.verb,
                "description": lk.description,
                "color": NEGATIVE_COLOR if negative else LINK_COLOR,
                "dashes": lk.dashes,
                "sign": lk.sign,
                "arrow": "bar" if negative else "arrow",
            }
        )
    return items


@lru_cache(maxsize=4096)
def wrap_label(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """Wrap a label into at most ``lines`` lines of about ``width`` characters, cut with "…".

    >>> wrap_label("Fear of being left alone by everyone who matters to him")
    'Fear of being left\\nalone by everyone who\\nmatters to him'
    >>> wrap_label("x" * 80, width=10, lines=2)
    'xxxxxxxxxx\\nxxxxxxxxx…'
    """
    flat = " ".join(text.split())
    parts = textwrap.wrap(flat, width=width, break_long_words=True, break_on_hyphens=True)
    if len(parts) <= lines:
        return "\n".join(parts)
    kept = parts[:lines]
    last = kept[-1]
    kept[-1] = (last[: width - 1] if len(last) >= width else last).rstrip() + "…"
    return "\n".join(kept)


def element_tooltip(f: Formulation, el: Element, kind: ElementKind | None = None) -> str:
    """Return the plain-text tooltip of an element; the first line is its label."""
    kind = kind or f.template.element_kind(el.kind)
    lines = [el.label, f"{kind.name} · {f.template.layer_name(kind.layer)}"]
    lines.append(_status_line(el.status, el.confidence))
    if el.time_frame:
        lines.append(f"Time frame: {el.time_frame.replace('_', '-')}")
    if el.code:
        lines.append(f"Code: {el.code}")
    if el.tags:
        lines.append(f"Tags: {', '.join(el.tags)}")
    if el.description:
        lines += ["", el.description]
    lines += _evidence_lines(el.evidence)
    return "\n".join(lines)


def link_tooltip(f: Formulation, ln: Link, kind: LinkKind | None = None) -> str:
    """Return the plain-text tooltip of a link; the first line is its sentence."""
    kind = kind or f.template.link_kind(ln.kind)
    source, target = f.element(ln.source).label, f.element(ln.target).label
    lines = [f"{source} {kind.verb} {target}"]
    sign = " (lessens: negative sign)" if _is_negative(ln, kind) else ""
    lines.append(f"Link: {kind.name}{sign}")
    lines.append(_status_line(ln.status, ln.confidence))
    if ln.weight is not None:
        lines.append(f"Weight: {ln.weight:g}")
    if ln.description:
        lines += ["", ln.description]
    lines += _evidence_lines(ln.evidence)
    return "\n".join(lines)


# --- helpers -----------------------------------------------------------------------


def _levels(f: Formulation) -> dict[str, int]:
    kinds = f.template.element_kinds
    by_layer: dict[int, list[str]] = {}
    for el in f.element_records():
        by_layer.setdefault(kinds[el.kind].layer, []).append(el.id)
    rows: dict[str, int] = {}
    shift = 0
    for layer in sorted(by_layer):
        ids = by_layer[layer]
        for index, el_id in enumerate(ids):
            rows[el_id] = layer + shift + index // ROW_LIMIT
        shift += (len(ids) - 1) // ROW_LIMIT
    return rows


def _kind_item(template: Template, kind: ElementKind) -> dict[str, Any]:
    return {
        "kind": kind.id,
        "name": kind.name,
        "description": kind.description,
        "color": _safe_color(kind.color),
        "border": _shade(_safe_color(kind.color), 0.75),
        "shape": kind.shape,
        "layer": kind.layer,
        "layer_name": template.layer_name(kind.layer),
    }


def _status_line(status: str, confidence: float | None) -> str:
    if confidence is None:
        return f"Status: {status} · Confidence: not rated"
    return f"Status: {status} · Confidence: {confidence:.2f} ({confidence_name(confidence)})"


def _evidence_lines(evidence: tuple[Evidence, ...]) -> list[str]:
    if not evidence:
        return []
    lines = ["", f"Evidence ({len(evidence)}):"]
    for item in evidence:
        where = []
        if item.session is not None:
            where.append(f"session {item.session}")
        if item.date:
            where.append(item.date)
        head = ", ".join(where).capitalize() if where else "Undated"
        text = f"“{item.quote}”" if item.quote else ""
        if item.note:
            text = f"{text} ({item.note})" if text else item.note
        lines.append(f"• {head}: {text}" if text else f"• {head}")
    return lines


def _curve(
    f: Formulation, ln: Link, levels: Mapping[str, int], pairs: Mapping[frozenset[str], list[str]] | None
) -> dict[str, Any] | None:
    """A bend for links that would otherwise overlap: within one row, or between the same two elements."""
    same_level = levels[ln.source] == levels[ln.target]
    ends = frozenset((ln.source, ln.target))
    if pairs is not None:
        parallel = pairs.get(ends, [ln.id])
    else:
        parallel = [other.id for other in f.link_records() if {other.source, other.target} == ends]
    if not same_level and len(parallel) < 2:
        return None
    index = parallel.index(ln.id) if ln.id in parallel else 0
    return {
        "enabled": True,
        "type": "curvedCW",
        "roundness": round(0.25 + 0.15 * index, 2),
        "same_level": same_level,
    }


def _is_negative(ln: Link, kind: LinkKind) -> bool:
    return kind.sign < 0 or (ln.weight is not None and ln.weight < 0)


def _apply_highlight(item: dict[str, Any], item_id: str, marked: Collection[str] | None) -> None:
    if not marked:
        return
    if item_id in marked:
        item["highlighted"] = True
        if "borderWidth" in item:
            item["borderWidth"] = round(item["borderWidth"] + 2.5, 2)
            item["color"]["border"] = _SELECTED
            item["shadow"] = {"enabled": True, "size": 12, "x": 0, "y": 2, "color": "rgba(0,0,0,0.35)"}
        else:
            item["width"] = round(item["width"] + 1.5, 2)
            item["color"]["color"] = _SELECTED
    elif "borderWidth" in item:
        item["opacity"] = min(item["opacity"], _DIMMED_OPACITY)
    else:
        item["color"]["opacity"] = min(item["color"]["opacity"], _DIMMED_OPACITY)


def _safe_color(color: str) -> str:
    """A template colour if it is a plain #rgb / #rrggbb, else a neutral grey."""
    return color if _COLOR.match(color) else _FALLBACK_COLOR


def _rgb(color: str) -> tuple[int, int, int]:
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _shade(color: str, factor: float) -> str:
    """The colour darkened towards black by ``factor`` (1 = unchanged)."""
    r, g, b = (round(c * factor) for c in _rgb(color))
    return f"#{r:02X}{g:02X}{b:02X}"


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else float(((s + 0.055) / 1.055) ** 2.4)

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _text_color(background: str) -> str:
    """Dark or white text, whichever contrasts more with ``background``."""
    lum = _luminance(background)
    dark = (lum + 0.05) / (_luminance(_TEXT_DARK) + 0.05)
    light = 1.05 / (lum + 0.05)
    return _TEXT_DARK if dark >= light else _TEXT_LIGHT
