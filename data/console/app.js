// SPDX-License-Identifier: GPL-3.0-or-later
// app.js: login, the role's navigation and the hash router of the console.
import { api, key, setKey, forget, ApiError } from "./api.js";
import { t, lang, setLang } from "./i18n.js";
import { el } from "./draw.js";
import * as ent from "./enterprise.js";
import * as off from "./officer.js";
import * as res from "./researcher.js";
import * as sea from "./search.js";
import * as rev from "./review.js";

export const me = { role: null, org: null, id: null };
const main = document.getElementById("main");

export function toast(msg, bad) {
  const n = document.getElementById("toast");
  n.textContent = msg;
  n.className = "show" + (bad ? " bad" : "");
  clearTimeout(toast.tm);
  toast.tm = setTimeout(() => { n.className = ""; }, 3000);
}

// runs an async action, reporting its error in the toast (never in the console)
export async function guard(f) {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ApiError && e.code === "logged_out") return undefined; // the user left: nothing to say
    toast(e instanceof ApiError ? `${t("error")} ${e.status}: ${e.message}` : String(e), true);
    return undefined;
  }
}

// the views of each role: [hash, message key, render(main, arg)]
const VIEWS = {
  enterprise: [["mine", "my_challenges", ent.mine], ["edit", "new_challenge", ent.editor], ["search", "search", sea.search]],
  officer: [["challenges", "challenges", off.challenges], ["audit", "audit", off.audit], ["stats", "stats", off.stats],
            ["search", "search", sea.search]],
  researcher: [["fits", "fits_me", res.fits], ["open", "open_challenges", res.open], ["apps", "my_applications", res.myApps],
               ["saved", "saved", sea.saved], ["search", "search", sea.search]],
};
VIEWS.admin = VIEWS.officer;
// views reached from others, not in the navigation
const INNER = { matches: ent.matches, review: rev.review, apply: res.apply, challenge: res.challenge };

function views() { return VIEWS[me.role] || VIEWS.researcher; }

function loginView() {
  const k = el("input", { type: "password", id: "keyin", autocomplete: "off", "aria-label": t("key") });
  const f = el("form", { class: "card login", id: "login" },
    el("h1", {}, t("title")),
    el("label", {}, el("span", {}, t("key")), k),
    el("p", { class: "muted" }, t("key_hint")),
    el("button", { class: "primary", type: "submit" }, t("login")));
  f.addEventListener("submit", async ev => {
    ev.preventDefault();
    setKey(k.value.trim());
    k.value = "";
    if (await whoami()) { location.hash = "#/" + views()[0][0]; route(); }
  });
  main.replaceChildren(f);
}

async function whoami() {
  try {
    const j = await api("GET", "/v1/me");
    Object.assign(me, { role: j.role, org: j.org || null, id: j.id });
    return true;
  } catch (e) {
    forget();
    Object.assign(me, { role: null, org: null, id: null });
    toast(`${t("error")} ${e.status || ""}: ${e.message}`, true);
    return false;
  }
}

function chrome() {
  document.title = t("title");
  document.getElementById("lang").textContent = t("lang_switch");
  const lo = document.getElementById("logout");
  lo.textContent = t("logout");
  lo.hidden = !me.role;
  document.getElementById("who").textContent = me.role ? `${me.role}${me.org ? " · " + me.org : ""}` : "";
  const cur = (location.hash.slice(2).split("/")[0]) || "";
  document.getElementById("nav").replaceChildren(...(me.role ? views() : []).map(([h, m]) =>
    el("a", { href: "#/" + h, class: h === cur ? "on" : null, "data-view": h }, t(m))));
}

export async function route() {
  chrome();
  if (!me.role) { loginView(); return; }
  const [name, ...rest] = location.hash.slice(2).split("/");
  const arg = rest.map(decodeURIComponent).join("/");
  const v = views().find(([h]) => h === name);
  const f = v ? v[2] : INNER[name] || views()[0][2];
  // each route renders into a box of its own: a slower earlier view that
  // finishes after the user moved on writes into its detached box, never
  // over the current one
  const box = el("div", { class: "view", "data-view": v ? name : INNER[name] ? name : views()[0][0] },
                 el("p", { class: "muted" }, t("loading")));
  main.replaceChildren(box);
  await guard(() => f(box, arg));
  box.dataset.ready = "1"; // rendered (or its error shown): what a test waits for
}

export function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }

document.getElementById("lang").addEventListener("click", () => { setLang(lang() === "en" ? "zh" : "en"); route(); });
document.getElementById("logout").addEventListener("click", () => {
  forget();
  Object.assign(me, { role: null, org: null, id: null });
  location.hash = "";
  route();
});
window.addEventListener("hashchange", route);
setLang(lang());
(async () => { if (key()) await whoami(); route(); })();
