// Link labels that keep out of the way (shared by the standalone page and the live map).
//
// vis-network draws a link's verb at the middle of the link. After the layout, for every labelled
// link, in order from the shortest: try its own curve, then a straight line and bends either way, and
// keep the first curve whose line runs through no other element (symbol or label) and whose label box
// touches no element and no label already placed, and stays within the area the elements span (else
// the best of them, see better()). A label that finds no free place is not drawn ("quiet"); it shows
// while its link is hovered or selected, or an element it joins is selected. The verb always stays in
// the link's tooltip. Nothing here changes the data's `label` field.
//
// A link's own ends: the label under a diamond, triangle, dot... is drawn over the links on a
// background (render/visdata.py), and an arrow coming through that label stops below it
// (wbBorderWithLabel), so neither the line nor the arrow is drawn over the element's name.
//
// Large maps: the middle of each bend is computed (vis-network's own curve formulas), not drawn, and
// boxes are looked up in a spatial grid, so the cost grows about linearly with the links. The work is
// cut into slices of about SLICE_MS, with the page free in between, and the result is set link by link
// (see applyNow). After an element is dragged, only the labels near it are placed again.
//
// Usage: const labels = wbEdgeLabels(network, edgesDataSet);
//        labels.place(done) (done() runs once every label is placed; `labels.busy` until then) ...
//        labels.placeAround(nodeIds, done, linkIds[, inline]) ... labels.refresh();
//        (inline: a few labels placed at once, before the next draw: see placeAround)
//        labels.apply(changes) sets links' options ([{id, smooth, ...}]) on these links only (no pass
//        over the whole map, no new layout), drawn at the next frame.
// `labels.quiet` is the set of link ids whose label is hidden until hover or selection.

/* global wbLater -- from map_build.js, which comes first wherever this script is used */
/* global wbScratch, wbDrawElement -- from map_canvas.js, which comes with this script wherever it is used */

// An element's box where it is now: its symbol and all of its label's text (canvas units).
// vis-network's own box (network.getBoundingBox) of a symbol with its label below (dot, diamond,
// triangle, hexagon...) stops about half a line plus 4 px short of the label's last line, and keeps
// the label's place from the last time it was drawn large enough to read; so links and their labels
// were placed over such labels. Here the label's box under the symbol is measured where vis-network
// draws it. For the other shapes (label inside), vis-network's box is used; it is measured when the
// element is drawn, and only what is in view is drawn: an element out of view (a zoomed-in live map)
// or moved since may still have the box of an earlier place, or none. Such an element is measured
// on the scratch canvas (wbScratch, map_canvas.js).
var WB_LABEL_BELOW = new Set(["dot", "diamond", "hexagon", "square", "star", "triangle", "triangleDown"]);
function wbElementBox(network, id) {
  "use strict";
  var node = network.body.nodes[id];
  if (!node || !node.shape) return null;
  var sh = node.shape;
  var b = sh.boundingBox;
  var stale = !b || !(b.left <= node.x && node.x <= b.right && b.top <= node.y && node.y <= b.bottom)
    || Math.abs((b.left + b.right) / 2 - node.x) > 1
    // the symbol as drawn (a box moved straight down may still contain its new centre)
    || (typeof sh.top === "number" && typeof sh.height === "number" && Math.abs(sh.top + sh.height / 2 - node.y) > 1);
  var scratch = wbScratch();
  if (stale && scratch && typeof node.draw === "function") {
    wbDrawElement(node, scratch); // a symbol whose label is below it draws the label next
    b = sh.boundingBox;
  }
  if (!b) return null;
  var lm = node.labelModule;
  if (!WB_LABEL_BELOW.has(node.options.shape) || !sh.width || !sh.height) {
    return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
  }
  var out = { left: node.x - sh.width / 2, right: node.x + sh.width / 2,
              top: node.y - sh.height / 2, bottom: node.y + sh.height / 2 };
  if (node.options.label && lm && scratch && typeof lm.calculateLabelSize === "function") {
    // As vis-network's drawExternalLabel: measured at the centre, then placed under the symbol.
    lm.calculateLabelSize(scratch, node.selected, node.hover, node.x, node.y, "hanging");
    var below = node.y + 0.5 * sh.height + 0.5 * lm.size.height;
    lm.calculateLabelSize(scratch, node.selected, node.hover, node.x, below, "hanging");
    var s = lm.size;
    if (s.width > 0 && s.height > 0) {
      out.left = Math.min(out.left, s.left);
      out.right = Math.max(out.right, s.left + s.width);
      out.top = Math.min(out.top, s.top);
      out.bottom = Math.max(out.bottom, s.top + s.height);
    }
  }
  return out;
}

