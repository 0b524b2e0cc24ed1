"""API tokens (stored as hashes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select

from hub_scheduler.errors import NotFound
from hub_scheduler.records import ApiToken
from models import convert
from models.read_cache import Snapshot, cached
from models.repositories.base import Repository, flush, now
from models.tables import (
    ApiTokenRow,
)

_BY_HASH = select(*ApiTokenRow.__table__.columns).where(
    ApiTokenRow.__table__.c.token_hash == bindparam("token_hash")
)


def _cache_key(token_hash: str) -> tuple[str, str]:
    return ("token", token_hash)


def cached_by_hash(snapshot: Snapshot | None, token_hash: str) -> ApiToken | None:
    """The token as the request's read cache holds it (`get_by_hash` put it there), or None when
    this process has not read it under the current generation: no statement, no session. The
    record made from the row is kept beside it, under the same generation, so a token used
    again is not converted again (a copy: the caller may not change the cached one)."""
    entries = snapshot.entries() if snapshot is not None else None
    if entries is None:
        return None
    record = entries.get(_record_key(token_hash))
    if record is None:
        row = entries.get(_cache_key(token_hash))
        if row is None:
            return None
        record = entries[_record_key(token_hash)] = convert.token_from_row(row)
    return record.model_copy()


def _record_key(token_hash: str) -> tuple[str, str]:
    return ("token record", token_hash)


class SqlTokenRepository(Repository):
    def add(self, token: ApiToken) -> ApiToken:
        row = convert.token_row(token)
        self.session.add(row)
        flush(self.session, "token")
        return convert.token_from_row(row)

    def get(self, token_id: int) -> ApiToken | None:
        row = self.session.get(ApiTokenRow, token_id)
        return convert.token_from_row(row) if row is not None else None

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        """Every authenticated request's look-up: a plain row (no ORM object, identity map or
        attribute tracking), kept in the request's read cache (`models.read_cache`): a
        revocation committed anywhere changes the cache's generation, so it holds on the very
        next request."""
        self.session.flush()  # a revocation pending in this session counts
        row = cached(
            self.session,
            _cache_key(token_hash),
            lambda: self.session.execute(_BY_HASH, {"token_hash": token_hash}).one_or_none(),
        )
        return convert.token_from_row(row) if row is not None else None

    def list(self, include_revoked: bool = True) -> list[ApiToken]:
        query = select(ApiTokenRow).order_by(ApiTokenRow.id)
        if not include_revoked:
            query = query.where(ApiTokenRow.revoked_at.is_(None))
        return [convert.token_from_row(r) for r in self.session.scalars(query)]

    def revoke(self, token_id: int, at: datetime | None = None) -> ApiToken:
        row = self.session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound(f"no token {token_id}")
        if row.revoked_at is None:  # revoking twice keeps the first time
            row.revoked_at = at or now()
            self.session.flush()
        return convert.token_from_row(row)

    def next_session_version(self, token_id: int) -> int:
        """Raise the token's session version (a page sign-out); return the new one."""
        row = self.session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound(f"no token {token_id}")
        row.session_version = (row.session_version or 0) + 1
        self.session.flush()
        return row.session_version
