// SPDX-License-Identifier: GPL-3.0-or-later
// researcher.js: challenges that fit my org, open challenges, applying, my
// applications, saved searches, and the search shared by every role.
import { api, listOf, enc, record } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el, highlight, featureBars } from "./draw.js";
import { me, toast, guard, go } from "./app.js";

function challengeRow(c, extra) {
  return el("div", { class: "card chal", "data-id": c.id },
    el("div", { class: "row" }, el("a", { href: `#/challenge/${enc(c.id)}` }, c.title || c.id),
       el("span", { class: "pill" }, stateName(c.status || "published")), el("span", { class: "muted" }, c.deadline || "")),
    extra || "");
}

export async function fits(main) {
  if (!me.org) return open(main);
  const j = await api("GET", `/v1/orgs/${enc(me.org)}/matches?limit=10`);
  const ms = listOf(j, "matches").items;
  main.replaceChildren(el("h1", {}, t("fits_me")), ...(ms.length ? ms.map(m => {
    const terms = [].concat(...Object.values((m.explanation || {}).terms || {}));
    return el("div", { class: "card chal", "data-id": m.id },
      el("div", { class: "row" }, el("a", { href: `#/challenge/${enc(m.id)}` }, highlight(m.title || m.id, terms)),
         el("span", { class: "pill" }, `${t("score")} ${Number(m.score).toFixed(3)}`)),
      featureBars((m.explanation || {}).features, m.score));
  }) : [el("p", { class: "muted" }, t("none"))]));
}

export async function open(main) {
  const { items } = listOf(await api("GET", "/v1/challenges?status=published&limit=50"), "challenges");
  main.replaceChildren(el("h1", {}, t("open_challenges")), ...items.map(c => challengeRow(c)));
}

export async function challenge(main, cid) {
  const c = await record(cid);
  main.replaceChildren(el("h1", { id: "ctitle" }, c.title || cid),
    el("p", {}, el("span", { class: "pill", id: "cstate" }, stateName(c.status || "draft")), " ", c.deadline || ""),
    el("p", {}, c.problem || c.description || ""),
    el("ul", {}, (c.indicators || []).map(i => el("li", {}, `${i.name}: ${i.target ?? ""} ${i.unit || ""}`))),
    me.role === "researcher" ? el("a", { href: `#/apply/${enc(cid)}`, id: "applylink" }, t("apply")) : "");
}

export async function apply(main, cid) {
  const F = {
    lead_org: el("input", { name: "lead_org", value: me.org || "" }),
    team_lead: el("input", { name: "team_lead" }),
    members: el("input", { name: "members" }),
    plan: el("textarea", { name: "plan" }),
    budget: el("input", { name: "budget", type: "number", min: "0" }),
    schedule: el("input", { name: "schedule" }),
    commitment: el("input", { name: "commitment" }),
  };
  const form = el("form", { class: "card", id: "applyform" },
    ...Object.entries(F).map(([k, n]) => el("label", {}, el("span", {}, t(k)), n)),
    el("button", { class: "primary", type: "submit" }, t("submit")));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    guard(async () => {
      const b = { lead_org: F.lead_org.value.trim(), team_lead: F.team_lead.value.trim(), plan: F.plan.value.trim() };
      const mem = F.members.value.split(/[,，]/).map(x => x.trim()).filter(Boolean);
      if (mem.length) b.members = mem;
      if (F.budget.value) b.budget = { amount: Number(F.budget.value), currency: "CNY" };
      if (F.schedule.value.trim()) b.schedule = F.schedule.value.trim();
      if (F.commitment.value.trim()) b.commitment = F.commitment.value.trim();
      await api("POST", `/v1/challenges/${enc(cid)}/applications`, b);
      const mine = JSON.parse(sessionStorage.getItem("jiebang.applied") || "[]");
      if (!mine.includes(cid)) mine.push(cid);
      sessionStorage.setItem("jiebang.applied", JSON.stringify(mine));
      toast(t("applied_ok"));
      go("#/apps");
    });
  });
  main.replaceChildren(el("h1", {}, `${t("apply")}: ${cid}`), form);
}

// my applications: the challenges this org applied to, with their states
export async function myApps(main) {
  const { items } = listOf(await api("GET", "/v1/challenges?limit=100"), "challenges");
  const rows = [];
  for (const c of items) {
    const apps = await api("GET", `/v1/challenges/${enc(c.id)}/applications`).then(j => listOf(j, "applications").items, () => []);
    const mine = apps.filter(a => a.lead_org === me.org || [].concat(a.members || []).includes(me.org));
    if (mine.length) rows.push(challengeRow(c, el("span", { class: "muted" }, `${t("lead_org")}: ${mine.map(a => a.lead_org).join(", ")}`)));
  }
  main.replaceChildren(el("h1", {}, t("my_applications")), el("div", { id: "myapps" }, rows.length ? rows : el("p", { class: "muted" }, t("none"))));
}

export async function saved(main) {
  const { items } = listOf(await api("GET", "/v1/saved"), "saved");
  main.replaceChildren(el("h1", {}, t("saved")), ...(items.length ? items.map(s => {
    const out = el("div", {});
    return el("div", { class: "card" }, el("strong", {}, s.q || s.query || s.id), " ",
      el("button", { type: "button", onclick: () => guard(async () => {
        const n = listOf(await api("GET", `/v1/saved/${enc(s.id)}/new`), "hits").items;
        out.replaceChildren(el("ul", {}, n.map(h => el("li", {}, h.title || h.id))));
      }) }, t("whats_new")), out);
  }) : [el("p", { class: "muted" }, t("none"))]));
}

export async function search(main) {
  const q = el("input", { name: "q", placeholder: t("q") });
  const type = el("select", { name: "type" }, el("option", { value: "" }, t("all")),
    ["challenge", "output", "expert", "org"].map(x => el("option", { value: x }, x)));
  const out = el("div", { id: "hits" });
  const form = el("form", { class: "card row", id: "searchform" }, q, type, el("button", { class: "primary", type: "submit" }, t("go")),
    el("button", { type: "button", onclick: () => guard(async () => {
      const b = { q: q.value.trim() };
      if (type.value) b.type = type.value;
      await api("POST", "/v1/saved", b);
      toast(t("saved_ok"));
    }) }, t("save_search")));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    guard(async () => {
      const j = await api("GET", `/v1/search?q=${enc(q.value.trim())}${type.value ? "&type=" + type.value : ""}&limit=20`);
      const hits = listOf(j, "hits").items;
      out.replaceChildren(...(hits.length ? hits.map(h => el("div", { class: "card" },
        el("strong", {}, highlight(h.title || h.id, h.matched || h.terms || [])), " ", el("span", { class: "pill" }, h.type || ""))) : [el("p", { class: "muted" }, t("none"))]));
    });
  });
  main.replaceChildren(el("h1", {}, t("search")), form, out);
}
