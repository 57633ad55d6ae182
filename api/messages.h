/* SPDX-License-Identifier: GPL-3.0-or-later */
/* messages.h: THE message catalogue of the HTTP API — every message our
 * code writes into a problem's detail, by id, in English and Chinese. A
 * message is two printf formats, MSG_EN_<ID> and MSG_ZH_<ID>, taking the
 * same arguments; JB_MESSAGES lists the ids. JB_FAILM / jb__failm (request.h)
 * and server.c's reply_msg render one in the request's language; through
 * JB_MSG_CHECK the compiler checks the arguments of every use against BOTH
 * formats. Pure; internal to api/. Messages the engine writes (record
 * validation, lint findings, lifecycle refusals) have their own catalogue,
 * engine/emsg.h, rendered by jb__engine_fail (docs/api.md, "Languages"). */
#ifndef JB_MESSAGES_H
#define JB_MESSAGES_H

#include <stdarg.h>
#include <stdio.h>

#include "api/problem.h"

/* routing, authentication, roles */
#define MSG_EN_NO_ROUTE "no such route"
#define MSG_ZH_NO_ROUTE "没有这个路由"
#define MSG_EN_BAD_PATH "the path is not valid"
#define MSG_ZH_BAD_PATH "路径无效"
#define MSG_EN_METHOD "%s is not allowed here (allowed: %s)"
#define MSG_ZH_METHOD "此处不允许 %s（允许：%s）"
#define MSG_EN_NO_KEY "an API key is required: Authorization: Bearer <key>"
#define MSG_ZH_NO_KEY "需要 API 密钥：Authorization: Bearer <key>"
#define MSG_EN_BAD_AUTH "the Authorization header must be 'Bearer <key>'"
#define MSG_ZH_BAD_AUTH "Authorization 请求头必须是 'Bearer <key>'"
#define MSG_EN_BAD_KEY "the API key is not valid (unknown, revoked or mistyped)"
#define MSG_ZH_BAD_KEY "API 密钥无效（不存在、已吊销或输入有误）"
#define MSG_EN_ADMIN_ONLY "%s %s is for admin keys only"
#define MSG_ZH_ADMIN_ONLY "%s %s 仅限管理员密钥"
#define MSG_EN_STAFF_ONLY "%s %s is for officers and admins"
#define MSG_ZH_STAFF_ONLY "%s %s 仅限主管部门人员和管理员"
/* parameters and bodies */
#define MSG_EN_UNKNOWN_PARAM "%s: unknown parameter"
#define MSG_ZH_UNKNOWN_PARAM "%s: 未知参数"
#define MSG_EN_BAD_NUMBER "%s: must be a whole number from %lld to %lld"
#define MSG_ZH_BAD_NUMBER "%s: 必须是 %lld 到 %lld 之间的整数"
#define MSG_EN_BAD_BOOL "%s: must be true or false"
#define MSG_ZH_BAD_BOOL "%s: 必须是 true 或 false"
#define MSG_EN_BODY_REQUIRED "body: %s is required (no NUL bytes)"
#define MSG_ZH_BODY_REQUIRED "body: 需要 %s（不得含 NUL 字节）"
#define MSG_EN_DELETE_BODY "DELETE takes no body"
#define MSG_ZH_DELETE_BODY "DELETE 不接受请求体"
#define MSG_EN_STATUS_ROUTE "status: changes only through POST /v1/challenges/%s/status (it is %s; next: %s)"
#define MSG_ZH_STATUS_ROUTE "status: 只能通过 POST /v1/challenges/%s/status 修改（当前 %s；下一步：%s）"
/* records */
#define MSG_EN_NOT_FOUND "%s '%s' not found"
#define MSG_ZH_NOT_FOUND "未找到 %s '%s'"
#define MSG_EN_CHALLENGE_NOT_FOUND "challenge '%s' not found"
#define MSG_ZH_CHALLENGE_NOT_FOUND "未找到榜单 '%s'"
#define MSG_EN_EXISTS "%s '%s' exists (PUT or PATCH /v1/%ss/%s changes it)"
#define MSG_ZH_EXISTS "%s '%s' 已存在（用 PUT 或 PATCH /v1/%ss/%s 修改）"
#define MSG_EN_NO_SAVED "no saved search '%s'"
#define MSG_ZH_NO_SAVED "没有保存的检索 '%s'"
/* lifecycle and key handlers (h_lifecycle.c, h_keys.c) */
#define MSG_EN_TRANSITION_BODY_REQUIRED "body: {\"to\": STATE, \"note\": TEXT} is required"
#define MSG_ZH_TRANSITION_BODY_REQUIRED "body: 需要 {\"to\": 状态, \"note\": 文本}"
#define MSG_EN_TRANSITION_BODY "body: {\"to\": STATE, \"note\": TEXT, \"winners\": [lead orgs] (awarded only)}"
#define MSG_ZH_TRANSITION_BODY "body: 须是 {\"to\": 状态, \"note\": 文本, \"winners\": [牵头单位]（仅用于 awarded）}"
#define MSG_EN_OBJECT_REQUIRED "body: a JSON object is required"
#define MSG_ZH_OBJECT_REQUIRED "body: 需要 JSON 对象"
#define MSG_EN_REVIEWER_BODY "body: {\"expert\": ID}"
#define MSG_ZH_REVIEWER_BODY "body: 须是 {\"expert\": 标识}"
#define MSG_EN_SCORE_BODY "body: {\"lead_org\": ID, \"reviewer\": EXPERT, \"scores\": {...}, \"comment\": TEXT, \"comments\": {criterion: TEXT}}"
#define MSG_ZH_SCORE_BODY "body: 须是 {\"lead_org\": 标识, \"reviewer\": 专家, \"scores\": {...}, \"comment\": 文本, \"comments\": {评审指标: 文本}}"
#define MSG_EN_RANKING_STAFF "the ranking is for the issuer, officers and admins"
#define MSG_ZH_RANKING_STAFF "排名仅限发榜方、主管部门人员和管理员查看"
#define MSG_EN_NO_APPLICATION_OF "no application led by '%s' to challenge '%s'"
#define MSG_ZH_NO_APPLICATION_OF "'%s' 未申报榜单 '%s'"
#define MSG_EN_APP_STATUS_BODY "body: {\"to\": withdrawn | shortlisted | submitted, \"note\": TEXT}"
#define MSG_ZH_APP_STATUS_BODY "body: 须是 {\"to\": withdrawn | shortlisted | submitted, \"note\": 文本}"
#define MSG_EN_REVIEWERS_STAFF "the reviewers are listed for the issuer, officers and admins"
#define MSG_ZH_REVIEWERS_STAFF "评审专家名单仅限发榜方、主管部门人员和管理员查看"
#define MSG_EN_NO_AWARD_YET "challenge '%s' has no award yet"
#define MSG_ZH_NO_AWARD_YET "榜单 '%s' 尚无揭榜结果"
#define MSG_EN_MILESTONES_STAFF "the milestones are for the issuer, officers and admins"
#define MSG_ZH_MILESTONES_STAFF "里程碑仅限发榜方、主管部门人员和管理员查看"
#define MSG_EN_NO_STEP "no such milestone step (plan, release, stage_check, extension)"
#define MSG_ZH_NO_STEP "没有这个里程碑步骤（plan、release、stage_check、extension）"
#define MSG_EN_KEY_BODY_REQUIRED "body: {\"role\": ..., \"org\": ...} is required"
#define MSG_ZH_KEY_BODY_REQUIRED "body: 需要 {\"role\": ..., \"org\": ...}"
#define MSG_EN_KEY_UNKNOWN_FIELD "%s: unknown field (role, org)"
#define MSG_ZH_KEY_UNKNOWN_FIELD "%s: 未知字段（可用：role、org）"
#define MSG_EN_KEY_FIELDS "role: required string; org: string"
#define MSG_ZH_KEY_FIELDS "role: 必填的字符串；org: 字符串"
#define MSG_EN_NO_ACTIVE_KEY "no active key '%s'"
#define MSG_ZH_NO_ACTIVE_KEY "没有有效的密钥 '%s'"
#define MSG_EN_NO_KEY_ID "no key '%s'"
#define MSG_ZH_NO_KEY_ID "没有密钥 '%s'"
/* saved searches, statistics (h_misc.c), matches (h_match.c) */
#define MSG_EN_SAVED_BODY_REQUIRED "body: {\"search\": {...}} or {\"match\": {...}}"
#define MSG_ZH_SAVED_BODY_REQUIRED "body: 须是 {\"search\": {...}} 或 {\"match\": {...}}"
#define MSG_EN_SAVED_BODY "body: one of {\"search\": {\"q\", \"type\"}} or {\"match\": {\"type\", \"id\", \"kind\"}}, and a \"name\""
#define MSG_ZH_SAVED_BODY "body: 须是 {\"search\": {\"q\", \"type\"}} 或 {\"match\": {\"type\", \"id\", \"kind\"}} 之一，可附 \"name\""
#define MSG_EN_SAVED_NAME "name: a string of up to 200 bytes"
#define MSG_ZH_SAVED_NAME "name: 须是不超过 200 字节的字符串"
#define MSG_EN_SAVED_SEARCH "search: {\"q\": TEXT, \"type\": org|expert|output|challenge}"
#define MSG_ZH_SAVED_SEARCH "search: 须是 {\"q\": 文本, \"type\": org|expert|output|challenge}"
#define MSG_EN_SAVED_MATCH "match: {\"type\": challenge|output|expert|org, \"id\": ID, \"kind\": output|expert|org}"
#define MSG_ZH_SAVED_MATCH "match: 须是 {\"type\": challenge|output|expert|org, \"id\": 标识, \"kind\": output|expert|org}"
#define MSG_EN_SAVED_MATCH_NOT_FOUND "match: %s '%s' not found"
#define MSG_ZH_SAVED_MATCH_NOT_FOUND "match: 未找到 %s '%s'"
#define MSG_EN_STATS_STAFF "the statistics are for officers and admins"
#define MSG_ZH_STATS_STAFF "统计数据仅限主管部门人员和管理员查看"
#define MSG_EN_NO_RANDOM "no randomness for an id"
#define MSG_ZH_NO_RANDOM "暂时无法生成随机标识"
#define MSG_EN_MATCH_DEPTH "cursor: matches are ranked 100 deep"
#define MSG_ZH_MATCH_DEPTH "cursor: 匹配结果最多排到第 100 名"
#define MSG_EN_MATCH_KIND "kind: must be output, expert or org"
#define MSG_ZH_MATCH_KIND "kind: 必须是 output、expert 或 org"
#define JB_MESSAGES_HANDLERS(X)                                                                 \
  X(TRANSITION_BODY_REQUIRED) X(TRANSITION_BODY) X(OBJECT_REQUIRED) X(REVIEWER_BODY)             \
  X(SCORE_BODY) X(RANKING_STAFF) X(NO_APPLICATION_OF) X(APP_STATUS_BODY) X(REVIEWERS_STAFF)     \
  X(NO_AWARD_YET) X(MILESTONES_STAFF) X(NO_STEP) X(KEY_BODY_REQUIRED) X(KEY_UNKNOWN_FIELD)      \
  X(KEY_FIELDS) X(NO_ACTIVE_KEY) X(NO_KEY_ID) X(SAVED_BODY_REQUIRED) X(SAVED_BODY) X(SAVED_NAME) \
  X(SAVED_SEARCH) X(SAVED_MATCH) X(SAVED_MATCH_NOT_FOUND) X(STATS_STAFF) X(NO_RANDOM)            \
  X(MATCH_DEPTH) X(MATCH_KIND)

