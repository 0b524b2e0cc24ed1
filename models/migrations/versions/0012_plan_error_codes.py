"""A failed plan job's reason as a code and its params, said in the reader's language at the edge.

`plans.error` (English) stays: it is written for the log and for clients that read only it, and a
job failed before this migration keeps it as its only reason (its `error_code` is NULL and the
pages show its text as before). New failures also store `error_code` (`job_stale`,
`plan_not_verified`..., hub_scheduler/services/job_failures.py) and `error_params` (JSON).

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0010"  # after load keys (...-0011-0010)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable `error_code` (a short code) and `error_params` (JSON) to `plans`."""
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("error_code", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("error_params", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop both columns; `plans.error` still holds every failure's English reason."""
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("error_params")
        batch.drop_column("error_code")
