"""The workbench on JupyterHub, in a browser: two trainees hand in, the supervisor compares and comments.

Runs against the hub of ``scripts/hub-up`` (started here if none answers; needs root) with its
users trainee1, trainee2 and supervisor1, everything through Voilà at ``/user/<name>/voila/...``.
Marked ``hub`` (and ``browser``): ``pytest -m hub``. About 2 minutes on 2 cores with the hub
installed (measured 1 min 53 s, load average about 9), plus about 1.5 minutes the first time hub-up
installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hub_server
import pytest
from conftest import RecordedPage, open_recorded_page, save_screenshot_to_artifacts, under_ci
from e2e_pages import NETWORK_HOOK, wait_for_graph_label

pytestmark = [pytest.mark.hub, pytest.mark.browser]

CASE = "psychodynamic_self_sufficient_carer.formulation.json"
TRAINEES = ("trainee1", "trainee2")
SUPERVISOR = "supervisor1"
TIMEOUT = 120_000  # ms: a server start and a Voilà kernel on a busy 2-core machine
COMMENT = "Good: which fear does the father's absence give rise to?"
MATCHING = "Father often absent"  # an early experience (the element form's first kind)


@pytest.fixture(scope="module")
def hub() -> Iterator[hub_server.Hub]:
    if os.geteuid() != 0:
        if under_ci():
            pytest.fail("the hub tests need root (CI runs as root)", pytrace=False)
        pytest.skip("the hub tests need root: scripts/hub-up creates users and runs their servers")
    started_here = not hub_server.answers()
    running = hub_server.bring_up()
    # a clean seminar for this run: no hand-ins, feedback or own copies of the case from earlier runs,
    # and servers started afresh (so that they run the workbench hub-up just installed)
    for user in (*TRAINEES, SUPERVISOR):
        running.stop_server(user)
    for trainee in TRAINEES:
        for folder in (hub_server.SEMINAR / "handins" / trainee, hub_server.SEMINAR / "feedback" / trainee):
            for item in folder.glob("*"):
                item.unlink()
        shutil.rmtree(Path(f"/home/{trainee}/formulations/seminar"), ignore_errors=True)
    for user in (*TRAINEES, SUPERVISOR):  # the seminar notebooks are copied in afresh at the start
        for notebook in Path(f"/home/{user}/formulations").glob("seminar_*.ipynb"):
            notebook.unlink()
    for user in (*TRAINEES, SUPERVISOR):
        running.start_server(user)
    yield running
    if started_here:  # a hub this run started is stopped again; one that ran before keeps running
        hub_server.bring_down()


def logged_in(browser: Any, hub: hub_server.Hub, user: str) -> RecordedPage:
    """A page logged in to the hub as ``user`` through the hub's login form."""
    recorded = open_recorded_page(browser, viewport={"width": 1400, "height": 1000})
    page = recorded.page
    page.add_init_script(NETWORK_HOOK)
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{hub.base_url}/hub/login?next=%2Fhub%2Fhome")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(hub.passwords[user])
    page.locator("#login_submit").click()
    page.wait_for_url("**/hub/home")
    return recorded


def open_voila(page: Any, hub: hub_server.Hub, user: str, notebook: str, ready: str) -> None:
    page.goto(f"{hub.base_url}/user/{user}/voila/render/formulations/{notebook}")
    page.locator(ready).first.wait_for()


def wait_text(page: Any, css: str, text: str) -> None:
    page.wait_for_function(
        "([css, text]) => (document.querySelector(css)?.textContent || '').includes(text)", arg=[css, text])


def select_containing(page: Any, css: str, text: str) -> None:
    """Pick the option of the drop-down ``css`` whose label contains ``text``."""
    select = page.locator(f"{css} select")
    page.wait_for_function(
        "([css, text]) => [...document.querySelectorAll(css + ' option')]"
        ".some((o) => o.label.replace(/\\u00a0/g, ' ').includes(text))",
        arg=[css, text])
    labels = [label.replace("\u00a0", " ") for label in select.locator("option").all_inner_texts()]
    select.select_option(index=next(i for i, label in enumerate(labels) if text in label))


def open_own_copy(page: Any) -> None:
    select_containing(page, ".wb-desk-library", f"({CASE})")
    page.locator(".wb-desk-open").click()
    page.locator(".wb-app .wb-tabs").first.wait_for()