/* record lists and search parameters (h_records.c), saved searches' runs (h_misc.c) */
#define MSG_EN_LIST_SORT "sort: id or newest"
#define MSG_ZH_LIST_SORT "sort: 须是 id 或 newest"
#define MSG_EN_SEARCH_SORT "sort: relevance, deadline, funding or newest"
#define MSG_ZH_SEARCH_SORT "sort: 须是 relevance、deadline、funding 或 newest"
#define MSG_EN_BAD_AMOUNT "%s: a non-negative number"
#define MSG_ZH_BAD_AMOUNT "%s: 须是非负数"
#define MSG_EN_BAD_STATUS_FILTER "status: not a challenge status (docs/lifecycle.md)"
#define MSG_ZH_BAD_STATUS_FILTER "status: 不是榜单状态（见 docs/lifecycle.md）"
#define MSG_EN_BAD_REGION_FILTER "region: a region code prefix of 2, 4 or 6 digits"
#define MSG_ZH_BAD_REGION_FILTER "region: 须是 2、4 或 6 位数字的地区代码前缀"
#define MSG_EN_BAD_FIELD_FILTER "field: a field code"
#define MSG_ZH_BAD_FIELD_FILTER "field: 须是领域代码"
#define MSG_EN_BAD_ORG_KIND_FILTER "org_kind: an org kind"
#define MSG_ZH_BAD_ORG_KIND_FILTER "org_kind: 须是机构类型"
#define MSG_EN_BAD_DATE_PARAM "%s: an RFC 3339 date (YYYY-MM-DD)"
#define MSG_ZH_BAD_DATE_PARAM "%s: 须是 RFC 3339 日期（YYYY-MM-DD）"
#define MSG_EN_DEADLINE_ORDER "deadline_from: after deadline_to"
#define MSG_ZH_DEADLINE_ORDER "deadline_from: 晚于 deadline_to"
#define MSG_EN_FUNDING_ORDER "funding_min: above funding_max"
#define MSG_ZH_FUNDING_ORDER "funding_min: 大于 funding_max"
#define MSG_EN_Q_REQUIRED "q: required"
#define MSG_ZH_Q_REQUIRED "q: 必填"
#define MSG_EN_Q_TOO_LONG "q: longer than %zu characters (limits.query_chars)"
#define MSG_ZH_Q_TOO_LONG "q: 超过 %zu 个字符（limits.query_chars）"
#define MSG_EN_Q_TOO_MANY "q: more than %zu words (limits.query_terms)"
#define MSG_ZH_Q_TOO_MANY "q: 超过 %zu 个词（limits.query_terms）"
#define MSG_EN_AWARD_READ_ONLY                                                                  \
  "award: read-only, made by the award (POST /v1/challenges/%s/status {\"to\": \"awarded\", "   \
  "\"winners\"}); send it back as read or leave it out"
