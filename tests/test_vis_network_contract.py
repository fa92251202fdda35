"""The vis-network our frontend relies on is 9.1.2, with every API and internal we use.

Our scripts (render/edge_labels.js, render/static/page.js, ui/static/*.js) call vis-network's public
methods and, for speed and for tooltips, reach into some of its private fields. The script is
vendored (``render/vendor/``, built by scripts/build-vis-network from pinned versions); its stylesheet
comes from pyvis, which is bounded in pyproject.toml to the tested versions. These tests read the
very file that ``render/assets.py`` serves and fail when a rebuilt one lacks something we use.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from workbench.render import assets

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"
#: Every script of ours that talks to vis-network.
SCRIPTS = sorted(
    [*(PACKAGE / "render").glob("*.js"), *(PACKAGE / "render" / "static").glob("*.js"),
     *(PACKAGE / "ui" / "static").glob("*.js")]
)



def _method(name: str) -> str:
    """A pattern of a method's definition in the bundle: a class method (``name(e,t){``) or
    babel's ``key:"name"``, whatever the minifier named its parameters."""
    return rf'key:"{name}"|[{{}};]{name}\([\w$,=!.]*\)\{{'


#: Private parts of vis-network we use: (what, a pattern of our use, a pattern of it in the bundle).
#: A row whose use is gone from our scripts fails too, so this list stays true.
INTERNALS = [
    ("network.body: nodes, edges, data, container, emitter", r"network\.body\b",
     r"this\.body=\{container:\w+,nodes:\{\},nodeIndices:\[\],edges:\{\},edgeIndices:\[\],emitter:\{"),
    ("network.body.data (the data sets)", r"\.body\.data\b", re.escape("data:{nodes")),
    ("the redraw request event", r'"_requestRedraw"', re.escape('emitter.on("_requestRedraw"')),
    ("network.edgesHandler.edgesListeners.update", r"edgesListeners\.update",
     re.escape("this.edgesListeners={add:")),
    ("edge.labelModule and its text size", r"\.labelModule\b", re.escape("this.labelModule=")),
    ("labelModule.getTextSize", r"\.getTextSize\(", _method("getTextSize")),
    ("edge.edgeType (its curve)", r"\.edgeType\.getPoint\(", re.escape("this.edgeType=")),
    ("edgeType.getPoint", r"\.getPoint\(", _method("getPoint")),
    ("edge.globalOptions", r"\.globalOptions\b", re.escape("this.globalOptions=")),
    ("node.shape.boundingBox (`sh = node.shape`)", r"\bsh\.boundingBox\b",
     re.escape("this.boundingBox={top:0")),
    ("edge.disconnect / connect", r"\.disconnect\(\)", _method("disconnect")),
    ("edge label scaling drawThreshold", r"drawThreshold", re.escape("scaling.label.drawThreshold")),
    ("network.interactionHandler.popup (the tooltip)", r"handler\.popup\b", re.escape("this.popup=")),
    ("interactionHandler.popupObj", r"\.popupObj\b", re.escape("this.popupObj=")),
    # map_build.js: what setData does, in slices
    ("nodesHandler / edgesHandler.create (one item)", r"Handler\.create\(", _method("create")),
    ("network.nodesHandler.nodesListeners", r"nodesHandler\.nodesListeners",
     re.escape("this.nodesListeners={add:")),
    ("node.resize (its label measured)", r"node\.resize\(", _method("resize")),
    ("layoutEngine.positionInitially", r"\.positionInitially\(", _method("positionInitially")),
    ("layoutEngine.setupHierarchicalLayout", r"\.setupHierarchicalLayout\(",
     _method("setupHierarchicalLayout")),
    ("layoutEngine.options.hierarchical", r"layoutEngine\.options\.hierarchical",
     re.escape("hierarchical:{enabled:!1")),
    ("the data events", r'"_dataLoaded"', re.escape('emitter.on("_dataLoaded"')),
    ("the data changed event", r'"_dataChanged"', re.escape('emitter.on("_dataChanged"')),
    ("the initial fit event", r'"initPhysics"', re.escape('emitter.on("initPhysics"')),
    ("the links' layered curves event", r'"_adjustEdgesForHierarchicalLayout"',
     re.escape('emitter.on("_adjustEdgesForHierarchicalLayout"')),
    ("redraws blocked and allowed", r'"_blockRedraw"', re.escape('emitter.on("_blockRedraw"')),
    ("redraws allowed again", r'"_allowRedraw"', re.escape('emitter.on("_allowRedraw"')),
    # map_frames.js wbQuickDrag: the links that stay drawn once per drag
    ("renderer._drawEdges / _drawArrows (the links drawn under and over the elements)",
     r"renderer\._drawEdges\b",
     r'(?:key:"_drawArrows",value:function|[{};]_drawArrows)\(\w+\)\{'
     r'(?:for\(var|let) \w+=this\.body\.edge'),
    ("renderer.dragging (an element or the view is being dragged)", r"renderer\.dragging\b",
     re.escape("this.dragging=!1")),
    ("interactionHandler.drag.selection (the elements being dragged)", r"\.drag\.selection\b",
     re.escape("this.drag.dragging=!0,this.drag.selection=[]")),
    ("edge.draw / edge.drawArrows", r"\.drawArrows\(",
     r'this\.drawLabel\((\w+),(\w+)\)\}(?:\}\},\{key:"|)drawArrows\b'),
    ("node.edges (the links of an element)", r"node\.edges\b", re.escape("this.edges=[],this.id=void 0")),
    ("node.distanceToBorder, asked for where a link stops (set on elements with a label below)",
     r"\.distanceToBorder\b",
     r'distanceToBorder(?:",value:function)?\((\w+),(\w+)\)\{'
     r'return this\.shape\.distanceToBorder\(\1,\2\)\}'),
    ("edge.fromId / toId", r"\.fromId\b", re.escape("this.fromId=void 0,this.toId=")),
    ("labelModule.fontOptions (the font size)", r"\.fontOptions\b", re.escape("this.fontOptions={}")),
    # map_build.js: physics not ready while a map is built (as setData), so nothing draws in a slice
    ("physics reset while a map is built, as setData does", r'"resetPhysics"',
     re.escape('emitter.on("resetPhysics",()=>{this.stopSimulation(),this.ready=!1})')),
    ("physics.ready (put back when a build is cancelled)", r"physics\.ready\b", re.escape("this.ready=!1")),
    # map_canvas.js wbQuickArrows / wbDrawAhead: arrow ends kept per link, the first draw done ahead
    ("renderer._drawArrows (each link keeps its arrow ends from then on)", r"renderer\._drawArrows\s*=",
     r'(?:key:"_drawArrows",value:function|[{};]_drawArrows)\(\w+\)\{'
     r'(?:for\(var|let) \w+=this\.body\.edge'),
    ("edgeType.getArrowData(ctx, position, via, selected, hover, values), reading values.width first",
     r"\.getArrowData\b",
     r'getArrowData(?:",value:function)?\((\w+),(\w+),\w+,\w+,\w+,(\w+)\)\{(?:let|var) [\w$,]+=\3\.width;'
     r'\2==="from"\?'),
    ("shape.resize(ctx) (what distanceToBorder does first)", r"shape\.resize\(", _method("resize")),
    ("node.draw's drawExternalLabel (a label under its symbol)", r"\.drawExternalLabel\b",
     re.escape("drawExternalLabel:()=>{")),
    ("edge.connected", r"\.connected\b", re.escape("this.connected=this.from!==void 0&&this.to!==void 0")),
    # graph_view.js afterEdit: a changed element measured before it is drawn
    ("node.updateBoundingBox (its label measured, its box set)", r"\.updateBoundingBox\(",
     _method("updateBoundingBox")),
    # graph_view.js drawEditAhead: an edit's links drawn ahead only while nothing else holds the draw
    ("renderer.allowRedraw (false while draws are held: _blockRedraw)", r"renderer\.allowRedraw\b",
     re.escape("this.allowRedraw=!0")),
    ("renderer.redrawRequested (a frame asked for, still to come)", r"renderer\.redrawRequested\b",
     re.escape("this.redrawRequested=!1")),
    # map_canvas.js wbOneFrameDue: one frame asked for at a time (a redraw while physics is off)
    ("renderer._requestNextFrame, called on the renderer by _requestRedraw while renderingActive is false",
     r"renderer\._requestNextFrame\b",
     re.escape("this.renderingActive===!1&&this.allowRedraw===!0&&(this.redrawRequested=!0,"
               "this._requestNextFrame(()=>{this._redraw(!1)}")),
    ("_allowRedraw forgets a frame asked for (why wbOneFrameDue is needed)", r'"_allowRedraw"',
     re.escape('on("_allowRedraw",()=>{this.allowRedraw=!0,this.redrawRequested=!1}')),
    # map_frames.js wbDrawInView: a link out of view not drawn, its label's place kept as drawLabel sets it
    ("edgeType.getViaNode (a curve's control points)", r"\.getViaNode\(", _method("getViaNode")),
    ("labelModule.differentState / calculateLabelSize (where Label.draw puts a label)",
     r"\.calculateLabelSize\(", r"this\.calculateLabelSize\((\w+),(\w+),(\w+),(\w+),(\w+),(\w+)\),"
     r"this\._drawBackground\(\1\)"),
    ("labelModule.elementOptions.scaling.label.drawThreshold (a label too small is not drawn)",
     r"\.elementOptions\.scaling\b",
     r"this\.elementOptions\.label&&\w+<this\.elementOptions\.scaling\.label\.drawThreshold-1"),
    ("body.view.scale", r"body\.view\.scale\b", re.escape("view:{scale:1,translation:{x:0,y:0}}")),
    ("a dashed line sets round ends before it saves the canvas's state (they stay set)",
     r'lineCap = "round"',
     r'_drawDashedLine(?:",value:function)?\((\w+),\w+,\w+,\w+,\w+\)\{\1\.lineCap="round"'),
    ("edgeType._bezierCurve (a curve's line: the path, its background, shadow and stroke)",
     r"\._bezierCurve\b", _method("_bezierCurve")),
]


