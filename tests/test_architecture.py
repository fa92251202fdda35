"""The project's structure: layers import downwards only, packaging files agree."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"

#: Each layer and the layers of ours it may import (besides errors, _clock, _paths, _text).
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
_BELOW_UI = {"session", "fileformat", "diffing", "model", "templates", "render", "analysis", "export"}
#: The top: the widgets, and the command line with the Voilà launcher. The UI never imports the
#: CLI (nor the package's own ``__init__``, which imports the UI); the CLI never imports the UI.
ALLOWED |= {
    "ui": {"ui", *_BELOW_UI},
    "cli": {"cli", "__init__", *_BELOW_UI},
}
BASE = {"errors", "_clock", "_paths", "_text"}


def _layer(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package).parts
    return rel[0].removesuffix(".py")


def _module_of(path: Path, package: Path) -> list[str]:
    """``workbench/ui/app.py`` -> ``["workbench", "ui", "app"]``; a package's ``__init__`` is the package."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported_layers(path: Path, package: Path = PACKAGE) -> set[str]:
    """The layers (top-level modules or subpackages of ``package``) that ``path`` imports, however
    spelled: ``import workbench.x``, ``from workbench.x import y``, ``from workbench import x``,
    ``from . import x``, ``from ..x import y``; ``import workbench`` / ``from workbench import y``
    where ``y`` is not a module counts as the package itself (``__init__``)."""
    name = package.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_of(path, package)
    is_package = path.name == "__init__.py"
    found = set()

    def add(parts: list[str], names: list[str] | None = None) -> None:
        if not parts or parts[0] != name:
            return
        if len(parts) > 1:
            found.add(parts[1])
        elif names is None:
            found.add("__init__")
        else:  # from workbench import x, y: each a module of the package, or a name from __init__
            for item in names:
                is_module = (package / item).is_dir() or (package / f"{item}.py").is_file()
                found.add(item if is_module else "__init__")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name.split("."))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = (node.module or "").split(".")
            else:
                anchor = here if is_package else here[:-1]
                module = node.module.split(".") if node.module else []
                base = anchor[: len(anchor) - (node.level - 1)] + module
            add(base, None if len(base) > 1 else [alias.name for alias in node.names])
    return found


def _wrong_imports(path: Path, package: Path = PACKAGE) -> set[str]:
    layer = _layer(path, package)
    return _imported_layers(path, package) - ALLOWED[layer] - BASE


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) in ALLOWED),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_lower_layers_never_import_higher_ones(path: Path) -> None:
    wrong = _wrong_imports(path)
    assert not wrong, f"{path.relative_to(ROOT)} ({_layer(path)}) imports higher layers: {sorted(wrong)}"


def test_every_module_of_the_package_has_a_layer() -> None:
    unplaced = {_layer(p) for p in PACKAGE.rglob("*.py")} - set(ALLOWED) - BASE - {"__init__"}
    assert not unplaced, f"modules with no layer in ALLOWED: {sorted(unplaced)}"


# A tiny fake package with the workbench's layout, each module importing upwards in another spelling.
_UPWARD = {
    "fileformat/reader.py": "from ..render import html\n",  # relative, two levels
    "fileformat/writer.py": "from ..render.html import page\n",
    "fileformat/store.py": "from . import reader\nfrom workbench import session\n",  # from workbench import x
    "render/html.py": "import workbench.analysis.trace\n",
    "ui/app.py": "from workbench.cli import main\n",  # the UI importing the CLI
    "ui/panel.py": "from .. import cli\n",
    "model/records.py": "from workbench import load\n",  # a name from the package's __init__
    "cli.py": "from workbench.ui import app\n",
    "session.py": "from .ui.app import App\n",
}
_EXPECTED = {
    "fileformat/reader.py": {"render"},
    "fileformat/writer.py": {"render"},
    "fileformat/store.py": {"session"},
    "render/html.py": {"analysis"},
    "ui/app.py": {"cli"},
    "ui/panel.py": {"cli"},
    "model/records.py": {"__init__"},
    "cli.py": {"ui"},
    "session.py": {"ui"},
}


