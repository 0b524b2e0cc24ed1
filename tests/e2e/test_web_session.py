"""The pages' session cookie and CSRF settings, checked with Flask's test client (no browser)."""

from __future__ import annotations

import pytest

from api import create_app


@pytest.fixture
def make_client(tmp_path):
    def make(**config):
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
                **config,
            }
        )
        return app.test_client()

    return make


def test_the_session_cookie_is_secure_http_only_and_same_site_lax_by_default(make_client):
    response = make_client().get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "hub_session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_secure_flag_can_be_turned_off_for_plain_http_on_localhost(make_client):
    cookie = make_client(HUB_SCHEDULER_COOKIE_SECURE="0").get("/login").headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_without_a_configured_key_every_worker_shares_one_random_key_from_the_instance(
    make_client, tmp_path
):
    first = make_client()
    second = make_client()
    assert first.application.secret_key == second.application.secret_key != "dev"
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_the_pages_carry_a_content_security_policy_without_inline_scripts(make_client):
    response = make_client().get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy


def test_a_page_asks_for_sign_in_and_an_outside_next_address_is_ignored(make_client):
    client = make_client()
    assert client.get("/board").status_code == 302
    page = client.get("/login?next=https://evil.example/")
    assert page.status_code == 200
    from api.web.signin import safe_next

    assert safe_next("https://evil.example/", "/board") == "/board"
    assert safe_next("//evil.example/x", "/board") == "/board"
    assert safe_next("/plans/3", "/board") == "/plans/3"


def test_the_catalogue_gives_chinese_by_default_and_english_on_request(make_client):
    client = make_client()
    assert "登录" in client.get("/login").get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Sign in" in english and "登录" not in english


def test_revoking_the_token_signs_the_browser_out_on_its_next_request(
    migrated_database_url, tmp_path
):
    import re

    from api.database import db
    from hub_scheduler.services.tokens import hash_token, issue_token
    from models.db import make_engine, make_session_factory
    from models.uow import SqlUnitOfWork

    engine = make_engine(migrated_database_url)
    uow = SqlUnitOfWork(make_session_factory(engine))
    token = issue_token(uow, role="operator", label="gate 2", actor="test")
    app = create_app(
        {
            "DATABASE_URL": migrated_database_url,
            "HUB_SCHEDULER_INSTANCE": str(tmp_path / "instance"),
            "HUB_SCHEDULER_COOKIE_SECURE": "0",
        }
    )
    try:
        client = app.test_client()
        form = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert client.post("/login", data={"token": token, "csrf_token": csrf}).status_code == 303
        board = client.get("/board", headers={"Accept-Language": "en"})
        assert board.status_code == 200 and "gate 2" in board.get_data(as_text=True)
        with uow:
            uow.tokens.revoke(uow.tokens.get_by_hash(hash_token(token)).id)
            uow.commit()
        after = client.get("/board")
        assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    finally:
        db.dispose(app)
        engine.dispose()
