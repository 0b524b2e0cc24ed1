"""A plan never places a truck on site before its arrival at the gate: the arrival acts as its
release. A plan computed before a late truck checked in, and published after the gate found no
slot left for it, is refused (409 naming the load) rather than putting the truck back in its old,
past slot (before: published, the gate showed slot 04:00 next to "arrived 09:00"). On SQLite and
PostgreSQL (`migrated_database_url`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.live_day import HORIZON, key, verify_in_force
from tests.api.test_publish_live import _schedule_in_force, day, published  # noqa: F401  (fixtures)


def test_a_plan_made_before_a_late_check_in_cannot_put_the_truck_before_its_arrival(
    day,  # noqa: F811
    published,  # noqa: F811
):
    job = day.plan(seed=3)  # computed now, before the truck comes
    truck = max(published["assignments"], key=lambda a: a["start"])
    computed = {a.load_id: a for a in _schedule_in_force(day, job["id"]).assignments}
    assert computed[key(truck)].start < datetime.fromisoformat(HORIZON["end"]) - timedelta(
        minutes=5
    )
    arrived = datetime.fromisoformat(HORIZON["end"]) - timedelta(minutes=5)
    response = day.client.post(
        f"/api/v1/loads/{truck['load_id']}/check-in",
        json={"at": arrived.isoformat(), "has_pass": True},
        headers=day.operator,
    )
    assert response.status_code == 200, response.json
    assert response.json["reason"]["code"] in ("DEADLINE_PASSED", "NO_SLOT_LEFT")
    assert truck["load_id"] not in day.slots()  # the gate left it without a slot
    refused = day.publish(job["id"])
    assert refused.status_code == 409, refused.json
    mine = [e for e in refused.json["errors"] if e["field"] == f"loads.{truck['load_id']}"]
    assert mine and "before its arrival at the gate" in mine[0]["message"], refused.json
    assert mine[0]["code"] == "publish_before_arrival"
    assert mine[0]["params"]["arrived"] == arrived.isoformat()  # the site's zone, as sent
    # Nothing was written: the plan in force is the one before, without the truck.
    assert day.in_force()["plan"]["id"] == published["plan"]["id"]
    assert truck["load_id"] not in day.slots()
    verify_in_force(day)
