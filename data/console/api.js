// SPDX-License-Identifier: GPL-3.0-or-later
// api.js: the one HTTP client of the console. The API key lives in
// sessionStorage only (never in a URL, never logged); every call sends the
// UI language as Accept-Language.
import { lang } from "./i18n.js";

const KEY = "jiebang.key";

export function key() { return sessionStorage.getItem(KEY); }
export function setKey(k) { sessionStorage.setItem(KEY, k); }
export function forget() { sessionStorage.removeItem(KEY); }

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error ? body.error : body || {};
    // both the {error:{code,message}} shape and problem+json ({title,detail})
    super(e.message || e.detail || e.title || "HTTP " + status);
    this.status = status;
    this.code = e.code || e.type || "";
  }
}

// api("GET", "/v1/me") -> parsed JSON; throws ApiError on a non-2xx answer
export async function api(method, path, body) {
  const h = { "Accept-Language": lang() === "en" ? "en" : "zh-CN", Accept: "application/json" };
  const k = key();
  if (k) h.Authorization = "Bearer " + k;
  if (body !== undefined) h["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
                                credentials: "omit", cache: "no-store" });
  const text = await r.text();
  let j = null;
  try { j = text ? JSON.parse(text) : null; } catch { j = null; }
  if (!r.ok) throw new ApiError(r.status, j);
  return j;
}

// A list answer in any of the shapes the API has had: a bare array,
// {items, next_cursor, total}, or an object holding one array under a known
// name. Returns {items, next, total}.
export function listOf(j, name) {
  if (Array.isArray(j)) return { items: j, next: null, total: j.length };
  if (!j || typeof j !== "object") return { items: [], next: null, total: 0 };
  let items = j.items;
  if (!Array.isArray(items) && name && Array.isArray(j[name])) items = j[name];
  if (!Array.isArray(items)) items = Object.values(j).find(Array.isArray) || [];
  return { items, next: j.next_cursor || null, total: typeof j.total === "number" ? j.total : items.length };
}

export const enc = encodeURIComponent;

// a challenge record (GET answers the record itself; a write answers {record})
export async function record(id, type = "challenges") {
  const j = await api("GET", `/v1/${type}/${enc(id)}`);
  return (j && j.record) || j || {};
}
