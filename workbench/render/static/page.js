// The standalone page's script (render/html.py inlines it after vis-network and the shared scripts,
// map_build.js, edge_labels.js and map_canvas.js).
// Starts vis-network with the options in the small JSON block #wb-start and sets `window.workbench`;
// from the next task on, reads the graph from the JSON block #wb-data and puts it on the map, with
// tooltips built as DOM elements with textContent (never innerHTML); `data-ready` on <body> when done.
(function () {
  "use strict";
  var start = JSON.parse(document.getElementById("wb-start").textContent);
  var data = null; // the graph (#wb-data), read in the build's first task
  function tooltip(text) {
    var lines = String(text == null ? "" : text).split("\n");
    var box = document.createElement("div");
    box.className = "wb-tip";
    var head = document.createElement("div");
    head.className = "wb-tip-head";
    head.textContent = lines[0];
    box.appendChild(head);
    if (lines.length > 1) {
      var body = document.createElement("div");
      body.className = "wb-tip-body";
      body.textContent = lines.slice(1).join("\n");
      box.appendChild(body);
    }
    return box;
  }
  var container = document.getElementById("wb-graph");
  if (start.elements === 0) {
    var empty = document.createElement("p");
    empty.className = "wb-empty";
    empty.textContent = "This formulation has no elements yet.";
    container.appendChild(empty);
    document.body.setAttribute("data-ready", "true");
    return;
  }
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, start.options);
  wbQuickDashes(network); // map_canvas.js: dashes a zoomed-out map can draw quickly
  wbQuickArrows(network); // map_canvas.js: arrow ends found once, not at every draw
  wbQuickFrames(network); // map_canvas.js: a frame asked for after links drawn ahead copies them
  window.workbench = { network: network, nodes: nodes, edges: edges, tooltip: tooltip };
  document.getElementById("wb-fit").addEventListener("click", function () { network.fit(); });
  container.addEventListener("mouseleave", function () {  // vis-network keeps a tooltip up otherwise
    var handler = network.interactionHandler;
    if (handler && handler.popup) { handler.popupObj = undefined; handler.popup.hide(); }
  });
  // The elements and links go onto the map in slices, the page free in between (map_build.js), from
  // the next task on (this one made vis-network, which is enough for one task), which reads the data.
  window.workbench.build = null; // the build (wbBuildMap's), once it has started
  wbLater(function () {
    data = JSON.parse(document.getElementById("wb-data").textContent);
    window.workbench.build = wbBuildMap(network, data.nodes, data.edges, laidOut, {
      prepare: function (item) { item.title = tooltip(item.title); return item; },
      fitted: bendLinksInALayer,
      drawAhead: true, // the first draw's work in the build's slices (map_canvas.js)
    });
  });

  // Laid out and fitted (the first draw's work is done next, in the build's slices).
  function bendLinksInALayer() {
    var labels = wbEdgeLabels(network, edges);
    window.workbench.edgeLabels = labels;
    // Bend links within one layer upwards, away from the labels drawn below the symbols (before the
    // first draw, which shows them bent).
    if (start.options.layout.hierarchical.direction === "UD") {
      var pos = network.getPositions();
      var bends = [];
      data.edges.forEach(function (e) {
        var a = pos[e.from], b = pos[e.to];
        if (e.same_level && a && b) {
          bends.push({ id: e.id, smooth: { enabled: true, roundness: e.smooth.roundness,
                                           type: a.x <= b.x ? "curvedCW" : "curvedCCW" } });
        }
      });
      if (bends.length) { labels.apply(bends); }  // these links only: no new layout of the map
    }
  }

  // Built: the first draw comes at the next frame.
  function laidOut() {
    // After the first draw, in a task of its own (not inside vis-network's drawing task).
    network.once("afterDrawing", function () { setTimeout(afterFirstDraw, 0); });
  }

  function afterFirstDraw() {
    // Keep link labels off the elements and each other; a label with no free place shows on hover.
    // Placement on a large map is spread over several tasks; the page says it is ready once the
    // map is drawn with the labels placed.
    function ready() {
      // The draw that shows the placed labels, ahead, in slices (map_canvas.js): links given a new
      // curve (or ending at a new border) find their arrow ends and where their lines stop, and go
      // into the pictures that frame copies, so that it stays short. The map is drawn once after that.
      wbFrameFromPictures(network, function () {
        // Ready once that frame is drawn, or the one asked for while it was (the label placement asks
        // for a second draw, for links given a new curve).
        network.once("afterDrawing", function () {
          setTimeout(function () {
            if (network.renderer.redrawRequested !== true) document.body.setAttribute("data-ready", "true");
            else network.once("afterDrawing", function () { document.body.setAttribute("data-ready", "true"); });
          }, 0);
        });
      });
    }
    var labels = window.workbench.edgeLabels;
    labels.place(ready);
  }
})();
