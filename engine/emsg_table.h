/* SPDX-License-Identifier: GPL-3.0-or-later */
/* emsg_table.h: the entries of the engine's message catalogue (emsg.h):
 * EM_EN_<id> and EM_ZH_<id>, the English and Chinese formats of each
 * message, and JB_EMSGS(X), the list X(id, KINDS) (KINDS: one letter per
 * argument, s string, i signed, u unsigned, f double). The id is the stable
 * code clients see: never rename one, add new ones. A message about a field
 * does not name it: the field path travels beside it. Chinese terms follow
 * api/messages.h (榜单, 主管部门人员, 管理员, 密钥, 检索). Pure macros. */
#ifndef JB_EMSG_TABLE_H
#define JB_EMSG_TABLE_H

/* record validation (engine/record.c): the field path travels beside the message */
#define EM_EN_must_be_string "must be a string"
#define EM_ZH_must_be_string "必须是字符串"
#define EM_EN_must_not_be_empty "must not be empty"
#define EM_ZH_must_not_be_empty "不能为空"
#define EM_EN_too_short "too short"
#define EM_ZH_too_short "过短"
#define EM_EN_longer_than_chars "longer than %ld characters"
#define EM_ZH_longer_than_chars "超过 %ld 个字符"
#define EM_EN_control_char "control character at byte %zu"
#define EM_ZH_control_char "第 %zu 字节处有控制字符"
#define EM_EN_invalid_utf8 "invalid UTF-8"
#define EM_ZH_invalid_utf8 "不是有效的 UTF-8"
#define EM_EN_int_range "must be an integer from %ld to %ld"
#define EM_ZH_int_range "必须是 %ld 到 %ld 之间的整数"
#define EM_EN_one_of "must be one of %s"
#define EM_ZH_one_of "必须是以下之一：%s"
#define EM_EN_field_code_length "field code must have 1 to 64 characters"
#define EM_ZH_field_code_length "领域代码必须为 1 到 64 个字符"
#define EM_EN_not_field_code "'%s' is not a field code (lower-case segments joined by '/')"
#define EM_ZH_not_field_code "'%s' 不是领域代码（由 '/' 连接的小写分段）"
#define EM_EN_must_be_digits "must be a string of digits"
#define EM_ZH_must_be_digits "必须是数字字符串"
#define EM_EN_not_region_prefix "'%s' is not a region prefix (2, 4 or 6 digits)"
#define EM_ZH_not_region_prefix "'%s' 不是地区前缀（2、4 或 6 位数字）"
#define EM_EN_not_region_code "'%s' is not a 6-digit administrative code"
#define EM_ZH_not_region_code "'%s' 不是 6 位行政区划代码"
#define EM_EN_must_be_date "must be a date YYYY-MM-DD"
#define EM_ZH_must_be_date "必须是 YYYY-MM-DD 格式的日期"
#define EM_EN_not_valid_date "'%s' is not a valid date"
#define EM_ZH_not_valid_date "'%s' 不是有效日期"
#define EM_EN_id_too_long "longer than %zu bytes of UTF-8 (%zu)"
#define EM_ZH_id_too_long "超过 %zu 字节的 UTF-8（实际 %zu 字节）"
#define EM_EN_invalid_utf8_at "invalid UTF-8 at byte %zu"
#define EM_ZH_invalid_utf8_at "第 %zu 字节处不是有效的 UTF-8"
#define EM_EN_id_slash "an id must not contain '/'"
#define EM_ZH_id_slash "标识不得包含 '/'"
#define EM_EN_control_char_u "control character U+%04X at byte %zu"
#define EM_ZH_control_char_u "第 %2$zu 字节处有控制字符 U+%1$04X"
#define EM_EN_id_backslash "an id must not contain '\\'"
#define EM_ZH_id_backslash "标识不得包含 '\\'"
#define EM_EN_id_invisible "white space or invisible character U+%04X at byte %zu"
#define EM_ZH_id_invisible "第 %2$zu 字节处有空白或不可见字符 U+%1$04X"
#define EM_EN_id_dots "must not be '.' or '..'"
#define EM_ZH_id_dots "不能是 '.' 或 '..'"
#define EM_EN_too_many_refs "more than %d references"
#define EM_ZH_too_many_refs "引用超过 %d 个"
#define EM_EN_unknown_field_named "unknown field '%s'"
#define EM_ZH_unknown_field_named "未知字段 '%s'"
#define EM_EN_must_be_url "must start with http:// or https://"
#define EM_ZH_must_be_url "必须以 http:// 或 https:// 开头"
#define EM_EN_must_be_lang "must be a language tag such as zh or en"
#define EM_ZH_must_be_lang "必须是语言标签，如 zh 或 en"
#define EM_EN_not_lang "'%s' is not a language tag such as zh or en"
#define EM_ZH_not_lang "'%s' 不是语言标签（如 zh 或 en）"
#define EM_EN_must_be_list "must be a list"
#define EM_ZH_must_be_list "必须是列表"
#define EM_EN_too_many_items "more than %ld items"
#define EM_ZH_too_many_items "超过 %ld 项"
#define EM_EN_must_be_ip "must be an object {number, status, licensing}"
#define EM_ZH_must_be_ip "必须是对象 {number, status, licensing}"
#define EM_EN_must_be_indicators "must be a list of {name, target, unit}"
#define EM_ZH_must_be_indicators "必须是 {name, target, unit} 的列表"
#define EM_EN_must_be_indicator "must be an object {name, target, unit}"
#define EM_ZH_must_be_indicator "必须是对象 {name, target, unit}"
#define EM_EN_is_required "is required"
#define EM_ZH_is_required "为必填项"
#define EM_EN_must_be_finite "must be a finite number"
#define EM_ZH_must_be_finite "必须是有限数值"
#define EM_EN_number_or_short_string "must be a number or a string of up to 200 characters"
#define EM_ZH_number_or_short_string "必须是数字或不超过 200 个字符的字符串"
#define EM_EN_must_be_funding "must be an object {amount, currency}"
#define EM_ZH_must_be_funding "必须是对象 {amount, currency}"
#define EM_EN_amount_range "must be a number from 0 to 1e13"
#define EM_ZH_amount_range "必须是 0 到 1e13 之间的数"
#define EM_EN_must_be_currency "must be an ISO 4217 code such as CNY"
#define EM_ZH_must_be_currency "必须是 ISO 4217 货币代码，如 CNY"
#define EM_EN_must_be_eligibility "must be an object {org_kinds, max_members, regions}"
#define EM_ZH_must_be_eligibility "必须是对象 {org_kinds, max_members, regions}"
#define EM_EN_must_be_org_kinds "must be a list of org kinds"
#define EM_ZH_must_be_org_kinds "必须是机构类型的列表"
#define EM_EN_must_be_region_prefixes "must be a list of region prefixes"
#define EM_ZH_must_be_region_prefixes "必须是地区前缀的列表"
#define EM_EN_must_be_text_map "must be an object of up to 50 text values"
#define EM_ZH_must_be_text_map "必须是最多含 50 个文本值的对象"
#define EM_EN_key_length "key must have 1 to 64 bytes"
#define EM_ZH_key_length "键名必须为 1 到 64 字节"
#define EM_EN_must_be_object "must be a JSON object"
#define EM_ZH_must_be_object "必须是 JSON 对象"
#define EM_EN_must_be_type "must be one of org, expert, output, challenge"
#define EM_ZH_must_be_type "必须是 org、expert、output、challenge 之一"
#define EM_EN_unknown_field_for_a "unknown field for a %s"
#define EM_ZH_unknown_field_for_a "%s 记录没有这个字段"
#define EM_EN_unknown_field_for_an "unknown field for an %s"
#define EM_ZH_unknown_field_for_an "%s 记录没有这个字段"
#define EM_EN_trl_below "must not be below trl_now"
#define EM_ZH_trl_below "不得低于 trl_now"
#define EM_EN_json_too_deep "JSON nested deeper than 32 levels"
#define EM_ZH_json_too_deep "JSON 嵌套超过 32 层"
#define EM_EN_invalid_json "invalid JSON at column %d: %s"
#define EM_ZH_invalid_json "第 %d 列 JSON 无效：%s"
/* the store's refusals (engine/store.c, store_keys.c) */
#define EM_EN_record_not_found "%s '%s' not found"
#define EM_ZH_record_not_found "未找到 %s '%s'"
#define EM_EN_unknown_ref "unknown %s '%s'"
#define EM_ZH_unknown_ref "引用的 %s '%s' 不存在"
#define EM_EN_referred_to "%s '%s' is referred to by %s '%s' (%s)"
#define EM_ZH_referred_to "%s '%s' 被 %s '%s' 引用（%s）"
#define EM_EN_item_exists "%s '%s' exists"
#define EM_ZH_item_exists "%s '%s' 已存在"
#define EM_EN_no_item "no %s '%s'"
#define EM_ZH_no_item "没有 %s '%s'"
#define EM_EN_no_active_key "no active key '%s'"
#define EM_ZH_no_active_key "没有有效的密钥 '%s'"
#define EM_EN_no_key "no key '%s'"
#define EM_ZH_no_key "没有密钥 '%s'"
/* records (engine/engine_write.c) */
#define EM_EN_takes_part "%s '%s' takes part in challenge %s (an application, reviewer or score)"
#define EM_ZH_takes_part "%s '%s' 参与了榜单 %s（申报、评审专家或评分）"
/* lint (engine/lifecycle.c): a challenge checked before publication */
#define EM_EN_lint_problem_required "the main technical problem is required"
#define EM_ZH_lint_problem_required "须填写主要技术难题"
#define EM_EN_lint_indicator_no_number "'%.200s' is vague: its target has no number"
#define EM_ZH_lint_indicator_no_number "'%.200s' 不够明确：目标值没有数字"
#define EM_EN_lint_indicator_no_unit "'%.200s' is vague: its target has no unit (none is needed for a dimensionless one such as AUC or a ratio)"
#define EM_ZH_lint_indicator_no_unit "'%.200s' 不够明确：目标值没有单位（AUC、比率等无量纲指标不需要单位）"
#define EM_EN_lint_no_measurable "at least one indicator needs a measurable target (a number)"
#define EM_ZH_lint_no_measurable "至少一项指标需要可量化的目标值（数字）"
#define EM_EN_lint_deadline_required "the deadline is required"
#define EM_ZH_lint_deadline_required "须填写截止日期"
#define EM_EN_lint_deadline_passed "the deadline has passed"
#define EM_ZH_lint_deadline_passed "截止日期已过"
#define EM_EN_lint_deadline_close "only %ld days away: too close to do the work (fewer than %d)"
#define EM_ZH_lint_deadline_close "距今仅 %ld 天：时间过紧，难以完成（少于 %d 天）"
#define EM_EN_lint_funding_required "the funding (an amount above 0) is required"
#define EM_ZH_lint_funding_required "须填写资助金额（大于 0）"
#define EM_EN_lint_ip_terms_required "the IP terms are required"
#define EM_ZH_lint_ip_terms_required "须填写知识产权条款"
#define EM_EN_not_ready_to_publish "not ready to publish: %s"
#define EM_ZH_not_ready_to_publish "尚不能发布：%s"
/* the challenge lifecycle (engine/lifecycle.c) */
#define EM_EN_challenge_not_found "challenge '%s' not found"
#define EM_ZH_challenge_not_found "未找到榜单 '%s'"
#define EM_EN_not_a_state "'%s' is not a state (draft, published, reviewing, awarded, in_progress, accepted, failed, closed, cancelled)"
#define EM_ZH_not_a_state "'%s' 不是榜单状态（draft、published、reviewing、awarded、in_progress、accepted、failed、closed、cancelled）"
#define EM_EN_transition_not_allowed "a challenge in state %s cannot become %s; allowed: %s"
#define EM_ZH_transition_not_allowed "处于 %s 状态的榜单不能变为 %s；允许：%s"
#define EM_EN_transition_final "a challenge in state %s cannot become %s; allowed: none (a final state)"
#define EM_ZH_transition_final "处于 %1$s 状态的榜单不能变为 %2$s；%1$s 是终态，不能再变更"
#define EM_EN_transition_issuer_only "%s -> %s is for the issuing enterprise, officers and admins"
#define EM_ZH_transition_issuer_only "%s -> %s 仅限发榜企业、主管部门人员和管理员操作"
#define EM_EN_transition_officer_only "%s -> %s is for officers and admins"
#define EM_ZH_transition_officer_only "%s -> %s 仅限主管部门人员和管理员操作"
#define EM_EN_award_needs_winners "awarded needs the winners: {\"to\": \"awarded\", \"winners\": [lead org, ...]}"
#define EM_ZH_award_needs_winners "变为 awarded 须指明揭榜方：{\"to\": \"awarded\", \"winners\": [牵头单位, ...]}"
#define EM_EN_no_tokenizer "no tokenizer (a store-only engine)"
#define EM_ZH_no_tokenizer "没有分词器（仅存储的引擎）"
#define EM_EN_audit_missing "audit entry %lld is missing (removed)"
#define EM_ZH_audit_missing "审计记录 %lld 缺失（已被删除）"
#define EM_EN_audit_out_of_order "audit entry %lld is out of order"
#define EM_ZH_audit_out_of_order "审计记录 %lld 顺序错乱"
#define EM_EN_audit_changed "audit entry %lld was changed: its content does not match its hash"
#define EM_ZH_audit_changed "审计记录 %lld 已被改动：内容与其哈希不符"
#define EM_EN_audit_not_following "audit entry %lld does not follow entry %lld (an entry before it was removed, replaced or moved)"
#define EM_ZH_audit_not_following "审计记录 %lld 未接续记录 %lld（此前的记录被删除、替换或移动）"
#define EM_EN_audit_cut "the audit log ends at entry %lld but its head records entry %lld: entries were cut off or the head was changed"
#define EM_ZH_audit_cut "审计日志止于记录 %lld，但其头部记载的是记录 %lld：有记录被截去或头部被改动"
/* applications (engine/applications.c) */
#define EM_EN_app_not_a_state "'%s' is not a state of an application (submitted, shortlisted, awarded, not_selected, withdrawn)"
#define EM_ZH_app_not_a_state "'%s' 不是申报状态（submitted、shortlisted、awarded、not_selected、withdrawn）"
#define EM_EN_longer_than_bytes "longer than %zu bytes"
#define EM_ZH_longer_than_bytes "超过 %zu 字节"
#define EM_EN_note_too_long "longer than 20000 bytes"
#define EM_ZH_note_too_long "超过 20000 字节"
#define EM_EN_no_application "no application led by '%s'"
#define EM_ZH_no_application "没有由 '%s' 牵头的申报"
#define EM_EN_app_only_by_award "an application becomes %s only with the award (POST /v1/challenges/%s/status {\"to\": \"awarded\", \"winners\"})"
#define EM_ZH_app_only_by_award "申报只能在揭榜时变为 %s（POST /v1/challenges/%s/status {\"to\": \"awarded\", \"winners\"}）"
#define EM_EN_app_move_not_allowed "an application in state %s cannot become %s; allowed: %s"
#define EM_ZH_app_move_not_allowed "处于 %s 状态的申报不能变为 %s；允许：%s"
#define EM_EN_app_move_final "an application in state %s cannot become %s; allowed: none (a final state)"
#define EM_ZH_app_move_final "处于 %1$s 状态的申报不能变为 %2$s；%1$s 是终态，不能再变更"
#define EM_EN_app_move_applicant "%s -> %s is for the applicant (a key of the lead org), officers and admins"
#define EM_ZH_app_move_applicant "%s -> %s 仅限申报方（牵头单位的密钥）、主管部门人员和管理员操作"
#define EM_EN_app_move_officer "%s -> %s is for officers and admins"
#define EM_ZH_app_move_officer "%s -> %s 仅限主管部门人员和管理员操作"
#define EM_EN_app_move_while_published "an application becomes %s while the challenge is published; it is %s"
#define EM_ZH_app_move_while_published "榜单处于 published 状态时申报才能变为 %s；榜单当前为 %s"
#define EM_EN_app_move_while_open "an application becomes %s while the challenge is published or reviewing; it is %s"
#define EM_ZH_app_move_while_open "榜单处于 published 或 reviewing 状态时申报才能变为 %s；榜单当前为 %s"
#define EM_EN_required "required"
#define EM_ZH_required "为必填项"
#define EM_EN_non_empty_string "must be a non-empty string"
#define EM_ZH_non_empty_string "必须是非空字符串"
#define EM_EN_app_unknown_field "unknown field (lead_org, members, team_lead, plan, budget, schedule, commitment)"
#define EM_ZH_app_unknown_field "未知字段（可用：lead_org、members、team_lead、plan、budget、schedule、commitment）"
#define EM_EN_app_budget "must be {\"amount\": a number above 0, \"currency\": CODE}"
#define EM_ZH_app_budget "必须是 {\"amount\": 大于 0 的数, \"currency\": 货币代码}"
#define EM_EN_app_members_list "must be a list of org ids"
#define EM_ZH_app_members_list "必须是机构标识的列表"
#define EM_EN_app_members_max "at most %u member orgs besides the lead"
#define EM_ZH_app_members_max "除牵头单位外最多 %u 家成员单位"
#define EM_EN_no_org "no org '%s'"
#define EM_ZH_no_org "没有机构 '%s'"
#define EM_EN_member_is_lead "the lead org is not also a member"
#define EM_ZH_member_is_lead "牵头单位不能同时是成员单位"
#define EM_EN_listed_twice "'%s' is listed twice"
#define EM_ZH_listed_twice "'%s' 重复列出"
#define EM_EN_app_submit_by_lead "a key of '%s' (or an officer) submits its application"
#define EM_ZH_app_submit_by_lead "申报须由 '%s' 的密钥（或主管部门人员）提交"
#define EM_EN_app_not_published "applications are taken while the challenge is published; it is %s"
#define EM_ZH_app_not_published "榜单处于 published 状态时才接受申报；当前为 %s"
#define EM_EN_app_deadline_passed "the deadline %s has passed: no more applications"
#define EM_ZH_app_deadline_passed "截止日期 %s 已过，不再接受申报"
#define EM_EN_app_own_challenge "the issuing org '%s' cannot apply to its own challenge"
#define EM_ZH_app_own_challenge "发榜单位 '%s' 不能申报自己的榜单"
#define EM_EN_app_kind_not_admitted "the lead org's kind '%s' is not admitted"
#define EM_ZH_app_kind_not_admitted "牵头单位的类型 '%s' 不在准入范围内"
#define EM_EN_app_region_not_admitted "the lead org's region %s is not admitted"
#define EM_ZH_app_region_not_admitted "牵头单位所在地区 %s 不在准入范围内"
#define EM_EN_no_expert "no expert '%s'"
#define EM_ZH_no_expert "没有专家 '%s'"
#define EM_EN_team_lead_not_member "'%s' works for none of the applying orgs"
#define EM_ZH_team_lead_not_member "'%s' 不属于任何申报单位"
#define EM_EN_app_exists "'%s' has already applied to this challenge (one application per lead org)"
#define EM_ZH_app_exists "'%s' 已申报此榜单（每个牵头单位限一份申报）"
#define EM_EN_app_change_fields "an object with the fields to change (members, team_lead, plan, budget, schedule, commitment)"
#define EM_ZH_app_change_fields "须是包含待修改字段的对象（members、team_lead、plan、budget、schedule、commitment）"
#define EM_EN_app_keeps_lead "an application keeps its lead org ('%s'); withdraw it and apply again under another"
#define EM_ZH_app_keeps_lead "申报的牵头单位（'%s'）不可更改；请撤回后以其他单位重新申报"
#define EM_EN_app_change_by_lead "a key of '%s' (or an officer) changes its application"
#define EM_ZH_app_change_by_lead "申报须由 '%s' 的密钥（或主管部门人员）修改"
#define EM_EN_app_closed "the application is %s: it changes no more"
#define EM_ZH_app_closed "申报已是 %s 状态，不能再修改"
/* review (engine/review.c) */
#define EM_EN_reviewer_exists "%s is already a reviewer of this challenge"
#define EM_ZH_reviewer_exists "%s 已是此榜单的评审专家"
#define EM_EN_assign_officer_only "officers and admins assign reviewers"
#define EM_ZH_assign_officer_only "评审专家由主管部门人员和管理员指派"
#define EM_EN_assign_while_open "reviewers are assigned while the challenge is published or reviewing; it is %s"
#define EM_ZH_assign_while_open "榜单处于 published 或 reviewing 状态时才能指派评审专家；当前为 %s"
#define EM_EN_coi_issuer "conflict of interest: the reviewer's org %s issued the challenge"
#define EM_ZH_coi_issuer "利益冲突：评审专家所在机构 %s 是发榜单位"
#define EM_EN_coi_consortium "conflict of interest: the reviewer's org %s is in the consortium of the application led by %s"
#define EM_ZH_coi_consortium "利益冲突：评审专家所在机构 %s 属于由 %s 牵头的申报联合体"
#define EM_EN_coi_team_lead "conflict of interest: the reviewer leads the team of the application led by %s"
#define EM_ZH_coi_team_lead "利益冲突：评审专家是由 %s 牵头的申报的团队负责人"
#define EM_EN_coi_shared_output "conflict of interest: the reviewer and team lead %s share output %s"
#define EM_ZH_coi_shared_output "利益冲突：评审专家与团队负责人 %s 有共同成果 %s"
#define EM_EN_recused_issuer "conflict of interest: the reviewer's org %s issued the challenge; %s is recused from this application"
#define EM_ZH_recused_issuer "利益冲突：评审专家所在机构 %s 是发榜单位；%s 须回避此申报"
#define EM_EN_recused_consortium "conflict of interest: the reviewer's org %s is in the consortium of the application led by %s; %s is recused from this application"
#define EM_ZH_recused_consortium "利益冲突：评审专家所在机构 %s 属于由 %s 牵头的申报联合体；%s 须回避此申报"
#define EM_EN_recused_team_lead "conflict of interest: the reviewer leads the team of the application led by %s; %s is recused from this application"
#define EM_ZH_recused_team_lead "利益冲突：评审专家是由 %s 牵头的申报的团队负责人；%s 须回避此申报"
#define EM_EN_recused_shared_output "conflict of interest: the reviewer and team lead %s share output %s; %s is recused from this application"
#define EM_ZH_recused_shared_output "利益冲突：评审专家与团队负责人 %s 有共同成果 %s；%s 须回避此申报"
#define EM_EN_comment_text "a non-empty text of up to 20000 bytes"
#define EM_ZH_comment_text "须是不超过 20000 字节的非空文本"
#define EM_EN_comments_object "an object of criterion -> text"
#define EM_ZH_comments_object "须是“评审指标 -> 文本”的对象"
#define EM_EN_not_a_criterion "not a criterion"
#define EM_ZH_not_a_criterion "不是评审指标"
#define EM_EN_scores_while_reviewing "scores are given while the challenge is reviewing; it is %s"
#define EM_ZH_scores_while_reviewing "榜单处于 reviewing 状态时才能评分；当前为 %s"
#define EM_EN_not_a_reviewer "%s is not a reviewer of this challenge"
#define EM_ZH_not_a_reviewer "%s 不是此榜单的评审专家"
#define EM_EN_app_withdrawn "the application led by '%s' was withdrawn"
#define EM_ZH_app_withdrawn "由 '%s' 牵头的申报已撤回"
#define EM_EN_score_by_reviewer "officers, or a key of the reviewer's org, record scores"
#define EM_ZH_score_by_reviewer "评分须由主管部门人员或评审专家所在机构的密钥录入"
#define EM_EN_scores_object "an object with %s"
#define EM_ZH_scores_object "须是包含 %s 的对象"
#define EM_EN_score_range "a number from 0 to %g (scores: %s)"
#define EM_ZH_score_range "须是 0 到 %g 之间的数（评分项：%s）"
#define EM_EN_winners_count "name 1 to %u applications (their lead orgs)"
#define EM_ZH_winners_count "须列出 1 到 %u 份申报（以牵头单位表示）"
#define EM_EN_winner_not_open "the application led by '%s' is %s"
#define EM_ZH_winner_not_open "由 '%s' 牵头的申报为 %s 状态"
#define EM_EN_named_twice "'%s' is named twice"
#define EM_ZH_named_twice "'%s' 重复列出"
#define EM_EN_no_award "challenge '%s' has no award"
#define EM_ZH_no_award "榜单 '%s' 尚无揭榜结果"
/* milestones (engine/milestones.c) */
#define EM_EN_plan_by_issuer "the funding plan is set by the issuer, officers and admins"
#define EM_ZH_plan_by_issuer "资金拨付计划由发榜方、主管部门人员和管理员制定"
#define EM_EN_plan_when_awarded "the funding plan is set when the challenge is awarded; it is %s"
#define EM_ZH_plan_when_awarded "榜单处于 awarded 状态时才能制定资金拨付计划；当前为 %s"
#define EM_EN_plan_set_already "the funding plan is set already"
#define EM_ZH_plan_set_already "资金拨付计划已制定"
#define EM_EN_tranches_shape "1 to 3 of {\"share\": 0-1, \"due\": contract | stage_check | acceptance}, in that order"
#define EM_ZH_tranches_shape "须是 1 到 3 笔 {\"share\": 0-1, \"due\": contract | stage_check | acceptance}，按此顺序"
#define EM_EN_tranche_shape "{\"share\": above 0 up to 1, \"due\": contract | stage_check | acceptance}"
#define EM_ZH_tranche_shape "须是 {\"share\": 大于 0 且不超过 1, \"due\": contract | stage_check | acceptance}"
#define EM_EN_tranche_order "due '%s' out of order or repeated (at most one stage check)"
#define EM_ZH_tranche_order "拨付节点 '%s' 顺序错误或重复（中期检查最多一次）"
#define EM_EN_tranche_first "the first tranche is due at contract and is at least %.0f %% of the funding"
#define EM_ZH_tranche_first "第一笔须在签约时拨付，且不少于资助金额的 %.0f%%"
#define EM_EN_tranche_sum "the shares add up to %.4g, not 1"
#define EM_ZH_tranche_sum "各笔比例合计为 %.4g，而不是 1"
#define EM_EN_milestone_officer_only "%s is recorded by officers and admins"
#define EM_ZH_milestone_officer_only "%s 由主管部门人员和管理员记录"
#define EM_EN_no_plan "there is no funding plan yet"
#define EM_ZH_no_plan "尚未制定资金拨付计划"
#define EM_EN_tranche_index "the index of a tranche of the plan (0-%zu)"
#define EM_ZH_tranche_index "须是计划中某一笔的序号（0-%zu）"
#define EM_EN_tranche_released "tranche %zu was released already"
#define EM_ZH_tranche_released "第 %zu 笔已拨付"
#define EM_EN_contract_tranche_when "the contract tranche is released once awarded; it is %s"
#define EM_ZH_contract_tranche_when "签约款在榜单 awarded 后拨付；当前为 %s"
#define EM_EN_stage_tranche_waits "the stage-check tranche waits for a passed stage check"
#define EM_ZH_stage_tranche_waits "中期检查款须待中期检查通过后拨付"
#define EM_EN_acceptance_tranche_waits "the acceptance tranche waits for the acceptance"
#define EM_ZH_acceptance_tranche_waits "验收款须待验收通过后拨付"
#define EM_EN_stage_check_when "the stage check is made while in progress; it is %s"
#define EM_ZH_stage_check_when "榜单处于 in_progress 状态时才能进行中期检查；当前为 %s"
#define EM_EN_stage_check_once "the stage check was made already (at most one)"
#define EM_ZH_stage_check_once "已进行过中期检查（最多一次）"
#define EM_EN_stage_check_body "{\"passed\": true|false, \"note\": TEXT}"
#define EM_ZH_stage_check_body "须是 {\"passed\": true|false, \"note\": 文本}"
#define EM_EN_extension_when "an extension is granted while in progress; it is %s"
#define EM_ZH_extension_when "榜单处于 in_progress 状态时才能批准延期；当前为 %s"
#define EM_EN_extension_once "the extension was granted already (at most one)"
#define EM_ZH_extension_once "已批准过延期（最多一次）"
#define EM_EN_extension_body "{\"months\": 1-12, \"reason\": TEXT} (at most a year)"
#define EM_ZH_extension_body "须是 {\"months\": 1-12, \"reason\": 文本}（最多一年）"
#define EM_EN_milestone_step "plan, release, stage_check or extension"
#define EM_ZH_milestone_step "须是 plan、release、stage_check 或 extension"
/* keys (engine/keys.c) */
#define EM_EN_read_only "the engine is open read-only"
#define EM_ZH_read_only "引擎以只读方式打开"
#define EM_EN_must_be_role "must be one of admin, officer, enterprise, researcher"
#define EM_ZH_must_be_role "必须是 admin、officer、enterprise、researcher 之一"
#define EM_EN_key_needs_org "a %s key needs an org"
#define EM_ZH_key_needs_org "%s 密钥须指定机构"
#define EM_EN_too_long "too long"
#define EM_ZH_too_long "过长"
/* saved searches and match reviews (engine/watch.c) */
#define EM_EN_match_review_by_issuer "matches are reviewed by the issuer, officers and admins"
#define EM_ZH_match_review_by_issuer "匹配结果由发榜方、主管部门人员和管理员审阅"
#define EM_EN_match_review_unknown_field "unknown field (type, id, state, reason, note)"
#define EM_ZH_match_review_unknown_field "未知字段（可用：type、id、state、reason、note）"
#define EM_EN_match_review_target "the matched output, expert or org"
#define EM_ZH_match_review_target "须是匹配到的成果、专家或机构"
#define EM_EN_match_review_state "shortlisted, contacted or dismissed"
#define EM_ZH_match_review_state "须是 shortlisted、contacted 或 dismissed"
#define EM_EN_match_review_reason "a dismissal needs one of too_early, benefit_unclear, ip_conflict, no_capacity, other"
#define EM_ZH_match_review_reason "排除须给出原因：too_early、benefit_unclear、ip_conflict、no_capacity、other 之一"
#define EM_EN_match_review_no_reason "only a dismissal has a reason"
#define EM_ZH_match_review_no_reason "只有排除才需要原因"
#define EM_EN_match_review_note "a string of up to 2000 bytes"
#define EM_ZH_match_review_note "须是不超过 2000 字节的字符串"
#define EM_EN_no_saved_search "no saved search '%s'"
#define EM_ZH_no_saved_search "没有保存的检索 '%s'"
/* search, match, suggest (engine/search.c, match.c, suggest.c) */
#define EM_EN_open_needs_today "needs today's date"
#define EM_ZH_open_needs_today "需要今天的日期"
#define EM_EN_unknown_sort "unknown order"
#define EM_ZH_unknown_sort "未知的排序方式"
#define EM_EN_limit_range "must be from 1 to %d"
#define EM_ZH_limit_range "必须在 1 到 %d 之间"
#define EM_EN_match_kind "must be output, expert or org"
#define EM_ZH_match_kind "必须是 output、expert 或 org"
#define EM_EN_match_type "must be challenge, output, expert or org"
#define EM_ZH_match_type "必须是 challenge、output、expert 或 org"
#define EM_EN_no_index "there is no index yet (import records first)"
#define EM_ZH_no_index "尚无索引（请先导入记录）"
/* webhooks (engine/hooks.c) */
#define EM_EN_hook_unknown_field "unknown field (url, events, secret, active, challenge, min_score, saved, description)"
#define EM_ZH_hook_unknown_field "未知字段（可用：url、events、secret、active、challenge、min_score、saved、description）"
#define EM_EN_hook_url "an http:// or https:// URL with a host, printable ASCII, at most 2000 bytes"
#define EM_ZH_hook_url "须是带主机名的 http:// 或 https:// 地址，可打印 ASCII 字符，最多 2000 字节"
#define EM_EN_hook_events "a non-empty list of match.new, application.created, application.state, challenge.state, award, milestone.due"
#define EM_ZH_hook_events "须是非空列表，取值为 match.new、application.created、application.state、challenge.state、award、milestone.due"
#define EM_EN_hook_not_event "not an event (match.new, application.created, application.state, challenge.state, award, milestone.due)"
#define EM_ZH_hook_not_event "不是事件类型（match.new、application.created、application.state、challenge.state、award、milestone.due）"
#define EM_EN_hook_events_required "required (match.new, application.created, application.state, challenge.state, award, milestone.due)"
#define EM_ZH_hook_events_required "为必填项（match.new、application.created、application.state、challenge.state、award、milestone.due）"
#define EM_EN_no_challenge "no challenge '%s'"
#define EM_ZH_no_challenge "没有榜单 '%s'"
#define EM_EN_hook_no_saved "no saved search '%s' of the key that made the subscription"
#define EM_ZH_hook_no_saved "创建此订阅的密钥没有保存的检索 '%s'"
#define EM_EN_hook_min_score "a number from 0 to 100 (scores are 0-1 for outputs and experts)"
#define EM_ZH_hook_min_score "须是 0 到 100 之间的数（成果和专家的分数为 0-1）"
#define EM_EN_hook_description "a string of up to 200 bytes"
#define EM_ZH_hook_description "须是不超过 200 字节的字符串"
#define EM_EN_hook_active "true or false"
#define EM_ZH_hook_active "须是 true 或 false"
#define EM_EN_hook_secret_create_only "set on create only (make a new subscription to change it)"
#define EM_ZH_hook_secret_create_only "只能在创建时设置（如需更改，请新建订阅）"
#define EM_EN_hook_secret "16 to 200 printable ASCII characters without spaces"
#define EM_ZH_hook_secret "须是 16 到 200 个不含空格的可打印 ASCII 字符"
#define EM_EN_hook_match_new_needs "match.new needs the challenge whose match list it follows (with min_score), or a saved search (saved)"
#define EM_ZH_hook_match_new_needs "match.new 须指明所关注匹配列表的榜单（可附 min_score），或一个保存的检索（saved）"
#define EM_EN_hook_saved_or_challenge "follows a saved search; challenge a challenge's match list: name one of them"
#define EM_ZH_hook_saved_or_challenge "saved 关注保存的检索，challenge 关注榜单的匹配列表：二者只能选其一"
#define EM_EN_hook_only_match_new "only for match.new"
#define EM_ZH_hook_only_match_new "仅用于 match.new"
#define EM_EN_hook_who "webhooks belong to an org (enterprise and researcher keys) or to an officer or admin"
#define EM_ZH_hook_who "Webhook 属于机构（企业和科研人员密钥）或主管部门人员、管理员"
#define EM_EN_hook_no_org "a %s key without an org has no webhooks"
#define EM_ZH_hook_no_org "没有机构的 %s 密钥不能使用 Webhook"
#define EM_EN_no_webhook "no webhook '%s'"
#define EM_ZH_no_webhook "没有 Webhook '%s'"
/* record bodies of the HTTP API (api/body.c) */
#define EM_EN_body_object_required "a JSON object is required"
#define EM_ZH_body_object_required "需要 JSON 对象"
#define EM_EN_url_mismatch "'%.128s' does not match the URL ('%.128s'); it cannot be changed"
#define EM_ZH_url_mismatch "'%.128s' 与请求地址中的 '%.128s' 不一致；此项不可更改"
#define EM_EN_not_valid_utf8 "not valid UTF-8"
#define EM_ZH_not_valid_utf8 "不是有效的 UTF-8"

