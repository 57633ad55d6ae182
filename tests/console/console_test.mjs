// SPDX-License-Identifier: GPL-3.0-or-later
// tests/console/console_test.mjs: the web console in headless Chromium
// (playwright-core) against a real `jiebang serve` on the demo world, run by
// tests/console.sh. With --screenshots DIR it also writes each main view as
// DIR/<view>.png (docs/console.md).
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const env = process.env;
const shots = process.argv[2] === "--screenshots" ? process.argv[3] : null;
let fails = 0;
const ok = (c, what) => { console.log((c ? "ok: " : "FAIL: ") + what); if (!c) fails++; };

// the server on a free loopback port; its first stdout line names the address
const srv = spawn(env.JIEBANG, ["serve", "--data", env.JB_DATA, "--listen", "127.0.0.1:0"],
                  { stdio: ["ignore", "pipe", openSync(env.JB_WORK + "/server.log", "a")] });
const base = await new Promise((res, rej) => {
  let buf = "";
  srv.stdout.on("data", d => { buf += d; const m = buf.match(/http:\/\/[0-9.]+:\d+/); if (m) res(m[0]); });
  srv.on("exit", c => rej(new Error("server exited " + c)));
  setTimeout(() => rej(new Error("server did not start")), 30000);
});
async function call(method, path, key, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: "Bearer " + key, "Content-Type": "application/json" },
                                        body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, j: await r.json().catch(() => null) };
}

const browser = await chromium.launch({ executablePath: env.JB_CHROMIUM, args: ["--no-sandbox"] });
const problems = [];
let expect = []; // the refusals a step provokes, as regexps of "METHOD path status"
async function newPage(width = 1100) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  // a refused API call shows in Chromium's console as "Failed to load
  // resource"; each is checked below as an answer instead: only the refusals
  // the scenario provokes (expect) are allowed
  page.on("console", m => { if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  page.on("response", async r => {
    if (r.status() < 400) return;
    const what = `${r.request().method()} ${r.url().replace(base, "")} ${r.status()}`;
    if (expect.some(x => x.test(what))) return;
    problems.push(`refused: ${what} ${await r.text().catch(() => "")}`);
  });
  page.on("pageerror", e => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", d => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on("request", r => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) problems.push(`external fetch: ${r.url()}`); });
  return page;
}
async function login(page, key) {
  await page.goto(base + "/");
  await page.fill("#keyin", key);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#logout:not([hidden])");
}
// every view in the page's navigation, each waited for until rendered: a
// page error or a refused call on any of them fails the run (problems)
async function visitAll(page) {
  const views = await page.$$eval("#nav a", ns => ns.map(n => n.dataset.view));
  for (const v of views) {
    await page.click(`#nav a[data-view=${v}]`);
    await page.waitForSelector(`main .view[data-view=${v}][data-ready="1"]`);
  }
  return views;
}
const shot = async (page, name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }); };
const deadline = new Date(Date.now() + 200 * 86400e3).toISOString().slice(0, 10);
const CID = "e2e-sic";

