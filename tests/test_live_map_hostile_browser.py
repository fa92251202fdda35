"""Hostile labels on the live map of the app (the anywidget graph, its tooltips and the app's lists).

The same payloads as the standalone page's test (tests/test_render_browser.py) go into every
text field of a case (labels, descriptions, notes, tags, evidence, link descriptions,
comments, the case id and title), which the Voilà app opens. Nothing may run (no
``window.__pwned``, no dialog, no element a payload would create, no request off the
machine) and each text shows as text: every tooltip of the map holds its text whole and no
markup. Built with ``innerHTML``/``insertAdjacentHTML``, a tooltip fails this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import RecordedPage, open_recorded_page, save_screenshot_to_artifacts
from e2e_pages import _NETWORK, NETWORK_HOOK
from e2e_servers import Server, voila_server
from test_render_browser import PAYLOADS, hostile_formulation

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 180_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page

#: The map's node tooltips: for each node, the tooltip's text and how many elements it holds.
_TIPS = f"""() => {{
  const net = {_NETWORK};
  if (!net) return null;
  return net.body.data.nodes.get().map((n) => {{
    const t = n.title;
    const isNode = t && typeof t === "object" && "textContent" in t;
    return {{id: String(n.id), text: isNode ? t.textContent : String(t ?? ""),
             elements: isNode ? t.querySelectorAll("*").length : 0}};
  }});
}}"""

#: Elements or attributes that only a payload run as HTML would have put into the page.
_INJECTED = """() => Array.from(document.querySelectorAll(
  "img[src='x'], iframe, [onerror], [onload], [onmouseover], a[href^='javascript'], "
  + "link[href*='example.com'], style, b"
)).filter((e) => /__pwned|alert\\('|example\\.com|^<b>bold/.test(e.outerHTML))
  .map((e) => e.outerHTML.slice(0, 120))"""

_NODE_AT = f"""(id) => {{
  const net = {_NETWORK};
  const dom = net.canvasToDOM(net.getPositions([id])[id]);
  const box = net.body.container.getBoundingClientRect();
  return {{x: box.left + dom.x, y: box.top + dom.y}};
}}"""


@pytest.fixture(scope="module")
def hostile_app(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordedPage]:
    workdir = tmp_path_factory.mktemp("voila-hostile")
    f = hostile_formulation()
    first = f.element_records()[0].id
    for payload in PAYLOADS[:4]:
        f.add_comment(payload, author="supervisor", target=first)
    case = workdir / "hostile.formulation.json"
    workbench.save(f, case, message=PAYLOADS[0], author=PAYLOADS[1])
    with voila_server(workdir, case=case) as server:
        recorded = open_recorded_page(browser)
        recorded.context.add_init_script(NETWORK_HOOK)
        recorded.page.on("websocket", lambda ws: recorded.log.requests.append(ws.url))
        try:
            _open(recorded.page, server)
            yield recorded
        finally:
            save_screenshot_to_artifacts(recorded.page, "live-hostile-99-last")
            recorded.context.close()


def _open(page: Any, server: Server) -> None:
    page.goto(server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    page.wait_for_function(f"() => ({_TIPS})()?.length === {len(PAYLOADS)}", timeout=LOAD_TIMEOUT)


def test_every_tooltip_of_the_live_map_holds_its_text_as_text(hostile_app: RecordedPage) -> None:
    tips = hostile_app.page.evaluate(_TIPS)
    assert all(tip["elements"] == 0 for tip in tips), [t for t in tips if t["elements"]]
    texts = "\n".join(tip["text"] for tip in tips)
    for payload in PAYLOADS:
        assert payload in texts, payload


def test_hovered_tooltip_shows_the_payload_and_nothing_runs(hostile_app: RecordedPage) -> None:
    page = hostile_app.page
    page.locator(".wb-graph").scroll_into_view_if_needed()
    tips = page.evaluate(_TIPS)
    for tip in tips[:6]:
        page.mouse.move(5, 5)
        point = page.evaluate(_NODE_AT, tip["id"])
        page.mouse.move(point["x"] - 3, point["y"] - 3)
        page.mouse.move(point["x"], point["y"], steps=4)
        shown = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
        assert shown.evaluate("e => e.querySelectorAll('*').length") <= 1  # only the tip's own div
        assert shown.text_content() == tip["text"]
    save_screenshot_to_artifacts(page, "live-hostile-01-tooltip")
    _assert_nothing_ran(hostile_app)


def test_lists_and_panels_show_payloads_as_text(hostile_app: RecordedPage) -> None:
    page = hostile_app.page
    text = page.locator(".wb-app").first.inner_text()
    assert "-C7" in text  # the case id, shown as text
    options = page.locator(".wb-app select option, .wb-app .widget-dropdown option").all_text_contents()
    listed = "\n".join(options) + "\n" + text
    assert any(payload in listed for payload in PAYLOADS[:3]), "no list or panel shows the payload labels"
    _assert_nothing_ran(hostile_app)


def _assert_nothing_ran(recorded: RecordedPage) -> None:
    page, log = recorded.page, recorded.log
    assert page.evaluate("() => window.__pwned === undefined"), page.evaluate("() => String(window.__pwned)")
    assert log.dialogs == [], f"a payload opened a dialog: {log.dialogs}"
    assert page.evaluate(_INJECTED) == []
    assert log.outside_requests() == [], log.outside_requests()
    assert log.page_errors == [], log.page_errors
