"""An edit on the live map is drawn once, and that one draw is already the final picture.

Renaming an element changes its box, the ends of its links and the places of the link labels
around it. The map used to draw the edit, then (a frame later, once the labels were placed
again) the map again, and a third time when a link got a new curve: two or three whole draws
per edit, each one the longest task of the edit on a large map, the labels jumping in between.
Now the changed element is measured, its links' ends found and the labels near it placed in the
task that applies the edit, and the map is drawn once. Checked on the demo case in the Voilà app
(the 500-element case is counted in test_large_map_browser.py; the time itself is measured by
``benchmarks/bench_large_maps.py``): one draw per edit, and drawing the map again after it
changes no pixel (a line ending where its element's old box ended would).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import _NETWORK, BUSIEST_ELEMENT, open_app_on_demo, pick_listed_element, wait_for_graph_label
from e2e_servers import Server
from test_large_map_browser import _settled
from test_live_labels_browser import _PLACED
from test_map_drag_browser import DIFFERING

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

#: The label of the element with the most links (the one to rename), and the links it has.
BUSIEST = f"""() => {{
  const net = {_NETWORK};
  const id = ({BUSIEST_ELEMENT})(net);
  return {{ label: String(net.body.data.nodes.get(id).full_label), links: net.getConnectedEdges(id).length }};
}}"""

#: Whether the element labelled `label` is the one selected on the map (the pick reached the map:
#: selected there, the quiet labels of its links shown).
PICKED_ON_MAP = f"""(label) => {{
  const net = {_NETWORK};
  const ids = net.getSelectedNodes();
  return ids.length === 1 && String(net.body.data.nodes.get(ids[0]).full_label) === label;
}}"""

#: Keep the canvas's pixels as window.__pixels[name]; with `redraw`, draw the whole map first.
KEEP = f"""([name, redraw]) => {{
  const net = {_NETWORK};
  if (redraw) net.redraw();
  const canvas = net.canvas.frame.canvas;
  window.__pixels = window.__pixels || {{}};
  window.__pixels[name] = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
}}"""

#: Labels measured (vis-network's own label module: a label whose text or state changed).
COUNT_MEASURED = f"""() => {{
  const net = {_NETWORK};
  const module = net.body.nodes[net.body.nodeIndices[0]].labelModule;
  const proto = Object.getPrototypeOf(module);
  if (!proto.__wbCounted) {{
    const measure = proto._processLabelText;
    proto.__wbCounted = true;
    window.__measured = 0;
    proto._processLabelText = function (...args) {{
      window.__measured += 1;
      return measure.apply(this, args);
    }};
  }}
  window.__measured = 0;
}}"""


def _app_with_labels_placed(recorded_page: RecordedPage, voila_server: Server) -> Any:
    """The app on the demo case, once its map's link labels are placed."""
    page = open_app_on_demo(recorded_page, voila_server, timeout=LOAD_TIMEOUT)
    page.wait_for_function(_PLACED, timeout=30_000)
    return page


