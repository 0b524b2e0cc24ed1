# ruff: noqa: E501  (a catalogue: one operation a line reads better than wrapped strings)
"""The API document's words in Simplified Chinese, keyed by operationId (`<blueprint>_<view>_<method>`).

The English words stay where the operation is declared (`@operation("English summary", ...)`);
here are their Chinese words, in the field's terms the pages use (场站 hub, 车位 dock, 时段 slot,
车次 load, 接驳 relay, 白名单 white-list, 入场登记 check-in). A new operation without its words
fails tests/api/test_docs_language.py. Below them: the document's shared words (title, roles,
statuses, tags) and the docs page's own words, in both languages, and the lookups that say
each in a language ("zh-CN" or "en"; a missing Chinese word falls back to the English).
"""

from __future__ import annotations

from api.web.i18n import translator

SUMMARIES: dict[str, str] = {
    "activations_activate_post": "启用备用场站并以最小变动重新排程：返回 202 及排程任务",
    "activations_history_get": "启用记录",
    "audit_list_audit_get": "操作日志，最新的在前",
    "docs_docs_page_get": "浏览 OpenAPI 文档的页面",
    "docs_openapi_json_get": "本 API 的 OpenAPI 3 文档",
    "enterprises_list_enterprises_get": "企业列表",
    "enterprises_create_enterprise_post": "新增企业",
    "enterprises_get_enterprise_get": "查看单个企业",
    "enterprises_patch_enterprise_patch": "修改企业的白名单标记、等级或有效期",
    "hubs_list_hubs_get": "场站列表",
    "hubs_create_hub_post": "新增场站",
    "hubs_get_hub_get": "查看单个场站",
    "hubs_patch_hub_patch": "修改场站的名称、类型、温区、车位、开放时间或消杀设置",
    "hubs_add_blocked_window_post": "在一段时间内封闭某个车位、温区或整个场站",
    "hubs_delete_blocked_window_delete": "解除封闭时段",
    "hubs_set_status_post": "将场站切换为运行、备用或停用并说明原因；可同时重新排程",
    "inbox_index_get": "调用者的消息，最新的在前，附未读条数",
    "inbox_read_post": "将调用者的消息标为已读（指定编号的，或全部）",
    "incidents_report_post": "报告阳性司机或车辆（vehicle_plate 或 load_id）；该车辆的事件仍未结束时再次报告返回 409 `incident_already_open`",
    "incidents_history_get": "已报告的疫情事件",
    "incidents_one_get": "查看单个疫情事件",
    "loads_submit_post": "申报一个车次；带 Idempotency-Key 请求头可放心重试",
    "loads_list_loads_get": "车次列表（企业只看本企业的），可筛选、分页",
    "loads_get_load_get": "查看单个车次（企业只能看本企业的，其他企业的车次返回 404）",
    "loads_patch_load_patch": "车辆到达前修改车次",
    "loads_cancel_delete": "取消车次（记录保留）；车辆已入场登记或其时段已开始时返回 409",
    "loads_check_in_post": "车辆已到卡口：重新查验；查验通过即锁定其时段；晚于时段到达的车辆从现在起改排最早可行的时段（`slot`、`reason`），并说明为何排不到更早的时段（`reasons`）；没有生效时段的车辆在覆盖当前时间的已发布排程中从现在起插空安排（`WALK_IN`，其他车辆不动）；`at` 晚于当前时间的不予登记（422，`arrival_in_future`）；到达当天企业不在白名单内的不予登记（409，`gate_not_whitelisted`，不能放行）；未结束疫情事件的密接车辆不予登记（409，`gate_incident_contact`），除非在 `override_note` 中写明放行理由",
    "loads_complete_post": "作业完成",
    "loads_no_show_post": "车辆未到场，释放其时段（时段开始前返回 409 `no_show_before_slot`）",
    "loads_start_post": "车辆在车位开始作业（已发布排程覆盖该时间而车次没有时段时返回 409 `start_without_slot`；入场后其场站被停用的车辆除外：在原车位开始作业，返回的 `pinned` 即该车位）",
    "loads_submit_batch_post": "以 JSON 数组批量申报车次，要么全部保存，要么都不保存；带 Idempotency-Key 请求头可放心重试",
    "loads_import_sheet_post": "导入表格（multipart 字段 `file`：.csv、.xlsx、.xls、.ods、.json），要么全部保存，要么都不保存；?dry_run=true 只校验不保存；带 Idempotency-Key 请求头可放心重试",
    "loads_template_get": "导入模板：中文列名（`lang=en` 为英文）、下拉列表、示例行、日期格式单元格，另有一页说明各列的填法",
    "plans_request_plan_post": "请求排程：返回 202 Accepted，Location 指向排程任务",
    "plans_list_plans_get": "排程任务，最新的在前，可按状态和排程日筛选，分页",
    "plans_get_plan_get": "查看排程任务：状态、进度（当前最优目标值）、目标值、下界、差距及各项指标",
    "plans_assignments_get": "排程中的时段（企业只看本企业的车次）",
    "plans_cancel_post": "取消排队中或计算中的排程任务",
    "plans_export_get": "供卡口使用的各场站、各车位作业时刻表：供其他系统读取的 CSV（ISO 时间和代码），或中文 XLSX 工作簿（`lang=en` 为英文），使用本地日期时间单元格，每个场站一页、按车位分块，另有“未排入”一页列出未排上的车次及原因",
    "plans_publish_post": "发布排程，并与卡口现状核对：排程中的车次即刻生效（只重排部分场站时，只替换这些场站的车次）；已取消的车次移出，已入场登记的车辆保留原时段；仍有冲突时返回 409 并列出冲突",
    "plans_unscheduled_get": "排程未排上的车次及原因（企业只看本企业的车次）",
    "plans_published_get": "某日生效的排程（企业只看本企业的车次）",
    "public_hubs_get": "各场站是开放、备用还是停用，今日开放时间和温区（无需登录）",
    "public_report_get": "公众反映人凭报告编号和查询令牌查看自己的报告及答复",
    "reports_create_post": "反映问题：使用企业令牌，或不登录并留下联系方式",
    "reports_index_get": "问题报告，最新的在前（企业只看本企业的）；可按状态和类型筛选",
    "reports_show_get": "查看单个问题报告及答复",
    "reports_answer_post": "答复问题报告（提交报告的企业收到 report.answered 事件）",
    "reports_close_post": "关闭问题报告",
    "site_get_screening_get": "入场查验规则：检测有效时长（小时）、是否接受抗原检测、体温上限（°C）",
    "site_patch_screening_patch": "修改入场查验规则（操作日志记为 site.screening）",
    "tokens_create_token_post": "签发令牌（只显示这一次），可设有效期",
    "tokens_list_tokens_get": "全部令牌（不显示令牌值）",
    "tokens_revoke_token_delete": "吊销令牌：从下一次请求起返回 401",
    "transfers_create_transfer_post": "登记接驳：去向车次的车辆接运来源车次的货物（H7）",
    "transfers_list_transfers_get": "接驳列表（企业只看本企业车次之间的接驳）",
    "transfers_get_transfer_get": "查看单个接驳",
    "transfers_delete_transfer_delete": "解除接驳（车次保留）",
    "transfers_propose_transfer_post": "提议本企业车次与其他企业车次接驳，由对方确认或拒绝",
    "transfers_list_proposals_get": "跨企业接驳提议（企业：本企业发起的，以及涉及本企业车次、待本企业答复的）",
    "transfers_get_proposal_get": "查看单个跨企业接驳提议",
    "transfers_confirm_proposal_post": "确认向本企业提出的接驳：重新检查全部接驳规则，通过后保存接驳",
    "transfers_decline_proposal_post": "拒绝向本企业提出的接驳",
    "webhooks_create_post": "把一个接收地址订阅到若干事件类型（密钥只显示这一次）",
    "webhooks_index_get": "调用者的订阅（指挥部：全部订阅）",
    "webhooks_show_get": "查看订阅及其最近的推送，每次推送附状态码和耗时",
    "webhooks_delete_delete": "删除订阅",
    "webhooks_enable_post": "重新启用因连续失败而停用的订阅",
    "health_healthz_get": "存活检查：进程能应答",
    "health_readyz_get": "就绪检查：数据库可用且已是最新结构；配置了 Redis 时 Redis 也可用",
}

