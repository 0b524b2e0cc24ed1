"""Signing out ends the session on the server: the cookie saved before sign-out, replayed in a
fresh client, opens no page any more. On SQLite and PostgreSQL, with Flask's test client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from client_pages import form_csrf, form_sign_in

from api.database import db
from hub_scheduler.services.tokens import issue, revoke_token


def _sign_in(client, token: str) -> str:
    """Sign in through the form; return the raw session cookie value the browser now holds."""
    return form_sign_in(client, token).get_cookie("hub_session").value


def _replay(app, cookie: str, path: str):
    """A fresh client holding only the saved cookie value, as an attacker with a copy would."""
    fresh = app.test_client()
    fresh.set_cookie("hub_session", cookie)
    return fresh.get(path)


def _token(app, role: str, **kwargs) -> tuple[str, int]:
    secret, stored = issue(db.uow(app), role=role, label=f"web {role}", actor="test", **kwargs)
    return secret, stored.id


@pytest.mark.parametrize(("role", "page"), [("admin", "/board"), ("enterprise", "/loads")])
def test_a_cookie_saved_before_sign_out_opens_no_page_afterwards(app, role, page):
    extra = {"enterprise_id": "E01"} if role == "enterprise" else {}
    secret, _ = _token(app, role, **extra)
    client = app.test_client()
    saved = _sign_in(client, secret)
    assert _replay(app, saved, page).status_code == 200  # the copy works while signed in
    csrf = form_csrf(client.get(page).get_data(as_text=True))
    out = client.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    replayed = _replay(app, saved, page)
    assert replayed.status_code == 302
    assert replayed.headers["Location"].startswith("/login")


def test_signing_in_again_after_sign_out_works_and_the_old_cookie_stays_dead(app):
    secret, _ = _token(app, "admin")
    client = app.test_client()
    old = _sign_in(client, secret)
    client.post(
        "/logout", data={"csrf_token": form_csrf(client.get("/board").get_data(as_text=True))}
    )
    new = _sign_in(app.test_client(), secret)
    assert _replay(app, new, "/board").status_code == 200
    assert _replay(app, old, "/board").status_code == 302


def test_revoking_the_token_ends_its_page_session(app):
    secret, token_id = _token(app, "admin")
    saved = _sign_in(app.test_client(), secret)
    revoke_token(db.uow(app), token_id, actor="test")
    assert _replay(app, saved, "/board").status_code == 302


def test_an_expired_token_cannot_sign_in_and_its_session_ends(app):
    secret, token_id = _token(app, "admin", expires_at=datetime.now(UTC) + timedelta(hours=1))
    saved = _sign_in(app.test_client(), secret)
    uow = db.uow(app)
    with uow:
        from models.tables import ApiTokenRow

        uow.session.get(ApiTokenRow, token_id).expires_at = datetime.now(UTC) - timedelta(1)
        uow.commit()
    assert _replay(app, saved, "/board").status_code == 302
    client = app.test_client()
    csrf = form_csrf(client.get("/login").get_data(as_text=True))
    refused = client.post("/login", data={"token": secret, "csrf_token": csrf})
    assert refused.status_code == 200 and client.get_cookie("hub_session") is not None
    assert client.get("/board").status_code == 302
