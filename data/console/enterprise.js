// SPDX-License-Identifier: GPL-3.0-or-later
// enterprise.js: my challenges, the challenge editor with lint as you type,
// publishing, and the explained match lists.
import { api, listOf, enc, record } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el, highlight, featureBars } from "./draw.js";
import { me, toast, guard, go } from "./app.js";
import { reviewButtons } from "./officer.js";

export async function mine(main) {
  const q = me.org ? "?org=" + enc(me.org) : "";
  const { items } = listOf(await api("GET", "/v1/challenges" + q), "challenges");
  const rows = items.map(c => {
    const lintCell = el("td", { class: "muted" }, "…");
    api("GET", `/v1/challenges/${enc(c.id)}/lint`).then(l => {
      lintCell.replaceChildren(l.ok ? el("span", { class: "ok" }, t("lint_ok"))
        : el("span", { class: "err" }, `${t("lint_errors")}: ${(l.errors || []).map(e => e.field).join(", ")}`));
    }, () => lintCell.replaceChildren("—"));
    return el("tr", { "data-id": c.id },
      el("td", {}, el("a", { href: `#/edit/${enc(c.id)}` }, c.title || c.id)),
      el("td", {}, el("span", { class: "pill" }, stateName(c.status || "draft"))),
      el("td", {}, c.deadline || "—"), lintCell,
      el("td", {}, el("a", { href: `#/matches/${enc(c.id)}` }, t("matches")), " · ",
                   el("a", { href: `#/review/${enc(c.id)}` }, t("applications"))));
  });
  main.replaceChildren(el("h1", {}, t("my_challenges")),
    el("p", {}, el("a", { href: "#/edit" }, "+ " + t("new_challenge"))),
    items.length ? el("table", { id: "mine" }, el("thead", {}, el("tr", {}, [t("f_title"), t("state"), t("deadline"), t("lint"), ""].map(h => el("th", {}, h)))),
                      el("tbody", {}, rows)) : el("p", { class: "muted" }, t("none")));
}

function splitList(s) { return s.split(/[,，、]/).map(x => x.trim()).filter(Boolean); }

