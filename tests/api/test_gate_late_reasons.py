"""A late truck is told why no earlier slot was possible: the check-in answer's `reasons` (and the
load's `slot_changed.reasons` after an ETA change) name the rule, the busy dock and its times in
the site's zone, the message in the reader's language (zh-CN by default). On SQLite and
PostgreSQL. (Before: the answer gave the new slot and no reason.)

The day: a test hub T1 with one dock; load A 10:00-11:00 (due 11:00), load B 11:15-12:15 (due
12:15, so it may not be pushed), both only at T1. A's truck at 10:45 cannot start before B's
dock is disinfected at 12:25: its slot is 12:30 and the answer names dock D1 busy 11:15-12:15,
disinfected until 12:25 (H3)."""

from __future__ import annotations

from datetime import datetime

import pytest

from api.web.signin import CSRF_FIELD
from hub_scheduler.domain import Dock, Hub, Load, Zone
from models.scenario_store import store_scenario
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.calls import HORIZON, in_force
from tests.api.web_pages import csrf, signed_in

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
T = datetime.fromisoformat


def _load(load_id: str, release: str, due: str) -> Load:
    return Load(
        id=load_id,
        enterprise_id="E01",
        category="daily_necessities",
        temperature="ambient",
        handling_minutes=60,
        release=T(f"2026-11-28T{release}:00+08:00"),
        due=T(f"2026-11-28T{due}:00+08:00"),
        allowed_hubs=["T1"],
        has_pass=True,
    )


@pytest.fixture
def one_dock_day(client, tokens, uow, seeded) -> dict:
    """The day above, planned (1 s) and published: the plan in force (API JSON)."""
    hub = Hub(
        id="T1",
        name="测试场站",
        disinfection_minutes=10,
        zones=[Zone(id="TZ", temperature="ambient", docks=[Dock(id="D1")])],
    )
    loads = [_load("A", "10:00", "11:00"), _load("B", "11:00", "12:15")]
    store_scenario(uow, seeded.model_copy(update={"hubs": [hub], "loads": loads, "transfers": []}))
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    slots = {a["load_id"]: a for a in in_force(client, tokens)["assignments"]}
    assert (slots["A"]["start"], slots["B"]["start"]) == (
        "2026-11-28T10:00:00+08:00",
        "2026-11-28T11:15:00+08:00",
    )
    return slots


BUSY = {
    "code": "dock_busy",
    "rule": "H3",
    "params": {
        "hub": "T1",
        "zone": "TZ",
        "dock": "D1",
        "start": "2026-11-28T11:15:00+08:00",
        "end": "2026-11-28T12:15:00+08:00",
        "until": "2026-11-28T12:25:00+08:00",
    },
}


def test_a_late_check_in_names_the_busy_dock_in_chinese(client, tokens, one_dock_day):
    response = client.post(
        "/api/v1/loads/A/check-in",
        json={"at": "2026-11-28T10:45:00+08:00", "has_pass": True},
        headers={**tokens["operator"], **ZH},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["slot"]["start"] == "2026-11-28T12:30:00+08:00"
    assert body["reason"]["code"] == "LATE_ARRIVAL"
    assert body["reasons"] == [
        {**BUSY, "message": "测试场站 车位 D1 在 11:15–12:15 已被占用，并需消杀至 12:25（H3）。"}
    ]
    # the load keeps the reasons while the repaired slot is in force
    load = client.get("/api/v1/loads/A", headers={**tokens["enterprise"], **EN}).json
    assert load["slot_changed"]["reasons"] == [
        {
            **BUSY,
            "message": "测试场站 dock D1 is taken 11:15–12:15 and disinfected until 12:25 (H3).",
        }
    ]


def test_an_eta_change_names_the_busy_dock_in_the_answer(client, tokens, one_dock_day):
    response = client.patch(
        "/api/v1/loads/A",
        json={"release": "2026-11-28T10:45:00+08:00"},
        headers={**tokens["enterprise"], **ZH},
    )
    assert response.status_code == 200, response.json
    changed = response.json["slot_changed"]
    assert changed["code"] == "ETA_CHANGED"
    assert changed["params"]["new_start"] == "2026-11-28T12:30:00+08:00"
    assert [(r["rule"], r["params"]["dock"]) for r in changed["reasons"]] == [("H3", "D1")]
    assert "11:15–12:15" in changed["reasons"][0]["message"]


def test_the_gate_page_and_the_enterprises_load_page_say_why_in_chinese_and_english(
    app, tokens, one_dock_day
):
    operator = signed_in(app, tokens, "operator")
    form = {CSRF_FIELD: csrf(operator, "/gate?date=2026-11-28"), "date": "2026-11-28", "plate": ""}
    form |= {"at": "2026-11-28T10:45", "has_pass": "on"}
    response = operator.post("/gate/loads/A/check-in", data=form, headers=ZH)
    text = operator.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "最早可用 12:30，原因：" in text
    said = "测试场站 车位 D1 在 11:15–12:15 已被占用，并需消杀至 12:25（H3）。"
    assert f'<li data-rule="H3" data-code="dock_busy">{said}</li>' in text

    enterprise = signed_in(app, tokens, "enterprise")
    page = enterprise.get("/loads?date=2026-11-28", headers=ZH).get_data(as_text=True)
    assert "最早可用 12:30，原因：" in page and said in page
    enterprise.get("/language/en?next=/loads")
    page = enterprise.get("/loads?date=2026-11-28", headers=ZH).get_data(as_text=True)
    assert "Earliest possible start 12:30, because:" in page
    assert "测试场站 dock D1 is taken 11:15–12:15 and disinfected until 12:25 (H3)." in page
