// The live formulation graph: an anywidget view over vis-network.
//
// Data protocol (see graph_view.py):
// - `snapshot` = {seq, nodes, edges} holds all items (sent on a new case or version, or on request).
// - `patch` = {seq, base, nodes: {update: [...], remove: [...]}, edges: {...}} changes only the
//   items named. A view applies a patch when its base is the sequence number it has; otherwise it
//   asks Python for a fresh snapshot ({type: "resync"}), so it never shows stale data.
// - `selected` is two-way: a click sets it; setting it from Python selects and focuses the item.
// vis-network comes from render/assets.py (never a CDN) through one shared VisLibrary widget (`library`)
// and is put into the page once (no CDN). Every label and tooltip is inserted as text (textContent), never as HTML.

const VIS_SCRIPT_ID = "wb-vis-network-js";
const VIS_STYLE_ID = "wb-vis-network-css";

// The library travels once per kernel in a shared VisLibrary widget (see graph_view.py).
async function librarySource(model) {
  const ref = model.get("library");
  if (ref && typeof ref.get === "function") return ref;
  if (typeof ref === "string" && ref.startsWith("IPY_MODEL_") && model.widget_manager) {
    return await model.widget_manager.get_model(ref.slice("IPY_MODEL_".length));
  }
  throw new Error("The vis-network library was not sent to the page.");
}

// The library goes into the page as a script of its own from a blob: URL: Chromium compiles it off
// the main thread and runs it in a task of its own, not inside the task that draws the app's widgets
// (1.5 MB: about 55 ms there on a busy 2-core machine). Where the page's policy forbids blob:
// scripts, it runs inline as before. Nothing leaves the machine either way.
let visLoading = null;
function runScript(code) {
  return new Promise((resolve) => {
    const inline = () => {
      const script = document.createElement("script");
      script.id = VIS_SCRIPT_ID;
      script.textContent = code;
      document.head.appendChild(script);
      resolve();
    };
    if (typeof Blob === "undefined" || !URL.createObjectURL) {
      inline();
      return;
    }
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    const script = document.createElement("script");
    script.id = VIS_SCRIPT_ID;
    script.src = url;
    script.onload = () => {
      URL.revokeObjectURL(url);
      wbLater(resolve); // the map is made in a task after the library's own
    };
    script.onerror = () => {
      URL.revokeObjectURL(url);
      script.remove();
      inline();
    };
    document.head.appendChild(script);
  });
}

async function ensureVis(model) {
  const loaded = globalThis.vis && globalThis.vis.Network && globalThis.vis.DataSet;
  const styled = document.getElementById(VIS_STYLE_ID);
  if (loaded && styled) return globalThis.vis;
  const library = await librarySource(model);
  if (!(globalThis.vis && globalThis.vis.Network && globalThis.vis.DataSet)) {
    if (!visLoading) {
      const source = library.get("js");
      if (!source) throw new Error("The vis-network library was not sent to the page.");
      // Hide AMD/CommonJS loaders so the UMD build defines the global `vis`.
      visLoading = runScript("(function (define, module, exports) {\n" + source + "\n}).call(window);");
    }
    await visLoading; // every map of the page waits for the one script
  }
  if (!document.getElementById(VIS_STYLE_ID)) {
    const style = document.createElement("style");
    style.id = VIS_STYLE_ID;
    style.textContent = library.get("css") || "";
    document.head.appendChild(style);
  }
  return globalThis.vis;
}

function tooltip(text) {
  const tip = document.createElement("div");
  tip.className = "wb-graph-tip";
  tip.textContent = String(text);
  return tip;
}

// Lines of a node label drawn on the map at most (the tooltip has the label whole).
const LABEL_LINES = 5;
// After the automatic fit, labels are never drawn smaller than the `min_fit_scale` zoom (by default
// 0.72: 14 px fonts stay >= 10 px); 0 always shows the whole map (the presenter). The Fit button
// still shows the whole map however small.
const MIN_FIT_SCALE = 0.72;

