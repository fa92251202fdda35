// Drawing a large map quickly (shared by the standalone page and the live map, like edge_labels.js).
//
// Dashed links and borders: vis-network sets the dash pattern in map units, so on a zoomed-out map a
// dash is a fraction of a pixel and the canvas is asked for thousands of invisible segments per link.
// Chromium's software raster (a machine without a GPU) spent 80-100 ms a frame on them at 500
// elements, against about 20 ms for the same map drawn solid. Here a pattern whose shortest part would
// be drawn under MIN_DASH_PX on the screen is stretched until it is not: the map looks the same (the
// line stays visibly dashed) and costs what the screen can show.
//
// Round ends cost more still: vis-network draws dashed links with round line caps, and each dash's
// two round ends made the software raster 3x slower than butt ends (at 500 elements, zoomed to 72 %
// as the live map opens: about 100 ms a frame against 35 ms, solid lines 30 ms). So a dashed line is
// drawn with butt ends, each dash longer and each gap shorter by the line's width (what the round
// ends added): the same dashes on the screen. The round caps come back with the solid pattern.
//
// Usage: wbQuickDashes(network) once, after new vis.Network(...).

/* global WB_BUILD, wbLater -- from map_build.js, which comes first wherever this script is used */

function wbQuickDashes(network) {
  "use strict";
  var MIN_DASH_PX = 2;
  var ctx = network && network.canvas && network.canvas.getContext && network.canvas.getContext();
  if (!ctx || typeof ctx.setLineDash !== "function" || typeof ctx.getTransform !== "function") return;
  if (ctx.wbQuickDashes) return;
  var setLineDash = ctx.setLineDash;
  ctx.wbQuickDashes = true;
  // Screen pixels per map unit while the map is drawn: vis-network sets the view's transform once
  // per draw (and then only moves or turns, e.g. a label), so it is read once per draw, not at each
  // of the draw's ~1,400 dash changes. Outside a draw (or on another canvas) it is read each time.
  var drawing = false;
  var scaleInDraw = 0;
  var emitter = network.body && network.body.emitter;
  if (emitter) {
    emitter.on("beforeDrawing", function () { drawing = true; scaleInDraw = 0; });
    emitter.on("afterDrawing", function () { drawing = false; });
  }
  function screenScale(c) {
    if (drawing && c === ctx && scaleInDraw > 0) return scaleInDraw;
    var m = c.getTransform();
    var scale = Math.sqrt(m.a * m.a + m.b * m.b);
    if (drawing && c === ctx) scaleInDraw = scale;
    return scale;
  }
  // An own property of this one context: other canvases on the page are left alone.
  ctx.setLineDash = function (pattern) {
    var shortest = Infinity;
    var i;
    for (i = 0; i < pattern.length; i++) {
      if (pattern[i] > 0 && pattern[i] < shortest) shortest = pattern[i];
    }
    if (shortest < Infinity) {
      var onScreen = shortest * screenScale(this);
      var stretch = onScreen > 0 && onScreen < MIN_DASH_PX ? MIN_DASH_PX / onScreen : 1;
      var roundToButt = this.lineCap === "round" && pattern.length % 2 === 0;
      if (stretch !== 1 || roundToButt) {
        var width = roundToButt ? this.lineWidth : 0;
        var parts = new Array(pattern.length);
        for (i = 0; i < pattern.length; i++) {
          var part = pattern[i] * stretch;
          parts[i] = i % 2 === 0 ? part + width : Math.max(0, part - width);
        }
        pattern = parts;
      }
      if (roundToButt) {
        this.lineCap = "butt";
        this.wbRoundCaps = true;
      }
    } else if (this.wbRoundCaps) {
      this.lineCap = "round";
      this.wbRoundCaps = false;
    }
    return setLineDash.call(this, pattern);
  };
}

