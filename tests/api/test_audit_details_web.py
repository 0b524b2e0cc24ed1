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
from hub_scheduler.records import AuditEntry
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
