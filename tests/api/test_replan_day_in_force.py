"""A re-plan without a horizon (an incident) re-plans the day in force now, not
the newest published plan: with tomorrow (11-29) published after today (11-28), an incident
today repairs today; and tomorrow too when the change reaches into it (a dock blocked past
midnight). (Before: the repair plan was for 11-29 only.)"""

from __future__ import annotations

from datetime import timedelta, timezone

from api.database import db
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)

CST = timezone(timedelta(hours=8))
TODAY = "2026-11-28T00:00:00+08:00"
TOMORROW = {"start": "2026-11-29T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"}


def _publish_tomorrow(client, tokens) -> None:
    plan = client.post(
        "/api/v1/plans", json={"horizon": TOMORROW, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    published = client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    assert published.status_code == 200, published.json


def _queued_horizons(app, reason: str) -> list[str]:
    uow = db.uow(app)
    with uow:
        plans = uow.plans.list(limit=None)
    return sorted(
        p.horizon_start.astimezone(CST).isoformat()
        for p in plans
        if reason in str(p.params.get("reason", "")) and not p.published
    )


def _incident(client, tokens, published, at: str):
    source = min(published["assignments"], key=lambda a: a["start"])
    response = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={"load_id": source["load_id"], "at": at, "time_limit_s": 1},
    )
    assert response.status_code == 201, response.json
    return response.json


def test_an_incident_today_repairs_today_even_when_tomorrow_was_published_last(
    app, client, tokens, published
):
    _publish_tomorrow(client, tokens)

    body = _incident(client, tokens, published, "2026-11-28T12:00:00+08:00")

    assert body["plan"]["horizon"]["start"] == TODAY, body["plan"]
    assert _queued_horizons(app, "incident") == ["2026-11-28T00:00:00+08:00"]


def test_an_incident_whose_block_reaches_past_midnight_re_plans_tomorrow_too(
    app, client, tokens, published
):
    _publish_tomorrow(client, tokens)

    body = _incident(client, tokens, published, "2026-11-28T23:00:00+08:00")

    assert body["plan"]["horizon"]["start"] == TODAY, body["plan"]
    assert _queued_horizons(app, "incident") == [
        "2026-11-28T00:00:00+08:00",
        "2026-11-29T00:00:00+08:00",
    ]


def test_a_suspension_re_plans_today_and_tomorrow_when_it_withdrew_slots_of_both(
    app, client, tokens, published, xunwu
):
    from tests.api.conftest import load_body

    model = xunwu.loads[2]  # E01's, with a pass valid past tomorrow
    ahead = timedelta(days=1)
    body = load_body(
        xunwu, 2, release=(model.release + ahead).isoformat(), due=(model.due + ahead).isoformat()
    )
    submitted = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert submitted.status_code == 201, submitted.json
    _publish_tomorrow(client, tokens)
    tomorrow = client.get("/api/v1/plans/published?date=2026-11-29", headers=tokens["admin"]).json
    hub_id = next(
        a["hub_id"] for a in tomorrow["assignments"] if a["load_id"] == submitted.json["id"]
    )
    assert any(a["hub_id"] == hub_id for a in published["assignments"])

    response = client.post(
        f"/api/v1/hubs/{hub_id}/status",
        headers=tokens["admin"],
        json={"status": "suspended", "reason": "test", "replan": {"time_limit_s": 1}},
    )

    assert response.status_code == 200, response.json
    assert response.json["plan"]["horizon"]["start"] == TODAY
    assert _queued_horizons(app, "suspended") == [
        "2026-11-28T00:00:00+08:00",
        "2026-11-29T00:00:00+08:00",
    ]
