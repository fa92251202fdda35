"""Dragging an element on the live map draws again only the links that move (map_frames.js wbQuickDrag).

vis-network draws every link again at each frame of a drag; on a large map the canvas then spends
most of the frame rasterising links that did not move. While an element is dragged, the links that
stay are drawn once into pictures and copied; each frame draws only the dragged element's links.
Checked on the demo case in the Voilà app (the speed itself is measured by
``benchmarks/bench_large_maps.py``): the count of links drawn per frame, and that a frame drawn so
looks the same as one drawn whole.
"""

from __future__ import annotations

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import _NETWORK, BUSIEST_ELEMENT, open_app_on_demo
from e2e_servers import Server
from test_live_labels_browser import _PLACED

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

#: Centre the element with the most links at 100 %; count every link drawn from now on
#: (window.__drawn); return where the element is on the page and how many links the map has.
SETUP = f"""() => {{
  const net = {_NETWORK};
  const busiest = ({BUSIEST_ELEMENT})(net);
  net.moveTo({{ position: net.getPositions([busiest])[busiest], scale: 1, animation: false }});
  const proto = Object.getPrototypeOf(net.body.edges[net.body.edgeIndices[0]]);
  const draw = proto.draw;
  window.__drawn = 0;
  proto.draw = function (ctx) {{ window.__drawn += 1; return draw.call(this, ctx); }};
  net.redraw();
  const box = net.body.container.getBoundingClientRect();
  const dom = net.canvasToDOM(net.getPositions([busiest])[busiest]);
  return {{ id: busiest, x: box.left + dom.x, y: box.top + dom.y, own: net.getConnectedEdges(busiest).length,
           links: net.body.edgeIndices.filter((id) => net.body.edges[id].connected).length }};
}}"""

#: Draw the map now (as a frame of the drag does) and count the links drawn; with `whole`, as if no
#: element were dragged. Returns the count and whether an element drag was on; keeps the canvas
#: pixels as window.__pixels[name].
DRAW_NOW = f"""([name, whole]) => {{
  const net = {_NETWORK};
  const dragging = net.renderer.dragging;
  if (whole) net.renderer.dragging = false;
  window.__drawn = 0;
  net.redraw();
  const drawn = window.__drawn;
  net.renderer.dragging = dragging;
  const canvas = net.canvas.frame.canvas;
  window.__pixels = window.__pixels || {{}};
  window.__pixels[name] = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  return {{ drawn, dragging }};
}}"""

#: How many pixels of two kept canvases differ by more than a little in any channel, and of how many.
DIFFERING = """([a, b]) => {
  const p = window.__pixels[a], q = window.__pixels[b];
  let count = 0;
  for (let i = 0; i < p.length; i += 4) {
    if (Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]), Math.abs(p[i + 2] - q[i + 2]),
                 Math.abs(p[i + 3] - q[i + 3])) > 24) count += 1;
  }
  return [count, p.length / 4];
}"""


def test_dragging_an_element_draws_again_only_its_links_and_looks_the_same(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = open_app_on_demo(recorded_page, voila_server, timeout=LOAD_TIMEOUT)
    page.wait_for_function(_PLACED, timeout=30_000)
    at = page.evaluate(SETUP)
    assert 2 <= at["own"] < at["links"], at

    page.mouse.move(at["x"], at["y"])
    page.mouse.down()
    for step in range(1, 7):
        page.mouse.move(at["x"] + 12 * step, at["y"] + 6 * step)
    page.wait_for_function(f"() => {_NETWORK}.renderer.dragging === true")
    quick = page.evaluate(DRAW_NOW, ["quick", False])
    again = page.evaluate(DRAW_NOW, ["again", False])
    whole = page.evaluate(DRAW_NOW, ["whole", True])
    differing, pixels = page.evaluate(DIFFERING, ["again", "whole"])
    save_screenshot_to_artifacts(page, "live-map-dragging")
    page.mouse.up()
    page.wait_for_function(f"() => {_NETWORK}.renderer.dragging === false")
    after = page.evaluate(DRAW_NOW, ["after", False])

    assert quick["dragging"] and again["dragging"]
    # While the element is dragged, a frame draws its own links (and a selected or hovered one) only.
    assert 1 <= again["drawn"] <= at["own"] + 1, (again["drawn"], at)
    assert whole["drawn"] == at["links"] and after["drawn"] == at["links"], (whole, after, at)
    # The frame looks as one drawn whole (the dragged element's links may cross others in another order).
    assert differing <= pixels // 200, (differing, pixels)
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
