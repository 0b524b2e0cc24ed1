"""The `hub-scheduler` command: database, seeding, tokens, solving files, and serving with gunicorn.

Every command fails with one clear line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

import click

from api.cli_support import CliError, bind_address, fail_cleanly, safe_url
from api.cli_users import print_demo_users
from api.cli_words import SaidGroup, cli_language, install_click_words, language_option, say


@click.group(cls=SaidGroup)
@click.version_option(package_name="hub-scheduler")
@language_option
def main() -> None:
    """Plan contactless freight transfer hubs."""


# --- database -------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """The database (DATABASE_URL, else SQLite in the instance folder: see `hub-scheduler info`)."""


@db.command("upgrade")
@fail_cleanly
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    from models.db import database_url
    from models.migrate import upgrade

    url = database_url()
    upgrade(url)
    click.echo(say("database at head: {url}", url=safe_url(url)))


def _uow():
    from models.db import database_url, make_engine, make_session_factory
    from models.uow import SqlUnitOfWork

    return SqlUnitOfWork(make_session_factory(make_engine(database_url())))


# --- seed and tokens ------------------------------------------------------------------------------


@main.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False))
@fail_cleanly
def seed(scenario_file: str) -> None:
    """Store a scenario@1 file's hubs, enterprises, loads and transfers in the database."""
    from hub_scheduler.scenario_file import read_scenario
    from models.scenario_store import store_scenario

    scenario = read_scenario(scenario_file)
    report = store_scenario(_uow(), scenario)
    if report.nothing_new:
        click.echo(say("{name} is already stored; nothing written", name=scenario.name))
        return
    added = say("list_separator").join(
        say(f"seed_count_{kind}", count=count) for kind, count in report.added.items() if count
    )
    click.echo(say("seeded {name}: {added}", name=scenario.name, added=added))


@main.group()
def tokens() -> None:
    """API tokens (stored hashed; shown once)."""


@tokens.command("create")
@click.option(
    "--role",
    type=click.Choice(["admin", "operator", "enterprise"]),
    required=True,
    help="The role: admin, operator or enterprise.",
)
@click.option("--enterprise", "enterprise_id", help="The enterprise an enterprise token acts for.")
@click.option("--label", default="", help="A note to recognise the token by.")
@click.option(
    "--expires-in-days", type=int, default=None, help="Stop working after N days (default: never)."
)
@fail_cleanly
def tokens_create(
    role: str, enterprise_id: str | None, label: str, expires_in_days: int | None
) -> None:
    """Create a token and print it once."""
    click.echo(_create_token(role, enterprise_id, label or f"cli {role}", expires_in_days))


def _create_token(
    role: str, enterprise_id: str | None, label: str, expires_in_days: int | None = None
) -> str:
    from hub_scheduler.services.tokens import expiry, issue_token

    return issue_token(
        _uow(),
        role=role,
        enterprise_id=enterprise_id,
        label=label,
        expires_at=expiry(None, expires_in_days),
        actor="cli",
    )


@tokens.command("list")
@fail_cleanly
def tokens_list() -> None:
    """Every token: id, role, enterprise, label, state and expiry (never the secret)."""
    from datetime import UTC, datetime

    from hub_scheduler.services.tokens import list_tokens, token_state

    now = datetime.now(UTC)
    click.echo(say("id\trole\tenterprise\tlabel\tstate\texpires_at"))
    for token in list_tokens(_uow()):
        state = token_state(token, now)
        state = say(f"token_{state}") if cli_language() == "zh-CN" else state
        expires = token.expires_at.isoformat() if token.expires_at else say("never")
        click.echo(
            f"{token.id}\t{token.role.value}\t{token.enterprise_id or '-'}\t{token.label}"
            f"\t{state}\t{expires}"
        )


