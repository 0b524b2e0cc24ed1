"""What throttling costs a request: `GET /api/v1/hubs` with a good token through Flask's test
client (no network, one process), with the limiter off, on memory counters and on Redis.

    python -m bench.bench_throttle --requests 400 --repeats 5

Prints a markdown table: median microseconds per request per setting and the ratio to "off".
Only 127.0.0.1 is contacted (SQLite in a temp folder, Redis at 127.0.0.1:6379 when it answers).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _app(folder: Path, extra: dict):
    from api import create_app
    from api.database import db
    from hub_scheduler.scenario_file import parse_scenario
    from hub_scheduler.services.tokens import issue_token
    from models.migrate import upgrade

    url = f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "HUB_SCHEDULER_INSTANCE": str(folder), **extra})
    scenario = parse_scenario(json.loads((REPO / "fixtures" / "xunwu.json").read_text("utf-8")))
    uow = db.uow(app)
    with uow:
        for hub in scenario.hubs:
            uow.hubs.add(hub)
        uow.commit()
    return app, issue_token(db.uow(app), role="operator", actor="bench")


def _per_request_us(app, token: str, requests: int) -> float:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/hubs", headers=headers).status_code == 200  # warm up
    start = time.perf_counter()
    for _ in range(requests):
        client.get("/api/v1/hubs", headers=headers)
    return (time.perf_counter() - start) / requests * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    settings = {"off": {"RATELIMIT_ENABLED": False}, "memory": {}}
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2).ping()
        settings["redis"] = {
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "RATELIMIT_KEY_PREFIX": f"bench-{uuid.uuid4().hex}",
        }
    except Exception as exc:  # noqa: BLE001  (no Redis: measure the rest)
        print(f"(redis skipped: {exc})")
    with tempfile.TemporaryDirectory() as tmp:
        apps = {name: _app(Path(tmp), extra) for name, extra in settings.items()}
        times: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(args.repeats):  # alternate, so each setting sees the same machine noise
            for name, (app, token) in apps.items():
                times[name].append(_per_request_us(app, token, args.requests))
    off = statistics.median(times["off"])
    print(f"\n{args.requests} requests x {args.repeats} repeats, medians\n")
    print("| limiter | us per request | ratio to off |")
    print("| --- | ---: | ---: |")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.0f} | {median / off:.2f} |")


if __name__ == "__main__":
    main()
