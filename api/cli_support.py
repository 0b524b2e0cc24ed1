"""What every `hub-scheduler` command shares: one clear line and exit 1 on failure, URLs printed
without their password. Its own module so that command modules (api/cli_ops.py) need not import
api/cli.py, which registers them (`python -m api.cli` would otherwise import it twice)."""

from __future__ import annotations

import errno
import os

import click

from api.cli_words import said_error, say
from hub_scheduler.errors import HubSchedulerError


class CliError(click.ClickException):
    """A ClickException prints `Error: <message>` and exits 1."""


NOT_MIGRATED = "the database is not migrated yet: run hub-scheduler db upgrade first"
# The system's words for the I/O errors a command meets most, said in our catalogue.
_OS_ERRORS = {
    errno.ENOENT: "no such file or folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a folder",
    errno.ENOTDIR: "not a folder",
    errno.ENOSPC: "no space left on the disk",
    errno.EEXIST: "already exists",
}


def not_migrated() -> bool:
    """The database answers but is not at the newest schema revision (never migrated, or behind):
    why a command's table is missing. False when it cannot be asked (unreachable)."""
    from models.db import database_url
    from models.migrate import current, head

    try:
        return current(database_url()) != head()
    except Exception:  # unreachable: the original error says more
        return False


def fail_cleanly(func):
    """Turn our errors, I/O errors and database errors into one line and exit code 1."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except HubSchedulerError as exc:
            raise CliError(said_error(exc)) from None
        except OSError as exc:
            what = _OS_ERRORS.get(exc.errno or 0)
            text = say(what) if what else str(exc.strerror or exc)
            raise CliError(f"{text}: {exc.filename or ''}".rstrip(": ")) from None
        except Exception as exc:  # database unreachable and the like: say what, not where
            if type(exc).__module__.startswith("sqlalchemy"):
                if not_migrated():
                    raise CliError(say(NOT_MIGRATED)) from None
                message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise CliError(say("database error: {message}", message=message)) from None
            raise

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def bind_address(host: str | None, port: int | None) -> tuple[str, int]:
    """Where `serve` listens: `--host` / `--port` when given, else HUB_SCHEDULER_BIND's
    `HOST:PORT` (deploy/.env.example, as gunicorn's config reads it), else 127.0.0.1:8000. A unix
    socket in HUB_SCHEDULER_BIND is not `serve`'s: the defaults then."""
    bound_host, _, bound_port = os.environ.get("HUB_SCHEDULER_BIND", "").rpartition(":")
    if not bound_port.isdigit():
        bound_host = bound_port = ""
    return host or bound_host or "127.0.0.1", port or int(bound_port or 8000)
