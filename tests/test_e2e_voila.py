"""End to end with Voilà: the app without code (as ``workbench app PATH`` serves it) in Chromium.

The Voilà server (``voila_server``) uses the workbench's own template, so the page
loads nothing from outside 127.0.0.1 (Voilà's default template would fetch Font
Awesome from a CDN). Screenshot: ``test-artifacts/voila-01-app.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, graph_labels, graph_node, text_of, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel
KEYBOARD_LABEL = "Wish to be chosen first (keyboard test)"


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


def _focused_in(page: Any, css: str) -> bool:
    """Whether the keyboard focus is inside the first element matching ``css``."""
    return bool(page.evaluate(
        "(css) => !!document.activeElement && !!document.activeElement.closest(css)", css))


def test_an_element_can_be_added_with_the_keyboard_alone(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    """Tab to the element form, pick a kind with the arrow keys, type a label, press Enter.

    The keys are typed at Playwright's full speed, so the Enter reaches the kernel while
    the last keystrokes may still be on their way (the app must not add a cut-short label).
    Nothing is saved: the case file on disk stays as it was for the other tests.
    """
    page: Any = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(voila_server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    case_file = voila_server.root / DEMO_CASE
    before, before_bytes = workbench.load(case_file), case_file.read_bytes()
    wait_for_graph_label(page, before.element_records()[0].label, timeout=LOAD_TIMEOUT)
    keyboard = page.keyboard

    # From the top of the page, Tab reaches the label field (past the map, its buttons, the tabs, the list).
    passed = []
    for _ in range(40):
        keyboard.press("Tab")
        if _focused_in(page, ".wb-element-label"):
            break
        passed.append(page.evaluate("() => document.activeElement.closest('[class*=wb-]')?.className ?? ''"))
    else:
        raise AssertionError("40 presses of Tab never reached the element's label field")
    assert any("wb-fit" in c for c in passed) and any("wb-element-list" in c for c in passed), passed

    # One Shift+Tab back is the kind: the Down arrow picks the next kind, which the form then explains.
    keyboard.press("Shift+Tab")
    assert _focused_in(page, ".wb-element-kind")
    kinds = list(before.template.element_kinds.values())
    kind_select = page.locator(".wb-element-kind select")
    shown = kind_select.evaluate("s => s.options[s.selectedIndex].text")  # ipywidgets: no-break spaces
    assert " ".join(shown.split()) == kinds[0].name
    keyboard.press("ArrowDown")
    page.wait_for_function(  # the kernel has the new kind: it shows that kind's description
        "(t) => [...document.querySelectorAll('.wb-element-panel .wb-hint')].some(e => e.textContent === t)",
        arg=kinds[1].description,
    )

    keyboard.press("Tab")
    assert _focused_in(page, ".wb-element-label")
    keyboard.type(KEYBOARD_LABEL)
    keyboard.press("Enter")

    page.wait_for_function("() => /Added/.test(document.querySelector('.wb-status')?.textContent ?? '')")
    assert text_of(page, ".wb-status") == f"Added {KEYBOARD_LABEL!r}."  # the whole label, not cut short
    wait_for_graph_label(page, KEYBOARD_LABEL)
    node = graph_node(page, KEYBOARD_LABEL)
    assert node["kind"] == kinds[1].id and node["shape"] == kinds[1].shape
    options = [" ".join(o.split()) for o in page.locator(".wb-element-list option").all_inner_texts()]
    assert f"{KEYBOARD_LABEL} · {kinds[1].name}" in options
    assert not [o for o in options if o.startswith(KEYBOARD_LABEL[:18]) and KEYBOARD_LABEL not in o], options
    assert _focused_in(page, ".wb-element-label")  # the focus stays where the user is typing
    save_screenshot_to_artifacts(page, "voila-02-keyboard")

    # Not saved: the file the other tests read is unchanged.
    assert case_file.read_bytes() == before_bytes
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
