"""The declarative base and the column types every table uses (naming convention, ids, codes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Relationship, mapped_column, relationship

from models.timestamps import UtcDateTime

# Deterministic constraint names, so migrations can name what they alter or drop on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Ids and free text are unbounded: the domain sets no maximum, and a length PostgreSQL enforces
# but SQLite ignores would make one database refuse what the other keeps.
ID = String()  # every domain id (hub, zone, dock, enterprise, load)
NAME = String()
TEXT = String()
CODE = String(32)  # enum values, all known and short


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """The columns a top-level record's row ends with: its free-form extra data, when it was
    stored and when it last changed."""

    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def owned(order_by: str, back_populates: str | None = None) -> Relationship[Any]:
    """The child rows a parent row owns, in `order_by` order: saved and removed with it (orphans
    are deleted; on deleting the parent the database's ON DELETE CASCADE removes them unloaded)."""
    return relationship(
        back_populates=back_populates,
        cascade="all, delete-orphan",
        order_by=order_by,
        passive_deletes=True,
    )
