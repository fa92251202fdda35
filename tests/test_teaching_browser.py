"""In a real browser: the teaching notebook's presenter steps with buttons and keys, and trace highlights.

JupyterLab (``lab_server``, a temporary copy of ``notebooks/``) opens
``03_teaching_linkages.ipynb`` and runs it. The first presenter reveals the
psychodynamic teaching case layer by layer: the *Next* button and the arrow keys
step through (the page's vis-network shows exactly the elements of the layers
revealed so far), *Back* and ← step back. The trace panel's map has the paths
into the chosen symptom highlighted. No request leaves 127.0.0.1. Screenshots go
to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, notebook_in_lab, save_screenshot_to_artifacts
from e2e_pages import click_node
from e2e_servers import Server

import workbench

pytestmark = pytest.mark.browser

NOTEBOOK = "03_teaching_linkages.ipynb"
CASE = "cases/teaching/psychodynamic_self_sufficient_carer.formulation.json"
CASE_PATH = Path(__file__).resolve().parents[1] / "notebooks" / CASE
OPEN_TIMEOUT = 90_000
RUN_TIMEOUT = 120_000
STEP_TIMEOUT = 30_000

# The ids of the nodes shown (not placeholders) in the vis-network inside the n-th presenter.
_SHOWN = """(n) => {
  const nets = (window.__wbNetworks || []).filter(
    (x) => x.body.container.isConnected && x.body.container.closest(".wb-presenter"));
  const net = nets[n];
  if (!net) return null;
  return net.body.data.nodes.get().filter((node) => node.shown).map((node) => String(node.id)).sort();
}"""

# The ids of the highlighted nodes in the trace panel's own map.
_HIGHLIGHTED = """() => {
  const nets = (window.__wbNetworks || []).filter(
    (x) => x.body.container.isConnected && x.body.container.closest(".wb-trace-panel"));
  const net = nets[0];
  if (!net) return null;
  return net.body.data.nodes.get().filter((node) => node.highlighted).map((node) => String(node.id)).sort();
}"""


@pytest.fixture(scope="module")
def lab(browser: Any, lab_server: Server) -> Iterator[RecordedPage]:
    with notebook_in_lab(browser, lab_server, NOTEBOOK, open_timeout=OPEN_TIMEOUT, step_timeout=STEP_TIMEOUT,
                         last_screenshot="teach-99-last") as recorded:
        recorded.page.locator(".wb-presenter").first.wait_for(timeout=RUN_TIMEOUT)
        recorded.page.wait_for_function(f"() => ({_SHOWN})(0) !== null", timeout=RUN_TIMEOUT)
        yield recorded


def _layer_ids(upto: int) -> list[str]:
    f = workbench.load(CASE_PATH)
    return sorted(el.id for el in f.element_records() if f.template.element_kinds[el.kind].layer <= upto)


def _wait_shown(page: Any, expected: list[str]) -> None:
    page.wait_for_function(f"(want) => JSON.stringify(({_SHOWN})(0)) === JSON.stringify(want)", arg=expected)


def _wait_counter(page: Any, text: str) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('.wb-presenter')?.textContent.replace(/\\s+/g, ' ').includes(t)",
        arg=text,
    )


def test_presenter_steps_with_buttons_and_keys(lab: RecordedPage) -> None:
    page = lab.page
    presenter = page.locator(".wb-presenter").first
    presenter.scroll_into_view_if_needed()
    _wait_shown(page, _layer_ids(0))
    assert "Early experiences" in presenter.inner_text()
    save_screenshot_to_artifacts(page, "teach-01-layer-1")

    presenter.get_by_role("button", name="Next").click()
    _wait_shown(page, _layer_ids(1))
    _wait_counter(page, "Step 2 of 5")  # the counter's text may arrive after the map's update

    presenter.locator(".wb-presenter-hint").click()  # focus inside the presenter, as a teacher would
    page.keyboard.press("ArrowRight")
    _wait_shown(page, _layer_ids(2))
    page.keyboard.press("Space")
    _wait_shown(page, _layer_ids(3))
    save_screenshot_to_artifacts(page, "teach-02-layer-4-by-keys")
    page.keyboard.press("ArrowLeft")
    _wait_shown(page, _layer_ids(2))
    page.keyboard.press("End")
    _wait_shown(page, _layer_ids(4))
    _wait_counter(page, "Step 5 of 5")
    presenter.get_by_role("button", name="Back").click()
    _wait_shown(page, _layer_ids(3))

    presenter.locator(".wb-presenter-hint").click()
    page.keyboard.press("f")  # the presenter fills the screen
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('wb-presenter') === true")
    page.keyboard.press("ArrowRight")
    _wait_shown(page, _layer_ids(4))
    page.wait_for_timeout(1500)  # the map is fitted to the larger frame
    save_screenshot_to_artifacts(page, "teach-03-full-screen")
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")


def test_trace_panel_highlights_the_roots_of_the_symptom(lab: RecordedPage) -> None:
    page = lab.page
    panel = page.locator(".wb-trace-panel").first
    panel.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({_HIGHLIGHTED})() && ({_HIGHLIGHTED})().length > 0")
    shown = set(page.evaluate(_HIGHLIGHTED))
    f = workbench.load(CASE_PATH)
    ids = {el.label: el.id for el in f.element_records()}
    assert ids["Conflict with partner over closeness"] in shown
    assert ids["Father often absent for work"] in shown
    assert ids["Long friendship with a former colleague"] not in shown
    assert "gives rise to" in panel.inner_text()
    save_screenshot_to_artifacts(page, "teach-04-trace")


def test_no_request_left_the_machine(lab: RecordedPage) -> None:
    assert len(lab.log.requests) > 10
    assert lab.log.outside_requests() == []
    assert lab.log.page_errors == []


# --- the supervision seminar notebook -------------------------------------------------------------

SEMINAR = "02_supervision_seminar.ipynb"

#: Where the JupyterLab log stood when the seminar notebook was opened.
_SEMINAR_LOG_START: dict[str, int] = {}


@pytest.fixture(scope="module")
def seminar(browser: Any, lab_server: Server) -> Iterator[RecordedPage]:
    _SEMINAR_LOG_START["offset"] = lab_server.log.stat().st_size
    with notebook_in_lab(browser, lab_server, SEMINAR, open_timeout=OPEN_TIMEOUT, step_timeout=STEP_TIMEOUT,
                         last_screenshot="seminar-99-last") as recorded:
        recorded.page.locator(".wb-app .wb-graph canvas").wait_for(timeout=RUN_TIMEOUT)
        yield recorded


def test_seminar_workspace_compares_the_trainee(seminar: RecordedPage) -> None:
    page = seminar.page
    workspace = page.locator(".wb-supervision-workspace").first
    workspace.scroll_into_view_if_needed()
    text = " ".join(workspace.inner_text().split())
    assert "5 elements shared, 10 only in A, 5 only in B" in text
    assert "Jaccard overlap of elements: 0.250" in text
    save_screenshot_to_artifacts(page, "seminar-01-compare")


def test_supervise_tab_in_the_app_traces_a_clicked_node(seminar: RecordedPage) -> None:
    page = seminar.page
    app = page.locator(".wb-app").first
    app.scroll_into_view_if_needed()
    page.locator(".wb-tabs").get_by_role("tab", name="Supervise", exact=True).click()
    app.locator(".wb-supervision").get_by_role("button", name="Trace", exact=True).click()
    click_node(page, "Does not ask for help with her own work")
    page.wait_for_function(
        "() => document.querySelector('.wb-app .wb-trace-panel')?.textContent.includes('Roots: paths')"
    )
    trace = " ".join(app.locator(".wb-trace-panel").inner_text().split())
    assert "shapes acts of self “Does not ask for help with her own work”" in trace
    assert page.locator(".wb-tabs").get_by_role("tab", name="Supervise", exact=True).get_attribute(
        "aria-selected"
    ) == "true"
    page.locator(".wb-header").evaluate("e => e.scrollIntoView({block: 'start'})")
    save_screenshot_to_artifacts(page, "seminar-02-app-supervise-trace")


def test_seminar_ran_in_one_kernel(seminar: RecordedPage, lab_server: Server) -> None:
    """Run All before the notebook had its kernel made JupyterLab start one per code cell, each
    shutting the previous one down, and left every cell unrun (issue 8): no kernel is ever replaced."""
    # Only what the server logged since the seminar was opened: other modules shut their kernels
    # down on purpose when they close their pages.
    log = lab_server.log.read_bytes()[_SEMINAR_LOG_START["offset"]:].decode("utf-8", errors="replace")
    assert log.count("Kernel started") == 1, log[-3000:]
    assert "Kernel shutdown" not in log, log[-3000:]
    assert "kernel_ws_protocol" not in log, log[-3000:]


def test_seminar_made_no_outside_request(seminar: RecordedPage) -> None:
    assert seminar.log.outside_requests() == []
    assert seminar.log.page_errors == []
