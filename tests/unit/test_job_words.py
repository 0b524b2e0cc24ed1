"""Each way a plan job fails (hub_scheduler/services/job_failures.py) is said in Chinese and in
English from its code and params (api/job_words.py), never with the exception's text; a code
this version has no words for, and a job failed before the codes, keep their English."""

from __future__ import annotations

import re

import pytest

from api.job_words import error_words, failure_words, plan_failed_words
from api.web.i18n import translator
from hub_scheduler.services import job_failures as f
from hub_scheduler.verify.findings import Violation

CJK = re.compile(r"[\u4e00-\u9fff]")
OVERLAP = Violation.of(
    "dock_overlap",
    dock="D1",
    hub="XW-LP",
    first="E01/L1",
    second="E02/L2",
    until="2026-11-28T10:30:00+08:00",
    start="2026-11-28T10:15:00+08:00",
)
FAILURES = {
    f.JOB_STALE: f.job_stale(10.0, 120.0),
    f.JOB_WORKER_LOST: f.job_worker_lost("host:12", 30.0, 2, 2),
    f.JOB_CRASHED: f.job_crashed(KeyError("secret row 17")),
    f.PLAN_NOT_VERIFIED: f.plan_not_verified([OVERLAP, OVERLAP]),
    f.MERGE_NOT_VERIFIED: f.merge_not_verified([OVERLAP]),
    f.MERGE_CRASHED: f.merge_crashed(ValueError("secret row 17")),
    f.PART_FAILED: f.part_failed([(12, "failed", "the job crashed"), (13, "cancelled", None)]),
}


def test_every_code_has_a_failure_here():
    assert set(FAILURES) == f.CODES
    assert all(failure.code == code for code, failure in FAILURES.items())


@pytest.mark.parametrize("code", sorted(f.CODES))
def test_each_failure_is_said_in_both_languages_without_the_exception_text(code):
    failure = FAILURES[code]
    zh = failure_words(failure.code, failure.params, translator("zh-CN"))
    en = failure_words(failure.code, failure.params, translator("en"))
    assert zh is not None and CJK.search(zh) and "{" not in zh, zh
    assert en is not None and not CJK.search(en) and "{" not in en, en
    assert "secret" not in zh + en and "host:12" not in zh + en
    assert "secret" in failure.text or code not in (f.JOB_CRASHED, f.MERGE_CRASHED)


def test_the_words_say_the_params():
    zh = translator("zh-CN")
    assert failure_words("job_stale", FAILURES["job_stale"].params, zh) == (
        "排程任务中断（工作进程无响应超过 130 秒），请重新排程。"
    )
    said = failure_words("plan_not_verified", FAILURES["plan_not_verified"].params, zh)
    assert said is not None and said.startswith(
        "排程结果未通过校验，未予保存（2 处违反规则，首条："
        "H3 场站 XW-LP 的车位 D1：E01/L1 与 E02/L2"
    )
    parts = failure_words("part_failed", FAILURES["part_failed"].params, zh)
    assert (
        parts == "有 2 个分片任务未成功（#12 失败、#13 已取消），无法合并为完整排程，请重新排程。"
    )


def test_unknown_codes_and_old_jobs_keep_their_english():
    zh = translator("zh-CN")
    assert failure_words("from_a_newer_version", {}, zh) is None
    assert error_words("old English", "from_a_newer_version", {}, zh) == "old English"
    assert error_words("old English", None, None, zh) == "old English"
    assert error_words(None, None, None, zh) is None
    # a job stored with a code whose words need a param it lacks: its English, not a crash
    assert error_words("old English", "job_stale", {}, zh) == "old English"


def test_a_plan_that_could_not_be_made_says_its_failure_or_its_status():
    zh = translator("zh-CN")
    stale = FAILURES["job_stale"]
    coded = {"plan": 3, "status": "failed", "error_code": stale.code, "error_params": stale.params}
    assert plan_failed_words(coded, zh).startswith("排程任务中断")
    cancelled = {"plan": 3, "status": "cancelled", "error_code": None, "error_params": None}
    assert plan_failed_words(cancelled, zh) == "排程任务已结束，未生成排程（状态：已取消）。"
