"""The frontend as files: scripts and stylesheets live in static files, shipped, loaded and linted.

Python keeps markup and data only; the JavaScript and CSS are files in ``render/static/``,
``export/static/`` and ``ui/static/`` (plus ``render/edge_labels.js``), read by ``render/assets.py``,
inside the wheel, and checked by the pinned linters in package.json (run by scripts/lint-frontend
from scripts/test).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from workbench.errors import RenderError
from workbench.model import Formulation
from workbench.render import assets
from workbench.render.html import render_html
from workbench.ui._panel_kit import panel_style

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"
FRONTEND = sorted([*PACKAGE.rglob("*.js"), *PACKAGE.rglob("*.css")])

#: Modules that still hold page code in strings, each with who moves it (issue 9, item 2): none.
STILL_IN_STRINGS: set[str] = set()

_CSS_RULE = re.compile(r"[.#]?[\w-]+(?:[ >+~.:#\w-]*)\s*\{\s*[\w-]+\s*:[^{}]*;?\s*\}")
_JS_CODE = re.compile(r"\bfunction\s*\(|\baddEventListener\(|document\.(?:getElementById|createElement)\(")


def test_the_standalone_page_inlines_its_static_files() -> None:
    page = render_html(Formulation.new(case_id="C-1"))
    assert assets.page_js() in page and assets.page_css() in page
    assert assets.page_js() == (PACKAGE / "render" / "static" / "page.js").read_text(encoding="utf-8")
    assert "window.workbench" in assets.page_js() and ".wb-legend" in assets.page_css()


def test_the_app_and_panel_styles_come_from_their_files(tmp_path: Path) -> None:
    from workbench.ui.app import App

    app_css = (PACKAGE / "ui" / "static" / "app.css").read_text(encoding="utf-8")
    status_css = (PACKAGE / "ui" / "static" / "status.css").read_text(encoding="utf-8")
    panels_css = (PACKAGE / "ui" / "static" / "panels.css").read_text(encoding="utf-8")
    app = App(None, folder=tmp_path)
    try:
        assert app._style.value == f"<style>\n{app_css}\n{status_css}</style>"
    finally:
        app.close()
    assert panel_style().value == f"<style>\n{panels_css}\n{status_css}</style>"


def _docstring(node: ast.AST) -> ast.Constant | None:
    """The docstring's node of a module, class or function, if it has one."""
    body = getattr(node, "body", None)
    if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
        first = body[0]
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value
    return None


def test_no_module_keeps_css_or_javascript_in_strings() -> None:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(_docstring(node)) for node in ast.walk(tree)} - {id(None)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue  # prose that may mention "function (" is not page code
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if len(text) > 120 and (_CSS_RULE.search(text) or _JS_CODE.search(text)):
                found.setdefault(name, node.lineno)
    assert set(found) <= STILL_IN_STRINGS, f"CSS or JavaScript in Python strings: {found}"


def test_no_markup_in_python_has_an_inline_event_handler() -> None:
    handler = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and handler.search(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, f"inline event handlers (CSP-unfriendly): {found}"
    assert handler.search('<img src="x" onerror="go()">') and not handler.search("<b>one=1</b>")


def test_the_checks_catch_css_and_javascript_in_strings() -> None:
    assert _CSS_RULE.search(".wb-x .y { color: #111; font-size: 12px; }")
    assert _CSS_RULE.search("@keyframes a { from { background: #fff; } }")
    assert _JS_CODE.search('(function () { document.getElementById("x"); })()')
    assert not _CSS_RULE.search("Evidence {session 2}: the client said 'no'.")


def test_a_missing_static_file_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"^The page cannot be drawn because gone\.js is missing"):
        assets.asset_text(tmp_path / "gone.js")


@pytest.mark.parametrize("closing", ["</script>", "</STYLE >"])
def test_a_static_file_that_would_close_its_element_is_refused(tmp_path: Path, closing: str) -> None:
    path = tmp_path / "bad.js"
    path.write_text(f'var x = "{closing}";\n', encoding="utf-8")
    with pytest.raises(RenderError, match="closing tag"):
        assets.asset_text(path)


def test_every_frontend_file_is_shipped_in_the_wheel() -> None:
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    wheel = build["targets"]["wheel"]
    assert wheel["packages"] == ["workbench"] and "exclude" not in wheel and "exclude" not in build
    # hatchling leaves out what git ignores
    names = [str(path.relative_to(ROOT)) for path in FRONTEND]
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    ignored = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    if ignored.returncode not in (0, 1):
        pytest.skip("not a git checkout")
    assert ignored.stdout.split() == []


def test_the_linters_are_pinned_exactly_and_locked() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    tools = package["devDependencies"]
    assert tools["eslint"].startswith("9.")
    for name, version in tools.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert lock["packages"][""]["devDependencies"] == tools
    assert "node_modules/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_the_test_script_runs_the_frontend_lint() -> None:
    test = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    lint = (ROOT / "scripts" / "lint-frontend").read_text(encoding="utf-8")
    assert "bash scripts/lint-frontend" in test and "apt_install npm" in test
    assert "npm ci --no-audit --no-fund" in lint
    assert "eslint --max-warnings 0 workbench" in lint and "stylelint --max-warnings 0" in lint


def _eslint() -> Path:
    tool = ROOT / "node_modules" / ".bin" / "eslint"
    if not tool.exists() or shutil.which("node") is None:
        pytest.skip("the JavaScript linters are not installed (bash scripts/lint-frontend installs them)")
    return tool


def _lint_js(code: str, name: str) -> str:
    out = subprocess.run(
        [str(_eslint()), "--stdin", "--stdin-filename", name, "--format", "json"],
        cwd=ROOT, input=code, capture_output=True, text=True, timeout=300,
    )
    return " ".join(m["ruleId"] or m["message"] for m in json.loads(out.stdout)[0]["messages"])


def test_eslint_keeps_clinical_text_out_of_html_and_code() -> None:
    bad = (
        "export function show(el, label) {\n"
        "  el.innerHTML = label;\n"
        '  el.insertAdjacentHTML("beforeend", label);\n'
        '  setTimeout("redraw()", 10);\n'
        '  el.setAttribute("onclick", "go()");\n'
        "  return label == 1 ? undefinedThing : label;\n"
        "}\n"
    )
    found = _lint_js(bad, "workbench/ui/static/probe.js")
    assert found.split().count("no-restricted-syntax") == 3
    for rule in ("no-implied-eval", "eqeqeq", "no-undef"):
        assert rule in found
    good = 'export function show(el, label) { el.textContent = label; return label === null; }\n'
    assert _lint_js(good, "workbench/ui/static/probe.js") == ""


def test_eslint_knows_the_shared_functions_and_vis() -> None:
    view = "export default { render() { return [wbEdgeLabels, wbPlacement, wbMapLinking, vis]; } };\n"
    assert _lint_js(view, "workbench/ui/static/graph_view.js") == ""
    assert "no-undef" in _lint_js(view, "workbench/ui/static/element_picker.js")
    unused = "function wbPlacement() {}\nfunction helper() {}\n"
    assert _lint_js(unused, "workbench/ui/static/map_placement.js") == "no-unused-vars"