// Arrow ends: vis-network finds where each link's arrow meets its element's border at every draw, by
// a search along the curve that asks the element for its border ten times or so
// (`_findBorderPositionBezier`): at 500 elements and 700 links about a fifth of a draw's script (a
// draw took 22 ms searching for every arrow, 17.5 ms with them kept; median of 30, load 7), for
// arrows that have not moved. Here each link keeps the last answer with what it depended on, and
// gives it again while none of that changed (a link's arrow is searched for anew only when its ends
// moved or changed size, shape or border, or the link changed its curve, width or arrow):
//
//   what vis-network's getArrowData(ctx, position, via, selected, hover, values) reads    in the key
//   the near and far elements (identity) and their x, y                                    yes
//   the curve: its type (smooth on/off, type) and via point(s)                             yes
//   the near element's shape (identity), width, height, options.size, borderWidth,
//     its distanceToBorder (e.g. wbBorderWithLabel) and its label's size                   yes
//   the link's endPointOffset, arrowStrikethrough; the arrow's width (which vis-network
//     keeps at 0.3 screen px or more, so it changes with the zoom), scale and type         yes
//   ctx: only to measure the near element first (shape.resize(ctx)), done before the key   (done)
// A link from an element to itself, and a middle arrow, are left to vis-network.
//
// Usage: wbQuickArrows(network) once, after new vis.Network(...); the links drawn from then on keep
// their arrow ends (an own getArrowData on each link's edgeType, set when the map is drawn or by
// wbDrawAhead). network.wbArrows counts {searched, reused} arrows.

function wbQuickArrows(network) {
  "use strict";
  var renderer = network && network.renderer;
  if (!renderer || typeof renderer._drawArrows !== "function" || network.wbArrows) return;
  network.wbArrows = { searched: 0, reused: 0 };
  var drawArrows = renderer._drawArrows;
  // An own property of this renderer (wbQuickDrag in ui/static/map_frames.js wraps it the same way).
  renderer._drawArrows = function () {
    var body = network.body;
    for (var i = 0; i < body.edgeIndices.length; i++) {
      var edge = body.edges[body.edgeIndices[i]];
      if (edge && edge.edgeType && !edge.edgeType.wbArrowEnds) wbKeepArrowEnds(network, edge.edgeType);
    }
    return drawArrows.apply(this, arguments);
  };
}

// The first draw, ahead of time. The first draw of a map runs vis-network's drawing code for the
// first time (not yet compiled to fast code) and finds every arrow's end: at 500 elements it took
// 40-60 ms, against 15-25 ms for the same draw later (this 2-core machine, load 3-4); drawn ahead,
// the first draw took 20-35 ms. wbDrawAhead draws one
// element or link on a 1x1 scratch canvas, as the first draw will (with the same effects on it: its
// label measured, its box, its arrow ends and where its line stops): wbBuildMap does so for the
// whole map in its slices, after the fit (the arrows' width depends on the scale), with
// {drawAhead: true}.
function wbDrawAhead(network, item) {
  "use strict";
  if (!item || typeof item.draw !== "function") return;
  var ctx = wbScratch();
  if (!ctx) return;
  if (typeof item.drawArrows === "function") { // a link: its line and label, then its arrows
    if (item.connected !== true) return;
    if (network.wbArrows && item.edgeType && !item.edgeType.wbArrowEnds) wbKeepArrowEnds(network, item.edgeType);
    var pictures = network.wbFrames && network.wbFrames.pending; // wbFramesBegin: into the pictures
    if (pictures) { // its arrows first: its line then stops where they do (as at a later draw)
      item.drawArrows(pictures.arrows);
      // a map that leaves out links out of view (wbDrawInView, ui/static/map_frames.js) does so here too
      var inView = network.wbDrawInView && network.wbDrawInView.drawLink;
      if (typeof inView === "function") inView(item, pictures.lines);
      else item.draw(pictures.lines);
      return;
    }
    item.draw(ctx);
    item.drawArrows(ctx);
    return;
  }
  wbDrawElement(item, ctx);
}

// A 1x1 canvas's 2D context, or null where there is no document.
function wbOnePixel() {
  "use strict";
  if (typeof document === "undefined") return null;
  var canvas = document.createElement("canvas");
  canvas.width = 1;
  canvas.height = 1;
  return canvas.getContext("2d");
}

// The scratch canvas elements and links are drawn on for what drawing them does (labels measured,
// boxes, arrow ends, where lines stop), never to be seen: shared with edge_labels.js.
var WB_SCRATCH = null;
function wbScratch() {
  "use strict";
  if (!WB_SCRATCH) WB_SCRATCH = wbOnePixel();
  return WB_SCRATCH;
}

