// SPDX-License-Identifier: GPL-3.0-or-later
// officer.js: the match review buttons, a challenge's review (applications
// with conflicts, scoring, ranking, award, milestones), the audit log and the
// statistics.
import { api, listOf, enc, record } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el, barChart } from "./draw.js";
import { me, toast, guard, go, route } from "./app.js";

const REASONS = ["too_early", "benefit_unclear", "ip_conflict", "no_capacity", "other"];

export function reviewButtons(cid, m) {
  const reason = el("select", { name: "reason" }, REASONS.map(r => el("option", { value: r }, r)));
  const note = el("input", { name: "note", placeholder: t("note") });
  const send = (state) => guard(async () => {
    const b = { type: m.type, id: m.id, state };
    if (state === "dismissed") b.reason = reason.value;
    if (note.value.trim()) b.note = note.value.trim();
    await api("POST", `/v1/challenges/${enc(cid)}/match_reviews`, b);
    toast(`${m.title || m.id}: ${state}`);
    route();
  });
  return el("div", { class: "row review" },
    el("button", { type: "button", class: "shortlist", onclick: () => send("shortlisted") }, t("shortlist")),
    el("button", { type: "button", class: "contact", onclick: () => send("contacted") }, t("contact")),
    reason, note,
    el("button", { type: "button", class: "dismiss", onclick: () => send("dismissed") }, t("dismiss")));
}

export async function challenges(main) {
  const { items } = listOf(await api("GET", "/v1/challenges?limit=100"), "challenges");
  main.replaceChildren(el("h1", {}, t("challenges")),
    el("table", { id: "challenges" }, el("thead", {}, el("tr", {}, [t("f_title"), t("state"), t("deadline"), ""].map(h => el("th", {}, h)))),
      el("tbody", {}, items.map(c => el("tr", { "data-id": c.id },
        el("td", {}, c.title || c.id), el("td", {}, el("span", { class: "pill" }, stateName(c.status || "draft"))),
        el("td", {}, c.deadline || "—"),
        el("td", {}, el("a", { href: `#/review/${enc(c.id)}` }, t("applications")), " · ",
                      el("a", { href: `#/matches/${enc(c.id)}` }, t("matches"))))))));
}

