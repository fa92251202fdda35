// The session notes editor (see notes_area.py): a plain text area that tells Python what is selected.
//
// The text is set with `.value` (never as HTML). Typing sends the text to Python (the `value`
// trait); selecting a passage, with the mouse or the keyboard, sends where it starts and ends
// (`selection_start`, `selection_end`, character positions in the text as Python counts them:
// the browser counts UTF-16 units, so positions are converted for characters beyond U+FFFF).

function toCodePoints(text, index) {
  // the number of characters (code points) in text.slice(0, index)
  let count = 0;
  for (let i = 0; i < index && i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < index) i += 1;
    count += 1;
  }
  return count;
}

function toUnits(text, points) {
  // the UTF-16 index of the code point at position `points`
  let i = 0;
  for (let n = 0; n < points && i < text.length; n += 1) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return i;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "wb-notes";
  const label = document.createElement("div");
  label.className = "wb-notes-label";
  const area = document.createElement("textarea");
  area.className = "wb-notes-text";
  area.spellcheck = true;
  root.append(label, area);
  el.appendChild(root);

  function fromModel() {
    const text = model.get("value") || "";
    if (area.value !== text) area.value = text;
    area.rows = model.get("rows") || 10;
    area.placeholder = model.get("placeholder") || "";
    area.disabled = !!model.get("disabled");
    label.textContent = model.get("description") || "";
    label.hidden = !label.textContent;
  }

  function sendSelection() {
    const text = area.value;
    const start = toCodePoints(text, area.selectionStart);
    const end = toCodePoints(text, area.selectionEnd);
    if (model.get("selection_start") === start && model.get("selection_end") === end) return;
    model.set("selection_start", start);
    model.set("selection_end", end);
    model.save_changes();
  }

  function selectFromModel() {
    const text = area.value;
    const start = toUnits(text, model.get("selection_start") || 0);
    const end = toUnits(text, model.get("selection_end") || 0);
    if (area.selectionStart !== start || area.selectionEnd !== end) area.setSelectionRange(start, end);
  }

  area.addEventListener("input", () => {
    model.set("value", area.value);
    model.save_changes();
    sendSelection();
  });
  for (const name of ["select", "mouseup", "keyup"]) area.addEventListener(name, sendSelection);
  const onSelectionChange = () => {
    if (document.activeElement === area) sendSelection();
  };
  document.addEventListener("selectionchange", onSelectionChange);
  area.addEventListener("keydown", (event) => event.stopPropagation()); // notebook shortcuts stay out

  fromModel();
  model.on("change:value", fromModel);
  model.on("change:rows", fromModel);
  model.on("change:placeholder", fromModel);
  model.on("change:disabled", fromModel);
  model.on("change:description", fromModel);
  model.on("change:selection_start", selectFromModel);
  model.on("change:selection_end", selectFromModel);
  return () => {
    document.removeEventListener("selectionchange", onSelectionChange);
    model.off("change:value", fromModel);
    model.off("change:rows", fromModel);
    model.off("change:placeholder", fromModel);
    model.off("change:disabled", fromModel);
    model.off("change:description", fromModel);
    model.off("change:selection_start", selectFromModel);
    model.off("change:selection_end", selectFromModel);
  };
}

export default { render };
