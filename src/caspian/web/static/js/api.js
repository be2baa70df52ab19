// Calls to the server's /api/v1. Errors come back as ApiError with the server's message,
// the field it names and its closest valid names (suggestions).

const BASE = "/api/v1";
const TOKEN_KEY = "caspian.token";

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? "";
    this.field = error.field ?? null;
    this.suggestions = error.suggestions ?? [];
  }
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token.trim());
  else localStorage.removeItem(TOKEN_KEY);
}

async function parse(response) {
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function request(method, path, { body, auth = false, signal, query } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && getToken()) headers.Authorization = `Bearer ${getToken()}`;
  const url = new URL(BASE + path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  return parse(response);
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, body, options = {}) => request("POST", path, { ...options, body });
export const put = (path, body, options = {}) => request("PUT", path, { ...options, body });
export const del = (path, options) => request("DELETE", path, options);

// A download of an export (json, geojson, csv) of a POST query: saved as a file by the browser.
export async function download(path, body, format, filename) {
  const url = new URL(`${BASE}${path}`, location.origin);
  url.searchParams.set("format", format);
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) await parse(response);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// Server-Sent Events of a run; falls back to polling if the stream breaks.
export function followRun(id, { onProgress, onDone, onFailed }) {
  let finished = false;
  const finish = (fn, value) => {
    if (finished) return;
    finished = true;
    source?.close();
    clearInterval(timer);
    fn(value);
  };
  const poll = async () => {
    try {
      const run = await get(`/runs/${encodeURIComponent(id)}`);
      onProgress(run);
      if (run.status === "done" || run.status === "succeeded") finish(onDone, run);
      else if (["failed", "cancelled", "canceled"].includes(run.status)) finish(onFailed, run);
    } catch (error) {
      finish(onFailed, { status: "failed", error: { message: error.message } });
    }
  };
  let timer = null;
  let source = null;
  if ("EventSource" in window) {
    source = new EventSource(`${BASE}/runs/${encodeURIComponent(id)}/events`);
    const handle = (event) => {
      let data = {};
      try {
        data = JSON.parse(event.data);
      } catch {
        data = {};
      }
      onProgress({ ...data, status: data.status ?? "running" });
      if (["done", "failed", "cancelled"].includes(event.type)) poll();
    };
    for (const type of ["progress", "done", "failed", "cancelled", "message"]) {
      source.addEventListener(type, handle);
    }
    source.onerror = () => {
      source.close();
      if (!finished && timer === null) timer = setInterval(poll, 500);
    };
  } else {
    timer = setInterval(poll, 500);
  }
  return {
    cancel: () => post(`/runs/${encodeURIComponent(id)}/cancel`, {}, { auth: true }),
    stop: () => {
      finished = true;
      source?.close();
      clearInterval(timer);
    },
  };
}
