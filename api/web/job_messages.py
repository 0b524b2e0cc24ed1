# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The plan job list page's messages (api/web/timeline.py `plan_jobs`): zh-CN text of the English ids."""

from __future__ import annotations

EN: dict[str, str] = {"phase_parts": "parts solving", "phase_merging": "merging the parts"}

ZH: dict[str, str] = {
    "Plan jobs": "排程任务",
    "Every plan asked for, newest first; a day split into independent parts lists its part jobs.": "所有排程请求，最新在前；拆分为独立分片的日期会列出各分片任务。",
    "Jobs": "任务",
    "Asked at": "请求时间",
    "Seconds": "耗时（秒）",
    "Objective": "目标值",
    "Parts": "分片",
    "All hubs": "全部场站",
    "Part of": "所属任务",
    "No plan job matches.": "没有符合条件的排程任务。",
    "Jobs from {first}": "自第 {first} 条起",
    "Newer jobs": "较新的任务",
    "Older jobs": "较早的任务",
    "Status: one of the listed states": "状态：须为列表中的一项",
    "Day: a date such as 2026-12-01": "日期：须为如 2026-12-01 的日期",
    "phase_parts": "分片求解中",
    "phase_merging": "合并分片",
}
