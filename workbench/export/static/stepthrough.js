// The standalone step-through page (see workbench/export/stepthrough.py): a presenter bar built with
// DOM elements and textContent only, then one step at a time, each element at the place the step
// model's layout gives it (so nothing jumps). The keys come from step_keys.js, loaded before this.
/* global wbStepKey */
(function () {
  "use strict";
  var extra = JSON.parse(document.getElementById("wb-extra").textContent);
  var wb = window.workbench;
  var steps = extra.steps;
  var body = document.body;
  body.classList.add("st-page", "st-no-legend");  // the caption names the kinds; L shows the legend
  body.setAttribute("data-mode", extra.mode);
  if (wb) {  // projector sizes, set before the first drawing
    wb.network.setOptions({
      nodes: { font: { size: 20 }, widthConstraint: { maximum: 300 } },
      edges: { font: { size: 15 } },
      interaction: { keyboard: { enabled: false } }
    });
  }
  document.getElementById("wb-sub").textContent = extra.sub;

  function el(tag, props, text) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { node.setAttribute(k, props[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }
  var caption = el("section", { "class": "st-caption", "aria-live": "polite" });
  var title = el("h2", { id: "st-title" });
  var detail = el("p", { id: "st-detail" });
  var notes = el("p", { id: "st-notes" });
  caption.appendChild(title); caption.appendChild(detail); caption.appendChild(notes);
  var main = document.querySelector(".wb-main");
  body.insertBefore(caption, main);

  var bar = el("nav", { "class": "st-bar", "aria-label": "Step through" });
  var back = el("button", { id: "st-back", type: "button", title: "Back (Left arrow)" }, "\u25C0 Back");
  var counter = el("span", { id: "st-counter" });
  var next = el("button", { id: "st-next", type: "button", title: "Next (Right arrow)" }, "Next \u25B6");
  var timeline = el("div", { "class": "st-timeline", id: "st-timeline", role: "group",
                              "aria-label": "Timeline" });
  var legend = el("button", { id: "st-legend", type: "button", "class": "st-small",
                              title: "Show or hide the legend (L)" }, "Legend");
  var full = el("button", { id: "st-full", type: "button", "class": "st-small",
                            title: "Full screen (F)" }, "Full screen");
  var fit = document.getElementById("wb-fit");
  fit.classList.add("st-small");
  [back, next, counter, timeline, fit, legend, full].forEach(function (n) { bar.appendChild(n); });
  body.appendChild(bar);
  var dots = steps.map(function (step, i) {
    var short = extra.mode === "versions" ? step.title.replace("Version ", "v") : String(i + 1);
    var dot = el("button", { type: "button", "data-step": String(i), title: step.title,
                             "aria-label": step.title }, short);
    dot.addEventListener("click", function () { show(i); });
    timeline.appendChild(dot);
    return dot;
  });

  var current = -1;
  var positions = null;

  function styled(item, old, isNew, isNode) {
    var copy = JSON.parse(JSON.stringify(item));
    copy.title = wb.tooltip(item.title);
    copy.hidden = false;
    copy._new = isNew;
    if (isNode) {
      if (positions && positions[item.id]) { copy.x = positions[item.id].x; copy.y = positions[item.id].y; }
      copy.shadow = isNew ? { enabled: true, color: "rgba(0, 114, 178, 0.8)", size: 28, x: 0, y: 0 }
                          : { enabled: false };
    } else {
      if (old && old.smooth && item.same_level) { copy.smooth = old.smooth; }  // keep the page's bend
      if (isNew) { copy.width = (copy.width || 1) + 2; }
    }
    return copy;
  }

  // Show the step's items (their variant in this step), hide the rest; emphasise what is new.
  function apply(dataset, pool, refs, fresh, isNode) {
    var wanted = {};
    refs.forEach(function (i) { wanted[pool[i].id] = i; });
    var updates = [];
    dataset.forEach(function (item) {
      var id = item.id;
      if (Object.prototype.hasOwnProperty.call(wanted, id)) {
        var i = wanted[id];
        var isNew = Object.prototype.hasOwnProperty.call(fresh, id);
        if (item.hidden || item._variant !== i || item._new !== isNew) {
          var copy = styled(pool[i], item, isNew, isNode);
          copy._variant = i;
          updates.push(copy);
        }
      } else if (!item.hidden) {
        updates.push({ id: id, hidden: true });
      }
    });
    dataset.update(updates);
  }

  function show(i) {
    if (!steps.length) { return; }
    i = Math.max(0, Math.min(steps.length - 1, i));
    var step = steps[i];
    if (wb) {
      var fresh = {};  // what the step model calls new: not so in the step before, whichever way we came
      step["new"].forEach(function (id) { fresh[id] = true; });
      apply(wb.nodes, extra.pool.nodes, step.nodes, fresh, true);
      apply(wb.edges, extra.pool.edges, step.edges, fresh, false);
    }
    current = i;
    title.textContent = step.title;
    detail.textContent = step.detail;
    notes.textContent = step.notes.join("  \u00B7  ");
    counter.textContent = (i + 1) + " / " + steps.length;
    back.disabled = i === 0;
    next.disabled = i === steps.length - 1;
    dots.forEach(function (dot, j) {
      if (j === i) { dot.setAttribute("aria-current", "step"); } else { dot.removeAttribute("aria-current"); }
      dot.classList.toggle("st-past", j < i);
    });
    if (dots[i] && dots[i].scrollIntoView) {
      dots[i].scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    body.setAttribute("data-step", String(i));
  }

  back.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  legend.addEventListener("click", toggleLegend);
  function toggleLegend() {
    body.classList.toggle("st-no-legend");
    if (wb) { setTimeout(function () { wb.network.redraw(); fitAll(); }, 60); }  // the map changed width
  }
  full.addEventListener("click", toggleFullscreen);
  function toggleFullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  document.addEventListener("keydown", function (ev) {
    var key = wbStepKey(ev, current, steps.length);
    if (!key) { return; }
    if (key.action === "step") { show(key.step); }
    else if (key.action === "fullscreen") { toggleFullscreen(); }
    else if (key.action === "legend") { toggleLegend(); }
    ev.preventDefault();
  });

  // Frame every element of every step, shown or not, so the camera stays put while stepping.
  function fitAll() { wb.network.fit({ nodes: wb.nodes.getIds(), animation: false }); }

  function start() {
    if (wb) {
      // every element at the one place the step model's layout gives it, so nothing jumps
      positions = extra.positions;
      wb.network.setOptions({ layout: { hierarchical: { enabled: false } }, physics: { enabled: false } });
      wb.nodes.update(Object.keys(positions).map(function (id) {
        return { id: id, x: positions[id].x, y: positions[id].y };
      }));
      fitAll();
      fit.addEventListener("click", fitAll);  // after the page's own handler: frame the whole map
      var pending = null;
      window.addEventListener("resize", function () {  // e.g. entering full screen on the projector
        clearTimeout(pending);
        pending = setTimeout(fitAll, 150);
      });
    }
    if (!steps.length) {
      title.textContent = "Nothing to step through yet";
      back.disabled = true; next.disabled = true;
      body.setAttribute("data-step", "-1");
      body.setAttribute("data-stepthrough", "ready");
      return;
    }
    show(0);
    body.setAttribute("data-stepthrough", "ready");
  }
  if (wb) { wb.network.once("afterDrawing", start); } else { start(); }
})();