// Draw an element as the map does: a label under its symbol is drawn after it.
function wbDrawElement(node, ctx) {
  "use strict";
  var drawn = node.draw(ctx);
  if (drawn && typeof drawn.drawExternalLabel === "function") drawn.drawExternalLabel();
}

// wbDrawAhead for each of `items` (links or elements), in tasks of about WB_BUILD.SLICE_MS
// (map_build.js); then done(). With {pictures: true} (and wbQuickFrames), the links go into pictures
// for the next frame (wbFramesBegin ... wbFramesReady), each slice rasterised in its own task.
// Returns {cancel()}: a cancelled run stops at its next slice and never calls done.
function wbDrawAheadInSlices(network, items, done, options) {
  "use strict";
  var index = 0;
  var cancelled = false;
  var begun = options && options.pictures ? wbFramesBegin(network) : null;
  var pictures = !!begun;
  var now = function () { return (typeof performance !== "undefined" ? performance : Date).now(); };
  function slice() {
    if (cancelled) return;
    var start = now();
    while (index < items.length) {
      wbDrawAhead(network, items[index++]);
      if (now() - start > WB_BUILD.SLICE_MS) break;
    }
    if (pictures) wbFramesRaster(network);
    if (index < items.length) { wbLater(slice); return; }
    if (pictures) wbFramesReady(network);
    done();
  }
  wbLater(slice);
  return { cancel: function () {
    cancelled = true;
    if (begun && network.wbFrames.pending === begun) network.wbFrames.pending = null; // (links drawn ahead no more go into them)
  } };
}

// The next frame of the map, from pictures: the map's draw is held while its links are drawn into
// pictures in slices (wbDrawAheadInSlices with {pictures: true}), then let through and a frame asked
// for, which copies them (wbQuickFrames); then(), if given, runs after that request. Returns the
// slices' {cancel()} (a cancelled run leaves the draw held and never calls then).
function wbFrameFromPictures(network, then) {
  "use strict";
  var emitter = network.body.emitter;
  emitter.emit("_blockRedraw");
  var links = network.body.edgeIndices.map(function (id) { return network.body.edges[id]; });
  return wbDrawAheadInSlices(network, links, function () {
    emitter.emit("_allowRedraw");
    // That frame, or one asked for before the hold and still to come (wbOneFrameDue asks for no second).
    emitter.emit("_requestRedraw");
    if (then) then();
  }, { pictures: true });
}

function wbKeepArrowEnds(network, edgeType) {
  "use strict";
  var stats = network.wbArrows;
  var getArrowData = edgeType.getArrowData;
  edgeType.wbArrowEnds = { from: null, to: null };
  edgeType.getArrowData = function (ctx, position, viaNode, selected, hover, values) {
    var kept = this.wbArrowEnds;
    var near = position === "from" ? this.from : position === "to" ? this.to : null;
    var far = position === "from" ? this.to : this.from;
    if (!near || !far || near === far || !kept || !values) return getArrowData.apply(this, arguments);
    var shape = near.shape;
    if (ctx && shape && typeof shape.resize === "function") shape.resize(ctx); // as distanceToBorder(ctx)
    var key = wbArrowKey(WB_ARROW_KEY, this, near, far, viaNode, position, values); // (no new array)
    var last = kept[position];
    if (last && wbSameKey(last.key, key)) {
      stats.reused += 1;
      var d = last.data;
      return { point: d.point, core: d.core, angle: d.angle, length: d.length, type: d.type };
    }
    stats.searched += 1;
    var data = getArrowData.apply(this, arguments);
    kept[position] = { key: key.slice(), data: { point: data.point, core: data.core, angle: data.angle,
                                         length: data.length, type: data.type } };
    return data;
  };
}

// What an arrow's end depends on (see the table above), into `key` (emptied first).
var WB_ARROW_KEY = [];
function wbArrowKey(key, edgeType, near, far, via, position, values) {
  "use strict";
  var o = edgeType.options || {};
  var smooth = o.smooth || {};
  var offset = o.endPointOffset;
  var shape = near.shape || {};
  var lm = near.labelModule;
  var size = lm && lm.size ? lm.size : {};
  var no = near.options || {};
  key.length = 0;
  key.push(near, far, near.x, near.y, far.x, far.y, smooth.enabled, smooth.type,
    shape, shape.width, shape.height, no.size, no.borderWidth, near.distanceToBorder, size.width, size.height,
    offset ? offset.from : null, offset ? offset.to : null, o.arrowStrikethrough, values.width,
    position === "from" ? values.fromArrowScale : values.toArrowScale,
    position === "from" ? values.fromArrowType : values.toArrowType);
  wbPushVia(key, via);
  return key;
}

