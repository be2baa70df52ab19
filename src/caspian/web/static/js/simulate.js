// Simulate tab: the Astara road border's levers, a run with its progress, the queue and
// clearance-time charts, software vs hardware side by side, and the simulated clearance times
// handed to the planner as a scenario.

import { ApiError, followRun, get, getToken, post } from "./api.js";
import { bars, lines } from "./charts.js";
import { fmt, t } from "./i18n.js";
import { escapeHtml } from "./map.js";
import { planWithScenario } from "./plan.js";
import { saveDocument } from "./scenarios.js";
import { on, showMessage } from "./state.js";

const $ = (id) => document.getElementById(id);
const KIND = "simulate-border";
const DIRECTION_COLORS = ["#d9480f", "#1971c2", "#2f9e44", "#6741d9"];
const STAGE_COLORS = ["#212529", "#e67700", "#1971c2", "#2f9e44", "#6741d9", "#c2255c", "#0c8599"];
// Levers shown first (the rest follow in the server's order).
const FIRST = [
  "trucks_per_day",
  "edeclaration_share",
  "inspection_share",
  "equeue",
  "equeue_slots_per_hour_per_direction",
  "document_booths_per_direction",
  "xray_scanners_per_direction",
  "inspection_bays_per_direction",
  "entry_lanes_per_direction",
  "exit_lanes_per_direction",
  "weighbridges_per_direction",
  "parking_places_per_direction",
];

let kind = null; // the simulate-border entry of /runs/kinds
const touched = new Set(); // levers the user changed
let last = null; // the last finished run
let compared = null; // [{scenario, run}]
let following = []; // runs being followed
let cancelRequested = false; // Cancel pressed: stop the runs, also those still being started

export async function initSimulate() {
  $("sim-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runOne();
  });
  $("sim-compare").addEventListener("click", runCompare);
  $("sim-cancel").addEventListener("click", cancelAll);
  $("sim-use").addEventListener("click", useInPlanning);
  $("sim-preset").addEventListener("change", () => {
    touched.clear();
    renderLevers();
  });
  on("lang", () => {
    if (!kind) return;
    fillPresets();
    renderLevers();
    if (last) renderResult(last);
    if (compared) renderCompare();
  });
  const kinds = await get("/runs/kinds");
  kind = kinds.find((k) => k.kind === KIND && k.available !== false) ?? null;
  if (!kind) {
    showMessage($("sim-message"), { message: t("sim.unavailable") });
    $("sim-form").hidden = true;
    return;
  }
  const { days, replications, seed } = kind.defaults ?? {};
  const limits = kind.limits ?? {};
  if (limits.days) [$("sim-days").min, $("sim-days").max] = limits.days.map(String);
  if (limits.replications) {
    [$("sim-replications").min, $("sim-replications").max] = limits.replications.map(String);
  }
  // Short defaults: the page is for trying levers; the command line does long runs.
  $("sim-days").value = String(Math.min(days ?? 3, 3));
  $("sim-replications").value = String(Math.min(replications ?? 2, 2));
  $("sim-seed").value = String(seed ?? 0);
  fillPresets();
  renderLevers();
}

function fillPresets() {
  const select = $("sim-preset");
  const current = select.value || "baseline";
  select.replaceChildren(
    ...(kind.scenarios ?? ["baseline"]).map((name) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = presetName(name);
      return option;
    }),
  );
  select.value = current;
}

function presetName(name) {
  const key = `sim.preset.${name}`;
  return t(key) === key ? name : t(key);
}

function shortName(name) {
  const key = `sim.preset_short.${name}`;
  return t(key) === key ? name : t(key);
}

function leverLabel(lever) {
  const key = `lever.${lever.name}`;
  return t(key) === key ? lever.help || lever.name : t(key);
}

// The value a lever has in the chosen preset (when the server says), else its default.
function presetValue(lever) {
  const preset = $("sim-preset").value;
  const values = kind.scenario_levers?.[preset] ?? kind.presets?.[preset] ?? {};
  return lever.name in values ? values[lever.name] : lever.default;
}

