"""What the gate saw is kept on the load (arrived_at, started_at, completed_at) and used by the
KPIs; the driver's phone is kept; a plate is found however it is written."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Load
from hub_scheduler.solver.kpis import gate_kpis
from hub_scheduler.values import plate_key
from tests.api.conftest import load_body

CST = ZoneInfo("Asia/Shanghai")


def _submit(client, tokens, xunwu, **changes) -> str:
    body = load_body(xunwu, 0, **changes)
    response = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_check_in_start_and_complete_store_the_gate_times_shown_in_the_site_zone(
    client, tokens, xunwu
):
    load_id = _submit(client, tokens, xunwu)
    gate = tokens["operator"]
    steps = [
        ("check-in", "2026-11-28T02:20:00Z", "arrived_at"),
        ("start", "2026-11-28T10:31:00+08:00", "started_at"),
        ("complete", "2026-11-28T11:02:00+08:00", "completed_at"),
    ]
    for step, at, _ in steps:
        body = {"at": at, "has_pass": True} if step == "check-in" else {"at": at}
        response = client.post(f"/api/v1/loads/{load_id}/{step}", headers=gate, json=body)
        assert response.status_code == 200, response.json

    load = client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json
    assert load["arrived_at"] == "2026-11-28T10:20:00+08:00"
    assert load["started_at"] == "2026-11-28T10:31:00+08:00"
    assert load["completed_at"] == "2026-11-28T11:02:00+08:00"


def test_a_load_not_yet_at_the_gate_has_no_gate_times(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu)
    load = client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json
    assert load.get("arrived_at") is None and load.get("completed_at") is None


def test_a_client_cannot_submit_gate_times(client, tokens, xunwu):
    body = load_body(xunwu, 0, arrived_at="2026-11-28T10:20:00+08:00")
    response = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert response.status_code == 422
    assert any("arrived_at" in (e.get("field") or "") for e in response.json["errors"])


def test_the_driver_phone_is_kept_and_can_be_changed(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu, driver_phone="13800138000")
    assert (
        client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json["driver_phone"]
        == "13800138000"
    )
    patched = client.patch(
        f"/api/v1/loads/{load_id}", json={"driver_phone": "13900139000"}, headers=tokens["admin"]
    )
    assert patched.status_code == 200 and patched.json["driver_phone"] == "13900139000"


def test_a_plate_is_found_however_it_is_written(client, tokens, xunwu):
    load_id = _submit(client, tokens, xunwu, vehicle_plate="赣B·12345")
    _submit(client, tokens, xunwu, vehicle_plate="赣B54321")
    for written in ("赣B·12345", "赣B12345", "赣b12345", "赣B 12345", "赣Ｂ１２３４５"):
        page = client.get(
            "/api/v1/loads", query_string={"vehicle_plate": written}, headers=tokens["admin"]
        ).json
        assert [ld["id"] for ld in page["items"]] == [load_id], written
        assert page["total"] == 1
    stored = client.get(f"/api/v1/loads/{load_id}", headers=tokens["admin"]).json
    assert stored["vehicle_plate"] == "赣B·12345"  # shown as written


def test_plate_key_drops_separators_and_case_only():
    assert plate_key("赣B·12345") == plate_key("赣b12345") == plate_key(" 赣B-12345 ") == "赣B12345"
    assert plate_key("赣B12345") != plate_key("赣B12346")


def _load(
    load_id: str,
    arrived: datetime | None,
    completed: datetime | None,
    slot: datetime | None = None,
) -> Load:
    """A load that came at `arrived` (None: not yet) for the slot starting at `slot`."""
    start = datetime(2026, 11, 28, 8, 0, tzinfo=CST)
    return Load(
        id=load_id,
        enterprise_id="E01",
        category="other",
        temperature="ambient",
        handling_minutes=30,
        release=start,
        due=start + timedelta(hours=2),
        arrived_at=arrived,
        completed_at=completed,
        arrival_slot_start=slot if arrived is not None else None,
    )


def test_gate_kpis_measure_actual_dwell_and_arrival_by_the_slot():
    slot = datetime(2026, 11, 28, 9, 0, tzinfo=CST)
    loads = [
        _load("early", slot - timedelta(minutes=10), slot + timedelta(minutes=40), slot),
        _load("late", slot + timedelta(minutes=20), slot + timedelta(minutes=80), slot),
        _load("on_site", slot - timedelta(minutes=5), None, slot),
        _load("not_come", None, None, slot),
    ]
    kpis = gate_kpis(loads)
    assert kpis["gate_arrivals"] == 3
    assert kpis["gate_on_time_rate"] == round(2 / 3, 4)
    assert kpis["actual_dwell_mean_minutes"] == 55.0  # (50 + 60) / 2
    assert kpis["actual_dwell_max_minutes"] == 60.0


def test_gate_kpis_without_arrivals_say_none_rather_than_a_perfect_score():
    kpis = gate_kpis([_load("x", None, None)])
    assert kpis == {
        "gate_arrivals": 0,
        "gate_on_time_rate": None,
        "actual_dwell_mean_minutes": None,
        "actual_dwell_max_minutes": None,
    }