export async function review(main, cid) {
  const c = await record(cid);
  const apps = listOf(await api("GET", `/v1/challenges/${enc(cid)}/applications`), "applications").items;
  // the criteria of lifecycle.criteria's default; a server configured otherwise
  // answers 400 naming its own, shown in the toast
  const CRIT = ["technical", "team", "plan", "budget"];
  const box = el("div", {});
  const moveSel = el("select", { name: "to" }, ["published", "reviewing", "awarded", "in_progress", "accepted", "closed"]
    .map(s => el("option", { value: s }, stateName(s))));
  const winners = el("select", { name: "winner" }, apps.map(a => el("option", { value: a.lead_org }, a.lead_org)));
  box.append(el("h1", {}, c.title || cid), el("p", {}, el("span", { class: "pill", id: "cstate" }, stateName(c.status || "draft"))));
  box.append(el("div", { class: "card row" }, t("status_to"), moveSel, el("button", { type: "button", id: "move", onclick: () => guard(async () => {
    const b = { to: moveSel.value };
    if (b.to === "awarded") b.winners = [winners.value];
    await api("POST", `/v1/challenges/${enc(cid)}/status`, b);
    toast(stateName(b.to));
    route();
  }) }, t("move")), t("award"), winners));
  box.append(el("h2", {}, t("applications")));
  for (const a of apps) {
    const conf = [].concat(a.conflicts || []);
    const reviewer = el("input", { name: "reviewer", placeholder: t("reviewer") });
    const score = CRIT.map(k => el("input", { name: "score_" + k, type: "number", min: "0", step: "any", placeholder: k, "aria-label": k }));
    box.append(el("div", { class: "card app", "data-lead": a.lead_org },
      el("strong", {}, a.lead_org), " ", el("span", { class: "muted" }, a.team_lead || ""),
      el("p", {}, a.plan || ""),
      conf.length ? el("p", { class: "warn coi" }, `${t("conflicts")}: `, conf.map(x => typeof x === "string" ? x : `${x.reviewer || x.expert || ""} ${x.reason || x.why || ""}`).join("; "))
                  : el("p", { class: "muted" }, t("no_conflicts")),
      el("div", { class: "row" }, reviewer,
        el("button", { type: "button", class: "assign", onclick: () => guard(async () => {
          await api("POST", `/v1/challenges/${enc(cid)}/reviewers`, { expert: reviewer.value.trim() });
          toast(t("reviewer") + " ✓");
        }) }, "+ " + t("reviewer")),
        ...CRIT.map((k, i) => el("label", { class: "crit" }, el("span", {}, k), score[i])),
        el("button", { type: "button", class: "score", onclick: () => guard(async () => {
          const b = { lead_org: a.lead_org, reviewer: reviewer.value.trim(), scores: Object.fromEntries(CRIT.map((k, i) => [k, Number(score[i].value)])) };
          await api("POST", `/v1/challenges/${enc(cid)}/scores`, b);
          toast(t("scores") + " ✓");
          route();
        }) }, t("scores")))));
  }
  if (!apps.length) box.append(el("p", { class: "muted" }, t("none")));
  const rank = el("div", { id: "ranking" });
  const ms = el("div", { id: "milestones" });
  box.append(el("h2", {}, t("ranking")), rank, el("h2", {}, t("milestones")), ms);
  main.replaceChildren(box);
  guard(async () => {
    const r = listOf(await api("GET", `/v1/challenges/${enc(cid)}/ranking`), "ranking").items;
    rank.replaceChildren(r.length ? el("ol", {}, r.map(x => el("li", {}, `${x.lead_org} — ${x.mean ?? x.score ?? ""}`))) : el("p", { class: "muted" }, t("none")));
  });
  api("GET", `/v1/challenges/${enc(cid)}/milestones`).then(m => {
    const ev = listOf(m, "events").items;
    const tr = listOf(m.plan || m, "tranches").items;
    ms.replaceChildren(el("ul", { class: "timeline" },
      tr.map((x, i) => el("li", {}, `#${i} ${x.name || x.when || ""} ${x.amount ?? ""} ${x.released ? "✓" : ""}`)),
      ev.map(x => el("li", {}, `${x.at || x.time || ""} ${x.step || x.kind || x.action || ""} ${x.note || ""}`))));
  }, () => ms.replaceChildren(el("p", { class: "muted" }, t("none"))));
}

export async function audit(main) {
  const { items } = listOf(await api("GET", "/v1/audit?limit=50"), "items");
  const out = el("span", { id: "verifyout" });
  main.replaceChildren(el("h1", {}, t("audit")),
    el("div", { class: "row" }, el("button", { type: "button", id: "verify", onclick: () => guard(async () => {
      const v = await api("GET", "/v1/audit/verify");
      out.textContent = v.ok ? t("verify_ok") + ` (${v.entries ?? v.checked ?? ""})` : JSON.stringify(v);
      out.className = v.ok ? "ok" : "err";
    }) }, t("verify")), out),
    el("table", { id: "audit" }, el("thead", {}, el("tr", {}, [t("at"), t("actor"), t("action"), ""].map(h => el("th", {}, h)))),
      el("tbody", {}, items.map(a => el("tr", {}, el("td", {}, a.at || a.time || ""), el("td", {}, a.actor || ""),
        el("td", {}, a.action || ""), el("td", {}, `${a.type || ""} ${a.id || ""}`))))));
}

export async function stats(main) {
  const s = await api("GET", "/v1/stats");
  const st = s.challenges_by_state || {};
  const funnel = {};
  for (const k of ["published", "reviewing", "awarded", "in_progress", "accepted"]) funnel[stateName(k)] = st[k] || 0;
  const byState = Object.fromEntries(Object.entries(st).map(([k, v]) => [stateName(k), v]));
  const mr = (s.match_reviews || {}).by_state || {};
  const ta = s.time_to_award || {};
  main.replaceChildren(el("h1", {}, t("stats")),
    el("div", { class: "grid2", id: "charts" }, barChart(t("by_state"), byState), barChart(t("by_field"), s.challenges_by_field),
      barChart(t("funnel"), funnel), barChart(t("mr_outcomes"), Object.assign({}, mr, (s.match_reviews || {}).dismissed_by_reason))),
    el("p", {}, `${t("time_to_award")}: ${ta.mean_days ?? "—"} (${ta.awards ?? 0})`));
}
