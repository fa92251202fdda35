"""render_html in a real browser (headless Debian Chromium via Playwright).

The hostile-label test: case id, title, labels, descriptions, notes and
evidence full of HTML/JS payloads. Nothing may execute, every text must be
shown as text, and the page must make no request beyond loading itself.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from e2e_pages import evaluate_within

from workbench.model import Formulation
from workbench.render.html import render_html
from workbench.render.visdata import wrap_label

pytestmark = pytest.mark.browser

#: Each payload tries to run code; if it does, it sets window.__pwned or opens a dialog.
PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "</script><script>window.__pwned='breakout';alert('breakout')</script>",
    "javascript:window.__pwned='js-url'",
    "<a href=\"javascript:alert('href')\">click me</a> href",
    "<svg onload=\"alert('svg')\"><circle r=5></circle></svg>",
    "<iframe src=\"https://example.com/frame\"></iframe>",
    "<link rel=stylesheet href=\"https://cdn.example.com/x.css\">",
    "<style>@import url(https://example.com/a.css);</style>",
    "{{ 7*7 }} {% raw %} ${alert('tpl')}",
    "\" onmouseover=\"alert('attr')\" data-x=\"",
    "'; window.__pwned='quote'; '",
    "line\u2028break\u2029para </script><!--<script>",
    "<b>bold</b> &amp; &lt;escaped&gt; &#x3C;script&#x3E;",
]

CASE_ID = "<img src=x onerror=\"window.__pwned='case'\">-C7"
TITLE = "</title><script>alert('title')</script> {{ title }} href=\"https://example.com\""


def hostile_formulation() -> Formulation:
    """A formulation whose every text field is a payload."""
    f = Formulation.new(case_id=CASE_ID, title=TITLE)
    kinds = list(f.template.element_kinds)
    ids = []
    for number, payload in enumerate(PAYLOADS):
        ids.append(
            f.add_element(
                kinds[number % len(kinds)],
                payload,
                description=f"Description: {payload}",
                notes=payload,
                tags=[payload[:20]],
                evidence=[{"session": number + 1, "date": "2024-03-18", "quote": payload, "note": payload}],
            )
        )
    for a, b in itertools.pairwise(ids):
        f.add_link(a, b, "maintains", description=payload_for_link(a), evidence=[{"quote": PAYLOADS[1]}])
    return f


def payload_for_link(element_id: str) -> str:
    return f"<script>window.__pwned='link {element_id}'</script>"


def demo_formulation() -> Formulation:
    """A small, ordinary, fictional case."""
    f = Formulation.new(case_id="DEMO-07", title="Mr K: fear of being left", fictional=True)
    absent = f.add_element(
        "early_experience",
        "Father often absent; mother depressed after the divorce",
        description="From age 6 to 12 the father worked abroad; mother was often in bed.",
        confidence="high",
        status="supported",
        time_frame="past",
        evidence=[{"session": 2, "date": "2024-03-04", "quote": "He never came to my games."}],
    )
    wish = f.add_element("unconscious_wish", "To be cared for without asking", confidence=0.5)
    fear = f.add_element(
        "unconscious_fear",
        "Fear of being abandoned",
        confidence="high",
        evidence=[{"session": 5, "date": "2024-04-01", "quote": "Everyone leaves in the end."}],
    )
    self_suff = f.add_element("defense", "Self-sufficiency (counter-dependence)", confidence="moderate")
    intellect = f.add_element("defense", "Intellectualisation", status="discarded", confidence="low")
    withdraws = f.add_element("relational_pattern", "Withdraws before others can leave", confidence=0.6)
    cancels = f.add_element("transference", "Cancels sessions before breaks", confidence="low")
    mood = f.add_element("present_symptom", "Low mood and insomnia", status="supported", confidence=0.9)
    partner = f.add_element("present_symptom", "Conflict with partner")
    friends = f.add_element("strength", "Loyal friendships from school", confidence="moderate")
    f.add_link(absent, fear, "gives_rise_to", confidence="high", status="supported")
    f.add_link(absent, wish, "gives_rise_to")
    f.add_link(absent, self_suff, "gives_rise_to")
    f.add_link(self_suff, fear, "defends_against", confidence="moderate")
    f.add_link(intellect, wish, "defends_against", status="discarded")
    f.add_link(self_suff, withdraws, "expressed_as")
    f.add_link(withdraws, partner, "expressed_as", confidence="high")
    f.add_link(withdraws, cancels, "repeats_in")
    f.add_link(fear, mood, "expressed_as", confidence=0.6)
    f.add_link(partner, mood, "maintains")
    f.add_link(friends, mood, "protects_against", confidence="moderate")
    return f


def open_page(recorded: Any, f: Formulation, tmp_path: Path, name: str, **options: Any) -> tuple[Any, str]:
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(f, **options), encoding="utf-8")
    url = path.as_uri()
    page = recorded.page
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    return page, url


def node_center(page: Any, node_id: str) -> dict[str, float]:
    """Where node ``node_id`` is on the screen."""
    return page.evaluate(  # type: ignore[no-any-return]
        """(id) => {
            const net = window.workbench.network;
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById("wb-graph").getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )


