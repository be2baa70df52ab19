// Scenarios tab: the list (shipped ones read-only, saved ones editable), the difference from
// today's network, and an editor that builds a scenario document by clicking the map.

import { ApiError, del, get, getToken, post, put } from "./api.js";
import { digits, fmt, getLang, nameOf, t } from "./i18n.js";
import { escapeHtml } from "./map.js";
import { planWithScenario } from "./plan.js";
import { baseFeature, baseLinks, emit, on, placeLabel, showMessage, state } from "./state.js";

const $ = (id) => document.getElementById(id);
const SECTIONS = ["nodes", "links", "borders", "services", "terminals", "mode_costs"];

let viewed = null; // the scenario shown: {id, name, ..., document}
let editor = null; // {id: saved id | null, version, doc: {...}}

export function initScenarios() {
  $("scenario-new").addEventListener("click", () => openEditor(null));
  $("scenario-plan").addEventListener("click", () => viewed && planWithScenario(viewed.id));
  $("scenario-edit").addEventListener("click", () => viewed && openEditor(viewed, { copy: false }));
  $("scenario-copy").addEventListener("click", () => viewed && openEditor(viewed, { copy: true }));
  $("scenario-delete").addEventListener("click", deleteViewed);
  $("scenario-validate").addEventListener("click", validate);
  $("scenario-save").addEventListener("click", save);
  $("scenario-cancel").addEventListener("click", closeEditor);
  $("scenario-pick").addEventListener("change", () => {
    const [type, id] = $("scenario-pick").value.split(":");
    const feature = baseFeature(id, type === "link" ? "LineString" : "Point");
    if (feature) editFeature(feature);
  });
  on("lang", () => {
    fillPick();
    renderList();
    if (viewed) renderView();
    if (editor) renderChanges();
    if (editor?.feature) editFeature(editor.feature);
  });
  on("select", (selection) => {
    if (editor) editFeature(selection.feature);
  });
}

export async function refreshScenarios() {
  state.scenarios = await get("/scenarios");
  renderList();
  emit("scenarios");
}

function renderList() {
  const list = $("scenario-list");
  list.replaceChildren(
    ...state.scenarios.map((s) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.id = s.id;
      button.setAttribute("aria-current", String(viewed?.id === s.id));
      const name = document.createElement("span");
      name.textContent = s.name;
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = s.read_only
        ? t("scenario.builtin")
        : t("scenario.version_n", { n: digits(s.version) });
      button.append(name, badge);
      button.addEventListener("click", () => view(s.id));
      li.append(button);
      return li;
    }),
  );
}

async function view(id) {
  showMessage($("scenario-message"), null);
  try {
    const [scenario, diff] = await Promise.all([
      get(`/scenarios/${encodeURIComponent(id)}`),
      get(`/scenarios/${encodeURIComponent(id)}/diff`),
    ]);
    viewed = { ...scenario, diff };
  } catch (error) {
    showMessage($("scenario-message"), error);
    return;
  }
  renderList();
  renderView();
  $("scenario-view").scrollIntoView({ block: "nearest" });
}

function renderView() {
  $("scenario-view").hidden = false;
  $("scenario-view-name").textContent = viewed.name;
  const persian = getLang() === "fa" ? viewed.document?.description_fa : "";
  $("scenario-view-description").textContent = persian || viewed.description || "";
  $("scenario-view-meta").textContent = viewed.read_only
    ? t("scenario.builtin_note")
    : t("scenario.saved_note", { n: digits(viewed.version) });
  const changes = viewed.diff?.changes ?? [];
  const diff = $("scenario-diff");
  diff.replaceChildren(
    ...(changes.length ? changes.map(diffLine) : [t("scenario.no_diff")]).map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }),
  );
  state.map.markChanged(changedIds(viewed.document));
  $("scenario-edit").hidden = viewed.read_only;
  $("scenario-delete").hidden = viewed.read_only;
  $("scenario-versions-box").hidden = viewed.read_only;
  if (!viewed.read_only) loadVersions(viewed.id);
}

