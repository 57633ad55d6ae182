// SPDX-License-Identifier: GPL-3.0-or-later
// officer.js: the match review buttons, the challenges (each leading to its
// review, review.js), the audit log and the statistics.
import { api, listOf, enc } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el, barChart } from "./draw.js";
import { toast, guard, route } from "./app.js";

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
