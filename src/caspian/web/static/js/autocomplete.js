// A place input with suggestions from /api/v1/places in either script (ARIA combobox).
// The chosen place's id is kept in input.dataset.placeId; typed text without a choice is sent
// as it is, and the server resolves it (or answers with the closest names).

import { get } from "./api.js";
import { digits, nameOf, t } from "./i18n.js";

let counter = 0;

export function placeInput(input, { onChoose } = {}) {
  const list = document.createElement("ul");
  const id = `places-${++counter}`;
  list.id = id;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.after(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");
  input.autocomplete = "off";

  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const render = () => {
    list.replaceChildren();
    items.forEach((place, i) => {
      const li = document.createElement("li");
      li.id = `${id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === active));
      const main = document.createElement("span");
      main.className = "name";
      main.textContent = nameOf(place);
      const other = document.createElement("span");
      other.className = "other";
      const second = nameOf(place) === place.name_en ? place.name_fa : place.name_en;
      other.textContent = [second, t(`kind.${place.kind}`), digits(place.country)]
        .filter(Boolean)
        .join(t("sep"));
      li.append(main, other);
      li.addEventListener("mousedown", (e) => {
        e.preventDefault();
        choose(i);
      });
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-${active}`);
  };

  const choose = (i) => {
    const place = items[i];
    if (!place) return;
    input.value = nameOf(place);
    input.dataset.placeId = place.id;
    input.dataset.place = JSON.stringify(place);
    close();
    onChoose?.(place);
  };

  const search = async () => {
    const q = input.value.trim();
    if (!q) {
      items = [];
      return close();
    }
    controller?.abort();
    controller = new AbortController();
    try {
      items = await get("/places", { query: { q, limit: 8 }, signal: controller.signal });
      active = items.length ? 0 : -1;
      render();
    } catch (error) {
      if (error.name !== "AbortError") {
        items = [];
        close();
      }
    }
  };

  input.addEventListener("input", () => {
    delete input.dataset.placeId;
    delete input.dataset.place;
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", (e) => {
    if (list.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length) % items.length;
      render();
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      choose(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));

  return {
    // The value to send: the chosen id, or the typed text.
    value: () => input.dataset.placeId || input.value.trim(),
    set(place) {
      input.value = nameOf(place);
      input.dataset.placeId = place.id;
      input.dataset.place = JSON.stringify(place);
    },
    // Re-label the chosen place after a language switch.
    relabel() {
      if (input.dataset.place) input.value = nameOf(JSON.parse(input.dataset.place));
    },
  };
}
