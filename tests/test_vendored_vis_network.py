"""The vendored vis-network (``render/vendor/``) is the one its pinned build makes, with its licences.

``scripts/build-vis-network`` bundles vis-network 9.1.2's esnext build and its peers, at the versions
pinned in ``scripts/vis-network/package.json`` and locked in its ``package-lock.json``, into one
classic script, and records what went in (``vis-network.build.json``). Neither CI nor these tests run
the build (it needs the npm registry); they check that the committed file is the one recorded, that
the record matches the pins and the lock file, and that every bundled package's licence ships.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from workbench.render import assets

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "scripts" / "vis-network"


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return json.loads((assets.VENDOR / "vis-network.build.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lock() -> dict[str, Any]:
    return json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))


def test_the_vendored_file_is_the_one_the_build_recorded(record: dict[str, Any]) -> None:
    data = (assets.VENDOR / record["file"]).read_bytes()
    assert record["file"] == "vis-network.min.js"
    assert len(data) == record["bytes"]
    assert hashlib.sha256(data).hexdigest() == record["sha256"], (
        "render/vendor/vis-network.min.js was changed by hand: rebuild it with scripts/build-vis-network"
    )
    assert assets.vis_network_js().encode("utf-8") == data  # the page and the live map get this file


def test_the_record_matches_the_pinned_and_locked_versions(
    record: dict[str, Any], lock: dict[str, Any]
) -> None:
    package = json.loads((BUILD / "package.json").read_text(encoding="utf-8"))
    pinned = {**package["dependencies"], **package["devDependencies"]}
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, f"{name}: lock file differs"
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    bundled = {name: info["version"] for name, info in record["packages"].items()}
    assert bundled == package["dependencies"]
    assert record["esbuild"] == package["devDependencies"]["esbuild"]
    assert bundled["vis-network"] == assets.VIS_NETWORK_VERSION
    assert f"@version {assets.VIS_NETWORK_VERSION}\n" in assets.vis_network_js()[:300]
    for name, version in bundled.items():  # the banner names what went in
        assert f" *   {name} {version}, " in assets.vis_network_js()[:2000]


def test_every_bundled_package_ships_its_licence(record: dict[str, Any]) -> None:
    for name, info in record["packages"].items():
        assert info["license"] in ("MIT", "(Apache-2.0 OR MIT)"), f"{name}: {info['license']}"
        assert info["files"], f"{name} has no licence file"
        for file in info["files"]:
            text = (assets.VENDOR / file).read_text(encoding="utf-8")
            assert re.search(r"MIT License|Apache License|Permission is hereby granted", text), file


def test_the_bundle_is_one_classic_script_the_page_policy_allows() -> None:
    js = assets.vis_network_js()
    # The page's Content-Security-Policy has no 'unsafe-eval': nothing may build code from text.
    assert not re.search(r"\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(", js)
    assert not re.search(r"^\s*(?:import|export)\b", js, flags=re.MULTILINE)  # not an ES module
    assert not re.search(r"https?://(?!(?:visjs|github|naver|www\.apache|opensource|almende))", js), (
        "a web address in the code"
    )
    # A property of the global object, so it works inside the live map's function wrapper too.
    assert re.search(r"(\w+)=globalThis\.vis=globalThis\.vis\|\|\{\};Object\.assign\(\1,", js)


def test_the_build_script_builds_from_the_lock_file_and_is_not_run_by_ci() -> None:
    script = (ROOT / "scripts" / "build-vis-network").read_text(encoding="utf-8")
    assert "npm ci" in script and "scripts/vis-network/package-lock.json" in script
    assert "render/vendor" in script
    for runner in ("scripts/test", ".ci/run"):
        path = ROOT / runner
        if path.exists():
            assert "build-vis-network" not in path.read_text(encoding="utf-8")
    assert "node_modules" in (ROOT / ".gitignore").read_text(encoding="utf-8").split("\n") or (
        "node_modules/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    )