function valueText(value) {
  if (typeof value === "number") {
    const places = Number.isInteger(value) ? 0 : Number.isInteger(value * 10) ? 1 : 2;
    return fmt(value, places);
  }
  if (value === null || value === undefined) return "–";
  const key = `status.${value}`;
  return t(key) === key ? String(value) : t(key);
}

function fieldText(name) {
  const key = `field.${name}`;
  return t(key) === key ? name : t(key);
}

// One line of the server's diff in the page's language (its own text for other sections).
function diffLine(change) {
  const [id, mode, dir] = String(change.id ?? "").split(" ");
  let what = null;
  if (change.section === "borders") {
    const m = /^([A-Z*]+)->([A-Z*]+)$/.exec(dir ?? "");
    const parts = [placeLabel(id, nameOf)];
    if (mode) parts.push(t(`mode.${mode}`));
    if (m) parts.push(t("sim.direction", { from: countryName(m[1]), to: countryName(m[2]) }));
    what = parts.join(t("comma"));
  } else if (change.section === "links") {
    what = `${t("scenario.link")} ${linkName(id)}`;
  } else if (change.section === "nodes") {
    what = `${t("scenario.place")} ${placeLabel(id, nameOf)}`;
  } else if (change.section === "services") {
    const link = serviceLink(id);
    what = link ? linkName(link) : `${t("scenario.service")} ${id}`;
  }
  if (!what || !change.field) return change.text;
  return t("scenario.change", {
    what,
    field: fieldText(change.field),
    before: valueText(change.before),
    after: valueText(change.after),
  });
}

async function loadVersions(id) {
  const list = $("scenario-versions");
  try {
    const versions = await get(`/scenarios/${encodeURIComponent(id)}/versions`);
    list.replaceChildren(
      ...versions.map((v) => {
        const li = document.createElement("li");
        li.textContent = t("scenario.version_line", {
          n: digits(v.version),
          name: v.name,
          when: digits((v.created_at ?? "").replace("T", " ").slice(0, 16)),
          changes: fmt(countChanges(v.document)),
        });
        return li;
      }),
    );
  } catch (error) {
    list.replaceChildren(document.createTextNode(error.message));
  }
}

function changedIds(document_) {
  const ids = [];
  for (const section of SECTIONS) {
    for (const entry of document_?.[section] ?? []) {
      ids.push(entry.id, entry.node, entry.link);
    }
  }
  return ids.filter(Boolean);
}

function countChanges(document_) {
  return SECTIONS.reduce((n, s) => n + (document_?.[s]?.length ?? 0), 0);
}

async function deleteViewed() {
  if (!viewed || viewed.read_only) return;
  if (!confirm(t("scenario.confirm_delete", { name: viewed.name }))) return;
  try {
    await del(`/scenarios/${encodeURIComponent(viewed.id)}`, { auth: true });
    viewed = null;
    $("scenario-view").hidden = true;
    state.map.markChanged([]);
    await refreshScenarios();
  } catch (error) {
    showMessage($("scenario-message"), explain(error));
  }
}

// --- editor -----------------------------------------------------------------------------

// The keyboard's way to what a click on the map picks: crossings, ports, planned links.
function fillPick() {
  const select = $("scenario-pick");
  const option = (value, text) => {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  };
  const group = (labelKey, items) => {
    const g = document.createElement("optgroup");
    g.label = t(labelKey);
    g.append(...items.sort((a, b) => a.textContent.localeCompare(b.textContent)));
    return g;
  };
  const nodes = (state.network?.features ?? []).filter((f) => f.geometry?.type === "Point");
  const byKind = (kind) =>
    nodes
      .filter((f) => f.properties.kind === kind)
      .map((f) => option(`node:${f.properties.id}`, nameOf(f.properties)));
  const planned = baseLinks()
    .filter((f) => f.properties.status === "planned")
    .map((f) => option(`link:${f.properties.id}`, linkName(f.properties.id)));
  select.replaceChildren(
    option("", "—"),
    group("scenario.pick_crossings", byKind("border_crossing")),
    group("scenario.pick_ports", byKind("port")),
    group("scenario.pick_planned", planned),
  );
}

