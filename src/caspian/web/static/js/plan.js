// Plan tab: a route with its alternatives, the mode families side by side, the Pareto front and
// the time/cost-distance charts, all from the server's /api/v1 answers.

import { download, get, post } from "./api.js";
import { placeInput } from "./autocomplete.js";
import { lines, scatter } from "./charts.js";
import { digits, fmt, getLang, nameOf, t } from "./i18n.js";
import { ROUTE_COLORS, escapeHtml, modeColor } from "./map.js";
import { emit, on, placeLabel, setBusy, showMessage, state } from "./state.js";

const $ = (id) => document.getElementById(id);

let from;
let to;
let via;
// The shown result: {kind: "route" | "compare", options: [{label, route, reason, uncertainty}],
// selected, query, body}
let shown = null;
let pareto = null;

export function initPlan() {
  from = placeInput($("plan-from"));
  to = placeInput($("plan-to"));
  via = placeInput($("plan-via"));
  $("plan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    planRoute();
  });
  $("plan-compare").addEventListener("click", compareModes);
  $("plan-pareto").addEventListener("click", paretoFront);
  $("plan-swap").addEventListener("click", () => {
    const a = $("plan-from");
    const b = $("plan-to");
    [a.value, b.value] = [b.value, a.value];
    for (const key of ["placeId", "place"]) {
      const x = a.dataset[key];
      const y = b.dataset[key];
      if (y === undefined) delete a.dataset[key];
      else a.dataset[key] = y;
      if (x === undefined) delete b.dataset[key];
      else b.dataset[key] = x;
    }
  });
  for (const button of document.querySelectorAll("#plan-result .downloads button")) {
    button.addEventListener("click", () => exportShown(button.dataset.format));
  }
  state.map.onRouteClick = (i) => select(i);
  on("lang", () => {
    from.relabel();
    to.relabel();
    via.relabel();
    fillCargo();
    fillScenarios();
    if (shown) render({ fit: false });
    if (pareto) renderPareto();
  });
  on("scenarios", () => {
    fillScenarios();
    networkShown = null; // a saved scenario may have changed: fetch its network again
    showNetwork();
  });
  // The map shows the network of the chosen scenario while planning, today's elsewhere.
  $("plan-scenario").addEventListener("change", showNetwork);
  on("tab-shown", showNetwork);
  fillCargo();
  fillScenarios();
}

export function fillCargo() {
  const select = $("plan-cargo");
  const current = select.value || "general_container";
  select.replaceChildren(
    ...state.cargo.map((c) => {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = nameOf(c);
      return option;
    }),
  );
  if (state.cargo.some((c) => c.id === current)) select.value = current;
}

function fillScenarios() {
  const select = $("plan-scenario");
  const current = select.value;
  const none = select.querySelector("option[value='']");
  select.replaceChildren(
    none,
    ...state.scenarios.map((s) => {
      const option = document.createElement("option");
      option.value = s.id;
      option.textContent = s.builtin ? s.name : `${s.name} (${t("scenario.saved")})`;
      return option;
    }),
  );
  select.value = state.scenarios.some((s) => s.id === current) ? current : "";
}

let networkShown = "";

async function showNetwork() {
  const wanted = document.body.dataset.tab === "plan" ? $("plan-scenario").value : "";
  if (wanted === networkShown) return;
  networkShown = wanted;
  if (!wanted) {
    state.map.setNetwork(state.network);
    return;
  }
  try {
    const network = await get("/network", { query: { scenario: wanted } });
    if (networkShown === wanted) state.map.setNetwork(network);
  } catch (error) {
    networkShown = "";
    showMessage($("plan-message"), error);
  }
}

// Plan with a scenario (from the Scenarios and Simulate tabs).
export function planWithScenario(id) {
  fillScenarios();
  $("plan-scenario").value = id;
  emit("tab", "plan");
  showNetwork();
  if (($("plan-from").value && $("plan-to").value) || shown) planRoute();
}

function numberOf(id, fallback) {
  const value = $(id).value.trim();
  if (value === "") return fallback;
  return Number(value);
}