#define MSG_ZH_AWARD_READ_ONLY                                                                  \
  "award: 只读，由揭榜结果生成（POST /v1/challenges/%s/status {\"to\": \"awarded\", "           \
  "\"winners\"}）；请按读取时原样传回或省略"
#define MSG_EN_NOT_ALLOWED "not allowed"
#define MSG_ZH_NOT_ALLOWED "不允许"
#define MSG_EN_CHANGED_WHILE_CHECKED "%s '%s' changed while this request was checked; try again"
#define MSG_ZH_CHANGED_WHILE_CHECKED "%s '%s' 在本请求检查期间被修改，请重试"
#define MSG_EN_SAVED_GONE "the saved query's record is gone: %s '%s' no longer exists or is not visible to this key"
#define MSG_ZH_SAVED_GONE "保存的检索所指记录已不存在：%s '%s' 已删除或此密钥不再可见"
#define MSG_EN_INTERNAL_ERROR "internal error"
#define MSG_ZH_INTERNAL_ERROR "内部错误"
#define MSG_EN_REINDEX_THREAD "internal error: the reindex thread could not start"
#define MSG_ZH_REINDEX_THREAD "内部错误：无法启动重建索引线程"
#define MSG_EN_HOOK_SECRET_NOTE "the secret is shown once: keep it to verify the signatures (docs/webhooks.md)"
#define MSG_ZH_HOOK_SECRET_NOTE "密钥只显示这一次：请妥善保存，用于验证签名（见 docs/webhooks.md）"
/* record writes refused by role (api/authz.c) */
#define MSG_EN_AUTHZ_DELETE_DRAFT "only a draft is deleted; a published challenge is cancelled or closed with POST /v1/challenges/{id}/status"
#define MSG_ZH_AUTHZ_DELETE_DRAFT "只能删除草稿；已发布的榜单请用 POST /v1/challenges/{id}/status 撤销或关闭"
#define MSG_EN_AUTHZ_KIND_REGION "kind and region: set by officers and admins, not by the org's own keys"
#define MSG_ZH_AUTHZ_KIND_REGION "kind 与 region：由主管部门人员和管理员设置，机构自己的密钥不能修改"
#define MSG_EN_AUTHZ_ORG_UPDATE "only the org itself, officers and admins change an org record"
#define MSG_ZH_AUTHZ_ORG_UPDATE "只有机构本身、主管部门人员和管理员可以修改机构记录"
#define MSG_EN_AUTHZ_ORG_CREATE "only officers and admins create or delete orgs"
#define MSG_ZH_AUTHZ_ORG_CREATE "只有主管部门人员和管理员可以创建或删除机构"
#define MSG_EN_AUTHZ_ENTERPRISE_TYPES "an enterprise key writes challenges only"
#define MSG_ZH_AUTHZ_ENTERPRISE_TYPES "企业密钥只能写入榜单"
#define MSG_EN_AUTHZ_RESEARCHER_TYPES "a researcher key writes outputs and experts only"
#define MSG_ZH_AUTHZ_RESEARCHER_TYPES "科研机构密钥只能写入成果和专家"
#define MSG_EN_AUTHZ_OTHER_ORG "the record belongs to another org"
#define MSG_ZH_AUTHZ_OTHER_ORG "该记录属于其他机构"
#define MSG_EN_AUTHZ_OWN_ORG "org: must be the key's own org"
#define MSG_ZH_AUTHZ_OWN_ORG "org: 必须是密钥所属的机构"
#define JB_MESSAGES_AUTHZ(X)                                                                    \
  X(AUTHZ_DELETE_DRAFT) X(AUTHZ_KIND_REGION) X(AUTHZ_ORG_UPDATE) X(AUTHZ_ORG_CREATE)           \
  X(AUTHZ_ENTERPRISE_TYPES) X(AUTHZ_RESEARCHER_TYPES) X(AUTHZ_OTHER_ORG) X(AUTHZ_OWN_ORG)
