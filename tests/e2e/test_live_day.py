"""A live day against real gunicorn (`serve --demo`, plan jobs in its worker threads, the real
clock), on SQLite and PostgreSQL: the demo day is today; a re-plan runs while trucks check in;
publishing keeps them at their docks (or refuses, and the next re-plan pins them); a truck checks
in after its slot and gets a new one from its arrival, with the reason; an ETA moves later and the
slot in force is repaired at once; a hub is suspended and its slots withdrawn at once; a positive
driver blocks docks and re-plans; at the end the plan in force passes the verifier against the
database.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from servers import free_port, local_url, printed_value, serve_demo_argv, serving

from models.db import make_engine, make_session_factory
from models.uow import SqlUnitOfWork
from tests.api.live_day import assert_true_to_the_database

ZONE = ZoneInfo("Asia/Shanghai")
T = datetime.fromisoformat


class Server:
    def __init__(self, base: str, token: str):
        self.client = httpx.Client(
            base_url=base + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        return self.client.request(method, path, **kwargs)

    def finished(self, plan_id: int) -> dict:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job = self.call("GET", f"/plans/{plan_id}").json()
            if job["status"] not in ("queued", "running"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"plan {plan_id} did not finish: {job}")

    def in_force(self, day) -> dict:
        response = self.call("GET", f"/plans/published?date={day.isoformat()}")
        assert response.status_code == 200, response.text
        return response.json()

    def publish_until_in_force(self, plan_id: int, reason: str) -> dict:
        """Publish; on 409 (the day moved on while it solved) re-plan once and publish that."""
        job = self.finished(plan_id)
        assert job["status"] == "succeeded", job
        response = self.call("POST", f"/plans/{plan_id}/publish")
        if response.status_code == 409:
            assert response.json()["errors"], response.text
            again = self.call("POST", "/plans", json={"horizon": job["horizon"], "time_limit_s": 3})
            assert again.status_code == 202, again.text
            job = self.finished(again.json()["id"])
            assert job["status"] == "succeeded", (reason, job)
            response = self.call("POST", f"/plans/{job['id']}/publish")
        assert response.status_code == 200, (reason, response.text)
        return response.json()


@pytest.fixture
def demo(database_url, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
        "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": "3",
    }
    env.pop("HUB_SCHEDULER_PLAN_NOW", None)  # the real clock: a live day
    log = tmp_path / "serve.log"
    argv = serve_demo_argv(port, workers=2)
    with serving(argv, url=local_url(port), log=log, env=env, timeout_s=180, poll_s=0.3):
        token = printed_value(log, "admin token: ")
        assert token, log.read_text(errors="replace")
        server = Server(local_url(port), token)
        try:
            yield server
        finally:
            server.client.close()


@pytest.mark.e2e
def test_a_live_day_stays_true_to_the_gate(demo, database_url):
    now = datetime.now(ZONE)
    today = now.date()
    if now.hour >= 21:
        pytest.skip("too late in the site's day for a live day (slots to come are few)")
    day_start = datetime.combine(today, datetime.min.time(), ZONE)
    horizon = {"start": day_start.isoformat(), "end": (day_start + timedelta(days=1)).isoformat()}

    # The demo day is today, already planned and published.
    first = demo.in_force(today)
    assert first["assignments"], "serve --demo publishes a plan for today"

    # A re-plan from the clock; while it runs, trucks with slots to come check in.
    coming = sorted(
        (a for a in first["assignments"] if T(a["start"]) > now + timedelta(minutes=30)),
        key=lambda a: a["start"],
    )
    # The park first; late in the site's evening any hub, or nothing left to check in today.
    gate = [a for a in coming if a["hub_id"] == "XW-LP"][:4] or coming[:4]
    if not gate:
        pytest.skip(f"{now:%H:%M} in the site's zone: no slot left 30 minutes ahead today")
    replan = demo.call("POST", "/plans", json={"horizon": horizon, "time_limit_s": 3})
    assert replan.status_code == 202, replan.text
    for a in gate:
        response = demo.call("POST", f"/loads/{a['load_id']}/check-in", json={"has_pass": True})
        assert response.status_code == 200, response.text
        assert response.json()["passed"], response.text
    job = demo.finished(replan.json()["id"])
    assert T(job["progress"]["now"]) >= now - timedelta(minutes=1)  # planned from the clock
    demo.publish_until_in_force(job["id"], "check-ins during a re-plan")
    slots = {a["load_id"]: a for a in demo.in_force(today)["assignments"]}
    for a in gate:
        kept = slots[a["load_id"]]
        assert (kept["dock_id"], kept["start"]) == (a["dock_id"], a["start"])

    # A truck comes 25 minutes or more after its slot started (now: an arrival is never in the
    # future): a new slot from its arrival, never the past one, with the reason; the trucks
    # pushed to make room (if any) are told why.
    now = datetime.now(ZONE)
    taken = {a["load_id"] for a in gate}
    # Any hub: the demo day is today by the real clock, and late in the site's evening the park
    # alone may have no slot left half an hour ahead.
    later = sorted(
        (
            a
            for a in slots.values()
            if a["load_id"] not in taken and T(a["start"]) > now + timedelta(minutes=30)
        ),
        key=lambda a: (a["hub_id"] != "XW-LP", a["start"]),
    )
    started = sorted(
        (
            a
            for a in slots.values()
            if a["load_id"] not in taken and T(a["start"]) <= now - timedelta(minutes=25)
        ),
        key=lambda a: (a["hub_id"] != "XW-LP", -T(a["start"]).timestamp()),
    )
    if not later:
        pytest.skip(f"{now:%H:%M} in the site's zone: no slot left 30 minutes ahead")
    eta = later[0]
    # Early in the site's day no slot may have started 25 minutes ago: then no late truck.
    late = started[0] if started else None
    if late is not None:
        arrived = now
        response = demo.call(
            "POST",
            f"/loads/{late['load_id']}/check-in",
            json={"has_pass": True, "at": arrived.isoformat()},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["passed"] and body["reason"]["code"] in (
            "LATE_ARRIVAL",
            "NO_SLOT_LEFT",
            "DEADLINE_PASSED",  # no slot left and its due (or deadline) passed by the arrival
        ), body
        assert body["reason"]["params"]["planned_start"] == late["start"]
        shown = {a["load_id"]: a for a in demo.in_force(today)["assignments"]}
        if body["slot"] is not None:
            assert T(body["slot"]["start"]) >= arrived
            assert shown[late["load_id"]] == body["slot"]  # the repaired slot, not the past one
        else:
            assert late["load_id"] not in shown
        # Loads are named with their enterprise ({load_id, enterprise_id}) in `moved`/`for_load`.
        for ref in body["reason"]["params"]["moved"]:
            pushed = ref["load_id"]
            assert T(shown[pushed]["start"]) > T(slots[pushed]["start"])
            mark = demo.call("GET", f"/loads/{pushed}").json()["slot_changed"]
            assert (
                mark["code"] == "SHIFTED_FOR_REPAIR"
                and mark["params"]["for_load"]["load_id"] == late["load_id"]
            )
            assert mark["params"]["new_start"] == shown[pushed]["start"]

    # An arrival later than now is refused, naming `at`, and changes nothing.
    ahead = demo.call(
        "POST",
        f"/loads/{eta['load_id']}/check-in",
        json={"has_pass": True, "at": (now + timedelta(hours=2)).isoformat()},
    )
    assert ahead.status_code == 422, ahead.text
    assert ahead.json()["errors"][0]["field"] == "at"
    assert ahead.json()["errors"][0]["code"] == "arrival_in_future"
    assert demo.call("GET", f"/loads/{eta['load_id']}").json()["status"] == "scheduled"
    shown = {a["load_id"]: a for a in demo.in_force(today)["assignments"]}

    # An ETA moves 40 minutes past the slot: the slot in force is repaired at once.
    eta = shown.get(eta["load_id"], eta)
    load = demo.call("GET", f"/loads/{eta['load_id']}").json()
    release = T(eta["start"]) + timedelta(minutes=40)
    due = max(T(load["due"]), release + timedelta(minutes=load["handling_minutes"] + 60))
    patch = {"release": release.isoformat(), "due": due.isoformat()}
    if load.get("deadline") and T(load["deadline"]) < due + timedelta(hours=3):
        patch["deadline"] = (due + timedelta(hours=3)).isoformat()
    response = demo.call("PATCH", f"/loads/{eta['load_id']}", json=patch)
    assert response.status_code == 200, response.text
    changed = response.json()["slot_changed"]
    assert changed["code"] in ("ETA_CHANGED", "NO_SLOT_LEFT"), changed
    shown = {a["load_id"]: a for a in demo.in_force(today)["assignments"]}
    if changed["code"] == "ETA_CHANGED":
        assert T(shown[eta["load_id"]]["start"]) >= release  # never the old, impossible slot
        assert changed["params"]["new_start"] == shown[eta["load_id"]]["start"]
    else:
        assert eta["load_id"] not in shown

    # The command centre suspends the toll station hub: its slots go at once.
    suspended = demo.call(
        "POST", "/hubs/XW-TS/status", json={"status": "suspended", "reason": "疫情封控"}
    )
    assert suspended.status_code == 200, suspended.text
    on_site = taken | ({late["load_id"]} if late else set())  # checked in: they keep their docks
    assert not [
        a
        for a in demo.in_force(today)["assignments"]
        if a["hub_id"] == "XW-TS" and a["load_id"] not in on_site
    ]
    demo.publish_until_in_force(suspended.json()["plan"]["id"], "hub suspended")

    # A driver whose truck passed earlier today tests positive: his docks are blocked, re-plan.
    past = [
        a
        for a in first["assignments"]
        if T(a["disinfected_at"]) < now
        and a["hub_id"] == "XW-LP"
        and a["dock_id"] not in {g["dock_id"] for g in gate}
    ]
    if past:
        incident = demo.call(
            "POST",
            "/incidents",
            json={"load_id": past[-1]["load_id"], "at": datetime.now(ZONE).isoformat()},
        )
        assert incident.status_code == 201, incident.text
        queued = incident.json()["plan"]
        if queued:
            demo.publish_until_in_force(queued["id"], "positive driver")

    # The plan in force, as the API shows it, is true to the database.
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        assert_true_to_the_database(demo.in_force(today), uow, day_start)
    finally:
        engine.dispose()
