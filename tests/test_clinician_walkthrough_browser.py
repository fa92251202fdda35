"""A new clinician's walkthrough in Chromium, on the Voilà app (``voila_server``).

The developers' guide asks, before a UI issue is resolved, to "enter a small fictional case from
scratch in the browser as a clinician would (symptoms first, roots later, links, save, reopen) and
look at every screenshot". This is that walkthrough: a new psychodynamic case from the Case tab; two
present symptoms; session 1's process notes; an early experience, a fear and a defense; links made on
the map (the Link button and a drag, and the L keyboard picker); a passage of the notes attached as
evidence; confidence set; a save; a working alliance, a rupture and a repair linked in the Link tab;
a second save; the file reopened in a fresh app (a new kernel); the checks list. Every step is
screenshot into ``test-artifacts/walkthrough-NN-*.png``. No request may leave 127.0.0.1.

The case (fictional) is its own new file, so the demo case the other tests read is never changed.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import (
    NETWORK_HOOK,
    node_id,
    open_case_in_app,
    pick_listed_element,
    text_of,
    wait_for_graph_label,
)
from e2e_servers import Server
from test_render_browser import label_overlaps_js, line_crossings, overlap_count

import workbench
from workbench.model.records import CONFIDENCE_SCALE

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel

SYMPTOMS = ("Cannot sleep before exams", "Sudden crying at work")
NOTES = ("Ms K. arrived ten minutes early and apologised for it. She spoke about the exam next week "
         "and said: if I fail, everyone will see I was never good enough. When I wondered aloud "
         "about her mother she laughed and changed the subject to her flatmate.")
QUOTE = "if I fail, everyone will see I was never good enough"
PAST = ("Early experience", "Mother praised only top marks")
FEAR = ("Unconscious fear", "Fear of being found inadequate")
DEFENSE = ("Defense", "Laughs feelings away")
ALLIANCE = ("Working alliance", "Shared aim: sleep before exams")
RUPTURE = ("Alliance rupture", "Changed subject when mother came up")
REPAIR = ("Repair", "Named the change of subject together")

_NETWORK = """(window.__wbNetworks || []).filter(
  (n) => n.body.container.isConnected && n.body.container.closest(".wb-graph")).at(-1)"""

_POINT = f"""(id) => {{
  const network = {_NETWORK};
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  const box = network.body.container.getBoundingClientRect();
  return {{x: box.left + dom.x, y: box.top + dom.y}};
}}"""

#: The links the map shows, as [from label, to label, kind] (labels unwrapped to one line).
_EDGES = f"""() => {{
  const network = {_NETWORK};
  const label = (id) => String(network.body.data.nodes.get(id).label).split(/\\s+/).join(" ");
  return network.body.data.edges.get().map((e) => [label(e.from), label(e.to), e.kind]);
}}"""


#: The link labels are placed: every labelled link carries the placement's scaling, none is pending.
_LABELS_PLACED = f"""() => {{
  const net = {_NETWORK};
  return !!net && !!net.wbEdgeLabels && !net.wbEdgeLabels.busy && net.body.data.edges.length > 0
    && net.body.data.edges.get().every((e) => !e.label || (e.scaling && e.scaling.label));
}}"""

_QUIET = f"""{_NETWORK}.body.data.edges.get().filter(
  (e) => e.scaling && e.scaling.label && e.scaling.label.drawThreshold > 1000).map((e) => e.id)"""


#: Two elements and the verb of the link between them: whether they are in one row, the room between
#: their boxes (symbol and label) and the verb's width, canvas units.
_ROW_GAP = f"""([a, b, verb]) => {{
  const net = {_NETWORK}, body = net.body;
  const find = (label) => body.nodeIndices.find((id) => body.nodes[id].options.full_label === label);
  const box = (id) => {{
    const n = body.nodes[id], g = net.getBoundingBox(id), s = n.labelModule.size;
    return {{ left: Math.min(g.left, s.left), right: Math.max(g.right, s.left + s.width), y: n.y }};
  }};
  const edge = body.edgeIndices.map((id) => body.edges[id]).find((e) => e.options.label === verb);
  const [p, q] = [box(find(a)), box(find(b))].sort((u, v) => u.left - v.left);
  return {{ sameRow: Math.abs(p.y - q.y) < 1, gap: q.left - p.right, verb: edge.labelModule.size.width }};
}}"""


def _assert_map_readable(page: Any) -> None:
    """No link label on an element or another label, no line through an element's label, and room
    for "strains" between the rupture and the alliance in their row."""
    found = _link_label_overlaps(page)
    assert overlap_count(found) == 0, found
    assert line_crossings(found) == 0, found
    _assert_room_for_verb(page, RUPTURE[1], ALLIANCE[1], "strains")


def _assert_room_for_verb(page: Any, a: str, b: str, verb: str) -> None:
    """Two linked elements side by side in one row leave room for their link's verb between them
    (before, "strains" was crowded between the rupture and the alliance: 39 units for a 45-unit verb)."""
    found = page.evaluate(_ROW_GAP, [a, b, verb])
    assert found["sameRow"], found  # the working-alliance layer's row
    assert found["gap"] >= found["verb"] + 2 * 14 - 1, found  # VERB_ROOM (map_placement.js) each side


def _link_label_overlaps(page: Any) -> dict[str, Any]:
    """Link labels drawn over elements (symbol or label text) or over each other, once placed."""
    page.wait_for_function(_LABELS_PLACED)
    page.evaluate(f"() => {_NETWORK}.redraw()")  # label boxes are measured when drawn
    return dict(page.evaluate(label_overlaps_js(_NETWORK, _QUIET)))


def _shot(page: Any, number: int, name: str) -> None:
    save_screenshot_to_artifacts(page, f"walkthrough-{number:02d}-{name}")


def _tab(page: Any, name: str) -> None:
    page.locator(".wb-tabs").get_by_role("tab", name=name, exact=True).click()


def _status_says(page: Any, text: str) -> None:
    page.wait_for_function(
        "(t) => (document.querySelector('.wb-status')?.textContent ?? '').includes(t)", arg=text)


def _add_element(page: Any, kind: tuple[str, str]) -> None:
    page.locator(".wb-element-kind select").select_option(label=kind[0])
    page.locator(".wb-element-label input").fill(kind[1])
    page.locator(".wb-add-element").click()
    wait_for_graph_label(page, kind[1], timeout=STEP_TIMEOUT)


def _has_link(page: Any, source: str, target: str, kind: str) -> None:
    page.wait_for_function(f"(want) => ({_EDGES})().some((e) => e.join('|') === want.join('|'))",
                           arg=[source, target, kind])


def _pick(page: Any, css: str, label: str) -> None:
    """Type into the element picker ``css`` and take the suggestion ``label``."""
    page.locator(f"{css} input").fill(label)
    page.locator(f"{css} li.wb-picker-option", has_text=label).first.click()


def _save(page: Any, message: str) -> None:
    _tab(page, "Save")
    page.locator(".wb-save-message input").fill(message)
    page.locator(".wb-save-author input").fill("Dr Walker")
    assert page.locator(".wb-save-session input").input_value() == "1"  # the newest session, filled in
    page.locator(".wb-save-button").click()
    page.wait_for_function("() => /Saved version/.test(document.querySelector('.wb-status')?.textContent)")


def _open_app(recorded_page: RecordedPage, server: Server) -> Any:
    page: Any = recorded_page.page
    page.goto(server.url("/"), timeout=LOAD_TIMEOUT)
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    return page


def test_a_new_clinician_enters_a_case_from_scratch_saves_it_and_finds_it_all_again(
    recorded_page: RecordedPage, voila_server: Server
) -> None:
    recorded_page.context.add_init_script(NETWORK_HOOK)
    page: Any = recorded_page.page
    page.set_default_timeout(STEP_TIMEOUT)
    page.set_viewport_size({"width": 1400, "height": 900})
    _open_app(recorded_page, voila_server)
    path = voila_server.root / f"ms-k-{uuid.uuid4().hex[:8]}.formulation.json"

    # 1. A new psychodynamic case from the Case tab.
    _tab(page, "Case")
    page.locator(".wb-start-template select").select_option(label="Psychodynamic formulation")
    page.locator(".wb-start-case-id input").fill("ms-k")
    page.locator(".wb-start-title input").fill("Ms K., exam anxiety")
    page.locator(".wb-start-path input").fill(str(path))
    _shot(page, 1, "start-screen")
    page.locator(".wb-start-create").click()
    page.wait_for_function(f"() => ({_NETWORK}).body.data.nodes.length === 0")
    _shot(page, 2, "new-case")

    # 2. The two present symptoms first.
    _tab(page, "Element")
    for label in SYMPTOMS:
        _add_element(page, ("Present symptom or problem", label))
    _shot(page, 3, "symptoms")

    # 3. Session 1's process notes.
    _tab(page, "Sessions")
    page.locator(".wb-sessions-number input").fill("1")
    page.locator(".wb-sessions-add").click()
    _status_says(page, "Session 1 added")
    page.locator(".wb-sessions-date input").fill("2026-11-02")
    area = page.locator(".wb-sessions-notes textarea")
    area.click()
    area.press_sequentially(NOTES[:40])
    area.fill(NOTES)  # the rest at once (typing every key would only take longer)
    _shot(page, 4, "session-notes")

    # 4. The roots later: an early experience, a fear, a defense.
    _tab(page, "Element")
    for kind in (PAST, FEAR, DEFENSE):
        _add_element(page, kind)
    _shot(page, 5, "roots-added")

    # 5. Links on the map: the Link button and a drag; then the L keyboard picker.
    page.locator(".wb-graph .wb-map-link-toggle").click()
    start = page.evaluate(_POINT, node_id(page, PAST[1]))
    end = page.evaluate(_POINT, node_id(page, FEAR[1]))
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=12)
    page.mouse.up()
    page.locator(".wb-graph .wb-link-chooser").wait_for()
    _shot(page, 6, "link-chooser")
    page.keyboard.press("Enter")
    _has_link(page, PAST[1], FEAR[1], "gives_rise_to")
    page.keyboard.press("Escape")  # link mode off
    page.locator(".wb-graph .wb-graph-canvas").focus()
    page.keyboard.press("l")
    picker = page.locator(".wb-graph .wb-link-picker")
    picker.wait_for()
    page.keyboard.type("Laughs")
    page.keyboard.press("Enter")
    page.wait_for_function("() => /to which element/.test("
                           "document.querySelector('.wb-graph .wb-link-picker')?.textContent ?? '')")
    page.keyboard.type("inadequate")
    _shot(page, 7, "keyboard-link-picker")
    page.keyboard.press("Enter")
    page.locator(".wb-graph .wb-link-chooser").wait_for()
    page.keyboard.press("Enter")
    _has_link(page, DEFENSE[1], FEAR[1], "defends_against")
    _shot(page, 8, "links-on-map")

    # 6. A passage of the notes attached as evidence to the fear.
    _tab(page, "Sessions")
    area = page.locator(".wb-sessions-notes textarea")
    at = NOTES.index(QUOTE)
    area.evaluate("(a, [s, e]) => { a.focus(); a.setSelectionRange(s, e); }", [at, at + len(QUOTE)])
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-sessions-selected')?.textContent ?? '').includes(q)", arg=QUOTE)
    _pick(page, ".wb-sessions-target", FEAR[1])
    page.locator(".wb-sessions-attach").click()
    _status_says(page, f"Quote from session 1 attached to “{FEAR[1]}”.")
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-sessions-quotes')?.textContent ?? '').includes(q)", arg=QUOTE)
    _shot(page, 9, "evidence-attached")

    # 7. Confidence set on the fear, in the element editor.
    _tab(page, "Element")
    pick_listed_element(page, "inadequate")
    page.wait_for_function(
        "(l) => document.querySelector('.wb-element-label input')?.value === l", arg=FEAR[1])
    page.locator(".wb-element-confidence button", has_text="moderate").click()
    page.locator(".wb-update-element").click()
    page.wait_for_function(
        "() => /updated|saved|changed/i.test(document.querySelector('.wb-status')?.textContent ?? '')")
    _shot(page, 10, "confidence-set")

    # 8. Save with a message.
    _save(page, "After session 1: symptoms, roots, first links")
    _shot(page, 11, "saved-once")

    # 9. The working alliance, a rupture and a repair (the new kinds), linked in the Link tab.
    _tab(page, "Element")
    page.locator(".wb-clear-element").click()
    for kind in (ALLIANCE, RUPTURE, REPAIR):
        _add_element(page, kind)
    _tab(page, "Link")
    for source, target, verb, kind in ((RUPTURE[1], ALLIANCE[1], "strains", "strains"),
                                       (REPAIR[1], RUPTURE[1], "resolves", "resolves"),
                                       (DEFENSE[1], RUPTURE[1], "surfaces as", "surfaces_as")):
        _pick(page, ".wb-link-source", source)
        _pick(page, ".wb-link-target", target)
        kind_select = page.locator(".wb-link-kind select")
        kind_select.locator("option", has_text=verb).first.wait_for(state="attached")
        kind_select.select_option(label=kind_select.locator("option", has_text=verb).first.inner_text())
        page.locator(".wb-add-link").click()
        _has_link(page, source, target, kind)
    _shot(page, 12, "alliance-linked")
    # No link label over an element or its label (before the fix, "defends against" was drawn over
    # the last line of "Fear of being found inadequate", hanging under its diamond): on this small
    # case not even the one overlap the other cases allow for another machine's font metrics.
    # No link drawn through an element's label either: the link from the defense below goes up to the
    # fear's diamond under its label (drawn over it) and its arrow stops below that label.
    _assert_map_readable(page)

    # 10. Save again.
    _save(page, "Alliance: a rupture and its repair")
    _shot(page, 13, "saved-twice")

    # 11. Reopen the file in a fresh app (a new kernel) and find everything again.
    page.reload()
    page.locator(".wb-app .wb-graph canvas").wait_for(timeout=LOAD_TIMEOUT)
    open_case_in_app(page, path)
    labels = [*SYMPTOMS, *(k[1] for k in (PAST, FEAR, DEFENSE, ALLIANCE, RUPTURE, REPAIR))]
    for label in labels:
        wait_for_graph_label(page, label)
    for link in ((PAST[1], FEAR[1], "gives_rise_to"), (DEFENSE[1], FEAR[1], "defends_against"),
                 (RUPTURE[1], ALLIANCE[1], "strains"), (REPAIR[1], RUPTURE[1], "resolves"),
                 (DEFENSE[1], RUPTURE[1], "surfaces_as")):
        _has_link(page, *link)
    legend = text_of(page, ".wb-legend")
    for kind_name in ("Working alliance", "Alliance rupture", "Repair", "weakens: strains, resolves"):
        assert kind_name in legend, legend
    _shot(page, 14, "reopened")
    _assert_map_readable(page)

    _tab(page, "Element")
    pick_listed_element(page, "inadequate")
    page.wait_for_function(
        "(q) => (document.querySelector('.wb-element-quotes')?.textContent ?? '').includes(q)", arg=QUOTE)
    quotes = text_of(page, ".wb-element-quotes")
    assert "found in the notes" in quotes and "⚠" not in quotes, quotes
    pressed = page.locator(".wb-element-confidence button.mod-active").inner_text()
    assert pressed.strip() == "moderate"
    _shot(page, 15, "reopened-evidence")

    _tab(page, "Sessions")
    page.wait_for_function(
        "(n) => document.querySelector('.wb-sessions-notes textarea')?.value === n", arg=NOTES)
    assert QUOTE in text_of(page, ".wb-sessions-quotes")
    _shot(page, 16, "reopened-notes")
    page.locator(".wb-sessions-timeline-show").click()  # both versions were saved after session 1
    page.wait_for_function(
        "() => (document.querySelector('.wb-sessions-timeline')?.textContent ?? '').includes('After it')")
    timeline = text_of(page, ".wb-sessions-timeline")
    assert "After it (version 1, 2)" in timeline and FEAR[1] in timeline  # the fear rests on its quote
    page.locator(".wb-sessions-timeline").scroll_into_view_if_needed()
    _shot(page, 17, "reopened-timeline")

    _tab(page, "History")
    page.wait_for_function("() => (document.querySelector('.wb-history-table')?.textContent ?? '')"
                           ".includes('Alliance: a rupture')")
    history = text_of(page, ".wb-history-table")
    assert "After session 1: symptoms, roots, first links" in history
    _shot(page, 18, "history")

    # 12. The checks list speaks in sentences.
    _tab(page, "Supervise")
    page.locator(".wb-supervision .widget-toggle-button", has_text="Checks").click()
    page.locator(".wb-checks-panel").wait_for()
    page.wait_for_function("() => /finding|Nothing flagged/.test("
                           "document.querySelector('.wb-checks-panel')?.innerText ?? '')")
    checks = page.locator(".wb-checks-panel").inner_text()
    assert "Traceback" not in checks and "Error" not in checks and "_" not in checks, checks
    _shot(page, 19, "checks")

    # The file itself: two versions, the evidence with its session and quote.
    saved = workbench.load(path)
    assert sorted(e.label for e in saved.element_records()) == sorted(labels)
    assert len(saved.link_records()) == 5
    fear = next(e for e in saved.element_records() if e.label == FEAR[1])
    assert [(ev.session, ev.quote, ev.start) for ev in fear.evidence] == [(1, QUOTE, NOTES.index(QUOTE))]
    assert fear.confidence == pytest.approx(CONFIDENCE_SCALE["moderate"])
    assert [(n.number, n.date, n.text) for n in saved.session_notes()] == [(1, "2026-11-02", NOTES)]
    assert [(r.message, r.session) for r in workbench.history(path)] == [
        ("After session 1: symptoms, roots, first links", 1), ("Alliance: a rupture and its repair", 1)]
    assert not page.locator(".wb-status-error").count()
    assert recorded_page.log.outside_requests() == []
    assert recorded_page.log.page_errors == []
