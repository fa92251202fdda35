// The keys of every step-through, shared by the standalone page (export/static/stepthrough.js)
// and the in-app presenter (ui/static/presenter.js), so both answer the same keys.
//
// Right / Down / Page Down (a presenter's clicker) / Space / N: forward; Left / Up / Page Up /
// Backspace / P: back; Home / End: first and last; F: full screen; L: legend. Keys typed into text
// fields are left alone, and Space or Enter on a button presses the button.
// eslint-disable-next-line no-unused-vars -- used by the scripts joined after this one
function wbStepKey(event, step, count) {
  "use strict";
  if (event.altKey || event.ctrlKey || event.metaKey) { return null; }
  var t = event.target;
  var tag = t && t.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) { return null; }
  var k = event.key;
  if ((k === " " || k === "Enter") && tag === "BUTTON") { return null; }
  var last = Math.max(count - 1, 0);
  var to = null;
  switch (k) {
    case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "n": case "N":
      to = step + 1; break;
    case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": case "p": case "P":
      to = step - 1; break;
    case "Home": to = 0; break;
    case "End": to = last; break;
    case "f": case "F": return { action: "fullscreen" };
    case "l": case "L": return { action: "legend" };
    default: return null;
  }
  return { action: "step", step: Math.max(0, Math.min(last, to)) };
}
