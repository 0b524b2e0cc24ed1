"""The API's problems in the reader's language: zh-CN by default and for `Accept-Language: zh-CN`,
English for `en`, as the pages choose. Title, detail and each field's message are said in the
language; `type`, `status`, codes, fields and params are the same in both. The zh answers hold
no English words (ids, field names and times are data, not words). On SQLite and PostgreSQL.

(Every other API test asks for English: tests/conftest.py's ApiInEnglishClient.)"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from api.moment_words import moment_words
from hub_scheduler.services.jobs import utc_now
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.conftest import load_body

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Runs of two or more English words; ids (L-1, XW-LP), field names (`release`) and times are single
# tokens and not words of a sentence.
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,})+\b")


@pytest.fixture
def app_settings():
    return {"HUB_SCHEDULER_AUTH_FAILURE_LIMIT": "3 per minute"}


def _texts(body: dict) -> list[str]:
    return [body["title"], body["detail"], *(e["message"] for e in body.get("errors", []))]


def _in_chinese(response) -> dict:
    """The problem, asserted to be said in Chinese throughout: each text holds Chinese words and
    no run of English words."""
    assert response.mimetype == "application/problem+json"
    assert response.headers["Content-Language"] == "zh-CN"
    body = response.json
    for text in _texts(body):
        assert _CJK.search(text), (text, body)
        assert not _ENGLISH_RUN.findall(text), (text, body)
    return body


def _machine_parts(body: dict) -> dict:
    """What a program reads; a param `now` (the clock at each request) aside."""
    errors = [
        {k: _unclocked(v) if k == "params" else v for k, v in e.items() if k != "message"}
        for e in body.get("errors", [])
    ]
    return {"type": body["type"], "status": body["status"], "errors": errors}


def _unclocked(params: dict) -> dict:
    return {k: v for k, v in params.items() if k != "now"}


def _both(client, method: str, path: str, headers: dict, **kwargs) -> tuple[dict, dict]:
    """The same request in Chinese and in English: the two bodies, whose machine-readable parts
    are asserted to be the same."""
    zh = client.open(path, method=method, headers={**headers, **ZH}, **kwargs)
    en = client.open(path, method=method, headers={**headers, **EN}, **kwargs)
    assert zh.status_code == en.status_code
    assert en.headers["Content-Language"] == "en"
    assert _machine_parts(zh.json) == _machine_parts(en.json)
    return _in_chinese(zh), en.json


def test_a_refused_load_names_each_field_in_chinese_and_in_english(client, tokens, xunwu):
    body = load_body(xunwu, release="2026-11-28T08:00:00", handling_minutes="long", colour="red")
    zh, en = _both(client, "POST", "/api/v1/loads", tokens["enterprise"], json=body)
    assert zh["status"] == 422 and zh["title"] == "校验未通过"
    assert en["title"] == "Validation failed" and en["detail"] == "the request body is not valid"
    assert zh["detail"] == "请求内容不符合要求"
    said = {e["field"]: e["message"] for e in zh["errors"]}
    assert said["release"].startswith("须为带时区偏移的 ISO-8601 时间")
    assert said["handling_minutes"] == "须为整数"
    assert said["colour"] == "不是可接受的字段"
    english = {e["field"]: e["message"] for e in en["errors"]}
    assert english["colour"] == "extra inputs are not permitted"


def test_coded_field_errors_are_said_by_their_code(client, tokens, xunwu):
    body = load_body(xunwu, due="2026-11-27T08:00:00+08:00", allowed_hubs=["NOWHERE"])
    zh, en = _both(client, "POST", "/api/v1/loads", tokens["enterprise"], json=body)
    said = {e["code"]: e["message"] for e in zh["errors"] if e.get("code")}
    assert said["before_release"] == "不能早于预计到达时间"
    assert said["unknown_hub"] == "未知场站“NOWHERE”"
    assert {e["code"] for e in en["errors"] if e.get("code")} >= {"before_release", "unknown_hub"}


def test_the_default_is_chinese_without_accept_language(app, tokens):
    plain = FlaskClient(app, app.response_class, use_cookies=True)  # sends no Accept-Language
    response = plain.get("/api/v1/loads/NOPE", headers=tokens["admin"])
    assert response.status_code == 404
    assert _in_chinese(response)["detail"] == "没有车次“NOPE”"


def test_not_found_in_chinese_and_in_english(client, tokens):
    zh, en = _both(client, "GET", "/api/v1/loads/NOPE", tokens["admin"])
    assert zh["status"] == 404 and zh["title"] == "未找到" and zh["detail"] == "没有车次“NOPE”"
    assert en["title"] == "Not found" and en["detail"] == 'no load "NOPE"'
    zh, en = _both(client, "GET", "/api/v1/plans/4711", tokens["admin"])
    assert zh["detail"] == "没有排程 4711" and en["detail"] == "no plan 4711"
    zh, en = _both(client, "GET", "/api/v1/no-such-thing", tokens["admin"])
    assert zh["status"] == 404 and en["title"] == "Not Found"


def test_a_conflict_in_chinese_and_in_english(client, tokens, xunwu):
    body = load_body(xunwu)
    created = client.post("/api/v1/loads", json=body, headers=tokens["enterprise"])
    assert created.status_code == 201, created.json
    load_id = created.json["id"]
    assert client.delete(f"/api/v1/loads/{load_id}", headers=tokens["enterprise"]).status_code in (
        200,
        204,
    )
    zh, en = _both(client, "POST", f"/api/v1/loads/{load_id}/start", tokens["operator"], json={})
    assert zh["status"] == 409 and zh["title"] == "状态冲突"
    assert zh["detail"] == f"车次“{load_id}”当前为已取消，不能改为作业中"
    assert en["detail"] == f'load "{load_id}" is cancelled; it cannot become in_operation'


def test_unauthorized_and_forbidden_in_chinese_and_in_english(client, tokens):
    zh, en = _both(client, "GET", "/api/v1/hubs", {})
    assert zh["status"] == 401 and zh["title"] == "未登录"
    assert zh["detail"] == "此接口需要 Authorization: Bearer <令牌> 请求头"
    assert en["detail"] == "this endpoint needs an Authorization: Bearer <token> header"
    body = {"horizon": {"start": "2026-11-28T00:00:00+08:00", "end": "2026-11-29T00:00:00+08:00"}}
    zh, en = _both(client, "POST", "/api/v1/plans", tokens["enterprise"], json=body)
    assert zh["status"] == 403 and zh["title"] == "无权操作"
    assert zh["detail"] == "企业令牌无权执行此操作（需要：指挥部 / 园区管理）"
    assert en["detail"].startswith("a enterprise token may not do this")


def test_too_many_requests_in_chinese(client):
    bad = {"Authorization": "Bearer hs_guessed", **ZH}
    statuses = [client.get("/api/v1/hubs", headers=bad).status_code for _ in range(4)]
    assert statuses[-1] == 429, statuses
    body = _in_chinese(client.get("/api/v1/hubs", headers=bad))
    assert body["title"] == "请求过于频繁" and body["status"] == 429


def test_a_gate_time_in_the_future_in_chinese_and_in_english(client, tokens, in_force):
    slot = min(in_force["assignments"], key=lambda a: a["start"])
    at = (utc_now() + timedelta(hours=6)).isoformat()
    path = f"/api/v1/loads/{slot['load_id']}/check-in"
    zh, en = _both(client, "POST", path, tokens["operator"], json={"at": at, "has_pass": True})
    [error] = zh["errors"]
    assert error["code"] == "arrival_in_future" and error["field"] == "at"
    shown = {k: moment_words(error["params"][k]) for k in ("at", "now")}  # as a page says
    assert error["message"] == (
        f"到达时间（{shown['at']}）晚于当前时间（{shown['now']}），不能填写将来的时间"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown["at"])
    assert zh["detail"] == "到达时间晚于当前时间"
    assert en["detail"] == "the arrival time is later than now"
    path = f"/api/v1/loads/{slot['load_id']}/no-show"
    zh, _ = _both(client, "POST", path, tokens["operator"], json={"at": at})
    assert zh["errors"][0]["code"] == "time_in_future"
    assert zh["errors"][0]["message"].startswith("登记时间（")


def test_a_load_warning_is_said_in_the_request_language(client, tokens, xunwu):
    past = {"release": "2026-11-26T08:00:00+08:00", "due": "2026-11-26T12:00:00+08:00"}
    body = {**load_body(xunwu), **past, "id": "PAST-ZH"}
    zh = client.post("/api/v1/loads", json=body, headers={**tokens["enterprise"], **ZH})
    assert zh.status_code == 201, zh.json
    [warning] = zh.json["warnings"]
    assert warning["code"] == "release_past"
    assert warning["params"] == {"release": "2026-11-26T08:00:00+08:00"}
    assert warning["message"] == "预计到达时间 2026-11-26 08:00 已过"


def test_the_openapi_document_says_messages_follow_accept_language(client):
    document = client.get("/api/v1/openapi.json").json
    assert "Accept-Language" in document["info"]["description"]
    problem = document["components"]["schemas"]["Problem"]
    assert "Accept-Language" in problem["description"]
    assert {"code", "params", "message"} <= set(
        problem["properties"]["errors"]["items"]["properties"]
    )