def test_an_edit_is_drawn_once_and_that_draw_is_final(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _app_with_labels_placed(recorded_page, voila_server)
    busiest = page.evaluate(BUSIEST)
    assert busiest["links"] >= 3, busiest
    page.locator(".wb-tabs").get_by_role("tab", name="Element", exact=True).click()
    pick_listed_element(page, busiest["label"])
    page.wait_for_function("(label) => document.querySelector('.wb-element-label input').value === label",
                           arg=busiest["label"])
    page.wait_for_function(PICKED_ON_MAP, arg=busiest["label"])  # before counting
    before = _settled(page)
    page.evaluate(COUNT_MEASURED)

    # A much longer label: the element's box grows, so its links end elsewhere.
    longer = busiest["label"] + " and a great deal more besides"
    page.locator(".wb-element-label input").first.fill(longer)
    page.locator(".wb-update-element").first.click()
    wait_for_graph_label(page, longer)
    after = _settled(page)
    measured = page.evaluate("() => window.__measured")
    page.evaluate(KEEP, ["edited", False])
    page.evaluate(KEEP, ["again", True])
    differing, pixels = page.evaluate(DIFFERING, ["edited", "again"])
    save_screenshot_to_artifacts(page, "live-map-edited-once")

    # One draw for the edit (before: the edit, then its labels, and again for a link's new curve).
    assert after["draws"] - before["draws"] == 1, (before, after)
    # The element and the labels of its links are measured again (a link of the selected element in
    # both states), not every label of the map.
    assert 1 <= measured <= 2 * busiest["links"] + 4, (measured, busiest)
    # That draw was final: the element's links end at its new box (drawing again changes nothing).
    assert differing == 0, (differing, pixels)
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []


#: Zoom in on the element with the most links (so that many links lie out of view; with `cutting`,
#: the view stays), draw the map (every link whole with `all`; dashed curves cut to the view with
#: `cutting`); return the links drawn, skipped and cut, and where each link's label is (as the draw
#: leaves it).
ZOOMED_DRAW = f"""([all, cutting]) => {{
  const net = {_NETWORK};
  const busiest = ({BUSIEST_ELEMENT})(net);
  const at = net.getPositions([busiest])[busiest];
  if (!cutting) net.moveTo({{ position: at, scale: 2.5, animation: false }});
  const stats = net.wbDrawInView;
  stats.all = all;
  stats.cutting = cutting;
  stats.drawn = 0;
  stats.skipped = 0;
  stats.cut = 0;
  net.redraw();
  stats.all = false;
  stats.cutting = true;
  const labels = {{}};
  for (const id of net.body.edgeIndices) {{
    const s = net.body.edges[id].labelModule.size;
    labels[id] = [s.left, s.top, s.width, s.height].map((v) => Math.round(v * 100) / 100);
  }}
  return {{ drawn: stats.drawn, skipped: stats.skipped, cut: stats.cut, labels }};
}}"""


#: Zoom in on the middle of the longest dashed curved link, so that its ends lie out of view.
ON_A_DASHED_CURVE = f"""() => {{
  const net = {_NETWORK};
  const dashed = net.body.edgeIndices.map((id) => net.body.edges[id])
    .filter((e) => e.options.dashes && e.options.smooth && e.options.smooth.enabled !== false
      && e.from !== e.to);
  if (!dashed.length) return false;
  const length = (e) => Math.hypot(e.from.x - e.to.x, e.from.y - e.to.y);
  const edge = dashed.reduce((a, b) => (length(a) >= length(b) ? a : b));
  const middle = edge.edgeType.getPoint(0.5, edge.edgeType.getViaNode());
  const frame = net.canvas.frame.canvas;
  net.moveTo({{ position: middle, scale: 1.2 * Math.max(frame.clientWidth, frame.clientHeight) / length(edge),
               animation: false }});
  return true;
}}"""

def test_links_out_of_view_are_not_drawn_and_the_map_looks_the_same(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _app_with_labels_placed(recorded_page, voila_server)
    _settled(page)
    whole = page.evaluate(ZOOMED_DRAW, [True, False])
    page.evaluate(KEEP, ["whole", False])
    culled = page.evaluate(ZOOMED_DRAW, [False, False])
    page.evaluate(KEEP, ["culled", False])
    differing, pixels = page.evaluate(DIFFERING, ["whole", "culled"])
    assert page.evaluate(ON_A_DASHED_CURVE)  # its ends out of view
    page.evaluate(ZOOMED_DRAW, [True, True])  # (the view stays)
    page.evaluate(KEEP, ["whole-curve", False])
    cut = page.evaluate(ZOOMED_DRAW, [False, True])
    page.evaluate(KEEP, ["cut", False])
    cut_differing, _ = page.evaluate(DIFFERING, ["whole-curve", "cut"])
    save_screenshot_to_artifacts(page, "live-map-zoomed-in")

    links = whole["drawn"] + whole["skipped"]
    assert whole["skipped"] == 0 and links == len(culled["labels"]) > 0, whole
    # Zoomed in, the links out of view are not drawn; the picture is the same, and so is where
    # every link's label is (placement and tests read it).
    assert 1 <= culled["drawn"] < links and culled["drawn"] + culled["skipped"] == links, culled
    assert differing == 0, (differing, pixels)
    assert culled["labels"] == whole["labels"]
    # Dashed curves running out of view are drawn only in view: their dashes may fall up to a pixel
    # off (the canvas measures a curve's length its own way), nothing else changes.
    assert cut["cut"] >= 1 and cut["labels"] == whole["labels"], cut
    assert cut_differing <= pixels // 400, (cut_differing, pixels, cut["cut"])
    assert recorded_page.log.page_errors == []
