"""The step-through export in headless Chromium, opened from file:// with no network.

Stepping forward (button and ArrowRight) reveals the next layer, stepping back
hides it, version mode shows the next version, hostile labels stay text, and
no request leaves the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from workbench import _clock
from workbench.export.stepthrough import stepthrough_html, stepthrough_versions_html
from workbench.fileformat import load, save
from workbench.model import Formulation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "notebooks" / "cases" / "teaching"
TEACHING_CASE = TEACHING / "psychodynamic_self_sufficient_carer.formulation.json"
PAYLOAD = '</script><script>alert("x")</script><img src=x onerror=alert(2)>'

VISIBLE_NODES = "() => window.workbench.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"
VISIBLE_EDGES = "() => window.workbench.edges.get({filter: e => !e.hidden}).length"


def _case() -> Formulation:
    f = Formulation.new(case_id="T-1", title="Hostile " + PAYLOAD)
    past = f.add_element("early_experience", "Father often absent " + PAYLOAD)
    fear = f.add_element("unconscious_fear", "Fear of being left")
    wish = f.add_element("unconscious_wish", "Wish to be cared for")
    defense = f.add_element("defense", "Self-sufficiency")
    symptom = f.add_element("present_symptom", "Conflict with partner over closeness")
    f.add_link(past, fear, "gives_rise_to")
    f.add_link(past, wish, "gives_rise_to")
    f.add_link(defense, fear, "defends_against")
    f.add_link(fear, symptom, "expressed_as")
    return f


def _open(recorded: Any, path: Path) -> Any:
    page = recorded.page
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-stepthrough=ready]", timeout=20_000)
    return page


def _state(page: Any) -> tuple[list[str], str, str]:
    step = page.get_attribute("body", "data-step")
    return page.evaluate(VISIBLE_NODES), page.text_content("#st-title"), step


def _assert_stayed_on_the_page(recorded: Any, path: Path) -> None:
    log = recorded.log
    assert log.outside_requests() == []
    assert log.blocked == []
    assert set(log.requests) <= {path.as_uri()}, log.requests
    assert log.dialogs == [], "a payload ran"
    assert log.page_errors == [] and log.console_errors == []


def test_layers_step_forward_and_back(recorded_page: Any, tmp_path: Path) -> None:
    f = _case()
    ids = {el.kind: el.id for el in f.element_records()}
    path = tmp_path / "layers.html"
    path.write_text(stepthrough_html(f), encoding="utf-8")
    page = _open(recorded_page, path)

    nodes, title, step = _state(page)
    assert (nodes, title, step) == ([ids["early_experience"]], "Early experiences", "0")
    assert page.is_disabled("#st-back") and not page.is_disabled("#st-next")

    page.click("#st-next")
    nodes, title, step = _state(page)
    assert title == "Unconscious wishes and fears" and step == "1"
    assert nodes == sorted([ids["early_experience"], ids["unconscious_fear"], ids["unconscious_wish"]])
    assert page.evaluate(VISIBLE_EDGES) == 2

    page.keyboard.press("ArrowRight")
    nodes, title, _ = _state(page)
    assert title == "Defenses" and len(nodes) == 4 and ids["defense"] in nodes
    assert page.evaluate(VISIBLE_EDGES) == 3

    page.click("#st-back")
    nodes, title, _ = _state(page)
    assert title == "Unconscious wishes and fears" and ids["defense"] not in nodes and len(nodes) == 3

    page.keyboard.press("ArrowLeft")
    assert _state(page)[:2] == ([ids["early_experience"]], "Early experiences")

    page.keyboard.press("End")
    nodes, title, _ = _state(page)
    assert title == "Present problems and strengths" and len(nodes) == 5
    assert page.is_disabled("#st-next")
    page.keyboard.press("ArrowRight")  # past the end: stays
    assert _state(page)[1] == "Present problems and strengths"

    page.click("#st-timeline button[data-step='1']")
    assert _state(page)[1] == "Unconscious wishes and fears"

    # hostile text is shown as text, never run
    assert PAYLOAD in page.text_content("#wb-title")
    assert page.locator("img").count() == 0
    _assert_stayed_on_the_page(recorded_page, path)


def test_versions_show_the_next_version(
    recorded_page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_clock, "now", lambda: "2026-03-02T10:00:00Z")
    case = tmp_path / "case.formulation.json"
    f = Formulation.new(case_id="T-2", title="Three sessions")
    a = f.add_element("early_experience", "Father often absent")
    save(f, case, message="Session 1: history", author="Dr A", session=1)
    b = f.add_element("unconscious_fear", "Fear of being left")
    f.add_link(a, b, "gives_rise_to")
    save(f, case, message="Session 2: a fear " + PAYLOAD, author="Dr A", session=2)
    f.update_element(a, label="Father absent for work")
    save(f, case, message="Session 3: relabelled", author="Dr B", session=3)

    path = tmp_path / "versions.html"
    path.write_text(stepthrough_versions_html(case), encoding="utf-8")
    page = _open(recorded_page, path)
    labels = "() => window.workbench.nodes.get({filter: n => !n.hidden}).map(n => n.full_label).sort()"

    assert _state(page)[1] == "Version 1"
    assert page.evaluate(labels) == ["Father often absent"]
    assert "Session 1: history" in page.text_content("#st-notes")

    page.keyboard.press("ArrowRight")
    assert _state(page)[1] == "Version 2"
    assert page.evaluate(labels) == ["Father often absent", "Fear of being left"]
    assert "session 2" in page.text_content("#st-detail")
    assert PAYLOAD in page.text_content("#st-notes")  # the message is text

    page.click("#st-next")
    assert _state(page)[1] == "Version 3"
    assert page.evaluate(labels) == ["Father absent for work", "Fear of being left"]
    assert "by Dr B" in page.text_content("#st-detail")

    page.click("#st-back")
    assert page.evaluate(labels) == ["Father often absent", "Fear of being left"]
    _assert_stayed_on_the_page(recorded_page, path)


def test_teaching_case_screenshots(recorded_page: Any, tmp_path: Path, save_screenshot: Any) -> None:
    if not TEACHING_CASE.exists():
        pytest.skip("the teaching cases have not been written")
    case = tmp_path / TEACHING_CASE.name
    shutil.copy(TEACHING_CASE, case)
    layers = tmp_path / "layers.html"
    layers.write_text(stepthrough_html(load(case)), encoding="utf-8")
    page = _open(recorded_page, layers)
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("body[data-step='1']")
    shot = save_screenshot(page, "stepthrough_layers_step2")
    assert shot.stat().st_size > 10_000
    page.keyboard.press("End")
    last = len(page.locator("#st-timeline button[data-step]").all()) - 1
    page.wait_for_selector(f"body[data-step='{last}']")
    save_screenshot(page, "stepthrough_layers_all")
    assert len(page.evaluate(VISIBLE_NODES)) == len(load(case).element_records())

    versions = tmp_path / "versions.html"
    versions.write_text(stepthrough_versions_html(case), encoding="utf-8")
    page.goto(versions.as_uri())
    page.wait_for_selector("body[data-stepthrough=ready]")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("body[data-step='1']")
    save_screenshot(page, "stepthrough_versions_v2")
    assert _state(page)[1] == "Version 2"
    log = recorded_page.log
    assert log.outside_requests() == [] and log.page_errors == [] and log.dialogs == []


def test_the_whole_map_stays_framed_when_the_window_grows(recorded_page: Any, tmp_path: Path) -> None:
    path = tmp_path / "layers.html"
    path.write_text(stepthrough_html(_case()), encoding="utf-8")
    page = _open(recorded_page, path)
    scale = "() => window.workbench.network.getScale()"
    first = page.evaluate(scale)
    page.click("#wb-fit")  # frames every element, not only the first layer on show
    assert page.evaluate(scale) == pytest.approx(first, rel=0.02)
    page.set_viewport_size({"width": 1920, "height": 1080})  # the projector in full screen
    page.wait_for_function(f"() => window.workbench.network.getScale() > {first * 1.2}", timeout=5_000)
    page.click("#st-legend")
    assert page.is_visible(".wb-legend")
    _assert_stayed_on_the_page(recorded_page, path)