@pytest.fixture(scope="module")
def bundle() -> str:
    return assets.vis_network_js()


@pytest.fixture(scope="module")
def ours() -> str:
    """Our scripts without their comments (a comment naming a vis-network field is not a use of it)."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in SCRIPTS)
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    return re.sub(r"(^|\s)//.*$", r"\1", code, flags=re.M)


def test_the_bundle_is_the_vis_network_version_we_name(bundle: str) -> None:
    assert re.search(r"@version\s+" + re.escape(assets.VIS_NETWORK_VERSION) + r"\b", bundle[:1000])
    assert assets.vis_network_dir().name == "vis-" + assets.VIS_NETWORK_VERSION


def test_the_library_exports_network_and_data_set(bundle: str, ours: str) -> None:
    assert "globalThis.vis=" in bundle  # scripts/vis-network/entry.js
    for name in ("Network", "DataSet"):
        assert f"vis.{name}" in ours
        # {..., Network: ...} in entry.js's names (the whole list: test_vendored_vis_network_browser.py)
        assert re.search(rf"[{{,]{name}:[\w$]+[,}}]", bundle), f"vis-network no longer exports {name}"


def test_every_network_method_we_call_exists(bundle: str, ours: str) -> None:
    called = set(re.findall(r"\bnetwork\.([A-Za-z_$][\w$]*)\s*\(", ours))
    assert {"getPositions", "redraw", "fit", "on", "once"} <= called  # the scan finds our calls
    missing = {
        name for name in called
        if not re.search(rf"{_method(name)}|\.{re.escape(name)}=function\b", bundle)
    }
    assert not missing, f"vis-network {assets.VIS_NETWORK_VERSION} lacks the methods {sorted(missing)}"


def test_every_network_field_we_read_exists(bundle: str, ours: str) -> None:
    fields = set(re.findall(r"\bnetwork\.([A-Za-z_$][\w$]*)\b(?!\s*\()", ours))
    fields = {name for name in fields if not name.startswith("wb")}  # our own, set by edge_labels.js
    assert {"body", "edgesHandler", "interactionHandler", "canvas"} <= fields
    missing = {name for name in fields if f"this.{name}=" not in bundle}
    assert not missing, f"vis-network {assets.VIS_NETWORK_VERSION} lacks the fields {sorted(missing)}"


def test_every_event_we_listen_to_is_emitted(bundle: str, ours: str) -> None:
    events = set(re.findall(r"\.(?:on|once|off)\(\s*\"(\w+)\"", ours))
    assert {"afterDrawing", "click", "dragEnd", "hoverEdge", "blurEdge", "update"} <= events
    missing = {name for name in events if f'"{name}"' not in bundle}
    assert not missing, f"vis-network {assets.VIS_NETWORK_VERSION} emits none of {sorted(missing)}"


@pytest.mark.parametrize(("what", "use", "needle"), INTERNALS, ids=[row[0] for row in INTERNALS])
def test_the_internals_we_use_are_still_there(bundle: str, ours: str, what: str, use: str,
                                              needle: str) -> None:
    assert re.search(use, ours), f"Our scripts no longer use {what}: remove it from INTERNALS"
    assert re.search(needle, bundle), (
        f"vis-network {assets.VIS_NETWORK_VERSION} changed: {what} ({needle!r}) is gone"
    )


def test_pyvis_is_bounded_to_the_tested_versions() -> None:
    deps = _pyproject_requirements()
    allowed = deps["pyvis"]
    assert "0.3.2" in allowed, "the version tested must stay allowed"
    for newer in ("0.3.3", "0.4.0", "1.0.0"):
        assert newer not in allowed, f"pyvis {newer} is untested: its vis-network may differ"
    assert "0.3.0" not in allowed  # ships vis-network 9.0.4 only


def test_environment_yml_has_the_same_version_bounds_as_pyproject() -> None:
    conda: dict[str, SpecifierSet] = {}
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in re.findall(r"^\s+- ([A-Za-z][^\s#]*)", env, flags=re.MULTILINE):
        name, spec = re.match(r"([A-Za-z0-9_.-]+)(.*)", line).groups()  # type: ignore[union-attr]
        if name not in ("python", "pip"):
            conda[name.lower()] = SpecifierSet(spec)
    for name, spec in _pyproject_requirements().items():
        assert conda.get(name) == spec, f"environment.yml {name}{conda.get(name)}, pyproject {name}{spec}"


def _pyproject_requirements() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {Requirement(spec).name.lower(): Requirement(spec).specifier for spec in project["dependencies"]}