def build_and_hand_in(browser: Any, hub: hub_server.Hub, user: str, label: str) -> RecordedPage:
    recorded = logged_in(browser, hub, user)
    page = recorded.page
    open_voila(page, hub, user, "seminar_trainee.ipynb", ".wb-trainee-desk")
    open_own_copy(page)
    page.locator(".wb-element-label input").fill(label)
    page.locator(".wb-add-element").click()
    wait_for_graph_label(page, label, timeout=TIMEOUT)
    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Save").first.click()
    page.locator(".wb-save-message input").fill("Built in the seminar")
    page.locator(".wb-save-author input").fill(user)
    page.locator(".wb-save-button").click()
    wait_text(page, ".wb-save-panel", "version 2")
    page.locator(".wb-hand-in").click()
    wait_text(page, ".wb-desk-status", "Handed in version 2")
    return recorded


def test_trainees_hand_in_and_the_supervisor_compares_and_comments(browser: Any, hub: hub_server.Hub) -> None:
    pages = []
    try:
        for user, label in zip(TRAINEES, (MATCHING, "Sleepless since the move"), strict=True):
            pages.append(build_and_hand_in(browser, hub, user, label))
        handed = hub_server.SEMINAR / "handins" / "trainee1" / CASE
        assert handed.exists() and (hub_server.SEMINAR / "handins" / "trainee2" / CASE).exists()

        # the supervisor: both hand-ins, compared with the reference, a comment for trainee1
        sup = logged_in(browser, hub, SUPERVISOR)
        pages.append(sup)
        page = sup.page
        open_voila(page, hub, SUPERVISOR, "seminar_supervisor.ipynb", ".wb-seminar")
        wait_text(page, ".wb-handins", "trainee2")
        assert "trainee1" in page.locator(".wb-handins").inner_text()
        page.locator(".wb-compare-handins").click()
        wait_text(page, ".wb-comparison", "Compared with the reference")
        comparison = page.locator(".wb-comparison").inner_text()
        # trainee1's early experience matches the reference's "Father often absent for work";
        # trainee2's does not: they missed all 15 of the reference's elements and added theirs
        assert "trainee1: missed 14, added 0" in comparison, comparison
        assert "trainee2: missed 15, added 1" in comparison
        assert "Added: Sleepless since the move" in comparison
        select_containing(page, ".wb-seminar-handin", "trainee1 (")
        page.locator(".wb-open-handin").click()
        wait_for_graph_label(page, MATCHING, timeout=TIMEOUT)
        page.locator(".wb-comment-text textarea").fill(COMMENT)
        page.locator(".wb-send-comment").click()
        wait_text(page, ".wb-seminar-status", "Comment sent to trainee1")
        save_screenshot_to_artifacts(page, "hub-seminar-view", full_page=True)
        page.locator(".wb-comparison").scroll_into_view_if_needed()
        save_screenshot_to_artifacts(page, "hub-seminar-comparison")
        page.locator(".wb-present-handin").click()  # the hand-in for the group, step by step
        page.locator(".wb-presenter").first.wait_for()
        wait_text(page, ".wb-presenter", "Step 1 of")
        save_screenshot_to_artifacts(page, "hub-seminar-presenter")

        # trainee1 sees the comment; trainee2's feedback stays empty
        page = pages[0].page
        page.locator(".wb-show-feedback").click()
        wait_text(page, ".wb-feedback", COMMENT)
        assert SUPERVISOR in page.locator(".wb-feedback").inner_text()
        save_screenshot_to_artifacts(page, "hub-trainee-feedback", full_page=True)
        page = pages[1].page
        page.locator(".wb-show-feedback").click()
        wait_text(page, ".wb-feedback", "No feedback on this case yet")

        # trainee1 cannot open trainee2's hand-in: not by the app...
        other = hub_server.SEMINAR / "handins" / "trainee2" / CASE
        page = pages[0].page
        page.locator(".wb-tabs .lm-TabBar-tab", has_text="Case").first.click()
        page.locator(".wb-open-path input").fill(str(other))
        page.locator(".wb-open-button").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.wb-status')].some("
            "(e) => e.textContent.includes('you may not read this file'))")
        # ... nor by the Jupyter file API of trainee1's server (outside its root, and the OS says no) ...
        for path in (f"../../..{other}", str(other), "../trainee2/formulations"):
            response = page.request.get(f"{hub.base_url}/user/trainee1/api/contents/{path}")
            assert response.status in (400, 403, 404), (path, response.status)
        # ... nor through trainee2's server, which the hub does not let trainee1 use
        response = page.request.get(f"{hub.base_url}/user/trainee2/api/contents/formulations")
        assert response.status == 403, (response.status, response.url)
        for recorded in pages:
            assert recorded.log.outside_requests() == []
    finally:
        for recorded in pages:
            recorded.context.close()
