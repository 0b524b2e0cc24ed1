"""API tokens: issue one (shown once, stored as its SHA-256 hash), authenticate a presented one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from hub_scheduler.errors import FieldError, NotFound, Unauthorized, ValidationFailed
from hub_scheduler.records import ApiToken, Role
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    uow, *, role: str, enterprise_id: str | None = None, label: str = "", actor: str
) -> str:
    """Create a token for `role` (an enterprise token names its enterprise); return it once."""
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
            )
        )
        token_id = getattr(stored, "id", None)
        record(
            uow,
            actor,
            "token.create",
            "token",
            str(token_id or ""),
            {"role": role_value.value, "enterprise_id": enterprise_id, "label": label},
        )
        uow.commit()
    return token


def authenticate_token(uow, token: str) -> Principal:
    """The principal a presented token stands for; Unauthorized when unknown or revoked."""
    principal = principal_for_hash(uow, hash_token(token))
    if principal is None:
        raise Unauthorized("the token is unknown or revoked")
    return principal


def principal_for_hash(uow, token_hash: str) -> Principal | None:
    """The principal of a token known by its SHA-256 hex hash (a web session keeps only the hash);
    None when the token is unknown or revoked."""
    with uow:
        stored = uow.tokens.by_hash(token_hash)
    if stored is None or stored.revoked_at is not None:
        return None
    name = stored.label or stored.role.value
    return Principal(
        role=stored.role, actor=f"{name} (token {stored.id})", enterprise_id=stored.enterprise_id
    )
