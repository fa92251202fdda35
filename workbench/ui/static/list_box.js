// A list box (see list_box.py): a native <select> whose options follow the model's `options`
// ([label, value] pairs) by changing only what differs: an option whose value is still listed is
// kept (its text set if the label changed, moved if its place did), new ones are made, the rest
// removed. So renaming one element of 500 changes one option, where ipywidgets' Select made all
// 500 anew (and the page laid them all out again). Labels are set as text, never as HTML.

// Make `select`'s options show `items` ([label, value] pairs, values unique), keeping the ones
// still listed. Returns how many options were made, moved, relabelled and removed.
function wbFollowOptions(select, items) {
  const kept = new Map();
  for (const option of select.options) kept.set(option.value, option);
  const count = { made: 0, moved: 0, relabelled: 0, removed: 0 };
  const wanted = new Set(items.map((item) => String(item[1])));
  const skipGone = (node) => {
    while (node && !wanted.has(node.value)) node = node.nextElementSibling; // removed below
    return node;
  };
  let next = skipGone(select.firstElementChild); // the option now at the place being filled
  items.forEach(([label, value]) => {
    const key = String(value);
    let option = kept.get(key);
    if (option) {
      kept.delete(key);
      if (option.textContent !== String(label)) {
        option.textContent = String(label);
        count.relabelled += 1;
      }
    } else {
      option = document.createElement("option");
      option.value = key;
      option.textContent = String(label);
      count.made += 1;
    }
    if (option === next) {
      next = skipGone(next.nextElementSibling);
    } else {
      if (option.parentNode) count.moved += 1;
      select.insertBefore(option, next);
    }
  });
  for (const option of kept.values()) {
    option.remove();
    count.removed += 1;
  }
  return count;
}

function render({ model, el }) {
  // (the select carries no class of its own: the nearest wb- class is the widget's, e.g. wb-element-list)
  const select = document.createElement("select");
  el.classList.add("wb-list-box");
  el.appendChild(select);

  function showValue() {
    const value = model.get("value");
    const want = value == null ? "" : String(value);
    if (want === "") select.selectedIndex = -1;
    else if (select.value !== want) select.value = want;
  }

  function showOptions() {
    wbFollowOptions(select, model.get("options") || []);
    showValue();
  }

  function showRows() {
    select.size = Math.max(2, Number(model.get("rows")) || 5);
  }

  select.addEventListener("change", () => {
    const value = select.selectedIndex < 0 ? null : select.value;
    if (value === model.get("value")) return;
    model.set("value", value);
    model.save_changes();
  });
  // The notebook's own shortcuts stay out of the list (arrows move within it).
  select.addEventListener("keydown", (event) => event.stopPropagation());

  showRows();
  showOptions();
  model.on("change:options", showOptions);
  model.on("change:value", showValue);
  model.on("change:rows", showRows);
  return () => {
    model.off("change:options", showOptions);
    model.off("change:value", showValue);
    model.off("change:rows", showRows);
  };
}

export default { render };