#define JB_MESSAGES_SEARCH(X)                                                                   \
  X(LIST_SORT) X(SEARCH_SORT) X(BAD_AMOUNT) X(BAD_STATUS_FILTER) X(BAD_REGION_FILTER)          \
  X(BAD_FIELD_FILTER) X(BAD_ORG_KIND_FILTER) X(BAD_DATE_PARAM) X(DEADLINE_ORDER)               \
  X(FUNDING_ORDER) X(Q_REQUIRED) X(Q_TOO_LONG) X(Q_TOO_MANY) X(AWARD_READ_ONLY) X(NOT_ALLOWED) \
  X(CHANGED_WHILE_CHECKED) X(SAVED_GONE) X(INTERNAL_ERROR) X(REINDEX_THREAD) X(HOOK_SECRET_NOTE)

/* the server */
#define MSG_EN_STORE_BUSY "the store is busy; try again"
#define MSG_ZH_STORE_BUSY "存储繁忙，请重试"
#define MSG_EN_INDEX_STALE "the index moved on while it was read (many writes at once); try again"
#define MSG_ZH_INDEX_STALE "读取期间索引已更新（同时写入过多），请重试"
#define MSG_EN_INTERNAL "internal error (%s)"
#define MSG_ZH_INTERNAL "内部错误（%s）"
#define MSG_EN_NO_READER "the store cannot be read right now"
#define MSG_ZH_NO_READER "存储暂时无法读取"
#define MSG_EN_WAIT_SEQ "the index has applied change %lld, not yet %lld (waited %u ms); retry"
#define MSG_ZH_WAIT_SEQ "索引已应用到第 %lld 号变更，尚未到 %lld（已等待 %u 毫秒），请重试"
#define MSG_EN_NO_MEMORY "out of memory"
#define MSG_ZH_NO_MEMORY "内存不足"
#define MSG_EN_STOPPING "the server is shutting down"
#define MSG_ZH_STOPPING "服务器正在关闭"
#define MSG_EN_NO_QUEUE "cannot queue the request"
#define MSG_ZH_NO_QUEUE "无法排队处理该请求"
/* limits */
#define MSG_EN_URL_TOO_LONG "the request target is longer than limits.url_bytes"
#define MSG_ZH_URL_TOO_LONG "请求地址超过 limits.url_bytes"
#define MSG_EN_PATH_TOO_LONG "the path is too long"
#define MSG_ZH_PATH_TOO_LONG "路径过长"
#define MSG_EN_HEADERS_TOO_LARGE "the request headers are larger than limits.header_bytes"
#define MSG_ZH_HEADERS_TOO_LARGE "请求头超过 limits.header_bytes"
#define MSG_EN_BAD_HEADER_NAME "a header name is not a token (RFC 9110)"
#define MSG_ZH_BAD_HEADER_NAME "请求头名称不是合法的 token（RFC 9110）"
#define MSG_EN_CL_AND_TE "conflicting Content-Length and Transfer-Encoding headers"
#define MSG_ZH_CL_AND_TE "Content-Length 与 Transfer-Encoding 请求头冲突"
#define MSG_EN_ONLY_CHUNKED "only the chunked transfer coding is accepted"
#define MSG_ZH_ONLY_CHUNKED "只接受 chunked 传输编码"
#define MSG_EN_BAD_CL "Content-Length is not a number"
#define MSG_ZH_BAD_CL "Content-Length 不是数字"
#define MSG_EN_BODY_TOO_LARGE "the body is larger than limits.body_bytes"
#define MSG_ZH_BODY_TOO_LARGE "请求体超过 limits.body_bytes"
#define MSG_EN_JSON_ONLY "Content-Type must be application/json"
#define MSG_ZH_JSON_ONLY "Content-Type 必须是 application/json"
#define MSG_EN_PATCH_TYPE "Content-Type must be application/merge-patch+json or application/json"
#define MSG_ZH_PATCH_TYPE "Content-Type 必须是 application/merge-patch+json 或 application/json"
/* conditional requests (h_precond.c) and pages (h_page.c) */
#define MSG_EN_BAD_IF_MATCH "If-Match: not \"*\" nor a list of entity tags (RFC 9110 13.1.1)"
#define MSG_ZH_BAD_IF_MATCH "If-Match: 既不是 \"*\" 也不是实体标签列表（RFC 9110 13.1.1）"
#define MSG_EN_BAD_IF_NONE_MATCH "If-None-Match: not \"*\" nor a list of entity tags (RFC 9110 13.1.2)"
#define MSG_ZH_BAD_IF_NONE_MATCH "If-None-Match: 既不是 \"*\" 也不是实体标签列表（RFC 9110 13.1.2）"
#define MSG_EN_STALE_ETAG "If-Match: the record changed since; its current ETag is %s (GET it again)"
#define MSG_ZH_STALE_ETAG "If-Match: 记录已被修改，当前 ETag 为 %s（请重新 GET）"
#define MSG_EN_NO_RECORD_MATCH "If-Match: there is no such record"
#define MSG_ZH_NO_RECORD_MATCH "If-Match: 没有这条记录"
#define MSG_EN_RECORD_EXISTS "If-None-Match: the record exists (ETag %s)"
#define MSG_ZH_RECORD_EXISTS "If-None-Match: 记录已存在（ETag %s）"
#define MSG_EN_NONE_MATCH_FAILED "If-None-Match: precondition failed"
#define MSG_ZH_NONE_MATCH_FAILED "If-None-Match: 前提条件不满足"
#define MSG_EN_BAD_CURSOR "cursor: not a cursor of this list (pass next_cursor back as it came)"
#define MSG_ZH_BAD_CURSOR "cursor: 不是此列表的游标（请原样传回 next_cursor）"
#define MSG_EN_NO_BODY "this method takes no body"
#define MSG_ZH_NO_BODY "此方法不接受请求体"
#define MSG_EN_KEY_RATE "this API key is over limits.key_requests_per_minute"
#define MSG_ZH_KEY_RATE "此 API 密钥超过了 limits.key_requests_per_minute"
#define MSG_EN_BUSY "too many search and match requests at once: try again later"
#define MSG_ZH_BUSY "同时进行的检索与匹配请求过多，请稍后重试"

