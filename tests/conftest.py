"""Shared fixtures. Each section belongs to one part of the code; add yours below, marked."""

from __future__ import annotations

# === database fixtures (owner: models/) ===========================================================
#
# `database_url` is an empty database, once on SQLite (a temp file) and once on PostgreSQL: the URL
# in HUB_TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test when it answers,
# else that param is skipped (or fails, with HUB_REQUIRE_POSTGRES=1). Each PostgreSQL test gets its
# own schema (search_path set in the URL), dropped afterwards, so tests never see each other's rows.
# Every test that uses these fixtures is marked `db`.  `migrated_database_url`, `db_engine`,
# `session_factory` and `uow` build on it.
import os
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

DEFAULT_TEST_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_base_url() -> tuple[str | None, str]:
    """The PostgreSQL URL to test against and, when there is none, why."""
    import psycopg
    from sqlalchemy.engine import make_url

    from models.db import normalize_url

    url = os.environ.get("HUB_TEST_DATABASE_URL") or DEFAULT_TEST_POSTGRES
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None, f"HUB_TEST_DATABASE_URL is not PostgreSQL: {parsed.get_backend_name()}"
    plain = make_url(parsed).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        psycopg.connect(plain, connect_timeout=3).close()
    except psycopg.Error as exc:
        return None, f"PostgreSQL at {parsed.render_as_string()} does not answer: {exc}"
    return parsed.render_as_string(hide_password=False), ""


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    """The reachable PostgreSQL URL, or a skip (a failure with HUB_REQUIRE_POSTGRES=1)."""
    url, why = _postgres_base_url()
    if url is None:
        if os.environ.get("HUB_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"HUB_REQUIRE_POSTGRES=1 but {why}")
        pytest.skip(why)
    return url


@pytest.fixture
def postgres_url(postgres_base_url: str) -> Iterator[str]:
    """A fresh, empty schema on the test PostgreSQL, as a URL whose search_path points at it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_base_url, poolclass=NullPool)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(postgres_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as connection:
            # A test that leaked an open transaction must not hang the whole run.
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.db),
        pytest.param("postgresql", marks=pytest.mark.db),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def migrated_database_url(database_url: str) -> str:
    """`database_url` migrated to head."""
    from models.migrate import upgrade

    upgrade(database_url)
    return database_url


@pytest.fixture
def db_engine(migrated_database_url: str):
    from models.db import make_engine

    engine = make_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(db_engine):
    from models.db import make_session_factory

    return make_session_factory(db_engine)


@pytest.fixture
def uow(session_factory):
    """A unit of work on a migrated, empty database."""
    from models.uow import SqlUnitOfWork

    return SqlUnitOfWork(session_factory)


# === end of database fixtures =====================================================================


# === hypothesis profiles (owner: solver/) =========================================================
#
# "ci" (the default, and always when CI is set): derandomized, so the examples are the same on
# every run and a chance example never decides whether a change lands; failing examples found
# elsewhere are kept as explicit @example lines. "nightly": random and ten times the examples,
# for local hunting:
#     HYPOTHESIS_PROFILE=nightly python -m pytest -q tests/unit/test_solver_properties.py

hypothesis_settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, database=None
)
hypothesis_settings.register_profile(
    "nightly",
    max_examples=1000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile(
    "ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci")
)
# === end of hypothesis profiles ===================================================================


# === the JSON API's language (owner: api/errors.py, api/problem_words.py) ========================
#
# The API's problems are said in the request's language, zh-CN by default (as the pages). Most API
# tests were written when they were English and assert English words: every test client asks the
# JSON API (`/api/...`, `/readyz`, `/healthz`) for English unless the request names its own
# Accept-Language. The pages
# keep the site's default (zh-CN) and the tests of the Chinese answers
# (tests/api/test_problem_language.py) send `Accept-Language: zh-CN`, or none with a plain
# FlaskClient.
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from werkzeug.datastructures import Headers  # noqa: E402

_JSON_PATHS = ("/api/", "/readyz", "/healthz")


class ApiInEnglishClient(FlaskClient):
    def open(self, *args, **kwargs):
        path = args[0] if args else kwargs.get("path")
        if isinstance(path, str) and path.startswith(_JSON_PATHS):
            headers = Headers(kwargs.get("headers") or {})
            if "Accept-Language" not in headers:
                headers["Accept-Language"] = "en"
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


Flask.test_client_class = ApiInEnglishClient