try {
  // ---- headers of the console's files
  const r = await fetch(base + "/");
  const csp = r.headers.get("content-security-policy") || "";
  ok(r.status === 200 && /text\/html/.test(r.headers.get("content-type")) && csp.includes("script-src 'self'") &&
     csp.includes("frame-ancestors 'none'") && r.headers.get("x-content-type-options") === "nosniff" &&
     !r.headers.get("access-control-allow-origin"), "GET / is the console with its CSP, nosniff, no CORS");
  const js = await fetch(base + "/console/app.js");
  ok(js.status === 200 && /javascript/.test(js.headers.get("content-type")), "a module is served as JavaScript");
  for (const p of ["/console/..%2F..%2Fetc%2Fpasswd", "/console/x%00.js", "/console/.hidden.js", "/console/App.js", "/console/app.js.bak", "/console/nope.js"])
    ok([400, 404].includes((await fetch(base + p)).status), `no file outside the console's names: ${p}`);

  // ---- the enterprise drafts, fixes its lint, publishes, sees explained matches
  const ent = await newPage();
  await login(ent, env.JB_KEY_ENT);
  ok(await ent.locator("#nav a").count() >= 2 && (await ent.textContent("#nav")).includes("我的榜单"), "the enterprise sees its views, in Chinese");
  await shot(ent, "enterprise-mine");
  await ent.click("#nav a[data-view=edit]");
  await ent.waitForSelector("#editor");
  await ent.fill("#editor input[name=id]", CID);
  await ent.fill("#editor input[name=title]", "车规级碳化硅功率模块高温封装可靠性攻关");
  await ent.fill("#editor textarea[name=problem]", "现有碳化硅模块在175℃结温下功率循环寿命不足，需要新型封装材料与互连结构。");
  await ent.fill("#editor input[name=ind_name]", "功率循环寿命");
  await ent.fill("#editor input[name=ind_target]", "越高越好");
  await ent.waitForSelector("#lint[data-ok='0']", { timeout: 30000 });
  const lintText = await ent.textContent("#lint");
  ok(lintText.includes("indicators") && lintText.includes("deadline"), "lint as you type names the vague indicator and the missing deadline");
  await shot(ent, "enterprise-editor");
  expect = [/^POST \/v1\/challenges\/e2e-sic\/status 400$/];
  ok((await ent.click("#publish").then(() => ent.waitForSelector("#toast.bad", { timeout: 30000 })).then(() => true, () => false)),
     "publishing with lint errors is refused and says so");
  expect = [];
  await ent.fill("#editor input[name=ind_target]", "50000");
  await ent.fill("#editor input[name=ind_unit]", "次");
  await ent.fill("#editor input[name=deadline]", deadline);
  await ent.fill("#editor input[name=funding]", "3000000");
  await ent.fill("#editor textarea[name=ip_terms]", "背景知识产权归各方，项目成果归发榜方，揭榜方可免费使用。");
  await ent.fill("#editor input[name=keywords]", "碳化硅, 封装");
  await ent.fill("#editor input[name=fields]", "ic/power");
  await ent.waitForSelector("#lint[data-ok='1']", { timeout: 30000 });
  ok(true, "the fixed need passes the lint");
  await ent.click("#publish");
  await ent.waitForSelector("#matchlist .cand", { timeout: 30000 });
  let st = await call("GET", "/v1/challenges/" + CID, env.JB_KEY_ENT);
  ok(st.j && st.j.status === "published", "the challenge is published (" + (st.j && st.j.status) + ")");
  const cands = await ent.$$eval("#matchlist .cand", ns => ns.map(n => ({
    marks: n.querySelectorAll(".ctitle mark").length, sum: Number(n.querySelector("svg.bars").dataset.sum),
    score: Number(n.querySelector(".pill").textContent.replace(/[^0-9.]/g, "")) })));
  ok(cands.length >= 3 && cands.filter(c => c.marks > 0).length * 2 >= cands.length,
     "matches with the matched terms marked in the titles (" + cands.map(c => c.marks).join(",") + ")");
  ok(cands.every(c => Math.abs(c.sum - c.score) < 2e-3), "the feature bars add up to each score");
  await ent.click(".tabs button[data-kind=expert]");
  await ent.locator(".tabs button.on[data-kind=expert]").waitFor();
  await ent.waitForSelector("#matchlist .cand");
  ok(true, "the expert list");
  await ent.click(".tabs button[data-kind=org]");
  await ent.locator(".tabs button.on[data-kind=org]").waitFor();
  await ent.waitForSelector("#matchlist .cand .evidence", { timeout: 30000 }).catch(() => {});
  const orgs = await call("GET", "/v1/challenges/" + CID + "/matches?kind=org&limit=10", env.JB_KEY_ENT);
  const firstEv = (((orgs.j && orgs.j.matches) || [])[0] || {}).evidence || [];
  const shownEv = await ent.locator("#matchlist .cand").first().locator(".evidence").textContent().catch(() => "");
  ok(firstEv.length > 0 && firstEv.every(x => shownEv.includes(x.title || x.id)),
     "an organisation shows the outputs that put it there (" + shownEv.slice(0, 80) + ")");
  await ent.click(".tabs button[data-kind=output]");
  await ent.waitForSelector("#suggest .accept", { timeout: 30000 }).catch(() => {});
  await shot(ent, "enterprise-matches");
  if (await ent.locator("#suggest .accept").count()) {
    const term = await ent.locator("#suggest .pill").first().textContent();
    await ent.locator("#suggest .accept").first().click();
    await ent.waitForSelector("#suggest .accept[disabled]");
    st = await call("GET", "/v1/challenges/" + CID, env.JB_KEY_ENT);
    ok(st.j.keywords.includes(term), "an accepted suggestion becomes a keyword (" + term + ")");
  } else ok(false, "the vague-need suggestions are offered");
  // the XSS title stays text
  const XSS = "<img src=x onerror=alert(1)>";
  await call("POST", "/v1/challenges", env.JB_KEY_ENT, { id: "e2e-xss", title: XSS, org: "sz-chip-co", problem: XSS });
  await ent.click("#nav a[data-view=mine]");
  await ent.waitForSelector("#mine tr[data-id=e2e-xss]");
  ok((await ent.textContent("#mine tr[data-id=e2e-xss] td")) === XSS && await ent.locator("#main img").count() === 0,
     "a title <img src=x onerror=alert(1)> shows as text");
  // search renders the API's <em> marks as marks and everything else as text
  await ent.click("#nav a[data-view=search]");
  await ent.fill("#searchform input[name=q]", "onerror");
  await ent.click("#searchform button[type=submit]");
  await ent.waitForSelector("#hits .hit[data-id=e2e-xss]");
  ok((await ent.textContent("#hits .hit[data-id=e2e-xss] .htitle")) === XSS && await ent.locator("#hits .hit[data-id=e2e-xss] .htitle mark").count() > 0 &&
     await ent.locator("#main img").count() === 0, "a search hit's title <img src=x onerror=alert(1)> shows as text, its match marked");
  ok((await visitAll(ent)).length >= 3, "every enterprise view renders");
  // the language switch
  await ent.click("#lang");
  await ent.locator("#nav", { hasText: "My challenges" }).waitFor();
  ok((await ent.textContent("#logout")) === "Log out" && await ent.evaluate(() => document.documentElement.lang) === "en",
     "the language switch changes the UI to English");
  // the other views are drawn in English too, and every API call asks for
  // English (Accept-Language)
  await ent.click("#nav a[data-view=search]");
  await ent.waitForSelector("main .view[data-view=search][data-ready='1']");
  ok((await ent.textContent("#searchform summary")) === "Filters" && (await ent.textContent("main h1")) === "Search",
     "the search view in English");
  const langs = [];
  ent.on("request", r => { if (r.url().includes("/v1/")) langs.push(r.headers()["accept-language"]); });
  await ent.fill("#searchform input[name=q]", "碳化硅");
  await ent.click("#searchform button[type=submit]");
  await ent.waitForSelector("#hits .hit");
  ok(langs.length > 0 && langs.every(l => l === "en"), "API calls carry Accept-Language: en (" + langs.join(",") + ")");
  await ent.click("#lang");
  await ent.locator("#nav", { hasText: "我的榜单" }).waitFor();
  await ent.click("#logout");
  await ent.waitForSelector("#keyin");
  ok(await ent.evaluate(() => sessionStorage.getItem("jiebang.key")) === null, "logout forgets the key");
  ok(!(await ent.evaluate(() => location.href)).includes(env.JB_KEY_ENT), "the key is never in the URL");

  // ---- the officer shortlists and dismisses
  const off = await newPage();
  await login(off, env.JB_KEY_OFF);
  await off.goto(base + "/#/matches/" + CID);
  await off.waitForSelector("#matchlist .cand .shortlist");
  const first = await off.locator("#matchlist .cand").nth(0).getAttribute("data-id");
  const second = await off.locator("#matchlist .cand").nth(1).getAttribute("data-id");
  await off.locator("#matchlist .cand").nth(0).locator(".shortlist").click();
  await off.waitForSelector(`#matchlist .cand[data-id="${first}"] .review.pill`);
  const c2 = off.locator(`#matchlist .cand[data-id="${second}"]`);
  await c2.locator("select[name=reason]").selectOption("ip_conflict");
  await c2.locator("input[name=note]").fill("专利归属冲突");
  await c2.locator(".dismiss").click();
  await off.locator(`#matchlist .cand[data-id="${second}"]`).waitFor({ state: "detached" });
  const mr = await call("GET", `/v1/challenges/${CID}/match_reviews`, env.JB_KEY_OFF);
  const states = Object.fromEntries((mr.j.items || mr.j.match_reviews || mr.j).map(x => [x.id, x.state]));
  ok(states[first] === "shortlisted" && states[second] === "dismissed", "shortlisted and dismissed (" + JSON.stringify(states) + ")");

  // ---- the researcher finds the challenge and applies
  const res = await newPage(390); // phone width
  await login(res, env.JB_KEY_RES);
  await res.click("#nav a[data-view=open]");
  await res.waitForSelector(`.chal[data-id="${CID}"]`);
  await shot(res, "researcher-open");
  await res.click(`.chal[data-id="${CID}"] a`);
  await res.click("#applylink");
  await res.fill("#applyform input[name=team_lead]", "exp-001");
  await res.fill("#applyform textarea[name=plan]", "分三阶段：材料筛选、结构设计、可靠性验证。");
  await res.fill("#applyform input[name=budget]", "2800000");
  await res.fill("#applyform input[name=schedule]", "2027-03 材料；2027-09 样品；2028-03 验证");
  await res.fill("#applyform input[name=commitment]", "按期完成指标，接受中期检查。");
  await res.click("#applyform button[type=submit]");
  await res.waitForSelector(`#myapps tr[data-id="${CID}"][data-state=submitted]`, { timeout: 30000 });
  ok((await res.textContent(`#myapps tr[data-id="${CID}"] .appstate`)) === "已提交", "the researcher applies and sees its application, submitted");
  // a second application, withdrawn from my applications
  await res.goto(base + "/#/apply/ch-001");
  await res.fill("#applyform input[name=team_lead]", "exp-001");
  await res.fill("#applyform textarea[name=plan]", "第二份申请：先做样品。");
  await res.fill("#applyform input[name=budget]", "1000000");
  await res.fill("#applyform input[name=schedule]", "2027");
  await res.fill("#applyform input[name=commitment]", "按期完成。");
  await res.click("#applyform button[type=submit]");
  await res.waitForSelector('#myapps tr[data-id="ch-001"][data-state=submitted] .withdraw');
  ok(await res.locator("#myapps tbody tr").count() === 2, "both applications are listed");
  await res.click('#myapps tr[data-id="ch-001"] .withdraw');
  await res.waitForSelector('#myapps tr[data-id="ch-001"][data-state=withdrawn]');
  ok((await res.textContent('#myapps tr[data-id="ch-001"] .appstate')) === "已撤回" &&
     await res.locator('#myapps tr[data-id="ch-001"] .withdraw').count() === 0, "the researcher withdraws one; it shows withdrawn");
  // the applicant edits its open application (PATCH) from my applications
  await res.click(`#myapps tr[data-id="${CID}"] .editapp`);
  await res.waitForSelector("#applyform[data-mode=edit]");
  ok((await res.inputValue("#applyform textarea[name=plan]")) === "分三阶段：材料筛选、结构设计、可靠性验证。" &&
     await res.locator("#applyform input[name=lead_org][disabled]").count() === 1, "the edit form holds the application, its lead org fixed");
  await res.fill("#applyform textarea[name=plan]", "分三阶段：材料筛选、结构设计、可靠性验证（含车规认证）。");
  await res.click("#applyform button[type=submit]");
  await res.waitForSelector(`#myapps tr[data-id="${CID}"][data-state=submitted]`);
  const edited = await call("GET", `/v1/challenges/${CID}/applications/sh-ic-univ`, env.JB_KEY_RES);
  ok(edited.j.plan.endsWith("（含车规认证）。") && edited.j.budget.amount === 2800000 && edited.j.updated_at,
     "the edit is stored, the rest kept (through the API)");
  await shot(res, "researcher-apps");
  const narrow = () => res.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  ok(await narrow(), "no horizontal scroll at phone width (my applications)");

  // ---- the researcher searches with filters, pages, saves the search (phone width)
  await res.click("#nav a[data-view=search]");
  await res.waitForSelector("#searchform");
  let searches = 0;
  const run = async () => { searches++; await res.click("#searchform button[type=submit]"); await res.waitForSelector(`#hits[data-done="${searches}"]`); };
  const hitIds = () => res.$$eval("#hits .hit", ns => ns.map(n => `${n.dataset.type}:${n.dataset.id}`));
  const today = new Date().toISOString().slice(0, 10);
  await res.fill("#searchform input[name=q]", "碳化硅");
  await res.selectOption("#searchform select[name=type]", "challenge");
  await res.check("#searchform input[name=open]");
  await res.fill("#searchform input[name=funding_min]", "2000000");
  await res.fill("#searchform input[name=funding_max]", "5000000");
  await res.fill("#searchform input[name=deadline_from]", today);
  await res.fill("#searchform input[name=deadline_to]", deadline);
  await run();
  let ids = await hitIds();
  ok(ids.includes("challenge:" + CID) && ids.every(x => x.startsWith("challenge:")),
     "search with type, open, funding and deadline ranges finds the challenge, challenges only (" + ids.join(",") + ")");
  await shot(res, "researcher-search");
  ok(await narrow(), "no horizontal scroll at phone width (search with filters)");
  await res.fill("#searchform input[name=funding_min]", "3000001");
  await run();
  ok(!(await hitIds()).includes("challenge:" + CID), "a funding floor above its funding leaves it out");
  await res.fill("#searchform input[name=funding_min]", "");
  await res.fill("#searchform input[name=deadline_to]", today);
  await run();
  ok(!(await hitIds()).includes("challenge:" + CID), "a deadline range that ends before its deadline leaves it out");
  await res.fill("#searchform input[name=deadline_to]", "");
  await res.fill("#searchform input[name=region]", "99");
  await run();
  ok((await hitIds()).length === 0, "a region no org is in finds nothing");
  await res.fill("#searchform input[name=region]", "");
  await res.fill("#searchform input[name=funding_max]", "");
  await res.fill("#searchform input[name=deadline_from]", "");
  await res.uncheck("#searchform input[name=open]");
  await res.fill("#searchform input[name=q]", "功率");
  await res.fill("#searchform input[name=field]", "ic");
  await run();
  const fieldHits = await hitIds();
  const inIc = async x => {
    const r = await call("GET", "/v1/challenges/" + x.split(":")[1], env.JB_KEY_RES);
    return (r.j.fields || []).some(f => f === "ic" || f.startsWith("ic/"));
  };
  const fieldOk = (await Promise.all(fieldHits.map(inIc))).every(Boolean);
  ok(fieldHits.includes("challenge:" + CID) && fieldOk, "field=ic finds challenges in ic or below only (" + fieldHits.join(",") + ")");
  await res.fill("#searchform input[name=field]", "ai");
  await run();
  ok(!(await hitIds()).includes("challenge:" + CID), "field=ai leaves it out");
  // the order: largest funding first
  await res.fill("#searchform input[name=field]", "");
  await res.selectOption("#searchform select[name=sort]", "funding");
  await run();
  const byFunding = await hitIds();
  const amounts = await Promise.all(byFunding.map(async x => ((await call("GET", "/v1/challenges/" + x.split(":")[1], env.JB_KEY_RES)).j.funding || {}).amount));
  ok(byFunding.length >= 2 && amounts.every((a, i) => i === 0 || amounts[i - 1] >= a), "sort=funding: largest funding first (" + amounts.join(",") + ")");
  await res.selectOption("#searchform select[name=sort]", "");
  // paging: all types, five a page, next_cursor until the end, nothing twice
  await res.selectOption("#searchform select[name=type]", "");
  await res.fill("#searchform input[name=q]", "封装");
  await res.selectOption("#searchform select[name=limit]", "5");
  await run();
  ok((await hitIds()).length === 5 && await res.locator("#more:not([hidden])").count() === 1, "a first page of five, and more");
  let pages = 1;
  while (await res.locator("#more:not([hidden])").count() && pages < 10) {
    searches++;
    await res.click("#more");
    await res.waitForSelector(`#hits[data-done="${searches}"]`);
    pages++;
  }
  ids = await hitIds();
  ok(pages >= 2 && new Set(ids).size === ids.length && ids.length > 5, `pages with next_cursor: ${pages} pages, ${ids.length} hits, none twice`);
  const direct = await call("GET", "/v1/search?q=" + encodeURIComponent("封装") + "&limit=50", env.JB_KEY_RES);
  ok(direct.j.hits.length === ids.length, `the pages hold what one long page holds (${ids.length} of ${direct.j.hits.length})`);
  // a saved search and what is new
  await res.click("#savesearch");
  await res.waitForSelector("#savesearch[data-saved]");
  const sid = await res.getAttribute("#savesearch", "data-saved");
  await res.click("#nav a[data-view=saved]");
  await res.locator(`.saved[data-id="${sid}"] .whatsnew`).click();
  await res.waitForSelector(`.saved[data-id="${sid}"] .new ul`);
  ok((await res.locator(`.saved[data-id="${sid}"] .new li`).count()) === Math.min(ids.length, 50), "the saved search lists what is new: every hit (its first 50), the first time");
  ok((await visitAll(res)).length >= 5, "every researcher view renders");
  ok(await narrow(), "no horizontal scroll at phone width (the last view)");

  // ---- the officer opens the review, assigns a reviewer, scores with comments and awards
  await off.goto(base + "/#/review/" + CID);
  await off.waitForSelector(".app[data-lead=sh-ic-univ]");
  await off.selectOption("select[name=to]", "reviewing");
  await off.click("#move");
  await off.locator("#cstate", { hasText: "评审中" }).waitFor();
  await off.click(".app[data-lead=sh-ic-univ] .shortlist-app");
  await off.waitForSelector(".app[data-lead=sh-ic-univ][data-state=shortlisted]");
  const sl = await call("GET", `/v1/challenges/${CID}/applications/sh-ic-univ`, env.JB_KEY_OFF);
  ok(sl.j && sl.j.status === "shortlisted", "the officer shortlists the application (" + (sl.j && sl.j.status) + ")");
  // a reviewer in conflict of interest (the application's own team lead) is refused with the reason
  expect = [new RegExp(`^POST /v1/challenges/${CID}/reviewers 409$`)];
  await off.fill("#reviewer-in", "exp-001");
  await off.click("#assign");
  await off.waitForSelector("#toast.show.bad");
  ok((await off.textContent("#toast")).includes("409") && await off.locator("#reviewers li[data-expert=exp-001]").count() === 0,
     "a reviewer in conflict of interest is refused, the reason shown (" + await off.textContent("#toast") + ")");
  expect = [];
  await off.fill("#reviewer-in", "exp-002");
  await off.click("#assign");
  await off.waitForSelector("#reviewers li[data-expert=exp-002]");
  const app = off.locator(".app[data-lead=sh-ic-univ]");
  const COMMENTS = { technical: "技术路线清晰，封装材料选择合理", team: "团队有车规级模块经验", plan: "验证阶段安排偏紧" };
  const OVERALL = "建议入选；<b>验证</b>周期需再论证 & 细化。";
  // a criterion left empty is named, and nothing is sent
  const posts = [];
  const onReq = r => { if (r.method() === "POST" && r.url().endsWith("/scores")) posts.push(r.url()); };
  off.on("request", onReq);
  await app.locator("input[name=score_technical]").fill("35");
  await app.locator(".score").click();
  await app.locator(".formerr", { hasText: "团队能力" }).waitFor();
  ok((await app.locator(".formerr").textContent()).includes("实施计划") && !(await app.locator(".formerr").textContent()).includes("技术方案") &&
     posts.length === 0, "the empty criteria are named (and only those) and nothing is sent");
  off.off("request", onReq);
  for (const [k, v] of [["technical", 35], ["team", 25], ["plan", 18], ["budget", 8]]) {
    await app.locator(`input[name=score_${k}]`).fill(String(v));
    if (COMMENTS[k]) await app.locator(`input[name=comment_${k}]`).fill(COMMENTS[k]);
  }
  await app.locator("textarea[name=comment]").fill(OVERALL);
  await app.locator(".score").click();
  // the scored view: its ranking shows the mean of the one review, 86 (before
  // the scores the application is listed with 0 — waiting for any item would
  // race the re-render and pick the state on the view being replaced)
  await off.locator("#ranktable tr[data-lead=sh-ic-univ] td.mean", { hasText: "86" }).waitFor({ timeout: 30000 });
  ok((await off.textContent("#ranktable tr[data-lead=sh-ic-univ] td:first-child")) === "1", "the scored application is ranked first, mean 86");
  const rv = off.locator(".byrev[data-lead=sh-ic-univ] li[data-reviewer=exp-002]");
  ok((await rv.locator(".comment").textContent()) === OVERALL &&
     (await rv.locator(".comments li[data-crit=technical]").textContent()).includes(COMMENTS.technical),
     "the ranking shows the review's comments (评审意见), overall and per criterion, as text");
  const rk = await call("GET", `/v1/challenges/${CID}/ranking`, env.JB_KEY_OFF);
  const byr = ((rk.j.ranking || []).find(x => x.lead_org === "sh-ic-univ") || {}).by_reviewer || [];
  ok(byr.length === 1 && byr[0].comment === OVERALL && Object.keys(byr[0].comments || {}).length === 3 &&
     Object.entries(COMMENTS).every(([k, v]) => byr[0].comments[k] === v),
     "the comments are stored per criterion and per application (" + JSON.stringify(byr) + ")");
  await shot(off, "officer-review");
  await off.selectOption("select[name=to]", "awarded");
  await off.selectOption("select[name=winner]", "sh-ic-univ");
  await off.click("#move");
  await off.locator("#cstate", { hasText: "已授予" }).waitFor();
  st = await call("GET", "/v1/challenges/" + CID, env.JB_KEY_OFF);
  ok(st.j.status === "awarded", "the officer awards");

  // ---- milestones: the funding plan, a tranche released, the stage check, the verdict
  await off.waitForSelector("#planform");
  await off.click("#setplan");
  await off.waitForSelector("#milestones li.tranche[data-tranche='2']");
  ok(await off.locator("#milestones li.tranche[data-released='0']").count() === 3, "the plan's three tranches, none released");
  const release = async i => {
    await off.click(`#milestones li.tranche[data-tranche='${i}'] .release`);
    await off.waitForSelector(`#milestones li.tranche[data-tranche='${i}'][data-released='1']`);
  };
  await release(0);
  const m0 = await call("GET", `/v1/challenges/${CID}/milestones`, env.JB_KEY_OFF);
  ok(m0.j.tranches[0].released_at && !m0.j.tranches[1].released_at && m0.j.tranches.map(x => x.share).join() === "0.6,0.3,0.1",
     "the plan is 60/30/10 % and the officer releases the contract tranche (through the API)");
  await off.click("#sign");
  await off.locator("#cstate", { hasText: "实施中" }).waitFor();
  await off.fill("#stagecheck input[name=check_note]", "中期指标达到");
  await off.click("#runcheck");
  await off.waitForSelector("#milestones li[data-step=stage_check]");
  ok((await off.textContent("#milestones li[data-step=stage_check]")).includes("中期指标达到"), "the stage check is on the timeline with its note");
  await release(1);
  await off.fill("#extension input[name=months]", "2");
  await off.fill("#extension input[name=ext_reason]", "样品测试设备排期");
  await off.click("#grantext");
  await off.waitForSelector("#milestones li[data-step=extension]");
  ok((await off.textContent("#milestones li[data-step=extension]")).includes("样品测试设备排期"), "an extension of two months is on the timeline");
  await shot(off, "officer-milestones");
  await off.fill("#verdict input[name=verdict_note]", "全部指标达到");
  await off.click("#accept");
  await off.locator("#cstate", { hasText: "已验收" }).waitFor();
  await off.waitForSelector("#milestones li[data-step=verdict]");
  await release(2);
  await off.setViewportSize({ width: 390, height: 900 });
  ok(await off.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the review with its ranking and timeline fits a phone's width");
  await off.setViewportSize({ width: 1100, height: 900 });
  const ms = await call("GET", `/v1/challenges/${CID}/milestones`, env.JB_KEY_OFF);
  ok(ms.j.tranches.length === 3 && ms.j.tranches.every(x => x.released_at) && ms.j.stage_check.passed === true &&
     ms.j.verdict.result === "accepted" && ms.j.extension.months === 2,
     "every tranche released, the stage check passed, the extension, the verdict accepted (through the API)");
  await off.click("#nav a[data-view=audit]");
  await off.click("#verify");
  await off.waitForSelector("#verifyout.ok");
  ok(await off.locator("#audit tbody tr").count() > 0, "the audit log and its verification");
  await shot(off, "officer-audit");
  await off.click("#nav a[data-view=stats]");
  await off.waitForSelector("#charts svg.chart rect");
  ok(await off.locator("#charts figure").count() === 4, "statistics drawn as SVG charts");
  await shot(off, "officer-stats");

  ok((await visitAll(off)).length >= 4, "every officer view renders");

  // ---- and the researcher sees the state change
  await res.goto(base + "/#/challenge/" + CID);
  await res.waitForSelector("#cstate");
  ok((await res.textContent("#cstate")) === "已验收" && (await res.textContent("#myappstate")).includes("中标") &&
     await res.locator("#applylink").count() === 0, "the researcher sees the challenge accepted, its application awarded");
  await res.click("#nav a[data-view=apps]");
  await res.waitForSelector(`#myapps tr[data-id="${CID}"][data-state=awarded]`);
  ok((await res.textContent(`#myapps tr[data-id="${CID}"] .appstate`)) === "中标", "and its application's state changed to awarded");

  // ---- the issuer reads its challenge's review: ranking, comments, the timeline, no officer actions
  const iss = await newPage();
  await login(iss, env.JB_KEY_ENT);
  await iss.goto(base + "/#/review/" + CID);
  await iss.waitForSelector("main .view[data-view=review][data-ready='1'] #milestones li.tranche[data-tranche='2'][data-released='1']");
  await iss.waitForSelector("#ranking[data-ready='1']");
  ok((await iss.textContent("#ranking")).includes(OVERALL) && await iss.locator("#milestones .release, #reviewers, .scoreform").count() === 0,
     "the issuer sees the ranking with its comments and the released tranches, without the officers' actions");
  await iss.click("#lang");
  await iss.waitForSelector("main .view[data-view=review][data-ready='1'] #milestones li.tranche[data-tranche='0']");
  await iss.locator("#ranktable th", { hasText: "Technical" }).waitFor();
  ok((await iss.textContent("#milestones")).includes("Contract") && (await iss.textContent("#cstate")) === "Accepted",
     "the review in English: the criteria, the tranches, the state");
} catch (e) {
  ok(false, "the scenario ran to the end: " + (e && e.stack || e));
} finally {
  ok(problems.length === 0, "no console errors, page errors, dialogs or external fetches" + (problems.length ? ": " + problems.join(" | ") : ""));
  await browser.close();
  // the server stops cleanly, and an ASan/UBSan build said nothing
  const code = srv.exitCode !== null || srv.signalCode !== null ? srv.exitCode ?? srv.signalCode
    : await new Promise(res => { srv.on("exit", (c, sig) => res(c ?? sig)); srv.kill("SIGTERM"); });
  const log = readFileSync(env.JB_WORK + "/server.log", "utf8");
  ok(code === 0 && !/Sanitizer|runtime error:/.test(log), `the server stopped cleanly (exit ${code}), no sanitizer report`);
}
process.exit(fails ? 1 : 0);