/* the live reindex (api/h_admin.c) */
#define MSG_EN_REINDEX_RUNNING "a reindex is already running (to %s, since %s): GET /v1/admin/reindex follows it"
#define MSG_ZH_REINDEX_RUNNING "已有重建索引在运行（目标 %s，开始于 %s）：用 GET /v1/admin/reindex 查看进度"
#define MSG_EN_REINDEX_START "the reindex could not start: %s"
#define MSG_ZH_REINDEX_START "无法开始重建索引：%s"
/* spreadsheets (api/h_sheets.c, precheck.c) */
#define MSG_EN_BAD_FORMAT "format: must be json, csv or xlsx"
#define MSG_ZH_BAD_FORMAT "format: 须是 json、csv 或 xlsx"
#define MSG_EN_SHEET_FAILED "the spreadsheet could not be made"
#define MSG_ZH_SHEET_FAILED "无法生成表格"
#define MSG_EN_XLSX_CELL "%s: longer than the 32,767 characters an Excel cell holds (ask for format=csv)"
#define MSG_ZH_XLSX_CELL "%s：超过 Excel 单元格可容纳的 32,767 个字符（请改用 format=csv）"
#define MSG_EN_IMPORT_ENCODING "encoding: '%s' is not UTF-8, GB18030, GBK, GB2312, UTF-16LE or UTF-16BE"
#define MSG_ZH_IMPORT_ENCODING "encoding: '%s' 不是 UTF-8、GB18030、GBK、GB2312、UTF-16LE 或 UTF-16BE"
#define MSG_EN_IMPORT_TYPE "type: must be org, expert, output or challenge"
#define MSG_ZH_IMPORT_TYPE "type: 须是 org、expert、output 或 challenge"
#define MSG_EN_IMPORT_CSV_ONLY "%s: only for a CSV body (Content-Type: text/csv)"
#define MSG_ZH_IMPORT_CSV_ONLY "%s: 仅用于 CSV 请求体（Content-Type: text/csv）"
#define MSG_EN_IMPORT_EMPTY "the body is empty: send NDJSON or CSV records"
#define MSG_ZH_IMPORT_EMPTY "请求体为空：请发送 NDJSON 或 CSV 记录"
#define MSG_EN_IMPORT_CANNOT "nothing was imported: %s"
#define MSG_ZH_IMPORT_CANNOT "未导入任何记录：%s"
#define MSG_EN_IMPORT_STOPPED "the import stopped: %s"
#define MSG_ZH_IMPORT_STOPPED "导入中止：%s"
#define MSG_EN_IMPORT_MEDIA "Content-Type must be text/csv, application/x-ndjson or application/json"
#define MSG_ZH_IMPORT_MEDIA "Content-Type 必须是 text/csv、application/x-ndjson 或 application/json"
#define JB_MESSAGES_SHEETS(X)                                                                   \
  X(BAD_FORMAT) X(SHEET_FAILED) X(XLSX_CELL) X(IMPORT_ENCODING) X(IMPORT_TYPE)                 \
  X(IMPORT_CSV_ONLY) X(IMPORT_EMPTY) X(IMPORT_CANNOT) X(IMPORT_STOPPED) X(IMPORT_MEDIA)