def test_the_check_catches_upward_imports_however_spelled(tmp_path: Path) -> None:
    package = tmp_path / "workbench"
    for rel, source in _UPWARD.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    (package / "__init__.py").write_text("from workbench.ui.app import App\n", encoding="utf-8")
    for name in ("analysis", "cli.py"):  # the targets exist as modules
        target = package / name
        if target.suffix:
            target.touch(exist_ok=True)
        else:
            target.mkdir(exist_ok=True)
            (target / "__init__.py").touch()
    caught = {rel: _wrong_imports(package / rel, package) for rel in _UPWARD}
    assert caught == _EXPECTED


def test_allowed_imports_pass_in_the_fake_package(tmp_path: Path) -> None:
    package = tmp_path / "workbench"
    (package / "ui").mkdir(parents=True)
    (package / "errors.py").touch()
    session = "from .fileformat import store\nfrom . import errors\n"
    (package / "session.py").write_text(session, encoding="utf-8")
    (package / "ui" / "app.py").write_text("from ..session import EditSession\nfrom . import panel\n",
                                           encoding="utf-8")
    assert _wrong_imports(package / "session.py", package) == set()
    assert _wrong_imports(package / "ui" / "app.py", package) == set()


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


# --- the UI adapts, it does not compute --------------------------------------------------------


def _ui_reaches_below(path: Path, package: Path = PACKAGE) -> set[str]:
    """What a ``ui`` module imports that the UI may not reach: the file format (files are reached
    through ``session``) and private modules or names of other layers (``analysis._phrases``,
    ``_paths``, ``from workbench.render.visdata import _levels``). The UI's own private modules
    (``ui._panel_kit``) are its own business."""
    here = _module_of(path, package)
    anchor = here if path.name == "__init__.py" else here[:-1]
    imports: list[tuple[list[str], list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imports += [(alias.name.split("."), []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module.split(".") if node.module else []
            base = module if node.level == 0 else anchor[: len(anchor) - (node.level - 1)] + module
            imports.append((base, [alias.name for alias in node.names]))

    def is_module(parts: list[str]) -> bool:
        target = package.joinpath(*parts[1:])
        return target.is_dir() or target.with_suffix(".py").is_file()

    wrong = set()
    for parts, names in imports:
        if len(parts) < 1 or parts[0] != package.name:
            continue
        modules = [parts, *([*parts, n] for n in names if is_module([*parts, n]))]
        for mod in modules:
            below = mod[1:]
            private = bool(below) and below[0] != "ui" and any(p.startswith("_") for p in below)
            if below[:1] == ["fileformat"] or private:
                wrong.add(".".join(mod))
        if parts[1:2] not in ([], ["ui"]):
            private_names = [n for n in names if n.startswith("_") and not is_module([*parts, n])]
            wrong |= {".".join([*parts, n]) for n in private_names}
    return wrong


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "ui").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_ui_reaches_only_session_and_public_functions_below(path: Path) -> None:
    wrong = _ui_reaches_below(path)
    where = path.relative_to(ROOT)
    assert not wrong, f"{where} reaches past the session or into private modules: {sorted(wrong)}"


def test_the_ui_rule_catches_the_file_format_and_private_modules(tmp_path: Path) -> None:
    package = tmp_path / "workbench"
    for folder in ("ui", "fileformat", "analysis", "render"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").touch()
    for module in ("analysis/_phrases.py", "fileformat/view.py", "_paths.py", "ui/_kit.py", "session.py"):
        (package / module).touch()
    sources = {
        "a.py": "from workbench.fileformat import load\n",
        "b.py": "from ..fileformat.view import load_view\n",
        "c.py": "from workbench.analysis._phrases import element_phrase\n",
        "d.py": "from workbench import _paths\n",
        "e.py": "from workbench.render.visdata import _levels\n",
        "f.py": "import workbench.fileformat\n",
        "ok.py": "from workbench.session import read_case\nfrom . import _kit\n"
                 "from workbench.ui._kit import esc\nfrom workbench.analysis import trace\n",
    }
    for rel, source in sources.items():
        (package / "ui" / rel).write_text(source, encoding="utf-8")
    caught = {rel: _ui_reaches_below(package / "ui" / rel, package) for rel in sources}
    assert caught == {
        "a.py": {"workbench.fileformat"},
        "b.py": {"workbench.fileformat.view"},
        "c.py": {"workbench.analysis._phrases"},
        "d.py": {"workbench._paths"},
        "e.py": {"workbench.render.visdata._levels"},
        "f.py": {"workbench.fileformat"},
        "ok.py": set(),
    }
