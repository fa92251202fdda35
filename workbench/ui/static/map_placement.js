// Placement on the live map (put before graph_view.js by graph_view.py): while a map is built, a
// new element lands in its layer's row at the free place nearest the middle of the map, measured
// with the real boxes of every element and its label, and the view keeps the whole map in sight.
// Elements the user dragged are "pinned": placement never moves them.
//
// wbPlacement(network, nodes, layout) -> {place, settle, spreadRows, roomForVerbs, keepInView, pin, pinned,
//                                         positions}
//   layout() returns the hierarchical layout options (levelSeparation: the distance of two rows).
/* global wbSetPositions, wbElementBox -- from map_frames.js and edge_labels.js, joined in before this part */

// Canvas units kept free around every element box.
const PLACE_GAP = 26;
// Canvas units kept free between the lowest label of a row and the highest element of the next: room
// for a link between the rows and its verb, off the labels (a label hangs under a diamond or a dot).
const ROW_ROOM = 48;
// Canvas units kept free on each side of a link's verb between two linked elements of one row.
const VERB_ROOM = 14;
// Half the height of a new element, before it is drawn and measured (canvas units).
const NEW_HALF = 30;
// While a map is built it is zoomed out to show it whole, but never below this scale (then it pans).
const BUILD_MIN_SCALE = 0.3;
// Pixels of the frame kept free around the map when it is brought into view (more at the top, for
// the Link button, and at the bottom, for the hint line).
const VIEW_MARGIN = 24;
const VIEW_MARGIN_TOP = 44;
const VIEW_MARGIN_BOTTOM = 36;

