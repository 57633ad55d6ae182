// SPDX-License-Identifier: GPL-3.0-or-later
// i18n.js: the console's messages, Chinese first, English with one switch.
const M = {
  zh: {
    title: "揭榜挂帅 · 控制台", login: "登录", logout: "退出", key: "API 密钥", key_hint: "密钥只保存在本标签页（sessionStorage）",
    lang_switch: "English", role: "角色", org: "机构", loading: "加载中…", error: "出错了",
    my_challenges: "我的榜单", new_challenge: "新建榜单", editor: "榜单编辑", matches: "匹配结果", search: "搜索",
    challenges: "榜单", applications: "揭榜申请", audit: "审计日志", stats: "统计", open_challenges: "开放榜单",
    my_applications: "我的申请", saved: "保存的搜索", fits_me: "适合我的榜单",
    f_id: "编号", f_title: "标题", f_problem: "问题描述", f_deadline: "截止日期", f_funding: "资助金额（元）",
    f_ip: "知识产权约定", f_elig: "揭榜条件（机构类型，逗号分隔）", f_conf: "保密信息（仅官员与发榜方可见）",
    f_keywords: "关键词（逗号分隔）", indicators: "技术指标", ind_name: "指标", ind_target: "目标值", ind_unit: "单位",
    add_indicator: "添加指标", save: "保存草稿", publish: "发布", saved_ok: "已保存", published_ok: "已发布",
    lint: "检查", lint_ok: "检查通过", lint_errors: "必须修改", lint_warnings: "建议", similar: "相似榜单",
    state: "状态", deadline: "截止", score: "得分", reciprocal: "双向匹配", why_not: "未入选原因", explain: "解释", translated: "跨语言对应", evidence: "依据",
    suggestions: "建议补充的关键词", accept: "采纳", kind_output: "成果", kind_expert: "专家", kind_org: "机构",
    shortlist: "入围", contact: "已联系", dismiss: "排除", reason: "原因", note: "备注", review_state: "审核",
    conflicts: "利益冲突", no_conflicts: "无利益冲突", scores: "评分", criterion: "评分项", comment: "评语",
    reviewer: "评审专家", submit: "提交", ranking: "排名", award: "授予", milestones: "里程碑", verify: "校验审计链",
    verify_ok: "审计链完整", apply: "揭榜", lead_org: "牵头单位", team_lead: "负责人（专家编号）", members: "成员单位（逗号分隔）",
    plan: "实施方案", budget: "预算（元）", schedule: "进度安排", commitment: "承诺", applied_ok: "已提交申请",
    q: "关键词", type: "类型", all: "全部", go: "搜索", whats_new: "新结果", save_search: "保存搜索",
    by_state: "各状态榜单", by_field: "各领域榜单", funnel: "发布到授予", mr_outcomes: "匹配审核结果", time_to_award: "平均授予天数",
    none: "暂无", open: "打开", status_to: "变更状态为", move: "变更", actor: "操作者", action: "操作", at: "时间",
    st_draft: "草稿", st_published: "已发布", st_reviewing: "评审中", st_awarded: "已授予", st_in_progress: "实施中",
    st_accepted: "已验收", st_closed: "已关闭", st_withdrawn: "已撤回", st_cancelled: "已取消",
    st_failed: "验收未通过",
    ap_submitted: "已提交", ap_shortlisted: "入围", ap_awarded: "中标", ap_not_selected: "未入选", ap_withdrawn: "已撤回",
    withdraw: "撤回", app_state: "申请状态", ch_state: "榜单状态", submitted_at: "提交时间", more: "更多",
    filters: "筛选", f_open: "只看开放中", f_status: "榜单状态", f_field: "领域代码（如 ic）", f_region: "地区代码前缀（如 31）",
    f_org_kind: "机构类型", dl_from: "截止不早于", dl_to: "截止不晚于", fund_min: "资助不少于（元）", fund_max: "资助不多于（元）",
    sort: "排序", sort_relevance: "相关度", sort_deadline: "截止最早", sort_funding: "资助最多", per_page: "每页",
    hits_total: "约 {n} 条结果", shown: "已显示 {n} 条", saved_hint: "保存的搜索记录关键词和类型",
    ty_challenge: "榜单", ty_output: "成果", ty_expert: "专家", ty_org: "机构",
    comment_all: "总体评审意见", comment_crit: "评审意见", assigned: "已指派评审专家", by_reviewer: "各专家评分",
    mean: "平均分", reviews: "评审数", recused: "回避", rank: "名次", shortlist_app: "列入入围",
    plan_funding: "资助计划（分期拨付）", share: "比例", due: "拨付节点", add_tranche: "添加一期", set_plan: "确定资助计划",
    due_contract: "合同签订", due_stage_check: "中期检查", due_acceptance: "验收", release: "拨付", released: "已拨付",
    locked: "未到拨付条件", stage_check: "中期检查", passed: "通过", not_passed: "未通过", run_check: "记录中期检查",
    extension: "延期", months: "月数", ext_reason: "延期原因", grant_ext: "批准延期", verdict: "验收结论",
    accept_work: "验收通过", fail_work: "验收不通过", sign: "签订合同，进入实施", awarded_to: "授予", no_plan: "尚无资助计划",
    by: "操作者", name: "名称", as_member: "成员单位", fill_scores: "请填写每一项评分", edit_app: "修改申请",
    cr_technical: "技术方案", cr_team: "团队能力", cr_plan: "实施计划", cr_budget: "预算合理性", f_fields: "领域代码（逗号分隔，如 ic/power）",
  },
  en: {
    title: "Jiebang · Console", login: "Log in", logout: "Log out", key: "API key", key_hint: "The key is kept in this tab only (sessionStorage)",
    lang_switch: "中文", role: "Role", org: "Organisation", loading: "Loading…", error: "Error",
    my_challenges: "My challenges", new_challenge: "New challenge", editor: "Challenge editor", matches: "Matches", search: "Search",
    challenges: "Challenges", applications: "Applications", audit: "Audit log", stats: "Statistics", open_challenges: "Open challenges",
    my_applications: "My applications", saved: "Saved searches", fits_me: "Challenges that fit me",
    f_id: "ID", f_title: "Title", f_problem: "Problem", f_deadline: "Deadline", f_funding: "Funding (CNY)",
    f_ip: "IP terms", f_elig: "Eligibility (org kinds, comma-separated)", f_conf: "Confidential (officers and issuer only)",
    f_keywords: "Keywords (comma-separated)", indicators: "Indicators", ind_name: "Indicator", ind_target: "Target", ind_unit: "Unit",
    add_indicator: "Add indicator", save: "Save draft", publish: "Publish", saved_ok: "Saved", published_ok: "Published",
    lint: "Lint", lint_ok: "Lint passed", lint_errors: "Must fix", lint_warnings: "Warnings", similar: "Similar challenges",
    state: "State", deadline: "Deadline", score: "Score", reciprocal: "Reciprocal", why_not: "Why not", explain: "Explanation", translated: "Translated", evidence: "Evidence",
    suggestions: "Suggested keywords", accept: "Accept", kind_output: "Outputs", kind_expert: "Experts", kind_org: "Organisations",
    shortlist: "Shortlist", contact: "Contacted", dismiss: "Dismiss", reason: "Reason", note: "Note", review_state: "Review",
    conflicts: "Conflicts of interest", no_conflicts: "No conflicts", scores: "Scores", criterion: "Criterion", comment: "Comment",
    reviewer: "Reviewer", submit: "Submit", ranking: "Ranking", award: "Award", milestones: "Milestones", verify: "Verify audit chain",
    verify_ok: "Audit chain intact", apply: "Apply", lead_org: "Lead organisation", team_lead: "Team lead (expert id)", members: "Member orgs (comma-separated)",
    plan: "Plan", budget: "Budget (CNY)", schedule: "Schedule", commitment: "Commitment", applied_ok: "Application submitted",
    q: "Query", type: "Type", all: "All", go: "Search", whats_new: "What's new", save_search: "Save search",
    by_state: "Challenges by state", by_field: "Challenges by field", funnel: "Published to awarded", mr_outcomes: "Match review outcomes", time_to_award: "Mean days to award",
    none: "None", open: "Open", status_to: "Move to", move: "Move", actor: "Actor", action: "Action", at: "Time",
    st_draft: "Draft", st_published: "Published", st_reviewing: "Reviewing", st_awarded: "Awarded", st_in_progress: "In progress",
    st_accepted: "Accepted", st_closed: "Closed", st_withdrawn: "Withdrawn", st_cancelled: "Cancelled",
    st_failed: "Failed",
    ap_submitted: "Submitted", ap_shortlisted: "Shortlisted", ap_awarded: "Awarded", ap_not_selected: "Not selected", ap_withdrawn: "Withdrawn",
    withdraw: "Withdraw", app_state: "Application", ch_state: "Challenge", submitted_at: "Submitted", more: "More",
    filters: "Filters", f_open: "Open only", f_status: "Challenge state", f_field: "Field code (e.g. ic)", f_region: "Region code prefix (e.g. 31)",
    f_org_kind: "Org kind", dl_from: "Deadline from", dl_to: "Deadline to", fund_min: "Funding at least (CNY)", fund_max: "Funding at most (CNY)",
    sort: "Order", sort_relevance: "Relevance", sort_deadline: "Soonest deadline", sort_funding: "Largest funding", per_page: "Per page",
    hits_total: "About {n} results", shown: "{n} shown", saved_hint: "A saved search keeps the query and the type",
    ty_challenge: "Challenge", ty_output: "Output", ty_expert: "Expert", ty_org: "Organisation",
    comment_all: "Overall review comment", comment_crit: "Comment", assigned: "Assigned reviewers", by_reviewer: "Each reviewer's scores",
    mean: "Mean", reviews: "Reviews", recused: "Recused", rank: "Rank", shortlist_app: "Shortlist",
    plan_funding: "Funding plan (tranches)", share: "Share", due: "Due at", add_tranche: "Add a tranche", set_plan: "Set the funding plan",
    due_contract: "Contract", due_stage_check: "Stage check", due_acceptance: "Acceptance", release: "Release", released: "Released",
    locked: "Not yet releasable", stage_check: "Stage check", passed: "Passed", not_passed: "Not passed", run_check: "Record the stage check",
    extension: "Extension", months: "Months", ext_reason: "Reason", grant_ext: "Grant the extension", verdict: "Acceptance verdict",
    accept_work: "Accept the work", fail_work: "Fail the work", sign: "Contract signed: start the work", awarded_to: "Awarded to", no_plan: "No funding plan yet",
    by: "By", name: "Name", as_member: "member", fill_scores: "Give every criterion a score", edit_app: "Edit the application",
    cr_technical: "Technical", cr_team: "Team", cr_plan: "Plan", cr_budget: "Budget", f_fields: "Field codes (comma-separated, e.g. ic/power)",
  },
};

const LANG = "jiebang.lang";
export function lang() { return sessionStorage.getItem(LANG) === "en" ? "en" : "zh"; }
export function setLang(l) { sessionStorage.setItem(LANG, l); document.documentElement.lang = l === "en" ? "en" : "zh-CN"; }
// t("hits_total", {n: 5}): the message with each {name} replaced
export function t(k, vars) {
  const m = M[lang()][k] ?? M.zh[k] ?? k;
  return vars ? m.replace(/\{(\w+)\}/g, (x, n) => (n in vars ? String(vars[n]) : x)) : m;
}
export function stateName(s) { return M[lang()]["st_" + s] ?? s; }
// a review criterion's name (a criterion configured otherwise shows its key)
export function critName(k) { return M[lang()]["cr_" + k] ?? k; }
// an application's state (submitted, shortlisted, awarded, not_selected, withdrawn)
export function appStateName(s) { return M[lang()]["ap_" + s] ?? s; }
