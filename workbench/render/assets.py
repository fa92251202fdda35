"""The vis-network library, read from the installed pyvis package (never from a CDN).

pyvis ships vis-network 9.1.2 in ``pyvis/templates/lib/vis-9.1.2/``. The
standalone page inlines it and the live graph widget loads it once; both take it
from here. The files are read once per process.

>>> "vis-network" in vis_network_js()[:200]
True
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from workbench.errors import RenderError

__all__ = ["VIS_NETWORK_VERSION", "edge_labels_js", "vis_network_css", "vis_network_dir", "vis_network_js"]

#: The vis-network version taken from pyvis.
VIS_NETWORK_VERSION = "9.1.2"

_JS = "vis-network.min.js"
_CSS = "vis-network.css"


def vis_network_js() -> str:
    """Return the vis-network JavaScript (standalone UMD build, defines ``vis``)."""
    return _read(_JS)


def vis_network_css() -> str:
    """Return the vis-network stylesheet (tooltips, manipulation toolbar)."""
    return _read(_CSS)


@lru_cache(maxsize=1)
def edge_labels_js() -> str:
    """Return our script that keeps link labels off elements and each other (``wbEdgeLabels``).

    Shared by the standalone page and the live map; a plain script defining one function.
    """
    return (Path(__file__).parent / "edge_labels.js").read_text(encoding="utf-8")


def vis_network_dir() -> Path:
    """Return the folder of the vis-network files inside the installed pyvis package."""
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
    if "</script" in text.lower() or "</style" in text.lower():
        raise RenderError(f"{name} in the pyvis package contains a closing tag and cannot be inlined safely.")
    return text