# The operation's own description (what `@operation(description=...)` says), without the roles
# line, which is added in the document's language.
DESCRIPTIONS: dict[str, str] = {
    "loads_submit_post": "新建时返回 201；同一 Key 此前以相同请求体提交过时，返回 200 及该车次（当前状态，包括其后 PATCH 的修改）；同一 Key 配不同请求体返回 409。",
    "loads_get_load_get": "车次编号在各企业内唯一：多个企业有同一编号时，指挥部和场站操作员须加 `?enterprise_id=`（否则返回 409 并列出这些企业）。",
    "loads_submit_batch_post": "新建时返回 201；同一 Key 此前以相同请求体提交过时，返回 200 及这些车次（当前状态）；同一 Key 配不同请求体返回 409。",
    "loads_import_sheet_post": "每一行都按 `POST /loads` 校验单个车次的规则检查；错误指明单元格（`C5`）、行和列，最多列出 200 处并给出总数。没有编号的行由系统生成编号（`generated_ids`）。同一 Key 配同一文件时再次返回首次的结果（200，`replayed`），配另一文件返回 409。超过 20,000 行或工作簿解压后超过 64 MB：返回 413。",
    "reports_create_post": "不带令牌时，答复中有报告编号和查询令牌（只显示这一次），用于 GET /api/v1/public/reports/{number}?token=。",
    "transfers_create_transfer_post": "两个车次须属于同一企业（指挥部可以连接两个企业的车次；企业须用 `POST /transfers/proposals` 提议这样的接驳），且温层相同；一个车次最多是一个接驳的来源车次、一个接驳的去向车次；不能形成循环，也不能与自身接驳。问题会指明字段（`inbound`、`outbound`）。车次编号在各企业内唯一：多个企业有同一编号时，指挥部用 `inbound_enterprise_id` / `outbound_enterprise_id`（或两边共用的 `enterprise_id`）指明各方的企业；仍不明确时，422 指明该方的字段（`load_ambiguous`）。企业令牌只能指明本企业。",
    "transfers_propose_transfer_post": "`inbound`、`outbound` 中一个是本企业的车次，另一个是对方企业的车次，对方企业由 `partner_enterprise_id` 指明。无论对方车次是否存在，都返回 202 `pending`（不透露其他企业的任何情况）；只涉及本企业车次的规则当即检查（422），确认时再检查全部规则。只有已确认的接驳才参与排程。",
    "transfers_confirm_proposal_post": "只有对方企业（或指挥部）可以确认；提议已不在待确认状态时返回 409（同时两次确认：保存一个接驳，另一次返回 409）。",
}