/* webhook targets (api/netguard.c): the url's parts and the address check */
#define MSG_EN_URL_SCHEME "url: only http:// and https:// URLs"
#define MSG_ZH_URL_SCHEME "url：只接受 http:// 与 https:// 地址"
#define MSG_EN_URL_CHARS "url: spaces, control and non-ASCII characters are not allowed (percent-encode them)"
#define MSG_ZH_URL_CHARS "url：不允许空格、控制字符与非 ASCII 字符（请做百分号编码）"
#define MSG_EN_URL_USERINFO "url: user information ('@') is not allowed"
#define MSG_ZH_URL_USERINFO "url：不允许包含用户信息（'@'）"
#define MSG_EN_URL_V6_OPEN "url: an IPv6 address without its ']'"
#define MSG_ZH_URL_V6_OPEN "url：IPv6 地址缺少 ']'"
#define MSG_EN_URL_V6_TRAIL "url: characters after the IPv6 address"
#define MSG_ZH_URL_V6_TRAIL "url：IPv6 地址之后有多余字符"
#define MSG_EN_URL_HOST_LONG "url: the host is too long"
#define MSG_ZH_URL_HOST_LONG "url：主机名过长"
#define MSG_EN_URL_HOST_MISSING "url: the host is missing"
#define MSG_ZH_URL_HOST_MISSING "url：缺少主机名"
#define MSG_EN_URL_PORT "url: a port of 1 to 65535 after ':'"
#define MSG_ZH_URL_PORT "url：':' 之后须是 1 到 65535 的端口"
#define MSG_EN_URL_NO_RESOLVE "url: the host '%s' does not resolve (%s)"
#define MSG_ZH_URL_NO_RESOLVE "url：主机 '%s' 无法解析（%s）"
#define MSG_EN_URL_FORBIDDEN                                                                    \
  "url: the address %s of '%s' is not an allowed webhook target (webhooks.allow: loopback by "   \
  "default; private, link-local and metadata addresses only when the admin allows them)"
