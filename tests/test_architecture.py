"""The project's structure: layers import downwards only, as the README's development tree says,
and packaging files agree.

Every module of ``workbench`` has a layer (its top-level module or package) and may import only
the layers :data:`ALLOWED` lists, however the import is spelled: ``import workbench.x``,
``from workbench.x import y``, ``from workbench import x``, relative imports, ``import_module``
with a literal name. A fake package built in a temporary folder imports, from every layer, every
layer it must not, in every spelling, and the check must reject each one.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"

#: Each layer and the layers of ours it may import (besides errors, _clock, _paths, _text, _values).
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
    "classroom": {"classroom", "session", "fileformat", "diffing", "model", "templates", "render", "analysis",
                  "export", "workspace"},
}
_BELOW_UI = {"classroom", "session", "fileformat", "diffing", "model", "templates", "render", "analysis",
             "export"}
#: The top: the widgets, and the command line with the Voilà launcher. The UI never imports the
#: CLI (nor the package's own ``__init__``, which imports the UI); the CLI never imports the UI:
#: the app launcher (``cli/app.py``) reaches the app only through the notebook it writes, whose
#: one cell calls ``workbench.app``.
ALLOWED |= {
    "ui": {"ui", *_BELOW_UI},
    "cli": {"cli", "__init__", *_BELOW_UI},
}
#: The small helpers every layer may import; they import only each other, downwards too.
BASE = {"errors", "_clock", "_paths", "_text", "_values"}
ALLOWED |= {
    "_text": {"_text"},
    "_clock": {"_clock"},
    "_values": {"_values"},
    "errors": {"errors", "_text"},
    "_paths": {"_paths", "errors", "_text"},
}
#: The package's ``__init__``, the Python API: the layers below, the UI opened lazily; never the CLI.
ALLOWED["__init__"] = {"__init__", "ui", *_BELOW_UI}


def _layer(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package).parts
    return rel[0].removesuffix(".py")


def _module_of(path: Path, package: Path) -> list[str]:
    """``workbench/ui/app.py`` -> ``["workbench", "ui", "app"]``; a package's ``__init__`` is the package."""
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _literal_prefix(node: ast.expr) -> str | None:
    """The text of a string literal, or the literal start of an f-string (``f"workbench.cli.{x}"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def _dynamic_import(node: ast.Call) -> str | None:
    """The module named by ``import_module("...")``, ``importlib.import_module(...)`` or ``__import__``."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name not in ("import_module", "__import__") or not node.args:
        return None
    return _literal_prefix(node.args[0])


def _imported_layers(path: Path, package: Path = PACKAGE) -> set[str]:
    """The layers (top-level modules or subpackages of ``package``) that ``path`` imports, however
    spelled: ``import workbench.x``, ``from workbench.x import y``, ``from workbench import x``,
    ``from . import x``, ``from ..x import y``, ``import_module("workbench.x")``; ``import workbench``
    / ``from workbench import y`` where ``y`` is not a module counts as the package itself
    (``__init__``)."""
    name = package.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_of(path, package)
    is_package = path.name == "__init__.py"
    found = set()

    def add(parts: list[str], names: list[str] | None = None) -> None:
        parts = [part for part in parts if part]  # "workbench.cli." from an f-string
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
        elif isinstance(node, ast.Call) and (target := _dynamic_import(node)) is not None:
            add(target.split("."))
    return found


def _wrong_imports(path: Path, package: Path = PACKAGE) -> set[str]:
    layer = _layer(path, package)
    return _imported_layers(path, package) - ALLOWED[layer] - _base_for(layer)


def _base_for(layer: str) -> set[str]:
    """The helpers ``layer`` may import besides :data:`ALLOWED`: all of them, except in the helpers."""
    return set() if layer in BASE else BASE


def _layers_of(package: Path) -> set[str]:
    """The layers that exist: every top-level module and subpackage of ``package``, and its ``__init__``."""
    return {_layer(p, package) for p in package.rglob("*.py")}


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE.rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_lower_layers_never_import_higher_ones(path: Path) -> None:
    wrong = _wrong_imports(path)
    assert not wrong, f"{path.relative_to(ROOT)} ({_layer(path)}) imports higher layers: {sorted(wrong)}"


def test_every_module_of_the_package_has_a_layer() -> None:
    unplaced = _layers_of(PACKAGE) - set(ALLOWED)
    assert not unplaced, f"modules with no layer in ALLOWED: {sorted(unplaced)}"
    stale = set(ALLOWED) - _layers_of(PACKAGE)
    assert not stale, f"layers in ALLOWED that no longer exist: {sorted(stale)}"


def test_no_two_layers_may_import_each_other() -> None:
    both = {tuple(sorted((a, b))) for a in ALLOWED for b in ALLOWED[a] if a != b and a in ALLOWED.get(b, ())}
    assert not both, f"layers allowed to import each other (a cycle): {sorted(both)}"


