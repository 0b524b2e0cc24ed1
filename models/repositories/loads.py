"""Loads, the transfers (relays) between them, and relays proposed between two enterprises."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Unpack, cast

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import (
    CursorResult,
    Select,
    Table,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy import update as sql_update
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from hub_scheduler.domain import (
    Load,
    LoadStatus,
    Transfer,
)
from hub_scheduler.errors import Conflict, ValidationFailed
from hub_scheduler.ports.loads import LoadFilters, LoadMeta, LoadStatusFilter
from hub_scheduler.records import ProposalStatus, TransferProposal
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.values import plate_key
from models import convert
from models.repositories.base import Repository, enum_value, flush, now, paged
from models.tables import (
    LoadRow,
    PlanAssignmentRow,
    PlanRow,
    TransferProposalRow,
    TransferRow,
)


def _statuses(status: LoadStatusFilter) -> list[str] | None:
    if status is None:
        return None
    if isinstance(status, str):  # a StrEnum is a str too
        return [LoadStatus(enum_value(status)).value]
    return [LoadStatus(enum_value(s)).value for s in status]


# Core, no ORM bulk-insert machinery.
_INSERT = insert(cast(Table, LoadRow.__table__))


def may_use_hubs(dialect: str, hub_ids: list[str], or_anywhere: bool) -> ColumnElement[bool]:
    """The SQL condition "the load's `allowed_hubs` names one of `hub_ids`" (or, with
    `or_anywhere`, has none: SQL NULL or JSON null). The JSON array is searched by the database:
    PostgreSQL's `jsonb ?| text[]`, SQLite's `json_each` (JSON1), so a part of a province day
    reads only its own rows, not the day's 10,000."""
    column = LoadRow.allowed_hubs
    if dialect == "postgresql":
        names: ColumnElement[bool] = (
            sql_cast(column, postgresql.JSONB).has_any(
                postgresql.array(hub_ids, type_=postgresql.TEXT)
            )
            if hub_ids
            else false()
        )
        json_null = func.json_typeof(column) == "null"
    else:  # SQLite (JSON1, built into every Python since 3.9)
        element = func.json_each(column).table_valued("value")
        names = (
            exists(select(1).select_from(element).where(element.c.value.in_(hub_ids)))
            if hub_ids
            else false()
        )
        json_null = func.json_type(column) == "null"
    if not or_anywhere:
        return names
    return or_(column.is_(None), json_null, names)


