# ruff: noqa: E501  (a catalogue: one message a line reads better than wrapped strings)
"""The plan job list page's messages (api/web/timeline.py `plan_jobs`): zh-CN text of the English ids."""

from __future__ import annotations

EN: dict[str, str] = {
    "phase_parts": "parts solving",
    "phase_merging": "merging the parts",
    # A failed job's reason (api/job_words.py): `job_err_<code>` of hub_scheduler/services/job_failures.py
    "job_err_job_stale": "The plan job stopped: its worker gave no sign of life for more than {silent_s} s. Ask for the plan again.",
    "job_err_job_worker_lost": "The plan job stopped: its worker gave no sign of life for {silent_s} s on attempt {attempts} of {max_attempts}, and it is not retried again. Ask for the plan again.",
    "job_err_job_crashed": "The plan job broke off with an error ({exception}). Ask for the plan again; if it fails again, staff find the details in the service log.",
    "job_err_plan_not_verified": "The plan failed verification and was not kept (broken rules: {count}; the first: {first}). Ask for the plan again.",
    "job_err_merge_not_verified": "The plan merged from the parts failed verification and was not kept (broken rules: {count}; the first: {first}). Ask for the plan again.",
    "job_err_merge_crashed": "Merging the parts broke off with an error ({exception}). Ask for the plan again; if it fails again, staff find the details in the service log.",
    "job_err_ended": "The plan job ended without a plan (status: {status}).",
    "job_err_part_failed": "Part jobs did not succeed ({count}: {parts}), so no whole plan could be merged. Ask for the plan again.",
}

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
    "job_err_job_stale": "排程任务中断（工作进程无响应超过 {silent_s} 秒），请重新排程。",
    "job_err_job_worker_lost": "排程任务中断（工作进程 {silent_s} 秒无响应，已是第 {attempts} 次尝试，共 {max_attempts} 次，不再重试），请重新排程。",
    "job_err_job_crashed": "排程任务运行出错（{exception}），请重新排程；如仍失败，请联系管理员查看服务日志。",
    "job_err_plan_not_verified": "排程结果未通过校验，未予保存（{count} 处违反规则，首条：{first}），请重新排程。",
    "job_err_merge_not_verified": "各分片合并后的排程未通过校验，未予保存（{count} 处违反规则，首条：{first}），请重新排程。",
    "job_err_merge_crashed": "合并各分片时出错（{exception}），请重新排程；如仍失败，请联系管理员查看服务日志。",
    "job_err_ended": "排程任务已结束，未生成排程（状态：{status}）。",
    "job_err_part_failed": "有 {count} 个分片任务未成功（{parts}），无法合并为完整排程，请重新排程。",
}