function body() {
  const modes = [...document.querySelectorAll("#plan-form input[name=modes]:checked")].map(
    (c) => c.value,
  );
  const countries = $("plan-avoid-country")
    .value.split(/[,\s،]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const viaValue = via.value();
  return {
    from: from.value(),
    to: to.value(),
    cargo: $("plan-cargo").value || undefined,
    tonnes: numberOf("plan-tonnes", 20),
    objective: $("plan-objective").value,
    modes: modes.length === 5 ? null : modes,
    avoid_country: countries,
    via: viaValue ? [viaValue] : [],
    include_planned: $("plan-planned").checked,
    scenario: $("plan-scenario").value || null,
    alternatives: numberOf("plan-alternatives", 0),
    uncertainty: numberOf("plan-uncertainty", 0),
    seed: numberOf("plan-seed", 0),
    lang: getLang(),
  };
}

function markInvalid(field) {
  for (const input of document.querySelectorAll("#plan-form [aria-invalid]")) {
    input.removeAttribute("aria-invalid");
  }
  const names = { from: "plan-from", to: "plan-to", via: "plan-via", cargo: "plan-cargo" };
  const key = String(field ?? "").replace(/^body\./, "");
  const id = names[key] ?? `plan-${key.replace(/_/g, "-")}`;
  const input = $(id);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

async function run(path, requestBody) {
  showMessage($("plan-message"), null);
  markInvalid(null);
  const empty = ["from", "to"].find((key) => !requestBody[key]);
  if (empty) {
    showMessage($("plan-message"), { message: t("plan.need_places") });
    markInvalid(empty);
    return null;
  }
  setBusy($("plan-busy"), true);
  for (const b of document.querySelectorAll("#plan-form .actions button")) b.disabled = true;
  try {
    return await post(path, requestBody);
  } catch (error) {
    // the result shown no longer answers the form: hide it rather than mislead
    shown = null;
    $("plan-result").hidden = true;
    state.map.clearRoutes();
    showMessage($("plan-message"), error, {
      onSuggestion: (id, field) => {
        const target = { to: to, via: via }[field] ?? from;
        const node = state.network?.features.find((f) => f.properties.id === id);
        target.set(node ? { ...node.properties } : { id, name_en: id, name_fa: id });
        $("plan-form").requestSubmit();
      },
    });
    if (error.field) markInvalid(error.field);
    return null;
  }
}

// Call the server, show the answer, and only then say the page is no longer busy.
async function act(path, requestBody, show) {
  try {
    const answer = await run(path, requestBody);
    if (answer) show(answer);
  } finally {
    setBusy($("plan-busy"), false);
    for (const b of document.querySelectorAll("#plan-form .actions button")) b.disabled = false;
  }
}

async function planRoute() {
  const requestBody = body();
  await act("/route", requestBody, (answer) => showRoute(requestBody, answer));
}

function showRoute(requestBody, answer) {
  const routes = [answer.route, ...(answer.alternatives ?? [])];
  const unc = answer.uncertainty?.options ?? [];
  shown = {
    kind: "route",
    path: "/route",
    body: requestBody,
    query: answer.query,
    note: answer.scenario_note ?? "",
    options: routes.map((route, i) => ({
      label: i === 0 ? t("plan.best") : t("plan.alternative_n", { n: digits(i + 1) }),
      route,
      reason: "",
      uncertainty: unc[i] ?? null,
    })),
    selected: 0,
  };
  render();
}

async function compareModes() {
  const requestBody = body();
  await act("/compare-modes", requestBody, (answer) => showFamilies(requestBody, answer));
}

function showFamilies(requestBody, answer) {
  shown = {
    kind: "compare",
    path: "/compare-modes",
    body: requestBody,
    query: answer.query,
    note: "",
    options: answer.families.map((f) => ({
      family: f.family,
      label: f.family,
      route: f.route,
      reason: f.reason,
      uncertainty: f.uncertainty ?? null,
    })),
    selected: 0,
  };
  shown.selected = Math.max(
    0,
    shown.options.findIndex((o) => o.route),
  );
  render();
}

async function paretoFront() {
  const requestBody = body();
  await act("/pareto", requestBody, (answer) => {
    pareto = { points: answer.points, selected: null, body: requestBody };
    renderPareto();
    $("pareto-result").scrollIntoView({ block: "nearest" });
  });
}

function optionLabel(option) {
  return option.family ? t(`family.${option.family}`) : option.label;
}

function select(i) {
  if (!shown || !shown.options[i]?.route) return;
  shown.selected = i;
  render({ fit: false });
}

function render({ fit = true } = {}) {
  const { options, selected } = shown;
  const current = options[selected]?.route;
  $("plan-result").hidden = false;
  const q = shown.body;
  const cargo = state.cargo.find((c) => c.id === (current?.cargo ?? q.cargo));
  const ends = current ?? {};
  $("plan-title").textContent = t("plan.title", {
    from: placeLabel(ends.origin, nameOf) || q.from,
    to: placeLabel(ends.destination, nameOf) || q.to,
    tonnes: fmt(current?.tonnes ?? q.tonnes, 0),
    cargo: cargo ? nameOf(cargo) : (q.cargo ?? ""),
  });
  renderTotals(current);
  const notes = [...(current?.notes ?? [])];
  if (shown.note) notes.push(shown.note);
  if (q.scenario) {
    const s = state.scenarios.find((x) => x.id === q.scenario);
    notes.unshift(t("plan.with_scenario", { name: s?.name ?? q.scenario }));
  }
  $("plan-note").textContent = notes.join(t("sep"));
  renderOptions();
  renderLegs(current);
  renderTcd();
  renderUncertainty();
  state.map.drawRoutes(
    options.map((o) => ({ route: o.route, name: optionLabel(o) })),
    { fit, selected },
  );
  const report = new URL("/api/v1/report", location.origin);
  for (const [key, value] of Object.entries({
    from: q.from,
    to: q.to,
    cargo: q.cargo ?? "",
    tonnes: q.tonnes,
    alternatives: Math.max(q.alternatives, 2),
    include_planned: q.include_planned,
    scenario: q.scenario ?? "",
    lang: getLang(),
  })) {
    report.searchParams.set(key, value);
  }
  $("plan-report").href = report.pathname + report.search;
}

function renderTotals(route) {
  const box = $("plan-totals");
  if (!route) {
    box.replaceChildren();
    return;
  }
  const tot = route.totals;
  const cells = [
    ["totals.cost", `${fmt(tot.cost_usd)}`, t("unit.usd")],
    ["totals.days", fmt(tot.days, 1), t("unit.days")],
    ["totals.co2", fmt(tot.co2e_kg / 1000, 1), t("unit.t_co2e")],
    ["totals.distance", fmt(tot.distance_km), t("unit.km")],
  ];
  box.innerHTML = cells
    .map(
      ([key, value, unit]) =>
        `<div><dt>${escapeHtml(t(key))}</dt><dd class="total-${key.split(".")[1]}">${escapeHtml(
          value,
        )}</dd><dt>${escapeHtml(unit)}</dt></div>`,
    )
    .join("");
}

function th(text, cls = "") {
  return `<th scope="col" class="${cls}">${escapeHtml(text)}</th>`;
}

function renderOptions() {
  const table = $("plan-options");
  const head = `<thead><tr>${th("")}${th(t("col.option"))}${th(t("col.modes"))}${th(
    t("col.cost_usd"),
    "num",
  )}${th(t("col.days"), "num")}${th(t("col.co2e_t"), "num")}${th(t("col.km"), "num")}</tr></thead>`;
  const rows = shown.options.map((o, i) => {
    const color = ROUTE_COLORS[i % ROUTE_COLORS.length];
    const dot = `<span class="route-swatch" style="background:${color}"></span>`;
    if (!o.route) {
      return `<tr class="no-route"><td>${dot}</td><td>${escapeHtml(optionLabel(o))}</td><td colspan="5">${escapeHtml(
        o.reason || t("plan.no_route"),
      )}</td></tr>`;
    }
    const tot = o.route.totals;
    const modes = (o.route.modes ?? []).map((m) => t(`mode.${m}`)).join(" + ");
    return `<tr class="clickable${i === shown.selected ? " selected" : ""}" data-i="${i}" tabindex="0" aria-selected="${
      i === shown.selected
    }"><td>${dot}</td><td>${escapeHtml(optionLabel(o))}</td><td>${escapeHtml(modes)}</td><td class="num">${fmt(
      tot.cost_usd,
    )}</td><td class="num">${fmt(tot.days, 1)}</td><td class="num">${fmt(
      tot.co2e_kg / 1000,
      1,
    )}</td><td class="num">${fmt(tot.distance_km)}</td></tr>`;
  });
  table.innerHTML = `${head}<tbody>${rows.join("")}</tbody>`;
  for (const row of table.querySelectorAll("tr.clickable")) {
    const i = Number(row.dataset.i);
    row.addEventListener("click", () => select(i));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select(i);
      }
    });
  }
}

