"""What every SQL repository shares: the session holder, flushing with clear errors, paging."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from hub_scheduler.errors import Conflict, NotFound, ValidationFailed

R = TypeVar("R")
log = logging.getLogger(__name__)


def now() -> datetime:
    return datetime.now(UTC)


def enum_value(enum_or_str: Any) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


def flush(session: Session, what: str, write: Callable[[], Any] | None = None) -> None:
    """Flush (or run `write`); a constraint violation is a Conflict, a value the database cannot
    hold (an integer beyond PostgreSQL's range) is ValidationFailed. Either way the transaction is
    rolled back."""
    try:
        if write is None:
            session.flush()
        else:
            write()
    except IntegrityError as exc:
        session.rollback()
        # The driver's text names constraints and other rows' keys: logged, never shown.
        log.warning("%s clashes with stored data: %s", what, first_line(exc))
        raise Conflict(f"{what} clashes with stored data") from None
    except DataError as exc:
        session.rollback()
        log.warning("%s has a value the database cannot store: %s", what, first_line(exc))
        raise ValidationFailed(f"{what} has a value the database cannot store") from None


def first_line(exc: DBAPIError) -> str:
    return (str(exc.orig) if exc.orig else str(exc)).splitlines()[0]


def paged(query: Select, limit: int | None, offset: int) -> Select:
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


class Repository:
    def __init__(self, session: Session):
        self.session = session

    def _stored(self, row_type: type[R], key: Any, what: str) -> R:
        """The row of `row_type` whose primary key is `key`; NotFound ("no `what`") when there is
        none (or `key` is None: a record not stored yet)."""
        row = self.session.get(row_type, key) if key is not None else None
        if row is None:
            raise NotFound(f"no {what}")
        return row

    def _add_new(self, row_type: type[R], key: str, what: str, fill: Callable[[R], R]) -> R:
        """A new row of `row_type` keyed `key`, created and updated now, filled by `fill`, added
        and flushed; Conflict ("`what` already exists") when the key is taken."""
        if self.session.get(row_type, key) is not None:
            raise Conflict(f"{what} already exists")
        moment = now()
        # Every row type passed here has the two stamps (hubs, enterprises); mypy cannot know it.
        row = fill(row_type(created_at=moment, updated_at=moment))  # type: ignore[call-arg]
        self.session.add(row)
        flush(self.session, what)
        return row

    def _restatus(self, row: Any, status: StrEnum) -> Any:
        """Store a row's new status with the moment of the change (`updated_at`), flushed."""
        row.status = status.value
        row.updated_at = now()
        self.session.flush()
        return row
