"""Plan jobs split into parts: each part job names its parent plan job (docs/queue.md).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `parent_id` (NULL: a plan job of its own), indexed, pointing at `plans.id`."""
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_index("ix_plans_parent_id", ["parent_id"])
        batch.create_foreign_key(
            "fk_plans_parent_id_plans", "plans", ["parent_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint("fk_plans_parent_id_plans", type_="foreignkey")
        batch.drop_index("ix_plans_parent_id")
        batch.drop_column("parent_id")
