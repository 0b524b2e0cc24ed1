"""Every endpoint: 401 without a token, 401 with an unknown one, 403 for each role it refuses."""

from __future__ import annotations

import pytest

ROLES = ("admin", "operator", "enterprise")

# (method, path, roles allowed)
ENDPOINTS = [
    ("POST", "/api/v1/tokens", {"admin"}),
    ("GET", "/api/v1/tokens", {"admin"}),
    ("DELETE", "/api/v1/tokens/1", {"admin"}),
    ("GET", "/api/v1/hubs", set(ROLES)),
    ("POST", "/api/v1/hubs", {"admin"}),
    ("GET", "/api/v1/hubs/XW-LP", set(ROLES)),
    ("PATCH", "/api/v1/hubs/XW-LP", {"admin"}),
    ("POST", "/api/v1/hubs/XW-LP/blocked-windows", {"admin", "operator"}),
    ("DELETE", "/api/v1/hubs/XW-LP/blocked-windows/B1", {"admin", "operator"}),
    ("POST", "/api/v1/hubs/XW-LP/status", {"admin"}),
    ("GET", "/api/v1/enterprises", {"admin"}),
    ("POST", "/api/v1/enterprises", {"admin"}),
    ("GET", "/api/v1/enterprises/E01", {"admin"}),
    ("PATCH", "/api/v1/enterprises/E01", {"admin"}),
    ("GET", "/api/v1/site/screening", {"admin", "operator"}),
    ("PATCH", "/api/v1/site/screening", {"admin"}),
    ("POST", "/api/v1/loads", {"admin", "enterprise"}),
    ("POST", "/api/v1/loads/batch", {"admin", "enterprise"}),
    ("POST", "/api/v1/loads/import", {"admin", "enterprise"}),
    ("GET", "/api/v1/loads/template.xlsx", set(ROLES)),
    ("GET", "/api/v1/loads", set(ROLES)),
    ("GET", "/api/v1/loads/L1", set(ROLES)),
    ("PATCH", "/api/v1/loads/L1", {"admin", "enterprise"}),
    ("DELETE", "/api/v1/loads/L1", {"admin", "enterprise"}),
    ("POST", "/api/v1/loads/L1/check-in", {"admin", "operator"}),
    ("POST", "/api/v1/loads/L1/start", {"admin", "operator"}),
    ("POST", "/api/v1/loads/L1/complete", {"admin", "operator"}),
    ("POST", "/api/v1/loads/L1/no-show", {"admin", "operator"}),
    ("POST", "/api/v1/plans", {"admin"}),
    ("GET", "/api/v1/plans", {"admin", "operator"}),
    ("GET", "/api/v1/plans/1", {"admin", "operator"}),
    ("GET", "/api/v1/plans/1/assignments", set(ROLES)),
    ("GET", "/api/v1/plans/1/unscheduled", set(ROLES)),
    ("POST", "/api/v1/plans/1/publish", {"admin"}),
    ("POST", "/api/v1/plans/1/cancel", {"admin"}),
    ("GET", "/api/v1/plans/published?date=2026-11-28", set(ROLES)),
    ("GET", "/api/v1/plans/1/export?format=csv", {"admin", "operator"}),
    ("POST", "/api/v1/activations", {"admin"}),
    ("GET", "/api/v1/activations", {"admin"}),
    ("POST", "/api/v1/incidents", {"admin"}),
    ("GET", "/api/v1/incidents", {"admin"}),
    ("GET", "/api/v1/incidents/1", {"admin"}),
    ("GET", "/api/v1/audit", {"admin"}),
    ("POST", "/api/v1/transfers", {"admin", "enterprise"}),
    ("GET", "/api/v1/transfers", set(ROLES)),
    ("GET", "/api/v1/transfers/L1/L2", set(ROLES)),
    ("DELETE", "/api/v1/transfers/L1/L2", {"admin", "enterprise"}),
    ("POST", "/api/v1/webhooks", {"admin", "enterprise"}),
    ("GET", "/api/v1/webhooks", {"admin", "enterprise"}),
    ("GET", "/api/v1/webhooks/1", {"admin", "enterprise"}),
    ("DELETE", "/api/v1/webhooks/1", {"admin", "enterprise"}),
    ("POST", "/api/v1/webhooks/1/enable", {"admin", "enterprise"}),
    ("GET", "/api/v1/inbox", set(ROLES)),
    ("POST", "/api/v1/inbox/read", set(ROLES)),
    ("POST", "/api/v1/transfers/proposals", {"admin", "enterprise"}),
    ("GET", "/api/v1/transfers/proposals", {"admin", "enterprise"}),
    ("GET", "/api/v1/transfers/proposals/1", {"admin", "enterprise"}),
    ("POST", "/api/v1/transfers/proposals/1/confirm", {"admin", "enterprise"}),
    ("POST", "/api/v1/transfers/proposals/1/decline", {"admin", "enterprise"}),
    ("GET", "/api/v1/reports", {"admin", "enterprise"}),
    ("GET", "/api/v1/reports/1", {"admin", "enterprise"}),
    ("POST", "/api/v1/reports/1/answer", {"admin"}),
    ("POST", "/api/v1/reports/1/close", {"admin"}),
]

