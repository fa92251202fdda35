"""``workbench app PATH``: the Voilà app launcher and its offline template.

The page itself is checked in Chromium by ``test_e2e_voila.py``; here the
launcher runs as the installed ``workbench`` command and serves the page over
HTTP, which must name nothing outside the machine and show no code.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from workbench import voila_app
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "notebooks" / "cases" / "demo.formulation.json"
TEMPLATE_DIR = voila_app.VOILA_DATA_DIR / "voila" / "templates" / voila_app.TEMPLATE_NAME
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1[:/])""", re.IGNORECASE)


def test_app_notebook_is_a_valid_one_cell_notebook(tmp_path: Path) -> None:
    path = voila_app.write_app_notebook(Path("cases") / "x.formulation.json", tmp_path)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    (cell,) = nb.cells
    assert cell.cell_type == "code"
    opened = re.fullmatch(r"import workbench\nworkbench\.app\('(.*)'\)", cell.source)
    assert opened and Path(opened.group(1)).is_absolute()
    assert Path(opened.group(1)) == (Path.cwd() / "cases" / "x.formulation.json").resolve()


def test_the_template_names_no_address_outside_the_machine() -> None:
    files = sorted(TEMPLATE_DIR.iterdir())
    assert {f.name for f in files} >= {"conf.json", "index.html.j2", "page.html"}
    for f in files:
        assert not OUTSIDE.search(f.read_text(encoding="utf-8")), f"{f.name} links outside the machine"
    # ... while Voilà's own template does (the reason ours exists): the check can fail.
    assert OUTSIDE.search('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/x.css">')


def test_voila_env_puts_the_template_first(tmp_path: Path) -> None:
    env = voila_app.voila_env({"JUPYTER_PATH": str(tmp_path)})
    assert env["JUPYTER_PATH"].split(":") == [str(voila_app.VOILA_DATA_DIR), str(tmp_path)]


def test_missing_case_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["app", str(tmp_path / "nope.formulation.json"), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: There is no case file at ") and err.count("\n") == 1


@pytest.mark.slow
def test_workbench_app_serves_the_case_offline_without_code(tmp_path: Path) -> None:
    case = tmp_path / "cases" / DEMO.name
    case.parent.mkdir()
    shutil.copy(DEMO, case)
    before = case.read_bytes()
    script = Path(sys.executable).with_name("workbench")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "workbench.cli"]
    env = {**os.environ, "HOME": str(tmp_path)}  # the app's recent-cases list stays out of the real home
    process = subprocess.Popen(
        [*command, "app", str(case), "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=env, start_new_session=True,
    )
    try:
        url = _announced_url(process, timeout=90)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32}", url)
        with urllib.request.urlopen(url, timeout=120) as answer:  # Voilà runs the cell, then answers
            page = answer.read().decode("utf-8")
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "import workbench" not in page and "workbench.app(" not in page
        assert not OUTSIDE.search(page), OUTSIDE.search(page)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            assert process.stdout is not None
            process.stdout.close()
    assert code == 0
    assert case.read_bytes() == before


def _announced_url(process: subprocess.Popen[str], timeout: float) -> str:
    """Read the launcher's output until it prints the address of the app."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        found = re.search(r"open at (\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("workbench app announced no address:\n" + "".join(seen[-30:]))