class SqlLoadRepository(Repository):
    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        """One INSERT, no ORM object and no look-up first: a taken id or (enterprise, key) is
        refused by the table's own constraints, as a Conflict (the transaction rolled back;
        `services.load_submission.submit_load` then tells the two apart)."""
        moment = now()
        values = {
            **convert.load_row_values(load),
            "created_at": moment,
            "updated_at": moment,
            "idempotency_key": idempotency_key,
            "created_by": created_by,
        }
        # The stored form, read back as `get` would, built before the INSERT: from the INSERT
        # to the commit SQLite's write lock is held, and every other writer waits (in steps of
        # 1, 2, 5, 10 ms ...), so nothing that can be done first is done under it. The columns
        # are read as attributes; a namespace serves, without an ORM object's bookkeeping.
        try:
            stored = convert.load_from_row(cast(LoadRow, SimpleNamespace(**values)))
        except PydanticValidationError as exc:
            # A value past the domain's limits that slipped past the service: refused before the
            # INSERT, as the database would refuse it (`flush`), never stored to break later reads.
            raise ValidationFailed(
                f'load "{load.id}" has a value the database cannot store',
                pydantic_errors(exc),
            ) from None
        # On the session's connection (its transaction), not through `Session.execute`: a Core
        # INSERT into an unwatched table needs none of the ORM's execution machinery.
        connection = self.session.connection()
        flush(self.session, f'load "{load.id}"', lambda: connection.execute(_INSERT, values))
        return stored

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        """Store many new loads in one flush (no per-load checks: the caller has made them)."""
        moment = now()
        bookkeeping = {"created_at": moment, "updated_at": moment, "created_by": created_by}
        values = [{**convert.load_row_values(ld), **bookkeeping} for ld in loads]
        if values:
            # A bulk INSERT, not one ORM object per load: a 10,000-row sheet spent most of its time
            # building and flushing objects nobody reads back. render_nulls keeps every row's
            # columns alike, so the rows go in a few multi-row statements rather than many small
            # groups split wherever an optional field is empty.
            statement = insert(LoadRow).execution_options(render_nulls=True)
            flush(self.session, "loads", lambda: self.session.execute(statement, values))
        return len(values)

    def get(self, load_id: str) -> Load | None:
        row = self.session.get(LoadRow, load_id)
        return convert.load_from_row(row) if row is not None else None

    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        ids = list(dict.fromkeys(load_ids))
        rows: dict[str, LoadRow] = {}
        for chunk in range(0, len(ids), 500):  # stay under bound-parameter limits
            part = ids[chunk : chunk + 500]
            rows.update(
                (r.id, r) for r in self.session.scalars(select(LoadRow).where(LoadRow.id.in_(part)))
            )
        return [convert.load_from_row(rows[i]) for i in ids if i in rows]

    def _filtered(self, query: Select, **filters: Unpack[LoadFilters]) -> Select:
        statuses = _statuses(filters.get("status"))
        if statuses is not None:
            query = query.where(LoadRow.status.in_(statuses))
        for column, name in ((LoadRow.enterprise_id, "enterprise_id"),):
            if filters.get(name) is not None:
                query = query.where(column == filters.get(name))
        release_from, release_to = filters.get("release_from"), filters.get("release_to")
        if release_from is not None:
            query = query.where(LoadRow.release >= release_from)
        if release_to is not None:
            query = query.where(LoadRow.release < release_to)
        plate = filters.get("vehicle_plate")
        if plate is not None:
            # 赣B·12345, 赣B12345 and 赣b12345 are one truck.
            query = query.where(LoadRow.vehicle_plate_key == plate_key(plate))
        hub_id = filters.get("hub_id")
        if hub_id is not None:
            # A load is "at" a hub when a published plan places it there or it is pinned there.
            placed = (
                select(PlanAssignmentRow.load_id)
                .join(PlanRow, PlanRow.id == PlanAssignmentRow.plan_id)
                .where(PlanRow.published.is_(True), PlanAssignmentRow.hub_id == hub_id)
            )
            query = query.where(or_(LoadRow.pinned_hub_id == hub_id, LoadRow.id.in_(placed)))
        hub_ids = filters.get("may_use_hubs")
        if hub_ids is not None:
            dialect = self.session.get_bind().dialect.name
            query = query.where(
                may_use_hubs(dialect, sorted(set(hub_ids)), bool(filters.get("or_anywhere")))
            )
        return query

    def list(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[LoadFilters]
    ) -> builtins.list[Load]:
        query = self._filtered(select(LoadRow), **filters).order_by(LoadRow.release, LoadRow.id)
        return [convert.load_from_row(r) for r in self.session.scalars(paged(query, limit, offset))]

    def count(self, **filters: Unpack[LoadFilters]) -> int:
        query = self._filtered(select(func.count()).select_from(LoadRow), **filters)
        return int(self.session.scalar(query) or 0)

    def _required(self, load_id: str) -> LoadRow:
        return self._stored(LoadRow, load_id, f'load "{load_id}"')

    def update(self, load: Load) -> Load:
        row = self._required(load.id)
        convert.fill_load_row(row, load)
        row.updated_at = now()
        flush(self.session, f'load "{load.id}"')
        return convert.load_from_row(row)

    def set_status(self, load_id: str, status: LoadStatus | str) -> Load:
        row = self._restatus(self._required(load_id), LoadStatus(enum_value(status)))
        return convert.load_from_row(row)

    def transition(
        self, load_id: str, expected: LoadStatus | str, to: LoadStatus | str
    ) -> LoadStatus | None:
        """Set the status only if it is still `expected` (one conditional UPDATE); None when it
        was changed meanwhile, else the status it had. Of racing writers exactly one wins: on
        PostgreSQL the UPDATE waits for the other's row lock and re-reads the row, on SQLite the
        database lock serialises writers and the WHERE is evaluated after the other commit."""
        before = LoadStatus(enum_value(expected)).value
        result = self.session.execute(
            sql_update(LoadRow)
            .where(LoadRow.id == load_id, LoadRow.status == before)
            .values(status=LoadStatus(enum_value(to)).value, updated_at=now())
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount != 1:
            return None
        row = self.session.get(LoadRow, load_id)
        if row is not None:
            # Our UPDATE bypassed the identity map: read the row as the database has it now.
            self.session.refresh(row)
        return LoadStatus(before)

    def current_status(self, load_id: str) -> LoadStatus | None:
        """The status as committed now (not as this session first read it)."""
        value = self.session.scalar(select(LoadRow.status).where(LoadRow.id == load_id))
        return LoadStatus(value) if value is not None else None

    def _by_key(self, enterprise_id: str, key: str) -> LoadRow | None:
        return self.session.scalars(
            select(LoadRow).where(
                LoadRow.enterprise_id == enterprise_id, LoadRow.idempotency_key == key
            )
        ).one_or_none()

    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None:
        row = self._by_key(enterprise_id, key)
        return convert.load_from_row(row) if row is not None else None

    def meta(self, load_id: str) -> LoadMeta | None:
        row = self.session.get(LoadRow, load_id)
        if row is None:
            return None
        return LoadMeta(
            created_at=row.created_at,
            updated_at=row.updated_at,
            idempotency_key=row.idempotency_key,
            created_by=row.created_by,
        )


class SqlTransferRepository(Repository):
    def add(self, transfer: Transfer) -> Transfer:
        existing = self.session.scalars(
            select(TransferRow).where(TransferRow.outbound == transfer.outbound)
        ).one_or_none()
        if existing is not None:
            raise Conflict(f'load "{transfer.outbound}" is already the outbound of a transfer')
        row = convert.fill_transfer_row(TransferRow(), transfer)
        self.session.add(row)
        flush(self.session, f'transfer "{transfer.inbound}" -> "{transfer.outbound}"')
        return convert.transfer_from_row(row)

    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        rows = self.session.scalars(select(TransferRow).order_by(TransferRow.pk))
        transfers = [convert.transfer_from_row(r) for r in rows]
        if load_ids is None:
            return transfers
        wanted = set(load_ids)
        return [t for t in transfers if t.inbound in wanted and t.outbound in wanted]

    def for_load(self, load_id: str) -> builtins.list[Transfer]:
        rows = self.session.scalars(
            select(TransferRow)
            .where(or_(TransferRow.inbound == load_id, TransferRow.outbound == load_id))
            .order_by(TransferRow.pk)
        )
        return [convert.transfer_from_row(r) for r in rows]

    def remove(self, inbound: str, outbound: str) -> bool:
        result = self.session.execute(
            delete(TransferRow).where(
                TransferRow.inbound == inbound, TransferRow.outbound == outbound
            )
        )
        return bool(cast(CursorResult[Any], result).rowcount)


class SqlProposalRepository(Repository):
    def add(self, proposal: TransferProposal) -> TransferProposal:
        row = convert.fill_proposal_row(TransferProposalRow(), proposal)
        self.session.add(row)
        flush(self.session, f'relay proposal "{proposal.inbound}" -> "{proposal.outbound}"')
        return convert.proposal_from_row(row)

    def get(self, proposal_id: int) -> TransferProposal | None:
        row = self.session.get(TransferProposalRow, proposal_id)
        return convert.proposal_from_row(row) if row is not None else None

    def list(
        self, *, status: ProposalStatus | None = None, enterprise_id: str | None = None
    ) -> builtins.list[TransferProposal]:
        query = select(TransferProposalRow).order_by(TransferProposalRow.id)
        if status is not None:
            query = query.where(TransferProposalRow.status == ProposalStatus(status).value)
        if enterprise_id is not None:
            query = query.where(
                or_(
                    TransferProposalRow.proposer_enterprise_id == enterprise_id,
                    TransferProposalRow.partner_enterprise_id == enterprise_id,
                )
            )
        return [convert.proposal_from_row(r) for r in self.session.scalars(query)]

    def decide(
        self, proposal_id: int, to: ProposalStatus, *, by: str, at: datetime
    ) -> TransferProposal | None:
        """One conditional UPDATE: of racing deciders exactly one wins (PostgreSQL re-reads the
        row after the other's commit; SQLite's lock serialises writers)."""
        result = self.session.execute(
            sql_update(TransferProposalRow)
            .where(
                TransferProposalRow.id == proposal_id,
                TransferProposalRow.status == ProposalStatus.PENDING.value,
            )
            .values(status=ProposalStatus(to).value, decided_by=by, decided_at=at)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], result).rowcount != 1:
            return None
        row = self.session.get(TransferProposalRow, proposal_id)
        if row is None:
            return None
        self.session.refresh(row)
        return convert.proposal_from_row(row)
