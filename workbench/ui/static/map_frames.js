// Large maps, one draw per frame (put before map_placement.js and graph_view.js by graph_view.py).
//
// vis-network answers every change of its data sets with work over all elements and links (edge
// state, clustering, value ranges; with the layered layout on, a whole new layout) and then draws
// the whole map at once, inside the change. Measured at 500 elements on a busy 2-core machine: a
// one-node position update took 55 ms, at 1,000 elements 330 ms; placing 300 elements one by one
// kept the live map busy for over a minute. These helpers keep such work to one pass and one draw:
//
// wbDeferRedraws(network)            every immediate redraw becomes one at the next animation frame
// wbUnobserved(network, dataset, fn) run fn (e.g. a data-set update) with vis-network not listening
// wbSetPositions(network, nodes, moves)  move elements ([{id, x, y}]) in the data and on the map, and
//                                     draw once (no work over the whole map)
// wbLayoutOff(network)               keep positions from now on (layered layout off) without a pass
// wbUpdateItems(network, dataset, items)  a patch's changes to items on the map, without the pass
// wbQuickDrag(network)              while elements are dragged, the links that stay are drawn once
// wbDrawInView(network)             links wholly out of view are not drawn (their label still placed)

/* global wbPicture, wbCopyPicture -- from render/map_canvas.js, joined in before this part */

function wbDeferRedraws(network) {
  const emitter = network.body.emitter;
  // The renderer is the only listener of "_redraw" (vis-network 9); "_requestRedraw" draws at the
  // next frame, once however often it is asked for in between.
  emitter.off("_redraw");
  emitter.on("_redraw", () => emitter.emit("_requestRedraw"));
}

function wbUnobserved(network, dataset, fn) {
  const handler = dataset === network.body.data.nodes ? network.nodesHandler
    : dataset === network.body.data.edges ? network.edgesHandler : null;
  const listeners = handler && (handler.nodesListeners || handler.edgesListeners);
  const events = listeners ? Object.keys(listeners).filter((e) => typeof listeners[e] === "function") : [];
  for (const e of events) dataset.off(e, listeners[e]);
  try {
    return fn();
  } finally {
    for (const e of events) dataset.on(e, listeners[e]);
  }
}

function wbSetPositions(network, nodes, moves) {
  if (!moves.length) return;
  wbUnobserved(network, nodes, () => nodes.update(moves));
  for (const m of moves) {
    const node = network.body.nodes[m.id];
    if (node) {
      node.x = m.x;
      node.y = m.y;
    }
  }
  network.body.emitter.emit("_requestRedraw");
}

// Switch the layered layout off once it has placed everything (positions are kept from then on).
// vis-network's setOptions would first set every element and link anew ("refresh", one pass over the
// whole map, 190 ms at 500 elements on a busy machine), although nothing drawn changes: the layout
// adapted the links' curves and physics to our own options, which stay. So the flag is set directly
// when vis-network has it where expected, else through setOptions.
function wbLayoutOff(network) {
  const engine = network.layoutEngine;
  const hier = engine && engine.options && engine.options.hierarchical;
  if (hier && typeof hier.enabled === "boolean" && network.physics && network.physics.physicsEnabled === false) {
    hier.enabled = false;
    return;
  }
  network.setOptions({ layout: { hierarchical: { enabled: false } }, physics: { enabled: false } });
}


// Change items already on the map (a patch from Python): in the data set and on the map item by
// item, as vis-network's own handler does, but without its pass over the whole map afterwards (its
// clustering, visible items and value ranges, which such a change leaves as they are) and drawn at
// the next frame. A new item, or a change of layer, visibility or value, goes vis-network's way.
function wbUpdateItems(network, dataset, items) {
  const body = network.body;
  const isNodes = dataset === body.data.nodes;
  const onMap = isNodes ? body.nodes : body.edges;
  const plain = (it) => onMap[it.id] && !("hidden" in it) && !("value" in it)
    && !("level" in it && onMap[it.id].options.level !== it.level);
  if (!items.every(plain)) {
    dataset.update(items);
    return;
  }
  wbUnobserved(network, dataset, () => dataset.update(items));
  let structural = false;
  for (const it of items) {
    const item = onMap[it.id];
    if (isNodes) {
      structural = item.setOptions(it) || structural;
    } else {
      item.disconnect();
      structural = item.setOptions(dataset.get(it.id)) || structural;
      item.connect();
    }
  }
  body.emitter.emit(structural ? "_dataChanged" : "_requestRedraw");
}