// A link's via point(s) (vis-network's getViaNode: one point, a list, or none) onto `key`.
function wbPushVia(key, via) {
  "use strict";
  if (via && via.length !== undefined) {
    for (var i = 0; i < via.length; i++) key.push(via[i] ? via[i].x : null, via[i] ? via[i].y : null);
  } else if (via) {
    key.push(via.x, via.y);
  }
}

function wbSameKey(a, b) {
  "use strict";
  if (a.length !== b.length) return false;
  for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Frames of a map at rest, from pictures drawn ahead. At 500 elements a frame's links were about
// two thirds of it: their script (~15 ms) and, above all, their raster (the canvas rasterises the
// recorded lines at the frame's Commit, on the main thread without a GPU: 15-20 ms). Before a frame
// the page asks for (the build's first draw, the draw that shows the placed link labels), the links
// are drawn, in the same slices that do the first draw's work (wbDrawAhead), into two pictures of the
// canvas's size for the view the frame will have (the lines with their labels, under the elements;
// the arrow heads, over them), and each slice's drawing is rasterised in its own task (a 1-pixel
// read of each picture: the canvas otherwise records the drawing and rasterises it lazily, at the
// copy or the frame's Commit). That frame then copies the pictures (drawImage) and draws the elements.
//
// The pictures are good for ONE frame, the next one (and a frame asked for while it was drawn, as
// the link-label placement does after it), and only if that frame draws what they hold: the same
// view transform, canvas size and data (no data-set change, no pass over the map, no drag or zoom
// since), the same round-ends state of the canvas (wbQuickDashes) and, link by link, the same ends,
// curve, label, selection and hover (a fingerprint). Otherwise that frame draws as before; either
// way the pictures are dropped after it. network.wbFrames counts {made, used, missed} pictures.
//
// Usage: wbQuickFrames(network) once, after new vis.Network(...); then wbFramesBegin(network), links
// drawn with wbDrawAhead (they go into the pictures), wbFramesRaster(network) after each slice,
// wbFramesReady(network) at the end, and the frame asked for (wbBuildMap with {drawAhead: true} and
// wbDrawAheadInSlices(..., {pictures: true}) do all of this).

var WB_STATE = ["lineCap", "lineJoin", "lineWidth", "miterLimit", "lineDashOffset", "strokeStyle", "fillStyle",
  "font", "textAlign", "textBaseline", "direction", "globalAlpha", "globalCompositeOperation", "shadowBlur",
  "shadowColor", "shadowOffsetX", "shadowOffsetY", "imageSmoothingEnabled"];

function wbQuickFrames(network) {
  "use strict";
  var renderer = network && network.renderer;
  var body = network && network.body;
  if (!renderer || typeof renderer._drawEdges !== "function" || typeof renderer._drawArrows !== "function"
      || network.wbFrames || typeof document === "undefined") return;
  var frames = network.wbFrames = { made: 0, used: 0, missed: 0, version: 0, pending: null, ready: null,
                                    current: null };
  function stale() {
    frames.version += 1;
    frames.pending = null;
    frames.ready = null;
  }
  body.data.nodes.on("*", stale);
  body.data.edges.on("*", stale);
  ["_dataChanged", "_dataUpdated", "refresh", "dragStart", "dragging", "dragEnd", "zoom", "_resizeNodes",
    "_resizeEdges", "startSimulation"].forEach(function (name) { body.emitter.on(name, stale); });
  body.emitter.on("afterDrawing", function () { frames.current = null; });
  wbOneFrameDue(renderer);
  // A frame asked for while a frame from pictures was drawn (e.g. by the link-label placement, for
  // lines that end where the arrows were found: here they were found before the lines were drawn)
  // may copy them too, if it still fits them.
  var redraw = renderer._redraw;
  renderer._redraw = function () {
    var used = frames.used;
    var ready = frames.ready;
    var result = redraw.apply(this, arguments);
    if (frames.used > used && ready && this.redrawRequested === true && ready.version === frames.version) {
      frames.ready = ready;
    }
    return result;
  };

  var drawEdges = renderer._drawEdges;
  var drawArrows = renderer._drawArrows;
  renderer._drawEdges = function (ctx) {
    var ready = frames.ready;
    frames.ready = null; // good for this frame only
    frames.current = null;
    if (ready && wbFramesFit(network, ready, ctx)) {
      wbCopyPicture(ctx, ready.lines);
      frames.current = ready;
      frames.used += 1;
      return undefined;
    }
    if (ready) frames.missed += 1;
    return drawEdges.apply(this, arguments);
  };
  renderer._drawArrows = function (ctx) {
    var current = frames.current;
    frames.current = null;
    if (!current) return drawArrows.apply(this, arguments);
    wbCopyPicture(ctx, current.arrows);
    return undefined;
  };
}

// At most one frame asked for at a time. vis-network's "_allowRedraw" forgets a frame already asked
// for (it sets redrawRequested = false), so the next "_requestRedraw" asks for a second one: after a
// hold (the links drawn into pictures in slices) that came after a request, two frames came, the
// first copied the pictures and the second drew every link again. Now a request while a frame is
// due waits for that frame, which draws whatever was asked for. (Physics' own frames, asked for
// while renderingActive, are left alone.)
function wbOneFrameDue(renderer) {
  "use strict";
  var requestNextFrame = renderer._requestNextFrame;
  var due = false;
  renderer._requestNextFrame = function (callback, delay) {
    if (this.renderingActive === true) return requestNextFrame.call(this, callback, delay);
    if (due) return undefined;
    due = true;
    return requestNextFrame.call(this, function (time) { due = false; return callback(time); }, delay);
  };
  // A frame asked for before this (new vis.Network asks for one) is due too: until it has come.
  // Asked for the same way, this runs right after it.
  if (renderer.redrawRequested === true && renderer.renderingActive !== true) {
    due = true;
    requestNextFrame.call(renderer, function () { due = false; }, 0);
  }
}

// A picture of the map canvas's size (a 2D context), drawn with `transform` (a DOMMatrix) and with
// the map's own dash handling (wbQuickDashes). Shared with wbQuickDrag (ui/static/map_frames.js).
function wbPicture(mapCtx, transform) {
  "use strict";
  var canvas = document.createElement("canvas");
  canvas.width = mapCtx.canvas.width;
  canvas.height = mapCtx.canvas.height;
  var pctx = canvas.getContext("2d");
  pctx.setTransform(transform);
  if (Object.prototype.hasOwnProperty.call(mapCtx, "setLineDash")) pctx.setLineDash = mapCtx.setLineDash;
  return pctx;
}

// Copy a picture (wbPicture) onto the map's canvas, pixel for pixel; then leave the canvas's drawing
// state as drawing the picture's contents there would have (what the next items drawn start from).
function wbCopyPicture(ctx, pctx) {
  "use strict";
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(pctx.canvas, 0, 0);
  ctx.restore();
  for (var i = 0; i < WB_STATE.length; i++) {
    var name = WB_STATE[i];
    if (ctx[name] !== pctx[name]) ctx[name] = pctx[name];
  }
  CanvasRenderingContext2D.prototype.setLineDash.call(ctx, pctx.getLineDash());
  if (pctx.wbRoundCaps !== undefined || ctx.wbRoundCaps !== undefined) ctx.wbRoundCaps = pctx.wbRoundCaps;
}

// The transform vis-network's next draw will set (Canvas.setTransform, then the view's translation
// and scale), as a DOMMatrix: composed by a canvas, as the draw composes it.
var WB_MATRIX_1PX = null;
function wbViewTransform(network) {
  "use strict";
  if (!WB_MATRIX_1PX) WB_MATRIX_1PX = wbOnePixel();
  var pr = network.canvas.pixelRatio || 1;
  var view = network.body.view;
  WB_MATRIX_1PX.setTransform(pr, 0, 0, pr, 0, 0);
  WB_MATRIX_1PX.translate(view.translation.x, view.translation.y);
  WB_MATRIX_1PX.scale(view.scale, view.scale);
  return WB_MATRIX_1PX.getTransform();
}

// Start pictures for the next frame (links drawn ahead from now on go into them); null if the map
// has no wbQuickFrames or no canvas to draw on.
function wbFramesBegin(network) {
  "use strict";
  var frames = network.wbFrames;
  if (!frames) return null;
  frames.pending = null;
  frames.ready = null;
  var mapCtx = network.canvas.getContext();
  if (!mapCtx || !mapCtx.canvas.width || !mapCtx.canvas.height || !network.canvas.frame.clientWidth) return null;
  var transform = wbViewTransform(network);
  var lines = wbPicture(mapCtx, transform);
  var arrows = wbPicture(mapCtx, transform);
  lines.wbRoundCaps = mapCtx.wbRoundCaps;
  arrows.wbRoundCaps = mapCtx.wbRoundCaps;
  frames.pending = { lines: lines, arrows: arrows, transform: transform, width: mapCtx.canvas.width,
                     height: mapCtx.canvas.height, version: frames.version, roundCaps: !!mapCtx.wbRoundCaps,
                     fingerprint: null };
  return frames.pending;
}

// Rasterise what was drawn into the pictures so far, now (in this task, not at the frame): a canvas
// copied from (here one pixel of it, onto a 1x1 canvas) is rasterised first. (A 1-pixel getImageData
// does the same, but reads back from a GPU's canvas and warns in the console after a few times.)
// The 1x1 canvas is cleared at once, which lets go of the pictures' snapshots (else the next slice's
// drawing into a picture would copy it first).
var WB_RASTER_1PX = null;
function wbFramesRaster(network) {
  "use strict";
  var pending = network.wbFrames && network.wbFrames.pending;
  if (!pending) return;
  if (!WB_RASTER_1PX) WB_RASTER_1PX = wbOnePixel();
  WB_RASTER_1PX.drawImage(pending.lines.canvas, 0, 0, 1, 1, 0, 0, 1, 1);
  WB_RASTER_1PX.drawImage(pending.arrows.canvas, 0, 0, 1, 1, 0, 0, 1, 1);
  WB_RASTER_1PX.clearRect(0, 0, 1, 1);
}

// Every link is in the pictures: they are ready for the next frame (if nothing changed meanwhile).
function wbFramesReady(network) {
  "use strict";
  var frames = network.wbFrames;
  var pending = frames && frames.pending;
  if (!pending) return;
  frames.pending = null;
  var now = wbViewTransform(network);
  if (pending.version !== frames.version || !wbSameMatrix(now, pending.transform)) return;
  pending.fingerprint = wbLinksFingerprint(network);
  frames.ready = pending;
  frames.made += 1;
}

// Whether the pictures `p` show what this frame would draw on `ctx`.
function wbFramesFit(network, p, ctx) {
  "use strict";
  return p.version === network.wbFrames.version && ctx.canvas.width === p.width && ctx.canvas.height === p.height
    && wbSameMatrix(ctx.getTransform(), p.transform) && !!ctx.wbRoundCaps === p.roundCaps
    && !network.renderer.dragging && wbSameKey(p.fingerprint, wbLinksFingerprint(network));
}

function wbSameMatrix(m, n) {
  "use strict";
  return m.a === n.a && m.b === n.b && m.c === n.c && m.d === n.d && m.e === n.e && m.f === n.f;
}

// What each link's drawing depends on beyond the view: its ends (and their selection, for colours
// taken from them), its curve and via point, its label, its own selection and hover.
function wbLinksFingerprint(network) {
  "use strict";
  var body = network.body;
  var key = [];
  for (var i = 0; i < body.edgeIndices.length; i++) {
    var e = body.edges[body.edgeIndices[i]];
    if (!e) continue;
    var type = e.edgeType;
    var via = type && typeof type.getViaNode === "function" ? type.getViaNode() : null;
    var lm = e.labelModule;
    key.push(e, e.connected, type, e.from, e.to, e.from && e.from.x, e.from && e.from.y, e.to && e.to.x,
      e.to && e.to.y, e.selected, e.hover, e.from && e.from.selected, e.to && e.to.selected,
      lm && lm.elementOptions ? lm.elementOptions.label : null);
    wbPushVia(key, via);
  }
  return key;
}
