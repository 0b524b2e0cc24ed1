# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The pages' message catalogue: English message ids, their zh-CN text, and English labels for codes.

Codes (a status, a category, a reason code) are looked up as `prefix_value`, e.g. `cat_energy`.
"""

from __future__ import annotations

# English labels of coded values; plain English messages need no entry.
EN: dict[str, str] = {
    "role_admin": "Command / park manager",
    "role_operator": "Hub operator",
    "role_enterprise": "Enterprise",
    "status_active": "Active",
    "status_standby": "Standby",
    "status_suspended": "Suspended",
    "kind_logistics_park": "Logistics park",
    "kind_service_area": "Expressway service area",
    "temp_cold": "Cold chain",
    "temp_ambient": "Ambient",
    "cat_medical_supplies": "Medical supplies",
    "cat_daily_necessities": "Daily necessities",
    "cat_government_reserve": "Government reserve",
    "cat_postal_express": "Postal / express",
    "cat_agricultural": "Agricultural",
    "cat_energy": "Energy",
    "cat_raw_materials": "Raw materials",
    "cat_other": "Other",
    "job_queued": "Queued",
    "job_running": "Running",
    "job_succeeded": "Draft",
    "job_failed": "Failed",
    "job_cancelled": "Cancelled",
    "solver_optimal": "optimal",
    "solver_feasible": "feasible",
    "solver_infeasible": "infeasible",
    "solver_unknown": "unknown",
    "load_submitted": "Submitted",
    "load_scheduled": "Scheduled",
    "load_checked_in": "Checked in",
    "load_in_operation": "In operation",
    "load_completed": "Completed",
    "load_cancelled": "Cancelled",
    "load_rejected": "Rejected",
    "load_no_show": "No show",
    "block_DEEP_DISINFECTION": "Closed for disinfection",
    "token_active": "Active",
    "token_expired": "Expired",
    "token_revoked": "Revoked",
    "reason_NOT_WHITELISTED": "Enterprise not on the white-list",
    "reason_SCREENING_FAILED": "Driver screening failed",
    "reason_HUB_NOT_ALLOWED": "No allowed hub is open",
    "reason_NO_ZONE_FOR_TEMPERATURE": "No zone for this temperature",
    "reason_WINDOW_TOO_SHORT": "Time window too short",
    "reason_CLOSED": "Hub closed in the time window",
    "reason_INBOUND_NOT_PLACED": "Its inbound truck has no slot",
    "reason_CAPACITY": "No free dock or crew in time",
    "reason_CANCELLED": "Cancelled",
    "test_pcr": "PCR (nucleic acid)",
    "test_antigen": "Antigen",
    "result_negative": "Negative",
    "result_positive": "Positive",
    "code_green": "Green",
    "code_yellow": "Yellow",
    "code_red": "Red",
}

# The job phases the progress line names (others are shown as the solver calls them).
PHASES = {"phase_loading", "phase_solving", "phase_done", "phase_parts", "phase_merging"}
# The solver's own phases (solver/planner.py reports them while a job runs; words in
# reason_messages.py)
PHASES |= {"phase_construct", "phase_improve", "phase_cpsat", "phase_sticky"}
EN.update({"phase_loading": "reading the day", "phase_solving": "solving", "phase_done": "done"})
EN.update(
    {
        "Export CSV": "Export CSV (for other systems)",
        "Export CSV hint": (
            "English column names and ISO times with their offset, for other systems;"
            " for people, export the XLSX"
        ),
    }
)

ZH: dict[str, str] = {
    "phase_loading": "读取数据",
    "phase_solving": "求解中",
    "phase_done": "完成",
    # Codes
    "role_admin": "指挥部 / 园区管理",
    "role_operator": "场站操作员",
    "role_enterprise": "企业",
    "status_active": "运行中",
    "status_standby": "备用",
    "status_suspended": "已停用",
    "kind_logistics_park": "物流园区",
    "kind_service_area": "高速服务区",
    "temp_cold": "冷链",
    "temp_ambient": "常温",
    "cat_medical_supplies": "医疗物资",
    "cat_daily_necessities": "生活必需品",
    "cat_government_reserve": "政府储备物资",
    "cat_postal_express": "邮政快递",
    "cat_agricultural": "农产品",
    "cat_energy": "能源",
    "cat_raw_materials": "原材料",
    "cat_other": "其他",
    "job_queued": "排队中",
    "job_running": "计算中",
    "job_succeeded": "草稿",
    "job_failed": "失败",
    "job_cancelled": "已取消",
    "solver_optimal": "最优",
    "solver_feasible": "可行",
    "solver_infeasible": "不可行",
    "solver_unknown": "未知",
    "load_submitted": "已提交",
    "load_scheduled": "已排期",
    "load_checked_in": "已入场",
    "load_in_operation": "作业中",
    "load_completed": "已完成",
    "load_cancelled": "已取消",
    "load_rejected": "已拒绝",
    "load_no_show": "未到场",
    "block_DEEP_DISINFECTION": "消杀封闭",
    "token_active": "有效",
    "token_expired": "已过期",
    "token_revoked": "已吊销",
    "reason_NOT_WHITELISTED": "企业不在白名单内",
    "reason_SCREENING_FAILED": "司机查验未通过",
    "reason_HUB_NOT_ALLOWED": "允许的场站均未开放",
    "reason_NO_ZONE_FOR_TEMPERATURE": "没有对应温区",
    "reason_WINDOW_TOO_SHORT": "时间窗太短",
    "reason_CLOSED": "时间窗内场站不开放",
    "reason_INBOUND_NOT_PLACED": "对应的入场车辆未排上",
    "reason_CAPACITY": "时间窗内没有空闲车位或班组",
    "reason_CANCELLED": "已取消",
    "test_pcr": "核酸",
    "test_antigen": "抗原",
    "result_negative": "阴性",
    "result_positive": "阳性",
    "code_green": "绿码",
    "code_yellow": "黄码",
    "code_red": "红码",
    # Layout and sign-in
    "Hub Scheduler": "接驳场站排程",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "Language": "语言",
    "Hub board": "场站看板",
    "Plan timeline": "排程时间轴",
    "Loads": "车辆申报",
    "Sign in": "登录",
    "Sign out": "退出",
    "Access token": "访问令牌",
    "Paste the access token you were given. It is checked, then kept only as a fingerprint in this "
    "browser's session.": "请粘贴分配给您的访问令牌。令牌校验后，本浏览器会话中只保存其指纹。",
    "This token is unknown or has been revoked.": "令牌无效或已被吊销。",
    "Too many attempts": "尝试次数过多",
    "API tokens": "API 令牌",
    "The new token, shown only this once:": "新令牌（仅显示这一次）：",
    "Role": "角色",
    "Enterprise (for an enterprise token)": "企业（企业令牌必填）",
    "Label": "备注",
    "Expires after (days; empty: never)": "有效天数（留空为永不过期）",
    "Issue token": "签发令牌",
    "Issued tokens": "已签发的令牌",
    "State": "状态",
    "Created": "签发时间",
    "Expires": "过期时间",
    "never": "永不",
    "Revoke": "吊销",
    "The lifetime must be a whole number of days.": "有效天数须为整数。",
    "Please wait a minute and try again.": "请稍候一分钟再试。",
    "Back to the start page": "返回首页",
    "Technical detail (English)": "技术信息（英文）",
    "The form has expired": "表单已过期",
    "Reload the page and try again.": "请刷新页面后重试。",
    "Not allowed": "无权访问",
    "Your role cannot open this page.": "您的角色不能打开此页面。",
    "Not found": "未找到",
    "File too large": "文件过大",
    "Validation failed": "校验未通过",
    "Conflict": "状态冲突",
    "Forbidden": "无权操作",
    "Unauthorized": "未登录",
    "Internal error": "内部错误",
    # Board
    "Summary": "概览",
    "Hubs": "场站",
    "Active hubs": "运行场站",
    "Standby hubs": "备用场站",
    "Suspended hubs": "停用场站",
    "Trucks with a slot": "已排期车辆",
    "Trucks without a slot": "未排期车辆",
    "Utilisation from the plan in force for {day}.": "利用率按 {day} 生效的排程计算。",
    "Open its timeline": "查看时间轴",
    "No plan is published yet.": "尚未发布排程。",
    "open 24 h": "24 小时开放",
    "Docks": "车位",
    "Crews": "班组",
    "Trucks today": "今日车辆",
    "Zones": "温区",
    "{n} docks": "{n} 个车位",
    "{n} crews": "{n} 个班组",
    "{n} crew": "{n} 个班组",
    "{n} dock": "{n} 个车位",
    "Today's utilisation": "今日利用率",
    "Activate": "启用",
    "Suspend": "停用",
    "Activate {hub}?": "启用 {hub}？",
    "Suspend {hub}?": "停用 {hub}？",
    "The hub is switched at once and a new plan is made; the published plan stays in force until you "
    "publish the new one.": "场站状态立即切换，并重新计算排程；新排程发布之前，已发布的排程继续有效。",
    "Reason (kept in the activation history)": "原因（记入启用记录）",
    "Reason (kept in the audit log)": "原因（记入操作日志）",
    "Please give a reason.": "请填写原因。",
    "Cancel": "取消",
    "Now": "当前",
    "Activation history": "启用记录",
    "When": "时间",
    "Switched to": "切换为",
    "Reason": "原因",
    "By": "操作人",
    "Plan": "排程",
    "No hub has been switched yet.": "还没有场站切换记录。",
    "activated": "已启用",
    "suspended": "已停用",
    "{hub}: {what}. A new plan is being made.": "{hub}：{what}，正在重新排程。",
    # Timeline
    "Published": "已发布",
    # A plan published once whose every load a newer published plan now holds (retired).
    "Replaced": "已被替换",
    "Day": "日期",
    "Placed": "已排",
    "Unscheduled": "未排",
    "Late": "延误",
    "Moved from the previous plan": "较上一版调整",
    "Solver": "求解",
    "gap": "差距",
    "Published at": "发布时间",
    "Ask for a new plan": "重新排程",
    "Publish": "发布",
    "Export CSV": "导出 CSV（供系统对接）",
    "Export CSV hint": "英文列名、带时区的 ISO 时间，供其他系统读取；人工查看请导出 XLSX",
    "Export XLSX": "导出 XLSX",
    "Planning…": "正在排程…",
    "The published plan stays in force until this one is published.": "本排程发布之前，已发布的排程继续有效。",
    "Open the published plan": "查看已发布的排程",
    "Download the template (CSV)": "下载模板（CSV）",
    "This plan could not be made.": "排程计算失败。",
    "Legend": "图例",
    "Disinfection": "消杀",
    "Pinned / checked in": "已锁定 / 已入场",
    "Closed or blocked": "不开放或封闭",
    "Timeline by dock": "按车位的时间轴",
    "Skip the chart": "跳过时间轴",
    "Dock": "车位",
    "late {minutes} min": "延误 {minutes} 分钟",
    "Unscheduled loads": "未排期车辆",
    "Every load has a slot.": "所有车辆都已排期。",
    "All operations": "全部作业",
    "Load": "车次",
    "Enterprise": "企业",
    "Category": "货物类别",
    "Arrival": "到达",
    "Slot": "时段",
    "Disinfected by": "消杀完成",
    "Wished by": "期望完成",
    "Why": "说明",
    "Pinned": "已锁定",
    "Relay to {load}": "接驳去向 {load}",
    "Relay from {load}": "接驳来源 {load}",
    # Relay problems by code (services/transfers.py); the pages look coded problems up as sheet_<code>.
    "sheet_relay_self": "车次不能与自身接驳",
    "sheet_relay_unknown": "未知车次“{load}”",
    "sheet_relay_enterprise": "车次“{load}”属于其他企业；跨企业接驳须由对方企业确认",
    "sheet_relay_partner_self": "对方企业不能是本企业；本企业车次之间直接登记接驳即可",
    "sheet_relay_not_across": "车次“{load}”不属于所填的对方企业",
    "sheet_relay_temperature": "车次“{load}”温层不同；冷链与常温不能接驳",
    "sheet_relay_inbound_taken": "车次“{load}”已是另一接驳的来源车",
    "sheet_relay_outbound_taken": "车次“{load}”已是另一接驳的去向车",
    "sheet_relay_cycle": "“{outbound}”已（直接或间接）接驳到“{inbound}”，会形成循环",
    "Relay to (load id, optional)": "接驳去向车次（可选）",
    "Relay from (load id, optional)": "接驳来源车次（可选）",
    "Relay gap (minutes)": "接驳间隔（分钟）",
    "Relay partner's enterprise": "接驳对方车次所属企业",
    "The load's own enterprise": "与本车次同一企业",
    "sheet_relay_not_own_enterprise": "企业只能填写本企业；与其他企业车辆接驳请发起跨企业接驳提议",
    "Driver phone (optional)": "司机电话（可选）",
    "Relays awaiting your answer": "待本企业确认的跨企业接驳",
    "Another enterprise proposes that one of your trucks relays with one of theirs. Only a confirmed relay is planned.": "其他企业提议其车辆与本企业车辆接驳；只有确认后的接驳才会排入计划。",
    "Inbound load": "来源车次",
    "Outbound load": "去向车次",
    "Proposed by": "提议企业",
    "Confirm": "确认",
    "Decline": "拒绝",
    "Relay {inbound} → {outbound} confirmed.": "接驳 {inbound} → {outbound} 已确认。",
    "Relay {inbound} → {outbound} declined.": "接驳 {inbound} → {outbound} 已拒绝。",
    "This relay proposal was already answered.": "该接驳提议已处理过。",
    "No such relay proposal awaits your answer.": "没有待本企业确认的该接驳提议。",
    "best objective so far: {value}": "当前最优目标值：{value}",
    "No plan could be asked for: {detail}": "无法重新排程：{detail}",
    "Plan {id} is published.": "排程 {id} 已发布。",
    "Kept in place: the truck is pinned or already at the dock.": "保持原位：车辆已锁定或已在车位。",
    "Starts as soon as the truck arrives.": "车辆到达即开始作业。",
    "Waits {minutes} min after arrival for a free dock and crew.": "到达后等待 {minutes} 分钟，直到有空闲车位和班组。",
    "Ends {minutes} min after the wished time.": "比期望完成时间晚 {minutes} 分钟。",
    "Ends on time.": "按期完成。",
    "Its dock was taken before by {loads}.": "该车位此前由 {loads} 占用。",
    # Loads
    "All enterprises": "全部企业",
    "Submit one load": "申报单车",
    "The load was not submitted. Please correct the marked fields.": "申报未提交，请修改标出的字段。",
    "Cargo category": "货物类别",
    "Temperature": "温度",
    "Handling minutes": "装卸时长（分钟）",
    "Wished completion": "期望完成时间",
    "Hard deadline (optional)": "最晚完成时间（可选）",
    "{field} (optional)": "{field}（可选）",
    "Vehicle plate": "车牌号",
    "Your reference (optional)": "自编号（可选）",
    "Driver screening": "司机查验",
    "Test": "检测",
    "Result": "结果",
    "Sampled at": "采样时间",
    "Health code": "健康码",
    "Body temperature °C": "体温 °C",
    "Holds a unified pass": "持有统一通行证",
    "Submit load": "提交申报",
    "Import a sheet": "表格导入",
    "CSV, XLSX, XLS or ODS, one load a row; column names and values in Chinese or English. The sheet is "
    "checked first: every bad cell is listed, and nothing is stored until you confirm a sheet without "
    "errors.": "CSV、XLSX、XLS 或 ODS，每行一车；列名和取值中英文均可。先校验：列出每个有问题的单元格；只有确认无误的表格才会保存。",
    "Download the template (Excel)": "下载模板（Excel）",
    "Cell": "单元格",
    "The first {k} are listed.": "下面列出前 {k} 处。",
    "{n} rows without an id get one from the service.": "{n} 行没有车次编号，将由系统生成。",
    "{n} columns are not known and are ignored:": "{n} 列无法识别，已忽略：",
    "Choose a CSV, XLSX, XLS or ODS file first.": "请先选择 CSV、XLSX、XLS 或 ODS 文件。",
    "Only .csv, .xlsx, .xls and .ods sheets can be read.": "只能读取 .csv、.xlsx、.xls 和 .ods 表格。",
    "Sheet file": "表格文件",
    "Check the sheet": "校验表格",
    "{n} problems in {file}; nothing was stored.": "{file} 中有 {n} 处问题，未保存任何数据。",
    "Row": "行",
    "Column": "列",
    "Problem": "问题",
    "{file}: {n} loads, no problems found. Nothing is stored yet.": "{file}：共 {n} 车，校验通过，尚未保存。",
    "Submit these {n} loads": "提交这 {n} 车",
    "The checked sheet was lost; upload it again.": "校验过的表格已丢失，请重新上传。",
    "{n} loads from {file} are submitted.": "已提交 {file} 中的 {n} 车。",
    "Load {id} is submitted; it gets a slot with the next published plan.": "车次 {id} 已提交，下次发布排程时分配时段。",
    "My loads": "我的车辆",
    "All loads": "全部车辆",
    "Status": "状态",
    "waiting for the next plan": "等待下次排程",
    "slot released": "时段已释放",
    "Load {id} is submitted, but it gets no slot until its screening is completed: {checks}.": "车次 {id} 已提交，但入场查验信息补全前不会分配时段：{checks}。",
    "The arrival time {time} has already passed.": "预计到达时间 {time} 已过。",
    "no slot until the screening is completed": "查验未通过，暂不排程",
    "No loads yet.": "还没有车辆。",
    "Actions": "操作",
    "Cancel load {id}? The slot is given up.": "取消车次 {id}？其时段将被释放。",
    "Cancel load {id}": "取消车次 {id}",
    "Load {id} is cancelled.": "车次 {id} 已取消。",
    "Loads {first}-{last} of {total}": "第 {first}-{last} 车，共 {total} 车",
    "Earlier loads": "上一页",
    "Later loads": "下一页",
}

# The sheet import's problems, by code (kept apart: the catalogue of one feature).
from api.web.sheet_messages import EN as _SHEET_EN  # noqa: E402
from api.web.sheet_messages import ZH as _SHEET_ZH  # noqa: E402

EN.update(_SHEET_EN)
ZH.update(_SHEET_ZH)

from api.web.timetable_messages import EN as _TIMETABLE_EN  # noqa: E402
from api.web.timetable_messages import ZH as _TIMETABLE_ZH  # noqa: E402

EN.update(_TIMETABLE_EN)
ZH.update(_TIMETABLE_ZH)

from api.web.export_messages import EN as _EXPORT_EN  # noqa: E402
from api.web.export_messages import ZH as _EXPORT_ZH  # noqa: E402

EN.update(_EXPORT_EN)
ZH.update(_EXPORT_ZH)

from api.web.gate_messages import EN as _GATE_EN  # noqa: E402
from api.web.gate_messages import ZH as _GATE_ZH  # noqa: E402

EN.update(_GATE_EN)
ZH.update(_GATE_ZH)
from api.web.account_messages import EN as _ACCOUNT_EN  # noqa: E402
from api.web.account_messages import ZH as _ACCOUNT_ZH  # noqa: E402

EN.update(_ACCOUNT_EN)
ZH.update(_ACCOUNT_ZH)
from api.web.public_messages import EN as _PUBLIC_EN  # noqa: E402
from api.web.public_messages import ZH as _PUBLIC_ZH  # noqa: E402

EN.update(_PUBLIC_EN)
ZH.update(_PUBLIC_ZH)

from api.web.inbox_messages import EN as _INBOX_EN  # noqa: E402
from api.web.inbox_messages import ZH as _INBOX_ZH  # noqa: E402

EN.update(_INBOX_EN)
ZH.update(_INBOX_ZH)
from api.web.webhook_messages import EN as _WEBHOOK_EN  # noqa: E402
from api.web.webhook_messages import ZH as _WEBHOOK_ZH  # noqa: E402

EN.update(_WEBHOOK_EN)
ZH.update(_WEBHOOK_ZH)
from api.web.hub_admin_messages import EN as _HUB_ADMIN_EN  # noqa: E402
from api.web.hub_admin_messages import ZH as _HUB_ADMIN_ZH  # noqa: E402

EN.update(_HUB_ADMIN_EN)
ZH.update(_HUB_ADMIN_ZH)
from api.web.job_messages import EN as _JOB_EN  # noqa: E402
from api.web.job_messages import ZH as _JOB_ZH  # noqa: E402

EN.update(_JOB_EN)
ZH.update(_JOB_ZH)

from api.web.plan_messages import EN as _PLAN_EN  # noqa: E402
from api.web.plan_messages import ZH as _PLAN_ZH  # noqa: E402

EN.update(_PLAN_EN)
ZH.update(_PLAN_ZH)

from api.web.reason_messages import EN as _REASON_EN  # noqa: E402
from api.web.reason_messages import ZH as _REASON_ZH  # noqa: E402

EN.update(_REASON_EN)
ZH.update(_REASON_ZH)

from api.web.audit_messages import EN as _AUDIT_EN  # noqa: E402
from api.web.audit_messages import ZH as _AUDIT_ZH  # noqa: E402

EN.update(_AUDIT_EN)
ZH.update(_AUDIT_ZH)
# A label's colon: full-width in Chinese text, "label: value" in English (tests/unit/test_zh_colons).
EN["colon"], ZH["colon"] = ": ", "："

from api.web.problem_messages import ZH as _PROBLEM_ZH  # noqa: E402

assert not set(_PROBLEM_ZH) & set(ZH), "the API's problem words must not reword a page's"
ZH.update(_PROBLEM_ZH)
