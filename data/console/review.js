// SPDX-License-Identifier: GPL-3.0-or-later
// review.js: a challenge's review for officers and its issuer — the state
// and its transitions (the award naming the winner), the reviewers, the
// applications with their conflict-of-interest warnings, scoring per
// criterion with comments (评审意见) per criterion and on the whole
// application, the ranking with each reviewer's scores and comments, and
// the milestones (milestones.js).
import { api, listOf, enc, record } from "./api.js";
import { t, stateName, appStateName } from "./i18n.js";
import { el } from "./draw.js";
import { me, toast, guard, route } from "./app.js";
import { timeline } from "./milestones.js";

// lifecycle.criteria's default and its maxima; a server configured otherwise
// answers a 400 naming its own, shown in the toast
const CRIT = [["technical", 40], ["team", 30], ["plan", 20], ["budget", 10]];
const STATES = ["published", "reviewing", "awarded", "in_progress", "accepted", "failed", "closed", "cancelled"];
const OPEN = new Set(["submitted", "shortlisted"]);

function appCard(cid, c, a, reviewers, officer) {
  const conf = [].concat(a.conflicts || []);
  const reviewer = el("select", { name: "reviewer", "aria-label": t("reviewer") },
    reviewers.map(r => el("option", { value: r.expert }, `${r.name || r.expert} (${r.expert})`)));
  const inputs = CRIT.map(([k, max]) => ({
    k,
    score: el("input", { name: "score_" + k, type: "number", min: "0", max: String(max), step: "any", placeholder: `0–${max}`, "aria-label": k }),
    comment: el("input", { name: "comment_" + k, placeholder: t("comment_crit"), "aria-label": `${k} ${t("comment_crit")}` }),
  }));
  const overall = el("textarea", { name: "comment", placeholder: t("comment_all"), "aria-label": t("comment_all") });
  const scoreForm = el("form", { class: "scoreform" },
    el("label", {}, el("span", {}, t("reviewer")), reviewer),
    el("table", { class: "crit" }, el("tbody", {}, inputs.map(x => el("tr", {},
      el("td", {}, `${x.k} (≤ ${CRIT.find(([k]) => k === x.k)[1]})`), el("td", {}, x.score), el("td", {}, x.comment))))),
    el("label", {}, el("span", {}, t("comment_all")), overall),
    el("button", { type: "submit", class: "score" }, t("scores")));
  scoreForm.addEventListener("submit", ev => {
    ev.preventDefault();
    const missing = inputs.filter(x => x.score.value.trim() === "").map(x => x.k);
    if (missing.length) { toast(`${t("fill_scores")}: ${missing.join(", ")}`, true); return; }
    guard(async () => {
      const b = { lead_org: a.lead_org, reviewer: reviewer.value, scores: {} };
      const comments = {};
      for (const x of inputs) {
        b.scores[x.k] = Number(x.score.value);
        if (x.comment.value.trim()) comments[x.k] = x.comment.value.trim();
      }
      if (Object.keys(comments).length) b.comments = comments;
      if (overall.value.trim()) b.comment = overall.value.trim();
      await api("POST", `/v1/challenges/${enc(cid)}/scores`, b);
      toast(t("scores") + " ✓");
      route();
    });
  });
  const st = a.status || "submitted";
  return el("div", { class: "card app", "data-lead": a.lead_org, "data-state": st },
    el("div", { class: "row" }, el("strong", {}, a.lead_org), el("span", { class: "pill appstate" }, appStateName(st)),
      el("span", { class: "muted" }, `${t("team_lead")}: ${a.team_lead || ""}`),
      (a.members || []).length ? el("span", { class: "muted" }, `${t("as_member")}: ${a.members.join(", ")}`) : "",
      a.budget ? el("span", { class: "muted" }, `${t("budget")}: ${a.budget.amount}`) : ""),
    el("p", { class: "plan" }, a.plan || ""),
    conf.length ? el("p", { class: "warn coi" }, `${t("conflicts")}: `,
      conf.map(x => typeof x === "string" ? x : `${x.reviewer || ""} ${x.reason || ""}`).join("; "))
                : el("p", { class: "muted" }, t("no_conflicts")),
    officer && st === "submitted" && (c.status === "published" || c.status === "reviewing")
      ? el("button", { type: "button", class: "shortlist-app", onclick: () => guard(async () => {
        await api("POST", `/v1/challenges/${enc(cid)}/applications/${enc(a.lead_org)}/status`, { to: "shortlisted" });
        toast(appStateName("shortlisted"));
        route();
      }) }, t("shortlist_app")) : "",
    officer && OPEN.has(st) && reviewers.length ? scoreForm : "");
}

