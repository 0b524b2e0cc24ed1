"""API calls the tests make again and again, through a Flask test client and a role's headers.

`publish_day` plans and publishes the Xunwu day; `in_force` reads the plan in force; `audit_items`
lists audit entries; `busy_slot` finds a slot with another truck soon after it on its dock (a late
truck there must move). The e2e browser tests use `busy_slot` on the same JSON. `stored_plan`
stores a hand-made succeeded plan of the Xunwu day straight through the unit of work (no API).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_scheduler.domain import Schedule
from hub_scheduler.records import JobStatus, Plan
from models.scenario_store import store_scenario

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
DAY = "2026-11-28"


def stored_plan(uow, schedule: Schedule, at: datetime, *, publish: bool = False) -> Plan:
    """Store a succeeded plan job of the Xunwu day (HORIZON) holding `schedule`, as if a job had
    asked, run and finished at `at` (an aware datetime), in one transaction; published at `at`
    too when `publish` (else publish it through the API, as the command centre does). Returns the
    stored plan (its `id`)."""
    with uow:
        plan = uow.plans.add(
            Plan(
                horizon_start=datetime.fromisoformat(HORIZON["start"]),
                horizon_end=datetime.fromisoformat(HORIZON["end"]),
                status=JobStatus.SUCCEEDED,
                progress={"phase": "done"},
                requested_by="test",
                requested_at=at,
                started_at=at,
                finished_at=at,
                schedule=schedule,
            )
        )
        if publish:
            uow.plans.publish(plan.id, actor="test", at=at)
        uow.commit()
    return plan


def in_force(client, tokens) -> dict:
    """`GET /api/v1/plans/published?date=2026-11-28` as the admin: the plan in force (JSON)."""
    return client.get(f"/api/v1/plans/published?date={DAY}", headers=tokens["admin"]).json


def publish_day(client, tokens, uow, xunwu) -> dict:
    """Store the Xunwu day, plan (1 s) and publish it; the plan in force (API JSON). Asserts the
    publish answered 200."""
    store_scenario(uow, xunwu)
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json
    return in_force(client, tokens)


def audit_items(client, admin_headers: dict, target_id: str, action: str | None = None) -> list:
    """The audit entries of `target_id` (of one `action` when given), newest first, as JSON.
    Asserts the listing answered 200."""
    query = {"target_id": target_id} | ({"action": action} if action else {})
    response = client.get("/api/v1/audit", query_string=query, headers=admin_headers)
    assert response.status_code == 200, response.json
    body = response.json
    return body if isinstance(body, list) else body["items"]


def busy_slot(assignments: list[dict], within: timedelta = timedelta(minutes=30)) -> dict:
    """The first slot (by hub, dock, start) whose dock's next truck starts less than `within`
    after this one's disinfection ends. AssertionError when there is none."""
    rows = sorted(assignments, key=lambda a: (a["hub_id"], a["dock_id"], a["start"]))
    for a, b in zip(rows, rows[1:], strict=False):
        same = (a["hub_id"], a["dock_id"]) == (b["hub_id"], b["dock_id"])
        gap = datetime.fromisoformat(b["start"]) - datetime.fromisoformat(a["disinfected_at"])
        if same and gap < within:
            return a
    raise AssertionError("the demo day has no busy dock")


def load_total(client, tokens) -> int:
    """How many loads the admin sees (`GET /api/v1/loads?limit=1`, its `total`)."""
    response = client.get("/api/v1/loads?limit=1", headers=tokens["admin"])
    assert response.status_code == 200
    return response.json["total"]


def assert_problem(response, status: int) -> None:
    """The response is a problem+json with `status`, and no traceback leaked into it."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)