function renderLevers() {
  const box = $("sim-levers");
  const levers = (kind.levers ?? []).filter((l) => ["float", "int", "bool"].includes(l.type));
  levers.sort((a, b) => rank(a.name) - rank(b.name));
  const current = new Map(
    [...box.querySelectorAll("[data-lever]")].map((el) => [
      el.dataset.lever,
      el.type === "checkbox" ? el.checked : el.value,
    ]),
  );
  const controls = levers.map((lever) => {
      const wrap = document.createElement("div");
      wrap.className = "field";
      const id = `lever-${lever.name}`;
      const value = touched.has(lever.name) ? current.get(lever.name) : presetValue(lever);
      let input;
      if (lever.type === "bool") {
        wrap.classList.add("check");
        input = document.createElement("input");
        input.type = "checkbox";
        input.checked = Boolean(value);
        const label = document.createElement("label");
        label.className = "check";
        label.htmlFor = id;
        label.append(input, document.createTextNode(` ${leverLabel(lever)}`));
        input.id = id;
        input.dataset.lever = lever.name;
        input.addEventListener("change", () => touched.add(lever.name));
        wrap.append(label);
        return wrap;
      }
      input = document.createElement("input");
      input.type = "number";
      input.id = id;
      input.dataset.lever = lever.name;
      input.step = lever.type === "int" ? "1" : "any";
      if (lever.min !== undefined) input.min = String(lever.min);
      if (lever.max !== undefined) input.max = String(lever.max);
      if (lever.step !== undefined) input.step = String(lever.step);
      input.value = value ?? "";
      input.addEventListener("input", () => touched.add(lever.name));
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = leverLabel(lever);
      if (lever.help) label.title = lever.help;
      wrap.append(label, input);
      return wrap;
    });
  const main = controls.filter((_, i) => FIRST.includes(levers[i].name));
  const more = document.createElement("details");
  more.className = "more-levers";
  const summary = document.createElement("summary");
  summary.textContent = t("sim.more_levers");
  const grid = document.createElement("div");
  grid.className = "levers";
  grid.append(...controls.filter((_, i) => !FIRST.includes(levers[i].name)));
  more.append(summary, grid);
  more.open = box.querySelector("details.more-levers")?.open ?? false;
  box.replaceChildren(...main, more);
}

function rank(name) {
  const i = FIRST.indexOf(name);
  return i < 0 ? FIRST.length : i;
}

function levers() {
  const out = {};
  for (const el of $("sim-levers").querySelectorAll("[data-lever]")) {
    const name = el.dataset.lever;
    if (!touched.has(name)) continue;
    out[name] = el.type === "checkbox" ? el.checked : Number(el.value);
  }
  return out;
}

function params(scenario) {
  return {
    scenario,
    days: Number($("sim-days").value),
    replications: Number($("sim-replications").value),
    seed: Number($("sim-seed").value),
    levers: levers(),
  };
}

function busy(on_) {
  $("sim-run").disabled = on_;
  $("sim-compare").disabled = on_;
  $("sim-cancel").hidden = !on_;
  $("sim-progress-box").hidden = !on_;
  if (on_) {
    $("sim-progress").value = 0;
    cancelRequested = false;
  }
}

function explain(error) {
  if (error instanceof ApiError && error.status === 401) {
    return { message: `${error.message}\n${t("token.needed")}` };
  }
  return error;
}

async function start(scenario) {
  const run = await post("/runs", { kind: KIND, params: params(scenario) }, { auth: true });
  return run;
}

// Follow runs to the end; progress is the mean of their progress.
function follow(runs) {
  const progress = new Map(runs.map((r) => [r.id, 0]));
  const update = () => {
    const values = [...progress.values()];
    $("sim-progress").value = (100 * values.reduce((a, b) => a + b, 0)) / values.length;
  };
  return Promise.all(
    runs.map(
      (run) =>
        new Promise((resolve) => {
          const handle = followRun(run.id, {
            onProgress: (r) => {
              if (typeof r.progress === "number") progress.set(run.id, r.progress);
              if (r.message) $("sim-progress-label").textContent = r.message;
              update();
            },
            onDone: async () => {
              progress.set(run.id, 1);
              update();
              resolve(await get(`/runs/${encodeURIComponent(run.id)}`));
            },
            onFailed: async (r) => {
              let full = r;
              try {
                full = await get(`/runs/${encodeURIComponent(run.id)}`);
              } catch {
                // keep what the stream said
              }
              resolve(full);
            },
          });
          following.push({ id: run.id, handle });
          if (cancelRequested) handle.cancel().catch(() => {});
        }),
    ),
  );
}

