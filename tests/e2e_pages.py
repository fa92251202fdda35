"""Helpers for driving the workbench app in a browser page (Playwright, sync API).

The live graph is a vis-network ``Network`` inside an anywidget. :data:`NETWORK_HOOK`
is an init script that keeps every ``vis.Network`` the page creates in
``window.__wbNetworks``, so a test can read the nodes the graph really shows and
compute where a node is drawn (``canvasToDOM(getPositions())``) to click it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from e2e_servers import DEMO_CASE

import workbench

#: ms: Voilà starts a kernel and runs the app's cell before it shows the page.
APP_LOAD_TIMEOUT = 120_000

#: Init script: record each vis.Network in window.__wbNetworks (vis-network's UMD build assigns
#: ``vis.Network = ...`` on the global ``vis`` object, which this intercepts).
NETWORK_HOOK = """
(() => {
  const networks = (window.__wbNetworks = []);
  let vis;
  Object.defineProperty(window, "vis", {
    configurable: true,
    get: () => vis,
    set(value) {
      vis = value;
      if (!value || typeof value !== "object") return;
      let Network = value.Network;
      Object.defineProperty(value, "Network", {
        configurable: true,
        enumerable: true,
        get: () => Network,
        set(Original) {
          if (typeof Original !== "function") { Network = Original; return; }
          Network = function (...args) {
            const network = Reflect.construct(Original, args);
            networks.push(network);
            return network;
          };
          Network.prototype = Original.prototype;
        },
      });
    },
  });
})();
"""

#: Init script (after NETWORK_HOOK): a record of every draw of every vis.Network, in
#: ``network.__draws``, made by the probes that later init scripts push to ``window.__wbDrawProbes``.
#: A probe is called as a draw starts, with the network and its renderer, and returns a function that
#: is called as the draw ends; the fields of what that returns go into the draw's record.
RECORD_DRAWS = """
(() => {
  const probes = (window.__wbDrawProbes = []);
  const made = window.__wbNetworks;
  const push = made.push;
  made.push = function (network) {
    network.__draws = [];
    const renderer = network.renderer;
    const redraw = renderer._redraw;
    renderer._redraw = function (...args) {
      const ends = probes.map((probe) => probe(network, this));
      try { return redraw.apply(this, args); } finally {
        network.__draws.push(Object.assign({}, ...ends.map((end) => end())));
      }
    };
    return push.call(this, network);
  };
})();
"""

#: A page function of a network: the id of its element with the most links (the first of them).
BUSIEST_ELEMENT = """(net) => {
  const links = (id) => net.getConnectedEdges(id).length;
  return net.body.nodeIndices.reduce((a, b) => (links(a) >= links(b) ? a : b));
}"""

# The network drawn inside the app's graph widget (the newest one still in the page).
_NETWORK = """
(window.__wbNetworks || []).filter(
  (n) => n.body.container.isConnected && n.body.container.closest(".wb-graph")
).at(-1)
"""

_NODES = f"""() => {{
  const network = {_NETWORK};
  if (!network) return null;
  return network.body.data.nodes.get().map((n) => ({{id: String(n.id), label: String(n.label ?? "")}}));
}}"""

_NODE_POSITION = f"""(id) => {{
  const network = {_NETWORK};
  const position = network.getPositions([id])[id];
  if (!position) return null;
  const dom = network.canvasToDOM(position);
  const box = network.body.container.getBoundingClientRect();
  return {{x: box.left + dom.x, y: box.top + dom.y, scale: network.getScale()}};
}}"""


def evaluate_within(page: Any, script: str, arg: Any = None, *, timeout: float = 60_000) -> Any:
    """``page.evaluate(script, arg)`` for a script that returns a promise (one that waits for frames,
    draws or idle time), failing after ``timeout`` ms instead of waiting for ever: Playwright's
    ``evaluate`` has no timeout, so a promise that never settles would hang the whole test run.
    """
    within = f"""async ([arg, ms]) => {{
      let timer;
      const late = new Promise((_, fail) => {{
        timer = setTimeout(() => fail(new Error(`the page gave no answer within ${{ms}} ms`)), ms);
      }});
      try {{ return await Promise.race([({script})(arg), late]); }} finally {{ clearTimeout(timer); }}
    }}"""
    return page.evaluate(within, [arg, timeout])


def graph_nodes(page: Any) -> list[dict[str, str]]:
    """The nodes the graph shows: ``[{"id", "label"}]`` with labels unwrapped to one line."""
    nodes = page.evaluate(_NODES) or []
    return [{"id": n["id"], "label": " ".join(n["label"].split())} for n in nodes]


def graph_labels(page: Any) -> set[str]:
    """The labels of the nodes the graph shows (unwrapped to one line)."""
    return {n["label"] for n in graph_nodes(page)}


def wait_for_graph_label(page: Any, label: str, timeout: float = 30_000) -> None:
    """Wait until the graph shows a node labelled ``label``."""
    page.wait_for_function(
        f"""(label) => {{
          const network = {_NETWORK};
          return !!network && network.body.data.nodes.get().some(
            (n) => String(n.label ?? "").split(/\\s+/).join(" ") === label);
        }}""",
        arg=label,
        timeout=timeout,
    )


def graph_node(page: Any, label: str) -> dict[str, Any]:
    """The graph's data for the node labelled ``label`` (id, kind, shape, ...); ``LookupError`` if none."""
    found = page.evaluate(
        f"""(id) => {{
          const network = {_NETWORK};
          return network ? network.body.data.nodes.get(id) : null;
        }}""",
        node_id(page, label),
    )
    if not found:
        raise LookupError(f"no node labelled {label!r} in the graph")
    return dict(found)


