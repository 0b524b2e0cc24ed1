"""When the database is down or restarting, requests get 503 problem details with Retry-After and a
body that says a retry is safe, never a generic 500; when it is back, the same app answers again.

PostgreSQL goes down and comes back behind a TCP relay this test starts and stops (the shared
server itself is never touched); SQLite's file is moved away (a directory takes its place, so it
cannot be opened even as root) and put back.
"""

from __future__ import annotations

import shutil
import socket
import threading
from contextlib import suppress

import pytest
from sqlalchemy.engine import make_url

from api import create_app
from api.database import db
from hub_scheduler.services.tokens import issue_token
from tests.api.conftest import load_body

pytestmark = pytest.mark.db


class Relay:
    """A TCP relay on 127.0.0.1 to `target`, which can stop accepting (and drop every connection)
    and start again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self.listener is not None:
            with suppress(OSError):  # wakes the thread blocked in accept() (Linux)
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert "retry" in response.json["detail"] and "safe" in response.json["detail"]
    assert "Traceback" not in response.get_data(as_text=True)


def _app(url: str):
    return create_app({"DATABASE_URL": url, "HUB_SCHEDULER_JOB_RUNNER": "inline", "TESTING": True})


def _requests(client, headers, xunwu):
    """A read, a write and a sign-in lookup: each must be 503 while the database is away."""
    return [
        client.get("/api/v1/loads", headers=headers),
        client.post("/api/v1/loads", json=load_body(xunwu), headers=headers),
        client.get("/api/v1/hubs", headers=headers),
    ]


def test_a_postgresql_that_refuses_connections_gives_503_then_recovers(postgres_url, xunwu):
    from models.migrate import upgrade

    upgrade(postgres_url)
    url = make_url(postgres_url)
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    app = _app(url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False))
    client = app.test_client()
    try:
        relay.start()
        with app.app_context():
            headers = {"Authorization": "Bearer " + issue_token(db.uow(), role="admin", actor="t")}
        assert client.get("/api/v1/hubs", headers=headers).status_code == 200

        relay.stop()  # the server goes away: pooled connections break, new ones are refused
        for response in _requests(client, headers, xunwu):
            _assert_unavailable(response)
        assert client.get("/readyz").status_code == 503

        relay.start()  # back: the same app answers without a restart
        assert client.get("/api/v1/hubs", headers=headers).status_code == 200
        assert client.get("/readyz").status_code == 200
    finally:
        relay.stop()
        db.dispose(app)


def test_a_postgresql_port_nothing_listens_on_gives_503(xunwu):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here now
    app = _app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test?connect_timeout=2")
    client = app.test_client()
    try:
        for response in _requests(client, {"Authorization": "Bearer hs_x"}, xunwu):
            _assert_unavailable(response)
    finally:
        db.dispose(app)


def test_a_sqlite_file_that_cannot_be_opened_gives_503_then_recovers(
    tmp_path, migrated_template, xunwu
):
    path = tmp_path / "api.sqlite3"
    shutil.copyfile(migrated_template, path)
    app = _app(f"sqlite:///{path}")
    client = app.test_client()
    try:
        with app.app_context():
            headers = {"Authorization": "Bearer " + issue_token(db.uow(), role="admin", actor="t")}
        assert client.get("/api/v1/hubs", headers=headers).status_code == 200
        db.dispose(app)  # drop pooled connections, as a restart of the worker would

        aside = tmp_path / "aside.sqlite3"
        path.rename(aside)
        path.mkdir()  # a directory where the file was: unreadable even for root
        for response in _requests(client, headers, xunwu):
            _assert_unavailable(response)

        path.rmdir()
        aside.rename(path)
        assert client.get("/api/v1/hubs", headers=headers).status_code == 200
    finally:
        db.dispose(app)