export async function editor(main, id) {
  const rec = id ? await record(id) : null;
  const r = rec || {};
  const F = {
    id: el("input", { name: "id", value: r.id || "", disabled: !!rec, placeholder: "ch-…" }),
    title: el("input", { name: "title", value: r.title || "" }),
    problem: el("textarea", { name: "problem" }),
    deadline: el("input", { name: "deadline", type: "date", value: r.deadline || "" }),
    funding: el("input", { name: "funding", type: "number", min: "0", value: r.funding ? r.funding.amount : "" }),
    ip_terms: el("textarea", { name: "ip_terms" }),
    eligibility: el("input", { name: "eligibility", value: ((r.eligibility || {}).org_kinds || []).join(", ") }),
    confidential: el("textarea", { name: "confidential" }),
    keywords: el("input", { name: "keywords", value: (r.keywords || []).join(", ") }),
    fields: el("input", { name: "fields", value: (r.fields || []).join(", "), placeholder: "ic/power" }),
  };
  F.problem.value = r.problem || r.description || "";
  F.ip_terms.value = r.ip_terms || "";
  F.confidential.value = r.confidential ? JSON.stringify(r.confidential) : "";
  const inds = el("div", { id: "indicators" });
  const addInd = (x = {}) => {
    const row = el("div", { class: "row ind" },
      el("input", { name: "ind_name", placeholder: t("ind_name"), value: x.name || "" }),
      el("input", { name: "ind_target", placeholder: t("ind_target"), value: x.target ?? "" }),
      el("input", { name: "ind_unit", placeholder: t("ind_unit"), value: x.unit || "" }),
      el("button", { type: "button", onclick: () => { row.remove(); changed(); } }, "×"));
    inds.append(row);
  };
  (r.indicators || []).forEach(addInd);
  if (!(r.indicators || []).length) addInd();
  const lintBox = el("div", { id: "lint", class: "card", "aria-live": "polite" }, el("span", { class: "muted" }, t("lint")));
  let saved = !!rec, timer = null, seq = 0;

  function body() {
    const b = { title: F.title.value.trim() };
    if (r.description !== undefined && r.problem === undefined) b.description = F.problem.value.trim();
    else b.problem = F.problem.value.trim();
    if (me.org) b.org = me.org;
    if (F.deadline.value) b.deadline = F.deadline.value;
    if (F.funding.value !== "") b.funding = { amount: Number(F.funding.value), currency: "CNY" };
    if (F.ip_terms.value.trim()) b.ip_terms = F.ip_terms.value.trim();
    const kinds = splitList(F.eligibility.value);
    if (kinds.length) b.eligibility = Object.assign({}, r.eligibility || {}, { org_kinds: kinds });
    const cf = F.confidential.value.trim();
    if (cf) { // a JSON object as shown, or free text kept as a note
      let o = null;
      try { o = JSON.parse(cf); } catch { o = null; }
      b.confidential = o && typeof o === "object" && !Array.isArray(o) ? o : { note: cf };
    }
    const kw = splitList(F.keywords.value);
    if (kw.length) b.keywords = kw;
    const fs = splitList(F.fields.value);
    if (fs.length) b.fields = fs;
    const is = [...inds.querySelectorAll(".ind")].map(row => {
      const [n, tg, u] = [...row.querySelectorAll("input")].map(i => i.value.trim());
      const num = tg !== "" && !isNaN(Number(tg)) ? Number(tg) : tg;
      const o = { name: n, target: num };
      if (u) o.unit = u;
      return o;
    }).filter(o => o.name);
    if (is.length) b.indicators = is;
    return b;
  }
  async function save() {
    const cid = F.id.value.trim();
    if (!cid || !F.title.value.trim()) return false;
    const b = body();
    if (saved) await api("PUT", `/v1/challenges/${enc(cid)}`, Object.assign({}, rec || {}, b, { id: cid }));
    else { await api("POST", "/v1/challenges", Object.assign({ id: cid }, b)); saved = true; F.id.disabled = true; }
    return true;
  }
  async function lint() {
    const my = ++seq;
    if (!(await save())) return;
    const l = await api("GET", `/v1/challenges/${enc(F.id.value.trim())}/lint`);
    if (my !== seq) return;
    const items = [];
    for (const e of l.errors || []) items.push(el("li", { class: "err" }, `${e.field}: ${e.message}`));
    for (const w of l.warnings || []) items.push(el("li", { class: "warn" }, `${w.field}: ${w.message}`));
    lintBox.replaceChildren(el("strong", { class: l.ok ? "ok" : "err" }, l.ok ? t("lint_ok") : t("lint_errors")),
      el("ul", {}, items),
      (l.similar || []).length ? el("div", { class: "warn", id: "similar" }, t("similar") + ": ",
        ...(l.similar || []).map(s => el("span", { class: "pill" }, `${s.title || s.id} (${Number(s.similarity ?? s.score ?? 0).toFixed(2)})`))) : "");
    lintBox.dataset.ok = l.ok ? "1" : "0";
  }
  function changed() {
    clearTimeout(timer);
    lintBox.dataset.ok = "";
    timer = setTimeout(() => guard(lint), 500);
  }
  const form = el("form", { id: "editor", class: "card" },
    el("div", { class: "grid2" },
      el("label", {}, el("span", {}, t("f_id")), F.id), el("label", {}, el("span", {}, t("f_title")), F.title)),
    el("label", {}, el("span", {}, t("f_problem")), F.problem),
    el("h2", {}, t("indicators")), inds,
    el("button", { type: "button", id: "addind", onclick: () => addInd() }, "+ " + t("add_indicator")),
    el("div", { class: "grid2" },
      el("label", {}, el("span", {}, t("f_deadline")), F.deadline), el("label", {}, el("span", {}, t("f_funding")), F.funding)),
    el("label", {}, el("span", {}, t("f_ip")), F.ip_terms),
    el("label", {}, el("span", {}, t("f_elig")), F.eligibility),
    el("label", {}, el("span", {}, t("f_keywords")), F.keywords),
    el("label", {}, el("span", {}, t("f_fields")), F.fields),
    el("label", {}, el("span", {}, t("f_conf")), F.confidential),
    el("div", { class: "row" },
      el("button", { type: "button", id: "save", onclick: () => guard(async () => { await lint(); toast(t("saved_ok")); }) }, t("save")),
      el("button", { type: "button", class: "primary", id: "publish", onclick: () => guard(async () => {
        await lint();
        await api("POST", `/v1/challenges/${enc(F.id.value.trim())}/status`, { to: "published" });
        toast(t("published_ok"));
        go(`#/matches/${enc(F.id.value.trim())}`);
      }) }, t("publish"))));
  form.addEventListener("input", changed);
  form.addEventListener("submit", ev => ev.preventDefault());
  main.replaceChildren(el("h1", {}, t("editor")), form, lintBox);
  if (rec) guard(lint);
}

