"""How soon a hub's suspension reaches every affected enterprise's webhook (issue 13 asks for 1 s).

    python -m bench.bench_notify --trials 5
    python -m bench.bench_notify --trials 5 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Each trial: a new database (a SQLite file; with `--postgres`, also a new database on that server,
dropped after), the Xunwu day (`fixtures/xunwu.json`) stored, planned (1 s) and published in
process (the API's test client); every enterprise with a slot at the busiest hub subscribes a
receiver (an HTTP server on 127.0.0.1, as a real enterprise's endpoint) to `hub.status_changed`;
then the command centre suspends that hub (`POST /api/v1/hubs/{id}/status`) with the re-plan left
to a worker process (the `database` job runner: none runs here, as in service the request does
not solve). Timed per receiver, from the request: the Standard Webhooks POST's arrival. Reported
per database: the answer's seconds and the deliveries' median, p90 and max over all receivers of
all trials, and how many arrived before the answer (the switch's events go out first:
services/hubs.py). The test `tests/api/test_webhooks.py` holds the order, this bench the seconds.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlalchemy as sa

from api import create_app
from api.database import db
from api.jobs import EXTENSION, DatabaseRunner
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services.tokens import issue_token
from models.migrate import upgrade
from models.scenario_store import store_scenario

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "xunwu.json"
HORIZON = {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}


class Receiver:
    """An HTTP server on 127.0.0.1 that notes when the first `hub.status_changed` arrives
    (`time.monotonic()`), answering 204 to everything."""

    def __init__(self) -> None:
        self.arrived: float | None = None
        self.event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if json.loads(body)["type"] == "hub.status_changed" and receiver.arrived is None:
                    receiver.arrived = time.monotonic()
                    receiver.event.set()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def trial(url: str) -> tuple[float, list[float]]:
    """One suspension on a new database at `url`: (seconds to the answer, seconds to each
    affected enterprise's delivery), both from the request."""
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "HUB_SCHEDULER_JOB_RUNNER": "inline",
            "HUB_SCHEDULER_PLAN_NOW": HORIZON["start"],
            "HUB_SCHEDULER_WEBHOOK_ALLOW_PRIVATE": True,  # the receivers are on 127.0.0.1
            "HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    scenario = parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    uow = db.uow(app)
    store_scenario(uow, scenario)
    admin = {"Authorization": "Bearer " + issue_token(uow, role="admin", label="b", actor="b")}
    client = app.test_client()
    plan = client.post("/api/v1/plans", json={"horizon": HORIZON, "time_limit_s": 1}, headers=admin)
    made = plan.get_json()
    assert plan.status_code in (200, 201, 202) and made, made
    published = client.post(f"/api/v1/plans/{made['id']}/publish", headers=admin)
    assert published.status_code == 200, published.json
    in_force = client.get("/api/v1/plans/published?date=2026-11-28", headers=admin).get_json()
    rows = in_force["assignments"]
    by_hub: dict[str, set[str]] = {}
    owner = {ld.id: ld.enterprise_id for ld in scenario.loads}
    for a in rows:
        by_hub.setdefault(a["hub_id"], set()).add(owner[a["load_id"]])
    hub_id = max(by_hub, key=lambda h: (len(by_hub[h]), h))
    receivers = []
    for enterprise_id in sorted(by_hub[hub_id]):
        token = issue_token(
            uow, role="enterprise", enterprise_id=enterprise_id, label="b", actor="b"
        )
        receiver = Receiver()
        made = client.post(
            "/api/v1/webhooks",
            json={"url": receiver.url, "events": ["hub.status_changed"]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201, made.json
        receivers.append(receiver)
    app.extensions[EXTENSION] = DatabaseRunner()  # the re-plan waits for a worker, as in service
    asked = time.monotonic()
    answer = client.post(
        f"/api/v1/hubs/{hub_id}/status",
        json={"status": "suspended", "reason": "bench"},
        headers=admin,
    )
    answered = time.monotonic() - asked
    assert answer.status_code in (200, 202), answer.json
    for receiver in receivers:
        receiver.event.wait(30)
        receiver.close()
    db.dispose(app)
    return answered, [r.arrived - asked for r in receivers if r.arrived is not None]


def _postgres_database(server_url: str, name: str, create: bool) -> str:
    """`server_url` with database `name`, created (or dropped) on that server first."""
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL (any database)")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(
        f"suspension to webhook, Xunwu day, {datetime.now():%Y-%m-%d %H:%M}, {args.trials} trials"
    )
    print("| database | answer s (median) | delivery s: median | p90 | max | before the answer |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in kinds:
        answers, deliveries, early = [], [], 0
        for i in range(args.trials):
            if kind == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp()}/notify.sqlite3"
            else:
                url = _postgres_database(args.postgres, f"bench_notify_{i}", create=True)
            answered, seconds = trial(url)
            answers.append(answered)
            deliveries += seconds
            early += sum(s < answered for s in seconds)
        deliveries.sort()
        p90 = deliveries[int(0.9 * (len(deliveries) - 1))]
        print(
            f"| {kind} | {statistics.median(answers):.2f} | {statistics.median(deliveries):.2f} "
            f"| {p90:.2f} | {deliveries[-1]:.2f} | {early} of {len(deliveries)} |"
        )
    if args.postgres:
        # Each trial's sender thread polls its database until the process ends: quiet it first.
        logging.getLogger("api.notify").setLevel(logging.CRITICAL)
        for i in range(args.trials):
            _postgres_database(args.postgres, f"bench_notify_{i}", create=False)


if __name__ == "__main__":
    main()
