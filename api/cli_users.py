"""`hub-scheduler users ...`: web users (create, list, disable, enable, reset-password) and the
demo users `serve --demo` prints.

A password is read from standard input with `--password-stdin` (one line; never a command-line
argument, which other users of the machine could see in the process list); without it one is
generated and printed once.
"""

from __future__ import annotations

import sys

import click

from api.cli_support import CliError, fail_cleanly


def _uow():
    from models.db import database_url, make_engine, make_session_factory
    from models.uow import SqlUnitOfWork

    return SqlUnitOfWork(make_session_factory(make_engine(database_url())))


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The password and whether it was generated (and so must be printed)."""
    from hub_scheduler.services.users import generate_password

    if not from_stdin:
        return generate_password(), True
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CliError("no password on standard input")
    return line, False


@click.group()
def users() -> None:
    """Web users who sign in with a name and password (API tokens: `hub-scheduler tokens`)."""


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "operator", "enterprise"]), required=True)
@click.option("--enterprise", "enterprise_id", help="The enterprise an enterprise user acts for.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@fail_cleanly
def users_create(name: str, role: str, enterprise_id: str | None, password_stdin: bool) -> None:
    """Create a user (without --password-stdin a password is generated and printed once)."""
    from hub_scheduler.services.users import create_user

    password, generated = _password(password_stdin)
    user = create_user(
        _uow(), name=name, role=role, password=password, enterprise_id=enterprise_id, actor="cli"
    )
    who = f"{user.role.value}" + (f" of {user.enterprise_id}" if user.enterprise_id else "")
    click.echo(f"created user {user.name} ({who})")
    if generated:
        click.echo(f"password: {password}")


@users.command("list")
@fail_cleanly
def users_list() -> None:
    """Every user: name, role, enterprise, state (never a password or its hash)."""
    from hub_scheduler.services.users import list_users

    found = list_users(_uow())  # read first: a failure prints no header before its error
    click.echo("name\trole\tenterprise\tstate")
    for user in found:
        state = "disabled" if user.disabled else "enabled"
        click.echo(f"{user.name}\t{user.role.value}\t{user.enterprise_id or '-'}\t{state}")


@users.command("disable")
@click.argument("name")
@fail_cleanly
def users_disable(name: str) -> None:
    """Disable a user: no sign-in, and their page sessions end at once."""
    from hub_scheduler.services.users import disable_user

    click.echo(f"disabled user {disable_user(_uow(), name, actor='cli').name}")


@users.command("enable")
@click.argument("name")
@fail_cleanly
def users_enable(name: str) -> None:
    """Let a disabled user sign in again."""
    from hub_scheduler.services.users import enable_user

    click.echo(f"enabled user {enable_user(_uow(), name, actor='cli').name}")


@users.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@fail_cleanly
def users_reset_password(name: str, password_stdin: bool) -> None:
    """Give a user a new password (their sessions end); generated and printed without
    --password-stdin."""
    from hub_scheduler.services.users import reset_password

    password, generated = _password(password_stdin)
    user = reset_password(_uow(), name, password, actor="cli")
    click.echo(f"new password set for {user.name}; their sessions have ended")
    if generated:
        click.echo(f"password: {password}")


def demo_users(uow, enterprise_id: str | None) -> list[tuple[str, str, str]]:
    """A user per role with a fresh generated password (made, or reset when it exists):
    (role, name, password) rows to print once."""
    from hub_scheduler.services.users import (
        create_user,
        enable_user,
        generate_password,
        reset_password,
    )

    wanted: list[tuple[str, str, str | None]] = [
        ("admin", "demo-admin", None),
        ("operator", "demo-operator", None),
    ]
    if enterprise_id:
        wanted.append(("enterprise", f"demo-{enterprise_id.lower()}", enterprise_id))
    with uow:
        existing = {u.name: u for u in uow.users.list()}
    rows = []
    for role, name, enterprise in wanted:
        password = generate_password()
        if name in existing:
            reset_password(uow, name, password, actor="demo")
            if existing[name].disabled:
                enable_user(uow, name, actor="demo")
        else:
            create_user(
                uow,
                name=name,
                role=role,
                password=password,
                enterprise_id=enterprise,
                actor="demo",
            )
        rows.append((role, name, password))
    return rows


def register(group: click.Group) -> None:
    """Add `users` to the `hub-scheduler` group."""
    group.add_command(users)
