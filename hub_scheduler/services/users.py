"""Web users: create, disable, enable, reset a password, sign in, and the sessions they hold.

Passwords are kept only as argon2id hashes (argon2-cffi, its default parameters). A failed sign-in
takes the same time and says the same thing whether the name is unknown, the user disabled or the
password wrong: an unknown name is checked against a dummy hash, so its timing gives nothing away.
Each rule is one function; each change writes one audit entry (target "user", the name), never
the password or its hash.

Errors carry a `code` (see `CODES`) and parameters, so a page can say them in its own language.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub_scheduler.errors import Conflict, FieldError, NotFound, Unauthorized, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Role, WebUser
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal

MIN_PASSWORD = 10  # characters
MAX_PASSWORD = 256  # characters: a bound on the hashing work one request may ask for
NAME_PATTERN = re.compile(r"[\w.@-]{2,64}")  # letters (Chinese too), digits, . _ @ -
SIGN_IN_FAILED = "wrong user name or password"

# code -> the English text (the pages translate the code: api/web/account_messages.py)
CODES = {
    "user_name_invalid": "use 2 to 64 letters, digits or . _ @ - (no spaces)",
    "password_too_short": "use at least {minimum} characters",
    "password_too_long": "use at most {maximum} characters",
    "role_unknown": 'must be "admin", "operator" or "enterprise"',
    "enterprise_required": "an enterprise user needs its enterprise",
    "enterprise_not_allowed": "only enterprise users belong to an enterprise",
    "enterprise_unknown": 'no enterprise "{enterprise}"',
    "user_name_taken": 'the name "{name}" is taken',
    "user_unknown": 'no user "{name}"',
}

# argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB). Tests may swap in
# `argon2.profiles.CHEAPEST` (tests/api/test_web_users.py): the rules do not depend on the cost.
PASSWORD_HASHER = PasswordHasher()


@dataclass(frozen=True)
class UserSession:
    """What a page session keeps of a signed-in user: its id and the session version."""

    principal: Principal
    user_id: int
    version: int


def _problem(code: str, field: str, **params: object) -> FieldError:
    return FieldError(
        message=CODES[code].format(**params), field=field, code=code, params=params or None
    )


# --- rules ----------------------------------------------------------------------------------------


def user_name_is_well_formed(name: str) -> str:
    """The name as stored (NFKC, no outer spaces); ValidationFailed unless it fits NAME_PATTERN."""
    cleaned = unicodedata.normalize("NFKC", name or "").strip()
    if not NAME_PATTERN.fullmatch(cleaned):
        raise ValidationFailed(
            "the user name is not valid", [_problem("user_name_invalid", "name")]
        )
    return cleaned


def password_is_long_enough(password: str) -> None:
    """At least MIN_PASSWORD characters, at most MAX_PASSWORD; ValidationFailed otherwise."""
    if len(password or "") < MIN_PASSWORD:
        raise ValidationFailed(
            "the password is too short",
            [_problem("password_too_short", "password", minimum=MIN_PASSWORD)],
        )
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(
            "the password is too long",
            [_problem("password_too_long", "password", maximum=MAX_PASSWORD)],
        )


def role_matches_enterprise(role: str, enterprise_id: str | None) -> Role:
    """An enterprise user names its enterprise; admins and operators name none."""
    try:
        role_value = Role(role)
    except ValueError:
        raise ValidationFailed("unknown role", [_problem("role_unknown", "role")]) from None
    if role_value is Role.ENTERPRISE and not enterprise_id:
        raise ValidationFailed(
            "an enterprise user needs its enterprise",
            [_problem("enterprise_required", "enterprise_id")],
        )
    if role_value is not Role.ENTERPRISE and enterprise_id:
        raise ValidationFailed(
            "only enterprise users belong to an enterprise",
            [_problem("enterprise_not_allowed", "enterprise_id")],
        )
    return role_value


def enterprise_is_known(uow: UnitOfWork, enterprise_id: str | None) -> None:
    """NotFound when the user's enterprise is not stored (call inside `with uow:`)."""
    if enterprise_id and uow.enterprises.get(enterprise_id) is None:
        raise NotFound(
            f'no enterprise "{enterprise_id}"',
            [_problem("enterprise_unknown", "enterprise_id", enterprise=enterprise_id)],
        )


def user_name_is_free(uow: UnitOfWork, name: str) -> None:
    """Conflict when another user has this name (call inside `with uow:`)."""
    if uow.users.get_by_name(name) is not None:
        raise Conflict(
            f'the user name "{name}" is taken', [_problem("user_name_taken", "name", name=name)]
        )


# --- changes --------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (with its salt and parameters), checked for length first."""
    password_is_long_enough(password)
    return PASSWORD_HASHER.hash(password)


def generate_password() -> str:
    """A random password of 16 URL-safe characters (demo users; printed once, never stored)."""
    return secrets.token_urlsafe(12)