# Parameters: the Chinese name of each (a query parameter's is the one its problems use,
# api/web/query_messages.py; path parameters' are here), then its declared description's words,
# keyed by the English description (`Field(description=...)` in api/schemas).
PATH_PARAMETERS: dict[str, str] = {
    "load_id": "车次编号",
    "plan_id": "排程编号",
    "window_id": "封闭时段编号",
    "incident_id": "疫情事件编号",
    "token_id": "令牌编号",
    "webhook_id": "订阅编号",
    "proposal_id": "接驳提议编号",
    "report_id": "报告编号",
    "number": "报告编号",
    "inbound": "来源车次编号",
    "outbound": "去向车次编号",
}
PARAMETER_NOTES: dict[str, str] = {
    "a load by its id (409 when several enterprises hold it) or its key `enterprise_id/id`, as its entries name it (ids are per enterprise)": "按车次编号（多个企业有同一编号时返回 409）或按日志条目所写的车次键 `enterprise_id/id` 查找（车次编号在各企业内唯一）",
    "admin and operator: one hub's events": "指挥部和场站操作员：只看一个场站的消息",
    "loads the published plan places at this hub, or pinned there": "已发布排程排在该场站或锁定在该场站的车次",
    "the truck's plate, however written (赣B·12345 = 赣B12345 = 赣b12345)": "车牌号，写法不限（赣B·12345 = 赣B12345 = 赣b12345）",
    "loads released on this day (the site's time zone)": "当天可作业的车次（按本站时区）",
    "admins and operators: the load's enterprise, needed when several enterprises hold the id (409 otherwise); an enterprise token names its own loads": "指挥部和场站操作员：车次所属企业，多个企业有同一编号时必填（否则返回 409）；企业令牌只指本企业的车次",
    "plans whose horizon starts on this day (site time zone)": "排程时段从当天开始的排程（按本站时区）",
    "a day in the site's zone, YYYY-MM-DD; default: today there (service clock)": "本站时区的日期，YYYY-MM-DD；默认为本站今天（以服务时钟为准）",
    "the lookup token shown once": "只显示过一次的查询令牌",
    "e.g. `pending`": "例如 `pending`",
}

