// Shared state of the page and a tiny event bus (language switch, scenarios changed, tab shown).

export const state = {
  map: null, // CaspianMap
  cargo: [], // from /api/v1/cargo
  scenarios: [], // from /api/v1/scenarios
  network: null, // GeoJSON of /api/v1/network
};

const handlers = new Map();

export function on(event, handler) {
  if (!handlers.has(event)) handlers.set(event, []);
  handlers.get(event).push(handler);
}

export function emit(event, value) {
  for (const handler of handlers.get(event) ?? []) handler(value);
}

// Show a message box (errors carry the server's text and its closest valid names).
export function showMessage(box, error, { onSuggestion } = {}) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(document.createTextNode(error.message ?? String(error)));
  const suggestions = error.suggestions ?? [];
  if (suggestions.length && onSuggestion) {
    const row = document.createElement("div");
    row.className = "suggest";
    for (const id of suggestions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = id;
      button.addEventListener("click", () => onSuggestion(id, error.field));
      row.append(button);
    }
    box.append(row);
  }
}

export function setBusy(element, busy) {
  element.hidden = !busy;
}

// A place's display name from the loaded network (for ids in messages and diffs).
export function placeLabel(id, nameOf) {
  const node = state.network?.features.find(
    (f) => f.geometry?.type === "Point" && f.properties.id === id,
  );
  return node ? nameOf(node.properties) : id;
}

// A feature of today's network (the base, whatever the map shows) by id.
export function baseFeature(id, type = null) {
  return (
    state.network?.features.find(
      (f) => f.properties.id === id && (!type || f.geometry?.type === type),
    ) ?? null
  );
}

export function baseLinks() {
  return state.network?.features.filter((f) => f.geometry?.type === "LineString") ?? [];
}
