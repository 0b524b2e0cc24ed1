"""The audit page says an entry's details in words: known keys by their label in the page's
language, loads as `id · enterprise`, numbers grouped; the raw JSON only behind a toggle."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from api.web.audit_messages import LABELS
from api.web.messages import EN, ZH
from api.web.signin import CSRF_FIELD
from hub_scheduler import load_keys
from hub_scheduler.records import Activation, AuditEntry
from hub_scheduler.services import users

PASSWORD = "correct horse battery"
DETAILS = {
    "role": "enterprise",
    "objective": 1463135.0,
    "placed": 184,
    "load_ids": [load_keys.ref("E01/FU-101"), load_keys.ref("E02/FU-101")],
}


@pytest.fixture
def admin(client, uow, seeded, monkeypatch):
    monkeypatch.setattr(users, "PASSWORD_HASHER", PasswordHasher.from_parameters(CHEAPEST))
    users.create_user(
        uow, name="chief", role="admin", password=PASSWORD, enterprise_id=None, actor="test"
    )
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": "chief", "password": PASSWORD, CSRF_FIELD: csrf}
    assert client.post("/login", data=form).status_code == 303
    with uow:
        uow.audit.add(
            AuditEntry(
                at=datetime(2026, 11, 27, 1, 0, tzinfo=UTC),
                actor="system",
                action="plan.succeed",
                target_type="plan",
                target_id="7",
                details=DETAILS,
            )
        )
        uow.commit()
    return client


def _details(client, lang: str) -> tuple[str, str]:
    """The details cell's words without the raw toggle, and the toggle's text."""
    page = client.get("/admin/audit?target=7", headers={"Accept-Language": lang})
    cell = re.search(r'class="audit-details">(.*?)</td>', page.get_data(as_text=True), re.S)
    shown, _, raw = cell.group(1).partition("<details")
    return html.unescape(re.sub(r"<[^>]+>", "", shown)), html.unescape(raw)


def test_the_details_are_said_in_chinese_with_loads_and_numbers_readable(admin):
    shown, raw = _details(admin, "zh-CN")
    assert "角色 企业" in shown
    assert "目标值 1,463,135" in shown and "已排车辆 184" in shown
    assert "车次 FU-101 · E01、FU-101 · E02" in shown
    for rawish in ("role=", "objective=", "1463135.0", "{'load_id'", "E01/FU-101"):
        assert rawish not in shown
    assert "原始数据" in raw and '"objective": 1463135.0' in raw  # the raw JSON, behind a toggle


def test_the_details_are_said_in_english_by_switch(admin):
    shown, raw = _details(admin, "en")
    assert "role Enterprise" in shown and "objective 1,463,135" in shown
    assert "loads FU-101 · E01, FU-101 · E02" in shown
    assert "Raw data" in raw


def test_every_detail_label_has_chinese_and_english():
    for key in LABELS:
        assert EN[f"audit_key_{key}"] and ZH[f"audit_key_{key}"] != EN[f"audit_key_{key}"]


def _add(uow, action: str, target: str, details: dict) -> None:
    with uow:
        uow.audit.add(
            AuditEntry(
                at=datetime(2026, 11, 30, 17, 31, tzinfo=UTC),
                actor="gate",
                action=action,
                target_type="load",
                target_id=target,
                details=details,
            )
        )
        uow.commit()


def _shown(client, target: str, lang: str = "zh-CN") -> str:
    page = client.get(f"/admin/audit?target={target}", headers={"Accept-Language": lang})
    cell = re.search(r'class="audit-details">(.*?)</td>', page.get_data(as_text=True), re.S)
    shown = cell.group(1).partition("<details")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", shown)).split())


def test_a_repair_says_its_reason_as_a_sentence_and_its_times_in_the_sites_zone(admin, uow):
    """(Before: "code LATE_ARRIVAL；params planned_start: 2026-12-01T05:15:00+08:00; ...")"""
    repair = {
        "code": "LATE_ARRIVAL",
        "params": {
            "planned_start": "2026-12-01T05:15:00+08:00",
            "earliest": "2026-11-30T21:40:00+00:00",
            "new_start": "2026-12-01T05:45:00+08:00",
            "new_dock": "LP-AMB1",
            "tried": 46,
            "moved": ["E02/FU-3"],
        },
    }
    _add(uow, "load.repair", "E01/FU-7", repair)
    shown = _shown(admin, "E01/FU-7")
    assert "原因 车辆晚于原定时段到达" in shown
    assert "原定开始 2026-12-01 05:15" in shown and "最早开始 2026-12-01 05:40" in shown
    assert "新车位 LP-AMB1" in shown and "尝试时段数 46" in shown and "调整 FU-3 · E02" in shown
    for raw in ("LATE_ARRIVAL", "params", "planned_start", "T05:15", "+08:00", "tried"):
        assert raw not in shown
    english = _shown(admin, "E01/FU-7", "en")
    assert "reason The truck came after its slot" in english
    assert "planned start 2026-12-01 05:15" in english


def test_a_gate_step_says_its_statuses_and_time_in_words(admin, uow):
    """(Before: "从 scheduled；至 checked_in；at 2026-12-01T01:31:09.787233+08:00")"""
    step = {"from": "scheduled", "to": "checked_in", "at": "2026-12-01T01:31:09.787233+08:00"}
    _add(uow, "load.check_in", "E01/FU-8", step)
    shown = _shown(admin, "E01/FU-8")
    assert "从 已排期" in shown and "至 已入场" in shown and "时间 2026-12-01 01:31" in shown
    assert not re.search(r"scheduled|checked_in|\bat\b|09\.787", shown), shown
    rejected = {"from": "scheduled", "to": "rejected", "failed_checks": ["FEVER: body 38.2 °C"]}
    _add(uow, "load.reject", "E01/FU-9", rejected)
    assert "未通过的查验 体温过高" in _shown(admin, "E01/FU-9")
    assert "failed checks FEVER: body 38.2 °C" in _shown(admin, "E01/FU-9", "en")


def test_a_plan_request_says_its_time_limit_by_its_label(admin, uow):
    """(Before: "time_limit_s 5")"""
    _add(
        uow, "plan.request", "41", {"horizon_start": "2026-12-01T00:00:00+08:00", "time_limit_s": 5}
    )
    shown = _shown(admin, "41")
    assert "求解时限（秒） 5" in shown and "排程开始 2026-12-01 00:00" in shown
    assert "time_limit_s" not in shown


def test_a_reason_the_services_prefix_in_english_is_said_in_chinese(admin, uow):
    _add(uow, "plan.request", "42", {"reason": "activation: 北区暴雨", "time_limit_s": 5})
    assert "原因 应急启用：北区暴雨" in _shown(admin, "42")
    assert "reason activation: 北区暴雨" in _shown(admin, "42", "en")


def test_a_loads_changed_fields_are_named_as_the_loads_page_names_them(admin, uow):
    _add(uow, "load.update", "E01/FU-10", {"fields": ["due", "release", "temperature"]})
    assert "字段 期望完成、预计到达、温层" in _shown(admin, "E01/FU-10")


def test_who_did_it_is_said_in_the_pages_language_not_as_stored(admin, uow):
    """(Before: "chief (user)", "erp (token 7)", "system" and "cli" on the Chinese audit page and
    the board's activation history.)"""
    actors = ["chief (user)", "erp (token 7)", "system", "cli", "public", "someone else"]
    for n, actor in enumerate(actors):
        with uow:
            uow.audit.add(
                AuditEntry(
                    at=datetime(2026, 11, 30, 17, n, tzinfo=UTC),
                    actor=actor,
                    action="hub.status",
                    target_type="hub",
                    target_id="XW-WHO",
                    details={},
                )
            )
            uow.commit()
    with uow:
        at = datetime(2026, 11, 30, 18, tzinfo=UTC)
        uow.activations.add(
            Activation(hub_ids=["XW-SA-N"], reason="演练", actor="chief (user)", at=at)
        )
        uow.commit()

    def cells(path: str, lang: str) -> list[str]:
        page = admin.get(path, headers={"Accept-Language": lang}).get_data(as_text=True)
        found = re.findall(r'<td data-label="(?:操作人|Who|By)"[^>]*>(.*?)</td>', page, re.S)
        return [html.unescape(c).strip() for c in found]

    assert cells("/admin/audit?target=XW-WHO", "zh-CN") == [
        "someone else",
        "公众（热线）",
        "命令行",
        "系统",
        "erp（令牌 7）",
        "chief（用户）",
    ]
    assert cells("/admin/audit?target=XW-WHO", "en") == [
        "someone else",
        "the public (hotline)",
        "command line",
        "system",
        "erp (token 7)",
        "chief (user)",
    ]
    assert "chief（用户）" in cells("/board", "zh-CN")


def test_a_switch_re_plans_reason_is_said_in_chinese(admin, uow):
    """(Before: "原因 hub XW-TS suspended: 澄江镇出现阳性病例", services/hubs.py's words.)"""
    _add(uow, "plan.request", "43", {"reason": "hub XW-TS suspended: 澄江镇出现阳性病例"})
    assert "原因 场站 XW-TS 已暂停：澄江镇出现阳性病例" in _shown(admin, "43")
    assert "reason hub XW-TS suspended: 澄江镇出现阳性病例" in _shown(admin, "43", "en")
    _add(uow, "plan.request", "44", {"reason": "hub XW-SA-S active: 北区暴雨"})
    assert "原因 场站 XW-SA-S 运行中：北区暴雨" in _shown(admin, "44")


def test_a_re_plan_asked_for_on_the_timeline_says_so_in_chinese(admin, uow):
    """(Before: "原因 asked for on the timeline page", api/web/timeline.py's words.)"""
    _add(uow, "plan.request", "45", {"reason": "asked for on the timeline page"})
    assert "原因 在排程时间轴页面发起" in _shown(admin, "45")
    assert "asked for" not in _shown(admin, "45")
    assert "reason Asked for on the timeline page" in _shown(admin, "45", "en")
