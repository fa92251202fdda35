"""Many users on the hub of scripts/hub-up: memory per user, time to a usable app, the hub's own cost.

    sudo python3 benchmarks/bench_hub.py              # 20 users
    sudo python3 benchmarks/bench_hub.py --users 5    # fewer (at most 40)

Needs root (it creates throwaway system users ``wbbench01``... and removes them afterwards). Each
user is created through the hub's REST API (admin token), their server started, and the workbench
app opened in Voilà on the demo case (``formulations/01_build_a_formulation.ipynb``, which runs
``workbench.app`` in a kernel of that user's). It reports, per user: seconds to a ready server,
seconds to the rendered app, and the memory (PSS, so shared pages are not counted twice) of all the
user's processes with the app open; and the hub's own memory (hub and proxy) before and after.
Everything talks to 127.0.0.1 only. Bounded: at most 40 users, each step has a timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import hub_server  # the tests' hub client

MAX_USERS = 40
APP = "formulations/01_build_a_formulation.ipynb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help=f"how many users (1-{MAX_USERS}; default 20)")
    parser.add_argument("--port", type=int, default=hub_server.PORT,
                        help="the hub's port (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per step and user")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS:
        print(f"error: --users must be from 1 to {MAX_USERS}.", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("error: the hub benchmark needs root (it creates users and starts their servers).",
              file=sys.stderr)
        return 2
    started_here = not hub_server.answers(args.port)
    hub = hub_server.bring_up(args.port)
    names = [f"wbbench{i:02d}" for i in range(1, args.users + 1)]
    hub_before = hub_memory_mb()
    rows = []
    try:
        for name in names:
            subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=False,
                           capture_output=True)
            subprocess.run(["usermod", "-a", "-G", "wb-trainees", name], check=True)
            spawn = hub.start_server(name, timeout=args.timeout)
            render = open_app(hub, name, args.timeout)
            rows.append({"user": name, "server_s": round(spawn, 1), "app_s": round(render, 1),
                         "usable_s": round(spawn + render, 1), "memory_mb": round(user_memory_mb(name), 1)})
            print(f"{name}: server {spawn:.1f} s, app {render:.1f} s, memory {rows[-1]['memory_mb']:.0f} MB",
                  file=sys.stderr)
        hub_after = hub_memory_mb()
    finally:
        for name in names:
            try:
                hub.stop_server(name, timeout=args.timeout)
                hub.api("DELETE", f"/users/{name}")
                wait_until_gone(name, args.timeout)  # userdel refuses a user with running processes
            except (OSError, TimeoutError, KeyError):
                pass
            subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
        if started_here:  # a hub this run started is stopped again
            hub_server.bring_down()
    report = summary(rows, hub_before, hub_after)
    if args.json:
        print(json.dumps({"users": rows, **report}, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


def open_app(hub: hub_server.Hub, name: str, timeout: float) -> float:
    """Render the app in Voilà as ``name`` (a token of theirs from the admin API); seconds taken."""
    _, token = hub.api("POST", f"/users/{name}/tokens", {"note": "bench_hub", "expires_in": 3600})
    url = f"{hub.base_url}/user/{name}/voila/render/{APP}"
    request = urllib.request.Request(url, headers={"Authorization": f"token {token['token']}"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        page = response.read().decode("utf-8", errors="replace")
    took = time.monotonic() - started
    if "wb-app" not in page and "application/vnd.jupyter.widget-view+json" not in page:
        raise RuntimeError(f"the app did not render for {name}: {page[:300]}")
    return took


def pss_mb(pid: int) -> float:
    """Proportional set size of a process in MB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def user_memory_mb(name: str) -> float:
    """The memory of all processes of the OS user ``name`` (their server and kernels)."""
    return sum(pss_mb(pid) for pid in user_processes(name))


def wait_until_gone(name: str, timeout: float) -> None:
    """Wait until the OS user ``name`` has no processes left (their server and kernels ended)."""
    deadline = time.monotonic() + timeout
    while user_processes(name) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling for the state we wait for


def user_processes(name: str) -> list[int]:
    """The process ids of the OS user ``name``."""
    uid = pwd.getpwnam(name).pw_uid
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and proc.stat().st_uid == uid:
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def hub_memory_mb() -> float:
    """The hub, its proxy and its services: root's processes started from the hub's folder."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            mine = proc.stat().st_uid == 0
        except OSError:
            continue
        if mine and str(hub_server.HUB_HOME) in cmd:
            total += pss_mb(int(proc.name))
    return total


def summary(rows: list[dict[str, object]], hub_before: float, hub_after: float) -> dict[str, object]:
    """Medians and maxima; memory per user and the hub's growth per user."""
    mem = [float(r["memory_mb"]) for r in rows]  # type: ignore[arg-type]
    usable = [float(r["usable_s"]) for r in rows]  # type: ignore[arg-type]
    server = [float(r["server_s"]) for r in rows]  # type: ignore[arg-type]
    load = os.getloadavg()
    return {
        "users": len(rows),
        "memory per user with the app open (MB, median / max)":
            f"{statistics.median(mem):.0f} / {max(mem):.0f}",
        "seconds to a ready server (median / max)": f"{statistics.median(server):.1f} / {max(server):.1f}",
        "seconds to a usable app (median / max)": f"{statistics.median(usable):.1f} / {max(usable):.1f}",
        "hub + proxy memory (MB) before / after": f"{hub_before:.0f} / {hub_after:.0f}",
        "hub growth per user (MB)": f"{(hub_after - hub_before) / max(len(rows), 1):.1f}",
        "ratio: hub overhead to one user's memory": f"{hub_after / max(statistics.median(mem), 1):.2f}",
        "load average (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in load),
    }


if __name__ == "__main__":
    sys.exit(main())