def test_the_readme_tree_lists_the_layers_from_the_bottom_up() -> None:
    """The README's development tree names every layer, and no layer imports one listed below it
    (the package's ``__init__``, which ``cli`` uses, is the package itself, not in the tree)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("\nworkbench/\n", 1)[1].split("```", 1)[0]
    named = [m.group(1) for m in re.finditer(r"^  (\w+)(?:/|\.py)\s", block, flags=re.MULTILINE)]
    order = [name for name in named if name not in BASE]  # the layers, bottom first
    assert set(order) | BASE | {"__init__"} == set(ALLOWED), "README tree and ALLOWED disagree"
    assert all(f"{name}.py" in block for name in BASE), "README tree misses a helper"
    for i, layer in enumerate(order):
        above = set(ALLOWED[layer]) - {layer, "__init__"} - _base_for(layer) - set(order[:i])
        assert not above, f"README lists {layer} below {sorted(above)}, which it may import"


# --- the check itself, on a fake package -------------------------------------------------------------


def _fake_package(root: Path) -> Path:
    """A package named ``workbench`` with the real one's layers (each a module or a subpackage)."""
    package = root / "workbench"
    package.mkdir()
    (package / "__init__.py").touch()
    for layer in set(ALLOWED) - {"__init__"}:
        if (PACKAGE / layer).is_dir():
            (package / layer).mkdir()
            (package / layer / "__init__.py").touch()
        else:
            (package / f"{layer}.py").touch()
    return package


def _source_file(package: Path, layer: str) -> tuple[Path, str]:
    """A module of ``layer`` in the fake package, and the dots of a relative import of a sibling layer."""
    if layer == "__init__":
        return package / "__init__.py", "."
    if (package / layer).is_dir():
        return package / layer / "probe.py", ".."
    return package / f"{layer}.py", "."


def _spellings(target: str, dots: str) -> list[str]:
    """Every way to import ``target`` (a layer, or ``__init__``: a name of the package) from a module."""
    if target == "__init__":
        return ["import workbench\n", "from workbench import load\n", f"from {dots} import load\n",
                "import importlib\nimportlib.import_module('workbench')\n"]
    return [
        f"import workbench.{target}\n",
        f"import workbench.{target} as alias\n",
        f"from workbench.{target} import something\n",
        f"from workbench import {target}\n",
        f"from {dots}{target} import something\n",
        f"from {dots} import {target}\n",
        f"if False:\n    from workbench.{target} import something\n",  # e.g. under TYPE_CHECKING
        f"def later():\n    from workbench.{target} import something\n",  # imported when called
        f"from importlib import import_module\nimport_module('workbench.{target}.part')\n",
        f"import importlib\nimportlib.import_module(f'workbench.{target}.{{name}}')\n",
    ]


def test_the_check_rejects_every_forbidden_import_in_every_spelling(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    missed, checked = [], 0
    for layer in sorted(ALLOWED):
        path, dots = _source_file(package, layer)
        forbidden = set(ALLOWED) - ALLOWED[layer] - _base_for(layer)
        for target in sorted(forbidden):
            for source in _spellings(target, dots):
                path.write_text(source, encoding="utf-8")
                checked += 1
                if _wrong_imports(path, package) != {target}:
                    missed.append(f"{layer}: {source.strip()!r}")
        path.write_text("", encoding="utf-8")
    assert not missed, f"upward imports not caught: {missed}"
    assert checked > 800  # every layer has something it must not import (the top ones: each other)


def test_the_check_accepts_every_allowed_import_in_every_spelling(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    refused = []
    for layer in sorted(ALLOWED):
        path, dots = _source_file(package, layer)
        for target in sorted(ALLOWED[layer] | _base_for(layer)):
            for source in _spellings(target, dots):
                path.write_text(source, encoding="utf-8")
                if _wrong_imports(path, package):
                    refused.append(f"{layer}: {source.strip()!r}")
        path.write_text("", encoding="utf-8")
    assert not refused, f"allowed imports refused: {refused}"


# A fake package with the workbench's layout, each module importing upwards in another spelling.
_UPWARD = {
    "fileformat/reader.py": "from ..render import html\n",  # relative, two levels
    "fileformat/writer.py": "from ..render.html import page\n",
    "fileformat/v1/__init__.py": "from ...session import EditSession\n",  # relative, three levels
    "fileformat/store.py": "from . import reader\nfrom workbench import session\n",  # from workbench import x
    "render/html.py": "import workbench.analysis.trace\n",
    "ui/app.py": "from workbench.cli import main\n",  # the UI importing the CLI
    "ui/panel.py": "from .. import cli\n",
    "ui/lazy.py": "import importlib\nimportlib.import_module('workbench.cli.app')\n",
    "model/records.py": "from workbench import load\n",  # a name from the package's __init__
    "cli/commands.py": "from workbench.ui import app\n",  # the CLI importing the UI
    "cli/app.py": "from ..ui.app import App\n",  # the app launcher importing the UI
    "session.py": "from .ui.app import App\n",
    "errors.py": "from workbench.model import Formulation\n",  # a shared helper importing a layer
}
_EXPECTED = {
    "fileformat/reader.py": {"render"},
    "fileformat/writer.py": {"render"},
    "fileformat/v1/__init__.py": {"session"},
    "fileformat/store.py": {"session"},
    "render/html.py": {"analysis"},
    "ui/app.py": {"cli"},
    "ui/panel.py": {"cli"},
    "ui/lazy.py": {"cli"},
    "model/records.py": {"__init__"},
    "cli/commands.py": {"ui"},
    "cli/app.py": {"ui"},
    "session.py": {"ui"},
    "errors.py": {"model"},
}


def test_the_check_catches_upward_imports_however_spelled(tmp_path: Path) -> None:
    package = tmp_path / "workbench"
    for rel, source in _UPWARD.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in [path.parent, *path.parent.parents]:  # every folder on the way is a package
            if parent == tmp_path:
                break
            (parent / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    (package / "__init__.py").write_text("from workbench.ui.app import App\n", encoding="utf-8")
    for name in ("analysis",):  # the targets exist as modules
        (package / name).mkdir(exist_ok=True)
        (package / name / "__init__.py").touch()
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