# Public routes: no token needed (each answers without one; tests/api/test_public_and_reports.py).
# POST /api/v1/reports takes an enterprise token or none (then a contact); another role is 403.
PUBLIC = [
    ("GET", "/api/v1/public/hubs"),
    ("GET", "/api/v1/public/reports/R-ABC234"),
    ("POST", "/api/v1/reports"),
]


def _id(value: object) -> str:
    # A set's order changes with the hash seed; pytest-xdist needs the same test ids on each worker.
    return ",".join(sorted(value)) if isinstance(value, set) else str(value)


FORBIDDEN = [(m, p, role) for m, p, allowed in ENDPOINTS for role in ROLES if role not in allowed]


def test_the_matrix_covers_every_api_route(app):
    listed = {(m, p.split("?")[0]) for m, p, _ in ENDPOINTS} | set(PUBLIC)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in (
            "/api/v1/openapi.json",
            "/api/v1/docs",
        ):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            concrete = (
                rule.rule.replace("<hub_id>", "XW-LP")
                .replace("<window_id>", "B1")
                .replace("<enterprise_id>", "E01")
                .replace("<load_id>", "L1")
                .replace("<int:plan_id>", "1")
                .replace("<int:token_id>", "1")
                .replace("<int:webhook_id>", "1")
                .replace("<int:proposal_id>", "1")
                .replace("<int:report_id>", "1")
                .replace("<int:incident_id>", "1")
                .replace("<number>", "R-ABC234")
                .replace("<inbound>", "L1")
                .replace("<outbound>", "L2")
            )
            assert (method, concrete) in listed, f"{method} {rule.rule} has no auth test"


@pytest.mark.parametrize(("method", "path", "allowed"), ENDPOINTS, ids=_id)
def test_no_token_is_401_problem(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json["status"] == 401


@pytest.mark.parametrize(("method", "path"), PUBLIC, ids=_id)
def test_a_public_route_never_asks_for_a_token(client, seeded, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code not in (401, 403)


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_only_an_enterprise_token_or_none_may_report_a_problem(client, tokens, role):
    body = {"kind": "no_slot", "text": "x"}
    response = client.post("/api/v1/reports", json=body, headers=tokens[role])
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    bad = client.post("/api/v1/reports", json=body, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


@pytest.mark.parametrize(("method", "path", "allowed"), ENDPOINTS[:6], ids=_id)
def test_unknown_or_malformed_token_is_401(client, seeded, method, path, allowed):
    for header in ("Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer "):
        response = client.open(path, method=method, headers={"Authorization": header})
        assert response.status_code == 401, header


@pytest.mark.parametrize(("method", "path", "role"), FORBIDDEN, ids=_id)
def test_a_role_that_is_not_allowed_gets_403(client, tokens, method, path, role):
    response = client.open(path, method=method, headers=tokens[role], json={})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert role in response.json["detail"]


def test_a_revoked_token_is_refused(client, tokens, uow):
    with uow:
        token_id = next(t.id for t in uow.tokens.list() if t.label == "test operator")
        uow.tokens.revoke(token_id)
        uow.commit()
    assert client.get("/api/v1/hubs", headers=tokens["operator"]).status_code == 401


def test_tokens_are_stored_hashed_never_in_clear(client, tokens, uow):
    response = client.post(
        "/api/v1/tokens", json={"role": "operator", "label": "gate 2"}, headers=tokens["admin"]
    )
    assert response.status_code == 201
    token = response.json["token"]
    with uow:
        stored = [t.token_hash for t in uow.tokens.list()]
    assert token not in stored
    import hashlib

    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert (
        client.get("/api/v1/hubs", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


def test_an_enterprise_token_needs_a_known_enterprise(client, tokens):
    missing = client.post("/api/v1/tokens", json={"role": "enterprise"}, headers=tokens["admin"])
    assert missing.status_code == 422
    assert missing.json["errors"][0]["field"] == "enterprise_id"
    unknown = client.post(
        "/api/v1/tokens",
        json={"role": "enterprise", "enterprise_id": "NOPE"},
        headers=tokens["admin"],
    )
    assert unknown.status_code == 404
    wrong_role = client.post("/api/v1/tokens", json={"role": "king"}, headers=tokens["admin"])
    assert wrong_role.status_code == 422
    assert wrong_role.json["errors"][0]["field"] == "role"
