// Message catalogs (i18n/en.json, i18n/fa.json), number formatting and the page direction.
// Every visible label comes from a catalog: t("key", {name: value}) fills {name} slots.

const catalogs = {};
let lang = "en";

export const LANGS = ["en", "fa"];

export async function loadCatalogs() {
  await Promise.all(
    LANGS.map(async (code) => {
      const response = await fetch(`i18n/${code}.json`);
      if (!response.ok) throw new Error(`message catalog ${code}: HTTP ${response.status}`);
      catalogs[code] = await response.json();
    }),
  );
}

export function getLang() {
  return lang;
}

export function t(key, values = {}) {
  const text = catalogs[lang]?.[key] ?? catalogs.en?.[key];
  if (text === undefined) {
    console.error(`missing message ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    name in values ? String(values[name]) : `{${name}}`,
  );
}

export function has(key) {
  return key in (catalogs[lang] ?? {});
}

const formatters = new Map();

// Numbers in the page's language: Persian digits and separators for fa.
export function fmt(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  const id = `${lang}:${digits}`;
  if (!formatters.has(id)) {
    formatters.set(
      id,
      new Intl.NumberFormat(lang === "fa" ? "fa-IR" : "en-US", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
    );
  }
  return formatters.get(id).format(Number(value));
}

// Digits of any text (ids, dates) in the page's script.
export function digits(text) {
  if (lang !== "fa") return String(text);
  return String(text).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
}

// A place's name in the page's language (objects with name_en / name_fa).
export function nameOf(item, prefix = "") {
  if (!item) return "";
  const fa = item[`${prefix}name_fa`];
  const en = item[`${prefix}name_en`];
  return (lang === "fa" ? fa || en : en || fa) ?? "";
}

export function setLang(code) {
  lang = LANGS.includes(code) ? code : "en";
  const html = document.documentElement;
  html.lang = lang;
  html.dir = lang === "fa" ? "rtl" : "ltr";
  applyToDom(document);
}

// Fill data-i18n (text), data-i18n-placeholder, -title and -aria-label attributes.
export function applyToDom(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const attr of ["placeholder", "title", "aria-label"]) {
    const data = `i18n${attr
      .split("-")
      .map((p) => p[0].toUpperCase() + p.slice(1))
      .join("")}`;
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.dataset[data]));
    }
  }
  document.title = t("app.title");
}
