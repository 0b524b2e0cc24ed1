"""A published plan of the Xunwu day's toll station and its one cold dock (TS-COLD1), for the
tests of a plan's figures on the live day (test_live_figures.py, test_figures_pending.py,
test_figures_background.py): cold trucks placed one after another from 07:30, one left out."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.domain import Load, LoadStatus, ReasonCode, Schedule, Unscheduled
from hub_scheduler.facts import assignment, disinfection_minutes
from tests.api.calls import stored_plan

T = datetime.fromisoformat
DAY_START = T("2026-11-28T00:00:00+08:00")
SLOT = T("2026-11-28T07:30:00+08:00")


def cold_load(xunwu, load_id: str, **changes) -> Load:
    """A cold load for TS-COLD1, released 07:30, due 10 minutes after it would end from then
    (done by 10:00 at the latest), with a pass."""
    template = next(ld for ld in xunwu.loads if ld.temperature.value == "cold")
    due = SLOT + timedelta(minutes=template.handling_minutes + 10)
    return template.model_copy(
        update={
            "id": f"{template.enterprise_id}/{load_id}",
            "release": SLOT,
            "due": due,
            "deadline": T("2026-11-28T10:00:00+08:00"),
            "allowed_hubs": ["XW-TS"],
            "has_pass": True,
            "status": LoadStatus.SUBMITTED,
            **changes,
        }
    )


def cold_plan(
    uow, xunwu, placed: list[tuple[Load, datetime]], left_out: list[Load], *, add_loads: bool
) -> int:
    """A succeeded plan (not published) placing each load of `placed` on TS-COLD1 at its start
    and leaving `left_out` out (the loads stored first when `add_loads`); its id."""
    hub = next(h for h in xunwu.hubs if h.id == "XW-TS")
    zone = next(z for z in hub.zones if z.id == "TS-COLD")
    if add_loads:
        with uow:
            for load in [*(ld for ld, _ in placed), *left_out]:
                uow.loads.add(load)
            uow.commit()
    rows = [
        assignment(
            load.id,
            (hub.id, zone.id, "TS-COLD1"),
            start,
            load.handling_minutes,
            disinfection_minutes(load, zone, hub),
        )
        for load, start in placed
    ]
    schedule = Schedule(
        scenario="xunwu",
        status="feasible",
        objective=0.0,  # what the solver claimed; the publish counts it again
        bound=0.0,
        assignments=rows,
        unscheduled=[
            Unscheduled(load_id=ld.id, reason_code=ReasonCode.CAPACITY, reason="x")
            for ld in left_out
        ],
        kpis={"placed": len(rows), "unscheduled": len(left_out), "late_count": 0},
    )
    return stored_plan(uow, schedule, DAY_START).stored_id


def publish(client, tokens, plan_id: int) -> dict:
    response = client.post(f"/api/v1/plans/{plan_id}/publish", headers=tokens["admin"])
    assert response.status_code == 200, response.json
    return response.json


def check_in(client, tokens, load_id: str, at: str) -> dict:
    response = client.post(
        f"/api/v1/loads/{load_id}/check-in",
        headers=tokens["operator"],
        json={"at": at, "has_pass": True},
    )
    assert response.status_code == 200, response.json
    return response.json


def plan_views(client, tokens, plan_id: int) -> list[dict]:
    """The plan as `GET /plans/{id}`, `/plans/published` and the plan list show it."""
    headers = tokens["admin"]
    job = client.get(f"/api/v1/plans/{plan_id}", headers=headers).json
    shown = client.get("/api/v1/plans/published?date=2026-11-28", headers=headers).json["plan"]
    listed = client.get("/api/v1/plans", headers=headers).json["items"]
    return [job, shown, next(p for p in listed if p["id"] == plan_id)]
