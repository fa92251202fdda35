"""Building a formulation on the live map of the Voilà app (issue 7, items 2 and 3; issue 12, item 3).

- 24 elements added through the element form in a clinician's order (symptoms first): after each
  add, no two elements cover each other (node and label boxes, as vis-network draws them) and the
  whole map is inside the visible canvas. Screenshot: ``test-artifacts/map-build-24.png``.
- A link made on the map with the mouse in at most 3 actions, and one with the keyboard alone.
- A dragged element stays where it was put through a re-arrange and a save and reopen.

Each test starts its own case in the app (the Case tab), so the demo case the other tests read is
never changed.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, node_id, wait_for_graph_label
from e2e_servers import Server
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import workbench

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel

#: A clinician's order: the presenting problems first, then defenses, drives, early experiences,
#: relational patterns and transference, strengths last. Labels of the lengths clinicians write.
CLINICIAN_ORDER: list[tuple[str, str]] = [
    ("Present symptom or problem", "Low mood since being passed over for promotion"),
    ("Present symptom or problem", "Panic before team meetings"),
    ("Present symptom or problem", "Cannot finish the thesis"),
    ("Present symptom or problem", "Drinks alone most evenings"),
    ("Defense", "Intellectualisation"),
    ("Defense", "Turning anger against the self"),
    ("Defense", "Compliance and people-pleasing"),
    ("Defense", "Avoids asking for help"),
    ("Defense", "Idealises then devalues"),
    ("Unconscious wish", "Wish to be chosen first"),
    ("Unconscious wish", "Wish to be looked after without asking"),
    ("Unconscious fear", "Fear of being left"),
    ("Unconscious fear", "Fear that anger destroys the other"),
    ("Early experience", "Father often absent"),
    ("Early experience", "Mother often ill; he cared for his sisters"),
    ("Early experience", "Praised only for school results"),
    ("Early experience", "Sent to boarding school at nine"),
    ("Relational pattern", "Gives a lot, expects to be let down"),
    ("Relational pattern", "Withdraws when others are kind"),
    ("Relational pattern", "Competes with peers for the boss's favour"),
    ("Transference", "Late to sessions after a break"),
    ("Transference", "Apologises for taking up the therapist's time"),
    ("Strength or resource", "Loyal friendships since school"),
    ("Strength or resource", "Curious about his own mind"),
]

_NETWORK = """(window.__wbNetworks || []).filter(
  (n) => n.body.container.isConnected && n.body.container.closest(".wb-graph")).at(-1)"""

#: Pairs of elements whose boxes (symbol and label, as drawn) intersect, and elements not wholly in view.
_LAYOUT_FIGURES = f"""() => {{
  const network = {_NETWORK};
  const ids = network.body.data.nodes.getIds();
  const boxes = ids.map((id) => [id, network.getBoundingBox(id)]);
  const covering = [];
  for (let i = 0; i < boxes.length; i++) {{
    for (let j = i + 1; j < boxes.length; j++) {{
      const a = boxes[i][1], b = boxes[j][1];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        covering.push([boxes[i][0], boxes[j][0]]);
    }}
  }}
  const el = network.body.container;
  const outside = boxes.filter(([id, b]) => {{
    const p = network.canvasToDOM({{x: b.left, y: b.top}});
    const q = network.canvasToDOM({{x: b.right, y: b.bottom}});
    return p.x < 0 || p.y < 0 || q.x > el.clientWidth || q.y > el.clientHeight;
  }}).map(([id]) => id);
  return {{count: ids.length, covering, outside, scale: network.getScale()}};
}}"""


def _open_app(recorded_page: RecordedPage, server: Server) -> Any:
    page: Any = recorded_page.page
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page.set_default_timeout(STEP_TIMEOUT)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    return page


def _tab(page: Any, name: str) -> None:
    page.locator(".wb-tabs").get_by_role("tab", name=name, exact=True).click()


def _start_case(page: Any, server: Server, name: str) -> Path:
    """Start a new, empty psychodynamic case in the app (Case tab) and return its file."""
    path = server.root / f"{name}-{uuid.uuid4().hex[:8]}.formulation.json"
    _tab(page, "Case")
    page.locator(".wb-start-case-id input").fill(name)
    page.locator(".wb-start-path input").fill(str(path))
    page.locator(".wb-start-create").click()
    page.wait_for_function(f"() => ({_NETWORK}).body.data.nodes.length === 0")
    _tab(page, "Element")
    return path


def _add_element(page: Any, kind_name: str, label: str) -> None:
    page.locator(".wb-element-kind select").select_option(label=kind_name)
    page.locator(".wb-element-label input").fill(label)
    page.locator(".wb-add-element").click()
    wait_for_graph_label(page, label, timeout=STEP_TIMEOUT)


def _layout_settled(page: Any, count: int) -> dict[str, Any]:
    """The layout figures once the page shows ``count`` elements, nothing covered and all in view.

    If that state never comes, the figures as they are (the assertion then says what is wrong).
    """
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"(count) => {{ const f = ({_LAYOUT_FIGURES})(); "
            "return f.count === count && !f.covering.length && !f.outside.length; }",
            arg=count, timeout=10_000,
        )
    return dict(page.evaluate(_LAYOUT_FIGURES))


def test_elements_added_in_clinical_order_never_cover_each_other_and_stay_in_view(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _open_app(recorded_page, voila_server)
    _start_case(page, voila_server, "build-order")
    history = []
    for index, (kind, label) in enumerate(CLINICIAN_ORDER, start=1):
        _add_element(page, kind, label)
        figures = _layout_settled(page, index)
        history.append((label, len(figures["covering"]), len(figures["outside"])))
        assert figures["count"] == index
        assert figures["covering"] == [], f"after adding {label!r}: covering pairs {history}"
        assert figures["outside"] == [], f"after adding {label!r}: outside the view {history}"
    save_screenshot_to_artifacts(page, "map-build-24")
    # Rows by layer: every early experience is drawn above every present symptom.
    rows = page.evaluate(f"""() => {{
      const network = {_NETWORK};
      const pos = network.getPositions();
      return network.body.data.nodes.get().map((n) => [n.kind, pos[n.id].y]);
    }}""")
    past = [y for kind, y in rows if kind == "early_experience"]
    present = [y for kind, y in rows if kind == "present_symptom"]
    assert max(past) < min(present)
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []


# --- linking on the map ---------------------------------------------------------------------------

_POINT = f"""(id) => {{
  const network = {_NETWORK};
  const at = network.getPositions([id])[id];
  const dom = network.canvasToDOM(at);
  const box = network.body.container.getBoundingClientRect();
  return {{x: box.left + dom.x, y: box.top + dom.y, cx: at.x, cy: at.y}};
}}"""

_EDGES = f"""() => ({_NETWORK}).body.data.edges.get().map((e) => [e.from, e.to, e.kind])"""


def _point(page: Any, label: str) -> dict[str, float]:
    return dict(page.evaluate(_POINT, node_id(page, label)))


def _drag(page: Any, start: dict[str, float], end: dict[str, float]) -> None:
    """Press the mouse at ``start``, move it to ``end`` in steps and let go (one user action)."""
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=12)
    page.mouse.up()


def _take_first_choice(page: Any, sentence: str) -> None:
    """Check that the link chooser offers ``sentence`` first, and take it with Enter."""
    chooser = page.locator(".wb-graph .wb-link-chooser")
    chooser.wait_for()
    assert " ".join(chooser.locator(".wb-link-option").first.inner_text().split()) == sentence
    page.keyboard.press("Enter")


def _save(page: Any, message: str) -> None:
    _tab(page, "Save")
    page.locator(".wb-save-message input").fill(message)
    page.locator(".wb-save-author input").fill("Dr Test")
    page.locator(".wb-save-button").click()
    page.wait_for_function("() => /Saved version/.test(document.querySelector('.wb-status')?.textContent)")


def test_a_link_is_made_on_the_map_in_three_mouse_actions_and_with_the_keyboard(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _open_app(recorded_page, voila_server)
    path = _start_case(page, voila_server, "link-on-map")
    elements = [("Early experience", "Father often absent"), ("Unconscious fear", "Fear of being left"),
                ("Defense", "Avoids asking for help"), ("Defense", "Avoids asking for help")]
    for kind, label in elements:
        _add_element(page, kind, label)
    _layout_settled(page, 4)
    father, fear = node_id(page, "Father often absent"), node_id(page, "Fear of being left")

    # Mouse: 1. the Link button, 2. a drag from one element to the other, 3. Enter in the chooser.
    actions = 0
    page.locator(".wb-graph .wb-map-link-toggle").click()
    actions += 1
    start, end = _point(page, "Father often absent"), _point(page, "Fear of being left")
    _drag(page, start, end)
    actions += 1
    chooser = page.locator(".wb-graph .wb-link-chooser")
    chooser.wait_for()
    options = [" ".join(t.split()) for t in chooser.locator(".wb-link-option").all_inner_texts()]
    assert options[0] == "Father often absent gives rise to fear of being left", options
    save_screenshot_to_artifacts(page, "map-link-chooser")
    page.keyboard.press("Enter")
    actions += 1
    # The link on the map and the hint that says so, seen together (the hint goes after 6 s).
    page.wait_for_function(
        f"(ends) => ({_EDGES})().some((e) => e[0] === ends[0] && e[1] === ends[1])"
        " && /Linked: Father often absent gives rise to Fear of being left/"
        ".test(document.querySelector('.wb-graph .wb-map-hint')?.textContent ?? '')",
        arg=[father, fear],
    )
    assert actions <= 3
    assert [father, fear, "gives_rise_to"] in page.evaluate(_EDGES)
    page.keyboard.press("Escape")  # link mode off again
    assert page.locator(".wb-graph .wb-map-link-toggle").get_attribute("aria-pressed") == "false"

    # Out of link mode, Shift+drag links (2 actions: the drag, Enter); the element itself does not move.
    twins = [n for n in page.evaluate(f"() => ({_NETWORK}).body.data.nodes.get()") if n["kind"] == "defense"]
    second = twins[1]["id"]
    start, end = _point(page, "Father often absent"), dict(page.evaluate(_POINT, second))
    page.keyboard.down("Shift")
    _drag(page, start, end)
    page.keyboard.up("Shift")
    _take_first_choice(page, "Father often absent gives rise to avoids asking for help")
    page.wait_for_function(f"(ends) => ({_EDGES})().some((e) => e[0] === ends[0] && e[1] === ends[1])",
                           arg=[father, second])
    assert _point(page, "Father often absent")["cx"] == start["cx"]
    assert _point(page, "Father often absent")["cy"] == start["cy"]

    # Keyboard: on the map, L; type part of a label; Enter; the same for the other end; Enter.
    page.locator(".wb-graph .wb-graph-canvas").focus()
    page.keyboard.press("l")
    picker = page.locator(".wb-graph .wb-link-picker")
    picker.wait_for()
    page.keyboard.type("asking")
    rows = [" ".join(t.split()) for t in picker.locator(".wb-link-option").all_inner_texts()]
    assert len(rows) == 2 and rows[0] != rows[1], rows  # twins told apart without an id
    assert sorted(rows) == ["Avoids asking for help · Defense · not linked yet",
                            "Avoids asking for help · Defense · ← Father often absent"], rows
    save_screenshot_to_artifacts(page, "map-link-picker")
    page.keyboard.press("Enter")
    page.wait_for_function("() => /to which element/.test("
                           "document.querySelector('.wb-graph .wb-link-picker')?.textContent ?? '')")
    page.keyboard.type("left")
    page.keyboard.press("Enter")
    _take_first_choice(page, "Avoids asking for help defends against fear of being left")
    page.wait_for_function(f"(fear) => ({_EDGES})().some((e) => e[1] === fear && e[2] === 'defends_against')",
                           arg=fear)

    # The links are in the Python model: saved, they are in the file.
    _save(page, "Two links made on the map")
    saved = workbench.load(path)
    assert sorted(saved.sentence(ln.id) for ln in saved.link_records()) == [
        "Avoids asking for help defends against Fear of being left",
        "Father often absent gives rise to Avoids asking for help",
        "Father often absent gives rise to Fear of being left",
    ]
    save_screenshot_to_artifacts(page, "map-link")
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []


# --- positions kept -------------------------------------------------------------------------------

_COUNT_CLEARS = f"""() => {{
  const network = {_NETWORK};
  window.__wbCleared = 0;
  network.body.data.nodes.on("remove", () => {{ window.__wbCleared += 1; }});
}}"""

_AT = f"""([id, x, y]) => {{
  const at = ({_NETWORK}).getPositions([id])[id];
  return !!at && Math.abs(at.x - x) < 1 && Math.abs(at.y - y) < 1;
}}"""


def test_a_dragged_element_keeps_its_place_through_rearranging_and_saving_and_reopening(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    page = _open_app(recorded_page, voila_server)
    path = _start_case(page, voila_server, "drag-keep")
    for kind, label in CLINICIAN_ORDER[:6]:
        _add_element(page, kind, label)
    _layout_settled(page, 6)
    moved = node_id(page, "Intellectualisation")
    start = _point(page, "Intellectualisation")
    _drag(page, start, {"x": start["x"] - 40, "y": start["y"] - 150})
    dropped = _point(page, "Intellectualisation")
    assert abs(dropped["cy"] - start["cy"]) > 50, "the drag did not move the element"

    # Re-arrange: the map is laid out anew (all items redrawn), the dragged element stays.
    page.evaluate(_COUNT_CLEARS)
    page.locator(".wb-relayout").click()
    page.wait_for_function("() => window.__wbCleared > 0")
    page.wait_for_function(_AT, arg=[moved, dropped["cx"], dropped["cy"]])
    figures = _layout_settled(page, 6)
    assert figures["covering"] == []

    # Save, then open the case again in a new page (a new kernel): drawn where it was left, no layout.
    others = {node_id(page, label): _point(page, label) for _kind, label in CLINICIAN_ORDER[:6]}
    _save(page, "Arranged")
    view_file = path.with_name(path.name.replace(".formulation.json", ".view.json"))
    kept = json.loads(view_file.read_text(encoding="utf-8"))
    assert kept["pinned"] == [moved]
    assert kept["positions"][moved] == pytest.approx([dropped["cx"], dropped["cy"]], abs=1)

    page.reload()
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    _tab(page, "Case")
    page.locator(".wb-open-path input").fill(str(path))
    page.locator(".wb-open-button").click()
    wait_for_graph_label(page, "Intellectualisation")
    for element, at in others.items():
        page.wait_for_function(_AT, arg=[element, at["cx"], at["cy"]])
    assert workbench.load(path).element(moved).label == "Intellectualisation"
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
