// The map: Leaflet on the bundled Natural Earth basemap (no tiles), the network coloured by
// mode, place labels in the page's language, and routes drawn leg by leg.

import { fmt, getLang, nameOf, t } from "./i18n.js";

export const MODE_COLORS = {
  road: "#d9480f",
  rail: "#6741d9",
  sea: "#1971c2",
  rail_ferry: "#0c8599",
  truck_ferry: "#2f9e44",
};
export const MODES = Object.keys(MODE_COLORS);
const OTHER = "#868e96";
// Routes drawn side by side get their own outline colour, so they stay apart on one map.
export const ROUTE_COLORS = ["#212529", "#c2255c", "#e67700", "#0b7285", "#5c940d", "#862e9c"];

export const modeColor = (mode) => MODE_COLORS[mode] ?? OTHER;

const BOUNDS = [
  [30, 25],
  [58, 80],
];

export class CaspianMap {
  constructor(element, { onSelect } = {}) {
    this.onSelect = onSelect ?? (() => {});
    this.map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 3.5,
      maxZoom: 11,
      maxBounds: [
        [24, 15],
        [64, 90],
      ],
      attributionControl: true,
      keyboard: true,
    });
    this.map.attributionControl.setPrefix(false);
    this.map.fitBounds([
      [34, 38],
      [47.5, 64],
    ]);
    this.basemap = L.layerGroup().addTo(this.map);
    this.countryLabels = L.layerGroup().addTo(this.map);
    this.linkLayer = L.layerGroup().addTo(this.map);
    this.nodeLayer = L.layerGroup().addTo(this.map);
    this.flowLayer = L.layerGroup().addTo(this.map);
    this.routeLayer = L.layerGroup().addTo(this.map);
    this.markLayer = L.layerGroup().addTo(this.map);
    this.countries = [];
    this.nodes = [];
    this.links = [];
    this.editing = false;
    this.map.on("zoomend", () => {
      this.zoomClass();
      this.declutter();
    });
    this.zoomClass();
    this.legend = L.control({ position: "bottomright" });
    this.legend.onAdd = () => {
      this.legendDiv = L.DomUtil.create("div", "map-legend");
      this.renderLegend();
      return this.legendDiv;
    };
    this.legend.addTo(this.map);
  }

  zoomClass() {
    const box = this.map.getContainer();
    const z = this.map.getZoom();
    box.classList.toggle("labels-few", z < 5.5);
    box.classList.toggle("labels-some", z >= 5.5 && z < 7);
  }

  async loadBasemap() {
    const response = await fetch("basemap/region.geojson");
    if (!response.ok) throw new Error(`basemap: HTTP ${response.status}`);
    const data = await response.json();
    L.geoJSON(data, {
      interactive: false,
      style: (f) =>
        f.properties.kind === "sea"
          ? { color: "#7fa9c9", weight: 0.8, fillColor: "#bcd7ea", fillOpacity: 1 }
          : { color: "#a89f91", weight: 0.7, fillColor: "#f3f0e8", fillOpacity: 1 },
    }).addTo(this.basemap);
    this.countries = data.features
      .filter((f) => f.properties.kind === "country" && f.properties.iso_a2)
      .map((f) => ({ iso: f.properties.iso_a2, name_en: f.properties.name_en, at: labelPoint(f.geometry) }));
    this.renderCountryLabels();
    this.map.attributionControl.addAttribution(t("map.attribution"));
  }

  renderCountryLabels() {
    this.countryLabels.clearLayers();
    for (const c of this.countries) {
      const key = `country.${c.iso}`;
      const text = t(key) === key ? c.name_en : t(key);
      L.marker(c.at, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "country-label", html: escapeHtml(text), iconSize: null }),
      }).addTo(this.countryLabels);
    }
  }

  setNetwork(geojson) {
    this.links = geojson.features.filter((f) => f.geometry?.type === "LineString");
    this.nodes = geojson.features.filter((f) => f.geometry?.type === "Point");
    this.renderNetwork();
  }

  renderNetwork(changed = new Set()) {
    this.linkLayer.clearLayers();
    this.nodeLayer.clearLayers();
    for (const f of this.links) {
      const p = f.properties;
      const status = p.status ?? "open";
      const line = L.polyline(
        f.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
        {
          color: status === "closed" ? OTHER : modeColor(p.mode),
          weight: changed.has(p.id) ? 5 : 2,
          opacity: status === "open" ? 0.55 : 0.8,
          dashArray: status === "planned" ? "6 6" : status === "closed" ? "2 5" : null,
          className: `net-link mode-${p.mode} status-${status}`,
        },
      );
      line.bindTooltip(() => this.linkText(p), { sticky: true });
      line.on("click", () => this.onSelect({ type: "link", feature: f }));
      line.addTo(this.linkLayer);
      line.getElement()?.setAttribute("data-id", p.id);
    }
    for (const f of this.nodes) {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const kind = p.kind ?? "city";
      // closed: the place, or every clearance row of a crossing or port
      const closed =
        p.status === "closed" ||
        (p.borders?.length > 0 && p.borders.every((b) => b.status === "closed"));
      const marker = L.circleMarker([lat, lon], {
        radius: kind === "border_crossing" ? 5 : kind === "port" ? 5 : 3.5,
        color: changed.has(p.id) ? "#f08c00" : "#343a40",
        weight: changed.has(p.id) ? 3 : 1,
        fillColor: closed ? "#ced4da" : (NODE_FILL[kind] ?? "#ffffff"),
        fillOpacity: 1,
        dashArray: closed ? "2 2" : null,
        className: `net-node kind-${kind}${closed ? " status-closed" : ""}`,
      });
      marker.bindTooltip(closed ? `${nameOf(p)} (${t("status.closed")})` : nameOf(p), {
        permanent: true,
        direction: "right",
        offset: [5, 0],
        className: `place-label kind-${kind}${MAJOR.has(p.id) ? " major" : ""}`,
      });
      marker.on("click", () => this.onSelect({ type: "node", feature: f }));
      marker.addTo(this.nodeLayer);
      marker.getElement()?.setAttribute("data-id", p.id);
    }
    this.declutter();
  }

  // Hide place labels that would overlap one of higher rank (major places, ports, crossings,
  // then the rest), so names stay readable where places crowd, as on the Gilan coast.
  declutter() {
    const rank = (el) =>
      el.classList.contains("major")
        ? 0
        : el.classList.contains("kind-port")
          ? 1
          : el.classList.contains("kind-border_crossing")
            ? 2
            : 3;
    const labels = [...this.map.getContainer().querySelectorAll(".place-label")];
    for (const el of labels) el.classList.remove("collides");
    labels.sort((a, b) => rank(a) - rank(b));
    const placed = [];
    for (const el of labels) {
      const box = el.getBoundingClientRect();
      if (!box.width) continue; // hidden at this zoom
      const hit = placed.some(
        (p) => box.left < p.right && box.right > p.left && box.top < p.bottom && box.bottom > p.top,
      );
      if (hit) el.classList.add("collides");
      else placed.push(box);
    }
  }

  linkText(p) {
    const from = this.nodeById(p.from);
    const to = this.nodeById(p.to);
    return `${t(`mode.${p.mode}`)}${t("sep")}${nameOf(from?.properties) || p.from} – ${
      nameOf(to?.properties) || p.to
    }${t("sep")}${fmt(p.distance_km)} ${t("unit.km")}${t("sep")}${t(`status.${p.status ?? "open"}`)}`;
  }

  nodeById(id) {
    return this.nodes.find((f) => f.properties.id === id);
  }

  linkById(id) {
    return this.links.find((f) => f.properties.id === id);
  }

  refreshLanguage() {
    this.renderCountryLabels();
    this.renderNetwork(this.changed);
    this.renderLegend();
    if (this.lastRoutes) this.drawRoutes(this.lastRoutes, { fit: false });
  }

  markChanged(ids) {
    this.changed = new Set(ids);
    this.renderNetwork(this.changed);
  }

  renderLegend() {
    if (!this.legendDiv) return;
    const rows = MODES.map(
      (m) => `<li><span class="swatch" style="background:${MODE_COLORS[m]}"></span>${escapeHtml(t(`mode.${m}`))}</li>`,
    );
    rows.push(`<li><span class="swatch dashed"></span>${escapeHtml(t("status.planned"))}</li>`);
    rows.push(`<li><span class="dot border"></span>${escapeHtml(t("kind.border_crossing"))}</li>`);
    rows.push(`<li><span class="dot port"></span>${escapeHtml(t("kind.port"))}</li>`);
    rows.push(`<li><span class="dot closed"></span>${escapeHtml(t("status.closed"))}</li>`);
    this.legendDiv.innerHTML = `<strong>${escapeHtml(t("map.legend"))}</strong><ul>${rows.join("")}</ul>`;
  }

  // routes: [{route, name, index}] — index 0 is drawn on top and emphasised.
  drawRoutes(routes, { fit = true, selected = 0 } = {}) {
    this.lastRoutes = routes;
    this.routeLayer.clearLayers();
    const bounds = [];
    const order = routes.map((r, i) => i).sort((a, b) => (a === selected) - (b === selected));
    for (const i of order) {
      const { route, name } = routes[i];
      if (!route) continue;
      const top = i === selected;
      const outline = ROUTE_COLORS[i % ROUTE_COLORS.length];
      for (const leg of route.legs ?? []) {
        const latlngs = (leg.geometry ?? []).map(([lon, lat]) => [lat, lon]);
        if (latlngs.length < 2) continue;
        bounds.push(...latlngs);
        L.polyline(latlngs, {
          color: outline,
          weight: top ? 10 : 7,
          opacity: top ? 0.9 : 0.45,
          interactive: false,
          className: "route-casing",
        }).addTo(this.routeLayer);
        const line = L.polyline(latlngs, {
          color: modeColor(leg.mode),
          weight: top ? 5 : 3,
          opacity: 1,
          className: `route-leg route-${i} mode-${leg.mode}`,
        });
        line.bindTooltip(
          `${escapeHtml(name)}${t("sep")}${escapeHtml(t(`mode.${leg.mode}`))}: ${escapeHtml(
            nameOf(leg, "from_") || leg.from,
          )} – ${escapeHtml(nameOf(leg, "to_") || leg.to)}`,
          { sticky: true },
        );
        line.on("click", () => this.onRouteClick?.(i));
        line.addTo(this.routeLayer);
      }
      // the ends of the selected route
      if (top && route.legs?.length) {
        const first = route.legs.find((l) => (l.geometry ?? []).length);
        const last = [...route.legs].reverse().find((l) => (l.geometry ?? []).length);
        for (const [point, cls] of [
          [first?.geometry[0], "start"],
          [last?.geometry[last.geometry.length - 1], "end"],
        ]) {
          if (!point) continue;
          L.circleMarker([point[1], point[0]], {
            radius: 8,
            color: "#212529",
            weight: 2,
            fillColor: cls === "start" ? "#ffffff" : "#212529",
            fillOpacity: 1,
            className: `route-end route-${cls}`,
            interactive: false,
          }).addTo(this.routeLayer);
        }
      }
    }
    this.map.getContainer().classList.toggle("has-route", bounds.length > 0);
    if (fit && bounds.length) this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
  }

  // Link flows of a year (GeoJSON of /api/v1/flows): width grows with tonnes a year.
  drawFlows(geojson) {
    this.flowLayer.clearLayers();
    const features = (geojson?.features ?? []).filter((f) => f.properties.tonnes_per_year > 0);
    const most = Math.max(1, ...features.map((f) => f.properties.tonnes_per_year));
    for (const f of features) {
      const p = f.properties;
      const line = L.polyline(
        f.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
        {
          color: modeColor(p.mode),
          weight: 1.5 + 14 * Math.sqrt(p.tonnes_per_year / most),
          opacity: 0.75,
          lineCap: "butt",
          className: `flow-link mode-${p.mode}`,
        },
      );
      line.bindTooltip(
        () =>
          `${escapeHtml(this.linkText({ ...p, status: "open" }))}<br>${escapeHtml(
            t("flows.tooltip", {
              mt: fmt(p.tonnes_per_year / 1e6, 2),
              vehicles: fmt(p.vehicles_per_day ?? 0, 1),
            }),
          )}`,
        { sticky: true },
      );
      line.addTo(this.flowLayer);
    }
    this.map.getContainer().classList.toggle("has-route", features.length > 0);
  }

  clearFlows() {
    this.flowLayer.clearLayers();
    if (!this.lastRoutes) this.map.getContainer().classList.remove("has-route");
  }

  clearRoutes() {
    this.lastRoutes = null;
    this.map.getContainer().classList.remove("has-route");
    this.routeLayer.clearLayers();
  }

  // A temporary highlight of the feature being edited.
  highlight(feature) {
    this.markLayer.clearLayers();
    if (!feature) return;
    if (feature.geometry.type === "Point") {
      const [lon, lat] = feature.geometry.coordinates;
      L.circleMarker([lat, lon], { radius: 12, color: "#f08c00", weight: 3, fill: false, interactive: false }).addTo(
        this.markLayer,
      );
    } else {
      L.polyline(
        feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
        { color: "#f08c00", weight: 9, opacity: 0.6, interactive: false },
      ).addTo(this.markLayer);
    }
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

const NODE_FILL = {
  border_crossing: "#e03131",
  port: "#1971c2",
  rail_terminal: "#6741d9",
  free_zone: "#1098ad",
  production_area: "#94d82d",
  city: "#ffffff",
};

// Places whose label shows at every zoom (the Gilan gateways and the corridor ends).
const MAJOR = new Set([
  "ir_anzali",
  "ir_caspian_port",
  "ir_rasht",
  "ir_tehran",
  "ir_astara",
  "az_baku",
  "kz_aktau",
  "tm_turkmenbashi",
  "ru_astrakhan",
  "tr_istanbul",
  "bc_astara_road",
]);

// A point inside the largest polygon: the centroid of its outer ring, good enough for labels
// on the countries of this region.
function labelPoint(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const poly of polygons) {
    const ring = poly[0];
    let area = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      cx += (ring[j][0] + ring[i][0]) * cross;
      cy += (ring[j][1] + ring[i][1]) * cross;
    }
    if (Math.abs(area) > bestArea) {
      bestArea = Math.abs(area);
      best = area ? [cy / (3 * area), cx / (3 * area)] : [ring[0][1], ring[0][0]];
    }
  }
  return best;
}

export function escapeHtml(text) {
  return String(text ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

export { BOUNDS, getLang };
