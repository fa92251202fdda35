// Putting a large map on the canvas in slices (shared by the standalone page and the live map).
//
// vis-network takes its data whole: `new vis.Network(container, {nodes, edges})` or `setData` creates
// every element and link, measures every label, lays the map out and fits it in one task (about
// 250 ms at 500 elements and 700 links on a quiet 2-core machine), and the page cannot answer in
// between. wbBuildMap does the same work as setData, in the same order and with the same result
// (tests/test_map_slices_browser.py compares them), in tasks of its own:
//
//   1. the items go into the data sets, with vis-network not listening (it would go over the whole
//      map for each batch);
//   2. elements, then links, are created a few at a time, and their labels measured (so that the
//      fit's pass over every element and the first draw find them measured);
//   3. one pass over the whole map (vis-network's `_dataChanged`, without the layout), then the
//      layered layout alone (see QUICK_LAYOUT_ABOVE), then vis-network's `_dataLoaded`;
//   4. vis-network's `initPhysics` (the fit), alone;
//   5. with {drawAhead: true}, the first draw's work, on a scratch canvas, a few links and elements
//      at a time (map_canvas.js, wbDrawAhead; on a map with wbQuickFrames the links are drawn into
//      pictures that the first frame copies, each slice rasterised in its own task); then one draw
//      is asked for, at the next frame.
//
// No slice creates more than MAX_ITEMS elements and links or, after its first item, runs on past
// SLICE_MS (vis-network's pass and its layout are a slice each). The map is not drawn while it is
// being built; it is drawn, once, at the frame after its last step.
//
// Usage: const network = new vis.Network(container, {nodes, edges}, options); // empty data sets
//        const build = wbBuildMap(network, nodeItems, edgeItems, done, {prepare});
//        ... done(network) runs once the map is laid out and fitted (drawn at the next frame);
//        prepare(item) (optional) returns an item as it goes into its data set (e.g. a tooltip made);
//        {maxItems, sliceMs, small} (optional) replace WB_BUILD's limits for this map;
//        fitted(network) (optional) runs once the map is laid out and fitted, before the first
//        draw's work (e.g. a few links given other curves);
//        drawAhead (optional, needs map_canvas.js) does the first draw's work in the slices;
//        build.cancel() stops a build (e.g. new data arrived): the map is left empty or partial;
//        build.busy is true until done; build.slices counts the tasks used, build.largest the
//        most elements and links created in one, build.log what each did.
// A map of at most SMALL items (one slice's worth) is built in one go (the same calls, one task).
// Larger ones go in slices: at 50 elements and 70 links the one task was 100-135 ms on this machine
// (the first run of vis-network's code makes it slow), in slices none is over about 15 ms.

/* global wbDrawAhead, wbFramesBegin, wbFramesRaster, wbFramesReady -- from map_canvas.js, which comes with this script wherever it is used */

// The layered layout is one task of vis-network's. Its edge minimization (moving branches sideways
// to shorten links) is about 70% of it: at 500 elements 41-61 ms with it, 10-17 ms without (load
// 5.7), while the total length of the links changed by 0.004% (and 0.3% at 150 elements) on the
// benchmark's cases, the rows and their width not at all. Above QUICK_LAYOUT_ABOVE elements it is
// left out; smaller maps are laid out exactly as before.
var WB_BUILD = { SLICE_MS: 10, MAX_ITEMS: 40, SMALL: 40, QUICK_LAYOUT_ABOVE: 300 };
var FILL_WEIGHT = 5; // items put into a data set count as one made on the map
var AHEAD_WEIGHT = 4; // links and elements drawn ahead count as one made on the map

// Run fn in a task of its own, right after the current one: long work split this way lets the page
// draw and answer input in between. (A MessageChannel message runs sooner than setTimeout(fn, 0),
// which browsers delay by 4 ms once timers nest.) Shared with edge_labels.js.
var WB_LATER = { queue: [], channel: null };
function wbLater(fn) {
  "use strict";
  if (typeof MessageChannel === "undefined") { setTimeout(fn, 0); return; }
  if (!WB_LATER.channel) {
    WB_LATER.channel = new MessageChannel();
    WB_LATER.channel.port1.onmessage = function () { var next = WB_LATER.queue.shift(); if (next) next(); };
  }
  WB_LATER.queue.push(fn);
  WB_LATER.channel.port2.postMessage(0);
}

