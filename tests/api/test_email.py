"""E-mail deliveries (issue 13) against a real SMTP server on 127.0.0.1 (aiosmtpd, started
here): a publish sends each enterprise's `mailto:` subscription a Chinese e-mail per slot, with
only its own loads; a bad address is a 422 problem; an SMTP server that is down is a failed
attempt to retry, not an error of the request."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from hub_scheduler.services.tokens import issue_token
from tests.api.calls import publish_day


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def app_settings(smtp):
    return {
        "HUB_SCHEDULER_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "HUB_SCHEDULER_MAIL_FROM": "hub-scheduler@example.cn",
        "HUB_SCHEDULER_WEBHOOK_RETRY_BASE_S": 0.2,
    }


def _subscribe(client, uow, enterprise_id: str, address: str) -> None:
    token = issue_token(uow, role="enterprise", enterprise_id=enterprise_id, label="m", actor="t")
    response = client.post(
        "/api/v1/webhooks",
        json={"url": f"mailto:{address}", "events": ["slot.confirmed"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.json


def _wait(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("no e-mail in time")


def test_a_publish_e_mails_each_enterprise_its_own_slots_in_chinese(
    client, tokens, uow, xunwu, smtp
):
    own = {e: {ld.id for ld in xunwu.loads if ld.enterprise_id == e} for e in ("E01", "E02")}
    plates = {ld.id: ld.vehicle_plate for ld in xunwu.loads}
    _subscribe(client, uow, "E01", "dispatch@e01.example.cn")
    _subscribe(client, uow, "E02", "dispatch@e02.example.cn")
    published = publish_day(client, tokens, uow, xunwu)
    placed = {a["load_id"] for a in published["assignments"]}
    expected = {e: len(ids & placed) for e, ids in own.items()}
    assert expected["E01"] and expected["E02"]
    _wait(
        lambda: (
            len(smtp.to("dispatch@e01.example.cn")) >= expected["E01"]
            and len(smtp.to("dispatch@e02.example.cn")) >= expected["E02"]
        )
    )
    for enterprise_id, address in (
        ("E01", "dispatch@e01.example.cn"),
        ("E02", "dispatch@e02.example.cn"),
    ):
        mails = smtp.to(address)
        assert len(mails) == expected[enterprise_id]
        others = set(plates) - own[enterprise_id]
        for mail in mails:
            assert mail["Subject"] == "【接驳场站排程】时段已确认"
            assert mail["From"] == "hub-scheduler@example.cn"
            body = mail.get_content()
            assert "已排定" in body and "号车位" in body and "时间：2026-" in body
            assert "回复不会被阅读" in body
            load_id = body.split("车次 ", 1)[1].split("（", 1)[0]
            assert load_id in own[enterprise_id]
            assert plates[load_id] in body
            # nothing of another enterprise: none of its load ids or plates
            for other in others:
                assert f"车次 {other}（" not in body
                assert plates[other] not in body or plates[other] == plates[load_id]


def test_a_mailto_with_headers_or_two_addresses_is_a_422_problem(client, tokens):
    for url in (
        "mailto:a@b.cn,c@d.cn",
        "mailto:a@b.cn?bcc=c@d.cn",
        "mailto:a@b.cn%0ABcc:x@y.cn",
        "mailto:nobody",
    ):
        response = client.post(
            "/api/v1/webhooks", json={"url": url, "events": ["*"]}, headers=tokens["admin"]
        )
        assert response.status_code == 422, (url, response.json)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_an_smtp_server_that_is_down_is_a_failed_attempt_not_an_error(app, seeded):
    from api.notify import SmtpSender
    from hub_scheduler.records import AudienceKind, Webhook

    sender = SmtpSender(app, f"smtp://127.0.0.1:{_free_port()}", "x@example.cn", 2.0)
    hook = Webhook(
        owner_kind=AudienceKind.ENTERPRISE,
        owner_id="E01",
        url="mailto:a@b.cn",
        events=["*"],
        secret="whsec_x",
        created_at=datetime.now(UTC),
        created_by="t",
    )

    body = '{"type": "report.answered", "timestamp": "x", "data": {"report_id": "R-1"}}'
    result = sender.send(hook, "msg-1", datetime.now(UTC), body)
    assert not result.ok and result.status is None and "Refused" in (result.error or "")
