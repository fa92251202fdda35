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
//
// wbDrawInView(network) (below): links out of view are not drawn.

function wbQuickDashes(network) {
  "use strict";
  var MIN_DASH_PX = 2;
  var ctx = network && network.canvas && network.canvas.getContext && network.canvas.getContext();
  if (!ctx || typeof ctx.setLineDash !== "function" || typeof ctx.getTransform !== "function") return;
  if (ctx.wbQuickDashes) return;
  var setLineDash = ctx.setLineDash;
  ctx.wbQuickDashes = true;
  // An own property of this one context: other canvases on the page are left alone.
  ctx.setLineDash = function (pattern) {
    var shortest = Infinity;
    for (var i = 0; i < pattern.length; i++) {
      if (pattern[i] > 0 && pattern[i] < shortest) shortest = pattern[i];
    }
    if (shortest < Infinity) {
      var m = this.getTransform();
      var scale = Math.sqrt(m.a * m.a + m.b * m.b); // screen pixels per map unit
      var onScreen = shortest * scale;
      if (onScreen > 0 && onScreen < MIN_DASH_PX) {
        var stretch = MIN_DASH_PX / onScreen;
        pattern = Array.prototype.map.call(pattern, function (part) { return part * stretch; });
      }
      if (this.lineCap === "round" && pattern.length % 2 === 0) {
        var width = this.lineWidth;
        pattern = Array.prototype.map.call(pattern, function (part, i) {
          return i % 2 === 0 ? part + width : Math.max(0, part - width);
        });
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

// Links out of view: vis-network skips the elements out of view when it draws, but draws every link
// (and searches each arrow's place on its element's border), so a zoomed-in large map (the live map
// opens at a readable zoom, showing part of it) costs what the whole map costs. Here a link is drawn
// only when the box around its curve (ends and control points, with MARGIN for its label and arrow)
// meets the view, or when it is selected or hovered.
// vis-network keeps where a link's arrow stops from its last draw, and curves and label places are
// worked out from there; so a link out of view whose element moved since has that place found
// again, without drawing it on the map (on a scratch canvas).
//
// Usage: wbDrawInView(network) once, after new vis.Network(...) (before wbQuickDrag, which draws
// through it).

function wbDrawInView(network) {
  "use strict";
  var MARGIN = 120; // canvas units
  var renderer = network && network.renderer;
  var body = network && network.body;
  if (!renderer || typeof renderer._drawEdges !== "function" || typeof renderer._drawArrows !== "function") return;
  if (renderer.wbDrawInView) return;
  renderer.wbDrawInView = true;
  var drawEdges = renderer._drawEdges;
  var drawArrows = renderer._drawArrows;
  var scratch = null;
  var area = null; // the view of the frame being drawn, in canvas units

  function viewArea() {
    var canvas = network.canvas;
    var el = canvas && canvas.frame && canvas.frame.canvas;
    if (!el || !el.clientWidth || typeof canvas.DOMtoCanvas !== "function") return null;
    var a = canvas.DOMtoCanvas({ x: 0, y: 0 });
    var b = canvas.DOMtoCanvas({ x: el.clientWidth, y: el.clientHeight });
    return { left: a.x - MARGIN, top: a.y - MARGIN, right: b.x + MARGIN, bottom: b.y + MARGIN };
  }

  function seen(edge) {
    var from = edge.from;
    var to = edge.to;
    if (!from || !to || edge.selected || edge.hover) return true;
    // A cubic Bezier's control points (vis-network's) and a straight line stay within the box of the
    // two ends; other curves bend out of it, by at most the link's length.
    var smooth = edge.options.smooth;
    var curved = from === to || (smooth && smooth.enabled !== false && smooth.type !== "cubicBezier");
    var bulge = curved ? Math.max(Math.abs(to.x - from.x), Math.abs(to.y - from.y), 100) : 0;
    return Math.min(from.x, to.x) - bulge <= area.right && Math.max(from.x, to.x) + bulge >= area.left
      && Math.min(from.y, to.y) - bulge <= area.bottom && Math.max(from.y, to.y) + bulge >= area.top;
  }

  function moved(edge) {
    return edge.wbFromX !== edge.from.x || edge.wbFromY !== edge.from.y
      || edge.wbToX !== edge.to.x || edge.wbToY !== edge.to.y;
  }

  function arrows(edge, ctx) {
    edge.drawArrows(ctx);
    edge.wbFromX = edge.from.x;
    edge.wbFromY = edge.from.y;
    edge.wbToX = edge.to.x;
    edge.wbToY = edge.to.y;
  }

  renderer._drawEdges = function (ctx) {
    area = viewArea();
    if (!area) return drawEdges.call(this, ctx);
    var ids = body.edgeIndices;
    for (var i = 0; i < ids.length; i++) {
      var edge = body.edges[ids[i]];
      if (edge.connected === true && seen(edge)) edge.draw(ctx);
    }
    return undefined;
  };

  renderer._drawArrows = function (ctx) {
    if (!area) return drawArrows.call(this, ctx);
    var ids = body.edgeIndices;
    for (var i = 0; i < ids.length; i++) {
      var edge = body.edges[ids[i]];
      if (edge.connected !== true) continue;
      if (seen(edge)) {
        arrows(edge, ctx);
      } else if (edge.from && edge.to && moved(edge)) {
        if (!scratch) scratch = document.createElement("canvas").getContext("2d");
        arrows(edge, scratch);
      }
    }
    return undefined;
  };
}
