"""HTTP API under gunicorn: `POST /api/v1/loads` throughput and latency, and a 10,000-row import.

Two servers, one on SQLite and one on PostgreSQL, each a fresh database migrated and seeded with the
Xunwu day, run side by side; the measurements alternate between them so both see the same machine
noise. The load generator is `wrk` (a separate process, `apt-get install -y wrk`), driven by a Lua
script that gives every request a unique load id. Only 127.0.0.1 is ever contacted.

    python -m bench.bench_api --duration 10 --connections 4 --repeats 3
    python -m bench.bench_api --server "sync=" --server "gthread=-k gthread --threads 4"

`--bare` adds `bench/bare_app.py` (bare Flask + SQLAlchemy, one insert per request, on its own
SQLite file) under the same gunicorn and the same load, and a column with each server's
throughput as a fraction of it: the stack's ceiling, measured in the same run. `--floor` adds
`bench/floor_app.py` (issue 16's four guarantees done as cheaply as the stack allows, on the real
schema) the same way, with an `x floor` column. `--rows 0`
skips the import. `workers' CPU ms/req` is the CPU time (user + system, from /proc) the server's
gunicorn workers spent per answered request during the wrk runs: what the worker itself costs,
apart from the waiting (on the database's lock, on a core) that also lowers req/s. The
comparison of issue 16:

    python -m bench.bench_api --bare --floor --backends sqlite --server "sync=" --connections 8 \
        --rows 0

`--tree LABEL=DIR` also serves the app of another checkout (`git worktree add /tmp/before main`)
under each `--server` configuration, in the same run: a change and the code before it, measured
side by side. `-c python:api.gunicorn_config` in a `--server` runs what `hub-scheduler serve`
runs (its logging, Prometheus multi-process files); `-e NAME=VALUE` sets a setting.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.servers import ServerDidNotStart, free_port, gunicorn_argv, local_url, start, stop

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "fixtures" / "xunwu.json"
SAMPLE_SHEET = REPO / "fixtures" / "loads_sample.csv"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENTERPRISE = "E01"
# What `hub-scheduler serve` runs: sync workers on SQLite, gthread on PostgreSQL; both are measured.
DEFAULT_SERVERS = ["sync=", "gthread=-k gthread --threads 4"]
BARE_TOKEN = uuid.uuid4().hex  # bench/bare_app.py's one accepted bearer token

# Every request is one new load of enterprise E01; `id` is made unique per thread and request.
WRK_SCRIPT = r"""
local counter = 0
local threads = {}
local run = "RUN"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tid = tid or 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"id":"B-%s-%d-%d","category":"agricultural","temperature":"ambient",' ..
    '"handling_minutes":30,"release":"2026-11-28T10:30:00+08:00",' ..
    '"due":"2026-11-28T13:00:00+08:00","vehicle_plate":"赣B·T52D8"}',
    run, tid, counter)
  return wrk.format("POST", "/api/v1/loads", {
    ["Authorization"] = "Bearer TOKEN",
    ["Content-Type"] = "application/json",
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"non_2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
"""


@dataclass
class Server:
    backend: str
    label: str
    url: str
    base: str
    enterprise_token: str
    admin_token: str
    master_pid: int = 0
    results: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.results.setdefault(name, []).append(value)


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    folder.mkdir(parents=True, exist_ok=True)
    yield f"sqlite:///{folder / 'bench.sqlite3'}"


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL test server (as tests/conftest.py does), dropped after."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def prepare(url: str) -> tuple[str, str]:
    """Migrate, seed the Xunwu day; return (enterprise token, admin token)."""
    from hub_scheduler.scenario_file import read_scenario
    from hub_scheduler.services.tokens import issue_token
    from models.db import make_engine, make_session_factory
    from models.migrate import upgrade
    from models.scenario_store import store_scenario
    from models.uow import SqlUnitOfWork

    upgrade(url)
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        store_scenario(uow, read_scenario(SCENARIO))
        enterprise = issue_token(uow, role="enterprise", enterprise_id=ENTERPRISE, actor="bench")
        admin = issue_token(uow, role="admin", label="bench admin", actor="bench")
    finally:
        engine.dispose()
    return enterprise, admin


def workers_cpu_s(master_pid: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master_pid:  # ppid; then utime and stime are fields 12 and 13
            total += int(fields[11]) + int(fields[12])
    return total / ticks


@contextmanager
def gunicorn(
    url: str,
    workers: int,
    extra: list[str],
    log: Path,
    app: str = "api:create_app()",
    tree: Path = REPO,
) -> Iterator[tuple[str, int]]:
    """gunicorn serving `app` of the checkout `tree` on a free port of 127.0.0.1; yields its
    base URL and the master's process id."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "BARE_TOKEN": BARE_TOKEN}
    if tree != REPO:  # its packages before the installed (editable) ones of this checkout
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(":")
    argv = gunicorn_argv(port, workers, extra, app)
    try:
        process = start(argv, url=local_url(port), log=log, env=env, cwd=tree, ready_path="/readyz")
    except ServerDidNotStart as exc:
        raise SystemExit(str(exc)) from None
    try:
        yield local_url(port), process.pid
    finally:
        stop(process)


def run_wrk(server: Server, seconds: float, connections: int, threads: int, folder: Path) -> dict:
    """One wrk run against POST /api/v1/loads; the `done` summary as a dict."""
    script = folder / f"post_load_{uuid.uuid4().hex[:8]}.lua"
    script.write_text(
        WRK_SCRIPT.replace("RUN", uuid.uuid4().hex[:8]).replace("TOKEN", server.enterprise_token),
        encoding="utf-8",
    )
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
            "--timeout", "10s", "-s", str(script), server.base]  # fmt: skip
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise SystemExit(f"wrk failed against {server.label or 'this tree'} ({server.base}): "
                         f"{(out.stdout + out.stderr).strip()[-800:]}")  # fmt: skip
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("WRK "))
    return json.loads(line[4:])


