"""`hub-scheduler users ...` as an admin runs it: a real process on a real SQLite database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from servers import run_cli

from hub_scheduler.services import users
from models.db import make_engine, make_session_factory
from models.uow import SqlUnitOfWork

REPO = Path(__file__).resolve().parents[2]
XUNWU = REPO / "fixtures" / "xunwu.json"


@pytest.fixture
def seeded_env(tmp_path) -> dict:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}"}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    assert run_cli("seed", str(XUNWU), env=env).returncode == 0
    return env


def uow_for(env: dict) -> SqlUnitOfWork:
    return SqlUnitOfWork(make_session_factory(make_engine(env["DATABASE_URL"])))


def users_with_password(env: dict, password: str, *args: str) -> subprocess.CompletedProcess:
    """`hub-scheduler users ARGS --password-stdin` given `password`; it must exit 0."""
    result = run_cli("users", *args, "--password-stdin", env=env, stdin=f"{password}\n")
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.db
def test_create_disable_and_reset_a_user_from_the_command_line(seeded_env):
    clerk = ("create", "e01.clerk", "--role", "enterprise", "--enterprise", "E01")
    created = users_with_password(seeded_env, "a long password", *clerk)
    assert "created user e01.clerk (enterprise of E01)" in created.stdout
    assert "a long password" not in created.stdout
    uow = uow_for(seeded_env)
    signed = users.authenticate(uow, "e01.clerk", "a long password")
    assert signed.principal.enterprise_id == "E01"

    assert run_cli("users", "disable", "e01.clerk", env=seeded_env).returncode == 0
    assert users.session_principal(uow, signed.user_id, signed.version) is None
    listed = run_cli("users", "list", env=seeded_env)
    assert "e01.clerk\tenterprise\tE01\tdisabled" in listed.stdout

    users_with_password(seeded_env, "another long one", "reset-password", "e01.clerk")
    assert run_cli("users", "enable", "e01.clerk", env=seeded_env).returncode == 0
    assert users.authenticate(uow, "e01.clerk", "another long one").user_id == signed.user_id
    with uow:
        entries = uow.audit.list(action_prefix="user.")
    actions = [e.action for e in entries]
    assert actions == ["user.enable", "user.reset_password", "user.disable", "user.create"]
    assert {e.actor for e in entries} == {"cli"}


@pytest.mark.db
def test_a_generated_password_is_printed_once_and_works(seeded_env):
    created = run_cli("users", "create", "gate.1", "--role", "operator", env=seeded_env)
    assert created.returncode == 0, created.stderr
    password = created.stdout.split("password: ", 1)[1].strip()
    assert users.authenticate(uow_for(seeded_env), "gate.1", password).principal.role == "operator"


@pytest.mark.db
@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (
            ["create", "x1", "--role", "enterprise", "--password-stdin"],
            "a long password\n",
            "enterprise user needs its enterprise",
        ),
        (
            ["create", "x1", "--role", "enterprise", "--enterprise", "E99", "--password-stdin"],
            "a long password\n",
            'no enterprise "E99"',
        ),
        (["create", "x1", "--role", "operator", "--password-stdin"], "short\n", "too short"),
        (["create", "x1", "--role", "operator", "--password-stdin"], "", "no password"),
        (["disable", "nobody"], None, 'no user "nobody"'),
        (["reset-password", "nobody", "--password-stdin"], "a long password\n", "no user"),
    ],
)
def test_bad_user_commands_are_one_clear_line_and_exit_1(seeded_env, args, stdin, said):
    result = run_cli("users", *args, env=seeded_env, stdin=stdin)
    assert result.returncode == 1
    assert said in result.stderr and "Traceback" not in result.stderr
