"""End to end in JupyterLab: a clinician opens the demo notebook, runs it and works in the app.

One JupyterLab server (``lab_server``, a temporary copy of ``notebooks/``) and one
page serve all tests here, in order: the app opens on the demo case; two
elements and a link are added through the forms and saved as a new version (the
file on disk and the graph both show it); a click on a node opens it in the
editor; and no request ever left 127.0.0.1. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, notebook_in_lab, save_screenshot_to_artifacts
from e2e_pages import click_node, graph_labels, text_of, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server

import workbench

pytestmark = pytest.mark.browser

NOTEBOOK = "01_build_a_formulation.ipynb"
OPEN_TIMEOUT = 90_000  # ms: JupyterLab's page and the notebook
APP_TIMEOUT = 120_000  # ms: kernel start, import and first drawing of the app
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel

NEW_PAST = "Mother in hospital for a year (test)"
NEW_FEAR = "Fear of being a burden (test)"
EXISTING = "Fear of humiliation"
SAVE_MESSAGE = "Session 8: mother's illness (browser test)"
SAVE_AUTHOR = "Browser test (fictional)"


@pytest.fixture(scope="module")
def lab(browser: Any, lab_server: Server) -> Iterator[RecordedPage]:
    """The demo notebook open in JupyterLab, run with Run All, the app drawn."""
    with notebook_in_lab(browser, lab_server, NOTEBOOK, open_timeout=OPEN_TIMEOUT, step_timeout=STEP_TIMEOUT,
                         last_screenshot="lab-99-last", record_websockets=True) as recorded:
        recorded.page.locator(".wb-app .wb-graph canvas").wait_for(timeout=APP_TIMEOUT)
        wait_for_graph_label(recorded.page, EXISTING, timeout=APP_TIMEOUT)
        yield recorded


def _settle(page: Any, quiet_ms: int = 400, timeout_ms: int = 20_000) -> None:
    """Wait until the kernel has been idle for ``quiet_ms``: the app's answers to the last edit are in."""
    # The quiet time counts from now: an idle start seen by an earlier call would end it at once,
    # before the kernel had the last edit.
    page.evaluate("() => { window.__wbIdleSince = null; }")
    page.wait_for_function(
        """([quiet, since]) => {
          const idle = document.querySelector(".jp-Notebook-ExecutionIndicator")?.dataset.status === "idle";
          const w = window.__wbIdleSince = idle ? (window.__wbIdleSince ?? performance.now()) : null;
          return idle && performance.now() - w >= quiet;
        }""",
        arg=[quiet_ms, 0],
        timeout=timeout_ms,
        polling=100,
    )


def _fill(page: Any, css: str, text: str) -> None:
    """Type ``text`` into the input ``css`` and wait until the kernel has taken it."""
    field = page.locator(css)
    field.fill(text)
    _settle(page)
    if field.input_value() != text:  # an answer from the kernel overwrote it: once more
        field.fill(text)
        _settle(page)
    assert field.input_value() == text, f"{css} shows {field.input_value()!r}, not {text!r}"


def _case_file(server: Server) -> Path:
    return server.root / DEMO_CASE


def _show_app(page: Any) -> None:
    page.locator(".wb-header").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def _tab(page: Any, name: str) -> None:
    page.locator(".wb-tabs").get_by_role("tab", name=name, exact=True).click()


def test_app_opens_on_the_demo_case(lab: RecordedPage, lab_server: Server) -> None:
    page = lab.page
    _show_app(page)
    save_screenshot_to_artifacts(page, "lab-01-app-open")
    header = text_of(page, ".wb-header")
    assert "DEMO-01" in header and "FICTIONAL" in header
    expected = {e.label for e in workbench.load(_case_file(lab_server))}
    assert graph_labels(page) == expected
    assert not page.locator(".wb-status-error").count()