function legStep(leg) {
  const f = nameOf(leg, "from_") || placeLabel(leg.from, nameOf);
  const to_ = nameOf(leg, "to_") || placeLabel(leg.to, nameOf);
  switch (leg.kind) {
    case "move":
      return t("step.move", { from: f, to: to_ });
    case "load":
      return t("step.load", { place: f });
    case "unload":
      return t("step.unload", { place: to_ || f });
    case "transfer":
      return t("step.transfer", { place: f });
    case "border":
      return t("step.border", { place: f });
    default:
      return `${leg.kind} ${f}`;
  }
}

function renderLegs(route) {
  const table = $("plan-legs");
  if (!route) {
    table.replaceChildren();
    return;
  }
  const head = `<thead><tr>${th("#")}${th(t("col.step"))}${th(t("col.mode"))}${th(
    t("col.km"),
    "num",
  )}${th(t("col.hours"), "num")}${th(t("col.cost_usd"), "num")}${th(t("col.co2e_kg"), "num")}</tr></thead>`;
  const rows = route.legs.map((leg, i) => {
    const mode = leg.kind === "move" ? leg.mode : "";
    const swatch = mode ? `<span class="swatch" style="background:${modeColor(mode)}"></span>` : "";
    return `<tr class="leg kind-${escapeHtml(leg.kind)}"><td>${fmt(i + 1)}</td><td>${escapeHtml(
      legStep(leg),
    )}</td><td>${swatch}${escapeHtml(mode ? t(`mode.${mode}`) : "")}</td><td class="num">${
      leg.distance_km ? fmt(leg.distance_km) : ""
    }</td><td class="num">${fmt(leg.hours, 1)}</td><td class="num">${fmt(
      leg.cost_usd,
    )}</td><td class="num">${fmt(leg.co2e_kg)}</td></tr>`;
  });
  const tot = route.totals;
  const foot = `<tfoot><tr><td></td><td>${escapeHtml(t("col.total"))}</td><td></td><td class="num">${fmt(
    tot.distance_km,
  )}</td><td class="num">${fmt(tot.hours, 1)}</td><td class="num">${fmt(
    tot.cost_usd,
  )}</td><td class="num">${fmt(tot.co2e_kg)}</td></tr></tfoot>`;
  table.innerHTML = `<caption class="hint">${escapeHtml(
    t("plan.legs_of", { option: optionLabel(shown.options[shown.selected]) }),
  )}</caption>${head}<tbody>${rows.join("")}</tbody>${foot}`;
}