// Wrap a label into lines of about `width` characters. A long word keeps a line of its own and is
// cut only beyond LONG_WORD characters ("Intellectualisation" stays whole).
const LONG_WORD = 22;
function wrapLabel(text, width) {
  const words = String(text).split(/\s+/).filter((w) => w);
  const longest = Math.max(width, LONG_WORD);
  const lines = [];
  let line = "";
  for (let word of words) {
    while (word.length > longest) {
      if (line) { lines.push(line); line = ""; }
      lines.push(word.slice(0, longest));
      word = word.slice(longest);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += " " + word;
    else { lines.push(line); line = word; }
  }
  if (line) lines.push(line);
  if (lines.length > LABEL_LINES) {
    lines.length = LABEL_LINES;
    lines[LABEL_LINES - 1] = lines[LABEL_LINES - 1].replace(/.?$/, "…");
  }
  return lines.join("\n");
}

function prepare(item, labelWidth) {
  const copy = Object.assign({}, item);
  if (typeof copy.title === "string" && copy.title) copy.title = tooltip(copy.title);
  if (copy.label != null) copy.label = String(copy.label);
  // Narrower labels make a narrower map, drawn larger when fitted (nodes only, not link verbs).
  if (labelWidth > 0 && copy.label && copy.from == null && copy.full_label != null) {
    // Re-wrap from the whole label (the given one may be cut short), keeping any prefix such as "+ ".
    const flat = copy.label.split(/\s+/).join(" ");
    const full = String(copy.full_label).split(/\s+/).join(" ").trim();
    const start = full ? flat.indexOf(full.slice(0, 12)) : -1;
    copy.label = wrapLabel(start >= 0 ? flat.slice(0, start) + full : flat, labelWidth);
  }
  return copy;
}

// Pans and zooms are animated on small maps only: on a big one every frame of the animation redraws
// hundreds of elements, so the view jumps there at once (one redraw) instead.
const ANIMATE_MAX_NODES = 150;

function isHierarchical(options) {
  return !!(options.layout && options.layout.hierarchical && options.layout.hierarchical.enabled);
}

// The options as vis-network gets them: its own force layout of elements without a position
// ("improvedLayout", run when a whole data set is handed over) stays off: ours are layered or kept.
function visOptions(options) {
  return Object.assign({}, options, { layout: Object.assign({}, options.layout, { improvedLayout: false }) });
}

async function render({ model, el }) {
  const vis = await ensureVis(model);
  el.classList.add("wb-graph-root");

  const frame = document.createElement("div");
  frame.className = "wb-graph-frame";
  const canvas = document.createElement("div");
  canvas.className = "wb-graph-canvas";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-label",
    "Formulation map: drag to move, scroll to zoom, click to select; L links two elements by typing");
  const caption = document.createElement("div");
  caption.className = "wb-graph-caption";
  const empty = document.createElement("div");
  empty.className = "wb-graph-empty";
  empty.textContent = "No elements yet: add the first one with the element form.";
  frame.append(canvas, caption, empty);
  el.appendChild(frame);

  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  let appliedSeq = -1;
  let placed = false; // the layered layout has been done once; positions are now the user's
  let options = Object.assign({}, model.get("options") || {});
  const network = new vis.Network(canvas, { nodes, edges }, visOptions(options));
  wbDeferRedraws(network); // one draw per frame, never one inside each change (map_frames.js)
  wbDrawInView(network); // links wholly out of view are not drawn (map_frames.js)
  wbQuickDrag(network); // dragging elements draws again only their own links (map_frames.js)
  wbQuickDashes(network); // dashes a zoomed-out map can draw quickly (render/map_canvas.js)
  wbQuickArrows(network); // arrow ends found once, not at every draw (render/map_canvas.js)
  // Frames at rest copy the links from pictures drawn ahead in slices (the build's first frame, and
  // each edit's: drawEditAhead); installed last, over wbDrawInView and wbQuickDrag (render/map_canvas.js).
  wbQuickFrames(network);
  let hierarchical = isHierarchical(options);
  // Link labels kept off elements and each other (wbEdgeLabels from workbench/render/edge_labels.js,
  // put before this module by graph_view.py); a label with no free place shows on hover or selection.
  const edgeLabels = typeof wbEdgeLabels === "function" ? wbEdgeLabels(network, edges) : null;
  const placeLabels = () => { if (edgeLabels) edgeLabels.place(); };
  // After a patch, only the labels of the changed links and near the changed elements move; `inline`:
  // now, before the map is drawn again (see afterEdit).
  function placeChangedLabels(nodeIds, linkIds, inline) {
    if (edgeLabels) edgeLabels.placeAround(nodeIds, null, linkIds, inline);
  }

  // New elements land in their layer's row without covering anything (map_placement.js).
  const placement = wbPlacement(network, nodes, () => (options.layout && options.layout.hierarchical) || {});

  // Link two elements on the map, with the mouse or the keyboard (map_linking.js).
  const linking = wbMapLinking({ network, nodes, model, frame, canvas });

  const labelWidth = () => Number(model.get("label_width")) || 0;
  const animation = () => (nodes.length > ANIMATE_MAX_NODES ? false : { duration: 300 });
  const prep = (item) => prepare(item, labelWidth());

  // Fit the whole map, but keep labels readable: zoom back in (around the centre) if it came out tiny.
  function fitReadable() {
    network.fit({ animation: false });
    const set = model.get("min_fit_scale");
    const least = set == null ? MIN_FIT_SCALE : Number(set);
    if (nodes.length === 0 || !(least > 0) || network.getScale() >= least) return;
    network.moveTo({ position: network.getViewPosition(), scale: least, animation: false });
  }

  function setHeight() {
    frame.style.height = model.get("height") || "560px";
  }

  function updateCaption() {
    caption.textContent = model.get("caption") || "";
    caption.style.display = caption.textContent ? "" : "none";
    el.classList.toggle("wb-graph-readonly", !!model.get("read_only"));
  }

  function updateEmpty() {
    empty.style.display = nodes.length === 0 ? "" : "none";
  }

  // After the first layered layout, keep every position as the user leaves it: switch the
  // automatic layout off and store the positions, so later changes do not move anything.
  function freezeLayout() {
    if (placed || nodes.length === 0) return;
    placed = true;
    if (!hierarchical) return;
    const positions = network.getPositions();
    wbLayoutOff(network);
    wbSetPositions(network, nodes, Object.keys(positions).map((id) => ({ id, x: positions[id].x, y: positions[id].y })));
  }

  // Replace every item: the map is emptied, then built again in slices with the page free in
  // between (wbBuildMap, render/map_build.js): one pass over the whole map, one layout, one draw.
  // Items from Python are prepared (tooltips, wrapped labels) in the build's slices too.
  // `beforeFill` runs while the map is empty (e.g. new options: no layout of the old items);
  // `then` once the map is laid out (drawn at the next frame). A newer refill stops an older one.
  let building = null;
  let fills = 0; // refills so far: a chain of steps (inTurn) of an older one stops
  function refill(nodeItems, edgeItems, beforeFill, then) {
    if (building) building.cancel(); // its `then` never runs
    cancelEditAhead();
    fills += 1;
    network.body.emitter.emit("_allowRedraw"); // an older fill's steps (inTurn) may have held the draw
    network.setData({ nodes: new vis.DataSet(), edges: new vis.DataSet() });
    nodes.clear();
    edges.clear();
    network.setData({ nodes, edges }); // empty: vis-network listens to them again
    if (beforeFill) beforeFill();
    const build = wbBuildMap(network, nodeItems, edgeItems, () => {
      building = null;
      if (then) then();
      applyPatch(); // a patch that came while the map was being built
    }, { prepare: prep, drawAhead: true }); // the first draw's work done in the build's slices
    building = build.busy ? build : null;
  }

  // Run `steps` one task each (a large map's settling is tens of ms a step), with no draw in between
  // (a half-settled map is not shown); the map is drawn once after the last, and `drawn` runs in a
  // task after that draw (element boxes are measured where they are drawn). A newer fill stops them.
  function inTurn(steps, drawn) {
    const mine = fills;
    const emitter = network.body.emitter;
    emitter.emit("_blockRedraw");
    const next = (i) => wbLater(() => {
      if (mine !== fills) return;
      steps[i]();
      if (i + 1 < steps.length) {
        next(i + 1);
        return;
      }
      emitter.emit("_allowRedraw");
      network.once("afterDrawing", () => wbLater(() => { if (mine === fills) drawn(); }));
      emitter.emit("_requestRedraw");
    });
    next(0);
  }

  // A new node goes into its layer's row at a free place (see map_placement.js); before the first
  // layered layout there is nothing to place it against.
  function placeNew(item) {
    return placed ? placement.place(item) : item;
  }

  // Tell Python where the elements are (kept with the case's view state) and which ones were dragged.
  // Only the positions that changed since the last report travel, as a message (not synced state,
  // which the kernel would also echo back whole): an edit costs the same messages at any map size.
  let reported = null; // id -> "x,y" as last sent; null: send them all (a new case or layout)
  function reportPositions() {
    if (!placed || model.get("read_only")) return;
    const now = placement.positions();
    const full = reported === null;
    if (full) reported = new Map();
    const moved = {};
    let count = 0;
    for (const id of Object.keys(now)) {
      const key = now[id].join(",");
      if (reported.get(id) === key) continue;
      reported.set(id, key);
      moved[id] = now[id];
      count += 1;
    }
    const pins = [...placement.pinned].sort();
    if (JSON.stringify(pins) !== JSON.stringify([...(model.get("pinned") || [])].sort())) {
      model.set("pinned", pins);
      model.save_changes();
    }
    if (full || count) model.send({ type: "positions", full, positions: moved });
  }

  // Once drawn with real sizes: move changed elements off any element they cover, keep the map in view.
  // Then the labels: of the links that changed, and near the elements that changed or moved (all of
  // them after the first layout); one placement, so that a large map is not placed whole again.
  // `inline`: the map is laid out already and the changed elements measured (afterEdit).
  function afterNodesChanged(touched, added, changedLinks, inline) {
    const wasPlaced = placed;
    freezeLayout();
    if (!placed) return;
    // After the first layered layout, rows leave room for the labels (later rows are placed so).
    const moved = wasPlaced ? [...placement.settle(touched), ...placement.roomForVerbs(changedLinks)]
      : [...placement.spreadRows(), ...placement.settle(nodes.getIds())];
    if (added.length) placement.keepInView(added[added.length - 1]);
    if (wasPlaced) placeChangedLabels([...new Set([...touched, ...moved])], changedLinks, inline);
    else placeLabels();
    if (moved.length || added.length || !wasPlaced) reportPositions();
  }

  // An edit of a laid-out map, in the task that applied it: the changed elements are measured as
  // they will be drawn (vis-network would measure them only when it draws them), moved off others,
  // and the labels around them placed again (a few, at once; many go on in slices); the map is then
  // drawn once, at the next frame, with the edit and its labels together (before, the edit was drawn,
  // then its labels a frame later: two or three whole draws, the labels jumping in between).
  function afterEdit(touched, added, changedLinks) {
    const ctx = network.canvas.getContext();
    for (const id of touched) {
      const node = network.body.nodes[id];
      if (node) node.updateBoundingBox(ctx, node.selected, node.hover);
    }
    if (touched.length) {
      afterNodesChanged(touched, added, changedLinks, true);
    } else {
      const moved = placement.roomForVerbs(changedLinks); // a verb between two of a row
      placeChangedLabels(moved, changedLinks, true);
      if (moved.length) reportPositions();
    }
    drawEditAhead();
  }

  // The frame that shows an edit: its links (those in view: wbDrawInView) are drawn ahead into
  // pictures, in slices of their own (wbFrameFromPictures, render/map_canvas.js), with the map's draw
  // held until they are ready; that one draw then copies them and draws the elements. At 500 elements
  // the links were most of that draw (their script and, at the frame's Commit, their raster). Anything
  // that changes the map or the view meanwhile drops the pictures, and the frame draws as before.
  // When another step holds the draw already (a new case settling: inTurn), the edit is drawn as before.
  let editAhead = null; // the slices running, {cancel}
  function cancelEditAhead(release = true) {
    if (!editAhead) return;
    editAhead.cancel();
    editAhead = null;
    if (release) network.body.emitter.emit("_allowRedraw");
  }
  function drawEditAhead() {
    if (!network.wbFrames) return;
    if (editAhead) cancelEditAhead(false); // an edit that came while the one before was drawn ahead
    else if (network.renderer.allowRedraw !== true) return;
    // The edit's one draw: at the next frame, or at the frame the patch asked for if it is still to
    // come (render/map_canvas.js).
    editAhead = wbFrameFromPictures(network, () => { editAhead = null; });
  }

  function loadSnapshot() {
    placed = false;
    reported = null;
    const snap = model.get("snapshot") || {};
    placement.pinned.clear();
    for (const id of model.get("pinned") || []) placement.pin(id);
    const all = snap.nodes || []; // prepared as they go onto the map (refill)
    const kept = all.filter((n) => n.x != null && n.y != null);
    const unplacedNodes = all.filter((n) => n.x == null || n.y == null);
    const unplaced = unplacedNodes.map((n) => n.id);
    appliedSeq = snap.seq == null ? 0 : snap.seq; // a newer patch waits until the map is built (refill)
    refill(kept.length ? kept : all, snap.edges || [], () => {
      const fresh = model.get("options") || {};
      if (JSON.stringify(fresh) !== JSON.stringify(options)) {
        options = Object.assign({}, fresh); // e.g. another case with another template
        hierarchical = isHierarchical(options);
        network.setOptions(visOptions(options));
      } else if (hierarchical) {
        network.setOptions({ layout: options.layout });
      }
      if (kept.length && hierarchical) {
        // Positions kept with the case: no layered layout, the others are placed around them.
        network.setOptions({ layout: { hierarchical: { enabled: false } }, physics: { enabled: false } });
      }
    }, () => {
      if (kept.length) {
        placed = true;
        if (unplaced.length) placeUnplaced(unplacedNodes.map(prep));
      }
      updateEmpty();
      // Once drawn (at the next frame; boxes are measured then), in tasks of their own: settle, fit,
      // and the link labels (in slices).
      network.once("afterDrawing", () => {
        const wasPlaced = placed;
        inTurn([
          freezeLayout,
          () => { if (!wasPlaced) placement.spreadRows(); }, // a case's kept positions stay as they are
          () => placement.settle(wasPlaced ? unplaced : nodes.getIds()),
          () => { fitReadable(); reportPositions(); },
        ], placeLabels);
      });
      showSelected(false);
    });
  }

  // Elements a case kept no position for go into their layer's row at a free place, one after the
  // other (each placed against the boxes of the ones before: those are measured as they are added).
  function placeUnplaced(items) {
    network.redraw(); // measure the kept elements' boxes
    const ctx = network.canvas.getContext();
    for (const n of items) {
      nodes.add(placeNew(n));
      const node = network.body.nodes[n.id];
      if (node) node.updateBoundingBox(ctx, node.selected, node.hover);
    }
  }

  // vis merges updates into the old item: fields that disappeared are set to null (their default).
  function replaceItems(dataset, items, isNode, added) {
    const out = items.map((raw) => {
      let item = prep(raw);
      const old = dataset.get(item.id);
      if (old) {
        for (const key of Object.keys(old)) {
          // keep positions, and the label placement's per-link scaling (placed anew below)
          if (!(key in item) && key !== "x" && key !== "y" && key !== "scaling") item[key] = null;
        }
      } else if (isNode) {
        item = placeNew(item);
        if (added) added.push(item.id);
      }
      return item;
    });
    wbUpdateItems(network, dataset, out); // (map_frames.js)
  }

  function applyPatch() {
    if (building) return; // applied once the map is built (refill)
    const patch = model.get("patch") || {};
    if (patch.seq == null || patch.seq <= appliedSeq) return;
    if (patch.base !== appliedSeq) {
      model.send({ type: "resync", have: appliedSeq });
      return;
    }
    const pn = patch.nodes || {};
    const pe = patch.edges || {};
    if (pe.remove && pe.remove.length) edges.remove(pe.remove);
    if (pn.remove && pn.remove.length) nodes.remove(pn.remove);
    const added = [];
    const touched = (pn.update || []).map((n) => n.id);
    if (pn.update && pn.update.length) replaceItems(nodes, pn.update, true, added);
    if (pe.update && pe.update.length) replaceItems(edges, pe.update, false);
    appliedSeq = patch.seq;
    updateEmpty();
    const changedLinks = (pe.update || []).map((e) => e.id);
    if (nodes.length && !placed) {
      // the first elements of an empty map: laid out once drawn
      network.once("afterDrawing", () => wbLater(() => afterNodesChanged(touched, added, changedLinks)));
    } else if (nodes.length && (touched.length || changedLinks.length)) {
      afterEdit(touched, added, changedLinks);
    }
  }

  // Pan just enough to bring a node into the visible part of the canvas; zoom and the rest stay.
  function bringIntoView(id) {
    const pos = network.getPositions([id])[id];
    if (!pos) return;
    const dom = network.canvasToDOM(pos);
    const margin = 60;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    let dx = 0;
    let dy = 0;
    if (dom.x < margin) dx = dom.x - margin;
    else if (dom.x > width - margin) dx = dom.x - (width - margin);
    if (dom.y < margin) dy = dom.y - margin;
    else if (dom.y > height - margin) dy = dom.y - (height - margin);
    if (!dx && !dy) return;
    const scale = network.getScale();
    const centre = network.getViewPosition();
    network.moveTo({
      position: { x: centre.x + dx / scale, y: centre.y + dy / scale },
      scale,
      animation: animation(),
    });
  }

  let fromClick = false;
  function showSelected(focus) {
    const id = model.get("selected") || "";
    if (!id) {
      // (unselectAll draws the whole map at once, even when nothing was selected)
      if (network.getSelectedNodes().length || network.getSelectedEdges().length) network.unselectAll();
      return;
    }
    if (nodes.get(id)) {
      network.selectNodes([id], false);
      if (focus) bringIntoView(id);
    } else if (edges.get(id)) {
      network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    } else {
      network.unselectAll();
    }
    if (edgeLabels) edgeLabels.refresh(); // a quiet label shows while its link is selected
  }

  network.on("click", (params) => {
    if (linking.handlesClick()) return;
    const id = (params.nodes && params.nodes[0]) || (params.edges && params.edges[0]) || "";
    if (id === (model.get("selected") || "")) return;
    fromClick = true;
    model.set("selected", id);
    model.save_changes();
    fromClick = false;
  });

  // An element the user dragged keeps its place from now on (re-arranging and placement leave it).
  network.on("dragEnd", (params) => {
    if (!params.nodes || !params.nodes.length || model.get("read_only")) return;
    for (const id of params.nodes) placement.pin(id);
    reportPositions();
  });

  function onMessage(msg) {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "fit") network.fit({ animation: animation() });
    if (msg.type === "relayout") relayout();
    linking.onMessage(msg);
  }

  // Lay out anew from the items as they are now, in layers; the elements the user dragged stay where
  // they are and the others move off them.
  function relayout() {
    const keep = network.getPositions([...placement.pinned]);
    const keptNodes = nodes.get().map((n) => {
      const copy = Object.assign({}, n);
      delete copy.x;
      delete copy.y;
      return copy;
    });
    const keptEdges = edges.get();
    placed = false;
    reported = null;
    refill(keptNodes, keptEdges, () => {
      if (hierarchical) network.setOptions({ layout: options.layout });
    }, () => network.once("afterDrawing", () => inTurn([
      freezeLayout,
      () => wbSetPositions(network, nodes, Object.keys(keep).map((id) => ({ id, x: keep[id].x, y: keep[id].y }))),
    ], () => inTurn([
      // settle against the boxes as drawn with the dragged elements back in their places
      () => placement.settle(nodes.getIds()),
      () => { fitReadable(); reportPositions(); },
    ], placeLabels))));
  }

  const onSnapshot = () => loadSnapshot();
  const onPatch = () => applyPatch();
  const onSelected = () => showSelected(!fromClick);
  model.on("change:snapshot", onSnapshot);
  model.on("change:patch", onPatch);
  model.on("change:selected", onSelected);
  model.on("change:caption", updateCaption);
  model.on("change:read_only", updateCaption);
  model.on("change:height", setHeight);
  model.on("msg:custom", onMessage);

  setHeight();
  updateCaption();
  loadSnapshot();
  applyPatch(); // a patch newer than the snapshot: apply it, or ask for a fresh snapshot

  return () => {
    model.off("change:snapshot", onSnapshot);
    model.off("change:patch", onPatch);
    model.off("change:selected", onSelected);
    model.off("change:caption", updateCaption);
    model.off("change:read_only", updateCaption);
    model.off("change:height", setHeight);
    model.off("msg:custom", onMessage);
    if (building) building.cancel();
    if (editAhead) editAhead.cancel();
    linking.destroy();
    network.destroy();
  };
}

export default { render };