function needToken() {
  if (getToken()) return false;
  showMessage($("sim-message"), { message: t("token.needed") });
  $("token-box").open = true;
  $("token-input").focus();
  return true;
}

async function runOne() {
  showMessage($("sim-message"), null);
  if (needToken()) return;
  busy(true);
  $("sim-progress-label").textContent = t("sim.progress");
  try {
    const run = await start($("sim-preset").value);
    const [done] = await follow([run]);
    if (done.status !== "done") throw new Error(failure(done));
    last = done;
    renderResult(done);
  } catch (error) {
    showMessage($("sim-message"), explain(error));
  } finally {
    following = [];
    busy(false);
  }
}

function failure(run) {
  const text = run.message || run.error?.message || "";
  return t(`sim.status.${run.status}`) + (text ? `: ${text}` : "");
}

async function runCompare() {
  showMessage($("sim-message"), null);
  if (needToken()) return;
  busy(true);
  $("sim-progress-label").textContent = t("sim.progress");
  try {
    const scenarios = kind.scenarios ?? ["baseline"];
    const runs = [];
    for (const scenario of scenarios) {
      if (cancelRequested) break;
      runs.push(await start(scenario));
    }
    const done = await follow(runs);
    if (runs.length < scenarios.length) throw new Error(t("sim.status.cancelled"));
    const bad = done.find((r) => r.status !== "done");
    if (bad) throw new Error(failure(bad));
    compared = scenarios.map((scenario, i) => ({ scenario, run: done[i] }));
    renderCompare();
  } catch (error) {
    showMessage($("sim-message"), explain(error));
  } finally {
    following = [];
    busy(false);
  }
}

async function cancelAll() {
  cancelRequested = true;
  for (const { handle } of following) {
    try {
      await handle.cancel();
    } catch {
      // a run that finished meanwhile cannot be cancelled
    }
  }
}

function stat(value, digitsAfter = 1) {
  if (!value || value.mean === null || value.mean === undefined) return "–";
  const ci =
    value.ci_low !== null && value.ci_low !== undefined
      ? ` (${fmt(value.ci_low, digitsAfter)}–${fmt(value.ci_high, digitsAfter)})`
      : "";
  return `${fmt(value.mean, digitsAfter)}${ci}`;
}

const ROWS = [
  ["time_mean_hours", 1],
  ["time_p90_hours", 1],
  ["wait_mean_hours", 1],
  ["throughput_per_day", 0],
  ["arrivals_per_day", 0],
  ["road_queue_peak", 0],
];

function stageName(name) {
  const key = `sim.stage.${name}`;
  return t(key) === key ? direction(name) : t(key);
}

// "IR->AZ" as "Iran → Azerbaijan" (in Persian "ایران ← آذربایجان").
function direction(name) {
  const m = /^([A-Z]{2})->([A-Z]{2})$/.exec(name);
  if (!m) return name;
  const country = (code) => (t(`country.${code}`) === `country.${code}` ? code : t(`country.${code}`));
  return t("sim.direction", { from: country(m[1]), to: country(m[2]) });
}

