"""Public information and problem reports (issue 13), on SQLite and PostgreSQL: the public page
and JSON show a suspended hub as suspended and leak nothing; the cache shows a change after its
TTL; a report's life cycle (submit, answer, close, each audited); enterprise isolation; the
public rate limit; bad input as 4xx problems naming the field; the answer reaches the inbox."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.scenario_store import store_scenario
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.conftest import DAY_START

CACHE_S = 0.5
SECRET_NOTE = "阳性司机张三 13800138000 的密接"  # an incident's personal data


@pytest.fixture
def app_settings():
    return {
        "HUB_SCHEDULER_PUBLIC_CACHE_S": CACHE_S,
        "HUB_SCHEDULER_PUBLIC_REPORT_LIMIT": "3 per hour",
    }


def public_report_body(**changes) -> dict:
    body = {
        "kind": "refused_at_checkpoint",
        "text": "卡口不让通过",
        "contact": {"name": "李四", "phone": "13900000000"},
    }
    body.update(changes)
    return body


def without_form_tokens(html: str) -> str:
    """The page without its random CSRF value (random text could hold any short id)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_the_public_page_and_json_show_a_suspended_hub_and_leak_nothing(client, tokens, uow, xunwu):
    store_scenario(uow, xunwu)
    load = xunwu.loads[0]
    incident = client.post(
        "/api/v1/incidents",
        json={"vehicle_plate": load.vehicle_plate, "at": DAY_START, "note": SECRET_NOTE},
        headers=tokens["admin"],
    )
    assert incident.status_code in (200, 201, 202), incident.json
    suspended = client.post(
        "/api/v1/hubs/XW-TS/status",
        json={"status": "suspended", "reason": f"{SECRET_NOTE} {load.vehicle_plate}"},
        headers=tokens["admin"],
    )
    assert suspended.status_code in (200, 202), suspended.json

    data = client.get("/api/v1/public/hubs")
    assert data.status_code == 200
    assert data.headers["Cache-Control"].startswith("public, max-age=")
    hubs = {h["id"]: h for h in data.json["hubs"]}
    assert hubs["XW-TS"]["status"] == "suspended"
    assert hubs["XW-TS"]["open_now"] is False and hubs["XW-TS"]["hours_today"] == []
    assert hubs["XW-TS"]["status_changed_at"].endswith("+08:00")  # the site's zone
    assert hubs["XW-LP"]["status"] == "active" and hubs["XW-LP"]["always_open"] is True
    assert hubs["XW-SA-S"]["hours_today"][0]["start"].endswith("T06:00:00+08:00")
    assert {z["temperature"] for z in hubs["XW-LP"]["zones"]} == {"cold", "ambient"}

    page = client.get("/public", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    card = re.search(r'data-hub-id="XW-TS" data-status="suspended">(.*?)</li>', html, re.S)
    assert card is not None and "暂停" in card.group(1)
    english = client.get("/public", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Closed (suspended)" in english

    for text in (data.get_data(as_text=True), without_form_tokens(html)):
        assert SECRET_NOTE not in text and "张三" not in text
        for ld in xunwu.loads:
            assert ld.id not in text and (ld.vehicle_plate or "\0") not in text
        for enterprise in xunwu.enterprises:
            assert enterprise.name not in text
            assert f'"{enterprise.id}"' not in text


def test_a_standby_hub_switched_on_by_the_command_centre_shows_when_it_changed(
    client, tokens, uow, xunwu
):
    """An activation (POST /activations, the board's 启用) is a status change the public sees:
    the hub's card and JSON give its time, in the site's zone."""
    store_scenario(uow, xunwu)
    switched = client.post(
        "/api/v1/activations",
        json={
            "hub_ids": ["XW-SA-N"],
            "reason": "县城出现疫情",
            "horizon": {"start": DAY_START, "end": "2026-11-29T00:00:00+08:00"},
            "time_limit_s": 1,
        },
        headers=tokens["admin"],
    )
    assert switched.status_code == 202, switched.json
    at = datetime.fromisoformat(switched.json["activation"]["at"])
    hub = next(h for h in client.get("/api/v1/public/hubs").json["hubs"] if h["id"] == "XW-SA-N")
    assert hub["status"] == "active"
    assert hub["status_changed_at"] is not None and hub["status_changed_at"].endswith("+08:00")
    assert abs(datetime.fromisoformat(hub["status_changed_at"]) - at) < timedelta(seconds=5)
    html = client.get("/public", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    card = re.search(r'data-hub-id="XW-SA-N" data-status="active">(.*?)</li>', html, re.S)
    local = at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    assert card is not None and local in card.group(1)


def test_the_public_hubs_are_cached_and_a_change_shows_after_the_ttl(
    client, tokens, seeded, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr("api.public.clock", lambda: now[0])  # the cache's clock, held still

    def lp() -> dict:
        return next(h for h in client.get("/api/v1/public/hubs").json["hubs"] if h["id"] == "XW-LP")

    assert lp()["status"] == "active"
    client.post(
        "/api/v1/hubs/XW-LP/status",
        json={"status": "suspended", "reason": "drill"},
        headers=tokens["admin"],
    )
    now[0] += CACHE_S - 0.01
    assert lp()["status"] == "active"  # still the cached answer: the database was not asked
    now[0] += 0.02
    after = lp()
    assert after["status"] == "suspended" and after["status_changed_at"] is not None


def test_a_public_report_is_answered_closed_and_read_back_with_its_token(client, tokens, seeded):
    made = client.post("/api/v1/reports", json=public_report_body(hub_id="XW-LP"))
    assert made.status_code == 201, made.json
    number, token = made.json["number"], made.json["token"]
    assert made.json["status"] == "open" and made.json["lookup"].startswith(
        f"/api/v1/public/reports/{number}?token="
    )
    report_id = made.json["id"]

    mine = client.get(f"/api/v1/public/reports/{number}", query_string={"token": token})
    assert mine.status_code == 200 and mine.json["answer"] is None
    assert "contact" not in mine.json and "text" not in mine.json
    wrong = client.get(f"/api/v1/public/reports/{number}", query_string={"token": "guess"})
    assert wrong.status_code == 404 and wrong.mimetype == "application/problem+json"

    listed = client.get("/api/v1/reports?status=open", headers=tokens["admin"]).json
    assert [r["number"] for r in listed["reports"]] == [number]
    assert listed["reports"][0]["contact"]["phone"] == "13900000000"

    answered = client.post(
        f"/api/v1/reports/{report_id}/answer",
        json={"answer": "已通知卡口放行"},
        headers=tokens["admin"],
    )
    assert answered.status_code == 200 and answered.json["status"] == "answered"
    read = client.get(f"/api/v1/public/reports/{number}", query_string={"token": token}).json
    assert read["answer"] == "已通知卡口放行" and read["answered_at"].endswith("+08:00")

    closed = client.post(f"/api/v1/reports/{report_id}/close", headers=tokens["admin"])
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    again = client.post(f"/api/v1/reports/{report_id}/close", headers=tokens["admin"])
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    late = client.post(
        f"/api/v1/reports/{report_id}/answer", json={"answer": "x"}, headers=tokens["admin"]
    )
    assert late.status_code == 409

    audit = client.get("/api/v1/audit?target_type=report", headers=tokens["admin"]).json
    assert sorted(e["action"] for e in audit["items"]) == [
        "report.answer",
        "report.close",
        "report.create",
    ]
    assert "13900000000" not in str(audit)  # no contact details in the log


def test_an_enterprise_sees_only_its_own_reports_and_its_answer_reaches_its_inbox(
    client, tokens, uow, xunwu
):
    store_scenario(uow, xunwu)
    own = next(ld for ld in xunwu.loads if ld.enterprise_id == "E01")
    other = next(ld for ld in xunwu.loads if ld.enterprise_id == "E02")
    made = client.post(
        "/api/v1/reports",
        json={"kind": "wrong_slot", "text": "时段与车辆不符", "load_id": own.id},
        headers=tokens["enterprise"],
    )
    assert made.status_code == 201, made.json
    assert made.json["enterprise_id"] == "E01" and made.json["token"] is None
    refused = client.post(
        "/api/v1/reports",
        json={"kind": "wrong_slot", "text": "x", "load_id": other.id},
        headers=tokens["enterprise"],
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["load_id"]

    report_id = made.json["id"]
    assert client.get("/api/v1/reports", headers=tokens["other_enterprise"]).json == {
        "reports": [],
        "total": 0,
    }
    hidden = client.get(f"/api/v1/reports/{report_id}", headers=tokens["other_enterprise"])
    assert hidden.status_code == 404
    assert (
        client.get(f"/api/v1/reports/{report_id}", headers=tokens["enterprise"]).status_code == 200
    )
    assert (
        client.post(
            f"/api/v1/reports/{report_id}/answer",
            json={"answer": "x"},
            headers=tokens["enterprise"],
        ).status_code
        == 403
    )

    client.post(
        f"/api/v1/reports/{report_id}/answer",
        json={"answer": "已调整到 14:00"},
        headers=tokens["admin"],
    )
    inbox = client.get("/api/v1/inbox", headers=tokens["enterprise"]).json
    answered = [e for e in inbox["events"] if e["type"] == "report.answered"]
    assert len(answered) == 1 and answered[0]["data"]["answer"] == "已调整到 14:00"
    assert answered[0]["data"]["number"] == made.json["number"]
    others = client.get("/api/v1/inbox", headers=tokens["other_enterprise"]).json
    assert not [e for e in others["events"] if e["type"] == "report.answered"]
    shown = client.get(f"/api/v1/reports/{report_id}", headers=tokens["enterprise"]).json
    assert shown["answer"] == "已调整到 14:00" and shown["contact"] is None


def test_reports_without_sign_in_are_rate_limited_but_enterprises_are_not(client, tokens):
    for _ in range(3):
        assert client.post("/api/v1/reports", json=public_report_body()).status_code == 201
    refused = client.post("/api/v1/reports", json=public_report_body())
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json" and "Retry-After" in refused.headers
    signed = client.post(
        "/api/v1/reports",
        json={"kind": "no_slot", "text": "没有时段"},
        headers=tokens["enterprise"],
    )
    assert signed.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "no_slot", "text": "x"}, "contact"),
        (public_report_body(contact={"name": "李四"}), "contact.phone"),
        (public_report_body(contact={"name": "", "email": "a@b.cn"}), "contact.name"),
        (public_report_body(contact={"name": "李四", "email": "not-mail"}), "contact.email"),
        (public_report_body(kind="lost"), "kind"),
        (public_report_body(text=""), "text"),
        (public_report_body(text="x" * 2001), "text"),
        (public_report_body(hub_id="NOWHERE"), "hub_id"),
        (public_report_body(colour="red"), "colour"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_bad_reports_are_422_problems_naming_the_field(client, seeded, body, field):
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in [e["field"] for e in response.json["errors"]]


def test_bad_answers_and_filters_are_4xx_problems(client, tokens, seeded):
    made = client.post("/api/v1/reports", json=public_report_body()).json
    empty = client.post(
        f"/api/v1/reports/{made['id']}/answer", json={"answer": ""}, headers=tokens["admin"]
    )
    assert empty.status_code == 422 and empty.json["errors"][0]["field"] == "answer"
    assert client.post("/api/v1/reports/999/close", headers=tokens["admin"]).status_code == 404
    bad = client.get("/api/v1/reports?status=lost", headers=tokens["admin"])
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "status"
    no_token = client.get(f"/api/v1/public/reports/{made['number']}")
    assert no_token.status_code == 422 and no_token.json["errors"][0]["field"] == "token"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_public_form_says_what_is_missing_in_chinese_and_the_admin_page_answers(
    app, client, tokens
):
    page = client.get("/public", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "kind": "hub_closed", "text": "中转站关着", "name": "王五"}
    missing = client.post("/public/reports", data=form, headers={"Accept-Language": "zh-CN"})
    assert missing.status_code == 422
    assert "请填写电话或电子邮箱。" in missing.get_data(as_text=True)
    assert client.post("/public/reports", data={**form, "csrf_token": "x"}).status_code == 400
    made = client.post("/public/reports", data={**form, "email": "wang@example.cn"})
    assert made.status_code == 201
    number = re.search(r"R-[0-9A-Z]{6}", made.get_data(as_text=True)).group(0)

    admin = app.test_client()
    login = admin.get("/login?with=token").get_data(as_text=True)
    token = tokens["admin"]["Authorization"].removeprefix("Bearer ")
    signed = admin.post("/login", data={"token": token, "csrf_token": csrf_of(login)})
    assert signed.status_code == 303
    listed = admin.get("/admin/reports?status=open&kind=hub_closed").get_data(as_text=True)
    assert number in listed and "wang@example.cn" in listed
    assert number not in admin.get("/admin/reports?kind=no_slot").get_data(as_text=True)
    report_id = re.search(r'data-report-id="(\d+)"', listed).group(1)
    csrf = csrf_of(listed)
    empty = admin.post(
        f"/admin/reports/{report_id}/answer", data={"answer": " ", "csrf_token": csrf}
    )
    assert empty.status_code == 422
    closed = admin.post(f"/admin/reports/{report_id}/close", data={"csrf_token": csrf})
    assert closed.status_code == 303
    assert 'data-status="closed"' in admin.get("/admin/reports?status=closed").get_data(
        as_text=True
    )
    assert client.get("/admin/reports").status_code in (302, 303)  # the public is sent to sign in
