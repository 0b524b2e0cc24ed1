"""Web users."""

from __future__ import annotations

from typing import Protocol

from hub_scheduler.records import WebUser


class UserRepository(Protocol):
    """Web users, by id and by their unique name."""

    def add(self, user: WebUser) -> WebUser:
        """Store a new user; the returned copy has its id; Conflict if the name is taken."""

    def get(self, user_id: int) -> WebUser | None: ...
    def get_by_name(self, name: str) -> WebUser | None: ...
    def list(self) -> list[WebUser]:
        """Every user, by name."""

    def update(self, user: WebUser) -> WebUser:
        """Replace the stored user of `user.id`; NotFound if there is none."""