export function openEditor(source, { copy = false, document: doc = null } = {}) {
  const base = doc ?? source?.document ?? {};
  const fresh = {};
  for (const section of SECTIONS) fresh[section] = structuredClone(base[section] ?? []);
  // keys the editor does not show (source, assumptions, demand ...) are kept as they are
  const extra = structuredClone(base);
  for (const key of ["name", "description", "description_fa", ...SECTIONS]) delete extra[key];
  editor = {
    id: source && !copy && !source.read_only ? source.id : null,
    version: source && !copy ? source.version : null,
    doc: fresh,
    extra,
    feature: null,
  };
  $("scenario-name").value = copy ? `${source.name}-copy` : (source?.name ?? base.name ?? "");
  $("scenario-description").value = source?.description ?? base.description ?? "";
  $("scenario-description-fa").value = base.description_fa ?? "";
  $("scenario-editor").hidden = false;
  $("scenario-feature").hidden = true;
  fillPick();
  $("scenario-editor-status").textContent = "";
  $("scenario-editor-title").textContent = editor.id
    ? t("scenario.editing", { name: source.name })
    : t("scenario.editor");
  state.map.map.getContainer().classList.add("editing");
  emit("tab", "scenarios");
  renderChanges();
  $("scenario-name").focus();
}

function closeEditor() {
  editor = null;
  $("scenario-editor").hidden = true;
  state.map.highlight(null);
  state.map.map.getContainer().classList.remove("editing");
  state.map.markChanged(viewed ? changedIds(viewed.document) : []);
}

export function editorOpen() {
  return editor !== null;
}

function documentOf() {
  const doc = {
    ...editor.extra,
    name: $("scenario-name").value.trim(),
    description: $("scenario-description").value.trim(),
  };
  const persian = $("scenario-description-fa").value.trim();
  if (persian) doc.description_fa = persian;
  for (const section of SECTIONS) if (editor.doc[section].length) doc[section] = editor.doc[section];
  return doc;
}

function entryText(section, entry) {
  const name = (id) => placeLabel(id, nameOf);
  const rest = Object.entries(entry)
    .filter(([key]) => !["id", "node", "link", "mode", "from_country", "to_country", "note"].includes(key))
    .map(([key, value]) => `${fieldText(key)} = ${valueText(value)}`)
    .join(", ");
  switch (section) {
    case "links":
      return `${t("scenario.link")} ${linkName(entry.id)}: ${rest}`;
    case "nodes":
      return `${t("scenario.place")} ${name(entry.id)}: ${rest}`;
    case "borders": {
      const dir =
        entry.from_country && entry.to_country
          ? ` ${countryName(entry.from_country)} → ${countryName(entry.to_country)}`
          : "";
      const mode = entry.mode ? ` ${t(`mode.${entry.mode}`)}` : "";
      return `${t("scenario.border")} ${name(entry.node ?? entry.country)}${mode}${dir}: ${rest}`;
    }
    case "services": {
      const link = entry.link ?? serviceLink(entry.id);
      return `${t("scenario.service")} ${link ? linkName(link) : entry.id}: ${rest}`;
    }
    default:
      return `${section}: ${JSON.stringify(entry)}`;
  }
}

function countryName(code) {
  if (code === "*") return t("scenario.any_country");
  const key = `country.${code}`;
  return t(key) === key ? code : t(key);
}

// The link a service sails on (services are listed on their links in /network).
function serviceLink(id) {
  const link = baseLinks().find((f) =>
    (f.properties.services ?? []).some((service) => service.id === id),
  );
  return link?.properties.id ?? null;
}

function linkName(id) {
  const link = baseFeature(id, "LineString");
  if (!link) return id;
  const p = link.properties;
  return `${t(`mode.${p.mode}`)} ${placeLabel(p.from, nameOf)} – ${placeLabel(p.to, nameOf)}`;
}

function renderChanges() {
  const list = $("scenario-changes");
  const items = [];
  for (const section of SECTIONS) {
    editor.doc[section].forEach((entry, i) => {
      const li = document.createElement("li");
      const text = document.createElement("span");
      text.textContent = entryText(section, entry);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary";
      remove.textContent = t("scenario.remove");
      remove.setAttribute("aria-label", `${t("scenario.remove")}: ${text.textContent}`);
      remove.addEventListener("click", () => {
        editor.doc[section].splice(i, 1);
        renderChanges();
      });
      li.append(text, remove);
      items.push(li);
    });
  }
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "hint";
    li.textContent = t("scenario.no_changes");
    items.push(li);
  }
  list.replaceChildren(...items);
  state.map.markChanged(changedIds(editor.doc));
}

