"""The vendored vis-network behaves as pyvis's, in a real browser.

``render/vendor/vis-network.min.js`` (vis-network 9.1.2's esnext build and its peers, bundled by
scripts/build-vis-network) replaced pyvis's legacy build for a shorter start-up (issue 12). Both are
loaded here, each in a page of its own with the standalone page's Content-Security-Policy, and must
define the same global ``vis`` and lay out, size and fit the demo case's map identically.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage

import workbench
from workbench.render import assets
from workbench.render.html import CSP
from workbench.render.visdata import network_options, vis_data

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"

# What a page can tell about the global vis and about a map drawn with it (no wbBuildMap: vis-network's
# own one-go build, the same for both).
_DESCRIBE = """([nodes, edges, options]) => {
  const names = (o) => Object.keys(o).sort();
  const kinds = (o) => names(o).map((k) => k + ":" + typeof o[k]);
  const container = document.getElementById("g");
  const network = new vis.Network(container, { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
                                  options);
  const round = (v) => Math.round(v * 1000) / 1000;
  const boxes = {};
  for (const id of network.body.nodeIndices) {
    const b = network.getBoundingBox(id);
    boxes[id] = [b.left, b.top, b.right, b.bottom].map(round);
  }
  const positions = network.getPositions();
  for (const id in positions) positions[id] = [round(positions[id].x), round(positions[id].y)];
  const view = network.getViewPosition();
  return {
    vis: kinds(vis), network: kinds(vis.network), data: names(vis.data), util: names(vis.util).length,
    default: kinds(vis.default), esModule: vis.__esModule,
    positions, boxes, scale: round(network.getScale()), view: [round(view.x), round(view.y)],
    edges: network.body.edgeIndices.length, violations: window.__violations,
  };
}"""


def _describe(recorded: RecordedPage, script: str, tmp_path: Path, name: str, data: list[Any]) -> Any:
    path = tmp_path / f"{name}.html"
    path.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">'
        f"<style>{assets.vis_network_css()}</style></head>"
        '<body><div id="g" style="width: 900px; height: 600px"></div>'
        "<script>window.__violations = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__violations.push(e.violatedDirective));</script>"
        f"<script>\n{script}\n</script></body></html>",
        encoding="utf-8",
    )
    recorded.page.goto(path.as_uri())
    return recorded.page.evaluate(_DESCRIBE, data)


def test_the_vendored_build_defines_and_draws_as_pyvis_s(recorded_page: RecordedPage, tmp_path: Path) -> None:
    f = workbench.load(DEMO)
    items = vis_data(f)
    data = [items["nodes"], items["edges"], network_options(f.template)]
    pyvis_build = (assets.vis_network_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    ours = _describe(recorded_page, assets.vis_network_js(), tmp_path, "vendored", data)
    theirs = _describe(recorded_page, pyvis_build, tmp_path, "pyvis", data)

    # The same names, except DOMutil (SVG helpers for vis-timeline) that the esnext build leaves out.
    assert ours["vis"] == [k for k in theirs["vis"] if not k.startswith("DOMutil:")]
    assert ours["default"] == [k for k in theirs["default"] if not k.startswith("DOMutil:")]
    assert ours["esModule"] is theirs["esModule"] is True
    assert "Network:function" in ours["vis"] and "DataSet:function" in ours["vis"]
    assert ours["network"] == theirs["network"] and ours["data"] == theirs["data"]
    assert ours["util"] >= 40
    # The same map: every element where pyvis's build puts it, as large, and the same fitted view.
    assert len(ours["positions"]) == len(f.element_records()) > 10 and ours["edges"] == theirs["edges"] > 10
    assert ours["positions"] == theirs["positions"]
    assert ours["boxes"] == theirs["boxes"]
    assert (ours["scale"], ours["view"]) == (theirs["scale"], theirs["view"])
    assert ours["violations"] == theirs["violations"] == []  # nothing the policy blocks (eval, fetches)
    assert recorded_page.log.page_errors == [] and recorded_page.log.console_errors == []
    assert recorded_page.log.outside_requests() == []
