"""End to end with Voilà: the app without code (as ``workbench app PATH`` serves it) in Chromium.

The Voilà server (``voila_server``) uses the workbench's own template, so the page
loads nothing from outside 127.0.0.1 (Voilà's default template would fetch Font
Awesome from a CDN). Screenshot: ``test-artifacts/voila-01-app.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, graph_labels, text_of, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page


def test_voila_app_shows_the_case_offline_and_without_code(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page: Any = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page.on("websocket", lambda ws: recorded_page.log.requests.append(ws.url))  # kernel channels too
    page.goto(voila_server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    case = workbench.load(voila_server.root / DEMO_CASE)
    wait_for_graph_label(page, case.element_records()[0].label, timeout=LOAD_TIMEOUT)
    page.wait_for_timeout(500)  # let the first layout settle for the screenshot
    save_screenshot_to_artifacts(page, "voila-01-app")

    header = text_of(page, ".wb-header")
    assert case.meta.case_id in header and "FICTIONAL" in header
    assert graph_labels(page) == {e.label for e in case}
    assert not page.locator(".wb-status-error").count()
    # No code on the page: Voilà strips the cell's source.
    assert "import workbench" not in page.content()
    assert not page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count()
    # Font Awesome comes from the widgets' own bundle: the Fit button's icon is drawn with it.
    family = page.locator(".wb-fit i").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "Font Awesome" in family

    assert len(recorded_page.log.requests) > 10, "the page's requests were not recorded"
    assert any(u.startswith("ws://127.0.0.1") for u in recorded_page.log.requests), "no kernel websocket seen"
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
