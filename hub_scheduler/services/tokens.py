"""API tokens: issue (shown once, stored as its SHA-256 hash), list, revoke, expire, authenticate.

Every request looks the token up again, so a revoke or an expiry takes effect on the very next
request: the SQL store keeps token rows in a per-process cache that every change to the tokens,
committed by any process, invalidates (`models/read_cache.py`), and expiry is checked at each
use. Page sessions carry the token's hash and its session version; a sign-out raises the version,
which ends every cookie saved before it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from hub_scheduler.errors import FieldError, NotFound, Unauthorized, ValidationFailed
from hub_scheduler.records import ApiToken, Role
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal

MAX_LIFETIME_DAYS = 3650  # ten years: a bound that still catches a mistyped unit


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def expiry(
    expires_at: datetime | None, expires_in_days: int | None, *, now: datetime | None = None
) -> datetime | None:
    """The expiry of a new token from an instant or a number of days (not both); None: never."""
    now = now or datetime.now(UTC)
    if expires_at is not None and expires_in_days is not None:
        raise ValidationFailed(
            "give expires_at or expires_in_days, not both",
            [FieldError(field="expires_in_days", message="cannot be combined with expires_at")],
        )
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
            raise ValidationFailed(
                "the token lifetime is out of range",
                [
                    FieldError(
                        field="expires_in_days",
                        message=f"must be between 1 and {MAX_LIFETIME_DAYS} days",
                    )
                ],
            )
        return now + timedelta(days=expires_in_days)
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise ValidationFailed(
                "expires_at needs a time zone",
                [FieldError(field="expires_at", message="must carry an offset, e.g. +08:00")],
            )
        if expires_at <= now or expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
            raise ValidationFailed(
                "expires_at is out of range",
                [
                    FieldError(
                        field="expires_at",
                        message=f"must lie in the next {MAX_LIFETIME_DAYS} days",
                    )
                ],
            )
        return expires_at.astimezone(UTC)
    return None


def _check_role(role: str, enterprise_id: str | None) -> Role:
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationFailed(
            "unknown role",
            [FieldError(field="role", message='must be "admin", "operator" or "enterprise"')],
        ) from None
    if role_value is Role.ENTERPRISE and not enterprise_id:
        raise ValidationFailed(
            "an enterprise token needs its enterprise",
            [FieldError(field="enterprise_id", message="is required for an enterprise token")],
        )
    if role_value is not Role.ENTERPRISE and enterprise_id:
        raise ValidationFailed(
            "only enterprise tokens belong to an enterprise",
            [
                FieldError(
                    field="enterprise_id", message=f"must be empty for a {role_value.value} token"
                )
            ],
        )
    return role_value


def issue(
    uow,
    *,
    role: str,
    enterprise_id: str | None = None,
    label: str = "",
    expires_at: datetime | None = None,
    actor: str,
) -> tuple[str, ApiToken]:
    """Create a token for `role` (an enterprise token names its enterprise).

    Returns the secret (shown once, never stored) and the stored record (its id, no secret).
    """
    role_value = _check_role(role, enterprise_id)
    token = "hs_" + secrets.token_urlsafe(32)
    with uow:
        if enterprise_id and uow.enterprises.get(enterprise_id) is None:
            raise NotFound(
                f'no enterprise "{enterprise_id}"',
                [
                    FieldError(
                        field="enterprise_id", message=f'unknown enterprise "{enterprise_id}"'
                    )
                ],
            )
        stored = uow.tokens.add(
            ApiToken(
                token_hash=hash_token(token),
                role=role_value,
                enterprise_id=enterprise_id,
                label=label,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )
        record(
            uow,
            actor,
            "token.create",
            "token",
            str(stored.id or ""),
            {
                "role": role_value.value,
                "enterprise_id": enterprise_id,
                "label": label,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
        uow.commit()
    return token, stored


def issue_token(uow, **request: Any) -> str:
    """Like `issue` (with the same keywords), returning only the secret."""
    token, _ = issue(uow, **request)
    return token


DEMO_ACTOR = "demo"  # who `serve --demo` issues its admin token as (the audit's token.create)
# What `serve --demo` labelled its token before it issued as DEMO_ACTOR (then as "cli").
_LEGACY_DEMO_LABEL = re.compile(r"demo admin \d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def replace_demo_token(uow, *, label: str) -> tuple[str, list[int]]:
    """A new admin token for `serve --demo`, every earlier demo start's token revoked: the tokens
    whose audited `token.create` was by DEMO_ACTOR, and those of older versions (by "cli", an admin
    token without expiry labelled exactly `demo admin YYYY-MM-DD HH:MM`). A token a person created
    (API, pages, `tokens create`) is never touched. Gives the secret and the revoked ids."""
    with uow:
        made = uow.audit.list(action="token.create", target_type="token", limit=None)
        by = {int(e.target_id): e.actor for e in made if e.target_id and e.target_id.isdigit()}
        earlier = [
            token.id
            for token in uow.tokens.list()
            if token.id is not None
            and token.revoked_at is None
            and token.role is Role.ADMIN
            and (
                by.get(token.id) == DEMO_ACTOR
                or (
                    by.get(token.id) == "cli"
                    and token.expires_at is None
                    and _LEGACY_DEMO_LABEL.fullmatch(token.label) is not None
                )
            )
        ]
    for token_id in earlier:
        revoke_token(uow, token_id, actor=DEMO_ACTOR)
    secret = issue_token(uow, role="admin", label=label, actor=DEMO_ACTOR)
    return secret, earlier


def list_tokens(uow) -> list[ApiToken]:
    """Every token, oldest first, revoked and expired ones included (the hash is no secret)."""
    with uow:
        return uow.tokens.list()


def revoke_token(uow, token_id: int, *, actor: str) -> ApiToken:
    """Revoke a token at once; NotFound for an unknown id; revoking twice keeps the first time."""
    with uow:
        if uow.tokens.get(token_id) is None:
            raise NotFound(f"no token {token_id}")
        revoked = uow.tokens.revoke(token_id)
        record(uow, actor, "token.revoke", "token", str(token_id), {"label": revoked.label})
        uow.commit()
    return revoked


def is_usable(stored: ApiToken | None, now: datetime | None = None) -> bool:
    """Known, not revoked and not expired."""
    if stored is None or stored.revoked_at is not None:
        return False
    return stored.expires_at is None or stored.expires_at > (now or datetime.now(UTC))


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """ "revoked", "expired" or "active", as a listing shows it."""
    if token.revoked_at is not None:
        return "revoked"
    return "active" if is_usable(token, now) else "expired"


def principal_of(stored: ApiToken) -> Principal:
    name = stored.label or stored.role.value
    return Principal(
        role=stored.role, actor=f"{name} (token {stored.id})", enterprise_id=stored.enterprise_id
    )


def authenticate_token(uow, token: str) -> Principal:
    """The principal a presented token stands for; Unauthorized when unknown, revoked or expired."""
    with uow:
        stored = uow.tokens.get_by_hash(hash_token(token))
    if not is_usable(stored):
        raise Unauthorized("the token is unknown, revoked or expired")
    return principal_of(stored)


def authenticate_for_session(uow, token: str) -> tuple[Principal, int]:
    """Sign-in to the pages: the principal and the session version the new cookie will carry."""
    with uow:
        stored = uow.tokens.get_by_hash(hash_token(token))
    if not is_usable(stored):
        raise Unauthorized("the token is unknown, revoked or expired")
    return principal_of(stored), stored.session_version


def session_principal(uow, token_hash: str, version: int | None) -> Principal | None:
    """The principal of a page session, or None once the token is unusable or signed out."""
    with uow:
        stored = uow.tokens.get_by_hash(token_hash)
    if not is_usable(stored) or stored.session_version != version:
        return None
    return principal_of(stored)


def end_sessions(uow, token_hash: str, *, actor: str) -> None:
    """Sign out: every page session of this token saved before now stops working."""
    with uow:
        stored = uow.tokens.get_by_hash(token_hash)
        if stored is None:
            return
        uow.tokens.next_session_version(stored.id)
        record(uow, actor, "token.sign_out", "token", str(stored.id), {})
        uow.commit()
