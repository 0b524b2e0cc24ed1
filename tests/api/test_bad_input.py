"""Every JSON write endpoint refuses malformed JSON, a wrong content type, an oversized body and a
body of the wrong shape with a clear 4xx problem, and writes nothing (the audit log stays empty)."""

from __future__ import annotations

import pytest

# (path, role) of every endpoint that takes a JSON body
JSON_WRITES = [
    ("POST", "/api/v1/tokens", "admin"),
    ("POST", "/api/v1/hubs", "admin"),
    ("PATCH", "/api/v1/hubs/XW-LP", "admin"),
    ("POST", "/api/v1/hubs/XW-LP/blocked-windows", "operator"),
    ("POST", "/api/v1/hubs/XW-LP/status", "admin"),
    ("POST", "/api/v1/enterprises", "admin"),
    ("PATCH", "/api/v1/enterprises/E01", "admin"),
    ("POST", "/api/v1/loads", "enterprise"),
    ("POST", "/api/v1/loads/batch", "enterprise"),
    ("POST", "/api/v1/plans", "admin"),
    ("POST", "/api/v1/activations", "admin"),
    ("POST", "/api/v1/incidents", "admin"),
]
IDS = [f"{m} {p}" for m, p, _ in JSON_WRITES]


def _audit_count(uow) -> int:
    with uow:
        return len(uow.audit.list(limit=None))


@pytest.fixture
def before(uow, tokens):
    return _audit_count(uow)


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_malformed_json_is_400(client, tokens, uow, before, method, path, role):
    response = client.open(
        path, method=method, data="{not json", headers=tokens[role], content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "JSON" in response.json["detail"]
    assert _audit_count(uow) == before


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_a_wrong_content_type_is_415(client, tokens, uow, before, method, path, role):
    response = client.open(
        path, method=method, data="a=1", headers=tokens[role], content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    assert _audit_count(uow) == before


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_an_oversized_body_is_413(client, tokens, uow, before, method, path, role):
    huge = b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response = client.open(
        path, method=method, data=huge, headers=tokens[role], content_type="application/json"
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert _audit_count(uow) == before


@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_a_body_of_the_wrong_shape_is_422_naming_a_field(
    client, tokens, uow, before, method, path, role
):
    shape = {"unexpected": 1} if path.endswith("batch") else ["not", "an", "object"]
    response = client.open(path, method=method, json=shape, headers=tokens[role])
    assert response.status_code == 422
    assert response.json["errors"] and all(e["message"] for e in response.json["errors"])
    assert "Traceback" not in response.get_data(as_text=True)
    assert _audit_count(uow) == before
