// SPDX-License-Identifier: GPL-3.0-or-later
// search.js: search across every record type with the API's filters (type,
// open, state, field, region, org kind, deadline and funding ranges, order),
// paged with next_cursor; and the saved searches with what is new.
import { api, listOf, enc } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el, emText } from "./draw.js";
import { toast, guard } from "./app.js";

const TYPES = ["challenge", "output", "expert", "org"];
const STATES = ["published", "reviewing", "awarded", "in_progress", "accepted", "failed", "closed", "cancelled"];
const KINDS = ["university", "institute", "lab", "enterprise", "hospital", "tto"];
// the form's fields that are query parameters as they are
const PLAIN = ["type", "status", "field", "region", "org_kind", "deadline_from", "deadline_to", "funding_min",
               "funding_max", "sort"];

function sel(name, label, values, named) {
  return el("select", { name, "aria-label": label },
    el("option", { value: "" }, `${label}: ${t("all")}`), values.map(v => el("option", { value: v }, named(v))));
}
const field = (label, input) => el("label", {}, el("span", {}, label), input);

// the query string of the form's values (empty fields left out)
function query(F) {
  const p = new URLSearchParams();
  p.set("q", F.q.value.trim());
  for (const k of PLAIN) if (F[k].value.trim() !== "") p.set(k, F[k].value.trim());
  if (F.open.checked) p.set("open", "true");
  p.set("limit", F.limit.value);
  return p;
}

function hitCard(h) {
  const title = h.highlight ? emText(h.highlight) : h.title || h.id;
  return el("div", { class: "card hit", "data-type": h.type, "data-id": h.id },
    el("div", { class: "row" },
      el("span", { class: "pill" }, t("ty_" + h.type)),
      h.type === "challenge" ? el("a", { href: `#/challenge/${enc(h.id)}`, class: "htitle" }, title)
                             : el("strong", { class: "htitle" }, title),
      el("span", { class: "muted" }, h.id)),
    h.snippet ? el("p", { class: "snippet" }, emText(h.snippet)) : "");
}

export async function search(main) {
  const F = {
    q: el("input", { name: "q", placeholder: t("q"), required: true, "aria-label": t("q") }),
    type: sel("type", t("type"), TYPES, v => t("ty_" + v)),
    status: sel("status", t("f_status"), STATES, stateName),
    org_kind: sel("org_kind", t("f_org_kind"), KINDS, v => v),
    open: el("input", { name: "open", type: "checkbox" }),
    field: el("input", { name: "field", placeholder: "ic" }),
    region: el("input", { name: "region", placeholder: "31", inputmode: "numeric" }),
    deadline_from: el("input", { name: "deadline_from", type: "date" }),
    deadline_to: el("input", { name: "deadline_to", type: "date" }),
    funding_min: el("input", { name: "funding_min", type: "number", min: "0", step: "any" }),
    funding_max: el("input", { name: "funding_max", type: "number", min: "0", step: "any" }),
    sort: el("select", { name: "sort", "aria-label": t("sort") },
      ["relevance", "deadline", "funding"].map(v => el("option", { value: v === "relevance" ? "" : v }, t("sort_" + v)))),
    limit: el("select", { name: "limit", "aria-label": t("per_page") }, [10, 20, 50, 5].map(n => el("option", { value: n }, `${t("per_page")} ${n}`))),
  };
  const out = el("div", { id: "hits" });
  const info = el("p", { class: "muted", id: "hitinfo" });
  const more = el("button", { type: "button", id: "more", hidden: true }, t("more"));
  let next = null, base = null, shown = 0, seq = 0;

  async function page(first) {
    const my = ++seq;
    if (first) { base = query(F); next = null; }
    const p = new URLSearchParams(base);
    if (!first && next) p.set("cursor", next);
    const j = await api("GET", "/v1/search?" + p.toString());
    if (my !== seq) return; // a newer search was started meanwhile
    const hits = listOf(j, "hits").items;
    if (first) { out.replaceChildren(); shown = 0; }
    out.append(...hits.map(hitCard));
    shown += hits.length;
    if (first && !hits.length) out.append(el("p", { class: "muted" }, t("none")));
    next = j.next_cursor || null;
    more.hidden = !next;
    info.textContent = `${t("hits_total", { n: j.total ?? shown })} · ${t("shown", { n: shown })}`;
    out.dataset.done = String(my);
  }
  more.addEventListener("click", () => guard(() => page(false)));

  const form = el("form", { class: "card", id: "searchform" },
    el("div", { class: "row" }, F.q, F.type, el("button", { class: "primary", type: "submit" }, t("go"))),
    el("details", { open: true }, el("summary", {}, t("filters")),
      el("div", { class: "filters" },
        el("label", { class: "check" }, F.open, " ", t("f_open")), F.status, F.org_kind,
        field(t("f_field"), F.field), field(t("f_region"), F.region),
        field(t("dl_from"), F.deadline_from), field(t("dl_to"), F.deadline_to),
        field(t("fund_min"), F.funding_min), field(t("fund_max"), F.funding_max),
        F.sort, F.limit)),
    el("div", { class: "row" },
      el("button", { type: "button", id: "savesearch", onclick: () => guard(async () => {
        const s = { q: F.q.value.trim() };
        if (!s.q) return;
        if (F.type.value) s.type = F.type.value;
        await api("POST", "/v1/saved", { name: s.q, search: s });
        toast(t("saved_ok"));
      }) }, t("save_search")), el("span", { class: "muted" }, t("saved_hint"))));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    if (F.q.value.trim()) guard(() => page(true));
  });
  main.replaceChildren(el("h1", {}, t("search")), form, info, out, more);
}

export async function saved(main) {
  const { items } = listOf(await api("GET", "/v1/saved"), "saved");
  main.replaceChildren(el("h1", {}, t("saved")), ...(items.length ? items.map(s => {
    const out = el("div", { class: "new" });
    const what = s.search ? `${s.search.q}${s.search.type ? " · " + t("ty_" + s.search.type) : ""}`
                          : s.match ? `${s.match.type} ${s.match.id}` : s.id;
    return el("div", { class: "card saved", "data-id": s.id }, el("strong", {}, s.name || what), " ",
      el("span", { class: "muted" }, what), " ",
      el("button", { type: "button", class: "whatsnew", onclick: () => guard(async () => {
        const n = await api("GET", `/v1/saved/${enc(s.id)}/new`);
        const hits = n.new || [];
        out.replaceChildren(el("p", { class: "muted" }, `${t("whats_new")}: ${hits.length} / ${n.matching_now ?? ""}`),
          el("ul", {}, hits.map(h => el("li", {}, h.title || h.id))));
      }) }, t("whats_new")),
      el("button", { type: "button", class: "unsave", onclick: () => guard(async () => {
        await api("DELETE", `/v1/saved/${enc(s.id)}`);
        main.querySelector(`.saved[data-id="${CSS.escape(s.id)}"]`)?.remove();
      }) }, "×"), out);
  }) : [el("p", { class: "muted" }, t("none"))]));
}
