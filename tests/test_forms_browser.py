"""In Chromium, on the app in JupyterLab (``01_build_a_formulation.ipynb`` run in ``lab_server``):
From/To picked with the keyboard, and the presenter opening in view with one counter and nothing cut.

One page for the module (opening and running the notebook is slow on a busy machine).
Nothing is saved: the case file stays as it was for the other tests. Screenshots:
``test-artifacts/forms-01-link-picked.png``, ``forms-02-presenter-first.png``,
``forms-03-presenter-last.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import RecordedPage, notebook_in_lab, save_screenshot_to_artifacts
from e2e_pages import text_of, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server

import workbench
from workbench.model.naming import match_elements

pytestmark = pytest.mark.browser

NOTEBOOK = "01_build_a_formulation.ipynb"
LOAD_TIMEOUT = 180_000  # ms: JupyterLab opens the notebook, starts a kernel and runs the app's cell
STEP_TIMEOUT = 45_000  # ms: one round trip to the kernel on a busy machine

# Every shown node of the presenter's map whose drawn box (shape and label) is not inside the map.
_CUT_NODES = """() => {
  const net = (window.__wbNetworks || []).find(
    (x) => x.body.container.isConnected && x.body.container.closest(".wb-presenter"));
  if (!net) return null;
  const frame = net.body.container.getBoundingClientRect();
  const cut = [];
  for (const node of net.body.data.nodes.get()) {
    if (!node.shown) continue;
    const box = net.getBoundingBox(node.id);
    const a = net.canvasToDOM({x: box.left, y: box.top});
    const b = net.canvasToDOM({x: box.right, y: box.bottom});
    if (a.x < -1 || a.y < -1 || b.x > frame.width + 1 || b.y > frame.height + 1) {
      cut.push({label: node.label, top: a.y, bottom: b.y, left: a.x, right: b.x,
                width: frame.width, height: frame.height});
    }
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def app_page(browser: Any, lab_server: Server) -> Iterator[RecordedPage]:
    with notebook_in_lab(browser, lab_server, NOTEBOOK, open_timeout=LOAD_TIMEOUT, step_timeout=STEP_TIMEOUT,
                         last_screenshot="forms-99-last") as recorded:
        page = recorded.page
        page.locator(".wb-app .wb-graph canvas").first.wait_for(timeout=LOAD_TIMEOUT)
        case = workbench.load(lab_server.root / DEMO_CASE)
        wait_for_graph_label(page, case.element_records()[0].label, timeout=LOAD_TIMEOUT)
        yield recorded


def _tab(page: Any, title: str) -> None:
    page.locator(".wb-tabs .lm-TabBar-tab", has_text=title).first.click()


def _pick_by_keyboard(page: Any, css: str, typed: str, wanted: str) -> None:
    """Type part of a label into a picker, then ArrowDown until ``wanted`` is marked, then Enter."""
    field = page.locator(f"{css} input")
    field.click()
    field.press_sequentially(typed)
    page.locator(f"{css} li.wb-picker-option", has_text=wanted).first.wait_for()
    for _ in range(8):
        field.press("ArrowDown")
        if page.locator(f"{css} li.wb-picker-active", has_text=wanted).count():
            break
    else:
        raise AssertionError(f"ArrowDown never marked {wanted!r}")
    field.press("Enter")
    assert field.input_value() == wanted
    assert page.locator(f"{css} li.wb-picker-option").count() == 0  # the list closed


def test_from_and_to_are_picked_with_arrow_down_and_enter(app_page: RecordedPage, lab_server: Server) -> None:
    page = app_page.page
    _tab(page, "Link")
    _pick_by_keyboard(page, ".wb-link-source", "criticised",
                      "Father criticised every mistake (Early experience)")
    _pick_by_keyboard(page, ".wb-link-target", "humil", "Fear of humiliation (Unconscious fear)")
    page.wait_for_function(  # the kernel has both ends: it offers the kinds and shows the sentence
        "() => { const t = document.querySelector('.wb-link-sentence')?.textContent || '';"
        " return t.includes('Father criticised every mistake') && t.includes('Fear of humiliation'); }")
    save_screenshot_to_artifacts(page, "forms-01-link-picked")

    # A typed part that names several elements says which ones, under the field (the kernel resolves
    # what was typed: "dev" is in two labels of the demo case, "d" and "de" in more).
    typed = "dev"
    several = match_elements(workbench.load(lab_server.root / DEMO_CASE), typed)
    assert len(several) == 2
    field = page.locator(".wb-link-source input")
    field.fill("")
    field.press_sequentially(typed)
    page.wait_for_function(
        "(n) => (document.querySelector('.wb-link-source-hint')?.textContent || '')"
        ".includes(`matches ${n} elements`)", arg=len(several))
    hint = text_of(page, ".wb-link-source-hint")
    assert "Devoted to his own children" in hint and "Devaluing others when hurt" in hint, hint
    field.press("Escape")
    assert app_page.log.outside_requests() == []


def test_presenter_opens_in_view_with_one_counter_and_nothing_cut(app_page: RecordedPage) -> None:
    page = app_page.page
    page.locator(".wb-app .wb-header").first.scroll_into_view_if_needed()
    _tab(page, "Supervise")
    page.locator(".wb-supervision .widget-toggle-button", has_text="Present").first.click()
    page.get_by_role("button", name="Open the presenter").click()
    presenter = page.locator(".wb-presenter").first
    presenter.wait_for()
    page.wait_for_function(f"() => ({_CUT_NODES})() !== null")
    page.wait_for_function(  # in view: its top is on the screen (the page scrolled to it)
        "() => { const r = document.querySelector('.wb-presenter').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight / 3; }")
    text = " ".join(presenter.inner_text().split())
    assert "Step 1 of " in text
    assert not re.search(r"Layer \d+ of \d+", text), text  # one counter only ("Layer by layer" is the mode)
    total = int(text.split("Step 1 of ")[1].split()[0])
    page.wait_for_function(f"() => ({_CUT_NODES})()?.length === 0")  # the first step whole, too
    save_screenshot_to_artifacts(page, "forms-02-presenter-first")

    page.keyboard.press("End")  # the presenter has the keys as soon as it opens
    page.wait_for_function(
        "(n) => document.querySelector('.wb-presenter').textContent.includes(`Step ${n} of ${n}`)", arg=total)
    text = " ".join(presenter.inner_text().split())
    assert text.count(" of ") >= 1 and not re.search(r"Layer \d+ of \d+", text), text
    page.wait_for_function(f"() => ({_CUT_NODES})()?.length === 0")  # every label whole, inside the map
    save_screenshot_to_artifacts(page, "forms-03-presenter-last")
    assert "wb-status-error" not in (page.locator(".wb-status").first.get_attribute("class") or "")
    assert text_of(page, ".wb-presenter-box .wb-presenter-close") == "Close the presenter"
    assert app_page.log.outside_requests() == [] and app_page.log.page_errors == []