def sheet(rows: int) -> bytes:
    """A CSV of `rows` new loads: the sample sheet's rows repeated under fresh ids."""
    with open(SAMPLE_SHEET, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        samples = list(reader)
    prefix = uuid.uuid4().hex[:8]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for i in range(rows):
        writer.writerow({**samples[i % len(samples)], "id": f"I-{prefix}-{i:05d}"})
    return out.getvalue().encode("utf-8")


def run_import(server: Server, rows: int) -> float:
    """Wall time of one `POST /api/v1/loads/import` of `rows` rows; fails loudly on a refusal."""
    body = sheet(rows)
    started = time.perf_counter()
    response = httpx.post(
        f"{server.base}/api/v1/loads/import",
        headers={"Authorization": f"Bearer {server.admin_token}"},
        files={"file": ("bench.csv", body, "text/csv")},
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 201 or response.json()["count"] != rows:
        raise SystemExit(f"import refused: {response.status_code} {response.text[:500]}")
    return elapsed


def measure(server: Server, args: argparse.Namespace, folder: Path) -> None:
    cpu = workers_cpu_s(server.master_pid)
    result = run_wrk(server, args.duration, args.connections, args.threads, folder)
    cpu_ms = (workers_cpu_s(server.master_pid) - cpu) * 1000 / max(result["requests"], 1)
    server.add("cpu", cpu_ms)
    errors = sum(result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    seconds = result["duration_us"] / 1e6
    server.add("rps", result["requests"] / seconds)
    server.add("p50", result["p50_us"] / 1000)
    server.add("p99", result["p99_us"] / 1000)
    server.add("failed", errors + result["non_2xx"])
    imported = ""
    if args.rows and server.label not in ("bare", "floor"):
        server.add("import", run_import(server, args.rows))
        imported = f"  import {server.results['import'][-1]:.2f} s"
    print(
        f"  {server.backend:10s} {server.label:8s} {result['requests'] / seconds:7.1f} req/s  "
        f"p50 {result['p50_us'] / 1000:6.1f} ms  p99 {result['p99_us'] / 1000:6.1f} ms  "
        f"failed {errors + result['non_2xx']}  workers' CPU {cpu_ms:.2f} ms/req{imported}",
        file=sys.stderr,
        flush=True,
    )


def _ratio(server: Server, reference: Server | None) -> str:
    """Median of the per-repeat ratios of req/s (each repeat's servers measured back to back)."""
    if reference is None:
        return "-"
    runs = zip(server.results["rps"], reference.results["rps"], strict=True)
    return f"{statistics.median(a / b for a, b in runs):.2f}"


def table(servers: list[Server], args: argparse.Namespace) -> str:
    """Medians per server; `x bare` / `x floor`: its req/s over the bare / floor app's (median
    of per-repeat ratios), when `--bare` / `--floor` ran."""
    bare = next((s for s in servers if s.label == "bare"), None)
    floor = next((s for s in servers if s.label == "floor"), None)
    lines = [
        f"| database | gunicorn | POST /loads req/s | p50 ms | p99 ms | failed "
        f"| workers' CPU ms/req "
        f"| {f'{args.rows:,}-row import s' if args.rows else 'import'} | x bare | x floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in servers:
        med = {k: statistics.median(v) for k, v in s.results.items()}
        imported = f"{med['import']:.2f}" if "import" in med else "-"
        lines.append(
            f"| {s.backend} | {s.label} | {med['rps']:.0f} | {med['p50']:.1f} | {med['p99']:.1f} "
            f"| {int(sum(s.results['failed']))} | {med['cpu']:.2f} | {imported} "
            f"| {_ratio(s, bare)} | {_ratio(s, floor)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--rows", type=int, default=10_000, help="rows in the imported sheet (0: no import)"
    )
    parser.add_argument(
        "--bare", action="store_true", help="also measure bench/bare_app.py, the stack's ceiling"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure bench/floor_app.py: auth, validation, idempotency and the audit entry "
        "done as cheaply as the stack allows, on the real schema (the ceiling for them)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--server",
        action="append",
        metavar="LABEL=ARGS",
        help="a server configuration: a label and extra gunicorn arguments; repeat to compare "
        f"(default: {' and '.join(repr(s) for s in DEFAULT_SERVERS)})",
    )
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="also serve the app of the checkout DIR (e.g. the code before a change)",
    )
    parser.add_argument(
        "--postgres", default=os.environ.get("HUB_TEST_DATABASE_URL") or DEFAULT_POSTGRES
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")

    configs = [c.partition("=")[::2] for c in (args.server or DEFAULT_SERVERS)]
    trees = [("", REPO)] + [
        (label, Path(tree).resolve()) for label, tree in (t.partition("=")[::2] for t in args.tree)
    ]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-api-")))
        servers = []
        for n, ((label, extra), (tree_label, tree)) in enumerate(
            (c, t) for c in configs for t in trees
        ):
            name = f"{label} {tree_label}".strip()
            for backend in args.backends:
                if backend == "sqlite":
                    database = sqlite_database(folder / f"{n}")
                else:
                    database = postgres_database(args.postgres)
                url = stack.enter_context(database)
                enterprise, admin = prepare(url)
                log = folder / f"gunicorn-{n}-{backend}.log"
                served = gunicorn(url, args.workers, extra.split(), log, tree=tree)
                base, pid = stack.enter_context(served)
                servers.append(Server(backend, name, url, base, enterprise, admin, pid))
        if args.bare:
            url = stack.enter_context(sqlite_database(folder / "bare"))
            app = "bench.bare_app:create_app()"
            log = folder / "gunicorn-bare.log"
            base, pid = stack.enter_context(gunicorn(url, args.workers, [], log, app))
            servers.append(Server("sqlite", "bare", url, base, BARE_TOKEN, BARE_TOKEN, pid))
        if args.floor:
            url = stack.enter_context(sqlite_database(folder / "floor"))
            enterprise, admin = prepare(url)
            app = "bench.floor_app:create_app()"
            log = folder / "gunicorn-floor.log"
            base, pid = stack.enter_context(gunicorn(url, args.workers, [], log, app))
            servers.append(Server("sqlite", "floor", url, base, enterprise, admin, pid))
        for server in servers:  # warm every worker's engine, caches and imports
            run_wrk(server, 2, args.connections, args.threads, folder)
        for i in range(args.repeats):  # alternate, so every server sees the same machine noise
            print(f"repeat {i + 1}/{args.repeats}", file=sys.stderr, flush=True)
            for server in servers:
                measure(server, args, folder)
        load = os.getloadavg()
        print(
            f"\n{args.workers} gunicorn workers; wrk -t{args.threads} -c{args.connections} "
            f"-d{args.duration:g}s; medians of {args.repeats}; load average "
            f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores\n"
        )
        for label, extra in configs:
            print(f"- {label}: `{extra or '(sync workers)'}`")
        for label, tree in trees[1:]:
            print(f"- {label}: the app of {tree}")
        print()
        print(table(servers, args))


if __name__ == "__main__":
    main()