ZH_CN = "zh-CN"

TITLE = {"en": "hub-scheduler API", ZH_CN: "接驳场站排程 API"}
INFO = {
    "en": "Plans contactless freight transfer hubs. Times are ISO-8601 with an offset. Problems "
    "(and other messages) follow Accept-Language: zh-CN by default, `en` for English.",
    ZH_CN: "非接触式货运接驳场站的排程。时间均为带时区偏移的 ISO-8601 格式。问题详情（及其他消息）"
    "按请求头 Accept-Language 的语言书写：默认简体中文（zh-CN），`en` 为英文。",
}
PROBLEM = {
    "en": "RFC 9457 problem details; `errors` names each bad field or sheet cell. `title`, "
    "`detail` and each error's `message` are written in the request's Accept-Language (zh-CN by "
    "default, `en` for English); `type`, `status`, `field`, `code` and `params` are the same in "
    "every language.",
    ZH_CN: "RFC 9457 问题详情；`errors` 指明每个有问题的字段或表格单元格。`title`、`detail` 和每个"
    "错误的 `message` 按请求头 Accept-Language 的语言书写（默认 zh-CN，`en` 为英文）；`type`、"
    "`status`、`field`、`code` 和 `params` 在各语言中都相同。",
}
# The document's sections (the first part of a view's endpoint), as the page heads them.
TAGS: dict[str, dict[str, str]] = {
    "activations": {"en": "Activations", ZH_CN: "启用备用场站"},
    "audit": {"en": "Audit log", ZH_CN: "操作日志"},
    "docs": {"en": "This document", ZH_CN: "接口文档"},
    "enterprises": {"en": "Enterprises", ZH_CN: "企业"},
    "health": {"en": "Health", ZH_CN: "运行状态"},
    "hubs": {"en": "Hubs", ZH_CN: "场站"},
    "inbox": {"en": "Inbox", ZH_CN: "消息"},
    "incidents": {"en": "Incidents", ZH_CN: "疫情事件"},
    "loads": {"en": "Loads", ZH_CN: "车次"},
    "plans": {"en": "Plans", ZH_CN: "排程"},
    "public": {"en": "Public", ZH_CN: "公开信息"},
    "reports": {"en": "Reports", ZH_CN: "问题反映"},
    "site": {"en": "Site settings", ZH_CN: "场站设置"},
    "tokens": {"en": "Tokens", ZH_CN: "令牌"},
    "transfers": {"en": "Relays", ZH_CN: "接驳"},
    "webhooks": {"en": "Webhooks", ZH_CN: "Webhook 订阅"},
}
SUCCESS = {"en": "Success", ZH_CN: "成功"}
STATUSES: dict[int, dict[str, str]] = {
    400: {"en": "Malformed request", ZH_CN: "请求格式有误"},
    401: {"en": "No valid token", ZH_CN: "没有有效的令牌"},
    403: {"en": "Wrong role", ZH_CN: "角色无权操作"},
    404: {"en": "Not found", ZH_CN: "未找到"},
    409: {"en": "Conflict with the current state", ZH_CN: "与当前状态冲突"},
    413: {"en": "Body too large", ZH_CN: "请求体过大"},
    415: {"en": "Wrong content type", ZH_CN: "内容类型不对"},
    422: {"en": "Validation failed", ZH_CN: "校验未通过"},
}
OTHER_STATUS = {"en": "Error", ZH_CN: "错误"}