// vis-network's distance from an element's centre to its border, towards where a link comes from
// (`angle` points from there to the centre), for an element whose label hangs under its symbol: as far
// as the far edge of that label (plus a small gap) when the link comes through it, so that its arrow
// stops under the label and is not drawn over the text (or hidden by the label's background). Set on
// such elements by wbEdgeLabels (vis-network asks each element, `node.distanceToBorder(ctx, angle)`).
var WB_LABEL_GAP = 2;
function wbBorderWithLabel(ctx, angle) {
  "use strict";
  var d = this.shape.distanceToBorder(ctx, angle);
  var lm = this.labelModule;
  var sh = this.shape;
  if (!this.options.label || !lm || !lm.size || !(lm.size.width > 0) || !sh.height) return d;
  var ux = -Math.cos(angle); // the way out from the centre
  var uy = -Math.sin(angle);
  if (uy <= 0) return d;
  // The label's box from the centre, as vis-network draws it (drawExternalLabel, "hanging").
  var half = lm.size.width / 2 + WB_LABEL_GAP;
  var top = 0.5 * sh.height + 0.5 * lm.fontOptions.size + 4 - WB_LABEL_GAP;
  var bottom = top + lm.size.height + 2 * WB_LABEL_GAP;
  var enter = top / uy;
  if (Math.abs(ux * enter) > half) return d; // passes beside the label
  var out = bottom / uy;
  if (ux !== 0) out = Math.min(out, half / Math.abs(ux));
  return Math.max(d, out);
}