// Dragging elements on a large map: vis-network draws every link again at each frame of the drag,
// and the canvas rasterises them all again (dashed links above all: most of a frame's 50-100 ms at
// 500 elements on this machine). The links that do not move while elements are dragged are drawn
// once, when the drag starts, into two pictures of the map's size (the lines with their labels, under
// the elements; the arrow heads, over them); each frame of the drag then copies those pictures and
// draws only the links of the dragged elements (and any selected link). The pictures are
// drawn anew when the view, the canvas or any data changes, and dropped when the drag ends.
function wbQuickDrag(network) {
  const renderer = network.renderer;
  const body = network.body;
  const drawEdges = renderer._drawEdges;
  const drawArrows = renderer._drawArrows;
  if (typeof drawEdges !== "function" || typeof drawArrows !== "function" || !network.interactionHandler) return;
  let version = 0; // counts the changes to the data
  const bump = () => { version += 1; };
  body.data.nodes.on("*", bump);
  body.data.edges.on("*", bump);
  body.emitter.on("_dataChanged", bump);
  body.emitter.on("_dataUpdated", bump);
  let layer = null; // { key, lines, arrows, moving }

  function draggingElements() {
    const drag = network.interactionHandler.drag;
    return !!(renderer.dragging && drag && drag.dragging && drag.selection && drag.selection.length);
  }

  // The links drawn at every frame: those of the dragged elements, and any selected one. (A link the
  // pointer passes over while dragging keeps its look in the picture: with it, the pictures would be
  // drawn anew at each link passed, as slowly as without them.)
  function movingLinks() {
    const ids = new Set();
    for (const s of network.interactionHandler.drag.selection) {
      const node = body.nodes[s.id];
      if (node) for (const edge of node.edges) ids.add(edge.id);
    }
    for (const id of body.edgeIndices) {
      if (body.edges[id].selected) ids.add(id);
    }
    return ids;
  }

  function picture(ctx, draw) {
    const pctx = wbPicture(ctx, ctx.getTransform()); // render/map_canvas.js
    draw(pctx);
    return pctx;
  }

  function current(ctx) {
    const moving = movingLinks();
    const m = ctx.getTransform();
    const key = [m.a, m.b, m.c, m.d, m.e, m.f, ctx.canvas.width, ctx.canvas.height, version,
      [...moving].sort().join("\n")].join("|");
    if (layer && layer.key === key) return layer;
    const still = body.edgeIndices.map((id) => body.edges[id]).filter((e) => e.connected === true && !moving.has(e.id));
    layer = {
      key,
      moving,
      lines: picture(ctx, (pctx) => { for (const e of still) e.draw(pctx); }),
      arrows: picture(ctx, (pctx) => { for (const e of still) e.drawArrows(pctx); }),
    };
    return layer;
  }

  function drawMoving(ctx, ids, arrows) {
    for (const id of ids) {
      const edge = body.edges[id];
      if (!edge || edge.connected !== true) continue;
      if (arrows) edge.drawArrows(ctx);
      else edge.draw(ctx);
    }
  }

  renderer._drawEdges = function (ctx) {
    if (!draggingElements()) {
      layer = null;
      return drawEdges.call(this, ctx);
    }
    const now = current(ctx);
    wbCopyPicture(ctx, now.lines); // render/map_canvas.js
    drawMoving(ctx, now.moving, false);
    return undefined;
  };
  renderer._drawArrows = function (ctx) {
    if (!draggingElements() || !layer) return drawArrows.call(this, ctx);
    wbCopyPicture(ctx, layer.arrows);
    drawMoving(ctx, layer.moving, true);
    return undefined;
  };
}

