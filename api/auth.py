"""Bearer-token authentication and role checks.

Tokens are random strings shown once; only their SHA-256 hash is stored. Each request with a
token carries a Principal (role, enterprise, actor name for the audit log) in `flask.g`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, request

from api.database import db
from hub_scheduler.errors import Forbidden, Unauthorized
from hub_scheduler.records import Role
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.tokens import authenticate_token, hash_token, is_usable, principal_of
from models.repositories.tokens import cached_by_hash

# The role sets routes allow (`operation(roles=...)`), named once; the API docs list a route's
# roles in this order.
ALL_ROLES = (Role.ADMIN, Role.OPERATOR, Role.ENTERPRISE)
ADMIN = (Role.ADMIN,)
STAFF = (Role.ADMIN, Role.OPERATOR)  # the command centre and the hubs' gate staff
SUBMITTERS = (Role.ADMIN, Role.ENTERPRISE)  # an enterprise for its own loads, an admin for any
_CACHED_PRINCIPAL = "hub_scheduler_cached_principal"  # flask.g: cached_principal's answer
_UNSET = object()


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise Unauthorized("this endpoint needs an Authorization: Bearer <token> header")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be Bearer <token>")
    return token.strip()


def require(roles: Iterable[str]) -> Principal:
    """Authenticate and check the role: 401 without a valid token, 403 for another role."""
    token = _bearer_token()  # 401 before the database is touched
    principal = cached_principal()  # this process read the token under the current generation
    if principal is None:
        principal = authenticate_token(db.read_uow(), token)  # one SELECT, no transaction
    allowed = {Role(r) for r in roles}
    if principal.role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise Forbidden(f"a {principal.role.value} token may not do this (needs {names})")
    g.principal = principal
    return principal


def cached_principal() -> Principal | None:
    """The principal of the request's bearer token when this process's read cache holds the
    token, usable (not revoked, not expired), under the generation this request read
    (`models.read_cache`: a revocation committed anywhere holds at once); None otherwise,
    including a request without a bearer token. No statement beyond the generation's, which
    the request reads anyway."""
    found = g.get(_CACHED_PRINCIPAL, _UNSET)  # the limiter's filter asked first: same answer
    if found is _UNSET:
        found = None
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            stored = cached_by_hash(db.snapshot(), hash_token(token.strip()))
            if stored is not None and is_usable(stored):
                found = principal_of(stored)
        setattr(g, _CACHED_PRINCIPAL, found)
    return found


def current_principal() -> Principal:
    return g.principal
