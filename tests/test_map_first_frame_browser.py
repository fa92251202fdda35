"""The standalone page's first frames stay short (issue 12), in a real browser.

Timing is measured by ``benchmarks/bench_large_maps.py`` and a Chrome trace; these tests pin the
structure that keeps the page's frames short instead:

- the map is drawn only in animation frames, never inside a task of the build (vis-network draws
  at once when its physics is asked to start with physics off), and not while it is being built;
- the first draw finds every arrow's end already found (``wbDrawAhead`` in the build's slices,
  render/map_canvas.js), and so does the draw that shows the placed link labels;
- a link keeps its arrow ends between draws (``wbQuickArrows``): a draw where nothing moved
  searches for none, moving one element searches again only for its links' arrows, and the map
  drawn with kept arrow ends is the map vis-network draws when it searches for every one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import BUSIEST_ELEMENT, NETWORK_HOOK, RECORD_DRAWS

import workbench
from workbench.render.html import render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_render import build_formulation

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"

#: Init script (after RECORD_DRAWS): every draw of every vis.Network, in `network.__draws`: whether
#: it drew (vis-network skips a draw while redraws are blocked), ran in an animation frame, came
#: while the map was being built (wbBuildMap), and how many arrows it searched for (wbQuickArrows).
COUNT_DRAWS = """
(() => {
  let inFrame = false;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((time) => {
    inFrame = true;
    try { callback(time); } finally { inFrame = false; }
  });
  window.__wbDrawProbes.push((network, renderer) => {
    const searched = () => (network.wbArrows ? network.wbArrows.searched : null);
    const draw = { drew: renderer.allowRedraw === true, inFrame,
                   building: !!(network.wbBuild && network.wbBuild.busy), before: searched() };
    return () => {
      draw.searched = draw.before === null ? null : searched() - draw.before;
      return draw;
    };
  });
})();
"""


def _open(recorded_page: RecordedPage, f: workbench.Formulation, path: Path) -> Any:
    path.write_text(render_html(f), encoding="utf-8")
    recorded_page.context.add_init_script(NETWORK_HOOK)
    recorded_page.context.add_init_script(RECORD_DRAWS)
    recorded_page.context.add_init_script(COUNT_DRAWS)
    page = recorded_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=180_000)
    return page


@pytest.mark.parametrize("elements", [0, 50, 500], ids=["demo case", "50 elements", "500 elements"])
def test_the_page_draws_its_map_only_in_frames_with_every_arrow_found_ahead(
    recorded_page: RecordedPage, tmp_path: Path, elements: int
) -> None:
    f = build_formulation(elements, round(elements * 1.4)) if elements else workbench.load(DEMO)
    page = _open(recorded_page, f, tmp_path / "map.html")
    draws = page.evaluate("() => window.workbench.network.__draws")
    drawn = [d for d in draws if d["drew"]]
    assert drawn, draws
    # Never at once inside a task (a second draw of the same map in the build's task), never while
    # the map is being built.
    assert all(d["inFrame"] for d in drawn), draws
    assert not any(d["building"] for d in drawn), draws
    # The first draw of the built map, and the last one (which shows the placed labels), search for
    # no arrow end: all were found in slices before them.
    links = len(f.link_records())
    built = [d for d in drawn if d["before"]]  # an empty map drawn before the build searched nothing
    assert built[0]["before"] >= links, draws  # each link's arrow found in the build's slices
    assert built[0]["searched"] == 0, draws
    assert built[-1]["searched"] == 0, draws
    # Beyond one slice's worth of items (40), the map is built in slices: at 50 elements and 70 links
    # vis-network's one-go build was a single task of over 100 ms.
    build = page.evaluate("() => ({ slices: workbench.build.slices, largest: workbench.build.largest })")
    if elements:
        assert build["slices"] > 1 and build["largest"] <= 40, build
    if elements == 500:
        save_screenshot_to_artifacts(page, "first-frame-500-elements")
    assert recorded_page.log.page_errors == []
    assert recorded_page.log.outside_requests() == []


#: Draw the page's map now (in this task) and return a fingerprint of the canvas's pixels.
_DRAW = """() => {
  const net = window.workbench.network;
  const before = net.wbArrows.searched;
  net.renderer._redraw();
  net.renderer._redraw(); // lines end where the arrows of the draw before stopped
  const canvas = net.canvas.frame.canvas;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < pixels.length; i++) {
    sum += pixels[i];
    weighted = (weighted + pixels[i] * (i % 9973)) % 1e15;
  }
  return { searched: net.wbArrows.searched - before, sum, weighted, painted: pixels.some((p) => p > 0) };
}"""

#: Forget every link's kept arrow ends (vis-network then searches for each one again).
_FORGET = """() => {
  const body = window.workbench.network.body;
  for (const id of body.edgeIndices) {
    const type = body.edges[id].edgeType;
    if (type.wbArrowEnds) type.wbArrowEnds = { from: null, to: null };
  }
}"""


def test_links_keep_their_arrow_ends_until_an_end_moves_and_draw_the_same_map(
    recorded_page: RecordedPage, tmp_path: Path
) -> None:
    f = build_formulation(150, 210)
    page = _open(recorded_page, f, tmp_path / "map.html")
    links = len(f.link_records())
    kept = page.evaluate(_DRAW)
    assert kept["painted"] and kept["searched"] == 0, kept  # nothing moved: no search at all
    page.evaluate(_FORGET)
    searched = page.evaluate(_DRAW)
    assert searched["searched"] == links, searched  # vis-network's own search, once per arrow
    assert (searched["sum"], searched["weighted"]) == (kept["sum"], kept["weighted"])

    # Move the element with the most links: only the arrows of its links are searched for again.
    moved = page.evaluate(f"""() => {{
      const net = window.workbench.network;
      const node = net.body.nodes[({BUSIEST_ELEMENT})(net)];
      node.x += 40;
      node.y += 25;
      return node.edges.filter((e) => e.connected && e.fromId !== e.toId).length;
    }}""")
    assert moved >= 2
    after_move = page.evaluate(_DRAW)
    assert after_move["searched"] == moved, (after_move, moved)  # once each, in the first draw
    page.evaluate(_FORGET)
    searched_again = page.evaluate(_DRAW)
    assert (after_move["sum"], after_move["weighted"]) == (searched_again["sum"], searched_again["weighted"])
    assert (after_move["sum"], after_move["weighted"]) != (kept["sum"], kept["weighted"])  # it did move
    assert recorded_page.log.page_errors == []
