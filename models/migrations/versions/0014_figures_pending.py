"""A plan's figures counted in the background after a row edit: which edits they have caught up
with.

- `plans.rows_version`: goes up by one with every transaction that edits the plan's rows on the
  live day (a repair, a no-show, a late start: models/repositories/plan_rows.py).
- `plans.figures_version`: the `rows_version` its stored figures (KPIs, late loads, objective)
  were counted at. Below `rows_version`, the figures are being counted again
  (`figures_pending` on every plan view); the recount, a job after the edit's commit
  (hub_scheduler/services/plan_figures.py), writes only when it is newer than what is stored.

Every plan stored so far had its figures counted in the edit's own transaction: both start at 0.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(
            sa.Column("rows_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column("figures_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("figures_version")
        batch.drop_column("rows_version")