// one candidate of a match list: its title with the matched terms (and the
// need's character pairs it shares, explanation.partial) marked, the
// explanation bars, the reciprocal score and (for reviewers) the buttons
export function candidate(m, cid, canReview) {
  const ex = m.explanation || {};
  const terms = [].concat(...Object.values(ex.terms || {}), (ex.partial || []).filter(p => p.length > 1));
  // across languages, the translations it shares; an organisation, the work that puts it here
  const tr = ex.translated || [], ev = m.evidence || [];
  return el("div", { class: "card cand", "data-id": m.id },
    el("div", { class: "row" }, el("strong", { class: "ctitle" }, highlight(m.title || m.id, terms)),
       el("span", { class: "pill" }, `${t("score")} ${Number(m.score).toFixed(3)}`),
       m.reciprocal ? el("span", { class: "pill" }, `${t("reciprocal")} ${Number(m.reciprocal.score).toFixed(3)}`) : "",
       m.review ? el("span", { class: "pill review" }, m.review.state) : ""),
    tr.length ? el("div", { class: "muted translated" }, `${t("translated")}: ${tr.join("; ")}`) : "",
    ev.length ? el("div", { class: "muted evidence" }, `${t("evidence")}: ${ev.map(x => x.title || x.id).join("; ")}`) : "",
    featureBars(ex.features, m.score),
    canReview ? reviewButtons(cid, m) : "");
}

export async function matches(main, cid) {
  const c = await record(cid);
  const canReview = me.role === "officer" || me.role === "admin" || (me.org && c.org === me.org);
  const list = el("div", { id: "matchlist" });
  const tabs = el("div", { class: "tabs" });
  const sug = el("div", { id: "suggest", class: "card" });
  async function show(kind) {
    tabs.querySelectorAll("button").forEach(b => b.classList.toggle("on", b.dataset.kind === kind));
    const j = await api("GET", `/v1/challenges/${enc(cid)}/matches?kind=${kind}&limit=10&explain_filtered=true&reciprocal=true`);
    const ms = listOf(j, "matches").items;
    const filt = j.filtered || [];
    list.replaceChildren(...(ms.length ? ms.map(m => candidate(m, cid, canReview)) : [el("p", { class: "muted" }, t("none"))]),
      filt.length ? el("div", { class: "card", id: "whynot" }, el("h2", {}, t("why_not")),
        el("ul", {}, filt.map(f => el("li", {}, `${f.title || f.id}: ${[].concat(f.reasons || f.reason || []).join("; ")}`)))) : "");
  }
  for (const k of ["output", "expert", "org"])
    tabs.append(el("button", { type: "button", "data-kind": k, onclick: () => guard(() => show(k)) }, t("kind_" + k)));
  main.replaceChildren(el("h1", {}, `${t("matches")}: `, c.title || cid), tabs, list, sug);
  await show("output");
  if (canReview) guard(async () => {
    const s = await api("GET", `/v1/challenges/${enc(cid)}/suggest?limit=8`);
    const terms = listOf(s, "suggestions").items;
    sug.replaceChildren(el("h2", {}, t("suggestions")), ...terms.map(x => {
      const term = typeof x === "string" ? x : x.term;
      return el("span", { class: "row" }, el("span", { class: "pill" }, term),
        el("button", { type: "button", class: "accept", onclick: ev => guard(async () => {
          const cur = await record(cid);
          await api("PATCH", `/v1/challenges/${enc(cid)}`, { keywords: [...new Set([...(cur.keywords || []), term])] });
          ev.target.disabled = true;
          toast(t("saved_ok"));
        }) }, t("accept")));
    }));
  });
}
