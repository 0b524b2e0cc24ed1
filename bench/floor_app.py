"""The floor for `POST /api/v1/loads`: issue 16's four guarantees done as cheaply as this stack
allows, on the real schema. The ceiling for any implementation of them with Flask, SQLAlchemy,
pydantic, SQLite and gunicorn (issue 16, fifth pass in bench/README.md).

`bench/bench_api.py --floor` serves it under gunicorn beside the real app and `bench/bare_app.py`,
on its own database made by the project's migrations (`prepare`: the real `loads`, `audit_log`,
`api_tokens` and `site_config` tables, their indexes, foreign keys and the audit log's triggers,
the Xunwu enterprises, an enterprise token issued by `services.tokens`). Per request, and nothing
else:

- **auth**: the bearer token's SHA-256 looked up in `api_tokens` (one SELECT, every request, so a
  revocation holds at once), expiry checked, the enterprise role required (401 / 403);
- **validation**: the body parsed and checked by the real request schema, `api.schemas.LoadIn`
  (one pydantic `validate_json`; 422 with pydantic's errors);
- **idempotency**: with an `Idempotency-Key`, the request's SHA-256 stored in `site_config` in the
  load's transaction (the same record key as `services.idempotency`); a taken key is looked up
  and answered (200, the same load) or refused (409); `loads` keeps the key too, under its
  (enterprise, key) unique constraint;
- **audit**: the `load.create` entry INSERTed in the same transaction as the load;
- a JSON answer (201, the stored load as the request gave it, its id, enterprise and status).

One pooled connection and one transaction per request (the token's SELECT runs in it: pysqlite
begins only at the first INSERT), Core statements compiled once, no ORM session. Left out, as
the brief for the floor says: Flask-Limiter, metrics, request ids, security headers, the site's
time zone in the answer, and the domain checks of `services.load_checks` (hub and enterprise
validity beyond the foreign key, screening): what the real endpoint does on top of the floor.

    DATABASE_URL=sqlite:////tmp/floor.sqlite3 gunicorn -w 2 'bench.floor_app:create_app()'
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from api.schemas.loads import LoadIn
from hub_scheduler.values import plate_key
from models.db import database_url, make_engine
from models.tables import ApiTokenRow, AuditRow, ConfigRow, LoadRow

_tokens = ApiTokenRow.__table__.c
_config = ConfigRow.__table__.c
_TOKEN = select(
    _tokens.id,
    _tokens.label,
    _tokens.role,
    _tokens.enterprise_id,
    _tokens.revoked_at,
    _tokens.expires_at,
).where(_tokens.token_hash == bindparam("token_hash"))
_RECORD = select(_config.value).where(_config.key == bindparam("record_key"))
_INSERT_LOAD = insert(LoadRow.__table__)
_INSERT_AUDIT = insert(AuditRow.__table__)
_INSERT_RECORD = insert(ConfigRow.__table__)
_JSON = "application/json"


def _problem(status: int, title: str, errors: Any = None) -> Response:
    body = {"title": title, "status": status} | ({"errors": errors} if errors else {})
    return Response(json.dumps(body, ensure_ascii=False, default=str), status, mimetype=_JSON)


def _row(
    body: LoadIn, key: str, enterprise_id: str, idem: str | None, actor: str, now: datetime
) -> dict[str, Any]:
    """The `loads` row of a validated body: every column the real store writes."""
    return {
        "id": key,
        "enterprise_id": enterprise_id,
        "category": body.category.value,
        "temperature": body.temperature.value,
        "handling_minutes": body.handling_minutes,
        "release": body.release,
        "due": body.due,
        "deadline": body.deadline,
        "priority_weight": body.priority_weight,
        "allowed_hubs": body.allowed_hubs,
        "origin_lat": body.origin.lat if body.origin else None,
        "origin_lon": body.origin.lon if body.origin else None,
        "has_pass": body.has_pass,
        "disinfection_minutes": body.disinfection_minutes,
        "pinned_hub_id": None,
        "pinned_dock_id": None,
        "pinned_start": None,
        "previous_hub_id": None,
        "previous_dock_id": None,
        "previous_start": None,
        "vehicle_plate": body.vehicle_plate,
        "vehicle_plate_key": plate_key(body.vehicle_plate) if body.vehicle_plate else None,
        "driver_phone": body.driver_phone,
        "arrived_at": None,
        "started_at": None,
        "completed_at": None,
        "screening": body.screening.model_dump(mode="json") if body.screening else None,
        "status": "submitted",
        "extra": {},
        "created_at": now,
        "updated_at": now,
        "idempotency_key": idem,
        "created_by": actor,
    }


def create_app(url: str | None = None) -> Flask:
    """The floor app on `url` (default: $DATABASE_URL); the schema must exist (migrations)."""
    engine = make_engine(url or database_url())
    app = Flask(__name__)

    @app.post("/api/v1/loads")
    def create_load() -> Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return _problem(401, "Unauthorized")
        token_hash = hashlib.sha256(token.encode()).hexdigest()
        idem = request.headers.get("Idempotency-Key")
        now = datetime.now(UTC)
        try:
            with engine.begin() as connection:  # one checkout, one transaction
                found = connection.execute(_TOKEN, {"token_hash": token_hash}).first()
                if (
                    found is None
                    or found.revoked_at is not None
                    or (found.expires_at is not None and found.expires_at <= now)
                ):
                    return _problem(401, "Unauthorized")
                if found.role != "enterprise":
                    return _problem(403, "Forbidden")
                try:
                    body = LoadIn.model_validate_json(request.get_data())
                except ValidationError as exc:
                    return _problem(422, "Unprocessable", exc.errors(include_url=False))
                enterprise_id = found.enterprise_id
                actor = f"{found.label or found.role} (token {found.id})"
                key = f"{enterprise_id}/{body.id or uuid.uuid4().hex[:12]}"
                digest = hashlib.sha256(request.get_data()).hexdigest() if idem else ""
                record_key = f"load-submit:{enterprise_id}:{idem}"
                connection.execute(_INSERT_LOAD, _row(body, key, enterprise_id, idem, actor, now))
                connection.execute(
                    _INSERT_AUDIT,
                    {
                        "at": now,
                        "actor": actor,
                        "action": "load.create",
                        "target_type": "load",
                        "target_id": key,
                        "details": {"enterprise_id": enterprise_id, "idempotency_key": idem},
                    },
                )
                if idem:
                    record = {"sha256": digest, "load_ids": [key]}
                    connection.execute(_INSERT_RECORD, {"key": record_key, "value": record})
            created = True
        except IntegrityError:  # rolled back: a taken id, or a key used before
            with engine.connect() as connection:
                stored = idem and connection.execute(_RECORD, {"record_key": record_key}).scalar()
            if not stored:
                return _problem(409, "Conflict", [{"field": "id", "message": "is taken"}])
            if stored["sha256"] != digest:
                return _problem(409, "Conflict", [{"field": "Idempotency-Key"}])
            key, created = stored["load_ids"][0], False
        answer = body.model_dump(mode="json", exclude_none=True)
        answer.update(id=key.partition("/")[2], enterprise_id=enterprise_id, status="submitted")
        text = json.dumps(answer, ensure_ascii=False)
        return Response(text, 201 if created else 200, mimetype=_JSON)

    @app.get("/readyz")
    def ready() -> Response:
        return Response('{"status":"ready"}', 200, mimetype=_JSON)

    return app
