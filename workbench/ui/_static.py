"""The app's own stylesheets and scripts: files in ``ui/static/``, read once per process.

Python keeps no CSS or JavaScript in strings; widgets take their code from here (or, for
anywidget views, from the file's path).

>>> ".wb-status-near" in static_text("status.css")
True
>>> style_html("status.css").startswith("<style>")
True
"""

from __future__ import annotations

from pathlib import Path

from workbench.render.assets import asset_text

__all__ = ["STATIC", "static_text", "style_html"]

#: The folder of the app's static files (shipped inside the package).
STATIC = Path(__file__).parent / "static"


def static_text(name: str) -> str:
    """Return the text of the static file ``name`` (checked to be safe inside ``<style>``/``<script>``)."""
    return asset_text(STATIC / name)


def style_html(*names: str) -> str:
    """Return one ``<style>`` element holding the named stylesheets, in order."""
    return "<style>\n" + "\n".join(static_text(name) for name in names) + "</style>"
