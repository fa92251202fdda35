"""Every way of showing the notebooks is offline: a plain ``voila notebooks/...`` too.

Voilà's own ``lab`` template links Font Awesome from a public CDN. The project's
``voila.json`` (in the project folder and in ``notebooks/``, which Voilà reads from the
folder it is started in) names the workbench's offline template, which the package
installs where Jupyter finds it (hatchling ``shared-data``). The browser test starts
``voila notebooks/02_supervision_seminar.ipynb`` exactly so, records every request and
fails on any that would leave 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RecordedPage, open_recorded_page, save_screenshot_to_artifacts
from e2e_servers import Server, plain_voila_server
from jupyter_core.paths import jupyter_path

from workbench.cli import app as voila_app

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "02_supervision_seminar.ipynb"
LOAD_TIMEOUT = 180_000


@pytest.mark.parametrize("folder", [".", "notebooks"])
def test_voila_config_names_the_offline_template(folder: str) -> None:
    config = json.loads((ROOT / folder / "voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["template"] == voila_app.TEMPLATE_NAME


def test_the_offline_template_is_installed_where_jupyter_finds_it() -> None:
    found = [Path(p) for p in jupyter_path("voila", "templates", voila_app.TEMPLATE_NAME)]
    installed = [p for p in found if (p / "index.html.j2").is_file()]
    assert installed, f"the workbench Voilà template is in none of {found}: reinstall (pip install -e .)"
    shipped = voila_app.VOILA_DATA_DIR / "voila" / "templates" / voila_app.TEMPLATE_NAME
    for name in ("index.html.j2", "conf.json"):
        assert (installed[0] / name).read_bytes() == (shipped / name).read_bytes(), name


@pytest.fixture(scope="module")
def plain_voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with plain_voila_server(tmp_path_factory.mktemp("voila-plain"), NOTEBOOK) as server:
        yield server


@pytest.mark.browser
def test_plain_voila_shows_the_seminar_notebook_offline(browser: Any, plain_voila: Server) -> None:
    recorded: RecordedPage = open_recorded_page(browser)
    page = recorded.page
    page.on("websocket", lambda ws: recorded.log.requests.append(ws.url))
    try:
        page.goto(plain_voila.url("/"), timeout=LOAD_TIMEOUT)
        page.locator(".wb-supervision-workspace").first.wait_for(timeout=LOAD_TIMEOUT)
        page.locator(".wb-app .wb-graph canvas").first.wait_for(timeout=LOAD_TIMEOUT)
        save_screenshot_to_artifacts(page, "voila-plain-01-seminar")
        assert recorded.log.outside_requests() == [], recorded.log.outside_requests()
        assert len(recorded.log.requests) > 10
        assert page.locator("link[href^='http']").count() == 0  # no stylesheet from elsewhere
    finally:
        recorded.context.close()
