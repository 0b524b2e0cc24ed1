# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The sheet import's problems on the pages: `sheet_<code>` in zh-CN, and in English from the
codes' own texts (`hub_scheduler.sheets.problems.TEXTS`); the request schema's problems by
pydantic's error type (`SCHEMA_EN`, `SCHEMA_ZH`: a row `POST /loads` would refuse, api/loads.py).
The relay checks' `sheet_relay_*` are in api/web/messages.py."""

from __future__ import annotations

from api.web.hub_admin_messages import ERRORS_EN, ERRORS_ZH
from hub_scheduler.sheets.problems import TEXTS

# pydantic's error types a sheet row can meet past the cell readers, with their context: the
# hub forms' texts, but for an id's pattern (theirs names a hub id's rule) and a list's length
SCHEMA_EN = {
    **ERRORS_EN,
    "string_pattern_mismatch": "holds characters that are not allowed",
    "too_long": "must hold at most {max_length} items",
}
SCHEMA_ZH = {
    **ERRORS_ZH,
    "string_pattern_mismatch": "含有不允许的字符",
    "too_long": "最多 {max_length} 项",
}
assert not set(SCHEMA_EN) & set(TEXTS), "a schema type must not shadow a sheet code"

EN = {f"sheet_{code}": text for code, text in {**SCHEMA_EN, **TEXTS}.items()}

ZH = {
    "sheet_file_type": "无法读取 {file}；请上传 {formats} 格式的文件",
    "sheet_file_not_text": "CSV 文件不是文本；请另存为“CSV UTF-8”后重新上传",
    "sheet_file_unreadable": "文件不是 {format} 工作簿；请重新另存为 {format}",
    "sheet_csv_quotes": "该行无法读取（{reason}），请检查引号",
    "sheet_too_many_rows": "表格有 {rows} 行；一张表最多 {limit} 车",
    "sheet_too_many_columns": "表格有 {columns} 列；最多读取 {limit} 列",
    "sheet_too_many_cells": "表格有 {cells} 个单元格；最多读取 {limit} 个",
    "sheet_unpacked_too_large": "工作簿解压后有 {size} 字节；最多 {limit} 字节",
    "sheet_sheet_empty": "表格是空的；第一行应为列名",
    "sheet_no_header": "找不到列名行；至少需要 {required}",
    "sheet_column_unnamed": "该列没有列名",
    "sheet_column_unknown": "无法识别的列，已忽略",
    "sheet_column_twice": "该列重复出现（另一处为 {other}）",
    "sheet_column_missing": "缺少必填列（列名可写 {names}）",
    "sheet_no_loads": "表格只有列名，没有车辆",
    "sheet_row_blank": "空行；请删除或填写",
    "sheet_row_ragged": "该行有 {cells} 个单元格，而列名有 {columns} 列",
    "sheet_id_twice": "车次编号“{id}”重复（首次出现在第 {first} 行）",
    "sheet_not_your_enterprise": "只能填写本企业“{enterprise}”",
    "sheet_required": "必填",
    "sheet_nul": "不能包含 NUL 字符",
    "sheet_choice": "“{value}”不是可选值；请填写：{names}（或其代码：{choices}）",
    "sheet_number": "“{value}”不是数字",
    "sheet_finite": "必须是有限的数字",
    "sheet_whole": "{value} 不是整数",
    "sheet_at_least": "不能小于 {minimum}",
    "sheet_between": "必须在 {low} 和 {high} 之间",
    "sheet_flag": "“{value}”不是 是/否（也可写 true/false、Y/N、1/0）",
    "sheet_phone": "“{value}”不是电话号码；请填写 11 位手机号（如 13800138000）或带区号的座机（如 0797-2881234）",
    "sheet_hubs": "场站编号用“{separator}”分隔，不能有空项",
    "sheet_moment": "“{value}”不是日期时间；请写成 2026-11-28 08:30 或 2026/11/28 7:50",
    "sheet_moment_ambiguous": "“{value}”分不清是日/月还是月/日；请把年份写在前面，如 {example}",
    "sheet_moment_serial": "{value} 不是 Excel 日期（自 1899-12-30 起的天数）",
    "sheet_moment_time_only": "只有时间没有日期；请写上日期，如 2026/11/28 7:50",
    "sheet_before_release": "不能早于预计到达时间",
    "sheet_origin_pair": "出发地纬度和经度须同时填写或同时留空",
    "sheet_unknown_enterprise": "未知企业“{value}”",
    "sheet_unknown_hub": "未知场站“{value}”",
    "sheet_invalid": "数据不合要求：{reason}",
    **{f"sheet_{code}": text for code, text in SCHEMA_ZH.items()},
}
