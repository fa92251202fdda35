"""JupyterHub configuration for the Formulation Workbench: a seminar or a class on one server.

Copy this file to the hub's configuration folder (The Littlest JupyterHub:
``/opt/tljh/config/jupyterhub_config.d/workbench.py``; a plain hub:
``jupyterhub -f jupyterhub_config.py``). ``scripts/hub-up`` uses it as it is,
with the environment variables below pointing at what it installed.

- Real system users, each server started by the hub as that user (LocalProcessSpawner;
  SystemdSpawner where memory must be enforced, see below).
- Log in with the system password (PAM) by default; ``WORKBENCH_HUB_AUTH=native`` switches
  to NativeAuthenticator (trainees sign up, an admin approves), ``shared`` to the shared
  password of a one-off workshop. For a learning platform use LTI (jupyterhub-ltiauthenticator,
  see README.md here); it is not configured or tested here.
- The idle culler runs as a hub service and stops servers idle for an hour.
- Memory: each active user with the workbench app open needs about 0.25 GB (measured with
  benchmarks/bench_hub.py, see README.md); ``mem_limit`` is 1 GB, four times that. LocalProcessSpawner only passes it on (``MEM_LIMIT``); SystemdSpawner
  (``WORKBENCH_HUB_SPAWNER=systemd``, what TLJH uses) enforces it.

Every value can be set from the environment, so that the same file serves the test hub
(127.0.0.1, ``scripts/hub-up``) and a real one.
"""

from __future__ import annotations

import grp
import os
import sys
from pathlib import Path
from typing import Any

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (JupyterHub's config loader provides it)

HOME = Path(os.environ.get("WORKBENCH_HUB_HOME", "/opt/workbench-hub"))
VENV = Path(os.environ.get("WORKBENCH_HUB_VENV", str(HOME / "venv")))
STATE = Path(os.environ.get("WORKBENCH_HUB_STATE", str(HOME / "state")))
SEMINAR = os.environ.get("WORKBENCH_SEMINAR_ROOT", "/srv/workbench")
IP = os.environ.get("WORKBENCH_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("WORKBENCH_HUB_PORT", "8000"))
AUTH = os.environ.get("WORKBENCH_HUB_AUTH", "pam")
SPAWNER = os.environ.get("WORKBENCH_HUB_SPAWNER", "local")
ADMINS = {name for name in os.environ.get("WORKBENCH_HUB_ADMINS", "").split(",") if name}
#: Measured memory of one user with the app open (see README.md); the limit adds head room.
MEMORY_PER_USER = os.environ.get("WORKBENCH_HUB_MEM_LIMIT", "1G")

# --- where the hub listens and keeps its state ----------------------------------------------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 2
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
proxy = HOME / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- who may log in -------------------------------------------------------------------------------
if AUTH == "native":
    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
    c.NativeAuthenticator.open_signup = False  # an admin approves each sign-up at /hub/authorize
    c.JupyterHub.template_paths = [
        os.path.join(os.path.dirname(__import__("nativeauthenticator").__file__), "templates")
    ]
    c.LocalAuthenticator.create_system_users = True  # approved users get a system account
elif AUTH == "shared":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["WORKBENCH_HUB_SHARED_PASSWORD"]
else:
    c.JupyterHub.authenticator_class = "pam"
    # only the seminar's groups may log in (scripts/hub-up and `workbench hub setup` create them)
    c.PAMAuthenticator.allowed_groups = {"wb-trainees", "wb-supervisors"}
    c.PAMAuthenticator.admin_groups = set()
c.Authenticator.admin_users = ADMINS

# --- each user's own server -----------------------------------------------------------------------
if SPAWNER == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.mem_limit = MEMORY_PER_USER  # enforced by the user's systemd unit
    c.SystemdSpawner.cpu_limit = 1.0
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.disable_user_sudo = True
else:
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.mem_limit = MEMORY_PER_USER  # passed on as MEM_LIMIT; not enforced by this spawner
# The teaching notebooks and cases are copied into ~/formulations at every start where missing; a
# copy the user has is never overwritten (the rule of scripts/start; nbgitpuller is the alternative
# for material kept in git, see README.md). Then the ordinary single-user server starts.
START = (
    'python -m workbench.workspace "$WORKBENCH_TEACHING" "$HOME/formulations" >/dev/null || true; '
    'exec jupyterhub-singleuser "$@"'
)
c.Spawner.cmd = ["/bin/bash", "-c", START, "workbench-singleuser"]
c.Spawner.environment = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "WORKBENCH_SEMINAR_ROOT": SEMINAR,
    "WORKBENCH_TEACHING": f"{SEMINAR}/teaching",
}
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.Spawner.args = ["--ServerApp.terminals_enabled=False"]


def open_the_right_notebook(spawner: Any) -> None:
    """Supervisors land on the seminar notebook, everybody else on the trainee's one."""
    try:
        supervisor = spawner.user.name in grp.getgrnam("wb-supervisors").gr_mem
    except KeyError:
        supervisor = False
    name = "seminar_supervisor.ipynb" if supervisor else "seminar_trainee.ipynb"
    spawner.default_url = f"/lab/tree/formulations/{name}"


c.Spawner.pre_spawn_hook = open_the_right_notebook

# --- services: the idle culler and an admin token for the scripts ---------------------------------
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
    },
]
token_file = STATE / "admin-token"
if token_file.exists():  # written by scripts/hub-up (mode 600) for the tests and benchmarks
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["workbench-admin"]})
    c.JupyterHub.services.append(
        {"name": "workbench-admin", "api_token": token_file.read_text(encoding="utf-8").strip()}
    )

c.JupyterHub.cleanup_servers = True
c.JupyterHub.shutdown_on_logout = False
