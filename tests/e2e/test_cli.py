"""The `hub-scheduler` command as a user runs it: a real process, real files, a real database."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
from servers import free_port, local_url, printed_value, run_cli, serve_demo_argv, serving

REPO = Path(__file__).resolve().parents[2]
XUNWU = REPO / "fixtures" / "xunwu.json"


@pytest.fixture
def sqlite_env(tmp_path):
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}"}


def test_solve_writes_a_schedule_that_the_verify_command_accepts(tmp_path):
    out = tmp_path / "schedule.json"
    solved = run_cli("solve", str(XUNWU), "--out", str(out), "--time-limit", "3", "--workers", "1")
    assert solved.returncode == 0, solved.stderr
    schedule = json.loads(out.read_text(encoding="utf-8"))
    assert schedule["format"] == "hub-scheduler/schedule@1"
    assert schedule["assignments"], "the demo day must place loads"
    checked = run_cli("verify", str(XUNWU), str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("ok")


def test_verify_names_the_broken_rule_and_exits_non_zero(tmp_path):
    out = tmp_path / "schedule.json"
    assert run_cli("solve", str(XUNWU), "--out", str(out), "--time-limit", "2").returncode == 0
    schedule = json.loads(out.read_text(encoding="utf-8"))
    first, second = schedule["assignments"][:2]
    # Put the second truck on the first one's dock at the same time: H3 must catch it.
    second.update({k: first[k] for k in ("hub_id", "zone_id", "dock_id", "start")})
    out.write_text(json.dumps(schedule), encoding="utf-8")
    checked = run_cli("verify", str(XUNWU), str(out))
    assert checked.returncode == 1
    assert "H3" in checked.stdout


def test_a_bad_scenario_is_one_clear_line_not_a_traceback(tmp_path):
    scenario = json.loads(XUNWU.read_text(encoding="utf-8"))
    scenario["loads"][17]["temperature"] = "frozen"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(scenario), encoding="utf-8")
    result = run_cli("solve", str(bad), "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert 'loads[17].temperature: must be "cold" or "ambient"' in result.stderr


def test_a_missing_file_is_one_clear_line(tmp_path):
    result = run_cli("solve", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nope.json" in result.stderr


@pytest.mark.db
def test_db_upgrade_seed_and_token_create_work_on_a_fresh_database(sqlite_env):
    assert run_cli("db", "upgrade", env=sqlite_env).returncode == 0
    seeded = run_cli("seed", str(XUNWU), env=sqlite_env)
    assert seeded.returncode == 0, seeded.stderr
    assert "4 hubs" in seeded.stdout
    again = run_cli("seed", str(XUNWU), env=sqlite_env)
    assert again.returncode == 0, again.stderr
    assert "nothing written" in again.stdout
    created = run_cli("tokens", "create", "--role", "operator", env=sqlite_env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert len(token) >= 32 and " " not in token


@pytest.mark.db
def test_an_enterprise_token_needs_a_known_enterprise(sqlite_env):
    assert run_cli("db", "upgrade", env=sqlite_env).returncode == 0
    result = run_cli(
        "tokens", "create", "--role", "enterprise", "--enterprise", "NOPE", env=sqlite_env
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
@pytest.mark.db
def test_serve_demo_answers_healthz_and_lists_the_four_xunwu_hubs(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
        "HUB_SCHEDULER_COOKIE_SECURE": "0",  # plain http: httpx returns no Secure cookie there
    }
    env.pop("DATABASE_URL", None)  # the quick start: SQLite under the instance folder
    # Run from an unrelated folder: the command must not depend on the working directory.
    log = tmp_path / "serve.log"
    base = local_url(port)
    with serving(
        serve_demo_argv(port, workers=2), url=base, log=log, env=env, cwd=tmp_path, timeout_s=120
    ):
        lines = log.read_text(errors="replace").splitlines(keepends=True)
        token = printed_value(log, "admin token: ")
        assert token, "".join(lines)
        demo_users = {}
        for line in lines:
            if line.startswith("demo ") and "password: " in line:
                role = line.split()[1]
                name = line.split("user: ", 1)[1].split()[0]
                demo_users[role] = (name, line.split("password: ", 1)[1].strip())
        assert set(demo_users) == {"admin", "operator", "enterprise"}, "".join(lines)
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        hubs = httpx.get(
            f"{base}/api/v1/hubs", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert hubs.status_code == 200
        body = hubs.json()
        items = body["items"] if isinstance(body, dict) else body
        assert len(items) == 4
        assert httpx.get(f"{base}/api/v1/hubs", timeout=5).status_code == 401
        # Each demo user signs in to the pages with the password printed once.
        for role, home in [("admin", "/board"), ("enterprise", "/loads")]:
            name, password = demo_users[role]
            with httpx.Client(base_url=base, timeout=15) as browser:
                form = browser.get("/login").text
                csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                signed = browser.post(
                    "/login", data={"username": name, "password": password, "csrf_token": csrf}
                )
                assert signed.status_code == 303 and signed.headers["Location"] == home


def test_commands_on_a_database_not_yet_migrated_say_to_run_db_upgrade(database_url, tmp_path):
    """A fresh user's first commands before `db upgrade`: one line naming the fix (in Chinese by
    default, in English by the switch), not "no such table"; `users list` prints no header before
    it (SQLite and PostgreSQL)."""
    env = {"DATABASE_URL": database_url}
    english = run_cli("users", "list", env=env)
    assert english.stderr.startswith("Error: the database is not migrated yet"), english.stderr
    for args in (("tokens", "create", "--role", "admin"), ("users", "list")):
        result = run_cli(*args, env=env, lang="zh-CN")
        assert result.returncode == 1, args
        assert result.stderr.startswith("错误：数据库尚未迁移"), result.stderr
        assert "hub-scheduler db upgrade" in result.stderr
        assert "no such table" not in result.stderr and "does not exist" not in result.stderr
        assert result.stdout == "", (args, result.stdout)


def test_info_does_not_create_the_sqlite_file(tmp_path):
    file = tmp_path / "never.sqlite3"
    shown = run_cli("info", env={"DATABASE_URL": f"sqlite:///{file}"})
    assert shown.returncode == 0, shown.stderr
    assert "none (run: hub-scheduler db upgrade)" in shown.stdout
    assert not file.exists()
