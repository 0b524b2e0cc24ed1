"""Relays proposed between two enterprises, awaiting the partner's confirmation.

Revision ID: 0006
Revises: 0005 (0007 and 0005 merged first; the lead may re-chain)
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXED = ("inbound", "outbound", "proposer_enterprise_id", "partner_enterprise_id", "status")


def upgrade() -> None:
    """Create `transfer_proposals` (no foreign keys on the partner's side: it may not exist)."""
    op.create_table(
        "transfer_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("inbound", sa.String(), nullable=False),
        sa.Column("outbound", sa.String(), nullable=False),
        sa.Column("min_gap_minutes", sa.Integer(), nullable=False),
        sa.Column("proposer_enterprise_id", sa.String(), nullable=False),
        sa.Column("partner_enterprise_id", sa.String(), nullable=False),
        sa.Column("partner_load", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("proposed_by", sa.String(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_proposals")),
    )
    for column in _INDEXED:
        op.create_index(
            op.f(f"ix_transfer_proposals_{column}"), "transfer_proposals", [column], unique=False
        )


def downgrade() -> None:
    for column in _INDEXED:
        op.drop_index(op.f(f"ix_transfer_proposals_{column}"), table_name="transfer_proposals")
    op.drop_table("transfer_proposals")
