"""What one `POST /api/v1/loads` costs in SQL statements, and that the per-process read cache
behind that number (models/read_cache.py) never serves a revoked token or a stale enterprise:
two apps on one database stand for two gunicorn workers, a plain unit of work for the CLI.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from api import create_app
from api.database import db
from hub_scheduler.services.tokens import issue, revoke_token
from models.db import make_engine, make_session_factory
from models.read_cache import GENERATION_KEY
from models.uow import SqlUnitOfWork
from tests.api.conftest import load_body

# A plain submission: the read cache's generation (one primary-key SELECT), the load's INSERT
# and the audit entry's INSERT. Token, enterprise and site settings come from the cache; the
# load's id and key are checked by the table's constraints, not by a SELECT first.
PLAIN_SUBMISSION_STATEMENTS = 3
# With an Idempotency-Key: the above, the key's record looked up once, and stored (INSERT).
KEYED_SUBMISSION_STATEMENTS = 5
# Load, audit entry and idempotency record are written in one transaction: one COMMIT (on
# SQLite each COMMIT appends to the WAL under the one write lock every worker waits for).
SUBMISSION_TRANSACTIONS = 1
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


@pytest.fixture
def api_database_url(migrated_database_url):
    return migrated_database_url  # both backends


@contextmanager
def traced(app) -> Iterator[list[str]]:
    """Everything the database is sent while the block runs, transaction control included.

    SQLite: the driver's trace callback on every connection checked out of the pool, so a
    statement on the raw DB-API cursor (the read cache's generation) and the BEGIN and COMMIT
    the driver issues itself are seen too. PostgreSQL: SQLAlchemy's cursor events, with the
    engine's begin/commit/rollback events as BEGIN/COMMIT/ROLLBACK (autocommit connections send
    none)."""
    seen: list[str] = []
    engine = db.engine(app)
    sqlite = engine.dialect.name == "sqlite"
    listeners: list[tuple[object, str, object]] = []

    def listen(target, name, fn) -> None:
        event.listen(target, name, fn)
        listeners.append((target, name, fn))

    if sqlite:
        traced_connections = []

        def checkout(dbapi_connection, _record, _proxy) -> None:
            dbapi_connection.set_trace_callback(lambda sql: seen.append(sql.strip()))
            traced_connections.append(dbapi_connection)

        listen(engine.pool, "checkout", checkout)
    else:

        def statement(_conn, _cursor, sql, _params, _context, _executemany) -> None:
            seen.append(sql)

        def control(word):
            def note(conn, *_args) -> None:
                if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                    seen.append(word)

            return note

        listen(engine, "before_cursor_execute", statement)
        for word in _CONTROL:
            listen(engine, word.lower(), control(word))
    try:
        yield seen
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)
        if sqlite:
            for connection in traced_connections:
                connection.set_trace_callback(None)


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL statements the database is sent while the block runs (not BEGIN, COMMIT and
    ROLLBACK: `transactions` counts those)."""
    with traced(app) as seen:
        only: list[str] = []
        yield only
    only.extend(s for s in seen if not s.upper().startswith(_CONTROL))


def commits(seen: list[str]) -> int:
    return sum(1 for s in seen if s.upper().startswith("COMMIT"))


def _second_app(app):
    """Another app on the same database: what a second gunicorn worker is."""
    other = create_app({key: app.config[key] for key in ("DATABASE_URL", "TESTING")})
    return other


def _submit(client, headers, xunwu, load_id: str, **extra_headers):
    return client.post(
        "/api/v1/loads",
        json=load_body(xunwu, id=load_id),
        headers={**headers, **extra_headers},
    )


