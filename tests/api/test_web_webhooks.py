"""The webhook admin page (`/admin/webhooks`, issue 13) on SQLite and PostgreSQL: create (the
secret shown once), bad input answered 4xx in Chinese with nothing written, the deliveries of a
real receiver on 127.0.0.1 (a new problem report's `report.received`), re-enable and delete; and
`report.received` carries no contact details."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from werkzeug.datastructures import MultiDict

from api import create_app
from api.database import db
from api.web.signin import CSRF_FIELD
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.test_webhooks import Receiver
from tests.api.web_pages import ZH, csrf, signed_in


@pytest.fixture
def app(api_database_url):  # noqa: F811
    app = create_app(
        {
            "DATABASE_URL": api_database_url,
            "HUB_SCHEDULER_WEBHOOK_ALLOW_PRIVATE": True,  # the receiver is on 127.0.0.1
            "HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1,.example.org",
            "HUB_SCHEDULER_WEBHOOK_RETRY_BASE_S": 0.2,
            "HUB_SCHEDULER_AUTH_FAILURE_LIMIT": "100000 per minute",
            "TESTING": True,
        }
    )
    yield app
    db.dispose(app)


@pytest.fixture
def admin(app, tokens):
    return signed_in(app, tokens, "admin")


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def post(client, path: str, data: dict | list):
    token = csrf(client, "/admin/webhooks")
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    return client.post(path, data=MultiDict([*pairs, (CSRF_FIELD, token)]), headers=ZH)


def hooks(client, tokens) -> list[dict]:
    return client.get("/api/v1/webhooks", headers=tokens["admin"]).json


def test_only_an_admin_sees_the_page(app, tokens, admin):
    page = admin.get("/admin/webhooks", headers=ZH).get_data(as_text=True)
    assert "Webhook 订阅" in page and "收到问题反映" in page and "report.received" in page
    assert signed_in(app, tokens, "operator").get("/admin/webhooks").status_code == 403
    assert app.test_client().get("/admin/webhooks").status_code == 302


def test_a_post_without_the_csrf_token_writes_nothing(client, tokens, admin):
    refused = admin.post("/admin/webhooks", data={"url": "http://127.0.0.1:9/", "events": "*"})
    assert refused.status_code in (400, 403)
    assert hooks(client, tokens) == []


@pytest.mark.parametrize(
    ("form", "said"),
    [
        (
            [("url", "ftp://x.example/"), ("events", "*")],
            "地址须以 http://、https:// 或 mailto: 开头。",
        ),
        ([("url", "http://127.0.0.1:9/")], "请至少选择一种事件类型。"),
        ([("url", "http://127.0.0.1:9/"), ("events", "nope")], "没有事件类型“nope”。"),
        (
            [("url", "http://127.0.0.1:9/"), ("events", "*"), ("secret", "short")],
            "密钥须为 whsec_",
        ),
        (
            [("url", "http://127.0.0.1:9/"), ("events", "*"), ("owner", "hub"), ("hub_id", "XX")],
            "没有场站“XX”。",
        ),
        (
            [("url", "http://127.0.0.1:9/"), ("events", "*"), ("owner", "boss")],
            "请选择订阅谁的事件",
        ),
    ],
)
def test_bad_input_is_a_4xx_in_chinese_and_writes_nothing(client, tokens, admin, form, said):
    answer = post(admin, "/admin/webhooks", form)
    page = answer.get_data(as_text=True)
    assert 400 <= answer.status_code < 500, page
    assert said in page
    assert hooks(client, tokens) == []
    assert 'value="http://127.0.0.1:9/"' in page or "ftp://x.example/" in page  # kept


def test_the_english_switch_says_it_in_english(client, tokens, admin):
    admin.set_cookie("hub_lang", "en")
    token = csrf(admin, "/admin/webhooks")
    answer = admin.post(
        "/admin/webhooks", data={"url": "ftp://x/", "events": "*", CSRF_FIELD: token}
    )
    assert answer.status_code == 422
    assert "The address must start with http://, https:// or mailto:." in answer.get_data(
        as_text=True
    )


def test_create_shows_the_secret_once_then_deliveries_enable_and_delete(
    client, tokens, admin, receiver
):
    created = post(
        admin,
        "/admin/webhooks",
        [("url", receiver.url), ("events", "report.received"), ("owner", "command")],
    )
    page = created.get_data(as_text=True)
    assert created.status_code == 201, page
    secret = re.search(r'<code id="new-secret">(whsec_[^<]+)</code>', page).group(1)
    [hook] = hooks(client, tokens)
    assert hook["owner_kind"] == "command" and hook["events"] == ["report.received"]
    listing = admin.get("/admin/webhooks", headers=ZH).get_data(as_text=True)
    assert secret not in listing and receiver.url in listing and "启用中" in listing

    # A new problem report reaches the command centre's receiver without contact or text.
    reported = client.post(
        "/api/v1/reports",
        json={"kind": "no_slot", "text": "没有时段，电话 13900000000", "hub_id": "XW-LP"},
        headers=tokens["enterprise"],
    )
    assert reported.status_code == 201, reported.json
    [event] = receiver.wait_for(lambda ev: len(ev) >= 1)
    assert event["type"] == "report.received"
    assert event["data"]["number"] == reported.json["number"]
    assert event["data"]["hub_id"] == "XW-LP" and event["data"]["source"] == "enterprise"
    assert "13900000000" not in str(event) and "text" not in event["data"]

    shown = client.get(f"/api/v1/webhooks/{hook['id']}", headers=tokens["admin"]).json
    for _ in range(50):  # the attempt is logged just after the receiver answered
        if shown["deliveries"] and shown["deliveries"][0]["log"]:
            break
        time.sleep(0.05)
        shown = client.get(f"/api/v1/webhooks/{hook['id']}", headers=tokens["admin"]).json
    attempt = shown["deliveries"][0]["log"][0]
    at = datetime.fromisoformat(attempt["at"])  # written in the site's zone (+08:00)
    deliveries = admin.get(f"/admin/webhooks/{hook['id']}", headers=ZH).get_data(as_text=True)
    row = re.search(
        r'<table class="data responsive" id="delivery-list">.*?</table>', deliveries, re.S
    )
    assert row is not None
    text = row.group(0)
    assert at.strftime("%m-%d %H:%M") in text and at.utcoffset().total_seconds() == 8 * 3600
    assert "report.received" in text and ">204<" in text and "第 1 次" in text and "毫秒" in text

    # Disabled by failures (as the deliverer would), then re-enabled by hand from the page.
    with db.uow(client.application) as uow:
        stored = uow.webhooks.get(hook["id"])
        uow.webhooks.update(
            stored.model_copy(update={"enabled": False, "failures": 20, "disabled_reason": "x"})
        )
        uow.commit()
    listing = admin.get("/admin/webhooks", headers=ZH).get_data(as_text=True)
    assert "已停用" in listing and "连续失败 20 次" in listing
    enabled = post(admin, f"/admin/webhooks/{hook['id']}/enable", {})
    assert enabled.status_code == 303
    assert hooks(client, tokens)[0]["enabled"] and hooks(client, tokens)[0]["failures"] == 0

    deleted = post(admin, f"/admin/webhooks/{hook['id']}/delete", {})
    assert deleted.status_code == 303
    assert hooks(client, tokens) == []
    assert post(admin, f"/admin/webhooks/{hook['id']}/delete", {}).status_code == 404


def test_a_public_report_tells_the_command_centre_without_the_contact(client, uow, seeded):
    from hub_scheduler.services import reports

    report, _ = reports.submit(
        uow,
        None,
        kind="hub_closed",
        text="场站关了",
        contact=reports.Contact(name="李四", phone="13900000000", email="li@example.cn"),
    )
    with uow:
        found = [
            e for e in uow.events.list(audiences=[("command", None)]) if e.type == "report.received"
        ]
    [event] = found
    assert event.data["number"] == report.number and event.data["source"] == "public"
    assert not {"李四", "13900000000", "li@example.cn", "场站关了"} & set(
        map(str, event.data.values())
    )
