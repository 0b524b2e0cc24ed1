"""Hubs (with zones, docks, blocked windows) and enterprises."""

from __future__ import annotations

import secrets
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, select
from sqlalchemy.orm import selectinload

from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
)
from hub_scheduler.errors import NotFound
from models import convert
from models.read_cache import cached
from models.repositories.base import Repository, enum_value, flush, now
from models.tables import (
    BlockedWindowRow,
    EnterpriseRow,
    HubRow,
    ZoneRow,
)


class SqlHubRepository(Repository):
    def _row(self, hub_id: str) -> HubRow | None:
        return self.session.scalars(
            select(HubRow).where(HubRow.id == hub_id).options(*self._children())
        ).one_or_none()

    @staticmethod
    def _children() -> list[Any]:
        return [
            selectinload(HubRow.zones).selectinload(ZoneRow.docks),
            selectinload(HubRow.opening_hours),
            selectinload(HubRow.blocked),
        ]

    def _required(self, hub_id: str) -> HubRow:
        row = self._row(hub_id)
        if row is None:
            raise NotFound(f'no hub "{hub_id}"')
        return row

    def add(self, hub: Hub) -> Hub:
        row = self._add_new(
            HubRow, hub.id, f'hub "{hub.id}"', lambda new: convert.fill_hub_row(new, hub)
        )
        return convert.hub_from_row(row)

    def get(self, hub_id: str) -> Hub | None:
        row = self._row(hub_id)
        return convert.hub_from_row(row) if row is not None else None

    def list(self, status: HubStatus | str | None = None) -> list[Hub]:
        query = select(HubRow).options(*self._children()).order_by(HubRow.id)
        if status is not None:
            query = query.where(HubRow.status == enum_value(status))
        return [convert.hub_from_row(r) for r in self.session.scalars(query)]

    def update(self, hub: Hub) -> Hub:
        row = self._required(hub.id)
        # Children are replaced wholesale; flushing the removals first keeps their keys free.
        row.zones.clear()
        row.opening_hours.clear()
        row.blocked.clear()
        self.session.flush()
        convert.fill_hub_row(row, hub)
        row.updated_at = now()
        flush(self.session, f'hub "{hub.id}"')
        return convert.hub_from_row(row)

    def set_status(self, hub_id: str, status: HubStatus | str) -> Hub:
        row = self._restatus(self._required(hub_id), HubStatus(enum_value(status)))
        return convert.hub_from_row(row)

    def add_blocked(self, hub_id: str, window: BlockedWindow) -> BlockedWindow:
        row = self._required(hub_id)
        if window.id is None:
            window = window.model_copy(update={"id": "B" + secrets.token_hex(4)})
        blocked = convert.blocked_window_row(window)
        row.blocked.append(blocked)
        row.updated_at = now()
        flush(self.session, f'blocked window "{window.id}" at hub "{hub_id}"')
        return convert.blocked_window_from_row(blocked)

    def remove_blocked(self, hub_id: str, window_id: str) -> bool:
        result = self.session.execute(
            delete(BlockedWindowRow).where(
                BlockedWindowRow.hub_id == hub_id, BlockedWindowRow.window_id == window_id
            )
        )
        self.session.expire_all()
        return bool(cast(CursorResult[Any], result).rowcount)


# --- enterprises ----------------------------------------------------------------------------------


_ENTERPRISE_BY_ID = select(*EnterpriseRow.__table__.columns).where(
    EnterpriseRow.__table__.c.id == bindparam("id")
)


class SqlEnterpriseRepository(Repository):
    def add(self, enterprise: Enterprise) -> Enterprise:
        what = f'enterprise "{enterprise.id}"'
        row = self._add_new(
            EnterpriseRow,
            enterprise.id,
            what,
            lambda new: convert.fill_enterprise_row(new, enterprise),
        )
        return convert.enterprise_from_row(row)

    def get(self, enterprise_id: str) -> Enterprise | None:
        row = self._row(enterprise_id)
        return convert.enterprise_from_row(row) if row is not None else None

    def exists(self, enterprise_id: str) -> bool:
        """Whether the enterprise is stored: `get` without building the record (every
        submission asks)."""
        return self._row(enterprise_id) is not None

    def _row(self, enterprise_id: str) -> Any:
        # A plain row, not an ORM object, kept in the request's read cache (models.read_cache):
        # every submission reads its enterprise.
        self.session.flush()  # what this session changed counts
        return cached(
            self.session,
            ("enterprise", enterprise_id),
            lambda: self.session.execute(_ENTERPRISE_BY_ID, {"id": enterprise_id}).one_or_none(),
        )

    def list(self, whitelisted: bool | None = None) -> list[Enterprise]:
        query = select(EnterpriseRow).order_by(EnterpriseRow.id)
        if whitelisted is not None:
            query = query.where(EnterpriseRow.whitelisted == whitelisted)
        return [convert.enterprise_from_row(r) for r in self.session.scalars(query)]

    def update(self, enterprise: Enterprise) -> Enterprise:
        row = self._stored(EnterpriseRow, enterprise.id, f'enterprise "{enterprise.id}"')
        convert.fill_enterprise_row(row, enterprise)
        row.updated_at = now()
        self.session.flush()
        return convert.enterprise_from_row(row)
