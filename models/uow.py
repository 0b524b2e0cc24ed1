"""The SQLAlchemy unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from models.repositories import (
    SqlActivationRepository,
    SqlAuditRepository,
    SqlConfigRepository,
    SqlEnterpriseRepository,
    SqlHubRepository,
    SqlIncidentRepository,
    SqlLoadRepository,
    SqlPlanRepository,
    SqlTokenRepository,
    SqlTransferRepository,
)

_REPOSITORIES = {
    "hubs": SqlHubRepository,
    "enterprises": SqlEnterpriseRepository,
    "loads": SqlLoadRepository,
    "transfers": SqlTransferRepository,
    "tokens": SqlTokenRepository,
    "plans": SqlPlanRepository,
    "activations": SqlActivationRepository,
    "incidents": SqlIncidentRepository,
    "audit": SqlAuditRepository,
    "config": SqlConfigRepository,
}


class SqlUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the block without commit rolls back.

    Nested ``with uow:`` blocks share the outer block's session and transaction; only the outermost
    exit rolls back what was not committed and closes the session. One instance serves one thread.
    """

    hubs: SqlHubRepository
    enterprises: SqlEnterpriseRepository
    loads: SqlLoadRepository
    transfers: SqlTransferRepository
    tokens: SqlTokenRepository
    plans: SqlPlanRepository
    activations: SqlActivationRepository
    incidents: SqlIncidentRepository
    audit: SqlAuditRepository
    config: SqlConfigRepository

    def __init__(self, session_factory: sessionmaker[Session], zone: str | None = None):
        self.session_factory = session_factory
        self.zone = zone  # the configured site zone overriding the seeded one (services.site)
        self.session: Session | None = None
        self._depth = 0

    def __enter__(self) -> SqlUnitOfWork:
        if self._depth == 0:
            self.session = self.session_factory()
            for name, repository in _REPOSITORIES.items():
                setattr(self, name, repository(self.session))
        self._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        session, self.session = self.session, None
        for name in _REPOSITORIES:
            self.__dict__.pop(name, None)
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()

    def __getattr__(self, name: str) -> Any:
        # Only reached when the attribute is missing: a repository used outside `with uow:`.
        if name in _REPOSITORIES:
            raise RuntimeError(f"uow.{name} is only available inside `with uow:`")
        raise AttributeError(name)

    def _open(self) -> Session:
        if self.session is None:
            raise RuntimeError("commit() and rollback() are only available inside `with uow:`")
        return self.session

    def commit(self) -> None:
        self._open().commit()

    def rollback(self) -> None:
        self._open().rollback()


if TYPE_CHECKING:
    from hub_scheduler.ports import UnitOfWork

    def _implements_the_port(uow: SqlUnitOfWork) -> UnitOfWork:
        # Never called: mypy checks here that every repository matches its Protocol
        # (tests/unit/test_ports.py runs mypy on these files).
        return uow