function wbEdgeLabels(network, edges) {
  "use strict";
  var PAD = 3; // clearance around boxes, canvas px
  var BENDS = [0.15, 0.3, 0.45, 0.6, 0.8, 1];
  var HIDDEN = 1e9; // a label is drawn only when size * scale >= drawThreshold - 1
  var SLICE_MS = 12; // longest stretch of placement work without giving the page back
  var BATCH = 24; // links set again at a time (then the clock is checked)
  var CELL = 160; // grid cell, canvas px
  var CELL_ROW = 1 << 16; // a cell's key: i * CELL_ROW + j (a small number: quicker than a string)
  var ARROW = 9; // how far a link's end stops short of the element's box (the arrow), canvas px
  var quiet = new Set();
  var shown = new Set();
  var hovered = null;
  var run = 0; // the newest placement; an older one still going stops at its next slice
  var api = { place: place, placeAround: placeAround, refresh: refresh, apply: function (changes) {
    applyNow(changes);
  }, quiet: quiet, busy: false };

  function now() { return (typeof performance !== "undefined" ? performance : Date).now(); }

  // Give the page back (events, drawing), then go on (wbLater, from map_build.js).
  var later = wbLater;

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

  // --- a spatial grid of boxes: the overlap of a box with all others, looking only nearby ---
  function Grid() {
    this.cells = new Map();
    this.boxes = [];
    this.stamp = 0;
  }
  Grid.prototype.range = function (b) {
    return [Math.floor(b.left / CELL), Math.floor(b.right / CELL),
            Math.floor(b.top / CELL), Math.floor(b.bottom / CELL)];
  };
  Grid.prototype.add = function (b) {
    var r = this.range(b);
    b.seen = 0;
    this.boxes.push(b);
    for (var i = r[0]; i <= r[1]; i++) {
      for (var j = r[2]; j <= r[3]; j++) {
        var key = i * CELL_ROW + j;
        var cell = this.cells.get(key);
        if (cell) cell.push(b); else this.cells.set(key, [b]);
      }
    }
  };
  // How many boxes the line through `points` crosses, leaving out those of the elements `skipA` and
  // `skipB` (the ends of a link: their symbol is where the line starts and stops).
  Grid.prototype.crossed = function (points, skipA, skipB) {
    var stamp = ++this.stamp;
    var count = 0;
    for (var k = 1; k < points.length; k++) {
      var a = points[k - 1];
      var z = points[k];
      var i0 = Math.floor(Math.min(a.x, z.x) / CELL);
      var i1 = Math.floor(Math.max(a.x, z.x) / CELL);
      var j0 = Math.floor(Math.min(a.y, z.y) / CELL);
      var j1 = Math.floor(Math.max(a.y, z.y) / CELL);
      for (var i = i0; i <= i1; i++) {
        for (var j = j0; j <= j1; j++) {
          var cell = this.cells.get(i * CELL_ROW + j);
          if (!cell) continue;
          for (var n = 0; n < cell.length; n++) {
            var o = cell[n];
            if (o.seen === stamp || o.id === skipA || o.id === skipB) continue;
            if (cuts(a, z, o)) { o.seen = stamp; count += 1; }
          }
        }
      }
    }
    return count;
  };
  Grid.prototype.overlap = function (b, stopAbove) {
    var r = this.range(b);
    var stamp = ++this.stamp;
    var sum = 0;
    for (var i = r[0]; i <= r[1]; i++) {
      for (var j = r[2]; j <= r[3]; j++) {
        var cell = this.cells.get(i * CELL_ROW + j);
        if (!cell) continue;
        for (var k = 0; k < cell.length; k++) {
          var o = cell[k];
          if (o.seen === stamp) continue;
          o.seen = stamp;
          sum += overlap(b, o);
          if (sum > stopAbove) return sum;
        }
      }
    }
    return sum;
  };

  // Whether the straight piece from `a` to `z` runs through box `r` (Liang-Barsky clipping).
  function cuts(a, z, r) {
    var t0 = 0;
    var t1 = 1;
    var dx = z.x - a.x;
    var dy = z.y - a.y;
    // quick: both ends on one outer side of the box
    if ((a.x < r.left && z.x < r.left) || (a.x > r.right && z.x > r.right)
      || (a.y < r.top && z.y < r.top) || (a.y > r.bottom && z.y > r.bottom)) return false;
    for (var s = 0; s < 4; s++) {
      var p = s === 0 ? -dx : s === 1 ? dx : s === 2 ? -dy : dy;
      var q = s === 0 ? a.x - r.left : s === 1 ? r.right - a.x : s === 2 ? a.y - r.top : r.bottom - a.y;
      if (p === 0) { if (q < 0) return false; continue; }
      var t = q / p;
      if (p < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
    return true;
  }

  function labelSize(edge) {
    var lm = edge.labelModule;
    if (!lm.size || !lm.size.width) {
      var ctx = network.canvas.getContext();
      lm.getTextSize(ctx, false, false);
    }
    return { w: lm.size.width, h: lm.size.height };
  }

  // The point where a link ending at `node` and coming from `via` stops (its arrow), as drawn.
  function endPoint(node, via) {
    var dx = via.x - node.x;
    var dy = via.y - node.y;
    var len = Math.hypot(dx, dy) || 1;
    if (!node.shape || typeof node.distanceToBorder !== "function") return { x: node.x, y: node.y };
    // vis-network's own border (the label's too, see wbBorderWithLabel), towards `via`
    var border = node.distanceToBorder(null, Math.atan2(-dy, -dx));
    var reach = Math.min(border + ARROW, len);
    return { x: node.x + dx / len * reach, y: node.y + dy / len * reach };
  }

  // The control point of a link drawn with `smooth` (curvedCW or curvedCCW): vis-network's formulas.
  function bendVia(from, to, smooth) {
    if (smooth.enabled === false) return { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 }; // straight
    var factor = smooth.roundness;
    var dx = to.x - from.x;
    var dy = from.y - to.y;
    var radius = Math.sqrt(dx * dx + dy * dy);
    var turn = smooth.type === "curvedCW" ? 0.5 * factor + 0.5 : -0.5 * factor + 0.5;
    var angle = (Math.atan2(dy, dx) + turn * Math.PI) % (2 * Math.PI);
    return { x: from.x + (0.5 * factor + 0.5) * radius * Math.sin(angle),
             y: from.y + (0.5 * factor + 0.5) * radius * Math.cos(angle) };
  }

  // The middle of a link drawn with `smooth`: the middle of the quadratic curve to where it stops.
  function bendMiddle(from, to, smooth) {
    if (smooth.enabled === false) { // straight: halfway to where it stops
      var stop = endPoint(to, from);
      return { x: (from.x + stop.x) / 2, y: (from.y + stop.y) / 2 };
    }
    var via = bendVia(from, to, smooth);
    var end = endPoint(to, via);
    return { x: 0.25 * from.x + 0.5 * via.x + 0.25 * end.x, y: 0.25 * from.y + 0.5 * via.y + 0.25 * end.y };
  }

  var HIDE_ABOVE = 4 * PAD * PAD; // a label overlapping more than this (px²) is hidden
  var LINE_STEPS = 12; // a link's line is followed in this many straight pieces
  // A link longer than LONG_LINK (canvas px) passes several rows: once LONG_TRIES of its curves ran
  // through an element and its label shows, it keeps the best of them (on a large map such links seldom
  // find a clean curve, and trying every one made the placement several times slower).
  var LONG_LINK = 800;
  var LONG_TRIES = 3;

  // The points of a link's line drawn with `smooth` (null: as it is drawn now), centre to centre.
  function linePoints(edge, from, to, smooth) {
    var points = [];
    var via = smooth ? bendVia(from, to, smooth) : null;
    for (var k = 0; k <= LINE_STEPS; k++) {
      var t = k / LINE_STEPS;
      var u = 1 - t;
      points.push(via ? { x: u * u * from.x + 2 * u * t * via.x + t * t * to.x,
                          y: u * u * from.y + 2 * u * t * via.y + t * t * to.y }
        : edge.edgeType.getPoint(t));
    }
    return points;
  }

  // How many other elements (symbol or label) a link's line through `points` runs through, plus one
  // if it ends in a hook (see hooked). (Its own ends' labels do not count: a label under a symbol is
  // drawn over the links on a background, and arrows stop at its edge, see wbBorderWithLabel.)
  function crossings(points, edge, ng, smooth) {
    return ng.grid.crossed(points, edge.fromId, edge.toId) + (hooked(edge, smooth) ? 1 : 0);
  }

  // Whether a link drawn with `smooth` (null: as now) ends in a hook. vis-network draws a link as one
  // curve to where its arrow stops, with the control points of the whole curve: an arrow stopped well
  // before the element's centre (beside a label below it, wbBorderWithLabel) turns the curve's end by
  // more than 60 degrees. Where it stops is found as vis-network finds it.
  function hooked(edge, smooth) {
    var curve = smooth || edge.options.smooth;
    if (!curve || curve.enabled === false || edge.to.distanceToBorder !== wbBorderWithLabel) return false;
    var from = edge.from;
    var to = edge.to;
    var at; // the whole curve, centre to centre
    var via; // its control point next to `to`
    if (curve.type === "curvedCW" || curve.type === "curvedCCW") {
      var c = bendVia(from, to, curve);
      via = c;
      at = function (t) {
        var u = 1 - t;
        return { x: u * u * from.x + 2 * u * t * c.x + t * t * to.x,
                 y: u * u * from.y + 2 * u * t * c.y + t * t * to.y };
      };
    } else if (curve.type === "cubicBezier") { // vis-network's CubicBezierEdge
      var dx = from.x - to.x;
      var dy = from.y - to.y;
      var r = curve.roundness;
      var across = (Math.abs(dx) > Math.abs(dy) || curve.forceDirection === true
        || curve.forceDirection === "horizontal") && curve.forceDirection !== "vertical";
      var v1 = across ? { x: from.x - r * dx, y: from.y } : { x: from.x, y: from.y - r * dy };
      via = across ? { x: to.x + r * dx, y: to.y } : { x: to.x, y: to.y + r * dy };
      at = function (t) {
        var u = 1 - t;
        var a = u * u * u;
        var b = 3 * u * u * t;
        var d = 3 * u * t * t;
        var e = t * t * t;
        return { x: a * from.x + b * v1.x + d * via.x + e * to.x,
                 y: a * from.y + b * v1.y + d * via.y + e * to.y };
      };
    } else {
      return false;
    }
    var low = 0;
    var high = 1;
    var end = null;
    for (var k = 0; k < 10 && low <= high; k++) { // as vis-network's _findBorderPositionBezier
      var middle = (low + high) / 2;
      end = at(middle);
      var gap = to.distanceToBorder(null, Math.atan2(to.y - end.y, to.x - end.x))
        - Math.hypot(end.x - to.x, end.y - to.y);
      if (Math.abs(gap) < 0.2) break;
      if (gap < 0) low = middle; else high = middle;
    }
    // the line stops behind the arrow's head (vis-network: back along the curve from a bit before)
    var guide = at(Math.max(0, middle - 0.1));
    var back = Math.hypot(end.x - guide.x, end.y - guide.y) || 1;
    end = { x: end.x - ARROW * (end.x - guide.x) / back, y: end.y - ARROW * (end.y - guide.y) / back };
    var ax = to.x - via.x;
    var ay = to.y - via.y;
    var bx = end.x - via.x;
    var by = end.y - via.y;
    return ax * bx + ay * by < 0.5 * Math.hypot(ax, ay) * Math.hypot(bx, by);
  }

  function sameCurve(a, b) {
    if (a && b && a.enabled === false && b.enabled === false) return true;
    return !!a && !!b && a.enabled !== false && b.enabled !== false && a.type === b.type
      && a.roundness === b.roundness;
  }

  var CANDIDATES = [null, { enabled: false }]; // null: keep the link as it is drawn now; then straight
  BENDS.forEach(function (r) {
    CANDIDATES.push({ enabled: true, type: "curvedCW", roundness: r });
    CANDIDATES.push({ enabled: true, type: "curvedCCW", roundness: r });
  });

  // Whether place `a` is better than place `b` (null): a curve through no other element first (a line
  // drawn through a third element's symbol or label seems to join it); then a label that shows; then
  // the fewest elements crossed; then the least overlap.
  function better(a, b) {
    if (!b) return true;
    if ((a.cross > 0) !== (b.cross > 0)) return a.cross === 0;
    if (a.hidden !== b.hidden) return !a.hidden;
    if (a.cross !== b.cross) return a.cross < b.cross;
    return a.cost < b.cost;
  }

  // The best place for one link's label given what is placed (see better): {cost, hidden, smooth,
  // box, cross}: `cost` is the label's overlap (px²; more than HIDE_ABOVE: hidden), `cross` the number
  // of other elements the link's line runs through.
  function bestPlace(item, edge, ng, placed) {
    var nodes = ng.grid;
    var extent = ng.extent;
    var size = labelSize(edge);
    var own = item.smooth && item.smooth.enabled !== false ? item.smooth : null;
    var from = edge.from;
    var to = edge.to;
    var best = null;
    var crossed = 0; // curves tried that run through an element
    var tries = Math.hypot(to.x - from.x, to.y - from.y) > LONG_LINK ? LONG_TRIES : CANDIDATES.length;
    var scratch = wbScratch();
    if (scratch && (ng.fresh.has(edge.fromId) || ng.fresh.has(edge.toId))) {
      // Where the link stops now that its end has a new border: vis-network sets it when it draws the
      // arrows (and puts the verb halfway along the line as drawn), here on a scratch canvas.
      edge.drawArrows(scratch);
    }
    for (var c = 0; c < CANDIDATES.length; c++) {
      var smooth = CANDIDATES[c];
      if (best && !best.hidden && best.cost === 0 && best.cross === 0) break;
      if (smooth && sameCurve(own, smooth)) continue;
      var p = smooth ? bendMiddle(from, to, smooth) : edge.edgeType.getPoint(0.5);
      var b = box(p.x, p.y, size.w, size.h);
      var cost = (b.right - b.left) * (b.bottom - b.top) - overlap(b, extent);
      // Beyond `bound` the overlap cannot win: stop counting there (a shown label's is exact). After
      // a clean curve only a clean one with a better label can win: the label is looked at first.
      var clean = best && best.cross === 0;
      var bound = !best || (best.hidden && !clean) ? Infinity
        : clean ? (best.hidden ? best.cost : Math.min(best.cost, HIDE_ABOVE)) : HIDE_ABOVE;
      if (cost <= bound) cost += nodes.overlap(b, bound - cost);
      if (cost <= bound) cost += placed.overlap(b, bound - cost);
      if (clean && cost >= bound && !(best.hidden && cost <= HIDE_ABOVE)) continue;
      var cross = crossings(linePoints(edge, from, to, smooth), edge, ng, smooth);
      var place = { cost: cost, hidden: cost > HIDE_ABOVE, smooth: smooth, box: b, cross: cross };
      if (better(place, best)) best = place;
      if (cross > 0 && ++crossed >= tries && !best.hidden && best.cross > 0) break;
    }
    return best;
  }

  // The element boxes (symbol and label) in a grid, and the area they span; `add(limit)` puts the
  // next elements in (at most `limit` of them) and says whether all are in. Arrows coming from below
  // into an element whose label hangs under its symbol stop at that label (wbBorderWithLabel): set
  // here, on elements that did not have it yet (`fresh`).
  // With `area` (placeAround), element boxes are measured only where they can touch it: an element
  // whose box as vis-network last drew it (or its place, with room for a label) lies well off the
  // area only counts for the area the elements span, with that box.
  function nodeGrid(body, area) {
    var ROOM = 200; // canvas units: more than a label reaches past vis-network's box
    var ng = { grid: new Grid(), extent: null, add: add, fresh: new Set() };
    var span = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    var ids = body.nodeIndices.slice();
    var index = 0;
    // The box as last drawn; a box not drawn since the element moved is still where it was: its
    // place counts too.
    function roughBox(node) {
      var seen = node.shape && node.shape.boundingBox;
      if (!seen || !(seen.right > seen.left)) return { left: node.x, right: node.x, top: node.y, bottom: node.y };
      return { left: Math.min(seen.left, node.x), right: Math.max(seen.right, node.x),
               top: Math.min(seen.top, node.y), bottom: Math.max(seen.bottom, node.y) };
    }
    function offArea(b) {
      return b.right + ROOM < area.left || b.left - ROOM > area.right
        || b.bottom + ROOM < area.top || b.top - ROOM > area.bottom;
    }
    function add(limit) {
      var end = Math.min(ids.length, index + limit);
      for (; index < end; index++) {
        var id = ids[index];
        var node = body.nodes[id];
        if (!node) continue;
        if (WB_LABEL_BELOW.has(node.options.shape) && node.distanceToBorder !== wbBorderWithLabel) {
          node.distanceToBorder = wbBorderWithLabel;
          ng.fresh.add(id);
        }
        var rough = area ? roughBox(node) : null;
        var far = !!rough && offArea(rough);
        var b = far ? rough : wbElementBox(network, id);
        if (!b) continue;
        var nb = { left: b.left - PAD, right: b.right + PAD, top: b.top - PAD, bottom: b.bottom + PAD, id: id };
        if (!far) ng.grid.add(nb);
        span.left = Math.min(span.left, nb.left);
        span.right = Math.max(span.right, nb.right);
        span.top = Math.min(span.top, nb.top);
        span.bottom = Math.max(span.bottom, nb.bottom);
      }
      if (index < ids.length) return false;
      // Labels stay within the area the elements span (what "fit" frames).
      ng.extent = { left: span.left - 20, right: span.right + 20, top: span.top - 20, bottom: span.bottom + 20 };
      return true;
    }
    return ng;
  }

  function labelled(body, pos, e) {
    return e.label && body.edges[e.id] && pos[e.from] && pos[e.to] && e.from !== e.to;
  }

  // The links to place, from the shortest; `only` (a Set of link ids) limits them. Read from the
  // links on the map (the data set would copy every link); each link's data is read when it is placed.
  function itemsToPlace(body, only) {
    var items = [];
    Object.keys(body.edges).forEach(function (id) { // in the data set's order, as before
      var edge = body.edges[id];
      if ((only && !only.has(edge.id)) || !edge.options.label || edge.fromId === edge.toId) return;
      var a = body.nodes[edge.fromId];
      var b = body.nodes[edge.toId];
      if (!a || !b) return;
      items.push({ id: edge.id, length: Math.hypot(a.x - b.x, a.y - b.y) });
    });
    items.sort(function (a, b) { return a.length - b.length; });
    return items;
  }

  // Place the labels of `items`, with `placed` holding the labels that stay; then `done`. Every
  // part (the element grid, each label, setting the links) goes in slices of about SLICE_MS.
  // `near` (nodeGrid within an area) stands for the grid of all elements when only some labels move.
  // `inline`: all of it now, in this task (a few labels after an edit), and the ends of the links
  // given a new curve found here, so that the next draw is right and the only one.
  function placeItems(items, placed, done, near, inline) {
    var mine = ++run;
    api.busy = true;
    var body = network.body;
    var ng = near || nodeGrid(body);
    var threshold = globalThreshold();
    var updates = [];
    var index = 0;
    var recurved = false; // a link's curve (or an element's border, ng.fresh) changed: draw twice
    var next = inline ? function (step) { step(); } : later;
    var sliced = !inline;

    function grid() {
      if (mine !== run) return;
      var start = now();
      while (!ng.add(sliced ? BATCH : Infinity)) {
        if (now() - start > SLICE_MS) { later(grid); return; }
      }
      next(compute);
    }

    function compute() {
      if (mine !== run) return;
      var start = now();
      while (index < items.length) {
        var edge = body.edges[items[index++].id];
        if (!edge || !edge.from || !edge.to) continue;
        var item = edges.get(edge.id);
        if (!item) continue;
        var best = bestPlace(item, edge, ng, placed);
        var hide = best.hidden;
        if (hide) quiet.add(item.id);
        else { quiet.delete(item.id); placed.add(best.box); }
        var change = { id: item.id };
        var drawn = edge.options.smooth;
        if (best.smooth && !sameCurve(best.smooth, drawn)) { change.smooth = best.smooth; recurved = true; }
        var want = hide ? HIDDEN : threshold;
        var has = item.scaling && item.scaling.label && item.scaling.label.drawThreshold;
        if (has !== want) change.scaling = { label: { drawThreshold: want } };
        if (change.smooth || change.scaling) updates.push(change);
        if (sliced && (index & 3) === 0 && now() - start > SLICE_MS) { later(compute); return; }
      }
      next(apply);
    }

    function apply() {
      if (mine !== run) return;
      var start = now();
      while (updates.length && (inline || now() - start < SLICE_MS)) {
        var batch = updates.splice(0, BATCH);
        applyNow(batch, false);
        measure(batch);
        if (inline) findEnds(batch.filter(function (c) { return c.smooth; }).map(function (c) { return c.id; }));
      }
      if (updates.length) { later(apply); return; }
      network.body.emitter.emit("_requestRedraw"); // once, for all the slices
      // vis-network draws a link's line to where its arrow stopped at the draw before: a link given a
      // new curve (or an element its label's border) is right only from the second draw on (unless
      // its ends were found here, inline).
      if (inline) findEnds(linksOf(Array.from(ng.fresh)));
      else if (recurved || ng.fresh.size) network.once("afterDrawing", function () { network.body.emitter.emit("_requestRedraw"); });
      shown.clear();
      refresh();
      api.busy = false;
      if (done) done(quiet);
    }

    // Links set again have their label measured anew at the next draw (vis-network marks it for
    // that); measured here, a batch at a time, the draw after the placement does not measure them
    // all at once. (The placement changes curves and label scaling, not the labels' text or size.)
    function measure(batch) {
      var ctx = network.canvas.getContext();
      batch.forEach(function (c) {
        var edge = body.edges[c.id];
        if (edge && edge.options.label !== undefined) edge.labelModule.getTextSize(ctx, edge.selected, edge.hover);
      });
    }

    next(grid);
  }

  // Where the links `ids` stop (their arrows), found now as vis-network finds them when it draws the
  // arrows (on a scratch canvas): it draws a link's line to where its arrow stopped at the draw
  // before, so after an element changed size or place, or a link its curve, the next draw is right.
  function findEnds(ids) {
    var scratch = wbScratch();
    if (!scratch) return;
    ids.forEach(function (id) {
      var edge = network.body.edges[id];
      if (edge && edge.connected === true && typeof edge.drawArrows === "function") edge.drawArrows(scratch);
    });
  }

  // The ids of the links of the elements `nodeIds` (on the map).
  function linksOf(nodeIds) {
    var ids = new Set();
    nodeIds.forEach(function (id) {
      var node = network.body.nodes[id];
      if (node) node.edges.forEach(function (e) { ids.add(e.id); });
    });
    return Array.from(ids);
  }

  // Change some links' curve or label scaling, in the data set and on the map. vis-network answers
  // every data-set update with work over all elements and links (tens of ms on a large map) and,
  // for a new kind of curve, with a new layout; here only the links named are set again, and the
  // map is drawn at its next frame (unless `redraw` is false: more changes follow).
  function applyNow(changes, redraw) {
    var handler = network.edgesHandler;
    var onUpdate = handler && handler.edgesListeners && handler.edgesListeners.update;
    if (typeof onUpdate !== "function") { edges.update(changes); return; }
    edges.off("update", onUpdate);
    try { edges.update(changes); } finally { edges.on("update", onUpdate); }
    var body = network.body;
    changes.forEach(function (c) {
      var edge = body.edges[c.id];
      if (!edge) return;
      edge.disconnect();
      edge.setOptions(edges.get(c.id));
      edge.connect();
    });
    if (redraw !== false) body.emitter.emit("_requestRedraw");
  }

  // Place every label anew (after a layout, or after links changed). `done(quiet)` follows.
  function place(done) {
    var body = network.body;
    var items = itemsToPlace(body, null);
    quiet.clear();
    placeItems(items, new Grid(), done);
    return quiet;
  }

  // After elements moved or changed (or links did): place again only the labels of their links,
  // the links named in `linkIds`, and the labels now on those elements; the others stay.
  // `inline` (after an edit, before the map is drawn): the elements' boxes are measured already; the
  // ends of their links are found and, when at most INLINE_LINKS labels move, they are placed now,
  // in this task, so that the edit and its labels are drawn together, in one draw.
  var INLINE_LINKS = 40;
  function placeAround(nodeIds, done, linkIds, inline) {
    if (api.busy) { place(done); return quiet; }
    var body = network.body;
    if (inline) findEnds(linksOf(nodeIds).concat(linkIds || []));
    var redo = new Set(linkIds || []);
    var moved = nodeIds.filter(function (id) { return body.nodes[id]; })
      .map(function (id) { return wbElementBox(network, id); }).filter(Boolean);
    nodeIds.forEach(function (id) {
      if (body.nodes[id]) network.getConnectedEdges(id).forEach(function (e) { redo.add(e); });
    });
    var labels = [];
    var pos = network.getPositions();
    edges.forEach(function (e) {
      if (redo.has(e.id) || !labelled(body, pos, e)) return;
      if (quiet.has(e.id)) return; // a hidden label stays hidden: it may take a free place later
      var edge = body.edges[e.id];
      var size = labelSize(edge);
      var p = edge.edgeType.getPoint(0.5);
      var b = box(p.x, p.y, size.w, size.h);
      if (moved.some(function (m) { return overlap(b, m) > 0; })) redo.add(e.id);
      else labels.push(b);
    });
    var items = itemsToPlace(body, redo);
    var area = reach(items, moved);
    var stay = new Grid();
    labels.forEach(function (b) { if (overlap(b, area) > 0) stay.add(b); });
    placeItems(items, stay, done, nodeGrid(body, area), !!inline && items.length <= INLINE_LINKS);
    return quiet;
  }

  // Where the labels of `items` can go (each link's bends, with room for its label) and the `moved`
  // boxes: only what lies there can touch them (canvas units).
  function reach(items, moved) {
    var area = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    function grow(b) {
      area.left = Math.min(area.left, b.left);
      area.right = Math.max(area.right, b.right);
      area.top = Math.min(area.top, b.top);
      area.bottom = Math.max(area.bottom, b.bottom);
    }
    moved.forEach(grow);
    items.forEach(function (e) {
      var edge = network.body.edges[e.id];
      if (!edge || !edge.from || !edge.to) return;
      var a = edge.from;
      var z = edge.to;
      var size = labelSize(edge);
      // the middle of the boldest bend lies within the link's length of its chord's middle
      var r = Math.hypot(a.x - z.x, a.y - z.y) + size.w + size.h + 2 * PAD;
      grow({ left: Math.min(a.x, z.x) - r, right: Math.max(a.x, z.x) + r,
             top: Math.min(a.y, z.y) - r, bottom: Math.max(a.y, z.y) + r });
    });
    return area;
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
    if (changes.length) applyNow(changes);
  }

  // After the user moves an element, find the labels near it new places.
  network.on("dragEnd", function (p) { if (p.nodes && p.nodes.length) placeAround(p.nodes); });
  network.on("hoverEdge", function (p) { hovered = p.edge; refresh(); });
  network.on("blurEdge", function () { hovered = null; refresh(); });
  // vis-network sends no blurEdge when the pointer leaves the map straight from a link.
  network.body.container.addEventListener("mouseleave", function () {
    if (hovered) { hovered = null; refresh(); }
  });
  ["select", "deselectNode", "deselectEdge"].forEach(function (name) {
    network.on(name, function () { refresh(); });
  });

  network.wbEdgeLabels = api; // for pages and tests that hold only the network
  return api;
}
