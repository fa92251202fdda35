"""Drawing formulations: vis-network data (shared with the live widget) and offline, escaped HTML.

- :mod:`workbench.render.visdata`: formulation -> nodes, edges, options, legend (plain text only);
- :mod:`workbench.render.assets`: the vis-network script (vendored) and stylesheet (from pyvis);
- :mod:`workbench.render.html`: :func:`render_html`, a standalone page that makes no request;
- :mod:`workbench.render.mapdata`: the live map's options, link rules and patches after edits;
- :mod:`workbench.render.diffstyle`: diff marks (added, changed, removed) drawn over the items' style;
- :mod:`workbench.render.compare_map`: the merged map of two formulations, each item marked by its side;
- :mod:`workbench.render.text`: times and missing values as people read them.
"""

from workbench.render.assets import vis_network_css, vis_network_js
from workbench.render.html import render_html, to_pyvis_network
from workbench.render.visdata import (
    edge_for,
    legend_items,
    link_legend_items,
    network_options,
    node_for,
    vis_data,
)

__all__ = [
    "edge_for",
    "legend_items",
    "link_legend_items",
    "network_options",
    "node_for",
    "render_html",
    "to_pyvis_network",
    "vis_data",
    "vis_network_css",
    "vis_network_js",
]
