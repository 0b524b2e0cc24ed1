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


# (body, content type, status, a word the problem's detail must name) of each body refused
# before it is parsed: the app's limit is 1 MiB (conftest.py)
RAW_BODIES = [
    pytest.param("{not json", "application/json", 400, "JSON", id="malformed JSON is 400"),
    pytest.param("a=1", "text/plain", 415, None, id="a wrong content type is 415"),
    pytest.param(
        b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}',
        "application/json",
        413,
        None,
        id="an oversized body is 413",
    ),
]


@pytest.mark.parametrize(("data", "content_type", "status", "detail_names"), RAW_BODIES)
@pytest.mark.parametrize(("method", "path", "role"), JSON_WRITES, ids=IDS)
def test_a_body_that_cannot_be_read_is_refused(
    client, tokens, uow, before, method, path, role, data, content_type, status, detail_names
):
    response = client.open(
        path, method=method, data=data, headers=tokens[role], content_type=content_type
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if detail_names is not None:
        assert detail_names in response.json["detail"]
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
