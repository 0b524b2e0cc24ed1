"""Loads, relays (transfers) and relay proposals: rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from hub_scheduler.domain import (
    CargoCategory,
    Load,
    LoadStatus,
    Position,
    Temperature,
    Transfer,
)
from hub_scheduler.limits import STORED
from hub_scheduler.records import (
    TransferProposal,
)
from hub_scheduler.values import plate_key
from models.convert.common import enum_str, extra_of, fill_row, record_from_row
from models.tables import (
    LoadRow,
    TransferProposalRow,
    TransferRow,
)

# --- loads and transfers --------------------------------------------------------------------------


_LOAD_FIELDS_IN_EXTRA = {"screening_failures", "hold", "needs_new_slot", "slot_changed"}


def load_row_values(load: Load) -> dict[str, Any]:
    """A load as `loads` column values (all but the bookkeeping ones: key, creator, times)."""
    pinned_hub, pinned_dock, pinned_start = _position_columns(load.pinned)
    previous_hub, previous_dock, previous_start = _position_columns(load.previous)
    return {
        "id": load.id,
        "enterprise_id": load.enterprise_id,
        "category": enum_str(load.category),
        "temperature": enum_str(load.temperature),
        "handling_minutes": load.handling_minutes,
        "release": load.release,
        "due": load.due,
        "deadline": load.deadline,
        "priority_weight": load.priority_weight,
        "allowed_hubs": list(load.allowed_hubs) if load.allowed_hubs is not None else None,
        "origin_lat": load.origin.lat if load.origin else None,
        "origin_lon": load.origin.lon if load.origin else None,
        "has_pass": load.has_pass,
        "disinfection_minutes": load.disinfection_minutes,
        "pinned_hub_id": pinned_hub,
        "pinned_dock_id": pinned_dock,
        "pinned_start": pinned_start,
        "previous_hub_id": previous_hub,
        "previous_dock_id": previous_dock,
        "previous_start": previous_start,
        "vehicle_plate": load.vehicle_plate,
        "vehicle_plate_key": plate_key(load.vehicle_plate) if load.vehicle_plate else None,
        "driver_phone": load.driver_phone,
        "arrived_at": load.arrived_at,
        "started_at": load.started_at,
        "completed_at": load.completed_at,
        "arrival_slot_start": load.arrival_slot_start,
        "screening": load.screening.model_dump(mode="json") if load.screening else None,
        "status": enum_str(load.status),
        # Declared fields with no column of their own travel with the extras.
        # Stored: failed checks as code and params (hub_scheduler/screening_checks.py).
        "extra": extra_of(load)
        | load.model_dump(include=_LOAD_FIELDS_IN_EXTRA, exclude_none=True, context={STORED: True}),
    }


def fill_load_row(row: LoadRow, load: Load) -> LoadRow:
    for column, value in load_row_values(load).items():
        setattr(row, column, value)
    return row


def _position_columns(position: Position | None) -> tuple[Any, Any, Any]:
    if position is None:
        return None, None, None
    return position.hub_id, position.dock_id, position.start


def _position(hub_id: str | None, dock_id: str | None, start: Any) -> Position | None:
    if hub_id is None or dock_id is None or start is None:
        return None
    return Position(hub_id=hub_id, dock_id=dock_id, start=start)


def load_from_row(row: LoadRow) -> Load:
    """The stored load; the time window of new input is not applied (a stored row always reads)."""
    origin = (
        {"lat": row.origin_lat, "lon": row.origin_lon}
        if row.origin_lat is not None and row.origin_lon is not None
        else None
    )

    def position(hub_id: str | None, dock_id: str | None, start: Any) -> dict | None:
        if hub_id is None or dock_id is None or start is None:
            return None
        return {"hub_id": hub_id, "dock_id": dock_id, "start": start}

    return Load.model_validate(
        {
            **(row.extra or {}),
            "id": row.id,
            "enterprise_id": row.enterprise_id,
            "category": CargoCategory(row.category),
            "temperature": Temperature(row.temperature),
            "handling_minutes": row.handling_minutes,
            "release": row.release,
            "due": row.due,
            "deadline": row.deadline,
            "priority_weight": row.priority_weight,
            "allowed_hubs": list(row.allowed_hubs) if row.allowed_hubs is not None else None,
            "origin": origin,
            "has_pass": row.has_pass,
            "disinfection_minutes": row.disinfection_minutes,
            "pinned": position(row.pinned_hub_id, row.pinned_dock_id, row.pinned_start),
            "previous": position(row.previous_hub_id, row.previous_dock_id, row.previous_start),
            "vehicle_plate": row.vehicle_plate,
            "screening": row.screening,
            "status": LoadStatus(row.status),
            "arrived_at": row.arrived_at,
            "started_at": row.started_at,
            "completed_at": row.completed_at,
            "arrival_slot_start": row.arrival_slot_start,
            # A phone kept with the extras before it had a column still reads.
            "driver_phone": row.driver_phone
            if row.driver_phone is not None
            else (row.extra or {}).get("driver_phone"),
        },
        context={STORED: True},
    )


def fill_transfer_row(row: TransferRow, transfer: Transfer) -> TransferRow:
    return fill_row(row, transfer, extra=extra_of(transfer))


def transfer_from_row(row: TransferRow) -> Transfer:
    return record_from_row(Transfer, row, **(row.extra or {}))


def fill_proposal_row(row: TransferProposalRow, proposal: TransferProposal) -> TransferProposalRow:
    return fill_row(row, proposal)


def proposal_from_row(row: TransferProposalRow) -> TransferProposal:
    return record_from_row(TransferProposal, row)