def test_a_submission_sends_three_statements_once_warm(app, client, tokens, xunwu):
    headers = tokens["enterprise"]
    assert _submit(client, headers, xunwu, "C-0").status_code == 201  # fills the cache
    with statements(app) as seen:
        response = _submit(client, headers, xunwu, "C-1")
    assert response.status_code == 201, response.get_json()
    assert len(seen) == PLAIN_SUBMISSION_STATEMENTS, seen
    inserts = [s.split("(")[0].strip() for s in seen if s.lstrip().upper().startswith("INSERT")]
    assert inserts == ["INSERT INTO loads", "INSERT INTO audit_log"]


def test_a_submission_is_one_transaction(app, client, tokens, xunwu):
    headers = tokens["enterprise"]
    assert _submit(client, headers, xunwu, "X-0").status_code == 201
    for load_id, extra in (("X-1", {}), ("X-2", {"Idempotency-Key": "x-2"})):
        with traced(app) as seen:
            response = _submit(client, headers, xunwu, load_id, **extra)
        assert response.status_code == 201, response.get_json()
        assert commits(seen) == SUBMISSION_TRANSACTIONS, seen
        assert not [s for s in seen if s.upper().startswith("ROLLBACK")], seen
        # the writes all sit between the one BEGIN and its COMMIT
        begin = next(i for i, s in enumerate(seen) if s.upper().startswith("BEGIN"))
        commit = next(i for i, s in enumerate(seen) if s.upper().startswith("COMMIT"))
        writes = [i for i, s in enumerate(seen) if s.upper().startswith("INSERT")]
        assert len(writes) == (3 if extra else 2) and begin < min(writes) < max(writes) < commit


