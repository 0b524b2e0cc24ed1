"""The case data of a positive truck (its plate, its load id) reaches the command centre only:
operators and enterprises see "closed for disinfection" and the time, in the API and the pages.
Each role is asked, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from hub_scheduler.services.block_reasons import DEEP_DISINFECTION
from models.scenario_store import store_scenario

HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}
NOT_ADMIN = ["operator", "enterprise", "other_enterprise"]


@pytest.fixture
def api_database_url(migrated_database_url):
    return migrated_database_url


@pytest.fixture
def incident(client, tokens, uow, seeded, xunwu, request):
    """The Xunwu day planned and published, then a positive truck reported by plate or load id.

    Returns the case datum that must not leak, the blocked windows as the admin sees them, and
    the paths every role may read afterwards (the re-plan's, the published plan's).
    """
    store_scenario(uow, xunwu)
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    published = client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["admin"]).json
    source = min(published["assignments"], key=lambda a: a["start"])
    load = next(ld for ld in xunwu.loads if ld.id == source["load_id"])
    by = getattr(request, "param", "vehicle_plate")
    secret = load.vehicle_plate if by == "vehicle_plate" else load.id
    reported = client.post(
        "/api/v1/incidents",
        headers=tokens["admin"],
        json={by: secret, "at": source["end"], "time_limit_s": 1},
    )
    assert reported.status_code in (201, 202), reported.json
    hub = client.get(f"/api/v1/hubs/{source['hub_id']}", headers=tokens["admin"]).json
    blocks = [w for w in hub["blocked"] if w.get("reason_code") == DEEP_DISINFECTION]
    assert blocks, hub["blocked"]
    replan = reported.json["plan"]["id"]
    paths = ["/api/v1/hubs", f"/api/v1/plans/{replan}", f"/api/v1/plans/{replan}/assignments"]
    return secret, blocks, paths


@pytest.mark.parametrize("incident", ["vehicle_plate", "load_id"], indirect=True)
def test_the_command_centre_sees_which_truck_closed_the_dock(client, tokens, incident):
    secret, blocks, _ = incident
    assert all(secret in w["reason_params"].values() for w in blocks)
    listed = client.get("/api/v1/hubs", headers=tokens["admin"]).get_data(as_text=True)
    assert secret in listed


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize("incident", ["vehicle_plate", "load_id"], indirect=True)
def test_others_see_closed_for_disinfection_and_the_time_only(client, tokens, incident, role):
    secret, blocks, paths = incident
    for path in paths:
        response = client.get(path, headers=tokens[role])
        assert response.status_code in (200, 403), path  # a re-plan's job view is staff only
        assert secret not in response.get_data(as_text=True), path
    hubs = client.get("/api/v1/hubs", headers=tokens[role]).json
    seen = [w for h in hubs for w in h["blocked"] if w.get("reason_code") == DEEP_DISINFECTION]
    assert [(w["start"], w["end"], w["dock_id"]) for w in seen] == [
        (w["start"], w["end"], w["dock_id"]) for w in blocks
    ]
    assert all(w["reason"] == "closed for disinfection" and w["reason_params"] == {} for w in seen)
    one = client.get(f"/api/v1/hubs/{hubs[0]['id']}", headers=tokens[role])
    assert secret not in one.get_data(as_text=True)


def test_an_enterprise_sees_only_its_own_late_loads_in_the_plan_in_force(
    client, tokens, uow, seeded, xunwu
):
    """The plan's KPIs name every late load and the loads that held its dock before: an
    enterprise reading `/plans/published` sees its own there, never another enterprise's."""
    store_scenario(uow, xunwu)
    plan = client.post(
        "/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    client.post(f"/api/v1/plans/{plan['id']}/publish", headers=tokens["admin"])
    path = "/api/v1/plans/published?date=2026-11-28"
    late = client.get(path, headers=tokens["admin"]).json["plan"]["kpis"]["late_loads"]
    held = {key for item in late for key in item["dock_held_before_by"]}
    assert {item["enterprise_id"] for item in late} - {"E01"}, late  # others are late too
    assert any(not key.startswith("E01/") for key in held), held
    answer = client.get(path, headers=tokens["enterprise"])
    seen = answer.json["plan"]["kpis"]
    own = [item["load_id"] for item in late if item["enterprise_id"] == "E01"]
    assert [item["load_id"] for item in seen["late_loads"]] == own
    assert "late_loads_others" not in seen  # the others' count is a plan-wide figure
    for item in seen["late_loads"]:
        assert all(key.startswith("E01/") for key in item["dock_held_before_by"]), item
    mine = {ld.id for ld in xunwu.loads if ld.enterprise_id == "E01"}
    others = {item["load_id"] for item in late} | {key.split("/")[1] for key in held}
    text = answer.get_data(as_text=True)
    assert [i for i in sorted(others - mine) if f'"{i}"' in text or f"/{i}" in text] == []


def _page_as(app, tokens, role: str, path: str) -> str:
    app.config["SESSION_COOKIE_SECURE"] = False  # the test client speaks plain http
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    token = tokens[role]["Authorization"].removeprefix("Bearer ")
    signed = client.post("/login", data={"token": token, "csrf_token": csrf})
    assert signed.status_code == 303
    response = client.get(path, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_operators_timeline_says_消杀封闭_without_the_plate(app, tokens, incident):
    secret, _, _ = incident
    page = _page_as(app, tokens, "operator", "/plans/published?date=2026-11-28")
    assert "消杀封闭" in page
    assert secret not in page


def test_the_command_centres_timeline_names_the_plate(app, tokens, incident):
    secret, _, _ = incident
    page = _page_as(app, tokens, "admin", "/plans/published?date=2026-11-28")
    assert f"消杀封闭 ({secret})" in page


def test_the_migration_moves_the_truck_out_of_old_block_and_replan_reasons(database_url, xunwu):
    from datetime import UTC, datetime

    from hub_scheduler.domain import BlockedWindow
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.tables import PlanRow
    from models.uow import SqlUnitOfWork

    upgrade(database_url, "0001")
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        at = datetime(2026, 11, 28, 4, tzinfo=UTC)
        old = BlockedWindow(
            id="B1",
            start=at,
            end=at.replace(hour=6),
            dock_id=xunwu.hubs[0].zones[0].docks[0].id,
            reason="deep disinfection after a positive case (赣B·12345)",
        )
        with uow:
            uow.hubs.add(xunwu.hubs[0].model_copy(update={"blocked": [old]}))
            # The 0001 schema through its own columns: today's PlanRow has columns added later.
            import sqlalchemy as sa

            old_plans = sa.table(
                "plans",
                *[
                    sa.column(c)
                    for c in (
                        "horizon_start",
                        "horizon_end",
                        "status",
                        "requested_at",
                        "requested_by",
                        "published",
                    )
                ],
                sa.column("params", sa.JSON),
                sa.column("progress", sa.JSON),
                sa.column("extra", sa.JSON),
            )
            uow.session.execute(
                sa.insert(old_plans).values(
                    horizon_start=at,
                    horizon_end=at.replace(hour=20),
                    status="queued",
                    params={"reason": "incident: 赣B·12345", "time_limit_s": 1},
                    progress={},
                    extra={},
                    requested_by="",
                    published=False,
                    requested_at=at,
                )
            )
            uow.commit()
        upgrade(database_url)
        with uow:
            window = uow.hubs.get(xunwu.hubs[0].id).blocked[0]
            plan = uow.session.query(PlanRow).one()
            assert plan.params == {"reason": "incident: a positive case", "time_limit_s": 1}
        assert window.reason == "closed for disinfection"
        assert (window.reason_code, window.reason_params) == (
            DEEP_DISINFECTION,
            {"truck": "赣B·12345"},
        )
    finally:
        engine.dispose()
