"""The stack's ceiling for `POST /api/v1/loads`: bare Flask + SQLAlchemy, one insert per request.

`bench/bench_api.py --bare` serves it under gunicorn next to the real app, with the same load,
so the real endpoint's throughput is reported as a fraction of what Flask, SQLAlchemy, SQLite
and gunicorn allow on this machine in the same run. It does the least a real endpoint must do:
check a bearer token (a constant), parse the JSON body, insert one row, commit, answer 201 with
JSON. No validation, no audit, no idempotency: that is the difference being measured.

    DATABASE_URL=sqlite:////tmp/bare.sqlite3 gunicorn -w 2 'bench.bare_app:create_app()'

The database gets the same SQLite settings as the real app (WAL, synchronous=NORMAL, foreign
keys, a 30 s lock wait). Only the standard library, Flask and SQLAlchemy are used here.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask, Response, request
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, event, insert
from sqlalchemy.engine import Engine

TOKEN = os.environ.get("BARE_TOKEN", "bare-token")

metadata = MetaData()
loads = Table(
    "bare_loads",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("body", Text, nullable=False),
)


def _engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def create_app(url: str | None = None) -> Flask:
    """The bare app on `url` (default: $DATABASE_URL); creates its one table if missing."""
    engine = _engine(url or os.environ["DATABASE_URL"])
    metadata.create_all(engine)
    app = Flask(__name__)

    @app.post("/api/v1/loads")
    def create_load() -> Response:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            return Response('{"title":"Unauthorized"}', 401, mimetype="application/json")
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            return Response('{"title":"Bad request"}', 400, mimetype="application/json")
        with engine.begin() as connection:
            connection.execute(
                insert(loads).values(id=body["id"], enterprise_id="E01", body=json.dumps(body))
            )
        answer = json.dumps({**body, "status": "submitted"})
        return Response(answer, 201, mimetype="application/json")

    @app.get("/readyz")
    def ready() -> Response:
        return Response('{"status":"ready"}', 200, mimetype="application/json")

    return app
