"""A plan's figures on the live day: the slot a truck held when it came to the gate, and what a
plan's objective was measured against when it was published.

- `loads.arrival_slot_start`: the start of the slot in force when the truck checked in (NULL: it
  had none, a walk-in; or it has not come). "On time at the gate" counts from it: a later repair
  or publish may change the truck's slot and its `slot_changed`, never this.
- `plans.figure_basis` (JSON): the slots in force before the plan (S4), the S1 penalty and the
  scenario's horizon end when it was published, so its figures are counted again from its rows
  after each repair (hub_scheduler/plan_figures.py).

Trucks already at the gate get their arrival slot from what was stored so far: the missed slot
their check-in's repair recorded (`slot_changed.params.planned_start` of a LATE_ARRIVAL, or none
for a WALK_IN), else the slot they are pinned to.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The check-in repairs after which a truck's slot is no longer the one it came for.
_AT_ARRIVAL = ("LATE_ARRIVAL", "WALK_IN")


def upgrade() -> None:
    with op.batch_alter_table("loads") as batch:
        batch.add_column(sa.Column("arrival_slot_start", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("figure_basis", sa.JSON(), nullable=True))
    _backfill()


def _arrival_slot(extra: dict[str, Any] | None, pinned_start: Any) -> Any:
    """The slot a truck checked in before this migration came for (module docstring)."""
    changed = (extra or {}).get("slot_changed") or {}
    params = changed.get("params") or {}
    if changed.get("code") in _AT_ARRIVAL or params.get("cause") in _AT_ARRIVAL:
        start = params.get("planned_start")
        # In UTC, as the models store every time (SQLite keeps no offset).
        return datetime.fromisoformat(start).astimezone(UTC) if isinstance(start, str) else None
    return pinned_start


def _backfill() -> None:
    loads = sa.table(
        "loads",
        sa.column("id", sa.String()),
        sa.column("arrived_at", sa.DateTime(timezone=True)),
        sa.column("pinned_start", sa.DateTime(timezone=True)),
        sa.column("extra", sa.JSON()),
        sa.column("arrival_slot_start", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(loads.c.id, loads.c.extra, loads.c.pinned_start).where(
            loads.c.arrived_at.is_not(None)
        )
    ).all()
    for load_id, extra, pinned_start in rows:
        slot = _arrival_slot(extra, pinned_start)
        if slot is not None:
            connection.execute(
                sa.update(loads).where(loads.c.id == load_id).values(arrival_slot_start=slot)
            )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("figure_basis")
    with op.batch_alter_table("loads") as batch:
        batch.drop_column("arrival_slot_start")
