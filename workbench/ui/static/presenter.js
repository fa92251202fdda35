// Keyboard and full-screen control of the step-through presenter (see presenter.py).
//
// The widget sits inside the presenter (an element with class `wb-presenter`). While the focus is
// anywhere inside it, the keys step through, the same keys as the standalone page's (step_keys.js):
// Right / Page Down / Space / N forward, Left / Page Up / P back, Home / End first and last, F full
// screen. The step travels to Python through the synced `step` trait. Keys typed into text fields
// are left alone. Nothing here inserts HTML.
// With `reveal`, the presenter scrolls into view and takes the focus as soon as it is shown.

/* global wbStepKey */

function render({ model, el }) {
  const bar = document.createElement("div");
  bar.className = "wb-presenter-keys";
  const full = document.createElement("button");
  full.type = "button";
  full.className = "wb-presenter-full";
  full.textContent = "Full screen (F)";
  full.title = "Fill the screen with the presenter; Esc leaves full screen";
  const hint = document.createElement("span");
  hint.className = "wb-presenter-hint";
  hint.textContent = "Click here, then: → or Space next, ← back, Home / End first and last";
  bar.append(full, hint);
  el.appendChild(bar);

  let root = null;
  let waiting = null; // the timer of attach(), until the view is in the page

  function toggleFull() {
    const target = root || el;
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (target.requestFullscreen) {
      target.requestFullscreen().catch(() => {});
    }
  }

  // The keys are the standalone page's (wbStepKey, from export/static/step_keys.js, put before this).
  function onKey(event) {
    const step = model.get("step") || 0;
    const key = wbStepKey(event, step, model.get("n_steps") || 0);
    if (!key || key.action === "legend") return;  // the presenter has no legend to show
    event.preventDefault();
    event.stopPropagation();
    if (key.action === "fullscreen") {
      toggleFull();
      return;
    }
    if (key.step !== step) {
      model.set("step", key.step);
      model.save_changes();
    }
  }

  // The view is put into the page after render(): once it is (however long a busy page takes), the
  // presenter's frame around it takes the keys and fills the screen (the key bar alone outside one).
  function attach() {
    waiting = null;
    if (!el.isConnected) {
      waiting = setTimeout(attach, 100);
      return;
    }
    root = el.closest(".wb-presenter") || el;
    if (!root.hasAttribute("tabindex")) root.tabIndex = 0;
    root.setAttribute("data-lm-suppress-shortcuts", "true");
    root.addEventListener("keydown", onKey);
    if (model.get("reveal")) {
      // Opened from a button (the app's Supervise tab): bring it into view and give it the keys.
      root.scrollIntoView({ block: "start" });
      root.focus({ preventScroll: true });
    }
  }

  // Entering or leaving full screen resizes the map: ask Python to fit it once the page has settled.
  function onFullscreen() {
    setTimeout(() => {
      model.set("fit_request", (model.get("fit_request") || 0) + 1);
      model.save_changes();
    }, 300);
  }

  full.addEventListener("click", toggleFull);
  document.addEventListener("fullscreenchange", onFullscreen);
  attach();

  return () => {
    clearTimeout(waiting);
    full.removeEventListener("click", toggleFull);
    document.removeEventListener("fullscreenchange", onFullscreen);
    if (root) root.removeEventListener("keydown", onKey);
  };
}

export default { render };
