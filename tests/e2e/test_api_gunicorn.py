"""The API under a real gunicorn (2 workers) on a free port, on SQLite and on PostgreSQL.

One server per database for the module: the Xunwu day seeded, a plan made and published, then an
emergency activation and a positive-driver incident, each re-planned and published end to end.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from servers import REPO, free_port, gunicorn_argv, local_url, serving

pytestmark = [pytest.mark.e2e, pytest.mark.db]

DAY = "2026-11-28"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server_database(request, tmp_path_factory):
    """A fresh database for the module's server: a SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('gunicorn') / 'e2e.sqlite3'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    base = request.getfixturevalue("postgres_base_url")
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    with admin.begin() as connection:
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def server(server_database, tmp_path_factory):
    """Migrate, seed the Xunwu day, mint tokens, start gunicorn; yield (base URL, tokens)."""
    from hub_scheduler.scenario_file import read_scenario
    from hub_scheduler.services.tokens import issue_token
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.scenario_store import store_scenario
    from models.uow import SqlUnitOfWork

    upgrade(server_database)
    engine = make_engine(server_database)
    uow = SqlUnitOfWork(make_session_factory(engine))
    store_scenario(uow, read_scenario(REPO / "fixtures" / "xunwu.json"))
    tokens = {
        "admin": issue_token(uow, role="admin", label="e2e admin", actor="e2e"),
        "operator": issue_token(uow, role="operator", label="e2e gate", actor="e2e"),
        "enterprise": issue_token(uow, role="enterprise", enterprise_id="E01", actor="e2e"),
    }
    engine.dispose()

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": server_database,
        "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": "2",
        "HUB_SCHEDULER_PLAN_NOW": "2026-11-28T00:00:00+08:00",
    }
    log = tmp_path_factory.mktemp("gunicorn-log") / "gunicorn.log"
    with serving(gunicorn_argv(port), url=local_url(port), log=log, env=env, timeout_s=30):
        yield local_url(port), tokens


def _client(server, role="admin") -> httpx.Client:
    base, tokens = server
    return httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {tokens[role]}"}, timeout=30
    )


def _wait_for(api: httpx.Client, location: str, timeout: float = 60) -> dict:
    """Poll a plan job until it is finished; every poll may land on either worker."""
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(location)
        assert job.status_code == 200, job.text
        if job.json()["status"] in ("succeeded", "failed", "cancelled"):
            return job.json()
        assert time.monotonic() < deadline, f"plan still {job.json()['status']}"
        time.sleep(0.3)


def _published(api: httpx.Client) -> dict:
    response = api.get("/api/v1/plans/published", params={"date": DAY})
    assert response.status_code == 200, response.text
    return response.json()