function wbBuildMap(network, nodeItems, edgeItems, done, options) {
  "use strict";
  var body = network.body;
  var nodes = body.data.nodes;
  var edges = body.data.edges;
  var opts = options || {};
  var prepare = opts.prepare;
  var maxItems = opts.maxItems || WB_BUILD.MAX_ITEMS;
  var sliceMs = opts.sliceMs || WB_BUILD.SLICE_MS;
  var total = nodeItems.length + edgeItems.length;
  var oneGo = total <= (opts.small != null ? opts.small : WB_BUILD.SMALL);
  var build = { busy: true, slices: 0, largest: 0, log: [], cancel: cancel };
  var cancelled = false;
  var created = []; // the elements made, in order (for vis-network's initial positions)
  var ctx = network.canvas.getContext();
  var physics = null; // vis-network's physics engine, and whether it was ready before the build
  var wasReady;
  var now = function () { return (typeof performance !== "undefined" ? performance : Date).now(); };

  // The steps, in order. Each takes the slice's limit and returns true once it has nothing left;
  // a step marked `alone` (a pass over the whole map, or the layout) is a slice of its own.
  var filled = 0; // items put into the data sets
  var nodeIds = null;
  var edgeIds = null;
  var ahead = []; // the links, then the elements, to draw ahead (opts.drawAhead)
  var steps = [
    { name: "fill", run: function (limit) {
      // The items go into the data sets (`prepare`d first, e.g. their tooltips made), a batch at a time.
      while (filled < total && limit.made < limit.items && now() - limit.start <= limit.ms) {
        var isNode = filled < nodeItems.length;
        var list = isNode ? nodeItems : edgeItems;
        var from = isNode ? filled : filled - nodeItems.length;
        var part = list.slice(from, from + FILL_WEIGHT * Math.max(1, limit.items - limit.made));
        if (prepare) part = part.map(prepare);
        unobserved(isNode ? nodes : edges, isNode ? network.nodesHandler.nodesListeners
          : network.edgesHandler.edgesListeners, function () { (isNode ? nodes : edges).add(part); });
        filled += part.length;
        limit.made += part.length / FILL_WEIGHT; // an item put into a data set costs far less
      }
      if (filled < total) return false;
      nodeIds = nodes.getIds();
      edgeIds = edges.getIds();
      return true;
    } },
    { name: "nodes", run: items(function () { return nodeIds; }, function (id) {
      // As vis-network's NodesHandler.add, one element at a time; its label is measured now.
      var node = network.nodesHandler.create(nodes.get(id));
      body.nodes[id] = node;
      created.push(node);
      node.resize(ctx);
    }) },
    { name: "positions", run: once(function () { network.layoutEngine.positionInitially(created); }) },
    { name: "links", run: items(function () { return edgeIds; }, function (id) {
      // As vis-network's EdgesHandler.add (a map being built has no old link to disconnect).
      var edge = network.edgesHandler.create(edges.get(id, { showInternalIds: true }));
      body.edges[id] = edge;
      if (edge.options.label !== undefined) edge.labelModule.getTextSize(ctx, false, false);
    }) },
    { name: "pass", alone: true, run: once(function () {
      body.emitter.emit("_adjustEdgesForHierarchicalLayout");
      // vis-network's pass over the whole map (link state, clustering, visible items, value
      // ranges); the layered layout, which also answers it, runs alone in the next slice.
      var hier = network.layoutEngine.options.hierarchical;
      var layered = hier.enabled;
      hier.enabled = false;
      try { body.emitter.emit("_dataChanged"); } finally { hier.enabled = layered; }
    }) },
    { name: "layout", alone: true, run: once(function () {
      // On a large map the layered layout leaves out its edge minimization (see QUICK_LAYOUT_ABOVE).
      var hier = network.layoutEngine.options.hierarchical;
      if (hier.enabled && created.length > WB_BUILD.QUICK_LAYOUT_ABOVE) hier.edgeMinimization = false;
      network.layoutEngine.setupHierarchicalLayout();
    }) },
    { name: "loaded", alone: true, run: once(function () {
      body.emitter.emit("_dataLoaded"); // (vis-network's own layout of a map without layers, if any)
    }) },
    { name: "fit", alone: true, run: once(function () {
      body.emitter.emit("initPhysics"); // fits the map (its draw waits for the last step)
      if (opts.fitted) opts.fitted(network);
      if (opts.drawAhead) {
        ahead = body.edgeIndices.map(function (id) { return body.edges[id]; })
          .concat(body.nodeIndices.map(function (id) { return body.nodes[id]; }));
        wbFramesBegin(network); // with wbQuickFrames, the links go into pictures for the first frame
      }
    }) },
    { name: "ahead", run: rastered(items(function () { return ahead; }, function (item) {
      // The first draw, ahead, a few links and elements at a time (map_canvas.js, wbDrawAhead).
      wbDrawAhead(network, item);
    }, 1 / AHEAD_WEIGHT)) },
    { name: "draw", run: once(function () {
      if (opts.drawAhead) wbFramesReady(network); // the pictures (if any) are for the next frame
      if (!oneGo) body.emitter.emit("_allowRedraw");
      body.emitter.emit("_requestRedraw"); // one draw, at the next frame
    }) },
  ];

  // With a data set's listeners off (vis-network would answer the change with a pass over the map).
  function unobserved(dataset, listeners, fn) {
    var names = Object.keys(listeners || {}).filter(function (e) { return typeof listeners[e] === "function"; });
    names.forEach(function (e) { dataset.off(e, listeners[e]); });
    try { fn(); } finally { names.forEach(function (e) { dataset.on(e, listeners[e]); }); }
  }

  // A step over `ids()`, fn(id) for each; `weight` (default 1: an element or link made) is what one
  // costs against the slice's limit of items; other steps (weight < 1) make nothing on the map.
  function items(ids, fn, weight) {
    var index = 0;
    var w = weight || 1;
    return function (limit) {
      var all = ids();
      var count = 0;
      while (index < all.length && limit.made + count * w < limit.items) {
        fn(all[index++]);
        count += 1;
        if (now() - limit.start > limit.ms) break;
      }
      limit.made += count * w;
      if (w === 1) limit.created += count;
      return index >= all.length;
    };
  }

  // A step whose slice ends with the pictures' raster (map_canvas.js, wbFramesRaster).
  function rastered(run) {
    return function (limit) {
      var finished = run(limit);
      wbFramesRaster(network);
      return finished;
    };
  }

  function once(fn) {
    return function () { fn(); return true; };
  }

  function cancel() {
    if (!build.busy) return;
    cancelled = true;
    build.busy = false;
    if (physics && !physics.ready) physics.ready = wasReady; // the partial map draws as before
    if (!oneGo) body.emitter.emit("_allowRedraw");
  }

  var step = 0;
  function slice() {
    if (cancelled) return;
    build.slices += 1;
    var start = now();
    var limit = { items: oneGo ? Infinity : maxItems, ms: oneGo ? Infinity : sliceMs, made: 0, created: 0,
                  start: start };
    var ran = [];
    while (step < steps.length) {
      var s = steps[step];
      if (!oneGo && s.alone && ran.length) break;
      var finished = s.run(limit);
      ran.push(s.name);
      if (finished) step += 1;
      if (oneGo) continue;
      if (s.alone || !finished || limit.made >= limit.items || now() - start > limit.ms) break;
    }
    build.largest = Math.max(build.largest, limit.created);
    build.log.push({ steps: ran.join(" "), items: limit.created, ms: Math.round(now() - start) });
    if (step < steps.length) { wbLater(slice); return; }
    build.busy = false;
    if (done) done(network);
  }

  // No draw of a half-built map. (A map built in one go needs no block: the draw vis-network asked
  // for when the map was made empty comes at the next frame, after the build, and is the only one.)
  // As in vis-network's setData, physics is not ready until the fit's initPhysics: else the pass over
  // the map (`_dataChanged`, which asks physics to start) would draw the map at once, in the build's
  // task, with physics off (startSimulation then emits `_redraw`), and the next frame draw it again.
  physics = network.physics;
  wasReady = physics ? physics.ready : undefined;
  body.emitter.emit("resetPhysics");
  if (!oneGo) body.emitter.emit("_blockRedraw");
  network.wbBuild = build; // for pages and tests that hold only the network
  slice();
  return build;
}
