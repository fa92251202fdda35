"""In Chromium, the element picker's page side alone (``static/element_picker.js``): suggestions by
part of a label, ArrowDown + Enter picks, Escape closes, Enter on typed text counts a submit.

The view runs on a plain page with a minimal stand-in for the widget model (``get``, ``set``,
``on``, ``save_changes``), so the keyboard behaviour is checked without a Jupyter server.
The Python side (resolving the text) is covered by ``test_forms.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, open_recorded_page, save_screenshot_to_artifacts

import workbench

pytestmark = pytest.mark.browser

PICKER = Path(workbench.__file__).parent / "ui" / "static"
NAMES = [
    "Mother often ill (Early experience)",
    "Mother often ill (Transference)",
    "Fear of being a burden (Unconscious fear)",
    "Low mood since being passed over (Present symptom or problem)",
]

_MODEL = """
window.__state = {value: "", options: %s, description: "From", placeholder: "type part of a label",
                  disabled: false, submitted: 0};
window.__saves = 0;
const listeners = {};
window.__model = {
  get: (k) => window.__state[k],
  set: (k, v) => { window.__state[k] = v; (listeners["change:" + k] || []).forEach((f) => f()); },
  on: (e, f) => { (listeners[e] = listeners[e] || []).push(f); },
  off: () => {},
  save_changes: () => { window.__saves += 1; },
};
"""


@pytest.fixture
def picker(browser: Any) -> Iterator[RecordedPage]:
    import json

    recorded = open_recorded_page(browser)
    page = recorded.page
    code = (PICKER / "element_picker.js").read_text(encoding="utf-8").replace(
        "export default { render };", "window.__picker = { render };")
    css = (PICKER / "element_picker.css").read_text(encoding="utf-8")
    page.set_content(
        f"<html><head><style>{css}</style></head><body style='width:520px'>"
        f"<div id='host'></div><script>{_MODEL % json.dumps(NAMES)}</script>"
        f"<script type='module'>{code}\n"
        "window.__picker.render({model: window.__model, el: document.getElementById('host')});"
        "window.__ready = true;</script></body></html>")
    page.wait_for_function("() => window.__ready === true")
    try:
        yield recorded
    finally:
        recorded.context.close()


def test_arrow_down_and_enter_pick_a_suggestion(picker: RecordedPage) -> None:
    page = picker.page
    field = page.locator(".wb-picker-input")
    assert page.locator(".wb-picker-label").inner_text() == "From"
    field.click()
    field.press_sequentially("mother")
    options = page.locator("li.wb-picker-option")
    assert options.all_inner_texts() == NAMES[:2]  # every name holding the words typed
    assert page.evaluate("() => window.__state.value") == "mother"  # the typed text went to Python
    field.press("ArrowDown")
    field.press("ArrowDown")
    assert page.locator("li.wb-picker-active").inner_text() == NAMES[1]
    active_id = page.locator("li.wb-picker-active").get_attribute("id")
    assert field.get_attribute("aria-activedescendant") == active_id
    save_screenshot_to_artifacts(page, "forms-picker-suggestions")
    field.press("Enter")
    assert field.input_value() == NAMES[1] and page.evaluate("() => window.__state.value") == NAMES[1]
    assert options.count() == 0 and page.evaluate("() => window.__state.submitted") == 0  # a pick, no submit


def test_enter_on_typed_text_submits_and_escape_closes(picker: RecordedPage) -> None:
    page = picker.page
    field = page.locator(".wb-picker-input")
    field.click()
    field.press_sequentially("low mood")
    assert page.locator("li.wb-picker-option").all_inner_texts() == [NAMES[3]]
    field.press("Escape")
    assert page.locator("li.wb-picker-option").count() == 0
    field.press("Enter")  # nothing marked: Python resolves the text typed
    assert page.evaluate("() => window.__state.submitted") == 1
    assert page.evaluate("() => window.__state.value") == "low mood"
    page.evaluate("() => window.__model.set('value', 'Fear of being a burden (Unconscious fear)')")
    assert field.input_value() == NAMES[2]  # Python's value shows in the field


def test_a_hostile_name_is_shown_as_text(picker: RecordedPage) -> None:
    page = picker.page
    page.evaluate("() => window.__model.set('options', ['<img src=x onerror=alert(1)> (Defense)'])")
    field = page.locator(".wb-picker-input")
    field.click()
    field.press_sequentially("img")
    assert page.locator("li.wb-picker-option").inner_text() == "<img src=x onerror=alert(1)> (Defense)"
    assert page.locator("li.wb-picker-option img").count() == 0
    assert picker.log.dialogs == [] and picker.log.outside_requests() == []
