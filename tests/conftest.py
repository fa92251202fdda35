"""Shared test fixtures.

Browser fixtures (for tests marked ``@pytest.mark.browser``):

- ``browser``: one headless Debian Chromium per test session (Playwright, sync API).
  Without ``/usr/bin/chromium`` browser tests are skipped, except under CI
  (``CI=true``), where a missing browser is a failure.
- ``recorded_page``: a fresh 1280x800 page whose every request is recorded; requests
  that would leave the machine (anything but file:, data:, blob:, about: and
  http(s)://127.0.0.1) are aborted and listed; dialogs (alert, confirm, ...) are
  recorded and dismissed; console errors and page errors are recorded.
- ``save_screenshot(page, name)``: write ``test-artifacts/<name>.png`` (gitignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import e2e_servers
import pytest
from e2e_pages import NETWORK_HOOK, open_and_run_all

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: Debian's Chromium; ``WORKBENCH_CHROMIUM`` names another binary (the fixture tests use a missing one).
CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"127.0.0.1"})


def under_ci() -> bool:
    """Whether the tests run under CI (``CI=true``), where missing tools are failures."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def is_local(url: str) -> bool:
    """Whether a request to ``url`` stays on this machine.

    >>> is_local("file:///tmp/x.html"), is_local("http://127.0.0.1:8888/lab"), is_local("https://cdn.x/y.js")
    (True, True, False)
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page did: requests, aborted outside requests, dialogs, errors."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests (made or attempted) that would have left the machine."""
        made = [u for u in self.requests if not is_local(u)]
        return made + [u for u in self.blocked if u not in made]


@dataclass
class RecordedPage:
    """A Playwright page together with the record of what it did."""

    page: Any
    log: PageLog
    context: Any


def _missing_browser(reason: str) -> None:
    if under_ci():
        pytest.fail(f"{reason} (CI=true, so browser tests must run).", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole test session."""
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        _missing_browser(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_recorded_page(browser: Any, *, viewport: dict[str, int] | None = None) -> RecordedPage:
    """Open a new context and page that records every request and blocks outside ones."""
    context = browser.new_context(viewport=viewport or VIEWPORT, service_workers="block")
    log = PageLog()

    def route(route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("dialog", on_dialog)
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    return RecordedPage(page=page, log=log, context=context)


@pytest.fixture
def recorded_page(browser: Any) -> Iterator[RecordedPage]:
    """A fresh 1280x800 page with every request recorded and outside requests aborted."""
    recorded = open_recorded_page(browser)
    try:
        yield recorded
    finally:
        recorded.context.close()


def save_screenshot_to_artifacts(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot of ``page`` as ``test-artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@contextmanager
def notebook_in_lab(
    browser: Any,
    lab: e2e_servers.Server,
    notebook: str,
    *,
    open_timeout: float,
    step_timeout: float,
    last_screenshot: str,
    record_websockets: bool = False,
) -> Iterator[RecordedPage]:
    """Open ``notebook`` in a fresh recorded page of the test JupyterLab and run it all; yield the page.

    Afterwards the page is photographed (``test-artifacts/<last_screenshot>.png``), closed, and the
    notebook's kernel shut down, so that the next module opening it gets a kernel of its own.
    ``record_websockets`` adds websocket addresses (the kernel channels) to the request log.
    """
    recorded = open_recorded_page(browser)
    recorded.context.add_init_script(NETWORK_HOOK)
    page = recorded.page
    if record_websockets:
        page.on("websocket", lambda ws: recorded.log.requests.append(ws.url))
    page.set_default_timeout(step_timeout)
    try:
        open_and_run_all(page, lab, notebook, open_timeout=open_timeout)
        yield recorded
    finally:
        save_screenshot_to_artifacts(page, last_screenshot)
        recorded.context.close()
        e2e_servers.shut_down_sessions(lab, notebook)


@pytest.fixture
def save_screenshot() -> Any:
    """``save_screenshot(page, name)`` writes ``test-artifacts/<name>.png`` and returns its path."""
    return save_screenshot_to_artifacts


# --- JupyterLab and Voilà servers for the end-to-end tests (helpers in tests/e2e_servers.py) ---


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[e2e_servers.Server]:
    """One JupyterLab (127.0.0.1, free port, token) on a temporary copy of notebooks/ for all tests."""
    with e2e_servers.lab_server(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[e2e_servers.Server]:
    """The Voilà app (as ``workbench app`` runs it) on a temporary copy of the demo case."""
    with e2e_servers.voila_server(tmp_path_factory.mktemp("voila")) as server:
        yield server
