// Caspian Gateway web interface: start-up, tabs, language switch and the API token.
// Plain ES modules, no build step; Leaflet is loaded before this file (vendor/leaflet).

import { get, getToken, setToken } from "./js/api.js";
import { getLang, loadCatalogs, setLang, t } from "./js/i18n.js";
import { CaspianMap } from "./js/map.js";
import { initFlows } from "./js/flows.js";
import { initPlan } from "./js/plan.js";
import { editorOpen, initScenarios, openEditor, refreshScenarios } from "./js/scenarios.js";
import { initSimulate } from "./js/simulate.js";
import { emit, on, showMessage, state } from "./js/state.js";

const $ = (id) => document.getElementById(id);
const LANG_KEY = "caspian.lang";

function showTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const active = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(active));
    tab.tabIndex = active ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !active;
  }
  document.body.dataset.tab = name;
  state.map?.invalidate();
  emit("tab-shown", name);
}

function initTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
    tab.addEventListener("keydown", (e) => {
      const visible = tabs.filter((x) => !x.hidden);
      const i = visible.indexOf(tab);
      const rtl = document.documentElement.dir === "rtl";
      let step = 0;
      if (e.key === "ArrowRight") step = rtl ? -1 : 1;
      if (e.key === "ArrowLeft") step = rtl ? 1 : -1;
      if (!step) return;
      e.preventDefault();
      const next = visible[(i + step + visible.length) % visible.length];
      next.focus();
      showTab(next.dataset.tab);
    });
  }
  on("tab", showTab);
}

function initLanguage() {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }
}

function switchLanguage(code) {
  setLang(code);
  localStorage.setItem(LANG_KEY, getLang());
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
  }
  state.map?.refreshLanguage();
  emit("lang", getLang());
}

function initToken() {
  const input = $("token-input");
  const status = $("token-status");
  const show = () => {
    status.textContent = getToken() ? t("token.stored") : t("token.none");
    status.className = "status";
  };
  input.value = getToken();
  show();
  $("token-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    setToken(input.value);
    if (!getToken()) return show();
    // ask the server whether it accepts the token
    try {
      const answer = await get("/auth/check", { auth: true });
      status.textContent = t("token.accepted", { name: answer.token?.name ?? "" });
      status.className = "status ok";
    } catch (error) {
      status.textContent = error.status === 401 ? t("token.rejected") : error.message;
      status.className = "status bad";
    }
  });
  $("token-clear").addEventListener("click", () => {
    setToken("");
    input.value = "";
    show();
  });
  on("lang", show);
}

// The Flows tab appears only when the server has a flows endpoint (the engine ships later).
async function detectFlows() {
  try {
    const schema = await get("/openapi.json");
    const paths = Object.keys(schema.paths ?? {});
    const flows = paths.some((p) => p.startsWith("/api/v1/flows"));
    $("tab-flows").hidden = !flows;
    if (flows) initFlows();
  } catch {
    $("tab-flows").hidden = true;
  }
}

async function boot() {
  await loadCatalogs();
  const params = new URLSearchParams(location.search);
  setLang(params.get("lang") ?? localStorage.getItem(LANG_KEY) ?? "en");
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === getLang()));
  }
  initTabs();
  initLanguage();
  initToken();
  state.map = new CaspianMap($("map"), {
    onSelect: (selection) => {
      if (document.body.dataset.tab !== "scenarios") return;
      if (!editorOpen()) openEditor(null);
      emit("select", selection);
    },
  });
  const [network, cargo] = await Promise.all([
    get("/network"),
    get("/cargo"),
    state.map.loadBasemap(),
  ]);
  state.network = network;
  state.cargo = cargo;
  state.map.setNetwork(network);
  initScenarios();
  await refreshScenarios();
  initPlan();
  showTab("plan");
  await Promise.all([initSimulate(), detectFlows()]);
  document.body.dataset.ready = "true";
}

boot().catch((error) => {
  const box = $("boot-message");
  showMessage(box, { message: `${t("app.boot_failed")}\n${error.message}` });
  console.error(error);
});
