"""Hubs (with their zones, docks and blocked windows) and the enterprises of the white-list."""

from __future__ import annotations

from typing import Protocol

from hub_scheduler.domain import BlockedWindow, Enterprise, Hub, HubStatus


class HubRepository(Protocol):
    def add(self, hub: Hub) -> Hub:
        """Store a new hub with all its parts; Conflict if the id exists."""

    def get(self, hub_id: str) -> Hub | None: ...
    def list(self, status: HubStatus | str | None = None) -> list[Hub]: ...
    def update(self, hub: Hub) -> Hub:
        """Replace the stored hub (and all its children) by `hub`; NotFound if missing."""

    def set_status(self, hub_id: str, status: HubStatus | str) -> Hub: ...
    def add_blocked(self, hub_id: str, window: BlockedWindow) -> BlockedWindow:
        """Add one blocked window; gives it an id when it has none."""

    def remove_blocked(self, hub_id: str, window_id: str) -> bool: ...


class EnterpriseRepository(Protocol):
    def add(self, enterprise: Enterprise) -> Enterprise: ...
    def get(self, enterprise_id: str) -> Enterprise | None: ...
    def exists(self, enterprise_id: str) -> bool: ...
    def list(self, whitelisted: bool | None = None) -> list[Enterprise]: ...
    def update(self, enterprise: Enterprise) -> Enterprise: ...
