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
    const canvas = document.createElement("canvas");
    canvas.width = ctx.canvas.width;
    canvas.height = ctx.canvas.height;
    const pctx = canvas.getContext("2d");
    pctx.setTransform(ctx.getTransform());
    if (Object.prototype.hasOwnProperty.call(ctx, "setLineDash")) pctx.setLineDash = ctx.setLineDash; // map_canvas.js
    draw(pctx);
    return canvas;
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

  function copy(ctx, canvas) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(canvas, 0, 0);
    ctx.restore();
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
    copy(ctx, now.lines);
    drawMoving(ctx, now.moving, false);
    return undefined;
  };
  renderer._drawArrows = function (ctx) {
    if (!draggingElements() || !layer) return drawArrows.call(this, ctx);
    copy(ctx, layer.arrows);
    drawMoving(ctx, layer.moving, true);
    return undefined;
  };
}
