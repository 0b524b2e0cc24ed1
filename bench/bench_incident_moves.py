"""How many published trucks a positive-driver incident moves on the Xunwu demo day.

    python -m bench.bench_incident_moves --now 2026-11-28T10:00:00+08:00 --which 0
    python -m bench.bench_incident_moves --now 2026-11-28T10:00:00+08:00 --which 0 --no-incident

The day is stored in a fresh SQLite file, planned from `--now` (one worker, 2 s) and published.
The positive truck is the `--which`-th slot from `--now` on a busy dock (the next truck there
starts less than 30 minutes after its disinfection): it checks in and starts at its slot, and the
incident is reported a minute later (the API, the inline job runner: the incident's re-plan runs
at once). The re-plan is compared with the published plan, over the slots that start after the
report: `must_move` (slots that meet the block), `moved` (hub, dock or start changed),
`across_hubs`, `withdrawn` (placed before, left out after; the positive truck's cancelled loads
not counted) and their categories, `newly_placed`, the objective and the unscheduled count.
`--no-incident`: the same re-plan without the incident (what a re-plan moves anyway). One JSON
line. Times are those of the fixture's day (2026-11-28, +08:00).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from api import create_app
from api.database import db
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.tokens import issue_token
from models.migrate import upgrade
from models.scenario_store import store_scenario

T = datetime.fromisoformat
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xunwu.json"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


def _key(a: dict) -> tuple[str, str]:
    return (a["enterprise_id"], a["load_id"])


def _positive(rows: list[dict], now: datetime, which: int) -> dict:
    lane = sorted(rows, key=lambda a: (a["hub_id"], a["dock_id"], a["start"]))
    busy = [
        a
        for a, b in zip(lane, lane[1:], strict=False)
        if (a["hub_id"], a["dock_id"]) == (b["hub_id"], b["dock_id"])
        and T(b["start"]) - T(a["disinfected_at"]) < timedelta(minutes=30)
        and T(a["start"]) >= now
    ]
    return sorted(busy, key=lambda a: a["start"])[which]


def measure(now: str, which: int, incident: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="incident-moves-"))
    url = f"sqlite:///{folder / 'day.sqlite3'}"
    upgrade(url)
    day = parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    app = create_app(
        {
            "DATABASE_URL": url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_TIME_LIMIT_S": 2.0,
            "HUB_SCHEDULER_PLAN_NOW": now,
        }
    )
    uow = db.uow(app)
    store_scenario(uow, day)
    token = issue_token(uow, role="admin", enterprise_id=None, label="bench", actor="bench")
    admin = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    body = {"horizon": HORIZON, "time_limit_s": 2, "workers": 1, "now": now}
    first = client.post("/api/v1/plans", json=body, headers=admin)
    job = client.get(first.headers["Location"], headers=admin).json
    assert client.post(f"/api/v1/plans/{job['id']}/publish", headers=admin).status_code == 200
    before = client.get("/api/v1/plans/published?date=2026-11-28", headers=admin).json
    rows = {_key(a): a for a in before["assignments"]}
    mine = _positive(list(rows.values()), T(now), which)
    query = f"?enterprise_id={mine['enterprise_id']}"
    for step in ("check-in", "start"):
        gate = {"at": mine["start"]} | ({"has_pass": True} if step == "check-in" else {})
        done = client.post(
            f"/api/v1/loads/{mine['load_id']}/{step}{query}", json=gate, headers=admin
        )
        assert done.status_code == 200, done.json
    at = T(mine["start"]) + timedelta(minutes=1)
    found: dict = {"blocked_window_ids": [], "cancelled_load_ids": [], "contacts": []}
    if incident:
        report = {
            "load_id": mine["load_id"],
            "enterprise_id": mine["enterprise_id"],
            "at": at.isoformat(),
            "time_limit_s": 2,
        }
        answer = client.post("/api/v1/incidents", json=report, headers=admin)
        assert answer.status_code == 201, answer.json
        found, plan_id = answer.json["incident"], answer.json["plan"]["id"]
    else:
        again = client.post("/api/v1/plans", json={**body, "now": at.isoformat()}, headers=admin)
        plan_id = client.get(again.headers["Location"], headers=admin).json["id"]
    hub = client.get(f"/api/v1/hubs/{mine['hub_id']}", headers=admin).json
    blocks = [
        (T(b["start"]), T(b["end"]), b["dock_id"])
        for b in hub["blocked"]
        if b["id"] in found["blocked_window_ids"]
    ]
    job = client.get(f"/api/v1/plans/{plan_id}", headers=admin).json
    after = {
        _key(a): a for a in client.get(f"/api/v1/plans/{plan_id}/assignments", headers=admin).json
    }
    cancelled = {_key(c) for c in found["cancelled_load_ids"]}
    category = {(ld.enterprise_id, ld.id): str(ld.category.value) for ld in day.loads}
    must = moved = across = 0
    withdrawn = []
    for k, a in rows.items():
        if k in cancelled or T(a["start"]) < at:
            continue
        must += any(
            a["dock_id"] == dock and T(a["start"]) < end and start < T(a["disinfected_at"])
            for start, end, dock in blocks
        )
        new = after.get(k)
        if new is None:
            withdrawn.append(k)
        elif (new["hub_id"], new["dock_id"], new["start"]) != (
            a["hub_id"],
            a["dock_id"],
            a["start"],
        ):
            moved += 1
            across += new["hub_id"] != a["hub_id"]
    newly = [k for k in after if k not in rows]
    db.dispose(app)
    return {
        "now": now,
        "positive": mine["load_id"],
        "dock": f"{mine['hub_id']}/{mine['dock_id']}",
        "at": at.isoformat(),
        "must_move": must,
        "moved": moved,
        "across_hubs": across,
        "withdrawn": len(withdrawn),
        "withdrawn_categories": sorted(category.get(k, "?") for k in withdrawn),
        "newly_placed": len(newly),
        "newly_categories": sorted(category.get(k, "?") for k in newly),
        "placed": [len(rows), len(after)],
        "objective": job.get("objective"),
        "unscheduled": job.get("unscheduled"),
        "contacts": len(found["contacts"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--now", default="2026-11-28T10:00:00+08:00")
    parser.add_argument("--which", type=int, default=0)
    parser.add_argument("--no-incident", action="store_true")
    args = parser.parse_args()
    print(json.dumps(measure(args.now, args.which, not args.no_incident), ensure_ascii=False))


if __name__ == "__main__":
    main()