#define JB_EMSGS(X) \
  X(must_be_string, "") \
  X(must_not_be_empty, "") \
  X(too_short, "") \
  X(longer_than_chars, "i") \
  X(control_char, "u") \
  X(invalid_utf8, "") \
  X(int_range, "ii") \
  X(one_of, "s") \
  X(field_code_length, "") \
  X(not_field_code, "s") \
  X(must_be_digits, "") \
  X(not_region_prefix, "s") \
  X(not_region_code, "s") \
  X(must_be_date, "") \
  X(not_valid_date, "s") \
  X(id_too_long, "uu") \
  X(invalid_utf8_at, "u") \
  X(id_slash, "") \
  X(control_char_u, "uu") \
  X(id_backslash, "") \
  X(id_invisible, "uu") \
  X(id_dots, "") \
  X(too_many_refs, "i") \
  X(unknown_field_named, "s") \
  X(must_be_url, "") \
  X(must_be_lang, "") \
  X(not_lang, "s") \
  X(must_be_list, "") \
  X(too_many_items, "i") \
  X(must_be_ip, "") \
  X(must_be_indicators, "") \
  X(must_be_indicator, "") \
  X(is_required, "") \
  X(must_be_finite, "") \
  X(number_or_short_string, "") \
  X(must_be_funding, "") \
  X(amount_range, "") \
  X(must_be_currency, "") \
  X(must_be_eligibility, "") \
  X(must_be_org_kinds, "") \
  X(must_be_region_prefixes, "") \
  X(must_be_text_map, "") \
  X(key_length, "") \
  X(must_be_object, "") \
  X(must_be_type, "") \
  X(unknown_field_for_a, "s") \
  X(unknown_field_for_an, "s") \
  X(trl_below, "") \
  X(json_too_deep, "") \
  X(invalid_json, "is") \
  X(record_not_found, "ss") \
  X(unknown_ref, "ss") \
  X(referred_to, "sssss") \
  X(item_exists, "ss") \
  X(no_item, "ss") \
  X(no_active_key, "s") \
  X(no_key, "s") \
  X(takes_part, "sss") \
  X(lint_problem_required, "") \
  X(lint_indicator_no_number, "s") \
  X(lint_indicator_no_unit, "s") \
  X(lint_no_measurable, "") \
  X(lint_deadline_required, "") \
  X(lint_deadline_passed, "") \
  X(lint_deadline_close, "ii") \
  X(lint_funding_required, "") \
  X(lint_ip_terms_required, "") \
  X(not_ready_to_publish, "s") \
  X(challenge_not_found, "s") \
  X(not_a_state, "s") \
  X(transition_not_allowed, "sss") \
  X(transition_final, "ss") \
  X(transition_issuer_only, "ss") \
  X(transition_officer_only, "ss") \
  X(award_needs_winners, "") \
  X(no_tokenizer, "") \
  X(audit_missing, "i") \
  X(audit_out_of_order, "i") \
  X(audit_changed, "i") \
  X(audit_not_following, "ii") \
  X(audit_cut, "ii") \
  X(app_not_a_state, "s") \
  X(longer_than_bytes, "u") \
  X(note_too_long, "") \
  X(no_application, "s") \
  X(app_only_by_award, "ss") \
  X(app_move_not_allowed, "sss") \
  X(app_move_final, "ss") \
  X(app_move_applicant, "ss") \
  X(app_move_officer, "ss") \
  X(app_move_while_published, "ss") \
  X(app_move_while_open, "ss") \
  X(required, "") \
  X(non_empty_string, "") \
  X(app_unknown_field, "") \
  X(app_budget, "") \
  X(app_members_list, "") \
  X(app_members_max, "u") \
  X(no_org, "s") \
  X(member_is_lead, "") \
  X(listed_twice, "s") \
  X(app_submit_by_lead, "s") \
  X(app_not_published, "s") \
  X(app_deadline_passed, "s") \
  X(app_own_challenge, "s") \
  X(app_kind_not_admitted, "s") \
  X(app_region_not_admitted, "s") \
  X(no_expert, "s") \
  X(team_lead_not_member, "s") \
  X(app_exists, "s") \
  X(app_change_fields, "") \
  X(app_keeps_lead, "s") \
  X(app_change_by_lead, "s") \
  X(app_closed, "s") \
  X(reviewer_exists, "s") \
  X(assign_officer_only, "") \
  X(assign_while_open, "s") \
  X(coi_issuer, "s") \
  X(coi_consortium, "ss") \
  X(coi_team_lead, "s") \
  X(coi_shared_output, "ss") \
  X(recused_issuer, "ss") \
  X(recused_consortium, "sss") \
  X(recused_team_lead, "ss") \
  X(recused_shared_output, "sss") \
  X(comment_text, "") \
  X(comments_object, "") \
  X(not_a_criterion, "") \
  X(scores_while_reviewing, "s") \
  X(not_a_reviewer, "s") \
  X(app_withdrawn, "s") \
  X(score_by_reviewer, "") \
  X(scores_object, "s") \
  X(score_range, "fs") \
  X(winners_count, "u") \
  X(winner_not_open, "ss") \
  X(named_twice, "s") \
  X(no_award, "s") \
  X(plan_by_issuer, "") \
  X(plan_when_awarded, "s") \
  X(plan_set_already, "") \
  X(tranches_shape, "") \
  X(tranche_shape, "") \
  X(tranche_order, "s") \
  X(tranche_first, "f") \
  X(tranche_sum, "f") \
  X(milestone_officer_only, "s") \
  X(no_plan, "") \
  X(tranche_index, "u") \
  X(tranche_released, "u") \
  X(contract_tranche_when, "s") \
  X(stage_tranche_waits, "") \
  X(acceptance_tranche_waits, "") \
  X(stage_check_when, "s") \
  X(stage_check_once, "") \
  X(stage_check_body, "") \
  X(extension_when, "s") \
  X(extension_once, "") \
  X(extension_body, "") \
  X(milestone_step, "") \
  X(read_only, "") \
  X(must_be_role, "") \
  X(key_needs_org, "s") \
  X(too_long, "") \
  X(match_review_by_issuer, "") \
  X(match_review_unknown_field, "") \
  X(match_review_target, "") \
  X(match_review_state, "") \
  X(match_review_reason, "") \
  X(match_review_no_reason, "") \
  X(match_review_note, "") \
  X(no_saved_search, "s") \
  X(open_needs_today, "") \
  X(unknown_sort, "") \
  X(limit_range, "i") \
  X(match_kind, "") \
  X(match_type, "") \
  X(no_index, "") \
  X(hook_unknown_field, "") \
  X(hook_url, "") \
  X(hook_events, "") \
  X(hook_not_event, "") \
  X(hook_events_required, "") \
  X(no_challenge, "s") \
  X(hook_no_saved, "s") \
  X(hook_min_score, "") \
  X(hook_description, "") \
  X(hook_active, "") \
  X(hook_secret_create_only, "") \
  X(hook_secret, "") \
  X(hook_match_new_needs, "") \
  X(hook_saved_or_challenge, "") \
  X(hook_only_match_new, "") \
  X(hook_who, "") \
  X(hook_no_org, "s") \
  X(no_webhook, "s") \
  X(body_object_required, "") \
  X(url_mismatch, "ss") \
  X(not_valid_utf8, "")

#endif