// Time/cost-distance (UN ESCAP): cumulative cost per tonne and hours against distance, one line
// per option, summed leg by leg from the route the server returned.
function tcdPoints(route) {
  const tonnes = route.tonnes || route.totals.tonnes || 1;
  let km = 0;
  let usd = 0;
  let hours = 0;
  const cost = [[0, 0]];
  const time = [[0, 0]];
  for (const leg of route.legs) {
    km += leg.distance_km ?? 0;
    usd += (leg.cost_usd ?? 0) / tonnes;
    hours += leg.hours ?? 0;
    cost.push([km, usd]);
    time.push([km, hours]);
  }
  return { cost, time };
}

function renderTcd() {
  const withRoutes = shown.options
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.route);
  const series = withRoutes.map(({ o, i }) => ({ o, i, pts: tcdPoints(o.route) }));
  lines(
    $("chart-tcd-cost"),
    series.map(({ o, i, pts }) => ({
      name: optionLabel(o),
      color: ROUTE_COLORS[i % ROUTE_COLORS.length],
      points: pts.cost,
    })),
    { xLabel: t("chart.km"), yLabel: t("chart.usd_per_t"), title: t("plan.tcd_cost") },
  );
  lines(
    $("chart-tcd-time"),
    series.map(({ o, i, pts }) => ({
      name: optionLabel(o),
      color: ROUTE_COLORS[i % ROUTE_COLORS.length],
      points: pts.time,
    })),
    { xLabel: t("chart.km"), yLabel: t("chart.hours"), title: t("plan.tcd_time") },
  );
}

