"""Sending what the events outbox holds: the senders (Standard Webhooks over HTTP, e-mail over
SMTP) and the notifier that runs `services.deliveries.deliver_due` after each commit that wrote
deliveries, and again when the next retry is due.

Without Redis each process keeps one sender thread, woken by a commit (`kick`) or by the next due
retry; with REDIS_URL the work goes on the RQ queue (`rq_deliver_due`) and the workers' loops
send the retries. A claim is one conditional UPDATE, so two processes never send one delivery
twice. See docs/webhooks.md.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

import httpx
from flask import Flask
from standardwebhooks import Webhook as Signer

from api.settings import settings
from hub_scheduler.records import Event, Webhook
from hub_scheduler.services import deliveries as service

EXTENSION = "hub_scheduler_notify"
SENDERS = "hub_scheduler_senders"
log = logging.getLogger(__name__)
_IDLE_S = 30.0  # the thread looks again this often even without a kick
SETTLE_S = 1.0  # the longest a request waits for its events to go out (Notifier.settle)


class HttpSender:
    """POSTs the body signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
    `webhook-signature: v1,<base64 HMAC-SHA256>`); any 2xx is a success; redirects are not
    followed (a 3xx is a failure)."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        # One client for every send: its TLS context and connections are made once (a client
        # per send costs tens of milliseconds of CPU each, which a burst of events felt).
        self.client = httpx.Client(timeout=timeout_s, follow_redirects=False)

    def send(self, webhook: Webhook, message_id: str, at: datetime, body: str):
        signature = Signer(webhook.secret).sign(message_id, at.astimezone(UTC), body)
        headers = {
            "content-type": "application/json",
            "user-agent": "hub-scheduler-webhooks/1",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signature,
        }
        started = time.monotonic()
        try:
            response = self.client.post(webhook.url, content=body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            latency = (time.monotonic() - started) * 1000
            return service.SendResult(False, None, latency, f"{type(exc).__name__}: {exc}")
        latency = (time.monotonic() - started) * 1000
        ok = 200 <= response.status_code < 300
        error = None if ok else f"HTTP {response.status_code}"
        return service.SendResult(ok, response.status_code, latency, error)


class SmtpSender:
    """Sends the event as a plain-text e-mail in Simplified Chinese to a `mailto:` address through
    `smtp://user:password@host:port` (`smtps://`: TLS from the start; `smtp://...?starttls=1`:
    STARTTLS). The subject is the event's title, the body its sentence (the inbox's words,
    `api.web.inbox.describe`) with the time in the site's zone: only the data the subscription's
    audience was given (the event row is already cut to it). SMS would be one more class with
    this `send` (see docs/webhooks.md)."""

    language = "zh-CN"

    def __init__(self, app: Flask, smtp_url: str, mail_from: str, timeout_s: float):
        self.app = app
        self.url = urlsplit(smtp_url)
        self.mail_from = mail_from
        self.timeout_s = timeout_s

    def compose(self, webhook: Webhook, message_id: str, at: datetime, body: str) -> EmailMessage:
        """The e-mail for one delivery (in an app context: the site's zone and hub names)."""
        from flask import g

        from api.web.i18n import translate
        from api.web.inbox import describe, hub_names
        from api.web.zone import local

        event = json.loads(body)
        with self.app.app_context():
            g.hub_lang = self.language
            try:
                names = hub_names()
            except Exception:  # the database is busy: ids instead of names
                log.warning("hub names unavailable for an e-mail", exc_info=True)
                names = {}
            record = Event(
                id=message_id,
                type=event["type"],
                at=at,
                audience_kind=webhook.owner_kind,
                audience_id=webhook.owner_id,
                data=event.get("data") or {},
            )
            told = describe(record, names)
            shown = local(at)
            when = shown.strftime("%Y-%m-%d %H:%M") if shown is not None else ""
            text = "\n\n".join(
                [
                    told["text"],
                    translate("Time: {when}", when=when),
                    translate(
                        "This e-mail was sent by the hub scheduler; replies are not read. "
                        "Message id: {id}",
                        id=message_id,
                    ),
                ]
            )
            subject = translate("[Hub Scheduler] {title}", title=told["title"])
        message = EmailMessage()
        message["From"] = self.mail_from
        message["To"] = unquote(urlsplit(webhook.url).path)
        message["Subject"] = subject
        message["Message-ID"] = f"<{message_id}@hub-scheduler>"
        message["Date"] = formatdate(at.timestamp(), localtime=False)
        message["Content-Language"] = self.language
        message.set_content(text + "\n", charset="utf-8")
        return message

    def send(self, webhook: Webhook, message_id: str, at: datetime, body: str):
        started = time.monotonic()
        try:
            message = self.compose(webhook, message_id, at, body)
            cls = smtplib.SMTP_SSL if self.url.scheme == "smtps" else smtplib.SMTP
            with cls(
                self.url.hostname or "localhost", self.url.port or 25, timeout=self.timeout_s
            ) as smtp:
                if "starttls=1" in (self.url.query or ""):
                    smtp.starttls()
                if self.url.username:
                    smtp.login(unquote(self.url.username), unquote(self.url.password or ""))
                smtp.send_message(message)
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            latency = (time.monotonic() - started) * 1000
            return service.SendResult(False, None, latency, f"{type(exc).__name__}: {exc}")
        return service.SendResult(True, 250, (time.monotonic() - started) * 1000)


def senders(app: Flask) -> dict[str, service.Sender]:
    """The senders by URL scheme, made once per app (their HTTP client is kept)."""
    found = app.extensions.get(SENDERS)
    if found is None:
        found = app.extensions[SENDERS] = _make_senders(app)
    return found


def _make_senders(app: Flask) -> dict[str, service.Sender]:
    config = settings(app)
    http = HttpSender(config.HUB_SCHEDULER_WEBHOOK_TIMEOUT_S)
    found: dict[str, service.Sender] = {"http": http, "https": http}
    if config.HUB_SCHEDULER_SMTP_URL:
        found["mailto"] = SmtpSender(
            app,
            config.HUB_SCHEDULER_SMTP_URL,
            config.HUB_SCHEDULER_MAIL_FROM,
            config.HUB_SCHEDULER_WEBHOOK_TIMEOUT_S,
        )
    return found


def _observe(outcome: str) -> None:
    from api.metrics import WEBHOOK_DELIVERIES

    WEBHOOK_DELIVERIES.labels(outcome=outcome).inc()


def deliver_due(app: Flask) -> datetime | None:
    """Send what is due now; when the next retry is due (None: nothing pending)."""
    from api.database import db

    return service.deliver_due(
        lambda: db.uow(app), senders(app), settings(app).deliveries, _observe
    )


class Notifier:
    """One sender thread per process, started by the first kick."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.idle = threading.Event()  # set when a round found nothing more to send
        self.idle.set()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def kick(self) -> None:
        """A commit wrote deliveries: send them now."""
        from api.jobs import redis_url

        if redis_url(self.app):
            try:
                from api.jobs import enqueue

                enqueue(rq_deliver_due, app=self.app)
                return
            except Exception:  # Redis down: this process sends them itself
                log.warning("could not enqueue webhook deliveries; sending here", exc_info=True)
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._loop, name="webhook-sender", daemon=True
                )
                self.thread.start()
        self.idle.clear()
        self.wake.set()

    def settle(self, timeout_s: float = SETTLE_S) -> bool:
        """Wait (at most `timeout_s`) until this process's sender has sent what the last commit
        wrote: a request calls it before work that holds the database (on SQLite one writer at
        a time: the sender's claim would wait for it). True when sent; at once with Redis (the
        workers send)."""
        return self.idle.wait(timeout_s)

    def _loop(self) -> None:
        while True:
            self.wake.clear()
            try:
                next_due = deliver_due(self.app)
            except Exception:
                log.warning("webhook deliveries failed; trying again later", exc_info=True)
                next_due = None
            wait = _IDLE_S
            if next_due is not None:
                wait = min(_IDLE_S, max(0.0, (next_due - datetime.now(UTC)).total_seconds()))
            if not self.wake.is_set():
                self.idle.set()
            self.wake.wait(wait)


def rq_deliver_due() -> None:
    """The function RQ runs (a `hub-scheduler worker` process builds its app once)."""
    from api import worker

    deliver_due(worker.current_app_for_jobs())


def settle(app: Flask | None = None) -> None:
    """Let the events just committed go out before the request goes on (see Notifier.settle)."""
    from flask import current_app

    notifier = (app or current_app).extensions.get(EXTENSION)
    if notifier is not None:
        notifier.settle()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Notifier(app)