def hover_tooltip(page: Any, node_id: str) -> str:
    """Hover a node and return the text of the tooltip vis-network shows."""
    page.mouse.move(5, 5)  # leaving the graph hides the tooltip
    page.wait_for_selector("div.vis-tooltip", state="hidden", timeout=5_000)
    pos = node_center(page, node_id)
    page.mouse.move(pos["x"] - 3, pos["y"] - 3)
    page.mouse.move(pos["x"], pos["y"], steps=4)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return tip.text_content()  # type: ignore[no-any-return]


def assert_nothing_ran(page: Any, recorded: Any, url: str) -> None:
    log = recorded.log
    assert page.evaluate("() => window.__pwned === undefined"), page.evaluate("() => String(window.__pwned)")
    assert log.dialogs == [], f"a payload opened a dialog: {log.dialogs}"
    assert log.page_errors == [], log.page_errors
    assert log.console_errors == [], log.console_errors
    assert log.requests == [url], f"the page made requests beyond itself: {log.requests}"
    assert log.outside_requests() == [] and log.blocked == []


def test_hostile_labels_are_shown_as_text_and_nothing_runs(
    recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    f = hostile_formulation()
    page, url = open_page(recorded_page, f, tmp_path, "hostile")

    # The graph holds every label exactly, as text (read back from vis-network's own data).
    nodes = page.evaluate(
        """() => window.workbench.network.body.data.nodes.get().map(n => ({
            id: n.id, label: n.label, full: n.full_label,
            tipIsElement: n.title instanceof HTMLElement, tip: n.title.textContent,
            tipHtmlChildren: n.title.querySelectorAll("*:not(.wb-tip-head):not(.wb-tip-body)").length,
        }))"""
    )
    assert [n["full"] for n in nodes] == PAYLOADS
    by_id = {n["id"]: n for n in nodes}
    for el in f.element_records():
        node = by_id[el.id]
        assert node["label"] == wrap_label(el.label)
        assert node["tipIsElement"] and node["tipHtmlChildren"] == 0
        assert el.label in node["tip"] and f"Description: {el.label}" in node["tip"]
    edges = page.evaluate(
        "() => window.workbench.edges.get().map(e => ({id: e.id, tip: e.title.textContent}))"
    )
    assert len(edges) == len(PAYLOADS) - 1
    assert all(PAYLOADS[1] in e["tip"] for e in edges)

    # Header and page title show the case id and title literally.
    assert page.text_content("#wb-title") == TITLE
    assert CASE_ID in page.text_content("#wb-sub")
    assert page.title() == f"{TITLE} — {CASE_ID}"

    # No payload became an element: no images, frames, links, stray scripts or styles.
    counts = page.evaluate(
        """() => ({
            injected: document.querySelectorAll("img, iframe, a, object, embed, link").length
                + document.querySelectorAll("svg:not(.wb-swatch)").length,
            scripts: document.scripts.length,
            styles: document.querySelectorAll("style").length,
            legendText: document.querySelector(".wb-legend").textContent,
        })"""
    )
    assert counts["injected"] == 0
    assert counts["scripts"] == 4 and counts["styles"] == 2  # data, map start, vis-network, ours
    assert "Early experience" in counts["legendText"]

    # Hovering shows a tooltip whose text is the payload, literally.
    for el in f.element_records()[:6]:
        text = hover_tooltip(page, el.id)
        assert text.startswith(el.label), text
        assert f"“{el.label}”" in text  # the evidence quote
    page.mouse.move(5, 5)
    save_screenshot(page, "render-hostile-1280x800")
    assert_nothing_ran(page, recorded_page, url)


def test_demo_page_looks_calm_and_shows_tooltips(
    recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    f = demo_formulation()
    page, url = open_page(recorded_page, f, tmp_path, "demo")
    shot = save_screenshot(page, "render-demo-1280x800")
    assert shot.stat().st_size > 20_000

    # The layout reads top-down by layer: every element sits below the layers before it.
    levels = page.evaluate(
        """() => {
            const net = window.workbench.network, pos = net.getPositions();
            return net.body.data.nodes.get().map(n => ({level: n.level, y: pos[n.id].y}));
        }"""
    )
    for a in levels:
        for b in levels:
            if a["level"] < b["level"]:
                assert a["y"] < b["y"]

    # Everything fits the 1280x800 window: no node outside the graph area.
    box = page.evaluate("() => document.getElementById('wb-graph').getBoundingClientRect().toJSON()")
    for el in f.element_records():
        pos = node_center(page, el.id)
        assert box["left"] <= pos["x"] <= box["right"] and box["top"] <= pos["y"] <= box["bottom"]

    mood = next(el for el in f.element_records() if el.label.startswith("Low mood"))
    text = hover_tooltip(page, mood.id)
    assert text.startswith("Low mood and insomnia")
    assert "Status: supported · Confidence: 0.90 (very high)" in text
    save_screenshot(page, "render-demo-tooltip")

    page.click("#wb-fit")  # the one button works and changes nothing it should not
    assert_nothing_ran(page, recorded_page, url)


def test_empty_formulation_page_says_so(recorded_page: Any, tmp_path: Path) -> None:
    page, url = open_page(recorded_page, Formulation.new(case_id="E-1", title="Empty"), tmp_path, "empty")
    assert page.text_content(".wb-empty") == "This formulation has no elements yet."
    assert_nothing_ran(page, recorded_page, url)


# --- dashed links on a zoomed-out map (map_canvas.js) ------------------------------------------

#: Records each dash pattern the canvas is given (after our map_canvas.js), with the drawing scale.
DASH_RECORDER = """
(() => {
  const proto = CanvasRenderingContext2D.prototype;
  const set = proto.setLineDash;
  window.__given = [];
  proto.setLineDash = function (pattern) {
    const m = this.getTransform();
    window.__given.push({ pattern: Array.from(pattern), scale: Math.hypot(m.a, m.b), cap: this.lineCap,
                          width: this.lineWidth });
    return set.call(this, pattern);
  };
})();
"""

#: Draws the map once at `scale`; returns [asked, given] pairs of the non-empty dash patterns:
#: what vis-network asked the map's canvas for, and what the canvas was given.
DRAW_AT = """(scale) => new Promise((done) => {
  const net = window.workbench.network;
  const ctx = net.canvas.getContext();
  const quick = ctx.setLineDash;
  const asked = [];
  ctx.setLineDash = function (pattern) {
    asked.push({ pattern: Array.from(pattern), cap: this.lineCap });
    return quick.call(this, pattern);
  };
  net.moveTo({ scale, animation: false });
  window.__given = [];
  net.once("afterDrawing", () => {
    ctx.setLineDash = quick;
    const pairs = asked.map((a, i) => [a, window.__given[i]]);
    done(pairs.filter(([a]) => a.pattern.some((part) => part > 0)));
  });
  net.redraw();
})"""


def _as_drawn(asked: dict[str, Any], given: dict[str, Any]) -> list[float]:
    """The dash pattern as seen on the screen: for a round-ended dashed line the canvas is given butt
    ends, each dash longer and each gap shorter by the line's width (what the round ends add)."""
    if asked["cap"] != "round":
        return list(given["pattern"])
    assert given["cap"] == "butt", (asked, given)
    width = given["width"]
    return [part - width if i % 2 == 0 else part + width for i, part in enumerate(given["pattern"])]


def test_dashed_links_keep_their_dashes_and_stay_cheap_to_draw_when_zoomed_out(
    recorded_page: Any, tmp_path: Path
) -> None:
    recorded_page.context.add_init_script(DASH_RECORDER)
    page, url = open_page(recorded_page, demo_formulation(), tmp_path, "dashes")
    near = evaluate_within(page, DRAW_AT, 1.0)
    assert near, "the demo case has dashed links"
    assert any(asked["cap"] == "round" for asked, _given in near), "dashed links are asked round-ended"
    # at 100 % every pattern is drawn as vis-network asks, round ends as butt ends over the same length
    assert all(_as_drawn(asked, given) == pytest.approx(asked["pattern"]) for asked, given in near)
    far = evaluate_within(page, DRAW_AT, 0.05)
    assert len(far) == len(near)
    for asked, given in far:
        # zoomed out, a dash is stretched to at least 2 px on the screen, in the same proportions
        drawn = _as_drawn(asked, given)
        shortest = min(part for part in drawn if part > 0)
        assert shortest * given["scale"] >= 2 - 1e-6
        stretch = drawn[0] / asked["pattern"][0]
        assert stretch > 1
        assert drawn == pytest.approx([part * stretch for part in asked["pattern"]])
    assert_nothing_ran(page, recorded_page, url)


# --- link labels kept off elements and each other (edge_labels.js) ------------------------

CASES = Path(__file__).resolve().parents[1] / "notebooks" / "cases"

#: Counts, in the page, the drawn link labels whose box (vis-network's own, canvas units) overlaps
#: an element's box (symbol and label, ``getBoundingBox``) or another drawn link label's box by more
#: than 2 px each way. A label counts as drawn by vis-network's own rule (font size x zoom against
#: the link's ``scaling.label.drawThreshold``).
def label_overlaps_js(network: str = "window.workbench.network",
                      quiet: str = "Array.from(window.workbench.edgeLabels.quiet)") -> str:
    """The overlap count as a page function, for the network (and hidden-label ids) these expressions give."""
    return LABEL_OVERLAPS.replace("NETWORK", network).replace("QUIET", quiet)


LABEL_OVERLAPS = """() => {
  const net = NETWORK, body = net.body, scale = net.getScale();
  const cut = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  // An element's label as last drawn (none if it was not drawn where the element is now).
  const textBox = (id) => {
    const node = body.nodes[id], lm = node.labelModule, s = lm && lm.size;
    const here = s && Math.abs(s.left + s.width / 2 - node.x) <= 1 && s.top >= node.y - s.height
      && s.top <= node.y + node.shape.height / 2 + lm.fontOptions.size + 8;
    return lm && lm.elementOptions.label && s.width > 0 && here
      ? { left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height } : null;
  };
  const nodes = body.nodeIndices.map((id) => ({ id, box: net.getBoundingBox(id), text: textBox(id) }));
  const drawn = [];
  let labelled = 0;
  for (const id of body.edgeIndices) {
    const lm = body.edges[id].labelModule;
    if (!lm || !lm.elementOptions.label) continue;
    labelled += 1;
    if (lm.fontOptions.size * scale < lm.elementOptions.scaling.label.drawThreshold - 1) continue;
    const s = lm.size;
    drawn.push({ id, text: lm.elementOptions.label,
                 box: { left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height } });
  }
  const onElements = [], onLabels = [], onElementLabels = [];
  for (const l of drawn) for (const n of nodes) {
    if (cut(l.box, n.box)) onElements.push([l.text, body.nodes[n.id].options.full_label]);
    // An element's label text, measured on its own: vis-network's box of a symbol with its label
    // below (diamond, triangle, dot...) leaves out the label's last line.
    else if (n.text && cut(l.box, n.text)) {
      onElementLabels.push([l.text, body.nodes[n.id].options.full_label]);
    }
  }
  for (let i = 0; i < drawn.length; i++) for (let j = i + 1; j < drawn.length; j++) {
    if (cut(drawn[i].box, drawn[j].box)) onLabels.push([drawn[i].text, drawn[j].text]);
  }
  // Links drawn through an element's label: the label hanging under one of its own ends (a diamond,
  // a triangle, a dot...), unless drawn over the line on a background of its own, or any part of a
  // third element (a line there, even under a background, seems to join it). The line is followed in
  // 48 straight pieces (vis-network's own curve, getPoint), each clipped to the box shrunk by 2 px.
  // And arrows that end on the label under their own end (drawn over its text, or hidden by it).
  const crosses = (a, b, r) => {
    let t0 = 0, t1 = 1;
    const dx = b.x - a.x, dy = b.y - a.y;
    for (const [p, q] of [[-dx, a.x - r.left - 2], [dx, r.right - 2 - a.x],
                          [-dy, a.y - r.top - 2], [dy, r.bottom - 2 - a.y]]) {
      if (p === 0) { if (q < 0) return false; continue; }
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
    return true;
  };
  const union = (a, b) => (!b ? a : { left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
    top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom) });
  const below = (id) => {
    const n = body.nodes[id];
    return n.labelModule.size.top >= n.y + n.shape.height / 2; // drawn under its symbol
  };
  const opaque = (id) => {
    const bg = body.nodes[id].labelModule.fontOptions.background;
    return !!bg && bg !== "none" && !/^rgba\\(.*,\\s*0?\\.\\d+\\s*\\)$/.test(bg);
  };
  const inside = (p, r) => p.x > r.left + 2 && p.x < r.right - 2 && p.y > r.top + 2 && p.y < r.bottom - 2;
  const lineOnLabels = [], lineOnElements = [], arrowsOnLabels = [];
  const label = (id) => body.nodes[id].options.full_label;
  for (const id of body.edgeIndices) {
    const edge = body.edges[id];
    if (!edge.from || !edge.to || edge.fromId === edge.toId || !edge.edgeType) continue;
    const points = [];
    for (let k = 0; k <= 48; k++) points.push(edge.edgeType.getPoint(k / 48));
    const through = (box) => points.some((p, k) => k > 0 && crosses(points[k - 1], p, box));
    for (const n of nodes) {
      const own = n.id === edge.fromId || n.id === edge.toId;
      if (own) {
        if (n.text && below(n.id) && !opaque(n.id) && through(n.text)) {
          lineOnLabels.push([edge.options.label, label(n.id)]);
        }
        const end = edge.edgeType.toPoint;
        if (n.id === edge.toId && n.text && below(n.id) && end && inside(end, n.text)) {
          arrowsOnLabels.push([edge.options.label, label(n.id)]);
        }
      } else if (through(union(n.box, n.text))) {
        lineOnElements.push([edge.options.label, label(n.id)]);
      }
    }
  }
  return { labelled, drawn: drawn.length, onElements, onLabels, onElementLabels, lineOnLabels,
           lineOnElements, arrowsOnLabels, quiet: QUIET };
}"""

#: Overlaps allowed per map. Measured at 1280x800 in Debian Chromium: before edge_labels.js the
#: demo case had 3 (two labels on elements, two "gives rise to" on each other) and the teaching
#: cases 1 to 10 each (ccrt 10, malan 7); with it, 0 for every case. The bound of 1 leaves room
#: for another machine's font metrics moving a box by a pixel or two, and still fails if
#: placement stops working (6 of the 7 cases fail without it).
MAX_LABEL_OVERLAPS = 1

#: Links drawn through a third element (its symbol or label) allowed per teaching case. Measured at
#: 1280x800 in Debian Chromium: 2 to 7 per case (31 in all) before links chose their curve to keep
#: off elements, 0 to 3 now (obliging student 3, self-sufficient carer 2, Malan 1, the others and
#: the demo case 0): links that climb over rows where every curve vis-network offers passes an
#: element; only another layout would clear them.
MAX_LINES_THROUGH_ELEMENTS = 3


def overlap_count(found: dict[str, Any]) -> int:
    """Link labels drawn over an element (its symbol or its label text) or over another link label."""
    return len(found["onElements"]) + len(found["onElementLabels"]) + len(found["onLabels"])


def line_crossings(found: dict[str, Any]) -> int:
    """Links drawn through an element's label: under one of their own ends (the line over the text, or
    the arrow ending on it) or through a third element (its symbol or label)."""
    return len(found["lineOnLabels"]) + len(found["arrowsOnLabels"]) + len(found["lineOnElements"])


#: Select a link (or nothing, for null) as a click would, and let the labels follow.
SELECT_LINK = """(id) => {
  const wb = window.workbench;
  if (id) { wb.network.selectEdges([id]); } else { wb.network.unselectAll(); }
  wb.edgeLabels.refresh();
}"""


def label_overlaps(page: Any) -> dict[str, Any]:
    page.evaluate("() => window.workbench.network.redraw()")  # label boxes are measured when drawn
    return page.evaluate(label_overlaps_js())  # type: ignore[no-any-return]


TEACHING = sorted(f"teaching/{p.name}" for p in (CASES / "teaching").glob("*.formulation.json"))


@pytest.mark.parametrize("case", ["demo.formulation.json", *TEACHING])
def test_link_labels_keep_off_elements_and_each_other(
    case: str, recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    import workbench

    f = workbench.load(CASES / case)
    page, url = open_page(recorded_page, f, tmp_path, "labels")
    found = label_overlaps(page)
    assert overlap_count(found) <= MAX_LABEL_OVERLAPS, found
    # No link over the label under its own end (measured before: 2 to 10 per case): that label is
    # drawn over the line on a background of its own, and an arrow coming through it stops below it.
    assert found["lineOnLabels"] == [] and found["arrowsOnLabels"] == [], found
    allowed = 0 if case.startswith("demo") else MAX_LINES_THROUGH_ELEMENTS
    assert len(found["lineOnElements"]) <= allowed, found
    assert found["labelled"] == len(f.link_records())
    # Nothing is lost: most verbs stay on the map (measured: at least 11 of 14 on any case),
    # and a hidden one is still in the data, in the tooltip, and shown when its link is selected.
    assert found["drawn"] >= found["labelled"] / 2, found
    labels = page.evaluate("() => window.workbench.edges.get().map((e) => [e.id, e.label])")
    assert dict(labels) == {ln.id: f.template.link_kind(ln.kind).verb for ln in f.link_records()}
    if found["quiet"]:
        edge = found["quiet"][0]
        ln = f.link(edge)
        assert f.template.link_kind(ln.kind).verb in page.evaluate(
            "(id) => window.workbench.edges.get(id).title.textContent", edge
        )
        page.evaluate(SELECT_LINK, edge)
        selected = label_overlaps(page)
        assert selected["drawn"] == found["drawn"] + 1
        page.evaluate(SELECT_LINK, None)
        assert label_overlaps(page)["drawn"] == found["drawn"]
    if case.startswith("demo"):
        save_screenshot(page, "render-demo-case-1280x800")
    assert_nothing_ran(page, recorded_page, url)


#: Screen points on the quiet (hidden-label) links where the pointer is on the link and on no element,
#: and no other link or element is within 12 px (vis-network's tooltip takes the first link within
#: 10 canvas units of the pointer, and links leaving one element run close together at first).
QUIET_LINK_POINTS = """() => {
  const wb = window.workbench, net = wb.network, out = [];
  const frame = document.getElementById("wb-graph").getBoundingClientRect();
  const near = [[0, 0]];
  for (const r of [6, 12]) for (let k = 0; k < 8; k++) {
    near.push([r * Math.cos(k * Math.PI / 4), r * Math.sin(k * Math.PI / 4)]);
  }
  const only = (dom, id) => near.every(([dx, dy]) => {
    const at = { x: dom.x + dx, y: dom.y + dy };
    const edge = net.getEdgeAt(at);
    return net.getNodeAt(at) === undefined && (edge === undefined || edge === id);
  });
  for (const id of wb.edgeLabels.quiet) {
    const edge = net.body.edges[id];
    for (const t of [0.3, 0.4, 0.6, 0.7, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75]) {
      const dom = net.canvasToDOM(edge.edgeType.getPoint(t));
      if (net.getEdgeAt(dom) === id && only(dom, id)) {
        out.push({ id, x: frame.left + dom.x, y: frame.top + dom.y });
        break;
      }
    }
  }
  return out;
}"""


def test_a_hidden_link_label_shows_while_the_pointer_is_on_its_link(
    recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    import workbench

    f = workbench.load(CASES / "teaching" / "malan_cheerful_younger_brother.formulation.json")
    page, url = open_page(recorded_page, f, tmp_path, "hover")
    before = label_overlaps(page)
    points = page.evaluate(QUIET_LINK_POINTS)
    assert before["quiet"] and points, before  # this dense case has labels with no free place
    for point in points:
        ln = f.link(point["id"])
        page.mouse.move(5, 5)
        page.mouse.move(point["x"], point["y"], steps=3)
        verb = f.template.link_kind(ln.kind).verb
        sentence = f"{f.element(ln.source).label} {verb} "
        # the tooltip has the sentence with the verb (the previous link's may still be up a moment),
        # and the verb is now drawn on the link
        page.wait_for_function("""(s) => [...document.querySelectorAll("div.vis-tooltip")].some(
          (t) => t.style.visibility !== "hidden" && t.textContent.startsWith(s))""", arg=sentence,
                               timeout=5_000)
        assert label_overlaps(page)["drawn"] == before["drawn"] + 1
    save_screenshot(page, "render-hover-hidden-label")
    page.mouse.move(5, 5)  # leaving the map hides it again
    assert label_overlaps(page)["drawn"] == before["drawn"]
    assert_nothing_ran(page, recorded_page, url)


def test_a_long_tooltip_stays_on_the_screen_and_scrolls_inside(
    recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    f = Formulation.new(case_id="T-LONG")
    quote = "She says she has always managed alone and never asked anyone for anything. " * 6
    long_one = f.add_element("present_symptom", "Low mood " + "and more " * 12,
                             description="A very long description. " * 60,
                             evidence=[{"session": s, "quote": quote} for s in range(1, 9)])
    other = f.add_element("early_experience", "Father often absent")
    fear = f.add_element("unconscious_fear", "Fear of being a burden")
    f.add_link(other, fear, "gives_rise_to")
    f.add_link(fear, long_one, "expressed_as")
    page, _url = open_page(recorded_page, f, tmp_path, "long-tooltip")
    hover_tooltip(page, long_one)
    box = page.evaluate("""() => {
        const tip = document.querySelector("div.vis-tooltip");
        const r = tip.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                scroll: tip.scrollHeight, client: tip.clientHeight,
                overflow: getComputedStyle(tip).overflowY, w: innerWidth, h: innerHeight};
    }""")
    save_screenshot(page, "render-long-tooltip")
    assert box["top"] >= 0 and box["left"] >= 0, box  # on the screen ...
    assert box["bottom"] <= box["h"] and box["right"] <= box["w"], box
    assert box["scroll"] > box["client"] and box["overflow"] == "auto", box  # ... the rest scrolls inside