function wbPlacement(network, nodes, layout) {
  const pinned = new Set();

  // The distance of two rows: the layout's, or more when the labels hanging under the elements
  // (measured) with ROW_ROOM below them and an element's top half (NEW_HALF) need more.
  function rowGap() {
    let hang = 0;
    for (const b of allBoxes().values()) {
      const node = network.body.nodes[b.id];
      if (node) hang = Math.max(hang, b.bottom - node.y);
    }
    return Math.max((layout() || {}).levelSeparation || 150, hang + ROW_ROOM + NEW_HALF);
  }
  const layerOf = (n) => (n.layer != null ? n.layer : n.level != null ? n.level : 0);

  // The box of a node with all of its label (canvas units): wbElementBox from edge_labels.js (joined in
  // before this part), as vis-network's own box leaves out the last line of a label under a symbol.
  function measured(id) {
    const b = wbElementBox(network, id);
    return b ? { id, left: b.left, right: b.right, top: b.top, bottom: b.bottom } : null;
  }

  // Every element's box by id, with an index of horizontal bands (see near()).
  function allBoxes() {
    const boxes = new Map();
    for (const id of nodes.getIds()) {
      const b = measured(id);
      if (b) boxes.set(id, b);
    }
    boxes.bands = null;
    return boxes;
  }

  // The boxes that reach into the height from `top` to `bottom` (and maybe a few more): looked up in
  // bands of BAND canvas units, so that settling a large map is not every box against every box.
  // Placement moves boxes across only, so their bands stay.
  const BAND = 80;
  function near(boxes, top, bottom) {
    if (!boxes.bands) {
      boxes.bands = new Map();
      for (const b of boxes.values()) {
        for (let k = Math.floor(b.top / BAND); k <= Math.floor(b.bottom / BAND); k++) {
          const band = boxes.bands.get(k);
          if (band) band.push(b);
          else boxes.bands.set(k, [b]);
        }
      }
    }
    const found = new Set();
    for (let k = Math.floor(top / BAND); k <= Math.floor(bottom / BAND); k++) {
      for (const b of boxes.bands.get(k) || []) found.add(b);
    }
    return found;
  }

  function covers(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap &&
      a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  // Move an element at once on the map and in `moves` (set in the data all together, with one draw,
  // by wbSetPositions from map_frames.js: one data-set update per element would redraw the map each time).
  function move(id, x, y, boxes, moves) {
    const node = network.body.nodes[id];
    const b = boxes.get(id);
    if (node && b) {
      const dx = x - node.x;
      const dy = y - node.y;
      b.left += dx;
      b.right += dx;
      b.top += dy;
      b.bottom += dy;
    }
    if (node) {
      node.x = x;
      node.y = y;
    }
    moves.push({ id, x, y });
  }

  // The x nearest `cx` where a box `ext` (offsets from its centre) at height `y` covers no other box.
  function freeX(id, y, ext, cx, boxes) {
    const blocked = [];
    for (const b of near(boxes, y + ext.top - PLACE_GAP, y + ext.bottom + PLACE_GAP)) {
      if (b.id === id) continue;
      if (b.bottom + PLACE_GAP <= y + ext.top || b.top - PLACE_GAP >= y + ext.bottom) continue;
      blocked.push([b.left - PLACE_GAP - ext.right, b.right + PLACE_GAP - ext.left]);
    }
    blocked.sort((p, q) => p[0] - q[0]);
    const merged = [];
    for (const span of blocked) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push(span.slice());
    }
    const inside = merged.find((s) => cx > s[0] && cx < s[1]);
    if (!inside) return cx;
    return cx - inside[0] <= inside[1] - cx ? inside[0] : inside[1];
  }

  // The middle of the map across (where rows grow from), or of the view when the map is empty.
  function middleX(boxes, except) {
    let left = Infinity;
    let right = -Infinity;
    for (const b of boxes.values()) {
      if (b.id === except) continue;
      left = Math.min(left, b.left);
      right = Math.max(right, b.right);
    }
    return left <= right ? (left + right) / 2 : network.getViewPosition().x;
  }

  // Move every element whose row is at or below `y` down by `dy` (the ones the user dragged stay).
  function shiftRows(y, dy, except) {
    const pos = network.getPositions();
    const moved = Object.keys(pos)
      .filter((id) => id !== except && !pinned.has(id) && pos[id].y >= y - 1)
      .map((id) => ({ id, x: pos[id].x, y: pos[id].y + dy }));
    wbSetPositions(network, nodes, moved);
  }

  // The height of the row of `item`'s layer: the emptiest row of its layer, else between the rows of
  // the layers above and below (making room when they are too close), else above or below them.
  function rowY(item) {
    const layer = layerOf(item);
    const others = nodes.get({ filter: (n) => n.id !== item.id && !pinned.has(n.id) });
    const pos = network.getPositions(others.map((n) => n.id));
    const rows = new Map();
    let above = null;
    let below = null;
    for (const n of others) {
      const p = pos[n.id];
      if (!p) continue;
      const l = layerOf(n);
      if (l === layer) {
        const key = Math.round(p.y);
        rows.set(key, (rows.get(key) || 0) + 1);
      } else if (l < layer) above = above == null ? p.y : Math.max(above, p.y);
      else below = below == null ? p.y : Math.min(below, p.y);
    }
    if (rows.size) return [...rows].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0][0];
    const gap = rowGap();
    if (above == null && below == null) return (item.level || 0) * gap;
    if (below == null) return above + gap;
    if (above == null) return below - gap;
    if (below - above < 2 * gap - 1) shiftRows(below, above + 2 * gap - below, item.id);
    return above + gap;
  }

  // A position for a node about to be added: its layer's row, near the middle (settled once drawn).
  function place(item) {
    if (item.x != null && item.y != null) return item;
    const y = rowY(item);
    const boxes = allBoxes();
    const half = 80;
    const ext = { left: -half, right: half, top: -NEW_HALF, bottom: NEW_HALF };
    const x = freeX(item.id, y, ext, middleX(boxes, item.id), boxes);
    return Object.assign({}, item, { x, y });
  }

  // Move each of `ids` that covers another element (or is covered by one) to the nearest free place
  // in its row; a pinned element stays and the elements it covers move instead. Returns the moved ids.
  function settle(ids) {
    const boxes = allBoxes();
    const moved = [];
    const moves = [];
    const clear = (id) => {
      const b = boxes.get(id);
      const at = network.body.nodes[id];
      if (!b || !at) return;
      let hit = false;
      for (const ob of near(boxes, b.top - PLACE_GAP, b.bottom + PLACE_GAP)) {
        if (ob.id !== id && covers(b, ob, PLACE_GAP / 2)) { hit = true; break; }
      }
      if (!hit) return;
      const ext = { left: b.left - at.x, right: b.right - at.x, top: b.top - at.y, bottom: b.bottom - at.y };
      const x = freeX(id, at.y, ext, middleX(boxes, id), boxes);
      move(id, x, at.y, boxes, moves);
      moved.push(id);
    };
    for (const id of ids) {
      if (!boxes.has(id)) continue;
      if (!pinned.has(id)) {
        clear(id);
        continue;
      }
      const b = boxes.get(id);
      for (const ob of near(boxes, b.top - PLACE_GAP, b.bottom + PLACE_GAP)) {
        if (ob.id !== id && !pinned.has(ob.id) && covers(b, ob, PLACE_GAP / 2)) clear(ob.id);
      }
    }
    wbSetPositions(network, nodes, moves);
    return moved;
  }

  // The width of a link's verb as drawn (canvas units; measured if it was not drawn yet), 0 if none.
  function verbWidth(edge) {
    const lm = edge.labelModule;
    if (!lm || !edge.options.label) return 0;
    if (!lm.size || !lm.size.width) lm.getTextSize(network.canvas.getContext(), false, false);
    return lm.size.width || 0;
  }

  // Two linked elements side by side in one row leave room between them for their link's verb (with
  // VERB_ROOM each side), else it is crowded between them or hidden: the right one moves across, with
  // the elements beyond it in the row (which keeps them apart); if one of those was dragged by the user,
  // the left one moves the other way with the elements before it instead. `linkIds`: the links to look
  // at (all when not given). Returns the moves [{id, x, y}]; nothing is set on the map.
  function verbRoom(linkIds) {
    const pos = network.getPositions();
    const body = network.body;
    const pairs = [];
    for (const id of linkIds || Object.keys(body.edges)) {
      const edge = body.edges[id];
      if (!edge || !pos[edge.fromId] || !pos[edge.toId] || edge.fromId === edge.toId) continue;
      const key = Math.round(pos[edge.fromId].y);
      if (key !== Math.round(pos[edge.toId].y)) continue;
      const width = verbWidth(edge);
      if (width > 0) pairs.push({ a: edge.fromId, b: edge.toId, key, need: width + 2 * VERB_ROOM });
    }
    if (!pairs.length) return [];
    const boxes = allBoxes();
    const rows = new Map(); // y -> ids of the row
    for (const id of Object.keys(pos)) {
      const key = Math.round(pos[id].y);
      if (!rows.has(key)) rows.set(key, []);
      rows.get(key).push(id);
    }
    const dx = new Map(); // id -> shift across
    const x = (id) => pos[id].x + (dx.get(id) || 0);
    pairs.sort((p, q) => Math.max(pos[p.a].x, pos[p.b].x) - Math.max(pos[q.a].x, pos[q.b].x));
    for (const p of pairs) {
      const [left, right] = x(p.a) <= x(p.b) ? [p.a, p.b] : [p.b, p.a];
      const row = rows.get(p.key);
      if (!boxes.has(left) || !boxes.has(right)) continue;
      // only neighbours: a link over another element of the row has its own trouble
      if (row.some((id) => id !== left && id !== right && x(id) > x(left) && x(id) < x(right))) continue;
      const gap = boxes.get(right).left + (dx.get(right) || 0) - boxes.get(left).right - (dx.get(left) || 0);
      if (gap >= p.need) continue;
      const beyond = row.filter((id) => id !== left && x(id) >= x(right));
      const before = row.filter((id) => id !== right && x(id) <= x(left));
      const [group, by] = !beyond.some((id) => pinned.has(String(id))) ? [beyond, p.need - gap]
        : !before.some((id) => pinned.has(String(id))) ? [before, gap - p.need] : [[], 0];
      for (const id of group) dx.set(id, (dx.get(id) || 0) + by);
    }
    const moves = [];
    for (const [id, d] of dx) if (Math.abs(d) > 0.5) moves.push({ id, x: pos[id].x + d, y: pos[id].y });
    return moves;
  }

  // Make room for the verbs of `linkIds` (all links when not given) between linked elements of one
  // row (see verbRoom), on the map and in the data. Returns the moved ids.
  function roomForVerbs(linkIds) {
    const moves = verbRoom(linkIds);
    wbSetPositions(network, nodes, moves);
    return moves.map((m) => m.id);
  }

  // Move rows down (with every row below them) until each row's elements start ROW_ROOM below the
  // lowest label of the row above: rows are as far apart as the layout's levelSeparation, which does not
  // know how tall the labels are. Within rows, linked neighbours get room for their verb (verbRoom).
  // Elements the user dragged stay and are not counted. Returns the moved ids.
  function spreadRows() {
    const across = new Map(verbRoom().map((m) => [m.id, m.x])); // and room for verbs within rows
    const boxes = allBoxes();
    const pos = network.getPositions();
    const rows = new Map(); // y -> {top, bottom, ids}: extent from the row's y, canvas units
    for (const [id, b] of boxes) {
      const p = pos[id];
      if (!p || pinned.has(String(id))) continue;
      const key = Math.round(p.y);
      const row = rows.get(key) || { top: 0, bottom: 0, ids: [] };
      row.top = Math.min(row.top, b.top - p.y);
      row.bottom = Math.max(row.bottom, b.bottom - p.y);
      row.ids.push(id);
      rows.set(key, row);
    }
    const moves = [];
    let shift = 0;
    let above = -Infinity; // the lowest label of the row above, after its shift
    for (const y of [...rows.keys()].sort((a, b) => a - b)) {
      const row = rows.get(y);
      shift = Math.max(shift, above + ROW_ROOM - (y + row.top));
      for (const id of row.ids) {
        const x = across.has(id) ? across.get(id) : pos[id].x;
        if (shift > 0.5 || across.has(id)) moves.push({ id, x, y: pos[id].y + shift });
      }
      above = y + shift + row.bottom;
    }
    wbSetPositions(network, nodes, moves);
    return moves.map((m) => m.id);
  }

  // Keep the whole map in view: pan if it fits at this zoom, else zoom out (not below BUILD_MIN_SCALE);
  // when even that is too small, pan so that `focus` (the element just added) is in view.
  function keepInView(focus) {
    const boxes = allBoxes();
    if (!boxes.size) return;
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    for (const b of boxes.values()) {
      left = Math.min(left, b.left);
      right = Math.max(right, b.right);
      top = Math.min(top, b.top);
      bottom = Math.max(bottom, b.bottom);
    }
    const canvas = network.body.container;
    const width = canvas.clientWidth - 2 * VIEW_MARGIN;
    const height = canvas.clientHeight - VIEW_MARGIN_TOP - VIEW_MARGIN_BOTTOM;
    if (width <= 0 || height <= 0) return;
    const a = network.DOMtoCanvas({ x: VIEW_MARGIN, y: VIEW_MARGIN_TOP });
    const z = network.DOMtoCanvas({
      x: canvas.clientWidth - VIEW_MARGIN,
      y: canvas.clientHeight - VIEW_MARGIN_BOTTOM,
    });
    if (left >= a.x && right <= z.x && top >= a.y && bottom <= z.y) return;
    const scale = network.getScale();
    const fits = Math.min(width / (right - left), height / (bottom - top));
    if (fits >= BUILD_MIN_SCALE || focus == null || !boxes.has(focus)) {
      const next = Math.min(scale, Math.max(fits, BUILD_MIN_SCALE));
      // Centre the map in the free part of the frame (its middle is lower by half the margins' difference).
      const shift = (VIEW_MARGIN_TOP - VIEW_MARGIN_BOTTOM) / 2 / next;
      const position = { x: (left + right) / 2, y: (top + bottom) / 2 - shift };
      network.moveTo({ position, scale: next, animation: false });
      return;
    }
    const f = boxes.get(focus);
    const middle = { x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2 };
    network.moveTo({ position: middle, scale, animation: false });
  }

  function positions() {
    const pos = network.getPositions();
    const out = {};
    for (const id of Object.keys(pos)) out[id] = [Math.round(pos[id].x), Math.round(pos[id].y)];
    return out;
  }

  return {
    place,
    settle,
    spreadRows,
    roomForVerbs,
    keepInView,
    positions,
    pin: (id) => pinned.add(String(id)),
    pinned,
  };
}
