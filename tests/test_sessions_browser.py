"""In Chromium, on the Voilà app (``voila_server``): a passage selected in a session's notes with the
keyboard is attached to an element as evidence.

The notes start with a character beyond U+FFFF (the browser counts it as two units, Python as one),
so the quote must land at the position Python counts. Nothing is saved: the demo case on disk stays
as it was for the other tests. Screenshot: ``test-artifacts/sessions-01-attached.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, pick_listed_element, text_of, wait_for_graph_label
from e2e_servers import DEMO_CASE, Server

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel
NOTES = "🧠 <b>He</b> said: Dad was never pleased with me. Then silence."
QUOTE = "Dad was never pleased"


def _status_says(page: Any, text: str) -> None:
    page.wait_for_function("(t) => (document.querySelector('.wb-status')?.textContent ?? '').includes(t)",
                           arg=text)


def test_a_passage_selected_in_the_notes_is_attached_as_evidence(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page: Any = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page.set_default_timeout(STEP_TIMEOUT)
    case_file = voila_server.root / DEMO_CASE
    before = case_file.read_bytes()
    page.goto(voila_server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    wait_for_graph_label(page, workbench.load(case_file).element_records()[0].label, timeout=LOAD_TIMEOUT)

    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Sessions").click()
    page.locator(".wb-sessions-number input").fill("97")
    page.locator(".wb-sessions-add").click()
    _status_says(page, "Session 97 added")
    page.locator(".wb-sessions-date input").fill("2024-03-18")
    area = page.locator(".wb-sessions-notes textarea")
    area.fill(NOTES)
    assert area.evaluate("(a) => a.innerHTML") == ""  # set as a value: the <b> is text, not markup

    # select the passage with the keyboard: to the start, past the emoji and the words before it
    area.focus()
    page.keyboard.press("Control+Home")
    for _ in range(len("🧠 <b>He</b> said: ")):  # the emoji is one key press, as one character
        page.keyboard.press("ArrowRight")
    for _ in range(len(QUOTE)):
        page.keyboard.press("Shift+ArrowRight")
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-sessions-selected')?.textContent ?? '').includes(q)",
        arg=QUOTE)

    target = page.locator(".wb-sessions-target input")
    target.fill("Father criticised")
    option = page.locator(".wb-sessions-target li.wb-picker-option",
                          has_text="Father criticised every mistake")
    option.first.click()
    page.locator(".wb-sessions-attach").click()
    _status_says(page, "Quote from session 97 attached to “Father criticised every mistake”.")
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-sessions-quotes')?.textContent ?? '').includes(q)", arg=QUOTE)
    assert QUOTE in text_of(page, ".wb-sessions-selected")  # the passage stays selected
    row = page.locator(".wb-sessions-quotes tr", has_text=QUOTE).first.inner_text()
    assert "Father criticised every mistake" in row and "found in the notes" in row and "⚠" not in row
    save_screenshot_to_artifacts(page, "sessions-01-attached")

    # the demo case's session 7 in the timeline: what it added, and its own notes
    page.locator(".wb-sessions-pick select").select_option(label="Session 7 · 2026-10-19")
    page.wait_for_function(
        "() => (document.querySelector('.wb-sessions-notes textarea')?.value ?? '').includes('tested you')")
    page.locator(".wb-sessions-timeline-show").click()
    page.wait_for_function(
        "() => (document.querySelector('.wb-sessions-timeline')?.textContent ?? '').includes('After it')")
    timeline = text_of(page, ".wb-sessions-timeline")
    assert "version 4" in timeline and "Can laugh at himself in session" in timeline
    page.locator(".wb-sessions-timeline").scroll_into_view_if_needed()
    save_screenshot_to_artifacts(page, "sessions-03-timeline")
    page.locator(".wb-sessions-map").click()
    page.wait_for_function(
        "() => (document.querySelector('.wb-graph-caption')?.textContent ?? '').includes('After session 7')")
    save_screenshot_to_artifacts(page, "sessions-04-map-after-session")
    page.locator(".wb-sessions-back").click()
    page.wait_for_function(
        "() => !(document.querySelector('.wb-graph-caption')?.textContent ?? '').includes('After session')")

    # the element editor lists the quote behind the element
    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Element").click()
    pick_listed_element(page, "Father criticised")
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-element-quotes')?.textContent ?? '').includes(q)", arg=QUOTE)
    save_screenshot_to_artifacts(page, "sessions-02-element-quotes")

    assert not page.locator(".wb-status-error").count()
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
    assert case_file.read_bytes() == before  # nothing was saved
