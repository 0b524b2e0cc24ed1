"""Loads: the gate's times (arrived_at, started_at, completed_at), the driver's phone, and the
plate in its lookup form (vehicle_plate_key, indexed).

A phone some loads kept with their extras moves into its column; every stored plate gets its key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from hub_scheduler.values import plate_key

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMES = ("arrived_at", "started_at", "completed_at")


def upgrade() -> None:
    with op.batch_alter_table("loads") as batch:
        for name in _TIMES:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("driver_phone", sa.String(), nullable=True))
        batch.add_column(sa.Column("vehicle_plate_key", sa.String(), nullable=True))
        batch.create_index("ix_loads_vehicle_plate_key", ["vehicle_plate_key"])
    _backfill()


def _backfill() -> None:
    """Keys for the plates stored so far (the normaliser is the domain's one: a plate written
    before and after this migration must compare alike), phones out of the extras."""
    loads = sa.table(
        "loads",
        sa.column("id", sa.String()),
        sa.column("vehicle_plate", sa.String()),
        sa.column("vehicle_plate_key", sa.String()),
        sa.column("extra", sa.JSON()),
        sa.column("driver_phone", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(loads.c.id, loads.c.vehicle_plate, loads.c.extra)).all()
    for load_id, plate, extra in rows:
        values: dict[str, Any] = {}
        if plate:
            values["vehicle_plate_key"] = plate_key(plate)
        if extra and "driver_phone" in extra:
            rest = dict(extra)
            values["driver_phone"] = rest.pop("driver_phone")
            values["extra"] = rest
        if values:
            connection.execute(sa.update(loads).where(loads.c.id == load_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("loads") as batch:
        batch.drop_index("ix_loads_vehicle_plate_key")
        for name in ("vehicle_plate_key", "driver_phone", *_TIMES):
            batch.drop_column(name)