// Links out of view: vis-network draws only the elements in view, but every link, and on a large
// live map (which opens zoomed in, at a readable scale) most links lie wholly out of view: at 500
// elements they were about half of a draw's time (the script and the canvas raster of their dashed
// lines), the draw that shows each edit. A link whose line (the box of its curve's control points,
// which holds the curve) and label lie wholly out of view is not drawn; everything vis-network's
// draw keeps about it stays as drawn: where its label is (worked out, not drawn: pages and tests read
// it) and its arrow ends (its arrows are drawn as before, which is where vis-network finds them, and
// a link's line stops there at the next draw), and what its line leaves set on the canvas (round
// line ends). A selected or hovered link, a link to its own element and a label turned along its
// link are always drawn.
// network.wbDrawInView counts {drawn, skipped} links (and dashed curves `cut` to the view, see
// drawDashedInView); set its `all` to draw every link whole, `cutting` false to draw dashed curves whole.
// Its drawLink(edge, ctx) draws one link as a frame in the current view would (or leaves it out).
function wbDrawInView(network) {
  const renderer = network.renderer;
  const body = network.body;
  const drawEdges = renderer && renderer._drawEdges;
  if (typeof drawEdges !== "function" || network.wbDrawInView) return;
  const stats = (network.wbDrawInView = { drawn: 0, skipped: 0, cut: 0, all: false, cutting: true });
  const MARGIN = 20; // screen px around the view, as vis-network's own for elements

  function view() {
    const canvas = network.canvas;
    const a = canvas.DOMtoCanvas({ x: -MARGIN, y: -MARGIN });
    const z = canvas.DOMtoCanvas({ x: canvas.frame.canvas.clientWidth + MARGIN,
                                   y: canvas.frame.canvas.clientHeight + MARGIN });
    return { left: a.x, top: a.y, right: z.x, bottom: z.y };
  }

  // Whether the link's line or label can reach into `area` (canvas units).
  function reaches(edge, area) {
    const via = edge.edgeType.getViaNode();
    const points = [edge.from, edge.to];
    if (Array.isArray(via)) points.push(...via);
    else if (via && typeof via.x === "number") points.push(via);
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    for (const p of points) {
      left = Math.min(left, p.x);
      right = Math.max(right, p.x);
      top = Math.min(top, p.y);
      bottom = Math.max(bottom, p.y);
    }
    const size = edge.labelModule && edge.labelModule.size;
    const lw = edge.options.width || 1;
    const reach = Math.max(size && size.width ? size.width / 2 : 0, size && size.height ? size.height / 2 : 0)
      + 2 * lw + 2;
    return right + reach >= area.left && left - reach <= area.right
      && bottom + reach >= area.top && top - reach <= area.bottom;
  }

  // What drawing the link's label would leave behind, without drawing it (vis-network's drawLabel
  // and Label.draw): its text measured for the link's state, and its box where it would be drawn.
  function placeLabel(edge, ctx) {
    const lm = edge.labelModule;
    if (edge.options.label === undefined || !lm) return;
    if (lm.differentState(edge.selected, edge.hover)) lm.getTextSize(ctx, edge.selected, edge.hover);
    if (lm.elementOptions.label === undefined) return;
    const scale = body.view.scale;
    if (lm.elementOptions.label && lm.fontOptions.size * scale < lm.elementOptions.scaling.label.drawThreshold - 1) return;
    const point = edge.edgeType.getPoint(0.5, edge.edgeType.getViaNode());
    lm.calculateLabelSize(ctx, edge.selected, edge.hover, point.x, point.y, "middle");
  }

  // A dashed curve that runs out of view: the canvas works out every dash of it, also those out of
  // view (a long link across a large map: thousands), so it costs as much to draw as all its length.
  // Only its part in view is drawn (the same curve, cut where it leaves the view), its dashes started
  // where they fall on the whole curve (lineDashOffset: the length of the curve before that part, as
  // measured here: the canvas measures a curve a little differently, so a cut curve's dashes may lie
  // up to a pixel or so off where the whole curve's fall: at 500 elements 0.1-0.2 % of the pixels).
  function drawDashedInView(edge, ctx, area) {
    const type = edge.edgeType;
    if (typeof type._bezierCurve !== "function") { edge.draw(ctx); return; }
    type._bezierCurve = function (c, values, via1, via2) {
      delete type._bezierCurve; // (the prototype's again)
      const points = [this.fromPoint];
      if (via1 && via1.x != null) points.push(via1);
      if (via1 && via1.x != null && via2 && via2.x != null) points.push(via2);
      points.push(this.toPoint);
      const part = points.length > 2 ? partInView(points, area, values.width || 1) : null;
      if (!part) { this._bezierCurve(c, values, via1, via2); return; }
      if (part.empty) return;
      stats.cut += 1;
      const q = part.points;
      c.beginPath();
      c.moveTo(q[0].x, q[0].y);
      if (q.length === 4) c.bezierCurveTo(q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y);
      else c.quadraticCurveTo(q[1].x, q[1].y, q[2].x, q[2].y);
      c.lineDashOffset = part.before;
      this.drawBackground(c, values);
      this.enableShadow(c, values);
      c.stroke();
      this.disableShadow(c, values);
    };
    try {
      edge.draw(ctx);
    } finally {
      delete type._bezierCurve;
    }
  }

  const STEPS = 64; // points along a curve to find where it is in view
  const LENGTH_STEPS = 512; // straight pieces to measure a curve's length by (per whole curve)

  function at(points, t) { // a quadratic or cubic Bézier curve's point at t
    const u = 1 - t;
    const [a, b, c, d] = points;
    if (!d) return { x: u * u * a.x + 2 * u * t * b.x + t * t * c.x, y: u * u * a.y + 2 * u * t * b.y + t * t * c.y };
    const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
    return { x: w[0] * a.x + w[1] * b.x + w[2] * c.x + w[3] * d.x, y: w[0] * a.y + w[1] * b.y + w[2] * c.y + w[3] * d.y };
  }

  // The control points of the curve from t = 0 to `t` (de Casteljau's left half).
  function upTo(points, t) {
    const out = [];
    let p = points.map((q) => ({ x: q.x, y: q.y }));
    while (p.length) {
      out.push(p[0]);
      const next = [];
      for (let i = 0; i + 1 < p.length; i++) {
        next.push({ x: p[i].x + (p[i + 1].x - p[i].x) * t, y: p[i].y + (p[i + 1].y - p[i].y) * t });
      }
      p = next;
    }
    return out;
  }

  // The part of a curve in `area` (with room for the line's width): null when it is all in view,
  // {empty} when none of it is, else {points (its control points), before (the length before it)}.
  function partInView(points, area, width) {
    const room = 2 * width + 2;
    const inside = (p) => p.x >= area.left - room && p.x <= area.right + room
      && p.y >= area.top - room && p.y <= area.bottom + room;
    let first = -1;
    let last = -1;
    for (let k = 0; k <= STEPS; k++) {
      if (inside(at(points, k / STEPS))) {
        if (first < 0) first = k;
        last = k;
      }
    }
    if (first < 0) return { empty: true };
    const t0 = Math.max(0, (first - 1) / STEPS);
    const t1 = Math.min(1, (last + 1) / STEPS);
    if (t0 === 0 && t1 === 1) return null;
    let before = 0;
    const steps = Math.max(1, Math.ceil(LENGTH_STEPS * t0));
    let p = points[0];
    for (let k = 1; k <= steps; k++) {
      const q = at(points, (t0 * k) / steps);
      before += Math.hypot(q.x - p.x, q.y - p.y);
      p = q;
    }
    const left = upTo(points, t1).reverse(); // the curve from t1 back to 0
    const part = upTo(left, 1 - t0 / t1).reverse(); // from t0 to t1
    return { points: part, before };
  }

  function always(edge) {
    const font = edge.options.font;
    return stats.all || edge.selected || edge.hover || edge.fromId === edge.toId
      || (font && font.align && font.align !== "horizontal");
  }

  // One link as this view's draw does it: drawn (true), or left out with what its draw would leave.
  function drawLink(edge, ctx, area) {
    if (always(edge) || reaches(edge, area)) {
      if (stats.cutting && !stats.all && edge.options.dashes && !edge.selected && !edge.hover) {
        drawDashedInView(edge, ctx, area);
      } else {
        edge.draw(ctx);
      }
      return true;
    }
    // A dashed line sets round ends before it saves the canvas's state, and they stay: the
    // lines drawn after it (and the elements' borders) are drawn with them.
    if (edge.options.dashes) ctx.lineCap = "round";
    placeLabel(edge, ctx);
    return false;
  }

  renderer._drawEdges = function (ctx) {
    const area = view();
    for (const id of body.edgeIndices) {
      const edge = body.edges[id];
      if (edge.connected !== true) continue;
      if (drawLink(edge, ctx, area)) stats.drawn += 1;
      else stats.skipped += 1;
    }
  };
  // A link's line and label drawn ahead into a picture for the next frame (wbDrawAhead with
  // wbQuickFrames, render/map_canvas.js), as that frame would draw it in the current view.
  stats.drawLink = (edge, ctx) => drawLink(edge, ctx, view());
}
