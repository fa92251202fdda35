"""JupyterLab and Voilà servers for the end-to-end browser tests.

Each server listens on 127.0.0.1 on a free port, with a token, serving a
temporary copy of ``notebooks/`` (so tests never touch the committed case).
The fixtures in ``conftest.py`` start one of each per test session; a server
is stopped by its PID (SIGTERM, which also shuts its kernels down; SIGKILL if it hangs).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.cli import app as voila_app

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEMO_CASE = Path("cases") / "demo.formulation.json"
START_TIMEOUT = 90.0

#: JupyterLab user settings for tests: no news pop-up, no autosave, all cells rendered.
LAB_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {
        "autosave": False,
        "confirmClosingDocument": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}


@dataclass
class Server:
    """A running server: where it is, how to reach it, and the folder it serves."""

    name: str
    port: int
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """Return the URL of ``path`` on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log, for failure messages."""
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def copy_notebooks(dest: Path) -> Path:
    """Copy ``notebooks/`` (without checkpoints) to ``dest`` and return ``dest``."""
    shutil.copytree(NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


@contextlib.contextmanager
def lab_server(workdir: Path) -> Iterator[Server]:
    """Run JupyterLab on a copy of ``notebooks/`` inside ``workdir`` until the block ends."""
    root = copy_notebooks(workdir / "notebooks")
    settings = workdir / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    (workdir / "lab-workspaces").mkdir()
    port, token = voila_app.free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--allow-root",
        f"--ServerApp.root_dir={root}",
        f"--LabServerApp.user_settings_dir={settings}",
        f"--LabServerApp.workspaces_dir={workdir / 'lab-workspaces'}",
        "--LabApp.news_url=", "--ServerApp.terminals_enabled=False",
        # window.jupyterapp: tests wait for the notebook's kernel itself (e2e_pages.open_and_run_all)
        "--LabApp.expose_app_in_browser=True",
    ]
    env = _isolated_env(workdir)
    with _running("jupyterlab", command, env, workdir, port, token, root) as server:
        _wait_for(server, server.url("/api/status"))
        yield server


@contextlib.contextmanager
def voila_server(workdir: Path, case: Path = DEMO_CASE) -> Iterator[Server]:
    """Run the Voilà app (as ``workbench app`` does) on a copy of the demo case until the block ends."""
    root = copy_notebooks(workdir / "notebooks")
    notebook = voila_app.write_app_notebook(root / case, root)
    port, token = voila_app.free_port(), secrets.token_hex(16)
    command = voila_app.voila_command(notebook, port=port)
    env = voila_app.voila_env(_isolated_env(workdir), token=token)  # the token is off the command line
    with _running("voila", command, env, workdir, port, token, root) as server:
        _wait_for(server, server.url("/voila/static/require.min.js"))
        yield server


@contextlib.contextmanager
def plain_voila_server(workdir: Path, notebook: str) -> Iterator[Server]:
    """Run a plain ``voila notebooks/<notebook>`` (no workbench options) started, as a user would,
    in a copy of the project folder (``voila.json`` and ``notebooks/``), until the block ends."""
    project = workdir / "project"
    copy_notebooks(project / "notebooks")
    shutil.copy(ROOT / "voila.json", project / "voila.json")
    port, token = voila_app.free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "voila", f"notebooks/{notebook}", "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--Voila.auto_token=True",
    ]
    env = _isolated_env(workdir)
    env["JUPYTER_TOKEN"] = token
    with _running("voila-plain", command, env, workdir, port, token, project) as server:
        _wait_for(server, server.url("/voila/static/require.min.js"))
        yield server


def _isolated_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A home of its own: the app remembers recent cases in ~/.config, which tests must not touch.
    env["HOME"] = str(workdir / "home")
    (workdir / "home").mkdir(exist_ok=True)
    env["JUPYTER_RUNTIME_DIR"] = str(workdir / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(workdir / "config")
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env.pop("JUPYTER_TOKEN", None)
    # A virtual environment made with --system-site-packages has Voilà's templates and the lab
    # extensions under the base Python's share/jupyter, which Jupyter does not search by itself.
    base = Path(sys.base_prefix) / "share" / "jupyter"
    if base.is_dir() and Path(sys.prefix) != Path(sys.base_prefix):
        env["JUPYTER_PATH"] = os.pathsep.join(p for p in (env.get("JUPYTER_PATH", ""), str(base)) if p)
    return env


@contextlib.contextmanager
def _running(
    name: str, command: list[str], env: dict[str, str], workdir: Path, port: int, token: str, root: Path
) -> Iterator[Server]:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, port, token, root, process, log)
    try:
        yield server
    finally:
        stop(process)


def _wait_for(server: Server, url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            code = server.process.returncode
            raise RuntimeError(f"{server.name} ended with code {code}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer within {START_TIMEOUT:.0f} s:\n{server.log_tail()}")


def stop(process: subprocess.Popen[bytes], grace: float = 15) -> None:
    """Stop a server started in its own session: SIGTERM to its PID (it shuts its kernels down),
    then SIGKILL if it hangs, and SIGKILL to whatever is left in its process group.

    Kernels run in sessions of their own; should the server be killed, they notice their
    parent is gone (ipykernel's parent poller) and end themselves."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # Helpers the server started in its group (whose id is the server's PID).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def shut_down_sessions(server: Server, notebook: str) -> list[str]:
    """Shut down every kernel session the server has for ``notebook`` (a path under its root), through
    its REST API (``DELETE /api/sessions/<id>``, which returns once the kernel is gone); return their ids.

    A browser fixture calls this when it closes its page: JupyterLab gives the next page that opens the
    same notebook the same session (and kernel) otherwise, so one module's app would leak into the next.
    """
    headers = {"Authorization": f"token {server.token}"}
    request = urllib.request.Request(f"{server.base_url}/api/sessions", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        sessions = json.load(answer)
    ended = []
    for session in sessions:
        if str(session.get("path", "")).lstrip("/") != notebook.lstrip("/"):
            continue
        delete = urllib.request.Request(
            f"{server.base_url}/api/sessions/{session['id']}", method="DELETE", headers=headers
        )
        try:
            with urllib.request.urlopen(delete, timeout=60):
                ended.append(str(session["id"]))
        except urllib.error.HTTPError as err:
            if err.code != 404:  # 404: it ended meanwhile
                raise
    return ended


def announced_url(process: subprocess.Popen[str], timeout: float) -> str:
    """Read the output of ``workbench app`` until it prints the address of the app; return it.

    The lines are read by a helper thread, so a launcher that hangs without a word (stdout open,
    nothing written) fails after ``timeout`` instead of blocking the suite in ``readline``.
    """
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)
        lines.put("")  # end of output

    threading.Thread(target=pump, daemon=True, name="announced-url").start()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if not line:
            break
        seen.append(line)
        found = re.search(r"open at (\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("workbench app announced no address:\n" + "".join(seen[-30:]))


def stop_launcher(process: subprocess.Popen[str], grace: float = 60) -> int:
    """Stop a ``workbench app`` (stdout piped) as Ctrl+C would, by SIGTERM; return its exit code."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=grace)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()