# The docs page's fixed words; markup and code (`Authorization: Bearer`) stay in the template.
PAGE: dict[str, dict[str, str]] = {
    "en": {
        "machine": "Machine-readable:",
        "auth": "Authenticate with",
        "token": "token",
        "auth_end": ".",
        "errors": "Errors are",
        "errors_end": ".",
        "contents": "Sections",
        "language": "Language",
        "schemas": "Schemas",
        "parameter": "parameter",
        "in": "in",
        "required": "required",
        "schema": "schema",
        "about": "description",
        "yes": "yes",
        "no": "no",
        "in_path": "path",
        "in_query": "query",
        "request_body": "Request body:",
        "responses": "Responses:",
        "list_of": "list of {name}",
        "schema_note": "The schemas below are the machine's definitions, as the code names them.",
    },
    ZH_CN: {
        "machine": "机器可读版本：",
        "auth": "认证：请求头",
        "token": "令牌",
        "auth_end": "。",
        "errors": "出错时返回",
        "errors_end": " 格式的问题详情。",
        "contents": "目录",
        "language": "语言",
        "schemas": "数据结构",
        "parameter": "参数",
        "in": "位置",
        "required": "必填",
        "schema": "结构",
        "about": "说明",
        "yes": "是",
        "no": "否",
        "in_path": "路径",
        "in_query": "查询参数",
        "request_body": "请求体：",
        "responses": "响应：",
        "list_of": "{name} 数组",
        "schema_note": "以下数据结构是供程序读取的定义，字段名和字段说明保留代码中的英文原文。",
    },
}


def summary(operation_id: str, english: str, language: str) -> str:
    """An operation's summary in `language`; `english` is the one its decorator declares."""
    return SUMMARIES.get(operation_id, english) if language == ZH_CN else english


def description(
    operation_id: str, english: str, roles: tuple[str, ...] | None, language: str
) -> str:
    """An operation's description (`english`: its declared one, "" for none) and the roles that
    may call it (None: anyone), in `language`."""
    if language != ZH_CN:
        names = "anyone" if roles is None else ", ".join(roles)
        return (english + "\n\n" if english else "") + f"Roles: {names}."
    own = DESCRIPTIONS.get(operation_id, english) if english else ""
    return (own + "\n\n" if own else "") + f"可调用的角色：{roles_said(roles)}。"


def roles_said(roles: tuple[str, ...] | None) -> str:
    """Roles in the pages' Chinese words with their codes: 场站操作员（operator）、企业（enterprise）."""
    if roles is None:
        return "任何人（无需令牌）"
    say = translator(ZH_CN)
    return "、".join(f"{say('role_' + role)}（{role}）" for role in roles)


def parameter_description(name: str, english: str, language: str) -> str:
    """A parameter's description in `language`: its declared one (`english`, "" for none); in
    Chinese its name in words first (车次编号：...)."""
    if language != ZH_CN:
        return english
    key = "query_field_" + name
    said = PATH_PARAMETERS.get(name) or (say if (say := translator(ZH_CN)(key)) != key else name)
    note = PARAMETER_NOTES.get(english, english) if english else ""
    return f"{said}：{note}" if note else said


def status_text(code: int, language: str) -> str:
    """What an error status means, in `language` ("Error" for a status without words)."""
    return STATUSES.get(code, OTHER_STATUS)[_known(language)]


def tag_name(tag: str, language: str) -> str:
    """A section's heading in `language`; a section without words is headed by its code."""
    return TAGS.get(tag, {}).get(_known(language), tag)


def _known(language: str) -> str:
    return ZH_CN if language == ZH_CN else "en"
