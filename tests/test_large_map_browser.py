"""A large map in a real browser: the link-label placement finishes and leaves no overlaps.

A synthetic psychodynamic case of 500 elements and 700 links (the benchmarks' generator) on
the standalone page of ``render_html`` and on the live map of the Voilà app. Before
edge_labels.js used a spatial grid and computed bends, the page did not finish placing its
labels within 5 minutes here. Timing itself is measured by ``benchmarks/bench_large_maps.py``;
these tests check behaviour only: the placement ends, gave the page back while working (it ran
in several slices), every link got its place, and with labels drawn (at 100 %) no label lies
on an element or on another label.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import _NETWORK, NETWORK_HOOK, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server
from test_live_labels_browser import _PLACED, _QUIET
from test_render_browser import MAX_LABEL_OVERLAPS, label_overlaps, label_overlaps_js

import workbench
from workbench.render.html import render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_render import build_formulation

pytestmark = pytest.mark.browser

ELEMENTS, LINKS = 500, 700

#: Counts the slices of placement work: each time the page gets its main thread back while the
#: placement is busy, a message-channel or timer task of the placement runs next.
COUNT_SLICES = """
(() => {
  window.__slices = 0;
  const Original = window.MessageChannel;
  window.MessageChannel = function () {
    const channel = new Original();
    const post = channel.port2.postMessage.bind(channel.port2);
    channel.port2.postMessage = (value) => { window.__slices += 1; post(value); };
    return channel;
  };
})();
"""


#: Show the element with the most links at 100 % (a page function of the network).
ZOOM_TO_BUSIEST = """(net) => {
  const links = (id) => net.getConnectedEdges(id).length;
  const busiest = net.body.nodeIndices.reduce((a, b) => links(a) >= links(b) ? a : b);
  net.moveTo({ position: net.getPositions([busiest])[busiest], scale: 1, animation: false });
  net.redraw();
}"""


def test_labels_of_a_500_element_map_are_placed_in_slices_without_overlaps(
    recorded_page: Any, tmp_path: Path, save_screenshot: Any
) -> None:
    f = build_formulation(ELEMENTS, LINKS)
    assert len(f) == ELEMENTS and len(f.link_records()) == LINKS
    path = tmp_path / "large.html"
    path.write_text(render_html(f), encoding="utf-8")
    page = recorded_page.page
    recorded_page.context.add_init_script(COUNT_SLICES)
    page.goto(path.as_uri())
    # data-ready is set once the placement is done (generous: a busy 2-core machine)
    page.wait_for_selector("body[data-ready=true]", timeout=180_000)
    state = page.evaluate("""() => {
      const wb = window.workbench;
      const edges = wb.edges.get();
      return { busy: wb.edgeLabels.busy, slices: window.__slices,
               placed: edges.filter((e) => e.scaling && e.scaling.label).length, links: edges.length };
    }""")
    assert not state["busy"], state
    assert state["placed"] == state["links"] == LINKS, state
    assert state["slices"] >= 2, state  # the work was cut up, the page answered in between
    # At the fitted scale of so large a map the verbs are too small to draw: look at 100 %.
    page.evaluate(f"() => ({ZOOM_TO_BUSIEST})(window.workbench.network)")
    found = label_overlaps(page)
    assert found["labelled"] == LINKS
    assert len(found["onElements"]) + len(found["onLabels"]) <= MAX_LABEL_OVERLAPS, {
        k: v[:5] for k, v in found.items() if isinstance(v, list)
    }
    # Hiding every verb would avoid overlaps too: most must stay on the map.
    assert found["drawn"] >= found["labelled"] / 2, {k: found[k] for k in ("labelled", "drawn")}
    save_screenshot(page, "large-map-500-labels")
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []


LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page


def test_live_map_of_a_500_element_case_places_every_label_without_overlaps(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    """Open the large case in the running app (Case tab); its live map places all labels."""
    case = voila_server.root / "large-500.formulation.json"  # the server's temporary copy
    if not case.exists():
        workbench.save(build_formulation(ELEMENTS, LINKS), case, message="Large case", author="test")
    page: Any = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page.goto(voila_server.url("/"), timeout=LOAD_TIMEOUT)
    demo = workbench.load(voila_server.root / DEMO_CASE)
    wait_for_graph_label(page, demo.element_records()[0].label, timeout=LOAD_TIMEOUT)
    page.locator(".wb-tabs").get_by_role("tab", name="Case", exact=True).click()
    page.locator(".wb-open-path input").fill(str(case))
    page.locator(".wb-open-button").click()
    page.wait_for_function(
        f"""(n) => {{ const net = {_NETWORK};
          return !!net && net.body.data.nodes.length === n && ({_PLACED})(); }}""",
        arg=ELEMENTS, timeout=180_000,
    )
    page.evaluate(f"() => ({ZOOM_TO_BUSIEST})({_NETWORK})")
    found = page.evaluate(label_overlaps_js(_NETWORK, _QUIET))
    save_screenshot_to_artifacts(page, "large-map-500-live")
    assert found["labelled"] == LINKS
    assert len(found["onElements"]) + len(found["onLabels"]) <= MAX_LABEL_OVERLAPS, {
        k: v[:5] for k, v in found.items() if isinstance(v, list)
    }
    assert found["drawn"] >= found["labelled"] / 2, {k: found[k] for k in ("labelled", "drawn")}
    assert recorded_page.log.outside_requests() == []