function renderUncertainty() {
  const rows = shown.options.filter((o) => o.uncertainty);
  $("plan-uncertainty-box").hidden = rows.length === 0;
  if (!rows.length) return;
  const p = (x, digitsAfter = 0) =>
    `${fmt(x.p10, digitsAfter)} / ${fmt(x.p50, digitsAfter)} / ${fmt(x.p90, digitsAfter)}`;
  const head = `<thead><tr>${th(t("col.option"))}${th(t("col.cost_usd"), "num")}${th(
    t("col.days"),
    "num",
  )}${th(t("col.p_cheapest"), "num")}${th(t("col.p_fastest"), "num")}</tr></thead>`;
  const body_ = rows
    .map(
      (o) =>
        `<tr><td>${escapeHtml(optionLabel(o))}</td><td class="num">${p(
          o.uncertainty.cost_usd,
        )}</td><td class="num">${p(o.uncertainty.days, 1)}</td><td class="num">${fmt(
          100 * o.uncertainty.p_cheapest,
        )}${t("unit.percent")}</td><td class="num">${fmt(100 * o.uncertainty.p_fastest)}${t(
          "unit.percent",
        )}</td></tr>`,
    )
    .join("");
  $("plan-uncertainty-table").innerHTML = `${head}<tbody>${body_}</tbody>`;
}

function renderPareto() {
  $("pareto-result").hidden = false;
  const points = pareto.points;
  const co2 = points.map((p) => p.co2e_kg);
  const lo = Math.min(...co2);
  const hi = Math.max(...co2);
  const shade = (v) => {
    const f = hi > lo ? (v - lo) / (hi - lo) : 0;
    return `hsl(${140 - 140 * f} 60% 40%)`;
  };
  const describe = (p) =>
    `${(p.route.modes ?? []).map((m) => t(`mode.${m}`)).join(" + ")}: ${fmt(p.cost_usd)} ${t(
      "unit.usd",
    )}, ${fmt(p.days, 1)} ${t("unit.days")}, ${fmt(p.co2e_kg / 1000, 1)} ${t("unit.t_co2e")}`;
  scatter(
    $("chart-pareto"),
    points.map((p, i) => ({
      x: p.days,
      y: p.cost_usd,
      color: shade(p.co2e_kg),
      r: i === pareto.selected ? 9 : 6,
      label: describe(p),
      onClick: () => drawPareto(i),
    })),
    { xLabel: t("chart.days"), yLabel: t("chart.usd"), title: t("plan.pareto_title"), connect: true },
  );
  const head = `<thead><tr>${th("#")}${th(t("col.modes"))}${th(t("col.cost_usd"), "num")}${th(
    t("col.days"),
    "num",
  )}${th(t("col.co2e_t"), "num")}</tr></thead>`;
  const rows = points
    .map(
      (p, i) =>
        `<tr class="clickable${i === pareto.selected ? " selected" : ""}" data-i="${i}" tabindex="0"><td>${fmt(
          i + 1,
        )}</td><td>${escapeHtml((p.route.modes ?? []).map((m) => t(`mode.${m}`)).join(" + "))}</td><td class="num">${fmt(
          p.cost_usd,
        )}</td><td class="num">${fmt(p.days, 1)}</td><td class="num">${fmt(p.co2e_kg / 1000, 1)}</td></tr>`,
    )
    .join("");
  const table = $("pareto-table");
  table.innerHTML = `${head}<tbody>${rows}</tbody>`;
  for (const row of table.querySelectorAll("tr.clickable")) {
    const i = Number(row.dataset.i);
    row.addEventListener("click", () => drawPareto(i));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        drawPareto(i);
      }
    });
  }
}

function drawPareto(i) {
  pareto.selected = i;
  shown = {
    kind: "pareto",
    path: "/route",
    body: pareto.body,
    query: null,
    note: "",
    options: pareto.points.map((p, j) => ({
      label: t("plan.pareto_n", { n: digits(j + 1) }),
      route: p.route,
      reason: "",
      uncertainty: null,
    })),
    selected: i,
  };
  render();
  renderPareto();
}

async function exportShown(format) {
  if (!shown) return;
  const path = shown.kind === "compare" ? "/compare-modes" : "/route";
  const ext = format === "json" ? "json" : format;
  try {
    await download(path, shown.body, format, `${path.slice(1)}.${ext}`);
  } catch (error) {
    showMessage($("plan-message"), error);
  }
}
