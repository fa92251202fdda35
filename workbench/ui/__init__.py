"""The app: ipywidgets and anywidget panels over an EditSession (thin; the logic lives below)."""
