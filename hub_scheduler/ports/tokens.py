"""API tokens, stored by their hash."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from hub_scheduler.records import ApiToken


class TokenRepository(Protocol):
    def add(self, token: ApiToken) -> ApiToken:
        """Store a token (its hash); the returned copy has its id."""

    def get(self, token_id: int) -> ApiToken | None: ...
    def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def list(self, include_revoked: bool = True) -> list[ApiToken]: ...
    def revoke(self, token_id: int, at: datetime | None = None) -> ApiToken: ...
    def next_session_version(self, token_id: int) -> int:
        """Raise the token's session version (a page sign-out ends its sessions); the new one."""
