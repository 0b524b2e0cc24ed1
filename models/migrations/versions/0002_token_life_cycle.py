"""Token life cycle: an optional expiry, and a session version that a page sign-out raises.
Also moves the positive truck's plate or load id out of the free-text reasons of existing
disinfection blocks and re-plans (into `reason_params`, which only the command centre sees).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_OLD_BLOCK = "deep disinfection after a positive case ("


def upgrade() -> None:
    """Add `expires_at` (NULL: never) and `session_version` (0 for every existing token)."""
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
    _code_old_block_reasons()


def _code_old_block_reasons() -> None:
    blocks = sa.table(
        "blocked_windows", sa.column("pk"), sa.column("reason"), sa.column("extra", sa.JSON)
    )
    plans = sa.table("plans", sa.column("id"), sa.column("params", sa.JSON))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(blocks.c.pk, blocks.c.reason, blocks.c.extra).where(
            blocks.c.reason.like(_OLD_BLOCK + "%")
        )
    ).all()
    for pk, reason, extra in rows:
        truck = reason[len(_OLD_BLOCK) :].rstrip(")")
        coded = {
            **(extra or {}),
            "reason_code": "DEEP_DISINFECTION",
            "reason_params": {"truck": truck},
        }
        bind.execute(
            blocks.update()
            .where(blocks.c.pk == pk)
            .values(reason="closed for disinfection", extra=coded)
        )
    for plan_id, params in bind.execute(sa.select(plans.c.id, plans.c.params)).all():
        if str((params or {}).get("reason", "")).startswith("incident: "):
            bind.execute(
                plans.update()
                .where(plans.c.id == plan_id)
                .values(params={**params, "reason": "incident: a positive case"})
            )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("session_version")
        batch.drop_column("expires_at")
