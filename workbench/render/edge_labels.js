// Link labels that keep out of the way (shared by the standalone page and the live map).
//
// vis-network draws a link's verb at the middle of the link. After the layout, for every labelled
// link, in order from the shortest: try its own curve, then gentle bends either way, and keep the
// first curve whose label box touches no element (symbol and label) and no label already placed, and
// stays within the area the elements span (else the curve with the least overlap). A label that finds no free place is not drawn
// ("quiet"); it shows while its link is hovered or selected, or an element it joins is selected.
// The verb always stays in the link's tooltip. Nothing here changes the data's `label` field.
//
// Usage: const labels = wbEdgeLabels(network, edgesDataSet); labels.place(); ... labels.refresh();
// `labels.quiet` is the set of link ids whose label is hidden until hover or selection.

function wbEdgeLabels(network, edges) {
  "use strict";
  var PAD = 3; // clearance around boxes, canvas px
  var BENDS = [0.15, 0.3, 0.45, 0.6];
  var HIDDEN = 1e9; // a label is drawn only when size * scale >= drawThreshold - 1
  var quiet = new Set();
  var shown = new Set();
  var hovered = null;

  function globalThreshold() {
    var o = network.body.edges && Object.values(network.body.edges)[0];
    var t = o && o.globalOptions && o.globalOptions.scaling && o.globalOptions.scaling.label;
    return t && t.drawThreshold != null ? t.drawThreshold : 5;
  }

  function box(x, y, w, h) {
    return { left: x - w / 2 - PAD, right: x + w / 2 + PAD, top: y - h / 2 - PAD, bottom: y + h / 2 + PAD };
  }

  function overlap(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? w * h : 0;
  }

  function labelSize(edge) {
    var lm = edge.labelModule;
    if (!lm.size || !lm.size.width) {
      var ctx = network.canvas.getContext();
      lm.getTextSize(ctx, false, false);
    }
    return { w: lm.size.width, h: lm.size.height };
  }

  function place() {
    var body = network.body;
    var nodeBoxes = body.nodeIndices.map(function (id) {
      var b = network.getBoundingBox(id);
      return { left: b.left - PAD, right: b.right + PAD, top: b.top - PAD, bottom: b.bottom + PAD };
    });
    // Labels stay within the area the elements span (what "fit" frames).
    var extent = nodeBoxes.reduce(function (a, b) {
      return { left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
               top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom) };
    }, { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity });
    extent = { left: extent.left - 20, right: extent.right + 20, top: extent.top - 20, bottom: extent.bottom + 20 };
    var pos = network.getPositions();
    var items = edges.get().filter(function (e) {
      return e.label && body.edges[e.id] && pos[e.from] && pos[e.to] && e.from !== e.to;
    });
    items.sort(function (a, b) {
      var la = Math.hypot(pos[a.from].x - pos[a.to].x, pos[a.from].y - pos[a.to].y);
      var lb = Math.hypot(pos[b.from].x - pos[b.to].x, pos[b.from].y - pos[b.to].y);
      return la - lb;
    });
    var placed = [];
    var updates = [];
    var threshold = globalThreshold();
    quiet.clear();
    items.forEach(function (item) {
      var edge = body.edges[item.id];
      var size = labelSize(edge);
      var own = item.smooth && item.smooth.enabled !== false ? item.smooth : null;
      var drawnAs = Object.assign({}, edge.options.smooth); // the curve vis-network draws now
      var candidates = [null]; // null: keep the link as it is
      BENDS.forEach(function (r) {
        candidates.push({ enabled: true, type: "curvedCW", roundness: r });
        candidates.push({ enabled: true, type: "curvedCCW", roundness: r });
      });
      var best = null;
      var moved = false;
      candidates.forEach(function (smooth) {
        if (best && best.cost === 0) return;
        if (smooth && own && own.type === smooth.type && own.roundness === smooth.roundness) return;
        if (smooth) { edges.update({ id: item.id, smooth: smooth }); moved = true; }
        var p = body.edges[item.id].edgeType.getPoint(0.5);
        var b = box(p.x, p.y, size.w, size.h);
        var cost = (b.right - b.left) * (b.bottom - b.top) - overlap(b, extent);
        nodeBoxes.forEach(function (n) { cost += overlap(b, n); });
        placed.forEach(function (o) { cost += overlap(b, o); });
        if (!best || cost < best.cost) best = { cost: cost, smooth: smooth, box: b };
      });
      var chosen = best.smooth || (moved ? own || drawnAs : null);
      if (chosen && moved) edges.update({ id: item.id, smooth: chosen });
      var hide = best.cost > 4 * PAD * PAD;
      if (hide) quiet.add(item.id);
      else placed.push(best.box);
      updates.push({ id: item.id, scaling: { label: { drawThreshold: hide ? HIDDEN : threshold } } });
    });
    if (updates.length) edges.update(updates);
    shown.clear();
    refresh();
    return quiet;
  }

  // Show the quiet labels of the hovered or selected links, and of the links of a selected element.
  function refresh() {
    var want = new Set();
    var sel = network.getSelection();
    (sel.edges || []).forEach(function (id) { want.add(id); });
    (sel.nodes || []).forEach(function (id) {
      network.getConnectedEdges(id).forEach(function (e) { want.add(e); });
    });
    if (hovered) want.add(hovered);
    var threshold = globalThreshold();
    var changes = [];
    quiet.forEach(function (id) {
      var on = want.has(id);
      if (on !== shown.has(id)) {
        if (on) shown.add(id); else shown.delete(id);
        changes.push({ id: id, scaling: { label: { drawThreshold: on ? threshold : HIDDEN } } });
      }
    });
    if (changes.length) edges.update(changes);
  }

  // After the user moves an element, find the labels new places around it.
  network.on("dragEnd", function (p) { if (p.nodes && p.nodes.length) place(); });
  network.on("hoverEdge", function (p) { hovered = p.edge; refresh(); });
  network.on("blurEdge", function () { hovered = null; refresh(); });
  // vis-network sends no blurEdge when the pointer leaves the map straight from a link.
  network.body.container.addEventListener("mouseleave", function () {
    if (hovered) { hovered = null; refresh(); }
  });
  ["select", "deselectNode", "deselectEdge"].forEach(function (name) {
    network.on(name, function () { refresh(); });
  });

  return { place: place, refresh: refresh, quiet: quiet };
}