def _plan_and_publish(api: httpx.Client) -> dict:
    response = api.post("/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 2})
    assert response.status_code == 202, response.text
    job = _wait_for(api, response.headers["Location"])
    assert job["status"] == "succeeded", job
    assert api.post(f"/api/v1/plans/{job['id']}/publish").status_code == 200
    return _published(api)


def test_health_readiness_and_the_four_hubs(server):
    base, _ = server
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/readyz").status_code == 200
    with _client(server) as api:
        assert len(api.get("/api/v1/hubs").json()) == 4
        assert httpx.get(f"{base}/api/v1/hubs").status_code == 401
        assert httpx.get(f"{base}/api/v1/openapi.json").json()["openapi"].startswith("3.")


def test_a_plan_job_runs_in_the_background_and_any_worker_reports_it(server):
    with _client(server) as api:
        response = api.post("/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 2})
        assert response.status_code == 202
        assert response.json()["status"] in ("queued", "running", "succeeded")
        job = _wait_for(api, response.headers["Location"])
        assert job["status"] == "succeeded", job
        assert job["placed"] > 150 and job["objective"] is not None
        assert job["progress"].get("phase") == "done"
        csv = api.get(f"/api/v1/plans/{job['id']}/export", params={"format": "csv"})
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        xlsx = api.get(f"/api/v1/plans/{job['id']}/export", params={"format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_emergency_activation_replans_and_keeps_checked_in_trucks(server):
    with _client(server) as api, _client(server, "operator") as gate:
        before = _plan_and_publish(api)
        placed = {a["load_id"]: a for a in before["assignments"]}
        # Check in the first few placed loads whose drivers pass screening: their slots are pinned.
        checked_in = []
        for load_id, slot in sorted(placed.items(), key=lambda kv: kv[1]["start"]):
            result = gate.post(f"/api/v1/loads/{load_id}/check-in", json={"at": slot["start"]})
            if result.status_code == 200 and result.json()["passed"]:
                checked_in.append(load_id)
            if len(checked_in) == 5:
                break
        assert len(checked_in) == 5

        response = api.post(
            "/api/v1/activations",
            json={
                "hub_ids": ["XW-SA-N"],
                "reason": "outbreak: county seat closed",
                "time_limit_s": 2,
            },
        )
        assert response.status_code == 202, response.text
        body = response.json()
        assert body["activation"]["hub_ids"] == ["XW-SA-N"] and body["activation"]["actor"]
        job = _wait_for(api, response.headers["Location"])
        assert job["status"] == "succeeded", job
        assert api.post(f"/api/v1/plans/{job['id']}/publish").status_code == 200

        after = _published(api)
        assert after["plan"]["id"] == job["id"]
        moved = {a["load_id"]: a for a in after["assignments"]}
        for load_id in checked_in:
            old, new = placed[load_id], moved[load_id]
            assert (new["hub_id"], new["dock_id"], new["start"]) == (
                old["hub_id"],
                old["dock_id"],
                old["start"],
            ), load_id
        assert api.get("/api/v1/hubs/XW-SA-N").json()["status"] == "active"
        history = api.get("/api/v1/activations").json()
        assert history[0]["plan_id"] == job["id"]


def test_a_positive_driver_blocks_docks_lists_contacts_and_the_plan_is_repaired(server):
    with _client(server) as api, _client(server, "operator") as gate:
        current = _published(api)
        loads = {
            ld["id"]: ld for ld in api.get("/api/v1/loads", params={"limit": 1000}).json()["items"]
        }
        # A truck at the busiest dock, reported positive right after its operation started.
        by_dock: dict[tuple[str, str], list[dict]] = {}
        for a in current["assignments"]:
            by_dock.setdefault((a["hub_id"], a["dock_id"]), []).append(a)
        busiest = max(by_dock.values(), key=len)
        busiest.sort(key=lambda a: a["start"])
        source = next(
            a
            for a, b in zip(busiest, busiest[1:], strict=False)
            if loads[a["load_id"]].get("vehicle_plate")
            and loads[b["load_id"]]["status"] == "scheduled"  # not checked in by another test
        )
        plate = loads[source["load_id"]]["vehicle_plate"]
        # The next truck on the dock came and started there (a contact); the later ones have
        # not come: they are moved, not listed.
        after = busiest[busiest.index(source) + 1]
        for step in ("check-in", "start"):
            body = {"at": after["start"]} | ({"has_pass": True} if step == "check-in" else {})
            done = gate.post(f"/api/v1/loads/{after['load_id']}/{step}", json=body)
            assert done.status_code == 200, done.text
        reported = datetime.fromisoformat(after["start"]) + timedelta(minutes=1)

        response = api.post(
            "/api/v1/incidents",
            json={
                "vehicle_plate": plate,
                "at": reported.isoformat(),
                "disinfection_minutes": 180,
                "contact_window_minutes": 600,
                "time_limit_s": 2,
            },
        )
        assert response.status_code == 201, response.text
        incident = response.json()["incident"]
        assert incident["blocked_window_ids"]
        listed = {(c["kind"], c["load_id"]) for c in incident["contacts"]}
        assert ("same_dock_after", after["load_id"]) in listed, incident["contacts"]
        to_come = {
            (a["enterprise_id"], a["load_id"])
            for a in busiest
            if datetime.fromisoformat(a["start"]) > reported
        }
        assert not to_come & {(c["enterprise_id"], c["load_id"]) for c in incident["contacts"]}
        assert all(c["load_id"] != source["load_id"] for c in incident["contacts"])

        hub = api.get(f"/api/v1/hubs/{source['hub_id']}").json()
        blocked = [b for b in hub["blocked"] if b["id"] in incident["blocked_window_ids"]]
        assert blocked and blocked[0]["dock_id"] == source["dock_id"]

        plan = response.json()["plan"]
        job = _wait_for(api, f"/api/v1/plans/{plan['id']}")
        assert job["status"] == "succeeded", job  # verified: no slot touches the blocked dock
        answer = api.post(f"/api/v1/plans/{job['id']}/publish")
        assert answer.status_code == 200, answer.text
        repaired = _published(api)
        # Cancelled loads are named by enterprise and load id: a load id alone is not unique.
        cancelled = {(c["enterprise_id"], c["load_id"]) for c in incident["cancelled_load_ids"]}
        kept = {(a["enterprise_id"], a["load_id"]) for a in repaired["assignments"]}
        assert not cancelled & kept, cancelled & kept
        audit = api.get("/api/v1/audit", params={"action": "incident.create"}).json()["items"]
        assert audit and audit[0]["details"]["vehicle_plate"] == plate
