"""A large map goes onto the canvas in slices (render/map_build.js, issue 12), in a real browser.

vis-network creates, measures, lays out and fits a whole map in one task when it is handed its data
(about 250 ms at 500 elements on this machine). ``wbBuildMap`` does the same work in tasks of a few
items each. Timing itself is measured by ``benchmarks/bench_large_maps.py``; these tests pin the
structure instead:

- the standalone page and the live map build a 500-element map in many tasks, none creating more
  than ``WB_BUILD.MAX_ITEMS`` elements and links (counted where vis-network creates them), and the
  layered layout runs in a task of its own;
- a map built in slices equals the one vis-network builds in one go from the same data: every
  element and link, the same positions, sizes and fitted view, on a small and a medium map;
- the live map puts vis-network into the page from a blob: URL (compiled off the main thread), and
  inline where the page's policy forbids blob: scripts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage
from e2e_pages import _NETWORK, NETWORK_HOOK, open_app_on_demo, open_case_in_app
from e2e_servers import Server
from test_live_labels_browser import _PLACED

import workbench
from workbench.render.html import render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_render import build_formulation

pytestmark = pytest.mark.browser

ELEMENTS, LINKS = 500, 700
DEMO = Path(__file__).resolve().parents[1] / "notebooks" / "cases" / "demo.formulation.json"
MAX_ITEMS = 40  # WB_BUILD.MAX_ITEMS in map_build.js
LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

#: Init script (after NETWORK_HOOK): on every vis.Network, count the elements and links vis-network
#: creates in each task (`__made`, one number per task that created any) and note how many it had
#: created in the task that ran the layered layout (`__layoutTask`). A task ends when the script
#: stack empties, which is when the queued microtask runs.
COUNT_CREATED = """
(() => {
  const made = window.__wbNetworks;
  const push = made.push;
  made.push = function (network) {
    network.__made = [];
    network.__layoutTask = [];
    let task = null;
    const count = () => {
      if (!task) {
        task = { n: 0 };
        network.__made.push(task);
        queueMicrotask(() => { task = null; });
      }
      task.n += 1;
    };
    for (const handler of [network.nodesHandler, network.edgesHandler]) {
      const create = handler.create;
      handler.create = function (...args) { count(); return create.apply(this, args); };
    }
    const layout = network.layoutEngine.setupHierarchicalLayout;
    network.layoutEngine.setupHierarchicalLayout = function (...args) {
      if (this.options.hierarchical.enabled && network.body.nodeIndices.length) {
        network.__layoutTask.push(task ? task.n : 0);
      }
      return layout.apply(this, args);
    };
    return push.call(this, network);
  };
})();
"""

_CREATED = """(net) => ({
  perTask: net.__made.map((t) => t.n),
  layoutTask: net.__layoutTask,
  nodes: Object.keys(net.body.nodes).length,
  edges: Object.keys(net.body.edges).length,
  shown: [net.body.nodeIndices.length, net.body.edgeIndices.length],
})"""

#: In a page that has drawn its map: the same data built by vis-network in one go and by wbBuildMap
#: in slices of `maxItems` (each in a container of the same size); what each map holds.
BOTH_WAYS = """async (maxItems) => {
  const data = JSON.parse(document.getElementById("wb-data").textContent);
  const container = () => {
    const div = document.createElement("div");
    div.style.cssText = "position:absolute; left:0; top:0; width:640px; height:420px; visibility:hidden";
    document.body.appendChild(div);
    return div;
  };
  const copy = (items) => items.map((item) => Object.assign({}, item));
  const oneGo = new vis.Network(container(),
    { nodes: new vis.DataSet(copy(data.nodes)), edges: new vis.DataSet(copy(data.edges)) }, data.options);
  const sliced = new vis.Network(container(), { nodes: new vis.DataSet(), edges: new vis.DataSet() },
    data.options);
  await new Promise((done) => wbBuildMap(sliced, copy(data.nodes), copy(data.edges), done,
    { maxItems, small: 0 }));
  const summary = (net) => {
    const nodes = Object.keys(net.body.nodes).sort().map((id) => {
      const n = net.body.nodes[id];
      return [id, n.x, n.y, n.options.level, n.shape.width, n.shape.height, n.options.label];
    });
    const edges = Object.keys(net.body.edges).sort().map((id) => {
      const e = net.body.edges[id];
      return [id, e.fromId, e.toId, e.options.label, e.connected, e.options.smooth.type,
              e.labelModule.size.width];
    });
    return { nodes, edges, shown: [net.body.nodeIndices.length, net.body.edgeIndices.length],
             scale: net.getScale(), view: net.getViewPosition() };
  };
  return { oneGo: summary(oneGo), sliced: summary(sliced), slices: sliced.wbBuild.slices,
           edgeMinimization: sliced.layoutEngine.options.hierarchical.edgeMinimization,
           largest: sliced.wbBuild.largest,
           page: Object.values(window.workbench.network.body.nodes).map((n) => [n.id, n.x, n.y]) };
}"""


def _open_page(recorded_page: RecordedPage, f: workbench.Formulation, path: Path) -> Any:
    path.write_text(render_html(f), encoding="utf-8")
    page = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    recorded_page.context.add_init_script(COUNT_CREATED)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=180_000)
    return page


def _assert_built_in_slices(created: dict[str, Any]) -> None:
    per_task = created["perTask"]
    assert created["nodes"] == ELEMENTS and created["edges"] == LINKS, created
    assert created["shown"] == [ELEMENTS, LINKS], created
    assert sum(per_task) == ELEMENTS + LINKS, per_task
    assert max(per_task) <= MAX_ITEMS, per_task  # vis-network's own build: one task of 1,200
    assert len(per_task) >= (ELEMENTS + LINKS) // MAX_ITEMS, per_task
    assert created["layoutTask"] == [0], created["layoutTask"]  # the layout ran alone, once


def test_the_page_builds_a_500_element_map_in_slices_of_a_few_items(
    recorded_page: RecordedPage, tmp_path: Path
) -> None:
    f = build_formulation(ELEMENTS, LINKS)
    page = _open_page(recorded_page, f, tmp_path / "large.html")
    created = page.evaluate(f"() => ({_CREATED})(window.workbench.network)")
    _assert_built_in_slices(created)
    build = page.evaluate("""() => ({ busy: workbench.build.busy, most: workbench.build.largest,
      edgeMinimization: workbench.network.layoutEngine.options.hierarchical.edgeMinimization })""")
    assert build["busy"] is False and build["most"] <= MAX_ITEMS, build
    # Above 300 elements the layered layout leaves out its edge minimization (map_build.js).
    assert build["edgeMinimization"] is False
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []


@pytest.mark.parametrize(("elements", "links"), [(0, 0), (150, 210)], ids=["demo case", "150 elements"])
def test_a_map_built_in_slices_equals_the_one_vis_network_builds_in_one_go(
    recorded_page: RecordedPage, tmp_path: Path, elements: int, links: int
) -> None:
    f = build_formulation(elements, links) if elements else workbench.load(DEMO)
    page = _open_page(recorded_page, f, tmp_path / "map.html")
    both = page.evaluate(BOTH_WAYS, 3)
    one, sliced = both["oneGo"], both["sliced"]
    assert len(one["nodes"]) == len(f) and len(one["edges"]) == len(f.link_records())
    assert both["slices"] > (len(f) + len(f.link_records())) // 3  # three items a slice at most
    assert both["largest"] <= 3
    assert both["edgeMinimization"] is True  # a map this size is laid out exactly as before
    assert sliced["shown"] == one["shown"]
    assert sliced["edges"] == one["edges"]
    assert [n[0] for n in sliced["nodes"]] == [n[0] for n in one["nodes"]]
    for a, b in zip(sliced["nodes"], one["nodes"], strict=True):
        assert a[3:] == b[3:], (a, b)  # level, measured size, label
        assert a[1:3] == pytest.approx(b[1:3], abs=1e-6), (a, b)  # the layered layout's place
    assert sliced["scale"] == pytest.approx(one["scale"], rel=1e-9)
    assert (sliced["view"]["x"], sliced["view"]["y"]) == pytest.approx((one["view"]["x"], one["view"]["y"]))
    # The page's own map (built with the default slices) has the same positions.
    page_positions = {node_id: (x, y) for node_id, x, y in both["page"]}
    assert len(page_positions) == len(one["nodes"])
    for node_id, x, y, *_ in one["nodes"]:
        assert page_positions[node_id] == pytest.approx((x, y), abs=1e-6)
    assert recorded_page.log.page_errors == []


def test_the_live_map_builds_a_500_element_case_in_slices_of_a_few_items(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    """Open the large case in the running app (Case tab): the graph widget builds it in slices."""
    case = voila_server.root / "large-500.formulation.json"  # the server's temporary copy
    if not case.exists():
        workbench.save(build_formulation(ELEMENTS, LINKS), case, message="Large case", author="test")
    page = open_app_on_demo(recorded_page, voila_server, COUNT_CREATED, timeout=LOAD_TIMEOUT)
    page.wait_for_function(_PLACED, timeout=LOAD_TIMEOUT)
    # The demo case (a small map) was built in one go; count from here on.
    page.evaluate(f"() => {{ const net = {_NETWORK}; net.__made = []; net.__layoutTask = []; }}")
    open_case_in_app(page, case)
    page.wait_for_function(
        f"""(n) => {{ const net = {_NETWORK};
          return !!net && net.body.data.nodes.length === n && ({_PLACED})(); }}""",
        arg=ELEMENTS, timeout=180_000,
    )
    created = page.evaluate(f"() => ({_CREATED})({_NETWORK})")
    _assert_built_in_slices(created)
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []



#: The live map's script (graph_view.py's ES module) as a classic script, so that a test page can
#: call its ensureVis; then the vis-network source is handed to it as the library widget would.
_LOAD_VIS = """async (source) => {
  const violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.blockedURI));
  const library = { get: (key) => (key === "js" ? source : key === "css" ? "" : null) };
  await ensureVis({ get: (key) => (key === "library" ? library : null) });
  const script = document.getElementById("wb-vis-network-js");
  return { loaded: typeof vis === "object" && typeof vis.Network === "function",
           src: script ? script.src.split(":")[0] : null, violations };
}"""


@pytest.mark.parametrize("blob_allowed", [True, False], ids=["blob allowed", "blob forbidden"])
def test_the_live_map_loads_vis_network_from_a_blob_url_or_inline_where_a_policy_forbids_it(
    recorded_page: RecordedPage, tmp_path: Path, blob_allowed: bool
) -> None:
    from workbench.render.assets import vis_network_js
    from workbench.ui.graph_view import GraphView

    module = GraphView._esm.replace("export default { render };", "")
    assert "export default" not in module
    policy = "script-src 'unsafe-inline'" + (" blob:" if blob_allowed else "")
    path = tmp_path / "widget.html"
    path.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"</head><body><script>\n{module}\n</script></body></html>",
        encoding="utf-8",
    )
    page = recorded_page.page
    page.goto(path.as_uri())
    found = page.evaluate(_LOAD_VIS, vis_network_js())
    assert found["loaded"], found
    if blob_allowed:
        assert found["src"] == "blob" and found["violations"] == [], found
    else:  # the blob: script was refused, the library ran inline
        assert found["src"] == "" and found["violations"] == ["blob"], found
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
