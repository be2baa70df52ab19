// Flows tab (shown when the server has /api/v1/flows): the year's trade assigned to the
// network — link flows drawn on the map by width, the bottleneck list, tonne-km by mode.

import { get } from "./api.js";
import { bars } from "./charts.js";
import { fmt, getLang, nameOf, t } from "./i18n.js";
import { escapeHtml, MODE_COLORS, modeColor } from "./map.js";
import { on, placeLabel, showMessage, state } from "./state.js";

const $ = (id) => document.getElementById(id);
let shown = null; // the last answer of /flows
let ready = false;

export function initFlows() {
  ready = true;
  $("flows-form").addEventListener("submit", (e) => {
    e.preventDefault();
    assign();
  });
  on("lang", () => {
    fillScenarios();
    if (shown) render();
  });
  on("scenarios", fillScenarios);
  on("tab-shown", (name) => {
    if (name === "flows" && shown) state.map.drawFlows(shown.geojson);
    else state.map.clearFlows();
  });
  fillScenarios();
}

// Flows are computed for the shipped scenarios only (the server's rule).
function fillScenarios() {
  if (!ready) return;
  const select = $("flows-scenario");
  const current = select.value;
  const none = select.querySelector("option[value='']");
  select.replaceChildren(
    none,
    ...state.scenarios
      .filter((s) => s.builtin)
      .map((s) => {
        const option = document.createElement("option");
        option.value = s.id;
        option.textContent = s.name;
        return option;
      }),
  );
  select.value = [...select.options].some((o) => o.value === current) ? current : "";
}

async function assign() {
  showMessage($("flows-message"), null);
  $("flows-busy").hidden = false;
  $("flows-go").disabled = true;
  try {
    const query = { method: $("flows-method").value, bound: $("flows-bound").value, lang: getLang() };
    if ($("flows-scenario").value) query.scenario = $("flows-scenario").value;
    shown = await get("/flows", { query });
    render();
    if (document.body.dataset.tab === "flows") state.map.drawFlows(shown.geojson);
  } catch (error) {
    showMessage($("flows-message"), error);
  } finally {
    $("flows-busy").hidden = true;
    $("flows-go").disabled = false;
  }
}

function render() {
  $("flows-result").hidden = false;
  const s = shown.summary ?? {};
  $("flows-summary").textContent = t("flows.summary", {
    demand: fmt((s.demand_tonnes_per_year ?? 0) / 1e6, 2),
    classes: fmt((s.classes ?? []).length),
    method: t(`flows.method.${s.method}`),
    iterations: fmt(s.iterations ?? 0),
    seconds: fmt(s.seconds ?? 0, 1),
    unreachable: fmt((s.unreachable ?? []).length),
  });
  const rows = [...(shown.elements ?? [])]
    .sort((a, b) => (b.utilisation ?? 0) - (a.utilisation ?? 0))
    .slice(0, 15)
    .map((e) => {
      const where = e.kind === "rail_line" ? railLine(e) : placeLabel(e.place, nameOf) || e.name;
      const load = e.utilisation ?? 0;
      const what = [label(`flows.kind.${e.kind}`, e.kind)];
      if (e.kind !== "rail_line") what.push(direction(e.direction));
      return `<tr class="${load >= 1 ? "over" : ""}"><td>${escapeHtml(
        where,
      )}<br><span class="hint">${escapeHtml(what.filter(Boolean).join(t("comma")))}</span></td><td class="num">${fmt((e.tonnes_per_year ?? 0) / 1e6, 2)}</td><td class="num">${fmt(
        e.vehicles_per_day ?? 0,
        1,
      )} / ${fmt(e.capacity_vehicles_per_day ?? 0, 1)} ${escapeHtml(
        label(`flows.vehicle.${e.vehicle}`, e.vehicle ?? ""),
      )}</td><td class="num">${fmt(100 * load)}${t("unit.percent")}</td></tr>`;
    });
  const th = (key, cls = "") => `<th scope="col" class="${cls}">${escapeHtml(t(key))}</th>`;
  $("flows-table").innerHTML = `<thead><tr>${th("flows.col.where")}${th(
    "flows.col.mt",
    "num",
  )}${th("flows.col.per_day", "num")}${th("flows.col.use", "num")}</tr></thead><tbody>${rows.join("")}</tbody>`;
  const tkm = Object.entries(shown.tonne_km ?? {});
  bars(
    $("chart-tonne-km"),
    tkm.map(([mode, value]) => ({
      label: t(`mode.${mode}`),
      values: [{ name: t(`mode.${mode}`), value: value / 1e9, color: modeColor(mode) }],
    })),
    { xLabel: t("col.mode"), yLabel: t("flows.billion_tkm"), title: t("flows.tonne_km") },
  );
}

function railLine(element) {
  const [from, to] = String(element.direction ?? "").split(">");
  return from && to ? `${placeLabel(from, nameOf)} – ${placeLabel(to, nameOf)}` : element.name;
}

// "IR>AZ" as "Iran → Azerbaijan"; "loading" / "unloading" for ports.
function direction(text) {
  const m = /^([A-Z]{2})>([A-Z]{2})$/.exec(text ?? "");
  if (!m) return label(`flows.direction.${text}`, text ?? "");
  const country = (code) => label(`country.${code}`, code);
  return t("sim.direction", { from: country(m[1]), to: country(m[2]) });
}

function label(key, fallback) {
  return t(key) === key ? fallback : t(key);
}

export { MODE_COLORS };
