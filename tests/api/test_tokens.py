"""Token life cycle through the API and the CLI, on SQLite and PostgreSQL: list without secrets,
revoke and expire with effect on the very next request."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from servers import run_cli

from hub_scheduler.services.tokens import issue_token


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, env={"DATABASE_URL": database_url})


@pytest.fixture
def api_database_url(migrated_database_url):
    return migrated_database_url  # both backends, not the SQLite template


def _issue(client, tokens, **body):
    response = client.post("/api/v1/tokens", json=body, headers=tokens["admin"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_listing_shows_every_token_without_its_secret_or_hash(client, tokens, uow):
    issued = _issue(client, tokens, role="operator", label="gate 3")
    response = client.get("/api/v1/tokens", headers=tokens["admin"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    listed = response.get_json()
    gate = next(t for t in listed if t["id"] == issued["id"])
    assert gate["label"] == "gate 3" and gate["state"] == "active" and gate["expires_at"] is None
    text = response.get_data(as_text=True)
    assert issued["token"] not in text
    with uow:
        hashes = [t.token_hash for t in uow.tokens.list()]
    assert not any(h in text for h in hashes)
    assert {"token", "token_hash"}.isdisjoint(gate)


@pytest.mark.parametrize("role", ["operator", "enterprise", "other_enterprise"])
def test_only_an_admin_lists_or_revokes_tokens(client, tokens, role):
    assert client.get("/api/v1/tokens", headers=tokens[role]).status_code == 403
    assert client.delete("/api/v1/tokens/1", headers=tokens[role]).status_code == 403


def test_a_revoked_token_gets_401_on_the_next_request(client, tokens):
    issued = _issue(client, tokens, role="enterprise", enterprise_id="E01")
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/v1/loads", headers=bearer).status_code == 200
    revoked = client.delete(f"/api/v1/tokens/{issued['id']}", headers=tokens["admin"])
    assert revoked.status_code == 200
    assert revoked.get_json()["state"] == "revoked"
    refused = client.get("/api/v1/loads", headers=bearer)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"


def test_revoking_an_unknown_token_is_404(client, tokens):
    assert client.delete("/api/v1/tokens/999999", headers=tokens["admin"]).status_code == 404


def test_a_token_with_a_lifetime_works_until_it_expires(client, tokens, uow):
    issued = _issue(client, tokens, role="operator", expires_in_days=2)
    expires = datetime.fromisoformat(issued["expires_at"])
    assert timedelta(days=2) - timedelta(minutes=1) < expires - datetime.now(UTC) <= timedelta(2)
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/v1/hubs", headers=bearer).status_code == 200
    with uow:  # time passes: move the expiry into the past
        from models.tables import ApiTokenRow

        uow.session.get(ApiTokenRow, issued["id"]).expires_at = datetime.now(UTC) - timedelta(1)
        uow.commit()
    assert client.get("/api/v1/hubs", headers=bearer).status_code == 401
    listed = client.get("/api/v1/tokens", headers=tokens["admin"]).get_json()
    assert next(t for t in listed if t["id"] == issued["id"])["state"] == "expired"


def test_an_explicit_expiry_instant_is_kept(client, tokens):
    at = (datetime.now(UTC) + timedelta(hours=5)).replace(microsecond=0)
    issued = _issue(client, tokens, role="admin", expires_at=at.isoformat())
    assert datetime.fromisoformat(issued["expires_at"]) == at


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 100000}, "expires_in_days"),
        ({"expires_at": "2020-01-01T00:00:00+08:00"}, "expires_at"),
        ({"expires_at": "2030-01-01T00:00:00"}, "expires_at"),
        ({"expires_at": "2030-01-01T00:00:00+08:00", "expires_in_days": 3}, "expires_in_days"),
    ],
)
def test_a_bad_expiry_is_a_422_naming_the_field(client, tokens, body, field):
    response = client.post(
        "/api/v1/tokens", json={"role": "operator", **body}, headers=tokens["admin"]
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert field in str(problem["errors"])


def test_the_cli_lists_revokes_and_creates_expiring_tokens(app, seeded):
    url = app.config["DATABASE_URL"]
    created = _cli(
        url,
        "tokens",
        "create",
        "--role",
        "operator",
        "--label",
        "cli gate",
        "--expires-in-days",
        "7",
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    listed = _cli(url, "tokens", "list")
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if "cli gate" in x)
    token_id, role, _, _, state, expires = line.split("\t")
    assert (role, state) == ("operator", "active") and expires != "never"
    assert secret not in listed.stdout
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/hubs", headers=bearer).status_code == 200
    revoked = _cli(url, "tokens", "revoke", token_id)
    assert revoked.returncode == 0 and f"revoked token {token_id}" in revoked.stdout
    assert client.get("/api/v1/hubs", headers=bearer).status_code == 401
    assert "\trevoked\t" in _cli(url, "tokens", "list").stdout
    missing = _cli(url, "tokens", "revoke", "424242")
    assert missing.returncode == 1 and "no token 424242" in missing.stderr


def test_a_token_issued_in_code_with_an_expiry_in_the_past_is_refused(client, uow, seeded):
    token = issue_token(
        uow, role="admin", expires_at=datetime.now(UTC) - timedelta(seconds=1), actor="test"
    )
    assert (
        client.get("/api/v1/hubs", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_the_demo_token_label_is_written_by_the_sites_clock(uow, seeded, monkeypatch):
    """`serve --demo` labels its admin token "demo admin <time>": the site's time (+08:00 for
    Xunwu, 22:36 when UTC says 14:36), and HUB_SCHEDULER_TIMEZONE's zone where it is set."""
    from api.cli import site_now

    monkeypatch.delenv("HUB_SCHEDULER_TIMEZONE", raising=False)
    shown = site_now(uow)
    assert shown.utcoffset() == timedelta(hours=8)
    assert abs(shown - datetime.now(UTC)) < timedelta(minutes=1)
    monkeypatch.setenv("HUB_SCHEDULER_TIMEZONE", "Europe/Berlin")
    assert str(site_now(uow).tzinfo) == "Europe/Berlin"
