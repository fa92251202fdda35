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
