"""The SQLAlchemy unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from hub_scheduler.services.plan_figures import recount_plans
from models.read_cache import SNAPSHOT, Snapshot
from models.repositories import (
    SqlActivationRepository,
    SqlAuditRepository,
    SqlConfigRepository,
    SqlEnterpriseRepository,
    SqlEventRepository,
    SqlHubRepository,
    SqlIncidentRepository,
    SqlLoadRepository,
    SqlPlanRepository,
    SqlProposalRepository,
    SqlReportRepository,
    SqlTokenRepository,
    SqlTransferRepository,
    SqlUserRepository,
    SqlWebhookRepository,
)
from models.repositories.events import OUTBOX_FLAG
from models.repositories.plan_rows import EDITED_PLANS

log = logging.getLogger(__name__)

_REPOSITORIES = {
    "hubs": SqlHubRepository,
    "enterprises": SqlEnterpriseRepository,
    "loads": SqlLoadRepository,
    "transfers": SqlTransferRepository,
    "proposals": SqlProposalRepository,
    "tokens": SqlTokenRepository,
    "users": SqlUserRepository,
    "plans": SqlPlanRepository,
    "activations": SqlActivationRepository,
    "incidents": SqlIncidentRepository,
    "audit": SqlAuditRepository,
    "config": SqlConfigRepository,
    "events": SqlEventRepository,
    "webhooks": SqlWebhookRepository,
    "reports": SqlReportRepository,
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
    proposals: SqlProposalRepository
    tokens: SqlTokenRepository
    users: SqlUserRepository
    plans: SqlPlanRepository
    activations: SqlActivationRepository
    incidents: SqlIncidentRepository
    audit: SqlAuditRepository
    config: SqlConfigRepository
    events: SqlEventRepository
    webhooks: SqlWebhookRepository
    reports: SqlReportRepository

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        zone: str | None = None,
        on_outbox: Callable[[], None] | None = None,
        cache: Snapshot | None = None,
        on_stale_figures: Callable[[list[int]], None] | None = None,
    ):
        self.session_factory = session_factory
        # The request's view of the per-process read cache (models.read_cache); None: none.
        self.cache = cache
        # Called after a commit that wrote webhook deliveries (the API starts their sender).
        self.on_outbox = on_outbox
        # Called after a commit that edited plans' rows, with their ids: the API queues their
        # recount (api/figures.py). None: they are counted here, right after the commit (tests
        # with the inline runner, commands, benches), as `recount_here` does.
        self.on_stale_figures = on_stale_figures
        self.zone = zone  # the configured site zone overriding the seeded one (services.site)
        self.session: Session | None = None
        self._depth = 0

    def __enter__(self) -> SqlUnitOfWork:
        if self._depth == 0:
            self.session = self.session_factory()
            if self.cache is not None:
                self.session.info[SNAPSHOT] = self.cache
            # Repositories are made on first use (`__getattr__`): a request touches two or three
            # of the fifteen.
        self._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        session, self.session = self.session, None
        for name in _REPOSITORIES.keys() & self.__dict__.keys():  # the ones made in this block
            del self.__dict__[name]
        if session is not None:
            session.close()  # rolls back what was not committed, returns the connection

    def __getattr__(self, name: str) -> Any:
        # Only reached when the attribute is missing: a repository not made yet in this block,
        # or one used outside `with uow:`.
        if name in _REPOSITORIES:
            session = self.__dict__.get("session")
            if session is None:
                raise RuntimeError(f"uow.{name} is only available inside `with uow:`")
            repository = _REPOSITORIES[name](session)
            setattr(self, name, repository)
            return repository
        raise AttributeError(name)

    def _open(self) -> Session:
        if self.session is None:
            raise RuntimeError("commit() and rollback() are only available inside `with uow:`")
        return self.session

    def commit(self) -> None:
        session = self._open()
        edited = session.info.pop(EDITED_PLANS, None)
        session.commit()
        if session.info.pop(OUTBOX_FLAG, False) and self.on_outbox is not None:
            self.on_outbox()
        if edited:
            # Their figures were marked stale in the transaction; counted again off it.
            (self.on_stale_figures or self.recount_here)(sorted(edited))

    def recount_here(self, plan_ids: list[int]) -> None:
        """Count the plans' figures again now, in this thread, each in its own transactions. A
        failure is logged, not raised: the edit is committed and stands, its plan stays pending
        (the next edit's recount, or a worker's sweep, counts it)."""
        try:
            recount_plans(lambda: SqlUnitOfWork(self.session_factory, zone=self.zone), plan_ids)
        except Exception:
            log.exception("could not count the figures of plans %s again", plan_ids)

    def read_snapshot(self) -> None:
        """Every read of the rest of this transaction sees one committed state, and no lock is
        taken: PostgreSQL, REPEATABLE READ; SQLite, an explicit BEGIN (pysqlite begins only
        before a write, so each read would see the latest commit; in WAL mode a read
        transaction keeps its snapshot and never blocks a writer). First in the transaction."""
        session = self._open()
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        else:
            session.connection().exec_driver_sql("BEGIN")

    def rollback(self) -> None:
        session = self._open()
        session.rollback()
        session.info.pop(OUTBOX_FLAG, None)
        session.info.pop(EDITED_PLANS, None)


if TYPE_CHECKING:
    from hub_scheduler.ports import UnitOfWork

    def _implements_the_port(uow: SqlUnitOfWork) -> UnitOfWork:
        # Never called: mypy checks here that every repository matches its Protocol
        # (tests/unit/test_ports.py runs mypy on these files).
        return uow
