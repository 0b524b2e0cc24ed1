"""Signing in to the pages with a user name and password or a token, the session cookie, page
roles and CSRF checks.

The session cookie (Flask's signed session) holds either the user's id or the SHA-256 hash of the
token (never the token or the password), and the session version at sign-in. Every request checks
both against the database, so disabling the user, a new password, revoking the token, its expiry,
or a sign-out (which raises the version) ends the session on the server: a cookie saved earlier
and replayed opens nothing. Either way the session carries the same `Principal`.
"""

from __future__ import annotations

import hmac
import re
import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from api.database import db
from hub_scheduler.records import Role
from hub_scheduler.services import users
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.tokens import (
    authenticate_for_session,
    end_sessions,
    hash_token,
    session_principal,
)

CSRF_FIELD = "csrf_token"
LOGIN_ENDPOINT = "web_account.login"
# The role groups the pages are for (`page_for(*STAFF)`), spelled once.
STAFF = (Role.ADMIN, Role.OPERATOR)  # the command centre and the hubs' staff at the gate
EVERYONE = (Role.ADMIN, Role.OPERATOR, Role.ENTERPRISE)


def sign_in(token: str) -> Principal:
    """Check the token (Unauthorized when unknown, revoked or expired); start a fresh session."""
    principal, version = authenticate_for_session(db.uow(), token)
    session.clear()  # a new session on sign-in: no fixation of a pre-login session
    session["token_hash"] = hash_token(token)
    session["session_version"] = version
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False
    return principal


def sign_in_user(name: str, password: str) -> Principal:
    """Check the name and password (Unauthorized, one message for every failure); start a fresh
    session."""
    signed = users.authenticate(db.uow(), name, password)
    session.clear()  # a new session on sign-in: no fixation of a pre-login session
    session["user_id"] = signed.user_id
    session["session_version"] = signed.version
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False
    return signed.principal


def sign_out() -> None:
    """End this user's or token's page sessions on the server, then forget the cookie's content."""
    token_hash = session.get("token_hash")
    user_id = session.get("user_id")
    principal = signed_in_principal()
    if principal is not None and user_id is not None:
        users.end_sessions(db.uow(), user_id, actor=principal.actor)
    elif principal is not None and token_hash:
        end_sessions(db.uow(), token_hash, actor=principal.actor)
    session.clear()


def signed_in_principal() -> Principal | None:
    """The principal of this browser's session, or None (no session, the user was disabled or the
    token revoked, or a sign-out elsewhere)."""
    if "web_principal" in g:
        return g.web_principal
    principal = None
    token_hash = session.get("token_hash")
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        principal = users.session_principal(db.uow(), user_id, session.get("session_version"))
    elif token_hash:
        principal = session_principal(db.uow(), token_hash, session.get("session_version"))
    if principal is None and (token_hash or user_id is not None):
        session.clear()
    g.web_principal = principal
    return principal


def page_for(*roles: Role):
    """A page for these roles: others are sent to sign in (no session) or refused (another role)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            principal = signed_in_principal()
            if principal is None:
                return redirect(url_for(LOGIN_ENDPOINT, next=request.full_path.rstrip("?")))
            if principal.role not in roles:
                abort(403)
            if request.method == "POST":
                check_csrf()
            return view(principal, *args, **kwargs)

        return guarded

    return decorate


def csrf_token() -> str:
    """This session's CSRF token, made on first use (the sign-in form needs one before sign-in)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a form post whose hidden token does not match the session's."""
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="csrf")


# A relative path on this site: one leading "/", then printable ASCII without a backslash (browsers
# read "/\\host" as "//host"); CR, LF and other control characters would split the Location header.
_SAME_SITE_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]*")


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site may follow sign-in (no open redirect)."""
    if not target or not _SAME_SITE_PATH.fullmatch(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def home_for(principal: Principal) -> str:
    if principal.role is Role.ENTERPRISE:
        return url_for("web_loads.loads")
    return url_for("web_board.board")
