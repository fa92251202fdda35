"""The page's scripts and stylesheets, all shipped on this machine (never from a CDN).

- vis-network 9.1.2's script is vendored in ``render/vendor/``: its esnext build and its peers
  bundled for current browsers by ``scripts/build-vis-network`` (no polyfills: about a third of the
  start-up of the standalone build that pyvis ships), with the licences and a record of what went in
  (``vis-network.build.json``) beside it.
- vis-network's stylesheet comes from the installed pyvis package (``pyvis/templates/lib/vis-9.1.2/``).

The standalone page inlines both and the live graph widget loads them once; both take them from
here. Our own JavaScript and CSS live as files (``render/static/``, ``ui/static/``) and are read
with :func:`asset_text`. The files are read once per process.

>>> "@version 9.1.2" in vis_network_js()[:200]
True
"""

from __future__ import annotations

import importlib.util
from functools import cache, lru_cache
from pathlib import Path

from workbench.errors import RenderError

__all__ = [
    "STATIC",
    "VENDOR",
    "VIS_NETWORK_VERSION",
    "asset_text",
    "edge_labels_js",
    "map_build_js",
    "map_canvas_js",
    "page_css",
    "page_js",
    "shared_map_js",
    "vis_network_css",
    "vis_network_dir",
    "vis_network_js",
]

#: The vis-network version: the vendored script's, and pyvis's whose stylesheet we use.
VIS_NETWORK_VERSION = "9.1.2"

#: The standalone page's own script and stylesheet.
STATIC = Path(__file__).parent / "static"

#: The vendored vis-network script, its licences and build record (``scripts/build-vis-network``).
VENDOR = Path(__file__).parent / "vendor"

_JS = "vis-network.min.js"
_CSS = "vis-network.css"


def vis_network_js() -> str:
    """Return the vis-network JavaScript: one classic script that defines the global ``vis``.

    The vendored build in ``render/vendor/`` (vis-network 9.1.2 and its peers, see its
    ``vis-network.build.json``), read once per process.
    """
    return asset_text(VENDOR / _JS)


def vis_network_css() -> str:
    """Return the vis-network stylesheet (tooltips, manipulation toolbar), from the pyvis package."""
    return _read(_CSS)


def edge_labels_js() -> str:
    """Return our script that keeps link labels off elements and each other (``wbEdgeLabels``).

    Shared by the standalone page and the live map; a plain script defining one function.
    """
    return asset_text(Path(__file__).parent / "edge_labels.js")


def map_build_js() -> str:
    """Return our script that puts a large map on the canvas in slices (``wbBuildMap``, ``map_build.js``)."""
    return asset_text(Path(__file__).parent / "map_build.js")


def map_canvas_js() -> str:
    """Return our script that keeps a large map quick to draw (``wbQuickDashes``, ``map_canvas.js``)."""
    return asset_text(Path(__file__).parent / "map_canvas.js")


def shared_map_js() -> str:
    """Return the plain scripts shared by the standalone page and the live map, in their order.

    Each defines functions (``wb...``) for the page's or the widget's own script after them.
    """
    return "\n".join([map_build_js(), edge_labels_js(), map_canvas_js()])


def page_js() -> str:
    """Return the standalone page's script (text tooltips, starts vis-network; ``render/static/page.js``)."""
    return asset_text(STATIC / "page.js")


def page_css() -> str:
    """Return the standalone page's stylesheet (``render/static/page.css``)."""
    return asset_text(STATIC / "page.css")


@cache
def asset_text(path: Path) -> str:
    """Return a script or stylesheet shipped inside the workbench package, read once per process.

    The text is placed inside a ``<script>`` or ``<style>`` element, so it must not close one.

    >>> "wbEdgeLabels" in asset_text(Path(__file__).parent / "edge_labels.js")
    True
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise RenderError(
            f"The page cannot be drawn because {path.name} is missing from the workbench package at "
            f"{path.parent}; reinstall it with: pip install --force-reinstall formulation-workbench"
        ) from None
    _check_inlinable(path.name, text)
    return text


def vis_network_dir() -> Path:
    """Return the folder of pyvis's vis-network files (its stylesheet is ours, its script is not)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RenderError(
            "The graph cannot be drawn because the pyvis package is not installed; "
            "install it with: pip install pyvis"
        )
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "templates" / "lib" / f"vis-{VIS_NETWORK_VERSION}"


@lru_cache(maxsize=4)
def _read(name: str) -> str:
    path = vis_network_dir() / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise RenderError(
            f"The graph cannot be drawn because {name} (vis-network {VIS_NETWORK_VERSION}) is missing "
            f"from the installed pyvis package at {path.parent}; reinstall it with: "
            "pip install --force-reinstall pyvis==0.3.2"
        ) from None
    _check_inlinable(f"{name} in the pyvis package", text)
    return text


def _check_inlinable(what: str, text: str) -> None:
    if "</script" in text.lower() or "</style" in text.lower():
        raise RenderError(f"{what} contains a closing tag and cannot be inlined safely.")
