"""The in-memory load, relay and relay-proposal repositories of `tests/unit/fakes.py`."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Unpack

from hub_scheduler.domain import Load, LoadStatus, Transfer
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.ports.loads import LoadFilters, LoadMeta, LoadStatusFilter
from hub_scheduler.records import ProposalStatus, TransferProposal
from hub_scheduler.values import plate_key
from tests.unit.fake_base import FakeRepository
from tests.unit.fake_plans import detached, page


def _statuses(status: LoadStatusFilter) -> set[LoadStatus] | None:
    if status is None:
        return None
    if isinstance(status, str):
        return {LoadStatus(status)}
    return {LoadStatus(s) for s in status}


class FakeLoadRepository(FakeRepository):
    def _check_new(self, load: Load) -> None:
        if load.id in self._state.loads:
            raise self._conflict(f'load "{load.id}" already exists')
        if load.enterprise_id not in self._state.enterprises:  # the foreign key
            raise self._conflict(f'load "{load.id}": no enterprise "{load.enterprise_id}"')

    def _store(self, load: Load, key: str | None, created_by: str | None) -> None:
        moment = datetime.now(UTC)
        self._state.loads[load.id] = detached(load)
        self._state.load_meta[load.id] = LoadMeta(moment, moment, key, created_by)

    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        if load.id in self._state.loads:
            raise Conflict(f'load "{load.id}" already exists')
        if idempotency_key is not None and self._by_key(load.enterprise_id, idempotency_key):
            raise Conflict(f'idempotency key "{idempotency_key}" was already used')
        self._check_new(load)
        self._store(load, idempotency_key, created_by)
        return detached(load)

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        loads = builtins.list(loads)
        ids = [ld.id for ld in loads]
        if len(set(ids)) != len(ids):
            raise self._conflict("loads clash with stored data: an id repeats")
        for load in loads:
            self._check_new(load)
        for load in loads:
            self._store(load, None, created_by)
        return len(loads)

    def get(self, load_id: str) -> Load | None:
        return self._found(self._state.loads, load_id)

    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        ids = dict.fromkeys(load_ids)
        return [detached(self._state.loads[i]) for i in ids if i in self._state.loads]

    def _matching(self, **filters: Unpack[LoadFilters]) -> builtins.list[Load]:
        statuses = _statuses(filters.get("status"))
        hub_id = filters.get("hub_id")
        placed = (
            {p.assignment.load_id for p in self._uow.plans.published_assignments(hub_id=hub_id)}
            if hub_id is not None
            else set()
        )
        release_from, release_to = filters.get("release_from"), filters.get("release_to")
        equal = {k: filters.get(k) for k in ("enterprise_id",)}
        plate = filters.get("vehicle_plate")
        may_use = filters.get("may_use_hubs")
        wanted = set(may_use) if may_use is not None else set()
        anywhere = bool(filters.get("or_anywhere"))
        found = [
            ld
            for ld in self._state.loads.values()
            if (statuses is None or ld.status in statuses)
            and all(v is None or getattr(ld, k) == v for k, v in equal.items())
            and (
                plate is None
                or (
                    ld.vehicle_plate is not None and plate_key(ld.vehicle_plate) == plate_key(plate)
                )
            )
            and (release_from is None or ld.release >= release_from)
            and (release_to is None or ld.release < release_to)
            and (
                hub_id is None
                or (ld.pinned is not None and ld.pinned.hub_id == hub_id)
                or ld.id in placed
            )
            and (
                may_use is None
                or (ld.allowed_hubs is None and anywhere)
                or bool(wanted.intersection(ld.allowed_hubs or ()))
            )
        ]
        return sorted(found, key=lambda ld: (ld.release, ld.id))

    def list(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[LoadFilters]
    ) -> builtins.list[Load]:
        return page(self._matching(**filters), limit, offset)

    def count(self, **filters: Unpack[LoadFilters]) -> int:
        return len(self._matching(**filters))

    def _touch(self, load: Load) -> Load:
        self._state.loads[load.id] = detached(load)
        meta = self._state.load_meta[load.id]
        self._state.load_meta[load.id] = LoadMeta(
            meta.created_at, datetime.now(UTC), meta.idempotency_key, meta.created_by
        )
        return detached(load)

    def update(self, load: Load) -> Load:
        if load.id not in self._state.loads:
            raise NotFound(f'no load "{load.id}"')
        return self._touch(load)

    def set_status(self, load_id: str, status: LoadStatus | str) -> Load:
        if load_id not in self._state.loads:
            raise NotFound(f'no load "{load_id}"')
        changed = self._state.loads[load_id].model_copy(update={"status": LoadStatus(status)})
        return self._touch(changed)

    def transition(
        self, load_id: str, expected: LoadStatus | str, to: LoadStatus | str
    ) -> LoadStatus | None:
        load = self._state.loads.get(load_id)
        if load is None or load.status != LoadStatus(expected):
            return None
        self._touch(load.model_copy(update={"status": LoadStatus(to)}))
        return LoadStatus(expected)

    def current_status(self, load_id: str) -> LoadStatus | None:
        load = self._state.loads.get(load_id)
        return load.status if load is not None else None

    def _by_key(self, enterprise_id: str, key: str) -> Load | None:
        for load_id, meta in self._state.load_meta.items():
            load = self._state.loads[load_id]
            if meta.idempotency_key == key and load.enterprise_id == enterprise_id:
                return load
        return None

    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None:
        found = self._by_key(enterprise_id, key)
        return detached(found) if found is not None else None

    def meta(self, load_id: str) -> LoadMeta | None:
        return self._state.load_meta.get(load_id)


class FakeTransferRepository(FakeRepository):
    def add(self, transfer: Transfer) -> Transfer:
        if any(t.outbound == transfer.outbound for t in self._state.transfers):
            raise Conflict(f'load "{transfer.outbound}" is already the outbound of a transfer')
        missing = {transfer.inbound, transfer.outbound} - self._state.loads.keys()
        if missing:  # the foreign keys
            raise self._conflict(f"transfer: no load {sorted(missing)}")
        self._state.transfers.append(detached(transfer))
        return detached(transfer)

    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        wanted = None if load_ids is None else set(load_ids)
        return [
            detached(t)
            for t in self._state.transfers
            if wanted is None or (t.inbound in wanted and t.outbound in wanted)
        ]

    def for_load(self, load_id: str) -> builtins.list[Transfer]:
        return [detached(t) for t in self._state.transfers if load_id in (t.inbound, t.outbound)]

    def remove(self, inbound: str, outbound: str) -> bool:
        kept = [t for t in self._state.transfers if (t.inbound, t.outbound) != (inbound, outbound)]
        removed = len(kept) != len(self._state.transfers)
        self._state.transfers[:] = kept
        return removed


class FakeProposalRepository(FakeRepository):
    def add(self, proposal: TransferProposal) -> TransferProposal:
        return self._insert(self._state.proposals, "proposal", proposal, deep=True)

    def get(self, proposal_id: int) -> TransferProposal | None:
        return self._found(self._state.proposals, proposal_id)

    def list(
        self, *, status: ProposalStatus | None = None, enterprise_id: str | None = None
    ) -> builtins.list[TransferProposal]:
        return [
            detached(p)
            for _, p in sorted(self._state.proposals.items())
            if (status is None or p.status == status)
            and (
                enterprise_id is None
                or enterprise_id in (p.proposer_enterprise_id, p.partner_enterprise_id)
            )
        ]

    def decide(
        self, proposal_id: int, to: ProposalStatus, *, by: str, at: datetime
    ) -> TransferProposal | None:
        found = self._state.proposals.get(proposal_id)
        if found is None or found.status is not ProposalStatus.PENDING:
            return None
        decided = found.model_copy(update={"status": to, "decided_by": by, "decided_at": at})
        self._state.proposals[proposal_id] = decided
        return detached(decided)