@tokens.command("revoke")
@click.argument("token_id", type=int)
@fail_cleanly
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by its id: it is refused from the next request on."""
    from hub_scheduler.services.tokens import revoke_token

    revoked = revoke_token(_uow(), token_id, actor="cli")
    click.echo(say("revoked token {id} ({label})", id=revoked.id, label=revoked.label))


# --- solve and verify -----------------------------------------------------------------------------


@main.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    required=True,
    help="The schedule@1 file to write.",
)
@click.option("--time-limit", type=float, help="Seconds (default: the scenario's settings).")
@click.option("--workers", type=int, help="CP-SAT workers (default: the scenario's settings).")
@click.option(
    "--seed", "seed_value", type=int, help="Random seed (default: the scenario's settings)."
)
@fail_cleanly
def solve(
    scenario_file: str,
    out_file: str,
    time_limit: float | None,
    workers: int | None,
    seed_value: int | None,
) -> None:
    """Plan a scenario@1 file and write a schedule@1 file."""
    from hub_scheduler.scenario_file import read_scenario, write_schedule
    from hub_scheduler.solver import solve as solve_scenario

    scenario = read_scenario(scenario_file)
    schedule = solve_scenario(scenario, time_limit_s=time_limit, workers=workers, seed=seed_value)
    write_schedule(schedule, out_file)
    status = schedule.status.value
    click.echo(
        say(
            "{status}: objective {objective}, bound {bound}, {placed} placed, {unscheduled} "
            "unscheduled, {seconds} s -> {out}",
            status=say(f"solver_{status}") if cli_language() == "zh-CN" else status,
            objective=schedule.objective,
            bound=schedule.bound,
            placed=len(schedule.assignments),
            unscheduled=len(schedule.unscheduled),
            seconds=f"{schedule.solve_seconds:.1f}",
            out=out_file,
        )
    )


@main.command()
@click.argument("scenario_file", type=click.Path(dir_okay=False))
@click.argument("schedule_file", type=click.Path(dir_okay=False))
@fail_cleanly
def verify(scenario_file: str, schedule_file: str) -> None:
    """Check a schedule against its scenario, rule by rule; exit 1 on any violation."""
    from api.verify_words import finding_words
    from hub_scheduler.scenario_file import read_scenario, read_schedule
    from hub_scheduler.verify import verify as verify_schedule

    report = verify_schedule(read_scenario(scenario_file), read_schedule(schedule_file))
    for violation in report.violations:
        click.echo(finding_words(violation.code, violation.params, say))
    if report.violations:
        raise CliError(say("{count} violation(s)", count=len(report.violations)))
    click.echo(say("ok: every hard rule holds; objective {objective}", objective=report.objective))


# --- serve ----------------------------------------------------------------------------------------


@main.command()
@click.option("--demo", is_flag=True, help="Migrate, seed the Xunwu demo day, publish a plan.")
@click.option(
    "--host",
    default=None,
    help="The address to listen on (default: HUB_SCHEDULER_BIND's, else 127.0.0.1).",
)
@click.option(
    "--port",
    default=None,
    type=int,
    help="The port to listen on (default: HUB_SCHEDULER_BIND's, else 8000).",
)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers")
@click.option(
    "--no-job-worker", is_flag=True, help="Start no plan worker (run `hub-scheduler worker`s)."
)
@fail_cleanly
def serve(
    demo: bool, host: str | None, port: int | None, workers: int, no_job_worker: bool
) -> None:
    """Run the service under gunicorn (honours DATABASE_URL), with one plan worker process beside
    it: without REDIS_URL it claims jobs from the database, with it it works the RQ queue."""
    host, port = bind_address(host, port)
    if demo:
        token = _prepare_demo()
        click.echo(say("admin token: {token}", token=token))
        print_demo_users(_uow())
    if not no_job_worker:
        _start_job_worker()
    click.echo(say("serving on {url}", url=f"http://{host}:{port}/"))
    sys.stdout.flush()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:api.gunicorn_config",  # logs, metrics hooks (api/gunicorn_config.py)
        "--workers",
        str(workers),
        *_worker_class(),
        "--bind",
        f"{host}:{port}",
        "--graceful-timeout",
        "10",
        "api:create_app()",
    ]
    # exec: gunicorn becomes this process, so Ctrl-C and service managers reach it directly.
    os.execv(sys.executable, argv)


def _start_job_worker() -> None:
    """One plan worker child; it stops when this process (gunicorn after the exec) is gone.
    Web workers then never solve: without Redis they leave jobs `queued` for it."""
    import subprocess

    if not os.environ.get("REDIS_URL"):
        os.environ.setdefault("HUB_SCHEDULER_JOB_RUNNER", "database")
    argv = [sys.executable, "-m", "api.cli", "worker", "--parent-pid", str(os.getpid())]
    subprocess.Popen(argv, env=dict(os.environ))


@main.command()
@click.option("--parent-pid", type=int, hidden=True, help="Stop when this process is gone.")
@fail_cleanly
def worker(parent_pid: int | None) -> None:
    """Run plan jobs until SIGTERM: from the RQ queue when REDIS_URL is set (any number of these,
    on any machine that reaches Redis and the database), else claimed from the database."""
    import logging

    from api import create_app
    from api.jobs import redis_url
    from api.settings import settings
    from api.worker import JobWorker, run_rq_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if parent_pid is not None:
        _stop_with_parent(parent_pid)
    app = create_app()
    config = settings(app)
    url = redis_url(app)
    if url:
        click.echo(say("plan worker on the RQ queue {queue}", queue=config.HUB_SCHEDULER_QUEUE))
        sys.stdout.flush()
        run_rq_worker(
            app, url, config.HUB_SCHEDULER_QUEUE, stale_s=config.HUB_SCHEDULER_JOB_STALE_S
        )
    else:
        click.echo(say("plan worker claiming jobs from the database"))
        sys.stdout.flush()
        JobWorker(app, stale_s=config.HUB_SCHEDULER_JOB_STALE_S).poll_forever()


def _stop_with_parent(parent_pid: int) -> None:
    """SIGTERM ourselves (a graceful stop) once the `serve` process is gone."""
    import signal
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_class() -> list[str]:
    """gthread on PostgreSQL, where a request mostly waits on the database (bench_api: about 2x the
    requests/s of sync workers on a busy machine); sync workers on SQLite, whose single writer lock
    makes a worker's threads queue behind its millisecond-step busy waits (p99 roughly doubled)."""
    from models.db import database_url, normalize_url

    if normalize_url(database_url()).get_backend_name() == "postgresql":
        return ["--worker-class", "gthread", "--threads", "4"]
    return []


