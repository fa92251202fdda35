// A text field that names an element, with its own suggestion list (see element_picker.py).
//
// Typing sends the text to Python at once (the `value` trait); the list below shows the element
// names that contain every word typed (case does not matter). ArrowDown / ArrowUp move through the
// list, Enter or a click picks the marked name, Escape closes the list. Enter with nothing marked
// counts `submitted`, so Python can act on the typed text. Names are set as text, never as HTML.

const MAX_SHOWN = 8;

function fold(text) {
  return String(text).toLowerCase().replace(/\s+/g, " ").trim();
}

function matches(options, typed) {
  const words = fold(typed).split(" ").filter(Boolean);
  if (!words.length) return options.slice(0, MAX_SHOWN);
  const exact = fold(typed);
  const found = options.filter((name) => {
    const key = fold(name);
    return key !== exact && words.every((w) => key.includes(w));
  });
  return found.slice(0, MAX_SHOWN);
}

let counter = 0;

function render({ model, el }) {
  counter += 1;
  const id = `wb-picker-${Date.now().toString(36)}-${counter}`;
  const root = document.createElement("div");
  root.className = "wb-picker";
  const label = document.createElement("label");
  label.className = "wb-picker-label";
  label.htmlFor = `${id}-input`;
  const input = document.createElement("input");
  input.type = "text";
  input.id = `${id}-input`;
  input.className = "wb-picker-input";
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${id}-list`);
  const list = document.createElement("ul");
  list.id = `${id}-list`;
  list.className = "wb-picker-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const box = document.createElement("div");
  box.className = "wb-picker-box";
  box.append(input, list);
  root.append(label, box);
  el.appendChild(root);

  let shown = [];
  let active = -1;

  function sendValue(text) {
    if (model.get("value") === text) return;
    model.set("value", text);
    model.save_changes();
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    shown = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function mark(index) {
    active = index;
    Array.from(list.children).forEach((item, i) => {
      const on = i === active;
      item.classList.toggle("wb-picker-active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
      if (on) {
        input.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    });
    if (active < 0) input.removeAttribute("aria-activedescendant");
  }

  function open() {
    shown = matches(model.get("options") || [], input.value);
    list.replaceChildren();
    shown.forEach((name, i) => {
      const item = document.createElement("li");
      item.id = `${id}-opt-${i}`;
      item.className = "wb-picker-option";
      item.setAttribute("role", "option");
      item.textContent = name;
      item.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus in the field
        pick(i);
      });
      list.appendChild(item);
    });
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    active = -1;
  }

  function pick(index) {
    const name = shown[index];
    if (name === undefined) return;
    input.value = name;
    sendValue(name);
    close();
  }

  input.addEventListener("input", () => {
    sendValue(input.value);
    open();
  });
  input.addEventListener("focus", () => {
    if (!input.disabled) open();
  });
  input.addEventListener("blur", () => close());
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // the notebook's own shortcuts stay out of the field
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) open();
      if (shown.length) mark((active + 1) % shown.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (shown.length) mark(active <= 0 ? shown.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) {
        pick(active);
      } else {
        close();
        sendValue(input.value);
        model.set("submitted", (model.get("submitted") || 0) + 1);
        model.save_changes();
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });

  function sync() {
    label.textContent = model.get("description") || "";
    label.hidden = !model.get("description");
    input.placeholder = model.get("placeholder") || "";
    input.disabled = Boolean(model.get("disabled"));
    const value = model.get("value") || "";
    if (input.value !== value) input.value = value;
  }
  sync();
  model.on("change:value", sync);
  model.on("change:description", sync);
  model.on("change:placeholder", sync);
  model.on("change:disabled", sync);
  model.on("change:options", () => {
    if (document.activeElement === input) open();
  });
  return () => {
    model.off("change:value", sync);
    model.off("change:description", sync);
    model.off("change:placeholder", sync);
    model.off("change:disabled", sync);
  };
}

export default { render };
