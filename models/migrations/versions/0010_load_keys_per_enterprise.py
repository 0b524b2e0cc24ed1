"""Load ids unique per enterprise: every stored load is keyed `enterprise_id/id`.

Before, `loads.id` was one namespace for all enterprises (one could learn that another held an
id). Now the key is `enterprise_id/id` (hub_scheduler/load_keys.py; neither part may hold `/`):
`loads.id` and what refers to a load (`transfers.inbound/outbound`, `plan_assignments.load_id`,
`plan_unscheduled.load_id`, `incidents.load_id`, the load ids inside `incidents` and `plans` JSON
(schedule extras, KPIs, a publish's progress) and the Idempotency-Key records in `site_config`)
are rewritten, and so are relay proposals (`transfer_proposals.inbound/outbound`, 0006), each
side under its own enterprise (the proposer's or the partner's). Not rewritten, because they
already name a load by its id beside its `enterprise_id`, as shown to people: event payloads
(`events.data`, 0007; webhook deliveries read them) and problem reports (`reports.load_id` with
`reports.enterprise_id`, 0009). The audit log is append-only
(triggers refuse UPDATE): its old entries keep the id as it was then. No column changes.

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0011"  # after plan parts (...-0009-0011)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FKS = (("fk_transfers_inbound_loads", "inbound"), ("fk_transfers_outbound_loads", "outbound"))
# Plain columns holding one load id (table, primary key, column).
_COLUMNS = (
    ("transfers", "pk", "inbound"),
    ("transfers", "pk", "outbound"),
    ("plan_assignments", "pk", "load_id"),
    ("plan_unscheduled", "pk", "load_id"),
    ("incidents", "id", "load_id"),
)
# JSON columns and the keys in them whose values are load ids (a string or a list of them).
_JSON = (
    ("incidents", "id", "cancelled_load_ids"),
    ("incidents", "id", "contacts"),
    ("plans", "id", "schedule_extra"),
    ("plans", "id", "kpis"),
    ("plans", "id", "progress"),
)
_ID_KEYS = {
    "load_id",
    "load_ids",
    "source_load_id",
    "dock_held_before_by",
    "inbound",
    "outbound",
    "dropped",
    "kept_on_site",
}


def _rewrite(value: Any, new: dict[str, str], all_strings: bool = False) -> Any:
    """`value` with the load ids under `_ID_KEYS` (anywhere when `all_strings`) mapped by `new`."""
    if isinstance(value, str):
        return new.get(value, value) if all_strings else value
    if isinstance(value, list):
        return [_rewrite(v, new, all_strings) for v in value]
    if isinstance(value, dict):
        return {
            k: _rewrite(v, new, all_strings or k in _ID_KEYS)
            if k != "generated_ids"
            else {r: new.get(i, i) for r, i in v.items()}
            for k, v in value.items()
        }
    return value


def _proposals(to_key: bool) -> None:
    """Relay proposals (0006) name each side's load under its own enterprise, whether or not it
    exists (the partner's side may name a load nobody holds): keyed by string, not by lookup."""
    for side in ("inbound", "outbound"):
        owner = (
            f"CASE WHEN partner_load = '{side}' THEN partner_enterprise_id"
            " ELSE proposer_enterprise_id END"
        )
        if to_key:
            op.execute(
                f"UPDATE transfer_proposals SET {side} = {owner} || '/' || {side}"
                f" WHERE {side} NOT LIKE '%/%'"
            )
        else:
            op.execute(
                f"UPDATE transfer_proposals SET {side} = substr({side}, length({owner}) + 2)"
                f" WHERE {side} LIKE {owner} || '/%'"
            )


def _convert(to_key: bool) -> None:
    _proposals(to_key)
    bind = op.get_bind()
    loads = sa.table("loads", sa.column("id", sa.String()), sa.column("enterprise_id", sa.String()))
    new: dict[str, str] = {}
    for load_id, enterprise_id in bind.execute(sa.select(loads.c.id, loads.c.enterprise_id)):
        if to_key and "/" not in load_id:
            new[load_id] = f"{enterprise_id}/{load_id}"
        elif not to_key and load_id.startswith(f"{enterprise_id}/"):
            new[load_id] = load_id[len(enterprise_id) + 1 :]
    if not new:
        return
    if bind.dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit, when all agree again
    else:
        for name, _ in _FKS:
            op.drop_constraint(name, "transfers", type_="foreignkey")
    # One statement per column, the new value read from the loads row (still under its old id).
    if to_key:
        expr, which = "l.enterprise_id || '/' || l.id", "NOT LIKE '%/%'"
    else:
        expr, which = "substr(l.id, length(l.enterprise_id) + 2)", "LIKE '%/%'"
    for table, _, column in _COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} ="
            f" (SELECT {expr} FROM loads l WHERE l.id = {table}.{column})"
            f" WHERE {column} IN (SELECT id FROM loads WHERE id {which})"
        )
    for table, pk, column in _JSON:
        t = sa.table(table, sa.column(pk), sa.column(column, sa.JSON()))
        for row_pk, value in bind.execute(sa.select(t.c[pk], t.c[column])).all():
            changed = _rewrite(value, new, all_strings=column == "cancelled_load_ids")
            if changed != value:
                bind.execute(sa.update(t).where(t.c[pk] == row_pk).values({column: changed}))
    config = sa.table("site_config", sa.column("key", sa.String()), sa.column("value", sa.JSON()))
    for key, value in bind.execute(sa.select(config.c.key, config.c.value)).all():
        if isinstance(value, dict) and "load_ids" in value:  # Idempotency-Key records
            changed = _rewrite(value, new)
            if changed != value:
                bind.execute(sa.update(config).where(config.c.key == key).values(value=changed))
    op.execute(f"UPDATE loads SET id = {expr.replace('l.', '')} WHERE id {which}")
    if bind.dialect.name != "sqlite":
        for name, column in _FKS:
            op.create_foreign_key(name, "transfers", "loads", [column], ["id"])


def upgrade() -> None:
    """Key every load `enterprise_id/id` and rewrite every reference to it."""
    _convert(to_key=True)


def downgrade() -> None:
    """Back to plain ids; refused (IntegrityError) when two enterprises hold the same id."""
    _convert(to_key=False)