// Replace the entry with the same key, or add it; a null entry removes it.
function upsert(section, match, entry) {
  const list = editor.doc[section];
  const i = list.findIndex(match);
  if (i >= 0 && entry) list[i] = entry;
  else if (i >= 0) list.splice(i, 1);
  else if (entry) list.push(entry);
}

function field(labelKey, input) {
  const wrap = document.createElement("div");
  wrap.className = "field";
  const id = `fe-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelKey;
  wrap.append(label, input);
  return wrap;
}

function numberInput(value, { min = 0, max, step = "any" } = {}) {
  const input = document.createElement("input");
  input.type = "number";
  input.min = String(min);
  if (max !== undefined) input.max = String(max);
  input.step = String(step);
  input.value = value ?? "";
  return input;
}

function selectInput(options, value) {
  const select = document.createElement("select");
  for (const [v, label] of options) {
    const option = document.createElement("option");
    option.value = v;
    option.textContent = label;
    select.append(option);
  }
  select.value = value;
  return select;
}

function editFeature(clicked) {
  if (!editor || !clicked) return;
  // today's values, whatever network the map shows
  const feature = baseFeature(clicked.properties.id, clicked.geometry.type) ?? clicked;
  editor.feature = feature;
  state.map.highlight(feature);
  const box = $("scenario-feature");
  box.hidden = false;
  box.replaceChildren();
  const title = document.createElement("h5");
  const p = feature.properties;
  const apply = [];
  if (feature.geometry.type === "LineString") {
    title.textContent = linkName(p.id);
    box.append(title);
    const current = editor.doc.links.find((e) => e.id === p.id)?.status ?? p.status ?? "open";
    const status = selectInput(
      ["open", "planned", "closed"].map((s) => [s, t(`status.${s}`)]),
      current,
    );
    box.append(field(t("field.status"), status));
    apply.push(() =>
      upsert(
        "links",
        (e) => e.id === p.id,
        status.value === (p.status ?? "open") ? null : { id: p.id, status: status.value },
      ),
    );
    for (const service of p.services ?? []) {
      const entry = editor.doc.services.find((e) => e.id === service.id);
      const input = numberInput(entry?.sailings_per_week ?? service.sailings_per_week, {
        min: 0.1,
        max: 500,
      });
      box.append(field(t("scenario.sailings", { id: service.id }), input));
      apply.push(() =>
        upsert(
          "services",
          (e) => e.id === service.id,
          Number(input.value) === service.sailings_per_week || input.value === ""
            ? null
            : { id: service.id, sailings_per_week: Number(input.value) },
        ),
      );
    }
  } else {
    title.textContent = `${nameOf(p)}${t("sep")}${t(`kind.${p.kind}`)}`;
    box.append(title);
    const borders = p.borders ?? [];
    const closedNow = p.status === "closed";
    const closedEntry = borders.length
      ? editor.doc.borders.find((e) => e.node === p.id && !e.mode && e.status)
      : editor.doc.nodes.find((e) => e.id === p.id && e.status);
    const status = selectInput(
      ["open", "closed"].map((s) => [s, t(`status.${s}`)]),
      closedEntry?.status ?? (closedNow ? "closed" : "open"),
    );
    box.append(field(t(borders.length ? "scenario.crossing_status" : "field.status"), status));
    apply.push(() => {
      const base = closedNow ? "closed" : "open";
      const value = status.value === base ? null : status.value;
      if (borders.length) {
        upsert(
          "borders",
          (e) => e.node === p.id && !e.mode && e.status,
          value && { node: p.id, status: value },
        );
      } else {
        upsert("nodes", (e) => e.id === p.id && e.status, value && { id: p.id, status: value });
      }
    });
    for (const row of borders) {
      const same = (e) =>
        e.node === p.id &&
        e.mode === row.mode &&
        e.from_country === row.from_country &&
        e.to_country === row.to_country &&
        e.clearance_hours !== undefined;
      const entry = editor.doc.borders.find(same);
      const input = numberInput(entry?.clearance_hours ?? row.clearance_hours, { max: 1440 });
      box.append(
        field(
          t("scenario.clearance", {
            mode: t(`mode.${row.mode}`),
            from: countryName(row.from_country),
            to: countryName(row.to_country),
          }),
          input,
        ),
      );
      apply.push(() =>
        upsert(
          "borders",
          same,
          input.value === "" || Number(input.value) === row.clearance_hours
            ? null
            : {
                node: p.id,
                mode: row.mode,
                from_country: row.from_country,
                to_country: row.to_country,
                clearance_hours: Number(input.value),
              },
        ),
      );
    }
    // a port's sailings: the services of the sea links that touch it
    for (const link of baseLinks()) {
      const lp = link.properties;
      if (lp.from !== p.id && lp.to !== p.id) continue;
      for (const service of lp.services ?? []) {
        const entry = editor.doc.services.find((e) => e.id === service.id);
        const input = numberInput(entry?.sailings_per_week ?? service.sailings_per_week, {
          min: 0.1,
          max: 500,
        });
        box.append(field(`${linkName(lp.id)}${t("sep")}${t("field.sailings_per_week")}`, input));
        apply.push(() =>
          upsert(
            "services",
            (e) => e.id === service.id,
            Number(input.value) === service.sailings_per_week || input.value === ""
              ? null
              : { id: service.id, sailings_per_week: Number(input.value) },
          ),
        );
      }
    }
  }
  const row = document.createElement("div");
  row.className = "actions";
  const ok = document.createElement("button");
  ok.type = "button";
  ok.id = "scenario-feature-apply";
  ok.textContent = t("scenario.apply");
  ok.addEventListener("click", () => {
    for (const fn of apply) fn();
    renderChanges();
    box.hidden = true;
    editor.feature = null;
    $("scenario-pick").value = "";
    state.map.highlight(null);
  });
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "secondary";
  cancel.textContent = t("scenario.cancel_change");
  cancel.addEventListener("click", () => {
    box.hidden = true;
    editor.feature = null;
    $("scenario-pick").value = "";
    state.map.highlight(null);
  });
  row.append(ok, cancel);
  box.append(row);
  box.querySelector("select, input")?.focus();
}

function explain(error) {
  if (error instanceof ApiError && error.status === 401) {
    return { message: `${error.message}\n${t("token.needed")}` };
  }
  return error;
}

function status(text, ok) {
  const el = $("scenario-editor-status");
  el.textContent = text;
  el.className = `status ${ok ? "ok" : "bad"}`;
}

async function validate() {
  try {
    const answer = await post("/scenarios/validate", documentOf());
    status(t("scenario.valid", { n: fmt(answer.changes ?? countChanges(documentOf())) }), true);
    return true;
  } catch (error) {
    status(error.message, false);
    return false;
  }
}

async function save() {
  if (!getToken()) {
    status(t("token.needed"), false);
    $("token-box").open = true;
    $("token-input").focus();
    return;
  }
  const doc = documentOf();
  const requestBody = { name: doc.name, description: doc.description, document: doc };
  try {
    let saved;
    if (editor.id) {
      saved = await put(
        `/scenarios/${encodeURIComponent(editor.id)}`,
        { ...requestBody, version: editor.version },
        { auth: true },
      );
    } else {
      saved = await post("/scenarios", requestBody, { auth: true });
    }
    editor.id = saved.id;
    editor.version = saved.version;
    status(t("scenario.saved_as", { name: saved.name, n: digits(saved.version) }), true);
    await refreshScenarios();
    await view(saved.id);
  } catch (error) {
    status(explain(error).message, false);
  }
}

// Save a document made elsewhere (the simulation's clearance times) and return its id.
export async function saveDocument(doc) {
  const saved = await post(
    "/scenarios",
    { name: doc.name, description: doc.description ?? "", document: doc },
    { auth: true },
  );
  await refreshScenarios();
  return saved;
}

export { escapeHtml };