function renderResult(run) {
  const result = run.result ?? {};
  const summary = result.summary ?? {};
  const groups = Object.keys(summary.groups ?? {});
  $("sim-result").hidden = false;
  const head = `<thead><tr><th></th>${groups
    .map((g) => `<th class="num" scope="col">${escapeHtml(direction(g))}</th>`)
    .join("")}</tr></thead>`;
  const rows = ROWS.map(
    ([key, d]) =>
      `<tr><th scope="row">${escapeHtml(t(`sim.row.${key}`))}</th>${groups
        .map((g) => `<td class="num">${stat(summary.groups[g][key], d)}</td>`)
        .join("")}</tr>`,
  );
  const util = Object.entries(summary.utilisation ?? {})
    .map(([stage, v]) => `${stageName(stage)} ${fmt(100 * v.mean)}${t("unit.percent")}`)
    .join(t("sep"));
  $("sim-table").innerHTML = `<caption class="hint">${escapeHtml(
    t("sim.caption", {
      scenario: presetName(summary.scenario ?? run.params?.scenario ?? ""),
      traffic: fmt(summary.traffic_per_day ?? 0),
      days: fmt(summary.days ?? 0, 1),
      reps: fmt(summary.replications ?? 0),
    }),
  )}</caption>${head}<tbody>${rows.join("")}</tbody>`;
  if (util) {
    $("sim-table").insertAdjacentHTML(
      "beforeend",
      `<tfoot><tr><td colspan="${groups.length + 1}" class="hint">${escapeHtml(
        t("sim.utilisation"),
      )}: ${escapeHtml(util)}</td></tr></tfoot>`,
    );
  }
  const queue = result.series?.queue;
  if (queue) {
    const inDays = !queue.hours;
    const xs = queue.hours ?? queue.days ?? [];
    lines(
      $("chart-queue"),
      Object.entries(queue.series ?? {}).map(([name, values], i) => ({
        name: stageName(name),
        color: STAGE_COLORS[i % STAGE_COLORS.length],
        points: values.map((v, j) => [xs[j], v]),
      })),
      {
        xLabel: t(inDays ? "chart.day" : "chart.hour"),
        yLabel: t("chart.trucks"),
        title: t("sim.queue_chart"),
      },
    );
  }
  const waiting = result.series?.waiting;
  if (waiting) {
    const binsHours = waiting.bins_hours ?? [];
    lines(
      $("chart-wait"),
      Object.entries(waiting.counts ?? {}).map(([name, counts], i) => ({
        name: direction(name),
        color: DIRECTION_COLORS[i % DIRECTION_COLORS.length],
        points: counts.map((c, j) => [
          binsHours.length > counts.length ? (binsHours[j] + binsHours[j + 1]) / 2 : binsHours[j],
          c,
        ]),
      })),
      { xLabel: t("chart.hours_to_clear"), yLabel: t("chart.trucks"), title: t("sim.wait_chart") },
    );
  }
  $("sim-use").hidden = !result.planner_scenario;
  $("sim-use-status").textContent = "";
}

function renderCompare() {
  $("sim-compare-result").hidden = false;
  const groups = compared.map(({ scenario, run }) => ({
    label: shortName(scenario),
    values: Object.entries(run.result?.summary?.groups ?? {}).map(([name, g], i) => ({
      name: direction(name),
      value: g.time_mean_hours?.mean ?? 0,
      color: DIRECTION_COLORS[i % DIRECTION_COLORS.length],
    })),
  }));
  bars($("chart-compare"), groups, {
    xLabel: t("sim.scenario"),
    yLabel: t("sim.row.time_mean_hours"),
    title: t("sim.compare_title"),
  });
  const dirs = Object.keys(compared[0]?.run.result?.summary?.groups ?? {});
  const head = `<thead><tr><th scope="col">${escapeHtml(t("sim.scenario"))}</th>${dirs
    .map(
      (d) =>
        `<th class="num" scope="col">${escapeHtml(direction(d))}${t("sep")}${escapeHtml(
          t("sim.short.time_mean_hours"),
        )}</th><th class="num" scope="col">${escapeHtml(direction(d))}${t("sep")}${escapeHtml(
          t("sim.short.throughput_per_day"),
        )}</th>`,
    )
    .join("")}</tr></thead>`;
  const rows = compared
    .map(
      ({ scenario, run }) =>
        `<tr><th scope="row" title="${escapeHtml(presetName(scenario))}">${escapeHtml(
          shortName(scenario),
        )}</th>${dirs
          .map((d) => {
            const g = run.result?.summary?.groups?.[d] ?? {};
            return `<td class="num">${stat(g.time_mean_hours, 1)}</td><td class="num">${stat(
              g.throughput_per_day,
              0,
            )}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  $("sim-compare-table").innerHTML = `${head}<tbody>${rows}</tbody>`;
}

async function useInPlanning() {
  const doc = last?.result?.planner_scenario;
  if (!doc) return;
  if (needToken()) return;
  const status = $("sim-use-status");
  const named = { ...doc, name: `${doc.name}-${last.id.slice(0, 6)}` };
  try {
    const saved = await saveDocument(named);
    status.className = "status ok";
    status.textContent = t("sim.used", { name: saved.name });
    planWithScenario(saved.id);
  } catch (error) {
    status.className = "status bad";
    status.textContent = explain(error).message;
  }
}
