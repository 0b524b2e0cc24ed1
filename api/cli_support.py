"""What every `hub-scheduler` command shares: one clear line and exit 1 on failure, URLs printed
without their password. Its own module so that command modules (api/cli_ops.py) need not import
api/cli.py, which registers them (`python -m api.cli` would otherwise import it twice)."""

from __future__ import annotations

import click

from hub_scheduler.errors import HubSchedulerError


class CliError(click.ClickException):
    """A ClickException prints `Error: <message>` and exits 1."""


NOT_MIGRATED = (
    "数据库尚未迁移到最新结构，请先运行 hub-scheduler db upgrade。"
    " / The database is not migrated yet: run hub-scheduler db upgrade first."
)


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
            raise CliError(str(exc)) from None
        except OSError as exc:
            raise CliError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
        except Exception as exc:  # database unreachable and the like: say what, not where
            if type(exc).__module__.startswith("sqlalchemy"):
                if not_migrated():
                    raise CliError(NOT_MIGRATED) from None
                message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise CliError(f"database error: {message}") from None
            raise

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
