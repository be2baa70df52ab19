// Small SVG charts (no library): scatter, lines and grouped bars. Axes read left to right in
// both languages (the chart box is dir="ltr"); numbers use the page's digits.

import { fmt, t } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
const SIZE = { width: 420, height: 240, left: 58, right: 12, top: 14, bottom: 42 };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceStep(span, count) {
  const raw = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return { values: out, digits: step < 1 ? Math.min(3, Math.ceil(-Math.log10(step))) : 0 };
}

function extent(values, zero = false) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (zero) lo = Math.min(0, lo);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    hi = lo + (Math.abs(lo) || 1) * 0.1;
    lo = zero ? lo : lo - (Math.abs(lo) || 1) * 0.1;
  }
  return [lo, hi + (hi - lo) * 0.04];
}

function frame(container, { xLabel, yLabel, title, xs, ys, zeroX = true, zeroY = true }) {
  container.replaceChildren();
  container.setAttribute("dir", "ltr");
  const { width, height, left, right, top, bottom } = SIZE;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart",
    role: "img",
    "aria-label": title ?? `${yLabel} / ${xLabel}`,
  });
  const [x0, x1] = extent(xs, zeroX);
  const [y0, y1] = extent(ys, zeroY);
  const sx = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
  const sy = (v) => height - bottom - ((v - y0) / (y1 - y0)) * (height - top - bottom);
  const axes = el("g", { class: "axes" });
  const xt = ticks(x0, x1);
  for (const v of xt.values) {
    axes.append(el("line", { x1: sx(v), x2: sx(v), y1: top, y2: height - bottom, class: "grid" }));
    axes.append(
      el("text", { x: sx(v), y: height - bottom + 14, "text-anchor": "middle" }, fmt(v, xt.digits)),
    );
  }
  const yt = ticks(y0, y1);
  for (const v of yt.values) {
    axes.append(el("line", { x1: left, x2: width - right, y1: sy(v), y2: sy(v), class: "grid" }));
    axes.append(el("text", { x: left - 5, y: sy(v) + 4, "text-anchor": "end" }, fmt(v, yt.digits)));
  }
  axes.append(
    el("text", { x: (left + width - right) / 2, y: height - 6, "text-anchor": "middle", class: "label" }, xLabel),
  );
  axes.append(
    el(
      "text",
      { x: 12, y: (top + height - bottom) / 2, transform: `rotate(-90 12 ${(top + height - bottom) / 2})`, "text-anchor": "middle", class: "label" },
      yLabel,
    ),
  );
  axes.append(el("rect", { x: left, y: top, width: width - left - right, height: height - top - bottom, class: "box" }));
  svg.append(axes);
  container.append(svg);
  return { svg, sx, sy };
}

// points: [{x, y, color, label, onClick}]
export function scatter(container, points, options) {
  if (!points.length) return container.replaceChildren();
  const { svg, sx, sy } = frame(container, {
    ...options,
    xs: points.map((p) => p.x),
    ys: points.map((p) => p.y),
    zeroX: false,
    zeroY: false,
  });
  const line = [...points].sort((a, b) => a.x - b.x);
  if (options.connect && line.length > 1) {
    svg.append(
      el("polyline", {
        points: line.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" "),
        class: "front",
      }),
    );
  }
  for (const p of points) {
    const dot = el("circle", {
      cx: sx(p.x),
      cy: sy(p.y),
      r: p.r ?? 6,
      fill: p.color ?? "#1f6f8b",
      class: p.onClick ? "point clickable" : "point",
      tabindex: p.onClick ? 0 : -1,
    });
    dot.append(el("title", {}, p.label ?? ""));
    if (p.onClick) {
      dot.addEventListener("click", p.onClick);
      dot.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") p.onClick();
      });
    }
    svg.append(dot);
  }
}

// series: [{name, color, points: [[x, y], ...], dash}]
export function lines(container, series, options) {
  const all = series.flatMap((s) => s.points);
  if (!all.length) return container.replaceChildren();
  const { svg, sx, sy } = frame(container, {
    ...options,
    xs: all.map((p) => p[0]),
    ys: all.map((p) => p[1]),
  });
  for (const s of series) {
    const path = el("polyline", {
      points: s.points.map(([x, y]) => `${sx(x)},${sy(y)}`).join(" "),
      stroke: s.color,
      class: "series",
      "stroke-dasharray": s.dash ?? "",
    });
    path.append(el("title", {}, s.name));
    svg.append(path);
  }
  legend(container, series);
}

// groups: [{label, values: [{name, value, color}]}]
export function bars(container, groups, options) {
  const values = groups.flatMap((g) => g.values.map((v) => v.value));
  if (!values.length) return container.replaceChildren();
  const n = groups.length;
  const { svg, sy } = frame(container, {
    ...options,
    xs: [0, n],
    ys: values,
  });
  const { width, left, right, height, bottom } = SIZE;
  const slot = (width - left - right) / n;
  // the frame drew x ticks for 0..n; replace them with the group labels
  for (const text of svg.querySelectorAll(".axes text")) {
    if (Number(text.getAttribute("y")) === height - bottom + 14) text.remove();
  }
  groups.forEach((g, i) => {
    const inner = slot * 0.8;
    const w = inner / Math.max(g.values.length, 1);
    g.values.forEach((v, j) => {
      const x = left + i * slot + slot * 0.1 + j * w;
      const bar = el("rect", {
        x,
        y: sy(Math.max(v.value, 0)),
        width: Math.max(w - 2, 1),
        height: Math.max(sy(0) - sy(Math.max(v.value, 0)), 0),
        fill: v.color,
        class: "bar",
      });
      bar.append(el("title", {}, `${g.label}${t("sep")}${v.name}: ${fmt(v.value, 1)}`));
      svg.append(bar);
    });
    svg.append(
      el("text", { x: left + (i + 0.5) * slot, y: height - bottom + 14, "text-anchor": "middle" }, g.label),
    );
  });
  const names = new Map();
  for (const g of groups) for (const v of g.values) names.set(v.name, v.color);
  legend(container, [...names].map(([name, color]) => ({ name, color })));
}

function legend(container, series) {
  if (series.length < 2) return;
  const list = document.createElement("ul");
  list.className = "chart-legend";
  for (const s of series) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = s.color;
    item.append(swatch, document.createTextNode(s.name));
    list.append(item);
  }
  container.append(list);
}
