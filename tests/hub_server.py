"""The JupyterHub of ``scripts/hub-up`` for the hub browser tests and ``benchmarks/bench_hub.py``.

One hub per test session: one that answers on the port is used as it is, otherwise
``scripts/hub-up`` starts it (it needs root; it installs what is missing, the first time about
1.5 minutes). Talks to the hub's REST API with the admin token hub-up wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HUB_HOME = Path(os.environ.get("WORKBENCH_HUB_HOME", "/opt/workbench-hub"))
SEMINAR = Path(os.environ.get("WORKBENCH_SEMINAR_ROOT", "/srv/workbench"))
PORT = int(os.environ.get("WORKBENCH_HUB_PORT", "8000"))


@dataclass
class Hub:
    """A running hub: its address, admin token and the test users' passwords."""

    port: int
    token: str
    passwords: dict[str, str]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """Call the hub's REST API (``/hub/api`` + ``path``) as the admin service; (status, JSON)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base_url}/hub/api{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw) if raw else None
            except ValueError:
                return err.code, raw.decode(errors="replace")

    def start_server(self, user: str, timeout: float = 180.0) -> float:
        """Create ``user`` in the hub if needed, start their server, wait until it is ready; seconds taken."""
        self.api("POST", f"/users/{user}")
        started = time.monotonic()
        self.api("POST", f"/users/{user}/server")
        deadline = started + timeout
        while time.monotonic() < deadline:
            _, info = self.api("GET", f"/users/{user}")
            server = (info or {}).get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - started
            time.sleep(0.5)  # polling the hub for the state we wait for
        raise TimeoutError(f"the server of {user} was not ready within {timeout:.0f} s")

    def stop_server(self, user: str, timeout: float = 120.0) -> None:
        """Stop ``user``'s server (if running) and wait until the hub says it has stopped."""
        status, _ = self.api("DELETE", f"/users/{user}/server")
        if status == 404:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, info = self.api("GET", f"/users/{user}")
            if not (info or {}).get("servers"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"the server of {user} did not stop within {timeout:.0f} s")

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the hub's log, for failure messages."""
        log = HUB_HOME / "state" / "hub.log"
        return log.read_text(encoding="utf-8", errors="replace")[-chars:] if log.exists() else ""


def answers(port: int = PORT) -> bool:
    """Whether a hub answers on ``port``."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api/", timeout=5) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def bring_down() -> None:
    """Stop the hub with ``scripts/hub-down`` (its proxy and users' servers too; nothing is removed)."""
    done = subprocess.run(["bash", str(ROOT / "scripts" / "hub-down")], capture_output=True, text=True,
                          timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/hub-down failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def bring_up(port: int = PORT) -> Hub:
    """Start the hub with ``scripts/hub-up`` (idempotent: a running hub is reused) and return it."""
    done = subprocess.run(["bash", str(ROOT / "scripts" / "hub-up"), "--port", str(port)],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/hub-up failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    state = HUB_HOME / "state"
    token = (state / "admin-token").read_text(encoding="utf-8").strip()
    passwords = dict(
        line.split(":", 1) for line in (state / "passwords.txt").read_text(encoding="utf-8").split()
    )
    return Hub(port, token, passwords)
