"""Loads (with what the store knows about them), relays, and relays proposed between enterprises."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict, Unpack

from hub_scheduler.domain import Load, LoadStatus, Transfer
from hub_scheduler.records import ProposalStatus, TransferProposal


@dataclass(frozen=True)
class LoadMeta:
    """What the store knows about a load beyond the load itself."""

    created_at: datetime
    updated_at: datetime
    idempotency_key: str | None = None
    created_by: str | None = None


LoadStatusFilter = LoadStatus | str | Iterable[LoadStatus | str] | None


class LoadFilters(TypedDict, total=False):
    """The filters `LoadRepository.list` and `count` share; each one left out matches every load."""

    status: LoadStatusFilter  # one status or several
    hub_id: str | None  # pinned there, or placed there by a published plan
    enterprise_id: str | None
    release_from: datetime | None  # release_from <= release
    release_to: datetime | None  # release < release_to
    vehicle_plate: str | None
    # `allowed_hubs` names one of these hubs (filtered in SQL); with `or_anywhere` also the loads
    # with no `allowed_hubs` (they may go to any hub). Pins and placements are not looked at.
    may_use_hubs: Collection[str] | None
    or_anywhere: bool


class LoadRepository(Protocol):
    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        """Store a new load; Conflict if the id, or the enterprise's idempotency key, is taken."""

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        """Store many new loads at once, without per-load checks (the caller made them); Conflict
        if an id is taken, and then none is stored. Returns how many were stored."""

    def get(self, load_id: str) -> Load | None: ...
    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        """The stored ones among `load_ids`, in that order, each once."""

    def list(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[LoadFilters]
    ) -> builtins.list[Load]:
        """Loads matching `filters`, ordered by release then id."""

    def count(self, **filters: Unpack[LoadFilters]) -> int:
        """How many loads `list(**filters)` gives without limit and offset."""

    def update(self, load: Load) -> Load: ...
    def set_status(self, load_id: str, status: LoadStatus | str) -> Load: ...
    def transition(
        self, load_id: str, expected: LoadStatus | str, to: LoadStatus | str
    ) -> LoadStatus | None:
        """Set the status only if it is still `expected`; None when another change came first."""

    def current_status(self, load_id: str) -> LoadStatus | None: ...
    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None: ...
    def meta(self, load_id: str) -> LoadMeta | None: ...


class TransferRepository(Protocol):
    def add(self, transfer: Transfer) -> Transfer: ...
    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        """All transfers, or those whose inbound and outbound are both among `load_ids`."""

    # `builtins.list`: below a method named `list`, a bare `list` would name the method.
    def for_load(self, load_id: str) -> builtins.list[Transfer]: ...
    def remove(self, inbound: str, outbound: str) -> bool: ...


class ProposalRepository(Protocol):
    """Relays proposed between two enterprises, awaiting confirmation
    (`services.transfer_proposals`)."""

    def add(self, proposal: TransferProposal) -> TransferProposal:
        """Store a new proposal; the returned copy has its id."""

    def get(self, proposal_id: int) -> TransferProposal | None: ...
    def list(
        self, *, status: ProposalStatus | None = None, enterprise_id: str | None = None
    ) -> builtins.list[TransferProposal]:
        """Proposals, oldest first; `enterprise_id`: those it proposed or is named partner of."""

    def decide(
        self, proposal_id: int, to: ProposalStatus, *, by: str, at: datetime
    ) -> TransferProposal | None:
        """Set a pending proposal's status (one conditional UPDATE); None when it is no longer
        pending (of two racing deciders exactly one gets the proposal back)."""
