"""Health, readiness, the OpenAPI document and its page, and the shape of every error."""

from __future__ import annotations

import pytest

from api import create_app


def test_healthz_and_readyz_answer(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json["status"] == "ready"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_the_app_factory_reads_the_environment_and_lets_the_mapping_win(monkeypatch, tmp_path):
    monkeypatch.setenv("HUB_SCHEDULER_MAX_BODY_MB", "2")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    app = create_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    assert app.config["DATABASE_URL"].endswith("env.sqlite3")
    assert (
        create_app({"HUB_SCHEDULER_MAX_BODY_MB": 3}).config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    )


def test_an_instance_folder_given_to_the_factory_holds_the_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"HUB_SCHEDULER_INSTANCE": str(tmp_path / "inst")})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("/inst/hub_scheduler.sqlite3")
    assert (tmp_path / "inst").is_dir()


def test_openapi_document_lists_every_route_with_its_schemas(client, app):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") or rule.rule in ("/healthz", "/readyz")
    }
    documented = {p.replace("{", "<").replace("}", ">") for p in doc["paths"]}
    assert len(documented) == len(routes)
    load_post = doc["paths"]["/api/v1/loads"]["post"]
    schema_ref = load_post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema_ref.endswith("/LoadIn")
    load_in = doc["components"]["schemas"]["LoadIn"]
    assert {"category", "temperature", "handling_minutes", "release", "due"} <= set(
        load_in["required"]
    )
    assert set(load_post["responses"]) >= {"201", "401", "403", "422", "413", "415"}
    assert doc["paths"]["/api/v1/hubs"]["post"]["security"] == [{"bearer": []}]
    assert "Hub" in doc["components"]["schemas"]
    # every $ref resolves
    text = client.get("/api/v1/openapi.json").get_data(as_text=True)
    import re

    assert "#/$defs" not in text
    for name in set(re.findall(r"#/components/schemas/([A-Za-z0-9_]+)", text)):
        assert name in doc["components"]["schemas"], name


def test_the_openapi_document_is_valid_openapi_3_1(client):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(client.get("/api/v1/openapi.json").json)


def test_the_docs_page_is_served_without_any_external_asset(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/api/v1/loads/batch" in page and "LoadIn" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_unknown_routes_and_methods_are_problem_json(client):
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong_method = client.put("/api/v1/hubs")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]


def test_an_unexpected_error_is_a_generic_500_without_a_stack_trace(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "secret internals" in caplog.text  # but it is logged
