"""A case started in the Voilà app with a bare file name survives the app's exit, where predicted.

``workbench app`` (no file) is run from a shell folder with a HOME of its own; in
Chromium the clinician starts a new case typing only ``rel-test.formulation.json``,
adds elements and saves twice, and the app is stopped. Every saved version must
then be on disk in the cases folder (``$HOME/formulations``), the path the app
showed, and nothing in the shell's folder or the app's temporary folder.
This test runs its own ``workbench app``: it has to stop it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, save_screenshot_to_artifacts
from e2e_pages import NETWORK_HOOK, text_of, wait_for_graph_label
from e2e_servers import announced_url, stop_launcher

import workbench

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOAD_TIMEOUT = 120_000  # ms: Voilà starts a kernel and runs the app's cell before it shows the page
STEP_TIMEOUT = 30_000  # ms: one round trip to the kernel
BARE_NAME = "rel-test.formulation.json"


def _workbench_app(cwd: Path, home: Path, workdir: Path) -> subprocess.Popen[str]:
    script = Path(sys.executable).with_name("workbench")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
           "JUPYTER_CONFIG_DIR": str(workdir / "config"), "TMPDIR": str(workdir / "tmp")}
    env.pop("WORKBENCH_CASES", None)
    env.pop("JUPYTER_TOKEN", None)
    (workdir / "tmp").mkdir()
    return subprocess.Popen([*command, "app", "--no-browser"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _status_says(page: Any, text: str) -> None:
    page.wait_for_function("(t) => (document.querySelector('.wb-status')?.textContent ?? '').includes(t)",
                           arg=text)


def _add(page: Any, label: str) -> None:
    page.locator(".wb-element-label input").fill(label)
    page.locator(".wb-add-element").click()
    _status_says(page, f"Added {label!r}")
    wait_for_graph_label(page, label)


def _save(page: Any, message: str, version: int, where: Path) -> None:
    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Save").click()
    page.locator(".wb-save-message input").fill(message)
    page.locator(".wb-save-author input").fill("Dr Test")
    page.locator(".wb-save-button").click()
    _status_says(page, f"Saved version {version} of {where}.")
    page.locator(".wb-tabs .lm-TabBar-tab", has_text="Element").click()


def test_a_new_case_with_a_bare_name_is_saved_in_the_cases_folder_and_survives(
    recorded_page: RecordedPage, tmp_path: Path
) -> None:
    shell, home = tmp_path / "shell", tmp_path / "home"
    shell.mkdir()
    home.mkdir()
    predicted = home / "formulations" / BARE_NAME
    process = _workbench_app(shell, home, tmp_path)
    try:
        url = announced_url(process, timeout=120)
        page: Any = recorded_page.page
        recorded_page.context.add_init_script(NETWORK_HOOK)  # lets the test read the map's nodes
        page.set_default_timeout(STEP_TIMEOUT)
        page.goto(url, timeout=LOAD_TIMEOUT)
        page.locator(".wb-start").wait_for(timeout=LOAD_TIMEOUT)
        assert str(home / "formulations") in text_of(page, ".wb-start-folder")  # it says where cases go
        page.locator(".wb-start-case-id input").fill("RT-1")
        page.locator(".wb-start-path input").fill(BARE_NAME)
        page.locator(".wb-start-create").click()
        _status_says(page, f"It will be saved as {predicted}.")
        assert str(predicted) in text_of(page, ".wb-header")  # the full path, in view
        _add(page, "Low mood since the move")
        _save(page, "After session 1", 1, predicted)
        _add(page, "Fear of being a burden")
        _save(page, "After session 2", 2, predicted)
        save_screenshot_to_artifacts(page, "voila-cases-saved")
        assert recorded_page.log.outside_requests() == []
    finally:
        save_screenshot_to_artifacts(recorded_page.page, "voila-cases-last")  # what the user saw last
        code = stop_launcher(process)
    assert code == 0
    # The app is gone; every version is where it said, and nothing anywhere else.
    history = workbench.history(predicted)
    assert list(history["version"]) == [1, 2]
    assert list(history["message"]) == ["After session 1", "After session 2"]
    labels = {e.label for e in workbench.load(predicted)}
    assert labels == {"Low mood since the move", "Fear of being a burden"}
    assert list(shell.iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []  # the app's temporary folder is gone, and held no case