def node_id(page: Any, label: str) -> str:
    """The id of the node labelled ``label`` (raises ``LookupError`` if none)."""
    for node in graph_nodes(page):
        if node["label"] == label:
            return node["id"]
    raise LookupError(f"no node labelled {label!r} in the graph")


def click_node(page: Any, label: str) -> dict[str, float]:
    """Click the node labelled ``label`` where the graph draws it; return the point clicked."""
    page.locator(".wb-graph").scroll_into_view_if_needed()
    point = page.evaluate(_NODE_POSITION, node_id(page, label))
    assert point is not None, f"the graph has no position for {label!r}"
    page.mouse.click(point["x"], point["y"])
    return dict(point)


def pick_listed_element(page: Any, search: str) -> None:
    """Type ``search`` into the element list's search and pick the first element listed once the list
    shows only matches (the list follows the search from the kernel: a pick before that would take an
    element the search is about to leave out)."""
    page.locator(".wb-element-search input").fill(search)
    page.wait_for_function(
        """(text) => {
          const options = [...document.querySelectorAll('.wb-element-list option')];
          return options.length > 0 && options.every((o) => o.textContent.toLowerCase().includes(text));
        }""", arg=search.lower())
    page.locator(".wb-element-list select").select_option(index=0)


def open_app_on_demo(recorded: Any, server: Any, *init_scripts: str,
                     timeout: float = APP_LOAD_TIMEOUT) -> Any:
    """Open the Voilà app of ``server`` in ``recorded``'s page, with :data:`NETWORK_HOOK` (and any
    ``init_scripts``) installed first; return the page once the demo case's map shows an element."""
    for script in (NETWORK_HOOK, *init_scripts):
        recorded.context.add_init_script(script)
    page = recorded.page
    page.goto(server.url("/"), timeout=timeout)
    demo = workbench.load(server.root / DEMO_CASE)
    wait_for_graph_label(page, demo.element_records()[0].label, timeout=timeout)
    return page


def open_case_in_app(page: Any, path: Path) -> None:
    """Open the case file at ``path`` from the app's Case tab (as a clinician would)."""
    page.locator(".wb-tabs").get_by_role("tab", name="Case", exact=True).click()
    page.locator(".wb-open-path input").fill(str(path))
    page.locator(".wb-open-button").click()


def text_of(page: Any, css: str) -> str:
    """The visible text of the first element matching ``css``, whitespace collapsed."""
    return " ".join(page.locator(css).first.inner_text().split())


#: Whether the notebook open in the JupyterLab page has its kernel: a session with a kernel
#: whose websocket is connected and whose status is idle. (The toolbar's execution indicator is
#: no such sign: it reads "idle" before any kernel exists.) Needs ``window.jupyterapp``
#: (``--LabApp.expose_app_in_browser``, set by ``e2e_servers.lab_server``).
_KERNEL_READY = """(path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  const panel = app.shell.currentWidget;
  if (!panel || !panel.sessionContext || panel.context?.path !== path) return false;
  const kernel = panel.sessionContext.session?.kernel;
  return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
}"""


def open_and_run_all(page: Any, lab: Any, notebook: str, *, open_timeout: float) -> None:
    """Open ``notebook`` in the test JupyterLab ``lab`` in a fresh workspace, wait until its kernel
    is connected and idle, fold the file browser away (the width a clinician would give the app)
    and choose Run -> Run All Cells.

    Run All before the notebook has a kernel makes JupyterLab start one kernel per code cell at
    once, each shutting the previous one down, and leaves the cells unrun: so this waits for the
    kernel itself. JupyterLab's "Select Kernel" dialog, which a busy machine sometimes shows, is
    accepted whenever it appears.
    """
    workspace = f"test-{uuid.uuid4().hex[:10]}"
    page.goto(lab.url(f"/lab/workspaces/{workspace}/tree/{notebook}"), timeout=open_timeout)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=open_timeout)
    for _ in range(int(open_timeout / 500)):
        _accept_kernel_dialog(page)
        if page.evaluate(_KERNEL_READY, notebook):
            break
        page.wait_for_timeout(500)  # polling, with the dialog check in between
    page.wait_for_function(_KERNEL_READY, arg=notebook, timeout=open_timeout)
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    _run_all(page)


def _run_all(page: Any, attempts: int = 3) -> None:
    """Run -> Run All Cells; try again if the first code cell did not start."""
    prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(attempts):
        _accept_kernel_dialog(page)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        for _ in range(40):
            _accept_kernel_dialog(page)
            if re.search(r"\[(\*|\d+)\]", prompt.inner_text()):
                return
            page.wait_for_timeout(500)
    raise AssertionError("Run All Cells did not start the code cell")


def _accept_kernel_dialog(page: Any) -> None:
    """Accept JupyterLab's "Select Kernel" dialog (the notebook's own kernel is preselected)."""
    accept = page.locator(".jp-Dialog:has(.jp-Dialog-header:text('Select Kernel')) .jp-mod-accept")
    if accept.count():
        accept.first.click()
