"""Who is acting: the role and enterprise of a token, and the name the audit log records."""

from __future__ import annotations

from dataclasses import dataclass

from hub_scheduler.errors import NotFound
from hub_scheduler.records import Role


@dataclass(frozen=True)
class Principal:
    role: Role
    actor: str
    enterprise_id: str | None = None

    @property
    def is_enterprise(self) -> bool:
        return self.role is Role.ENTERPRISE

    @property
    def own_enterprise(self) -> str | None:
        """The enterprise whose own data this principal files: an enterprise's id; None for the
        command centre (admin, operator), which files for any enterprise."""
        return self.enterprise_id if self.is_enterprise else None

    def may_see_enterprise(self, enterprise_id: str) -> bool:
        """Admins and operators see every enterprise; an enterprise token only its own."""
        return not self.is_enterprise or enterprise_id == self.enterprise_id

    def check_owns(self, enterprise_id: str, what: str) -> None:
        """Another enterprise's object is reported as missing, never shown (no existence leak)."""
        if not self.may_see_enterprise(enterprise_id):
            raise NotFound(f"no {what}")


SYSTEM = Principal(role=Role.ADMIN, actor="system")
