// SPDX-License-Identifier: GPL-3.0-or-later
// milestones.js: an awarded challenge's milestones as a timeline — the award,
// the funding plan's tranches (each released once its condition holds), the
// stage check, the extension, the acceptance verdict — with the actions of
// docs/lifecycle.md "Milestones": set the plan and sign the contract (issuer,
// officers), release a tranche, record the stage check, grant an extension,
// give the verdict (officers; the issuer also signs). The server judges every rule: a refused step
// is its 409 in the toast and nothing changes.
import { api, enc } from "./api.js";
import { t, stateName } from "./i18n.js";
import { el } from "./draw.js";
import { toast, guard, route } from "./app.js";

const DUES = ["contract", "stage_check", "acceptance"];
const pct = x => `${Math.round(Number(x) * 1000) / 10} %`;
const who = x => (x && (x.at || x.by) ? ` · ${x.at || ""} ${x.by ? t("by") + " " + x.by : ""}` : "");

async function step(cid, name, body) {
  await api("POST", `/v1/challenges/${enc(cid)}/milestones/${name}`, body);
  toast(t(name === "plan" ? "set_plan" : name) + " ✓");
  route();
}
async function move(cid, to, note) {
  const b = { to };
  if (note) b.note = note;
  await api("POST", `/v1/challenges/${enc(cid)}/status`, b);
  toast(stateName(to));
  route();
}

// the plan form: up to three tranches (share, due), prefilled with the usual
// 60 / 30 / 10 split; the shares must add up to 1
function planForm(cid) {
  const rows = el("div", { id: "tranche-rows" });
  const add = (share, due) => {
    const r = el("div", { class: "row tranche-in" },
      el("input", { name: "share", type: "number", min: "0", max: "1", step: "0.01", value: share, "aria-label": t("share") }),
      el("select", { name: "due", "aria-label": t("due") }, DUES.map(d => el("option", { value: d, selected: d === due }, t("due_" + d)))),
      el("button", { type: "button", onclick: () => r.remove() }, "×"));
    rows.append(r);
  };
  [[0.6, "contract"], [0.3, "stage_check"], [0.1, "acceptance"]].forEach(([s, d]) => add(s, d));
  const f = el("form", { class: "card", id: "planform" }, el("strong", {}, t("plan_funding")), rows,
    el("div", { class: "row" },
      el("button", { type: "button", onclick: () => { if (rows.children.length < 3) add(0, "acceptance"); } }, "+ " + t("add_tranche")),
      el("button", { type: "submit", class: "primary", id: "setplan" }, t("set_plan"))));
  f.addEventListener("submit", ev => {
    ev.preventDefault();
    const tranches = [...rows.querySelectorAll(".tranche-in")].map(r => ({
      share: Number(r.querySelector("input[name=share]").value), due: r.querySelector("select[name=due]").value }));
    guard(() => step(cid, "plan", { tranches }));
  });
  return f;
}

// ms: GET .../milestones; c: the challenge record; officer: the key may
// record the steps; issuer: it may set the plan
export function timeline(cid, c, ms, officer, issuer) {
  const st = c.status || "draft";
  const m = ms || {};
  const tr = Array.isArray(m.tranches) ? m.tranches : [];
  const items = [];
  if (c.award) {
    const winners = (c.award.winners || []).map(w => w.lead_org || w.application).join(", ");
    items.push(el("li", { class: "done", "data-step": "award" }, `${t("awarded_to")} ${winners}${who(c.award)}`));
  }
  tr.forEach((x, i) => {
    const done = !!x.released_at;
    items.push(el("li", { class: done ? "done tranche" : "tranche", "data-tranche": i, "data-released": done ? "1" : "0" },
      el("strong", {}, `#${i + 1} ${t("due_" + x.due)} · ${pct(x.share)}`), " ",
      done ? el("span", { class: "ok" }, `${t("released")}${who({ at: x.released_at, by: x.released_by })}`)
           : officer ? el("button", { type: "button", class: "release", onclick: () => guard(() => step(cid, "release", { tranche: i })) }, t("release"))
           : el("span", { class: "muted" }, t("locked"))));
  });
  if (m.stage_check)
    items.push(el("li", { class: "done", "data-step": "stage_check" },
      `${t("stage_check")}: `, el("span", { class: m.stage_check.passed ? "ok" : "err" }, m.stage_check.passed ? t("passed") : t("not_passed")),
      m.stage_check.note ? ` — ${m.stage_check.note}` : "", who(m.stage_check)));
  if (m.extension)
    items.push(el("li", { class: "done", "data-step": "extension" },
      `${t("extension")}: ${m.extension.months} ${t("months")} — ${m.extension.reason || ""}${who(m.extension)}`));
  if (m.verdict)
    items.push(el("li", { class: "done", "data-step": "verdict" }, `${t("verdict")}: `,
      el("span", { class: m.verdict.result === "accepted" ? "ok" : "err" }, stateName(m.verdict.result)), who(m.verdict)));
  const box = el("div", { id: "milestones", "data-state": st },
    items.length ? el("ol", { class: "timeline" }, items) : el("p", { class: "muted" }, t("no_plan")));
  // the actions of the current state
  if (st === "awarded" && !tr.length && (officer || issuer)) box.append(planForm(cid));
  if (st === "awarded" && (officer || issuer))
    box.append(el("div", { class: "row" }, el("button", { type: "button", id: "sign", onclick: () => guard(() => move(cid, "in_progress")) }, t("sign"))));
  if (st === "in_progress" && officer) {
    if (!m.stage_check) {
      const passed = el("select", { name: "passed", "aria-label": t("stage_check") },
        el("option", { value: "true" }, t("passed")), el("option", { value: "false" }, t("not_passed")));
      const note = el("input", { name: "check_note", placeholder: t("note") });
      box.append(el("div", { class: "card row", id: "stagecheck" }, el("strong", {}, t("stage_check")), passed, note,
        el("button", { type: "button", id: "runcheck", onclick: () => guard(() => {
          const b = { passed: passed.value === "true" };
          if (note.value.trim()) b.note = note.value.trim();
          return step(cid, "stage_check", b);
        }) }, t("run_check"))));
    }
    if (!m.extension) {
      const months = el("input", { name: "months", type: "number", min: "1", max: "12", value: "3", "aria-label": t("months") });
      const reason = el("input", { name: "ext_reason", placeholder: t("ext_reason") });
      box.append(el("div", { class: "card row", id: "extension" }, el("strong", {}, t("extension")), months, reason,
        el("button", { type: "button", id: "grantext", onclick: () => guard(() =>
          step(cid, "extension", { months: Number(months.value), reason: reason.value.trim() })) }, t("grant_ext"))));
    }
    const vnote = el("input", { name: "verdict_note", placeholder: t("note") });
    box.append(el("div", { class: "card row", id: "verdict" }, el("strong", {}, t("verdict")), vnote,
      el("button", { type: "button", class: "primary", id: "accept", onclick: () => guard(() => move(cid, "accepted", vnote.value.trim())) }, t("accept_work")),
      el("button", { type: "button", id: "fail", onclick: () => guard(() => move(cid, "failed", vnote.value.trim())) }, t("fail_work"))));
  }
  return box;
}
