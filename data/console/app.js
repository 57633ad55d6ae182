// SPDX-License-Identifier: GPL-3.0-or-later
// app.js: login, the role's navigation and the hash router of the console.
import { api, key, setKey, forget, ApiError } from "./api.js";
import { t, lang, setLang } from "./i18n.js";
import { el } from "./draw.js";
import * as ent from "./enterprise.js";
import * as off from "./officer.js";
import * as res from "./researcher.js";

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
  try { return await f(); } catch (e) { toast(e instanceof ApiError ? `${t("error")} ${e.status}: ${e.message}` : String(e), true); return undefined; }
}

// the views of each role: [hash, message key, render(main, arg)]
const VIEWS = {
  enterprise: [["mine", "my_challenges", ent.mine], ["edit", "new_challenge", ent.editor], ["search", "search", res.search]],
  officer: [["challenges", "challenges", off.challenges], ["audit", "audit", off.audit], ["stats", "stats", off.stats],
            ["search", "search", res.search]],
  researcher: [["fits", "fits_me", res.fits], ["open", "open_challenges", res.open], ["apps", "my_applications", res.myApps],
               ["saved", "saved", res.saved], ["search", "search", res.search]],
};
VIEWS.admin = VIEWS.officer;
// views reached from others, not in the navigation
const INNER = { matches: ent.matches, review: off.review, apply: res.apply, challenge: res.challenge };

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

// Each route() is a generation; a view still loading when the user moves on
// (a slow /matches after a click on another view) must not paint over the
// newer one: it renders through a stand-in of main that ignores it once stale.
let routeGen = 0;
function viewOf(gen) {
  const live = () => gen === routeGen;
  return new Proxy(main, {
    get(tgt, p) {
      const v = tgt[p];
      if (typeof v !== "function") return v;
      if (p === "replaceChildren" || p === "append" || p === "appendChild" || p === "prepend")
        return (...a) => (live() ? v.apply(tgt, a) : undefined);
      return v.bind(tgt);
    },
    set(tgt, p, v) { if (live()) tgt[p] = v; return true; },
  });
}

export async function route() {
  const gen = ++routeGen;
  chrome();
  if (!me.role) { loginView(); return; }
  const [name, ...rest] = location.hash.slice(2).split("/");
  const arg = rest.map(decodeURIComponent).join("/");
  const v = views().find(([h]) => h === name);
  const f = v ? v[2] : INNER[name] || views()[0][2];
  main.replaceChildren(el("p", { class: "muted" }, t("loading")));
  await guard(() => f(viewOf(gen), arg));
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
