# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The hub administration pages' messages: field names (`hubadmin_field_<name>`), problems by
pydantic error type (`hubadmin_err_<type>`), the hub checks' problems (`hubadmin_ref_<code>`,
matched from the services' English texts by `REFERENCE_PATTERNS`), why a slot is stranded
(`hubadmin_why_<why>`), and the pages' own texts.

`field_label(path)` and `said_error(field_error)` say a problem in the page's language; an
error of an unknown kind keeps the service's English text (never hidden).
"""

from __future__ import annotations

import re

from hub_scheduler.errors import FieldError

# The fields the forms send, by their last JSON-path name.
FIELDS_EN = {
    "id": "ID",
    "name": "Name",
    "kind": "Kind",
    "status": "Status",
    "disinfection_minutes": "Disinfection (minutes)",
    "max_trucks_on_site": "Trucks on site at once",
    "slot_minutes": "Slot length (minutes)",
    "opening_hours": "Opening hours",
    "start": "Start",
    "end": "End",
    "zones": "Zones",
    "temperature": "Temperature",
    "crews": "Crews",
    "docks": "Docks",
    "zone_id": "Zone",
    "dock_id": "Dock",
    "reason": "Reason",
    "whitelisted": "On the white-list",
    "tier": "Tier",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "required": "Screening required",
    "max_test_age_hours": "Test valid for (hours)",
    "allow_antigen": "Antigen test accepted",
    "max_body_temperature_c": "Temperature limit (°C)",
}
FIELDS_ZH = {
    "id": "编号",
    "name": "名称",
    "kind": "类型",
    "status": "状态",
    "disinfection_minutes": "消杀时长（分钟）",
    "max_trucks_on_site": "场内同时车辆上限",
    "slot_minutes": "时段长度（分钟）",
    "opening_hours": "开放时间",
    "start": "开始",
    "end": "结束",
    "zones": "温区",
    "temperature": "温区",
    "crews": "作业班组数",
    "docks": "车位",
    "zone_id": "温区",
    "dock_id": "车位",
    "reason": "原因",
    "whitelisted": "列入白名单",
    "tier": "等级",
    "valid_from": "生效日期",
    "valid_until": "截止日期",
    "required": "必须查验",
    "max_test_age_hours": "核酸报告有效时长（小时）",
    "allow_antigen": "接受抗原检测",
    "max_body_temperature_c": "体温上限（°C）",
}

# pydantic error types the forms can give.
ERRORS_EN = {
    "missing": "is required",
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "is not yes or no",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "1-64 letters, digits, Chinese characters, '.', '_', '-'; not first: '.', '_', '-'",
    "enum": "is not one of the choices",
    "literal_error": "is not one of the choices",
    "datetime_parsing": "is not a date and time",
    "datetime_from_date_parsing": "is not a date and time",
    "datetime_type": "is not a date and time",
    "timezone_aware": "is not a date and time",
    "date_parsing": "is not a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "is not a date (YYYY-MM-DD)",
    "date_type": "is not a date (YYYY-MM-DD)",
}
ERRORS_ZH = {
    "missing": "必填",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "finite_number": "须为有限的数字",
    "bool_parsing": "须为 是/否",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "不能为空",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "只能由 1 到 64 个字母、数字、汉字或 . _ - 组成，且不能以 . _ - 开头",
    "enum": "不是可选值",
    "literal_error": "不是可选值",
    "datetime_parsing": "不是有效的日期和时间",
    "datetime_from_date_parsing": "不是有效的日期和时间",
    "datetime_type": "不是有效的日期和时间",
    "timezone_aware": "不是有效的日期和时间",
    "date_parsing": "不是有效的日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效的日期（YYYY-MM-DD）",
    "date_type": "不是有效的日期（YYYY-MM-DD）",
}

# The services' consistency problems (English texts of services/hubs.py's and
# scenario_file.reference_errors's checks, of enterprises and the domain's validators): code and
# the pattern its text has.
REFERENCE_PATTERNS = {
    "overlap": re.compile(r"opening periods overlap"),
    "after_start": re.compile(r"must be after start"),
    "unknown_zone": re.compile(r'unknown zone "(?P<id>[^"]*)"'),
    "unknown_dock": re.compile(r'unknown dock "(?P<id>[^"]*)"'),
    "dock_not_in_zone": re.compile(r'dock "(?P<id>[^"]*)" is not in zone "(?P<zone>[^"]*)"'),
    "duplicate_zone": re.compile(r'duplicate zone id "(?P<id>[^"]*)"'),
    "duplicate_dock": re.compile(r'duplicate dock id "(?P<id>[^"]*)"'),
    "taken": re.compile(r"^is taken$"),
    "before_valid_from": re.compile(r"must not be before valid_from"),
    "hhmm": re.compile(r'must be a time of day "HH:MM"'),
    "window": re.compile(r"(years? (from|of)|too far|outside)"),
}
REFERENCE_EN = {
    "overlap": "the opening periods overlap (touching is allowed: 08:00-12:00 and 12:00-18:00)",
    "after_start": "must be after the start",
    "unknown_zone": 'there is no zone "{id}" at this hub',
    "unknown_dock": 'there is no dock "{id}" at this hub',
    "dock_not_in_zone": 'dock "{id}" is not in zone "{zone}"',
    "duplicate_zone": 'zone ID "{id}" is used twice',
    "duplicate_dock": 'dock ID "{id}" is used twice at this hub',
    "taken": "this ID is taken",
    "before_valid_from": "must not be before the valid-from date",
    "hhmm": 'must be a time of day "HH:MM"',
    "window": "is too far from today",
}
REFERENCE_ZH = {
    "overlap": "各开放时段有重叠（首尾相接可以，如 08:00-12:00 与 12:00-18:00）",
    "after_start": "须晚于开始时间",
    "unknown_zone": "本场站没有温区“{id}”",
    "unknown_dock": "本场站没有车位“{id}”",
    "dock_not_in_zone": "车位“{id}”不在温区“{zone}”",
    "duplicate_zone": "温区编号“{id}”重复",
    "duplicate_dock": "车位编号“{id}”在本场站重复",
    "taken": "该编号已被使用",
    "before_valid_from": "不能早于生效日期",
    "hhmm": "须为 HH:MM 格式的时刻",
    "window": "离今天太远",
}

WHY_EN = {
    "dock_gone": "its dock was removed",
    "blocked": "a blocked window covers it",
    "closed": "outside the opening hours",
}
WHY_ZH = {
    "dock_gone": "车位已删除",
    "blocked": "被封闭时段覆盖",
    "closed": "不在开放时间内",
}

EN: dict[str, str] = {
    **{f"hubadmin_field_{k}": v for k, v in FIELDS_EN.items()},
    **{f"hubadmin_err_{k}": v for k, v in ERRORS_EN.items()},
    **{f"hubadmin_ref_{k}": v for k, v in REFERENCE_EN.items()},
    **{f"hubadmin_why_{k}": v for k, v in WHY_EN.items()},
    "audit_kind_site": "Site settings",
    "audit_target_site": "Site setting",
    "audit_site.screening": "Screening policy changed",
}

ZH: dict[str, str] = {
    **{f"hubadmin_field_{k}": v for k, v in FIELDS_ZH.items()},
    **{f"hubadmin_err_{k}": v for k, v in ERRORS_ZH.items()},
    **{f"hubadmin_ref_{k}": v for k, v in REFERENCE_ZH.items()},
    **{f"hubadmin_why_{k}": v for k, v in WHY_ZH.items()},
    "audit_kind_site": "场站设置",
    "audit_target_site": "场站设置",
    "audit_site.screening": "修改入场查验规则",
    # nav and headings
    "Hub administration": "场站管理",
    "White-list": "企业白名单",
    "Entry screening": "入场查验规则",
    "Hubs, zones, docks, opening hours, blocked windows, crews and site capacity. Every change is in the audit log.": "场站、温区、车位、开放时间、封闭时段、作业班组与场内车辆上限。每项修改都记入操作日志。",
    "All hubs": "全部场站",
    "Add a hub": "新增场站",
    "Add hub": "新增场站",
    "Manage": "管理",
    "Manage {name}": "管理 {name}",
    "Hub {id} is added; add its zones and docks below.": "已新增场站 {id}，请在下方添加温区和车位。",
    "1-64 letters, digits or . _ -, e.g. XW-LP": "1 到 64 个字母、数字、汉字或 . _ -，如 XW-LP",
    "The form was not saved:": "表单未保存：",
    "Back to all hubs": "返回全部场站",
    # one hub
    "Settings and site capacity": "基本信息与场内车辆上限",
    "Empty: no limit (H8).": "留空表示不限（H8）。",
    "Empty: the site's default.": "留空则用全场默认值。",
    "Save": "保存",
    "The hub is changed.": "场站已修改。",
    "Daily periods in the site's time zone; an end at or before the start runs past midnight (22:00-06:00). Periods may touch (08:00-12:00, 12:00-18:00) but not overlap.": "每日开放时段（场站所在时区）；结束不晚于开始即跨过午夜（如 22:00-06:00）。时段可以首尾相接（08:00-12:00、12:00-18:00），不能重叠。",
    "Open around the clock": "全天开放",
    "Period {n}": "时段 {n}",
    "Save hours": "保存开放时间",
    "The opening hours are changed.": "开放时间已修改。",
    "Always open": "全天开放",
    "Opening hours": "开放时间",
    "Zones, docks and crews": "温区、车位与作业班组",
    "Crews: how many docks of the zone can work at once (H6); empty: every dock.": "作业班组数：本温区可同时作业的车位数（H6）；留空表示每个车位都可同时作业。",
    "Zone {id}": "温区 {id}",
    "Save zone": "保存温区",
    "Remove zone": "删除温区",
    "Remove zone {id}": "删除温区 {id}",
    "Zone {id} is added.": "已新增温区 {id}。",
    "Zone {id} is changed.": "温区 {id} 已修改。",
    "Zone {id} is removed.": "已删除温区 {id}。",
    "No docks yet.": "还没有车位。",
    "Remove": "删除",
    "Remove dock {id}": "删除车位 {id}",
    "New dock": "新车位",
    "New dock in zone {id}": "温区 {id} 的新车位",
    "Add dock": "添加车位",
    "Dock {id} is added.": "已添加车位 {id}。",
    "Dock {id} is removed.": "已删除车位 {id}。",
    "Add a zone": "新增温区",
    "Docks (IDs separated by spaces or commas)": "车位（编号以空格或逗号分隔）",
    "Add zone": "新增温区",
    "No zones yet.": "还没有温区。",
    "Empty: the hub's.": "留空则用场站的设置。",
    "Blocked windows": "封闭时段",
    "A blocked dock, zone or hub takes no truck in the period (H5). Times in the site's time zone.": "封闭期间，该车位、温区或整个场站不接车（H5）。时间为场站所在时区。",
    "The whole hub": "整个场站",
    "Where": "范围",
    "Block": "封闭",
    "The window is blocked.": "已设置封闭时段。",
    "The blocked window is lifted.": "已解除封闭时段。",
    "Lift": "解除",
    "Lift window {id}": "解除封闭时段 {id}",
    "No blocked windows.": "没有封闭时段。",
    # impact
    "The plan in force": "现行排程",
    "The plan in force holds {n} slots at this hub.": "现行排程在本场站有 {n} 个车次时段。",
    "No published plan holds a slot at this hub.": "现行排程在本场站没有车次。",
    "{n} of them no longer fit the hub as it is now; re-plan to move them:": "其中 {n} 个已不符合本场站当前的设置，须重新排程：",
    "Every slot still fits the hub as it is now.": "所有车次仍符合本场站当前的设置。",
    "Open plan {id} to re-plan": "打开排程 {id} 重新排程",
    "Load": "车次",
    "Slot": "时段",
    "Why": "原因",
    # white-list
    "Enterprises on the white-list submit loads; tier 1 goes first. Outside its validity dates an enterprise is treated as not on the list.": "白名单内的企业可以申报车辆；1 级优先。超出有效期的企业视为不在白名单内。",
    "Add an enterprise": "新增企业",
    "Add enterprise": "新增企业",
    "Enterprise {id} is added.": "已新增企业 {id}。",
    "Enterprise {id} is changed.": "企业 {id} 已修改。",
    "Tier {n}": "{n} 级",
    "1 (first) to 3": "1（最优先）到 3",
    "Validity": "有效期",
    "On the list": "在白名单内",
    "Off the list": "不在白名单内",
    "Save {id}": "保存 {id}",
    "No enterprises yet.": "还没有企业。",
    "All enterprises": "全部企业",
    # screening
    "What a driver without a valid unified pass must show at the gate. The gate, the load checks and the next plan use it at once.": "没有有效通行证的司机在入场时须出示的材料。修改后门岗查验、车辆审核和下一次排程立即采用。",
    "Every driver must show screening data": "每位司机都必须提供查验信息",
    "Off: only data a driver gives is checked.": "不勾选：只查验司机提供了的信息。",
    "A negative antigen test may stand in for the PCR test": "阴性抗原检测可代替核酸检测",
    "From 1 to 720 hours.": "1 到 720 小时。",
    "From 35.0 to 42.0 °C; a driver above it is turned away.": "35.0 到 42.0 °C；高于此值的司机不得入场。",
    "The screening policy is changed; the gate applies it at once.": "入场查验规则已修改，门岗立即按新规则查验。",
    "Save policy": "保存规则",
}


def _t(key: str, **values: object) -> str:
    from api.web.i18n import translate  # at call time: messages.py imports this catalogue

    return translate(key, **values)


def field_label(path: str | None) -> str:
    """A JSON path (`opening_hours[1].start`, `zones[0].crews`, `(body)`) as the page names it:
    the field's label, after the period number for an opening period."""
    if not path or path == "(body)":
        return ""
    names = re.findall(r"[A-Za-z_]+", path)
    last = names[-1] if names else path
    label = _t(f"hubadmin_field_{last}") if last in FIELDS_EN else last
    period = re.match(r"opening_hours\[(\d+)\]\.", path)
    if period:
        return f"{_t('Period {n}', n=int(period[1]) + 1)} · {label}"
    return label


def said_error(error: FieldError) -> str:
    """One problem's text in the page's language: by its pydantic code, else by the pattern of the
    service's text, else the service's English text."""
    if error.code and error.code in ERRORS_EN:
        try:
            return _t(f"hubadmin_err_{error.code}", **(error.params or {}))
        except (KeyError, IndexError):
            pass
    for code, pattern in REFERENCE_PATTERNS.items():
        found = pattern.search(error.message)
        if found:
            return _t(f"hubadmin_ref_{code}", **found.groupdict())
    return error.message