function rankingView(r) {
  if (!r.length) return el("p", { class: "muted" }, t("none"));
  const names = CRIT.map(([k]) => k);
  return el("div", {},
    el("table", { id: "ranktable" },
      el("thead", {}, el("tr", {}, [t("rank"), t("lead_org"), t("app_state"), t("mean"), t("reviews"), ...names].map(h => el("th", {}, h)))),
      el("tbody", {}, r.map(x => el("tr", { "data-lead": x.lead_org },
        el("td", {}, String(x.rank ?? "")), el("td", {}, x.lead_org), el("td", {}, appStateName(x.status)),
        el("td", { class: "mean" }, String(x.mean ?? "")), el("td", {}, String(x.reviews ?? 0)),
        ...names.map(k => el("td", {}, String((x.criteria || {})[k] ?? "—"))))))),
    // 评审意见: each counted review with its scores and comments
    ...r.filter(x => (x.by_reviewer || []).length || (x.recused || []).length).map(x =>
      el("div", { class: "card byrev", "data-lead": x.lead_org }, el("strong", {}, `${x.lead_org} · ${t("by_reviewer")}`),
        el("ul", {}, (x.by_reviewer || []).map(b => el("li", { "data-reviewer": b.reviewer },
          el("span", {}, `${b.reviewer}: ${b.total}`), " ",
          el("span", { class: "muted" }, Object.entries(b.scores || {}).map(([k, v]) => `${k} ${v}`).join(" · ")),
          b.comment ? el("p", { class: "comment" }, b.comment) : "",
          Object.keys(b.comments || {}).length ? el("ul", { class: "comments" },
            Object.entries(b.comments).map(([k, v]) => el("li", { "data-crit": k }, `${k}: `, v))) : ""))),
        (x.recused || []).length ? el("p", { class: "warn" }, `${t("recused")}: `,
          x.recused.map(y => `${y.reviewer} ${y.reason || ""}`).join("; ")) : "")));
}

export async function review(main, cid) {
  const c = await record(cid);
  const officer = me.role === "officer" || me.role === "admin";
  const issuer = me.role === "enterprise" && !!me.org && c.org === me.org;
  const apps = listOf(await api("GET", `/v1/challenges/${enc(cid)}/applications?limit=100`), "applications").items;
  const reviewers = officer || issuer
    ? await api("GET", `/v1/challenges/${enc(cid)}/reviewers?limit=100`).then(j => listOf(j, "reviewers").items, () => []) : [];
  const box = el("div", {});
  box.append(el("h1", {}, c.title || cid),
    el("p", {}, el("span", { class: "pill", id: "cstate", "data-state": c.status || "draft" }, stateName(c.status || "draft")),
      " ", el("span", { class: "muted" }, c.deadline || "")));
  if (officer || issuer) {
    const moveSel = el("select", { name: "to", "aria-label": t("status_to") }, STATES.map(s => el("option", { value: s }, stateName(s))));
    const winners = el("select", { name: "winner", "aria-label": t("award") },
      apps.filter(a => OPEN.has(a.status || "submitted")).map(a => el("option", { value: a.lead_org }, a.lead_org)));
    const note = el("input", { name: "move_note", placeholder: t("note") });
    box.append(el("div", { class: "card row", id: "transition" }, t("status_to"), moveSel, note,
      el("button", { type: "button", id: "move", onclick: () => guard(async () => {
        const b = { to: moveSel.value };
        if (b.to === "awarded") b.winners = [winners.value];
        if (note.value.trim()) b.note = note.value.trim();
        await api("POST", `/v1/challenges/${enc(cid)}/status`, b);
        toast(stateName(b.to));
        route();
      }) }, t("move")), t("award"), winners));
  }
  if (officer) {
    const rin = el("input", { name: "expert", id: "reviewer-in", placeholder: t("reviewer") + " (exp-…)" });
    box.append(el("h2", {}, t("assigned")), el("div", { class: "card", id: "reviewers" },
      reviewers.length ? el("ul", {}, reviewers.map(r => el("li", { "data-expert": r.expert }, `${r.name || ""} (${r.expert}) ${r.org || ""}`)))
                       : el("p", { class: "muted" }, t("none")),
      el("div", { class: "row" }, rin, el("button", { type: "button", id: "assign", onclick: () => guard(async () => {
        await api("POST", `/v1/challenges/${enc(cid)}/reviewers`, { expert: rin.value.trim() });
        toast(t("reviewer") + " ✓");
        route();
      }) }, "+ " + t("reviewer")))));
  }
  box.append(el("h2", {}, t("applications")));
  for (const a of apps) box.append(appCard(cid, c, a, reviewers, officer));
  if (!apps.length) box.append(el("p", { class: "muted" }, t("none")));
  const rank = el("div", { id: "ranking" });
  const ms = el("div", {});
  box.append(el("h2", {}, t("ranking")), rank, el("h2", {}, t("milestones")), ms);
  main.replaceChildren(box);
  guard(async () => {
    const r = listOf(await api("GET", `/v1/challenges/${enc(cid)}/ranking`), "ranking").items;
    rank.replaceChildren(rankingView(r));
    rank.dataset.ready = "1";
  });
  const milestoned = ["awarded", "in_progress", "accepted", "failed"].includes(c.status);
  if (milestoned && (officer || issuer))
    guard(async () => ms.replaceChildren(timeline(cid, c, await api("GET", `/v1/challenges/${enc(cid)}/milestones`), officer, issuer)));
  else ms.replaceChildren(el("p", { class: "muted" }, t("no_plan")));
}
