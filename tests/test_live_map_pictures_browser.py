"""The live map's frames copy its links from pictures drawn ahead (wbQuickFrames on the live map).

At 500 elements the draw that shows an edit (and the first draw of a built map) was one task of
50-130 ms on this machine, most of it the links (their script, and their raster at the frame's
Commit). The live map now draws its links ahead, in slices, into pictures for the view the frame
will have (only the links in view: wbDrawInView), and that frame copies them and draws the
elements: the build's first frame, and the one draw of each edit. The speed is measured by
``benchmarks/bench_large_maps.py --only app``; these tests pin the structure and the look, on a
case of 500 elements in the Voilà app:

- the first frame of the built map and the frame of an edit draw no link themselves, and the edit
  is still drawn once;
- that frame looks as the map drawn whole;
- a frame after a hover or a zoom draws its links itself (the pictures are dropped).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import (
    _NETWORK,
    RECORD_DRAWS,
    evaluate_within,
    open_app_on_demo,
    open_case_in_app,
    wait_for_graph_label,
)
from e2e_servers import Server
from test_large_map_browser import ELEMENTS, LINKS, _settled
from test_live_edit_browser import KEEP
from test_live_labels_browser import _PLACED
from test_map_drag_browser import DIFFERING
from test_map_pictures_browser import COUNT_LINK_DRAWS

import workbench

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_render import build_formulation

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

DRAWS = f"() => {_NETWORK}.__draws"

#: A link of the map hovered (as vis-network marks it) or the view zoomed; then one draw.
CHANGE_AND_DRAW = f"""(change) => new Promise((resolve) => {{
  const net = {_NETWORK};
  const before = net.__draws.length;
  const link = net.body.edgeIndices.map((id) => net.body.edges[id]).find((e) => e.connected === true);
  if (change === "hover") link.hover = true;
  if (change === "zoom") net.moveTo({{ scale: net.body.view.scale * 1.25, animation: false }});
  net.once("afterDrawing", () => setTimeout(() => {{
    if (change === "hover") link.hover = false;
    resolve(net.__draws.slice(before));
  }}, 0));
  net.body.emitter.emit("_requestRedraw");
}})"""


def _large_case_in_app(recorded_page: RecordedPage, voila_server: Server) -> Any:
    case = voila_server.root / "large-500.formulation.json"  # the server's temporary copy
    if not case.exists():
        workbench.save(build_formulation(ELEMENTS, LINKS), case, message="Large case", author="test")
    page = open_app_on_demo(recorded_page, voila_server, RECORD_DRAWS, COUNT_LINK_DRAWS, timeout=LOAD_TIMEOUT)
    page.wait_for_function(_PLACED, timeout=30_000)
    open_case_in_app(page, case)
    page.wait_for_function(
        f"""(n) => {{ const net = {_NETWORK};
          return !!net && net.body.data.nodes.length === n && ({_PLACED})(); }}""",
        arg=ELEMENTS, timeout=180_000,
    )
    return page


def _rename_first_element(page: Any, label: str) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """Rename the first element in the list; the map's work before and after, and the edit's draws."""
    page.locator(".wb-tabs").get_by_role("tab", name="Element", exact=True).click()
    page.locator(".wb-element-list select").first.select_option(index=0)
    page.wait_for_function("() => !!document.querySelector('.wb-element-label input').value")
    page.wait_for_function(f"() => {_NETWORK}.getSelectedNodes().length === 1")  # the pick reached the map
    before = _settled(page)
    count = len(page.evaluate(DRAWS))
    page.locator(".wb-element-label input").first.fill(label)
    page.locator(".wb-update-element").first.click()
    wait_for_graph_label(page, label, timeout=LOAD_TIMEOUT)
    after = _settled(page)
    return before, after, [d for d in page.evaluate(DRAWS)[count:] if d["drew"]]


def test_the_live_map_s_first_frame_and_an_edit_s_frame_copy_their_links_and_look_the_same(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _large_case_in_app(recorded_page, voila_server)
    built = [d for d in page.evaluate(DRAWS) if d["drew"] and d["links"] == LINKS]  # (not the demo case's)
    # The built map's first frame copies its links: none drawn there.
    assert built and built[0]["copied"] == 1 and built[0]["linksDrawn"] == 0, built[:3]

    before, after, edit = _rename_first_element(page, "Renamed on the large map, a longer label than before")
    page.evaluate(KEEP, ["edited", False])
    save_screenshot_to_artifacts(page, "live-map-500-edit-from-pictures")
    page.evaluate(KEEP, ["whole", True])
    whole = page.evaluate(DRAWS)[-1]
    differing, pixels = page.evaluate(DIFFERING, ["edited", "whole"])

    # Still one draw for the edit, and it copied the links (drawn ahead in slices) instead of drawing them.
    assert after["draws"] - before["draws"] == 1, (before, after)
    assert [(d["copied"], d["linksDrawn"]) for d in edit] == [(1, 0)], edit
    # The pictures were good for that frame only: the map drawn again draws its links (those in view).
    assert whole["copied"] == 0 and whole["linksDrawn"] > 0, whole
    # ... and that frame looked as the map drawn whole.
    assert differing <= pixels * 0.0008, (differing, pixels)
    stats = page.evaluate(f"() => {_NETWORK}.wbFrames")
    assert stats["ready"] is None and stats["pending"] is None, stats

    # After a hover or a zoom, the frame draws its links itself.
    for change in ("hover", "zoom"):
        drawn = [d for d in evaluate_within(page, CHANGE_AND_DRAW, change) if d["drew"]]
        assert drawn and all(d["copied"] == 0 and d["linksDrawn"] > 0 for d in drawn), (change, drawn)
    assert recorded_page.log.page_errors == []
    assert recorded_page.log.outside_requests() == []
