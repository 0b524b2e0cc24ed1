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
from api.cli_words import SaidGroup, cli_language, say


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
        raise CliError(say("no password on standard input"))
    return line, False


@click.group(cls=SaidGroup)
def users() -> None:
    """Web users who sign in with a name and password (API tokens: `hub-scheduler tokens`)."""


@users.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "operator", "enterprise"]),
    required=True,
    help="The role: admin, operator or enterprise.",
)
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
    role = _role(user.role.value)
    if user.enterprise_id:
        said = say(
            "created user {name} ({role} of {enterprise})",
            name=user.name,
            role=role,
            enterprise=user.enterprise_id,
        )
    else:
        said = say("created user {name} ({role})", name=user.name, role=role)
    click.echo(said)
    if generated:
        click.echo(say("password: {password}", password=password))


def _role(role: str) -> str:
    """A role in words in Chinese; its code (what `--role` takes) in English."""
    return say(f"role_{role}") if cli_language() == "zh-CN" else role


@users.command("list")
@fail_cleanly
def users_list() -> None:
    """Every user: name, role, enterprise, state (never a password or its hash)."""
    from hub_scheduler.services.users import list_users

    found = list_users(_uow())  # read first: a failure prints no header before its error
    click.echo(say("name\trole\tenterprise\tstate"))
    for user in found:
        state = say("disabled") if user.disabled else say("enabled")
        click.echo(f"{user.name}\t{user.role.value}\t{user.enterprise_id or '-'}\t{state}")


@users.command("disable")
@click.argument("name")
@fail_cleanly
def users_disable(name: str) -> None:
    """Disable a user: no sign-in, and their page sessions end at once."""
    from hub_scheduler.services.users import disable_user

    click.echo(say("disabled user {name}", name=disable_user(_uow(), name, actor="cli").name))


@users.command("enable")
@click.argument("name")
@fail_cleanly
def users_enable(name: str) -> None:
    """Let a disabled user sign in again."""
    from hub_scheduler.services.users import enable_user

    click.echo(say("enabled user {name}", name=enable_user(_uow(), name, actor="cli").name))


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
    click.echo(say("new password set for {name}; their sessions have ended", name=user.name))
    if generated:
        click.echo(say("password: {password}", password=password))


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


def print_demo_users(uow) -> None:
    """`serve --demo`'s web users, one per role, each with a new generated password, printed
    once (the first white-listed enterprise's user for the enterprise role)."""
    with uow:
        enterprises = uow.enterprises.list(whitelisted=True)
    first = enterprises[0].id if enterprises else None
    for role, name, password in demo_users(uow, first):
        said = say(
            "demo {role} user: {name}  password: {password}",
            role=_role(role),
            name=name,
            password=password,
        )
        click.echo(said)


def register(group: click.Group) -> None:
    """Add `users` to the `hub-scheduler` group."""
    group.add_command(users)