def create_user(
    uow: UnitOfWork,
    *,
    name: str,
    role: str,
    password: str,
    enterprise_id: str | None = None,
    actor: str,
) -> WebUser:
    """A new enabled user. ValidationFailed (name, password, role and enterprise), NotFound (the
    enterprise), Conflict (the name is taken)."""
    clean_name = user_name_is_well_formed(name)
    enterprise_id = (enterprise_id or "").strip() or None
    role_value = role_matches_enterprise(role, enterprise_id)
    password_hash = hash_password(password)
    now = datetime.now(UTC)
    with uow:
        enterprise_is_known(uow, enterprise_id)
        user_name_is_free(uow, clean_name)
        stored = uow.users.add(
            WebUser(
                name=clean_name,
                password_hash=password_hash,
                role=role_value,
                enterprise_id=enterprise_id,
                created_at=now,
                updated_at=now,
            )
        )
        record(
            uow,
            actor,
            "user.create",
            "user",
            clean_name,
            {"role": role_value.value, "enterprise_id": enterprise_id},
        )
        uow.commit()
    return stored


def list_users(uow: UnitOfWork) -> list[WebUser]:
    """Every user, by name (disabled ones included)."""
    with uow:
        return uow.users.list()


def _existing(uow: UnitOfWork, name: str) -> WebUser:
    user = uow.users.get_by_name(unicodedata.normalize("NFKC", name or "").strip())
    if user is None:
        raise NotFound(f'no user "{name}"', [_problem("user_unknown", "name", name=name)])
    return user


def _change(uow: UnitOfWork, name: str, action: str, actor: str, **changes: object) -> WebUser:
    with uow:
        user = _existing(uow, name)
        updated = uow.users.update(
            user.model_copy(update={**changes, "updated_at": datetime.now(UTC)})
        )
        record(uow, actor, action, "user", user.name, {})
        uow.commit()
    return updated


def disable_user(uow: UnitOfWork, name: str, *, actor: str) -> WebUser:
    """The user can no longer sign in, and every page session of theirs ends at once."""
    return _change(uow, name, "user.disable", actor, disabled=True)


def enable_user(uow: UnitOfWork, name: str, *, actor: str) -> WebUser:
    """A disabled user may sign in again (old sessions stay ended: sign in anew)."""
    with uow:
        version = _existing(uow, name).session_version
    return _change(uow, name, "user.enable", actor, disabled=False, session_version=version + 1)


def reset_password(uow: UnitOfWork, name: str, password: str, *, actor: str) -> WebUser:
    """A new password; every session signed in with the old one ends."""
    password_hash = hash_password(password)
    with uow:
        version = _existing(uow, name).session_version
    return _change(
        uow,
        name,
        "user.reset_password",
        actor,
        password_hash=password_hash,
        session_version=version + 1,
    )


# --- signing in -----------------------------------------------------------------------------------


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Same parameters as a real hash, so verifying against it costs the same time.
    return hasher.hash(secrets.token_urlsafe(16))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def principal_of(user: WebUser) -> Principal:
    """The principal a token of this role and enterprise stands for; the actor names the user."""
    return Principal(role=user.role, actor=f"{user.name} (user)", enterprise_id=user.enterprise_id)


def authenticate(uow: UnitOfWork, name: str, password: str) -> UserSession:
    """Sign in with a name and password. Unauthorized, always with the same message and after one
    argon2 verification, when the name is unknown, the user disabled or the password wrong."""
    clean_name = unicodedata.normalize("NFKC", name or "").strip()
    with uow:
        user = uow.users.get_by_name(clean_name) if NAME_PATTERN.fullmatch(clean_name) else None
    too_long = len(password or "") > MAX_PASSWORD
    checked = user.password_hash if user is not None else _dummy_hash(PASSWORD_HASHER)
    matches = _password_matches(checked, "" if too_long else password or "")
    if user is None or user.id is None or user.disabled or too_long or not matches:
        raise Unauthorized(SIGN_IN_FAILED)
    if PASSWORD_HASHER.check_needs_rehash(user.password_hash):  # the parameters changed since
        rehashed = PASSWORD_HASHER.hash(password)
        with uow:
            uow.users.update(user.model_copy(update={"password_hash": rehashed}))
            uow.commit()
    return UserSession(principal_of(user), user.id, user.session_version)


def session_principal(uow: UnitOfWork, user_id: int, version: int | None) -> Principal | None:
    """The principal of a page session, or None once the user is disabled, signed out or given a
    new password (one SELECT per request, so a change takes effect on the next one)."""
    with uow:
        user = uow.users.get(user_id)
    if user is None or user.disabled or user.session_version != version:
        return None
    return principal_of(user)


def end_sessions(uow: UnitOfWork, user_id: int, *, actor: str) -> None:
    """Sign out: every page session of this user saved before now stops working."""
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            return
        uow.users.update(user.model_copy(update={"session_version": user.session_version + 1}))
        record(uow, actor, "user.sign_out", "user", user.name, {})
        uow.commit()
