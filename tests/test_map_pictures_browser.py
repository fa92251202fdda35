"""A frame of a map at rest copies its links from pictures drawn ahead (map_canvas.js wbQuickFrames).

At 500 elements a frame's links were most of it (their script, and their raster at the frame's
Commit). Before the frames the standalone page asks for (the build's first draw, the draw that shows
the placed link labels), the links are drawn, in slices, into pictures for the view that frame will
have, and that frame copies them and draws only the elements. The speed is measured by
``benchmarks/bench_page_tasks.py``; these tests pin the structure and the look:

- the frames of the built map as the page opens (its first frame, the frame that shows the placed
  labels, and the one the label placement asks for after it) draw no link themselves: they copy
  the pictures;
- a frame drawn from pictures looks as the map drawn whole;
- pictures are good for one frame, that frame only if nothing it draws changed: after a hover or a
  zoom the frame draws every link itself, and a later draw never copies old pictures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, RECORD_DRAWS, evaluate_within
from test_map_drag_browser import DIFFERING

import workbench
from workbench.render.html import render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_render import build_formulation

pytestmark = pytest.mark.browser

#: Init script (after RECORD_DRAWS): for every draw of every vis.Network, in `network.__draws`, how
#: many links it drew itself (each link's draw() inside the draw) and whether it copied pictures.
COUNT_LINK_DRAWS = """
(() => {
  let inDraw = false;
  window.__linkDraws = 0;
  window.__wbDrawProbes.push((network, renderer) => {
    const body = network.body;
    const first = body.edges[body.edgeIndices[0]];
    const proto = first && Object.getPrototypeOf(first);
    if (proto && !proto.__counted) {
      const draw = proto.draw;
      proto.draw = function (ctx) { if (inDraw) window.__linkDraws += 1; return draw.call(this, ctx); };
      proto.__counted = true;
    }
    const used = network.wbFrames ? network.wbFrames.used : 0;
    const links = body.edgeIndices.filter((id) => body.edges[id].connected === true).length;
    const drew = renderer.allowRedraw === true;
    window.__linkDraws = 0;
    inDraw = true;
    return () => {
      inDraw = false;
      return { drew, links, linksDrawn: window.__linkDraws,
               copied: (network.wbFrames ? network.wbFrames.used : 0) - used };
    };
  });
})();
"""

#: Draw the links into pictures again, as the page does before the frame that shows the placed
#: labels; then `change` ("none", "hover": a link hovered, as vis-network marks it; "zoom") while
#: the map may not be drawn; then one frame. Returns that frame's count of links drawn and pictures
#: copied, and keeps its pixels as window.__pixels.frame.
FRAME_FROM_PICTURES = """(change) => new Promise((resolve) => {
  const net = window.workbench.network;
  const body = net.body;
  const emitter = body.emitter;
  const links = body.edgeIndices.map((id) => body.edges[id]);
  emitter.emit("_blockRedraw");
  wbDrawAheadInSlices(net, links, () => {
    const ready = net.wbFrames.ready !== null;
    if (change === "hover") links.find((e) => e.connected === true).hover = true;
    if (change === "zoom") net.moveTo({ scale: body.view.scale * 1.25, animation: false });
    const before = net.__draws.length;
    emitter.emit("_allowRedraw");
    net.once("afterDrawing", () => setTimeout(() => {
      const canvas = net.canvas.frame.canvas;
      window.__pixels = window.__pixels || {};
      window.__pixels.frame = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      resolve({ ready, draws: net.__draws.slice(before) });
    }, 0));
    emitter.emit("_requestRedraw");
  }, { pictures: true });
})"""

#: Draw the map now, whole, as vis-network does; keep its pixels as window.__pixels.whole.
DRAW_WHOLE = """() => {
  const net = window.workbench.network;
  net.redraw();
  const canvas = net.canvas.frame.canvas;
  window.__pixels.whole = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  return net.__draws[net.__draws.length - 1];
}"""

DEMO = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"


#: Init script: no animation frame comes until the map is built (as on a busy machine, where the
#: build's slices run before the frame new vis.Network asked for); the frames asked for meanwhile
#: then come in the order they were asked for.
NO_FRAME_UNTIL_BUILT = """
(() => {
  const request = window.requestAnimationFrame.bind(window);
  const held = [];
  let holding = true;
  window.requestAnimationFrame = (callback) => {
    if (!holding) return request(callback);
    held.push(callback);
    return -held.length;
  };
  (function release() {
    const build = window.workbench && window.workbench.build;
    if (!build || build.busy) { setTimeout(release, 0); return; }
    holding = false;
    held.splice(0).forEach((callback) => request(callback));
  })();
})();
"""


def _open(
    recorded_page: RecordedPage, elements: int, path: Path, *, late_first_frame: bool = False
) -> Any:
    f = build_formulation(elements, round(elements * 1.4)) if elements else workbench.load(DEMO)
    path.write_text(render_html(f), encoding="utf-8")
    recorded_page.context.add_init_script(NETWORK_HOOK)
    recorded_page.context.add_init_script(RECORD_DRAWS)
    recorded_page.context.add_init_script(COUNT_LINK_DRAWS)
    if late_first_frame:
        recorded_page.context.add_init_script(NO_FRAME_UNTIL_BUILT)
    page = recorded_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=180_000)
    return page


def _assert_built_frames_copy_their_links(page: Any) -> None:
    draws = page.evaluate("() => window.workbench.network.__draws")
    built = [d for d in draws if d["drew"] and d["links"]]
    # The build's first frame, the frame that shows the placed labels and the one the placement asks
    # for after it (links given a new curve): the links copied, none drawn.
    assert len(built) >= 2, draws
    assert all(d["copied"] == 1 and d["linksDrawn"] == 0 for d in built), draws
    stats = page.evaluate("() => window.workbench.network.wbFrames")
    assert stats["made"] == 2 and stats["used"] == len(built) and stats["missed"] == 0, stats
    assert stats["ready"] is None and stats["pending"] is None, stats  # nothing left for a later draw


@pytest.mark.parametrize("elements", [0, 500], ids=["demo case", "500 elements"])
def test_the_page_s_frames_copy_their_links_from_pictures_drawn_ahead_and_look_the_same(
    recorded_page: RecordedPage, tmp_path: Path, elements: int
) -> None:
    page = _open(recorded_page, elements, tmp_path / "map.html")
    _assert_built_frames_copy_their_links(page)

    # A frame from pictures looks as the map drawn whole.
    frame = evaluate_within(page, FRAME_FROM_PICTURES, "none")
    assert frame["ready"], frame
    assert [(d["copied"], d["linksDrawn"]) for d in frame["draws"] if d["drew"]] == [(1, 0)], frame
    save_screenshot_to_artifacts(page, f"map-frame-from-pictures-{elements or 'demo'}")
    whole = page.evaluate(DRAW_WHOLE)
    assert whole["copied"] == 0 and whole["linksDrawn"] == whole["links"], whole  # the pictures were used up
    differing, pixels = page.evaluate(DIFFERING, ["frame", "whole"])
    assert differing <= pixels * 0.0008, (differing, pixels)
    assert recorded_page.log.page_errors == []
    assert recorded_page.log.outside_requests() == []


@pytest.mark.parametrize("change", ["hover", "zoom"])
def test_a_frame_after_a_hover_or_a_zoom_draws_its_links_itself(
    recorded_page: RecordedPage, tmp_path: Path, change: str
) -> None:
    page = _open(recorded_page, 150, tmp_path / "map.html")
    frame = evaluate_within(page, FRAME_FROM_PICTURES, change)
    assert frame["ready"], frame  # pictures were made for the frame, and then the map changed
    drawn = [d for d in frame["draws"] if d["drew"]]
    assert drawn and all(d["copied"] == 0 and d["linksDrawn"] == d["links"] for d in drawn), frame
    assert page.evaluate("() => window.workbench.network.wbFrames.ready") is None
    assert recorded_page.log.page_errors == []


#: A frame asked for, then draws held and let through again (as the page does while it draws links
#: into pictures), then a frame asked for again; the draws of the frames that follow, once no frame
#: is due any more.
REQUEST_HOLD_REQUEST = """() => new Promise((resolve) => {
  const net = window.workbench.network;
  const emitter = net.body.emitter;
  const before = net.__draws.length;
  emitter.emit("_requestRedraw");
  emitter.emit("_blockRedraw");
  emitter.emit("_allowRedraw"); // vis-network forgets here that a frame was asked for
  emitter.emit("_requestRedraw");
  // Three frames later every frame asked for has come.
  requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() =>
    resolve(net.__draws.slice(before)))));
})"""


def test_a_frame_asked_for_again_after_a_hold_is_the_same_frame(
    recorded_page: RecordedPage, tmp_path: Path
) -> None:
    # Two frames came, and the second drew every link again: the page's frame that copies the link
    # pictures was followed by a whole draw (1 load in 10 on a busy machine, when the label
    # placement's frame was still due as the page held the draws for its pictures).
    page = _open(recorded_page, 0, tmp_path / "map.html")
    draws = evaluate_within(page, REQUEST_HOLD_REQUEST)
    assert len(draws) == 1 and draws[0]["drew"], draws


def test_a_first_frame_that_comes_after_the_build_is_its_one_frame(
    recorded_page: RecordedPage, tmp_path: Path
) -> None:
    # The frame new vis.Network asks for came after the build (built in slices, 20 elements and 28
    # links) had asked for its own: two frames came, and the second drew every link again.
    page = _open(recorded_page, 20, tmp_path / "map.html", late_first_frame=True)
    _assert_built_frames_copy_their_links(page)
    assert recorded_page.log.page_errors == []