#define MSG_ZH_URL_FORBIDDEN                                                                    \
  "url：地址 %s（主机 '%s'）不是允许的 Webhook 目标（webhooks.allow：默认仅回环地址；私有、"   \
  "链路本地与元数据地址须由管理员允许）"
#define JB_MESSAGES_URL(X)                                                                      \
  X(URL_SCHEME) X(URL_CHARS) X(URL_USERINFO) X(URL_V6_OPEN) X(URL_V6_TRAIL) X(URL_HOST_LONG)   \
  X(URL_HOST_MISSING) X(URL_PORT) X(URL_NO_RESOLVE) X(URL_FORBIDDEN)

#define JB_MESSAGES(X)                                                                          \
  JB_MESSAGES_HANDLERS(X)                                                                       \
  JB_MESSAGES_SHEETS(X)                                                                         \
  JB_MESSAGES_URL(X)                                                                            \
  JB_MESSAGES_SEARCH(X)                                                                         \
  JB_MESSAGES_AUTHZ(X)                                                                          \
  X(NO_ROUTE) X(BAD_PATH) X(METHOD) X(NO_KEY) X(BAD_AUTH) X(BAD_KEY) X(ADMIN_ONLY)             \
  X(STAFF_ONLY) X(UNKNOWN_PARAM) X(BAD_NUMBER) X(BAD_BOOL) X(BODY_REQUIRED)         \
  X(DELETE_BODY) X(STATUS_ROUTE) X(NOT_FOUND) X(CHALLENGE_NOT_FOUND) X(EXISTS) X(NO_SAVED)      \
  X(STORE_BUSY) X(INDEX_STALE) X(INTERNAL) X(NO_READER) X(WAIT_SEQ) X(NO_MEMORY) X(STOPPING)    \
  X(NO_QUEUE) X(URL_TOO_LONG) X(PATH_TOO_LONG) X(HEADERS_TOO_LARGE) X(BAD_HEADER_NAME)          \
  X(CL_AND_TE) X(ONLY_CHUNKED) X(BAD_CL) X(BODY_TOO_LARGE) X(JSON_ONLY) X(NO_BODY) X(KEY_RATE)  \
  X(BUSY) X(PATCH_TYPE) X(BAD_IF_MATCH) X(BAD_IF_NONE_MATCH) X(STALE_ETAG) X(NO_RECORD_MATCH)  \
  X(RECORD_EXISTS) X(NONE_MATCH_FAILED) X(BAD_CURSOR) X(REINDEX_RUNNING) X(REINDEX_START)

typedef enum {
#define JB_MSG_ENUM(ID) M_##ID,
  JB_MESSAGES(JB_MSG_ENUM)
#undef JB_MSG_ENUM
  M_COUNT
} jb_msg;

/* Compile-time check of a use: the arguments against both formats (never
 * evaluated). */
#define JB_MSG_CHECK(ID, ...)                                                                   \
  ((void)sizeof(printf(MSG_EN_##ID, ##__VA_ARGS__)), (void)sizeof(printf(MSG_ZH_##ID, ##__VA_ARGS__)))

/* The printf format of message m in lang (static), or NULL for an id out of
 * range. */
const char *jb_msg_format(jb_msg m, jb_lang lang);

/* The message's id as text ("NO_ROUTE"; static), NULL out of range. */
const char *jb_msg_name(jb_msg m);

/* Renders message m in lang into buf (cap bytes, NUL-terminated, cut at
 * cap): vsnprintf's result. Use it through a checked macro (JB_FAILM). */
int jb_msg_vformat(char *buf, size_t cap, jb_msg m, jb_lang lang, va_list ap);

#endif
