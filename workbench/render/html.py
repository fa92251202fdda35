"""A formulation as one standalone, offline, escaped HTML page (vis-network inlined).

The page is built here, not with pyvis's template: pyvis 0.3.2 loads Bootstrap
from a CDN in every mode and does not escape its heading. Instead:

- vis-network's script (vendored, ``render/vendor/``) and stylesheet (from pyvis) are inlined;
  a Content-Security-Policy forbids every fetch, so the page makes no request at all;
- every piece of user text in the HTML is escaped with :func:`html.escape`;
- the graph data travels as JSON in a ``<script type="application/json">`` block (and
  vis-network's options, which the page needs first, in a small one of their own) with
  ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no label can close the script;
- tooltips are DOM elements filled with ``textContent``, never ``innerHTML``;
- the page's own script and stylesheet are files (``render/static/page.js``, ``page.css``,
  read by :mod:`workbench.render.assets`); this module writes only markup and data.

Example
-------
>>> from workbench.model import Formulation
>>> f = Formulation.new(case_id="C-9", title="<b>Demo</b>")
>>> page = render_html(f)
>>> "&lt;b&gt;Demo&lt;/b&gt;" in page and "<b>Demo" not in page
True
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from workbench._text import counted
from workbench.errors import InvalidValue
from workbench.model import Formulation
from workbench.render.assets import (
    VIS_NETWORK_VERSION,
    page_css,
    page_js,
    shared_map_js,
    vis_network_css,
    vis_network_js,
)
from workbench.render.visdata import legend_items, link_legend_items, network_options, vis_data
from workbench.templates import Template

__all__ = ["CSP", "json_for_script", "render_html", "to_pyvis_network"]

#: The page's Content-Security-Policy: inline code only, nothing fetched from anywhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def render_html(
    f: Formulation,
    *,
    title: str | None = None,
    highlight: Iterable[str] | None = None,
    direction: str = "UD",
    vis: Mapping[str, list[dict[str, Any]]] | None = None,
    extra_data: Any = None,
    extra_css: str = "",
    extra_script: str = "",
) -> str:
    """Return a standalone interactive HTML page of ``f`` that works offline.

    ``title`` replaces the case title in the heading; ``highlight`` names element
    and link ids to stand out (see :func:`workbench.render.visdata.vis_data`);
    ``direction`` is ``"UD"`` (early experiences at the top) or ``"LR"``.

    Hooks for pages built on this one (e.g. the step-through export): ``vis`` gives
    the nodes and edges to draw instead of ``vis_data(f)``; ``extra_data`` travels
    as escaped JSON in ``<script id="wb-extra" type="application/json">``;
    ``extra_css`` and ``extra_script`` are trusted code (never user text) placed
    after the page's own style and script, which sets ``window.workbench``.
    """
    template = f.template
    meta = f.meta
    heading = meta.title if title is None else title
    data: dict[str, Any] = (
        {"nodes": list(vis["nodes"]), "edges": list(vis["edges"])} if vis is not None
        else vis_data(f, highlight=highlight)
    )
    data["options"] = network_options(template, direction=direction)
    counts = f"{counted(len(data['nodes']), 'element')} · {counted(len(data['edges']), 'link')}"
    sub = [f"Case {meta.case_id}", template.name]
    if f.base_version is not None:
        sub.append(f"version {f.base_version}")
    if f.modified and f.base_version is not None:
        sub.append("unsaved changes")
    if meta.fictional:
        sub.append("fictional case")
    sub.append(counts)
    page_title = f"{heading} — {meta.case_id}" if heading else f"Case {meta.case_id}"
    e = _esc
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="Formulation Workbench">\n',
        f"<title>{e(page_title)}</title>\n",
        f"<style>\n{vis_network_css()}\n</style>\n",
        f"<style>\n{page_css()}</style>\n",
        f"<style>\n{_trusted(extra_css, 'style')}</style>\n" if extra_css else "",
        "</head>\n<body>\n",
        '<header class="wb-header">\n<div class="wb-heading">\n',
        f'<h1 id="wb-title">{e(heading) if heading else e("Case " + meta.case_id)}</h1>\n',
        f'<p class="wb-sub" id="wb-sub">{" · ".join(e(s) for s in sub)}</p>\n',
        "</div>\n",
        '<div class="wb-tools"><button id="wb-fit" type="button">Fit to view</button></div>\n',
        "</header>\n",
        '<main class="wb-main">\n',
        f'<div id="wb-graph" role="img" aria-label="{e("Formulation map of case " + meta.case_id)}"></div>\n',
        _legend_html(template),
        "</main>\n",
        f'<script id="wb-data" type="application/json">{json_for_script(data)}</script>\n',
        # What the page script needs at once (vis-network's options, whether there is a map): a
        # small block, read in the script's first task; the data block is read in the next one.
        f'<script id="wb-start" type="application/json">'
        f'{json_for_script({"options": data["options"], "elements": len(data["nodes"])})}</script>\n',
        f"<script>/* vis-network {VIS_NETWORK_VERSION}, vendored in workbench/render/vendor */\n",
        vis_network_js(),
        "\n</script>\n",
        f"<script>\n{shared_map_js()}\n{page_js()}</script>\n",
        f'<script id="wb-extra" type="application/json">{json_for_script(extra_data)}</script>\n'
        if extra_data is not None else "",
        f"<script>\n{_trusted(extra_script, 'script')}</script>\n" if extra_script else "",
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def json_for_script(value: Any) -> str:
    """Return ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    >>> json_for_script({"label": "</script><b>\\u2028"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def to_pyvis_network(f: Formulation, *, height: str = "750px", width: str = "100%") -> Any:
    """Return a :class:`pyvis.network.Network` of ``f`` with the same styling as :func:`render_html`.

    For people who want to work on with pyvis. Note that a page written by pyvis
    0.3.2 loads Bootstrap from a CDN and does not escape its heading: to share a
    formulation, use :func:`render_html`. Tooltips stay plain text (vis-network
    shows a text ``title`` with ``innerText``); the word "href", which would switch
    pyvis's page to ``innerHTML`` tooltips, is broken with a zero-width space.
    """
    from pyvis.network import Network  # pyvis is heavy to import; only this function needs it

    net = Network(height=height, width=width, directed=True, cdn_resources="in_line")
    data = vis_data(f)
    for node in data["nodes"]:
        options = {k: v for k, v in node.items() if k not in ("id", "label", "shape", "color")}
        options["title"] = _defuse_href(node["title"])
        net.add_node(node["id"], label=node["label"], shape=node["shape"], color=node["color"], **options)
    for edge in data["edges"]:
        options = {k: v for k, v in edge.items() if k not in ("from", "to")}
        options["title"] = _defuse_href(edge["title"])
        net.add_edge(edge["from"], edge["to"], **options)
    net.set_options(json.dumps(network_options(f.template)))
    return net


# --- helpers ------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _trusted(code: str, tag: str) -> str:
    """Check that extra page code cannot close its own element."""
    if f"</{tag}" in code.lower():
        raise InvalidValue(f"Extra page code must not contain '</{tag}'.")
    return code



def _defuse_href(text: str) -> str:
    return text.replace("href", "hr\u200bef")


def _legend_html(template: Template) -> str:
    e = _esc
    out = ['<aside class="wb-legend" aria-label="Legend">\n']
    out.append(f'<h2 title="{e(template.name)}">Elements</h2>\n')
    current: str | None = None
    for item in legend_items(template):
        if item["layer_name"] != current:
            if current is not None:
                out.append("</ul>\n")
            current = item["layer_name"]
            out.append(f'<h3>{e(current)}</h3>\n<ul class="wb-kinds">\n')
        out.append(
            f'<li data-kind="{e(item["kind"])}" title="{e(item["description"])}">'
            f"{_shape_svg(item['shape'], item['color'], item['border'])}"
            f'<span class="wb-kind-name">{e(item["name"])}</span></li>\n'
        )
    if current is not None:
        out.append("</ul>\n")
    out.append('<h2>Links</h2>\n<ul class="wb-links">\n')
    for link in link_legend_items(template):
        out.append(
            f'<li data-kind="{e(link["kind"])}" title="{e(link["description"])}">'
            f'{_link_svg(link["color"], bool(link["dashes"]), link["arrow"])}'
            f'<span class="wb-kind-name">{e(link["verb"])}</span></li>\n'
        )
    out.append("</ul>\n")
    out.append(
        '<h2>Reading the map</h2>\n<ul class="wb-notes">\n'
        f'<li>{_status_svg("hypothesis")}<span>Hypothesis</span></li>\n'
        f'<li>{_status_svg("supported")}<span>Supported (thicker outline)</span></li>\n'
        f'<li>{_status_svg("discarded")}<span>Discarded (faded, dashed)</span></li>\n'
        "<li><span>A thicker outline or line means higher confidence.</span></li>\n"
        "<li><span>Hover an element or link for its description and evidence; "
        "scroll to zoom, drag to move.</span></li>\n"
        "</ul>\n</aside>\n"
    )
    return "".join(out)


def _svg(body: str, width: int = 22, height: int = 22) -> str:
    return (
        f'<svg class="wb-swatch" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true" focusable="false">{body}</svg>'
    )


def _points(pts: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def _star(cx: float = 11, cy: float = 11.5, outer: float = 9.5, inner: float = 4.2) -> str:
    pts = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.pi / 2 + i * math.pi / 5
        pts.append((cx + r * math.cos(a), cy - r * math.sin(a)))
    return _points(pts)


def _shape_svg(shape: str, fill: str, stroke: str) -> str:
    """A small picture of a vis-network shape; colours come checked from visdata."""
    paint = f'fill="{_esc(fill)}" stroke="{_esc(stroke)}" stroke-width="1.5"'
    shapes = {
        "box": f'<rect x="2" y="5" width="18" height="12" rx="3" {paint}/>',
        "ellipse": f'<ellipse cx="11" cy="11" rx="9.5" ry="6.5" {paint}/>',
        "circle": f'<circle cx="11" cy="11" r="8.5" {paint}/>',
        "dot": f'<circle cx="11" cy="11" r="7.5" {paint}/>',
        "database": f'<path d="M3 6 A8 3 0 0 1 19 6 V16 A8 3 0 0 1 3 16 Z" {paint}/>'
        f'<path d="M3 6 A8 3 0 0 0 19 6" fill="none" stroke="{_esc(stroke)}" stroke-width="1.5"/>',
        "text": f'<text x="11" y="15.5" text-anchor="middle" font-size="12" {paint}>Aa</text>',
        "diamond": f'<polygon points="11,1.5 20.5,11 11,20.5 1.5,11" {paint}/>',
        "star": f'<polygon points="{_star()}" {paint}/>',
        "triangle": f'<polygon points="11,2.5 20,19 2,19" {paint}/>',
        "triangleDown": f'<polygon points="2,3 20,3 11,19.5" {paint}/>',
        "hexagon": f'<polygon points="{_points(_hexagon())}" {paint}/>',
        "square": f'<rect x="3.5" y="3.5" width="15" height="15" {paint}/>',
    }
    return _svg(shapes.get(shape, shapes["ellipse"]))


def _hexagon() -> list[tuple[float, float]]:
    return [(11 + 9.5 * math.cos(i * math.pi / 3), 11 + 9.5 * math.sin(i * math.pi / 3)) for i in range(6)]


def _link_svg(color: str, dashes: bool, arrow: str) -> str:
    c = _esc(color)
    dash = ' stroke-dasharray="4 3"' if dashes else ""
    line = f'<line x1="2" y1="8" x2="31" y2="8" stroke="{c}" stroke-width="1.8"{dash}/>'
    if arrow == "bar":
        head = f'<line x1="33" y1="2.5" x2="33" y2="13.5" stroke="{c}" stroke-width="2.4"/>'
    else:
        head = f'<polygon points="27,3.5 35,8 27,12.5" fill="{c}"/>'
    return _svg(line + head, width=36, height=16)


def _status_svg(status: str) -> str:
    box = '<rect x="3" y="5" width="16" height="12" rx="3" fill="#D9D9D6" '
    if status == "supported":
        return _svg(box + 'stroke="#3A3A3A" stroke-width="3"/>')
    if status == "discarded":
        return _svg(box + 'stroke="#555" stroke-width="1.5" stroke-dasharray="3 2" opacity="0.4"/>')
    return _svg(box + 'stroke="#777" stroke-width="1.5"/>')
