"""The project's structure: layers import downwards only, packaging files agree."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"

#: Each layer and the layers of ours it may import (besides errors, _clock, _paths).
ALLOWED = {
    "model": {"model", "templates"},
    "templates": {"templates"},
    "diffing": {"diffing", "model", "templates"},
    "fileformat": {"fileformat", "diffing", "model", "templates"},
    "render": {"render", "model", "templates", "diffing"},
    "analysis": {"analysis", "model", "templates", "diffing"},
    "export": {"export", "analysis", "render", "fileformat", "diffing", "model", "templates"},
    "session": {"session", "fileformat", "diffing", "model", "templates", "render", "analysis", "export"},
    "workspace": {"workspace"},
}
BASE = {"errors", "_clock", "_paths"}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0].removesuffix(".py")


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "workbench" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in ALLOWED),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_lower_layers_never_import_higher_ones(path: Path) -> None:
    layer = _layer(path)
    wrong = _imported_layers(path) - ALLOWED[layer] - BASE
    assert not wrong, f"{path.relative_to(ROOT)} ({layer}) imports higher layers: {sorted(wrong)}"


def test_model_imports_no_ui_or_io_libraries() -> None:
    banned = {"ipywidgets", "anywidget", "pyvis", "json", "os", "pathlib", "io", "shutil", "fcntl"}
    for path in (PACKAGE / "model").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        modules |= {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not modules & banned, f"{path.name} imports {sorted(modules & banned)}"


def _dependency_names(specs: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].lower() for spec in specs}


def test_environment_yml_matches_pyproject_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    conda_names = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+)", env, flags=re.MULTILINE))
    missing = _dependency_names(project["dependencies"]) - {n.lower() for n in conda_names}
    assert not missing, f"environment.yml lacks: {sorted(missing)}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in readme
    assert "bash scripts/test" in ci
