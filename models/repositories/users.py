"""Web users (name, argon2 hash, role), by id and by name."""

from __future__ import annotations

from sqlalchemy import select

from hub_scheduler.errors import NotFound
from hub_scheduler.records import WebUser
from models import convert
from models.repositories.base import Repository, flush
from models.tables import UserRow


class SqlUserRepository(Repository):
    def add(self, user: WebUser) -> WebUser:
        row = convert.user_row(user)
        self.session.add(row)
        flush(self.session, "user")  # a taken name is a Conflict (the unique index)
        return convert.user_from_row(row)

    def get(self, user_id: int) -> WebUser | None:
        row = self.session.get(UserRow, user_id)
        return convert.user_from_row(row) if row is not None else None

    def get_by_name(self, name: str) -> WebUser | None:
        row = self.session.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
        return convert.user_from_row(row) if row is not None else None

    def list(self) -> list[WebUser]:
        rows = self.session.scalars(select(UserRow).order_by(UserRow.name))
        return [convert.user_from_row(r) for r in rows]

    def update(self, user: WebUser) -> WebUser:
        row = self.session.get(UserRow, user.id) if user.id is not None else None
        if row is None:
            raise NotFound(f"no user {user.id}")
        convert.user_row(user, row)
        flush(self.session, "user")
        return convert.user_from_row(row)
