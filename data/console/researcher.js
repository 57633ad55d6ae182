// SPDX-License-Identifier: GPL-3.0-or-later
// researcher.js: challenges that fit my org, open challenges, applying, my
// applications (the search and saved searches are in search.js).
import { api, listOf, enc, record } from "./api.js";
import { t, stateName, appStateName } from "./i18n.js";
import { el, highlight, featureBars } from "./draw.js";
import { me, toast, guard, go, route } from "./app.js";

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
  // a researcher's own applications to it (the API shows an applicant only its own)
  const mine = me.role === "researcher" && me.org
    ? listOf(await api("GET", `/v1/challenges/${enc(cid)}/applications`), "applications").items : [];
  const led = mine.some(a => a.lead_org === me.org);
  main.replaceChildren(el("h1", { id: "ctitle" }, c.title || cid),
    el("p", {}, el("span", { class: "pill", id: "cstate" }, stateName(c.status || "draft")), " ", c.deadline || "",
      c.funding ? ` · ${t("f_funding")}: ${c.funding.amount}` : ""),
    el("p", {}, c.problem || c.description || ""),
    el("ul", {}, (c.indicators || []).map(i => el("li", {}, `${i.name}: ${i.target ?? ""} ${i.unit || ""}`))),
    mine.length ? el("p", { id: "myappstate" }, `${t("my_applications")}: `,
      mine.map(a => el("span", { class: "pill", "data-lead": a.lead_org }, `${a.lead_org} · ${appStateName(a.status)}`))) : "",
    me.role === "researcher" && !led && c.status === "published"
      ? el("a", { href: `#/apply/${enc(cid)}`, id: "applylink" }, t("apply")) : "");
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
      toast(t("applied_ok"));
      go("#/apps");
    });
  });
  main.replaceChildren(el("h1", {}, `${t("apply")}: ${cid}`), form);
}

// my applications: GET /v1/me/applications (those the key's org leads or is a
// member of, across challenges), each with its state and the challenge's,
// paged with next_cursor; an open application is withdrawn from here
export async function myApps(main) {
  const body = el("tbody", {});
  const more = el("button", { type: "button", id: "moreapps", hidden: true }, t("more"));
  const table = el("table", { id: "myapps" }, el("thead", {}, el("tr", {},
    [t("f_title"), t("ch_state"), t("lead_org"), t("app_state"), t("submitted_at"), ""].map(h => el("th", {}, h)))), body);
  let next = null;
  async function page() {
    const j = await api("GET", "/v1/me/applications?limit=20" + (next ? "&cursor=" + enc(next) : ""));
    const { items } = listOf(j, "items");
    body.append(...items.map(a => {
      const open = (a.status === "submitted" || a.status === "shortlisted") && a.challenge_status === "published";
      const lead = a.lead_org === me.org;
      return el("tr", { "data-id": a.challenge, "data-lead": a.lead_org, "data-state": a.status },
        el("td", {}, el("a", { href: `#/challenge/${enc(a.challenge)}` }, a.challenge_title || a.challenge)),
        el("td", { "data-label": t("ch_state") }, el("span", { class: "pill" }, stateName(a.challenge_status))),
        el("td", { "data-label": t("lead_org") }, a.lead_org, lead ? "" : el("span", { class: "muted" }, ` (${t("as_member")})`)),
        el("td", { class: "appstate", "data-label": t("app_state") }, el("span", { class: "pill" }, appStateName(a.status))),
        el("td", { class: "muted", "data-label": t("submitted_at") }, a.submitted_at || ""),
        el("td", {}, open && lead ? el("button", { type: "button", class: "withdraw", onclick: () => guard(async () => {
          await api("POST", `/v1/challenges/${enc(a.challenge)}/applications/${enc(a.lead_org)}/status`, { to: "withdrawn" });
          toast(appStateName("withdrawn"));
          route();
        }) }, t("withdraw")) : ""));
    }));
    next = j.next_cursor || null;
    more.hidden = !next;
    table.dataset.total = String(j.total ?? body.children.length);
  }
  more.addEventListener("click", () => guard(page));
  await page();
  main.replaceChildren(el("h1", {}, t("my_applications")),
    body.children.length ? table : el("p", { class: "muted", id: "myapps-none" }, t("none")), more);
}
