"""Operations costs: how long `hub-scheduler backup` and `restore` take on a seeded day, and what
the ops layer (request id, access log line, metrics) and a `/metrics` scrape cost per request.

Backups: the Xunwu day (200 loads) plus N extra loads, on a SQLite file and on a fresh PostgreSQL
schema (127.0.0.1:5432/test); medians of --repeats runs. Requests: the Flask test client in one
process, `/healthz` (the cheapest route, so the ops layer's share is the largest it can be) and
`/metrics`; medians of --requests calls.

    python -m bench.bench_ops --extra-loads 2000 --repeats 5 --requests 500
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _seed(url: str, extra_loads: int) -> None:
    from hub_scheduler.scenario_file import read_scenario
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.scenario_store import store_scenario
    from models.uow import SqlUnitOfWork

    upgrade(url)
    engine = make_engine(url)
    uow = SqlUnitOfWork(make_session_factory(engine))
    scenario = read_scenario(REPO / "fixtures" / "xunwu.json")
    store_scenario(uow, scenario)
    template = scenario.loads[0]
    extra = [
        template.model_copy(
            update={"id": f"X{n:06d}", "release": template.release + timedelta(minutes=n % 600)}
        )
        for n in range(extra_loads)
    ]
    with uow:
        uow.loads.add_many(extra)
        uow.commit()
    engine.dispose()


def _time_backups(url: str, folder: Path, repeats: int) -> tuple[float, float, int]:
    from api.backup import backup, restore

    made, restored = [], []
    for n in range(repeats):
        target = folder / f"b{n}.bak"
        started = time.perf_counter()
        backup(url, target)
        made.append(time.perf_counter() - started)
        started = time.perf_counter()
        restore(url, target)
        restored.append(time.perf_counter() - started)
    return statistics.median(made), statistics.median(restored), target.stat().st_size


def _time_requests(url: str, requests: int) -> dict[str, float]:
    from api import create_app
    from api.database import db

    app = create_app({"DATABASE_URL": url, "HUB_SCHEDULER_JOB_RUNNER": "inline"})
    client = app.test_client()
    result = {}
    for path in ("/healthz", "/metrics"):
        client.get(path)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            samples.append(time.perf_counter() - started)
        result[path] = statistics.median(samples) * 1e3
    db.dispose(app)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ops")
    parser.add_argument("--extra-loads", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES, poolclass=NullPool)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        pg = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            for name, url in (
                ("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}"),
                ("PostgreSQL", pg.render_as_string(hide_password=False)),
            ):
                _seed(url, args.extra_loads)
                made, restored, size = _time_backups(url, folder / name, args.repeats)
                timings = _time_requests(url, args.requests)
                rows.append((name, made, restored, size, timings["/healthz"], timings["/metrics"]))
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    loads = 200 + args.extra_loads
    print(f"{loads} loads; medians of {args.repeats} backups/restores, {args.requests} requests\n")
    print("| database | backup s | restore s | backup MB | GET /healthz ms | GET /metrics ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, made, restored, size, health, metrics in rows:
        print(
            f"| {name} | {made:.2f} | {restored:.2f} | {size / 1e6:.1f} | {health:.2f} "
            f"| {metrics:.2f} |"
        )


if __name__ == "__main__":
    main()