def test_a_keyed_submission_looks_its_key_up_once_and_stores_it(app, client, tokens, xunwu):
    headers = tokens["enterprise"]
    assert _submit(client, headers, xunwu, "K-0").status_code == 201
    with statements(app) as seen:
        response = _submit(client, headers, xunwu, "K-1", **{"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.get_json()
    assert len(seen) == KEYED_SUBMISSION_STATEMENTS, seen
    with statements(app) as seen:  # the retry: the record and the load it names
        again = _submit(client, headers, xunwu, "K-1", **{"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.get_json()["id"] == "K-1"
    assert len(seen) <= 3, seen


def test_the_id_taken_and_the_key_reused_are_still_told_apart(client, tokens, xunwu):
    headers = tokens["enterprise"]
    assert _submit(client, headers, xunwu, "T-1").status_code == 201
    taken = _submit(client, headers, xunwu, "T-1")
    assert taken.status_code == 409
    assert [e["field"] for e in taken.get_json()["errors"]] == ["id"]
    first = _submit(client, headers, xunwu, "T-2", **{"Idempotency-Key": "same"})
    assert first.status_code == 201
    other_body = _submit(client, headers, xunwu, "T-3", **{"Idempotency-Key": "same"})
    assert other_body.status_code == 409
    assert [e["field"] for e in other_body.get_json()["errors"]] == ["Idempotency-Key"]


def test_a_token_revoked_through_another_worker_is_refused_at_once(app, client, tokens, xunwu):
    other = _second_app(app)
    try:
        with app.app_context():
            secret, stored = issue(db.uow(app), role="enterprise", enterprise_id="E01", actor="t")
        headers = {"Authorization": f"Bearer {secret}"}
        other_client = other.test_client()
        assert _submit(other_client, headers, xunwu, "R-1").status_code == 201  # cached there
        assert _submit(other_client, headers, xunwu, "R-2").status_code == 201
        revoked = client.delete(f"/api/v1/tokens/{stored.id}", headers=tokens["admin"])
        assert revoked.status_code == 200
        assert _submit(other_client, headers, xunwu, "R-3").status_code == 401
        assert _submit(client, headers, xunwu, "R-4").status_code == 401
    finally:
        db.dispose(other)


def test_a_token_revoked_by_the_cli_is_refused_at_once(app, client, tokens, xunwu):
    """The CLI writes through its own engine and session (no request, no cache of its own)."""
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        cli = SqlUnitOfWork(make_session_factory(engine))
        secret, stored = issue(cli, role="enterprise", enterprise_id="E01", actor="cli")
        headers = {"Authorization": f"Bearer {secret}"}
        assert _submit(client, headers, xunwu, "L-1").status_code == 201
        assert _submit(client, headers, xunwu, "L-2").status_code == 201
        revoke_token(cli, stored.id, actor="cli")
        assert _submit(client, headers, xunwu, "L-3").status_code == 401
    finally:
        engine.dispose()


def test_an_enterprise_changed_through_another_worker_is_read_anew(app, client, tokens):
    other = _second_app(app)
    try:
        other_client = other.test_client()
        admin = tokens["admin"]
        first = other_client.get("/api/v1/enterprises/E02", headers=admin)
        assert first.status_code == 200 and first.get_json()["whitelisted"] is True  # cached
        changed = client.patch(
            "/api/v1/enterprises/E02", json={"whitelisted": False}, headers=admin
        )
        assert changed.status_code == 200, changed.get_json()
        again = other_client.get("/api/v1/enterprises/E02", headers=admin)
        assert again.get_json()["whitelisted"] is False
    finally:
        db.dispose(other)


def test_only_watched_writes_change_the_generation(app, client, tokens, xunwu):
    def generation():
        uow = db.uow(app)
        with app.app_context(), uow:
            return uow.config.get(GENERATION_KEY)

    before = generation()
    assert before is not None  # the fixtures issued tokens and stored enterprises
    headers = tokens["enterprise"]
    assert _submit(client, headers, xunwu, "G-1", **{"Idempotency-Key": "g"}).status_code == 201
    assert generation() == before  # a load, an audit entry, an idempotency record: unwatched
    issued = client.post("/api/v1/tokens", json={"role": "operator"}, headers=tokens["admin"])
    assert issued.status_code == 201
    assert generation() != before


@pytest.mark.parametrize("setting, lines", [(True, 1), (False, 0)])
def test_the_access_log_is_a_setting_and_the_request_id_stays(
    api_database_url, caplog, setting, lines
):
    app = create_app({"DATABASE_URL": api_database_url, "HUB_SCHEDULER_ACCESS_LOG": setting})
    try:
        with caplog.at_level("INFO", logger="hub_scheduler.access"):
            response = app.test_client().get("/healthz", headers={"X-Request-ID": "abc-1"})
        assert response.headers["X-Request-ID"] == "abc-1"
        access = [r for r in caplog.records if r.name == "hub_scheduler.access"]
        assert len(access) == lines
        if lines:
            assert access[0].getMessage().startswith("GET /healthz 200")
    finally:
        db.dispose(app)


def test_the_limiter_is_skipped_only_where_no_limit_could_refuse(app, client, tokens, xunwu):
    """api.throttle.known_good_request: a token this process has read and found usable, an
    endpoint without its own limit, an address without a recent failure; anything else gets
    Flask-Limiter's full check."""
    from api.throttle import known_good_request

    good = tokens["enterprise"]
    assert _submit(client, good, xunwu, "F-1").status_code == 201  # the token is cached now

    def exempt(headers, path="/api/v1/loads", address="10.1.1.1") -> bool:
        with app.test_request_context(
            path, method="POST", headers=headers, environ_base={"REMOTE_ADDR": address}
        ):
            app.preprocess_request()  # the limiter's own check (exempt or not) runs here
            return known_good_request()

    assert exempt(good)
    assert not exempt({"Authorization": "Bearer hs_not_a_token"})
    assert not exempt({})
    assert not exempt(good, path="/api/v1/loads/batch")  # the import limit counts it
    bad = client.get(
        "/api/v1/hubs",
        headers={"Authorization": "Bearer hs_wrong"},
        environ_base={"REMOTE_ADDR": "10.2.2.2"},
    )
    assert bad.status_code == 401
    assert not exempt(good, address="10.2.2.2")  # its failure counter must be consulted
    assert exempt(good, address="10.3.3.3")
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"  # shared counters
    try:
        assert not exempt(good)
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
