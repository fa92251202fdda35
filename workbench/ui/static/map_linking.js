// Linking on the live map (put before graph_view.js by graph_view.py).
//
// Mouse: Shift+drag from one element to another; or the "Link" button (or Shift+L on the map) turns
// link mode on, and then a plain drag (or a click on one element, then on the other) links them.
// A small chooser offers only the link kinds the template allows between those two kinds, each as
// the sentence it makes; Enter (or a click) adds the link.
// Link mode stays on for the next link; Escape or the button turns it off.
// Keyboard: on the focused map, L opens a type-ahead picker: the element the link starts from (or,
// when an element is selected, the one it leads to), matched on any part of its label; Enter picks.
// Elements with the same label are told apart by their kind and a short hint.
//
// The allowed kinds come from Python in `link_rules` ({source kind: {target kind: [{kind, name,
// verb}]}}); the link itself is made in Python ({type: "add_link", from, to, kind}), which answers
// {type: "link_result", ok, text}. Every label is inserted as text, never as HTML.
//
// wbMapLinking({network, nodes, model, frame, canvas}) -> {active, handlesClick, onMessage, destroy}

function wbMapLinking({ network, nodes, model, frame, canvas }) {
  let mode = false;     // link mode for the mouse
  let source = null;    // id of the element the link starts from (link mode, or the picker)
  let drag = null;      // {from, start, at: canvas point, moved, shift} while dragging a new link
  let popup = null;     // the chooser or the picker, when open
  let hintTimer = null;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = String(text);
    return node;
  };

  const toggle = el("button", "wb-map-link-toggle", "Link");
  toggle.type = "button";
  toggle.title = "Link two elements: drag from one element to another, or click one and then the other " +
    "(Shift+L). Without this: Shift+drag. On the map, L picks the elements by typing part of their labels.";
  toggle.setAttribute("aria-pressed", "false");
  const hint = el("div", "wb-map-hint");
  hint.setAttribute("role", "status");
  hint.style.display = "none";
  frame.append(toggle, hint);

  const rules = () => model.get("link_rules") || {};
  // No linking on a read-only map, nor on one that was given no link rules (e.g. a trace view).
  const readOnly = () => !!model.get("read_only") || !Object.keys(rules()).length;
  const full = (n) =>
    String(n.full_label != null ? n.full_label : n.label || "").split(/\s+/).join(" ").trim();

  function say(text, sticky) {
    clearTimeout(hintTimer);
    hint.textContent = text || "";
    hint.style.display = text ? "" : "none";
    if (text && !sticky) hintTimer = setTimeout(() => say(mode ? modeHint() : ""), 6000);
  }
  const modeHint = () => source
    ? `Linking from “${full(nodes.get(source) || {})}”: click or drop on the element it leads to ` +
      "(Escape to stop)."
    : "Link mode: drag from one element to another, or click one and then the other (Escape to stop).";

  function setMode(on) {
    mode = !!on && !readOnly();
    source = null;
    drag = null;
    toggle.setAttribute("aria-pressed", String(mode));
    toggle.classList.toggle("wb-active", mode);
    frame.classList.toggle("wb-linking", mode);
    holdDragging(mode);
    say(mode ? modeHint() : "", mode);
    network.redraw();
  }

  // --- mouse: drag (or click, click) from one element to another ---------------------------------

  function domPoint(event) {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  // Keep vis-network from moving elements or the view while a link is dragged out of link mode.
  function holdDragging(on) {
    network.setOptions({ interaction: { dragNodes: !on, dragView: !on } });
  }

  function onDown(event) {
    const shift = !mode && event.shiftKey && !readOnly();
    if ((!mode && !shift) || popup || event.button !== 0) return;
    const at = domPoint(event);
    const id = network.getNodeAt(at);
    if (id == null) return;
    if (shift) holdDragging(true); // before vis-network sees the drag start
    drag = { from: id, start: at, at: network.DOMtoCanvas(at), moved: false, shift };
    window.addEventListener("pointermove", onMove, true);
    window.addEventListener("pointerup", onUp, true);
  }

  function onMove(event) {
    if (!drag) return;
    const at = domPoint(event);
    if (Math.hypot(at.x - drag.start.x, at.y - drag.start.y) > 6) drag.moved = true;
    drag.at = network.DOMtoCanvas(at);
    network.redraw();
  }

  function onUp(event) {
    window.removeEventListener("pointermove", onMove, true);
    window.removeEventListener("pointerup", onUp, true);
    if (!drag) return;
    const { from, moved, shift } = drag;
    drag = null;
    if (shift) holdDragging(false);
    const target = network.getNodeAt(domPoint(event));
    network.redraw();
    if (moved) {
      if (target != null && target !== from) choose(from, target);
      return;
    }
    if (shift) return; // a Shift+click outside link mode is an ordinary click
    // A click: the first one picks where the link starts, the second where it leads.
    if (source == null || source === from) {
      source = from;
      network.selectNodes([from], false);
      say(modeHint(), true);
    } else {
      choose(source, from);
    }
  }

  function drawRubberBand(ctx) {
    if (!drag || !drag.moved) return;
    const start = network.getPositions([drag.from])[drag.from];
    if (!start) return;
    ctx.save();
    ctx.strokeStyle = "#0072B2";
    ctx.lineWidth = 2 / network.getScale();
    ctx.setLineDash([6 / network.getScale(), 4 / network.getScale()]);
    ctx.beginPath();
    ctx.moveTo(start.x, start.y);
    ctx.lineTo(drag.at.x, drag.at.y);
    ctx.stroke();
    ctx.restore();
  }

  // --- the chooser: the kinds allowed between the two elements, as sentences -----------------------

  function kindsBetween(from, to) {
    const a = nodes.get(from);
    const b = nodes.get(to);
    if (!a || !b) return [];
    const forward = ((rules()[a.kind] || {})[b.kind] || []).map((k) => ({ from, to, kind: k }));
    if (forward.length) return forward;
    // None this way round: offer the other direction (the sentence shows which way it reads).
    return ((rules()[b.kind] || {})[a.kind] || []).map((k) => ({ from: to, to: from, kind: k }));
  }

  function sentence(option) {
    const line = el("span", "wb-link-sentence");
    line.append(el("em", null, full(nodes.get(option.from) || {})), ` ${option.kind.verb} `,
      el("em", null, full(nodes.get(option.to) || {}).replace(/^./, (c) => c.toLowerCase())));
    return line;
  }

  function openPopup(cls) {
    closePopup();
    popup = el("div", `wb-link-popup ${cls}`);
    popup.addEventListener("keydown", (e) => e.stopPropagation()); // keys here are not the map's
    frame.appendChild(popup);
    return popup;
  }

  // Put the popup beside an element (or near the top of the map), wholly inside the frame.
  function placePopup(box, anchorId) {
    const pos = anchorId != null ? network.getPositions([anchorId])[anchorId] : null;
    const dom = pos ? network.canvasToDOM(pos) : { x: frame.clientWidth / 2, y: frame.clientHeight / 3 };
    box.style.left = `${Math.max(8, Math.min(dom.x + 16, frame.clientWidth - box.offsetWidth - 8))}px`;
    box.style.top = `${Math.max(8, Math.min(dom.y + 16, frame.clientHeight - box.offsetHeight - 8))}px`;
  }

  function closePopup(refocus) {
    if (popup) popup.remove();
    popup = null;
    if (refocus) canvas.focus({ preventScroll: true });
  }

  // A listbox navigated with the arrow keys; Enter or a click calls `pick(item)`.
  function listbox(items, render, pick) {
    const list = el("div", "wb-link-options");
    list.setAttribute("role", "listbox");
    let current = 0;
    const rows = items.map((item, i) => {
      const row = el("div", "wb-link-option");
      row.setAttribute("role", "option");
      row.append(render(item));
      row.addEventListener("mousedown", (e) => e.preventDefault());
      row.addEventListener("click", () => pick(item));
      row.addEventListener("mousemove", () => show(i));
      list.appendChild(row);
      return row;
    });
    function show(i) {
      current = Math.max(0, Math.min(i, rows.length - 1));
      rows.forEach((r, j) => r.setAttribute("aria-selected", String(j === current)));
      if (rows[current]) rows[current].scrollIntoView({ block: "nearest" });
    }
    show(0);
    return {
      list,
      key(e) {
        if (e.key === "ArrowDown") { show(current + 1); e.preventDefault(); return true; }
        if (e.key === "ArrowUp") { show(current - 1); e.preventDefault(); return true; }
        if (e.key === "Enter" && items.length) { e.preventDefault(); pick(items[current]); return true; }
        return false;
      },
    };
  }

  function choose(from, to) {
    source = null;
    const options = kindsBetween(from, to);
    const box = openPopup("wb-link-chooser");
    box.setAttribute("aria-label", "Choose the kind of link");
    if (!options.length) {
      const a = nodes.get(from) || {};
      const b = nodes.get(to) || {};
      box.append(el("div", "wb-link-empty",
        `The template allows no link between a ${a.kind_name || a.kind} and a ${b.kind_name || b.kind}, ` +
        "in either direction. Escape closes this."));
    } else {
      box.append(el("div", "wb-link-title", "Add the link (Enter), or pick another kind:"));
    }
    const lb = listbox(options, sentence, (option) => {
      closePopup(true);
      model.send({ type: "add_link", from: option.from, to: option.to, kind: option.kind.kind });
      say("Adding the link…", true);
    });
    box.append(lb.list);
    box.tabIndex = -1;
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { closePopup(true); say(mode ? modeHint() : ""); return; }
      lb.key(e);
    });
    placePopup(box, to);
    box.focus({ preventScroll: true });
  }

  // --- the keyboard: a type-ahead picker for each end ------------------------------------------------

  const cut = (text, size) => (text.length > size ? text.slice(0, size - 1) + "…" : text);

  // What tells an element apart from another with the same label and kind: its description, else
  // the element it is linked with, else that it has no link yet.
  function hintFor(n) {
    const parts = (typeof n.title === "string" ? n.title : "").split("\n\n");
    const about = parts.length > 1 && !/^Evidence \(/.test(parts[1]) ? parts[1].split("\n")[0].trim() : "";
    if (about) return cut(about, 40);
    const link = network.body.data.edges.get({ filter: (e) => e.from === n.id || e.to === n.id })[0];
    if (!link) return "not linked yet";
    const other = nodes.get(link.from === n.id ? link.to : link.from);
    return cut(`${link.from === n.id ? "→" : "←"} ${other ? full(other) : ""}`, 40);
  }

  // Short words that tell apart elements with the same label: their kind, then a hint of their own
  // (numbered when even the hints are the same).
  function describe(all) {
    const byLabel = new Map();
    for (const n of all) {
      const key = `${n.kind}\u0000${full(n).toLowerCase()}`;
      byLabel.set(key, (byLabel.get(key) || []).concat([n]));
    }
    const out = new Map();
    for (const twins of byLabel.values()) {
      const hints = twins.map((n) => (twins.length > 1 ? hintFor(n) : ""));
      twins.forEach((n, i) => {
        const same = hints.filter((h) => h === hints[i]).length;
        const extra = same > 1 ? `${hints[i]} (${hints.slice(0, i + 1).filter((h) => h === hints[i]).length} ` +
          `of ${same})` : hints[i];
        out.set(n.id, { kind: n.kind_name || n.kind, extra });
      });
    }
    return out;
  }

  function matches(query, except) {
    const q = query.trim().toLowerCase();
    const all = nodes.get().filter((n) => n.id !== except);
    const scored = [];
    for (const n of all) {
      const label = full(n).toLowerCase();
      const at = q ? label.indexOf(q) : 0;
      if (at < 0) continue;
      scored.push([at === 0 ? 0 : /\s/.test(label[at - 1] || " ") ? 1 : 2, label, n]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    return scored.slice(0, 8).map((s) => s[2]);
  }

  function pickElement(from) {
    const box = openPopup("wb-link-picker");
    const title = from == null ? "Link from which element? Type part of its label:"
      : `Link “${full(nodes.get(from) || {})}” to which element? Type part of its label:`;
    box.append(el("label", "wb-link-title", title));
    const input = el("input", "wb-link-search");
    input.type = "text";
    input.setAttribute("aria-label", title);
    input.autocomplete = "off";
    box.append(input);
    const notes = describe(nodes.get());
    let lb = null;
    const render = (n) => {
      const row = el("span", "wb-link-candidate");
      const note = notes.get(n.id) || {};
      row.append(el("span", "wb-link-label", full(n)),
        el("span", "wb-link-kind", ` · ${note.kind || ""}${note.extra ? " · " + note.extra : ""}`));
      return row;
    };
    const picked = (n) => {
      if (from == null) {
        network.selectNodes([n.id], false);
        pickElement(n.id);
      } else {
        choose(from, n.id);
      }
    };
    const refresh = () => {
      const found = matches(input.value, from);
      const next = listbox(found, render, picked);
      if (lb) lb.list.replaceWith(next.list);
      else box.append(next.list);
      lb = next;
      if (!found.length) {
        next.list.append(el("div", "wb-link-empty", "No element has these words in its label."));
      }
    };
    input.addEventListener("input", refresh);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { closePopup(true); return; }
      if (lb) lb.key(e);
    });
    refresh();
    placePopup(box, from);
    input.focus({ preventScroll: true });
  }

  function onKey(event) {
    if (readOnly() || popup || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && mode) { setMode(false); return; }
    if (event.key !== "l" && event.key !== "L") return;
    event.preventDefault();
    if (event.shiftKey) { setMode(!mode); return; }
    const selected = model.get("selected") || "";
    pickElement(nodes.get(selected) ? selected : null);
  }

  toggle.addEventListener("click", () => setMode(!mode));
  canvas.addEventListener("pointerdown", onDown, true);
  frame.addEventListener("keydown", onKey); // the map and the Link button
  network.on("afterDrawing", drawRubberBand);
  const onReadOnly = () => {
    if (readOnly()) {
      if (mode) setMode(false);
      closePopup();
    }
    toggle.disabled = readOnly();
  };
  model.on("change:read_only", onReadOnly);
  model.on("change:link_rules", onReadOnly);
  onReadOnly();

  return {
    active: () => mode,
    // In link mode a click picks link ends; it does not select or open the element.
    handlesClick: () => mode,
    onMessage(msg) {
      if (msg.type !== "link_result") return;
      say(msg.text || "", !msg.ok);
    },
    destroy() {
      clearTimeout(hintTimer);
      closePopup();
      canvas.removeEventListener("pointerdown", onDown, true);
      frame.removeEventListener("keydown", onKey);
      model.off("change:read_only", onReadOnly);
      model.off("change:link_rules", onReadOnly);
    },
  };
}
