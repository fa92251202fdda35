"""The shared browser fixtures in conftest.py: skip or fail without Chromium, record and block requests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import is_local

ROOT = Path(__file__).resolve().parents[1]
PROBE = "tests/test_render_browser.py::test_empty_formulation_page_says_so"


def _run_probe(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["WORKBENCH_CHROMIUM"] = "/nonexistent/chromium"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", PROBE, "-q", "-rs", "-p", "no:cacheprovider", "--no-header"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_without_chromium_browser_tests_skip_with_a_reason() -> None:
    result = _run_probe(ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "/nonexistent/chromium is not installed" in result.stdout


@pytest.mark.slow
def test_without_chromium_browser_tests_fail_under_ci() -> None:
    result = _run_probe(ci="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 error" in result.stdout
    assert "CI=true, so browser tests must run" in result.stdout


def test_only_file_data_and_loopback_urls_count_as_local() -> None:
    assert is_local("file:///tmp/page.html")
    assert is_local("data:image/png;base64,AAAA")
    assert is_local("http://127.0.0.1:8888/lab?token=x")
    assert is_local("ws://127.0.0.1:8888/api/kernels/1/channels")
    assert not is_local("https://cdn.jsdelivr.net/npm/bootstrap.css")
    assert not is_local("http://localhost.example.com/")
    assert not is_local("http://127.0.0.1.evil.example/x")
    assert not is_local("//example.com/x")


@pytest.mark.browser
def test_recorded_page_blocks_and_lists_requests_that_leave_the_machine(
    recorded_page: Any, tmp_path: Path
) -> None:
    page_file = tmp_path / "leaky.html"
    page_file.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example.com/x.css"></head>'
        '<body><img src="https://example.com/pixel.png"><script>alert("hi")</script></body></html>',
        encoding="utf-8",
    )
    recorded_page.page.goto(page_file.as_uri())
    recorded_page.page.wait_for_load_state("load")
    log = recorded_page.log
    assert log.requests[0] == page_file.as_uri()
    assert sorted(log.outside_requests()) == ["https://cdn.example.com/x.css", "https://example.com/pixel.png"]
    assert sorted(log.blocked) == ["https://cdn.example.com/x.css", "https://example.com/pixel.png"]
    assert log.dialogs == ["alert: hi"]