def _prepare_demo(now: datetime | None = None) -> str:
    """Migrate; seed the Xunwu day moved to today in the site's zone (HUB_SCHEDULER_TIMEZONE, else
    the stored site's, else Xunwu's own) if the database has no hub; plan today (midnight to
    midnight there) from now rounded up to the slot grid (`demo_day.plan_from`) and publish it,
    unless today has a published plan; a new admin token, the earlier demo starts' tokens revoked.
    Re-plans then run from the clock, so the day is live. A restart on a later day keeps the
    earlier days' loads and plans as they are and plans today. `now` (default the service's
    clock: HUB_SCHEDULER_PLAN_NOW, else the real one) says which day and from when."""
    from importlib.resources import as_file

    from api.settings import load_settings
    from api.web.i18n import translator
    from hub_scheduler.data import demo_scenario
    from hub_scheduler.demo_day import plan_from, shift_to_day
    from hub_scheduler.scenario_file import read_scenario
    from hub_scheduler.services.plans import ensure_published_plan
    from hub_scheduler.services.site import site_timezone
    from models.db import database_url
    from models.migrate import upgrade
    from models.scenario_store import load_scenario, store_scenario

    upgrade(database_url())
    with as_file(demo_scenario()) as path:  # package data: works from a wheel, from any folder
        scenario = read_scenario(path)
    uow = _uow()
    with uow:
        empty = not uow.hubs.list()
    settings = load_settings()
    configured = settings.HUB_SCHEDULER_TIMEZONE
    zone = site_timezone(uow, zone=configured or (scenario.timezone if empty else None))
    now = (now or settings.HUB_SCHEDULER_PLAN_NOW or datetime.now(zone)).astimezone(zone)
    day = now.date()
    # Today's horizon in the site's zone, Xunwu's wall-clock times kept, whatever the seed's day.
    scenario = shift_to_day(scenario, day, zone=zone.key)
    if empty:
        store_scenario(uow, scenario)
        click.echo(
            say(
                "seeded the demo day {day}: {hubs} hubs, {loads} loads",
                day=day,
                hubs=len(scenario.hubs),
                loads=len(scenario.loads),
            )
        )
    start, end = scenario.horizon.start, scenario.horizon.end
    with uow:
        current = uow.plans.published_for(start, end)
    if current is not None:
        click.echo(
            say(
                "plan {plan} is in force for {day} (published before; nothing planned)",
                plan=current.id,
                day=day,
            )
        )
    else:
        plan = ensure_published_plan(
            uow,
            start,
            end,
            actor="demo",
            load_scenario=load_scenario,
            english=translator("en"),
            time_limit_s=min(scenario.settings.time_limit_s, 5.0),
            now=plan_from(scenario, now),
        )
        click.echo(
            say(
                "planned and published plan {plan} for {day}: "
                "{placed} loads placed, {unscheduled} not",
                plan=plan.id,
                day=day,
                **_plan_counts(plan),
            )
        )
    return _demo_token(uow)


def _demo_token(uow) -> str:
    """A new admin token for this start; the earlier starts' demo tokens revoked (and said)."""
    from hub_scheduler.services.tokens import replace_demo_token

    token, revoked = replace_demo_token(uow, label=f"demo admin {site_now(uow):%Y-%m-%d %H:%M}")
    if revoked:
        ids = ", ".join(map(str, revoked))
        click.echo(say("revoked the earlier demo admin token(s): {ids}", ids=ids))
    return token


def site_now(uow) -> datetime:
    """The clock in the site's zone (the stored site's, HUB_SCHEDULER_TIMEZONE overriding it),
    as the pages and the API show every time: what a label a person reads is written in."""
    from api.settings import load_settings
    from hub_scheduler.services.site import site_timezone

    return datetime.now(site_timezone(uow, zone=load_settings().HUB_SCHEDULER_TIMEZONE))


def _plan_counts(plan) -> dict[str, int]:
    """How many loads the plan places and leaves out (the timeline page lists them and why)."""
    schedule = plan.schedule
    if schedule is None:
        return {"placed": 0, "unscheduled": 0}
    return {"placed": len(schedule.assignments), "unscheduled": len(schedule.unscheduled)}


# Operations commands (info, backup, restore) and web users live in their own modules.
from api import cli_ops, cli_users  # noqa: E402

cli_ops.register(main)
cli_users.register(main)
# After the decorators: the help texts click writes at import (`--version`'s) stay English ids,
# said when shown; what click says at run time goes through the catalogue.
install_click_words()

if __name__ == "__main__":
    main()
