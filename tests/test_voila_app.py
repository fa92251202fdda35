"""``workbench app PATH``: the Voilà app launcher and its offline template.

The page itself is checked in Chromium by ``test_e2e_voila.py``; here the
launcher runs as the installed ``workbench`` command and serves the page over
HTTP, which must name nothing outside the machine and show no code.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from e2e_servers import Server, announced_url, stop_launcher

from workbench.cli import app as voila_app
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
    assert env["JUPYTER_PATH"].split(":")[:2] == [str(voila_app.VOILA_DATA_DIR), str(tmp_path)]
    # ... and Voilà's own templates (which ours extends) are found, also from a venv that borrows Voilà.
    assert any((Path(p) / "voila" / "templates" / "lab").is_dir()
               for p in [*env["JUPYTER_PATH"].split(":"), f"{sys.prefix}/share/jupyter"])


def test_the_token_goes_through_the_environment_not_the_command_line(tmp_path: Path) -> None:
    command = voila_app.voila_command(tmp_path / "app.ipynb", port=8999)
    assert not any("token=" in part.lower() and "auto_token" not in part.lower() for part in command)
    assert "--Voila.auto_token=True" in command  # no token in the environment: a random one, never none
    env = voila_app.voila_env({"JUPYTER_TOKEN_FILE": "/elsewhere"}, token="f" * 32)
    assert env["JUPYTER_TOKEN"] == "f" * 32 and "JUPYTER_TOKEN_FILE" not in env
    assert "JUPYTER_TOKEN" not in voila_app.voila_env({})
    with pytest.raises(ValueError):
        voila_app.voila_env({}, token="")


def test_the_redirect_page_is_private_and_leads_to_the_address(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8999/?token=" + "e" * 32 + "&x=<b>"
    page = voila_app.write_redirect_page(url, tmp_path)
    assert page.stat().st_mode & 0o777 == 0o600
    text = page.read_text(encoding="utf-8")
    escaped = "http://127.0.0.1:8999/?token=" + "e" * 32 + "&amp;x=&lt;b&gt;"
    assert f'content="0;url={escaped}"' in text and f'href="{escaped}"' in text and "<b>" not in text


def _get(server: Server, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """GET ``path`` from ``server`` without following redirects: status, Location, body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=180)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location") or "", answer.read()
    finally:
        connection.close()


def _with_token(server: Server, path: str) -> str:
    """``path`` with the server's token in its query (as the browser is sent to it)."""
    return server.url(path).removeprefix(server.base_url)


def _refused(status: int, location: str) -> bool:
    return status in (401, 403) or (status == 302 and location.startswith("/login"))


_WEBSOCKET = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


@pytest.mark.slow
def test_voila_refuses_the_page_and_the_kernel_without_the_token(voila_server: Server) -> None:
    """The server ``workbench app`` starts: no token or a wrong one gets neither the page nor a kernel."""
    served = voila_server.root / "Formulation Workbench.ipynb"  # the notebook the app runs
    assert served.is_file()
    notebook = "/voila/render/" + urllib.request.quote(served.name)
    for path in ("/", notebook, "/?token=wrong", f"{notebook}?token=wrong", "/api/kernels"):
        status, location, body = _get(voila_server, path)
        assert _refused(status, location), (path, status, location)
        assert b"widget-view+json" not in body
    status, _, body = _get(voila_server, _with_token(voila_server, "/"))
    assert status == 200 and b"application/vnd.jupyter.widget-view+json" in body
    found = re.search(rb'"kernelId": "([0-9a-f-]{36})"', body)
    assert found, "the page names no kernel"
    kernel = "/api/kernels/" + found.group(1).decode()
    # The kernel the page runs in: its API and its websocket want the token too.
    for path, headers in ((kernel, {}), (f"{kernel}?token=wrong", {}), (f"{kernel}/channels", _WEBSOCKET),
                          (f"{kernel}/channels?token=wrong", _WEBSOCKET)):
        status, location, _ = _get(voila_server, path, headers)
        assert _refused(status, location), (path, status, location)
    assert _get(voila_server, _with_token(voila_server, kernel))[0] == 200
    assert _get(voila_server, kernel, {"Authorization": f"token {voila_server.token}"})[0] == 200
    assert _get(voila_server, _with_token(voila_server, f"{kernel}/channels"), _WEBSOCKET)[0] == 101
    # ... and nobody can read the token off Voilà's command line.
    assert voila_server.token not in Path(f"/proc/{voila_server.process.pid}/cmdline").read_text()


def test_missing_folder_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # A missing *file* opens the app's start screen on it (tests/test_case_paths.py); a missing folder
    # outside the current one is an error.
    assert main(["app", str(tmp_path / "nope" / "nope.formulation.json"), "--no-browser"]) == 1
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
    # The "browser" records what it was asked to open (webbrowser runs $BROWSER with the address).
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{opened}.part" && mv "{opened}.part" "{opened}"\n')
    browser.chmod(0o700)
    env = {**os.environ, "HOME": str(tmp_path),  # the app's recent-cases list stays out of the real home
           "BROWSER": f"{browser} %s"}
    process = subprocess.Popen(
        [*command, "app", str(case)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=env, start_new_session=True,
    )
    try:
        url = announced_url(process, timeout=90)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{32}", url)
        token = url.rsplit("=", 1)[1]
        assert not _command_lines_with(token), "the access token is on a command line (ps shows it to all)"
        # The browser was sent to a private page that leads on to the address with the token.
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        (argument,) = opened.read_text(encoding="utf-8").splitlines()
        assert argument.startswith("file:///") and token not in argument
        redirect = Path(urllib.request.url2pathname(argument.removeprefix("file://")))
        assert redirect.stat().st_mode & 0o777 == 0o600 and redirect.parent.stat().st_mode & 0o077 == 0
        assert f'content="0;url={url}"' in redirect.read_text(encoding="utf-8")
        with urllib.request.urlopen(url, timeout=120) as answer:  # Voilà runs the cell, then answers
            page = answer.read().decode("utf-8")
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "import workbench" not in page and "workbench.app(" not in page
        assert not OUTSIDE.search(page), OUTSIDE.search(page)
    finally:
        code = stop_launcher(process, grace=30)
    assert code == 0
    assert case.read_bytes() == before


def _command_lines_with(text: str) -> list[str]:
    """The command lines of this machine's processes that contain ``text``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue  # ended meanwhile
        if text in line:
            found.append(line)
    return found



def test_workbench_app_preheats_the_kernel_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """With WORKBENCH_VOILA_PREHEAT=1 the app's cell runs as soon as Voilà is up (measured: no clear gain)."""
    assert "--preheat_kernel=True" not in voila_app.voila_command("x.ipynb", port=8999)
    assert {"--preheat_kernel=True", "--pool_size=1"} <= set(
        voila_app.voila_command("x.ipynb", port=8999, preheat=True))
    monkeypatch.delenv("WORKBENCH_VOILA_PREHEAT", raising=False)
    assert not voila_app._preheat()
    monkeypatch.setenv("WORKBENCH_VOILA_PREHEAT", "1")
    assert voila_app._preheat()