def test_add_two_elements_and_a_link_then_save(lab: RecordedPage, lab_server: Server) -> None:
    page = lab.page
    before = workbench.history(_case_file(lab_server))
    _show_app(page)
    _tab(page, "Element")
    for kind, label in [("Early experience", NEW_PAST), ("Unconscious fear", NEW_FEAR)]:
        page.locator(".wb-element-kind select").select_option(label=kind)
        _settle(page)
        _fill(page, ".wb-element-label input", label)
        page.locator(".wb-add-element").click()
        wait_for_graph_label(page, label)
        # The app then empties the form for the next element (kind kept); wait for that before the next edit.
        page.wait_for_function(
            "(label) => document.querySelector('.wb-element-message')?.textContent.includes(label)"
            " && document.querySelector('.wb-element-label input')?.value === ''", arg=label
        )
        _settle(page)
    assert page.locator(".wb-header.wb-dirty").count() == 1

    _tab(page, "Link")
    _fill(page, ".wb-link-source input", f"{NEW_PAST} (Early experience)")
    _fill(page, ".wb-link-target input", f"{NEW_FEAR} (Unconscious fear)")
    # The kernel offers only the link kinds allowed between these two kinds; pick "gives rise to".
    page.wait_for_function(
        "(labels) => { const t = document.querySelector('.wb-link-sentence')?.textContent || '';"
        " return labels.every((l) => t.includes(l)); }",
        arg=[NEW_PAST, NEW_FEAR],
    )
    kind = page.locator(".wb-link-kind select")
    kind.select_option(label=kind.locator("option", has_text="gives rise to").first.inner_text())
    page.wait_for_function(
        "(text) => document.querySelector('.wb-link-sentence')?.textContent.includes(text)",
        arg=f"{NEW_PAST} gives rise to {NEW_FEAR}",
    )
    page.locator(".wb-add-link").click()
    page.wait_for_function("() => document.querySelector('.wb-status')?.textContent.includes('the link')")
    save_screenshot_to_artifacts(page, "lab-02-added")

    _tab(page, "Save")
    _fill(page, ".wb-save-message input", SAVE_MESSAGE)
    _fill(page, ".wb-save-author input", SAVE_AUTHOR)
    _fill(page, ".wb-save-session input", "8")
    page.locator(".wb-save-button").click()
    version = len(before) + 1
    page.wait_for_function(
        "(text) => document.querySelector('.wb-status')?.textContent.includes(text)", arg=f"version {version}"
    )
    save_screenshot_to_artifacts(page, "lab-03-saved")

    history = workbench.history(_case_file(lab_server))
    assert len(history) == version
    last = history[-1]
    assert (last.message, last.author, last.session) == (SAVE_MESSAGE, SAVE_AUTHOR, 8)
    saved = workbench.load(_case_file(lab_server))
    labels = {e.label: e for e in saved}
    assert labels[NEW_PAST].kind == "early_experience" and labels[NEW_FEAR].kind == "unconscious_fear"
    sentences = {saved.sentence(ln.id) for ln in saved.link_records()}
    assert f"{NEW_PAST} gives rise to {NEW_FEAR}" in sentences
    assert len(saved) == len(workbench.load(_case_file(lab_server), version=version - 1)) + 2
    assert {NEW_PAST, NEW_FEAR} <= graph_labels(page)
    assert page.locator(".wb-header.wb-dirty").count() == 0


def test_clicking_a_node_opens_it_in_the_editor(lab: RecordedPage) -> None:
    page = lab.page
    _tab(page, "Save")  # start away from the element editor
    click_node(page, EXISTING)
    page.wait_for_function(
        "(label) => document.querySelector('.wb-element-label input')?.value === label", arg=EXISTING
    )
    page.wait_for_function(  # the app switches to the element editor
        "() => document.querySelector('.wb-tabs .lm-TabBar-tab.lm-mod-current')?.textContent.trim()"
        " === 'Element'"
    )
    page.wait_for_function(  # the status line's message follows the editor's fields over the wire
        "(label) => document.querySelector('.wb-status')?.innerText.includes(label)", arg=EXISTING
    )
    assert EXISTING in text_of(page, ".wb-status")
    _show_app(page)
    save_screenshot_to_artifacts(page, "lab-04-node-clicked")


def test_no_request_left_the_machine(lab: RecordedPage) -> None:
    assert len(lab.log.requests) > 10, "the page's requests were not recorded"
    assert any(u.startswith("ws://127.0.0.1") for u in lab.log.requests), "no kernel websocket seen"
    assert lab.log.outside_requests() == []
    assert lab.log.page_errors == []
