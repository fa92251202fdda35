"""deploy/jupyterhub/jupyterhub_config.py read the way JupyterHub reads it, for each authenticator."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from traitlets.config import Config

CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub" / "jupyterhub_config.py"


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Any:
    monkeypatch.setenv("WORKBENCH_HUB_HOME", str(tmp_path))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config})
    return config


def test_the_hub_listens_where_told_runs_system_users_and_culls_idle_servers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    c = load(monkeypatch, tmp_path, WORKBENCH_HUB_PORT="8100")
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8100"
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8101"
    assert c.JupyterHub.hub_port == 8102
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.PAMAuthenticator.allowed_groups == {"wb-trainees", "wb-supervisors"}
    assert c.JupyterHub.spawner_class == "localprocess"
    assert c.Spawner.cmd[-1] == "workbench-singleuser" and "jupyterhub-singleuser" in c.Spawner.cmd[2]
    assert "workbench.workspace" in c.Spawner.cmd[2]  # teaching material copied where missing
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert "--timeout=3600" in culler["command"]
    assert c.Spawner.mem_limit == "1G"
    assert not any(s["name"] == "workbench-admin" for s in c.JupyterHub.services)  # no token file


def test_the_admin_token_the_spawner_and_the_shared_password_follow_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "admin-token").write_text("abc123\n", encoding="utf-8")
    c = load(monkeypatch, tmp_path, WORKBENCH_HUB_AUTH="shared", WORKBENCH_HUB_SHARED_PASSWORD="seminar-2026",
             WORKBENCH_HUB_SPAWNER="systemd", WORKBENCH_HUB_MEM_LIMIT="2G")
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == "seminar-2026"
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.mem_limit == "2G"
    admin = next(s for s in c.JupyterHub.services if s["name"] == "workbench-admin")
    assert admin["api_token"] == "abc123"


def test_supervisors_land_on_the_seminar_notebook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    c = load(monkeypatch, tmp_path)

    class User:
        name = "nobody-in-that-group"

    class Spawner:
        user = User()
        default_url = ""

    spawner = Spawner()
    c.Spawner.pre_spawn_hook(spawner)
    assert spawner.default_url == "/lab/tree/formulations/seminar_trainee.ipynb"
