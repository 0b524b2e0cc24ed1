"""The API document and its page speak the pages' language: Simplified Chinese first (every
operation has its Chinese words, api/docs_words.py), English by the switch, Accept-Language or
`?lang=en`, the English words being the ones each `@operation` declares."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from api.docs_words import DESCRIPTIONS, PARAMETER_NOTES, SUMMARIES, TAGS
from api.web.i18n import COOKIE

CJK = re.compile(r"[\u4e00-\u9fff]")
# The page's fixed English words before it spoke Chinese; none may show on the Chinese page.
ENGLISH_PAGE_WORDS = (
    "Machine-readable",
    "Authenticate with",
    "Errors are",
    "Request body",
    "Responses:",
    ">Schemas<",
    ">parameter<",
    ">required<",
    "Roles:",
    "Success",
    "list of ",
)


@pytest.fixture
def reader(app) -> FlaskClient:
    """A browser's client: no Accept-Language unless a test sends one (the suite's own client
    asks the API for English, tests/conftest.py), cookies kept."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def operations(document: dict) -> dict[str, dict]:
    return {
        op["operationId"]: op for methods in document["paths"].values() for op in methods.values()
    }


def declared_summaries(app) -> dict[str, str]:
    """operationId -> the English summary the view's `@operation` declares."""
    said = {}
    for rule in app.url_map.iter_rules():
        op = getattr(app.view_functions.get(rule.endpoint), "openapi", None)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            if op is not None:
                said[rule.endpoint.replace(".", "_") + "_" + method.lower()] = op.summary
    return said


def test_every_operation_parameter_and_section_has_chinese_words(reader, app):
    zh = reader.get("/api/v1/openapi.json")
    en = reader.get("/api/v1/openapi.json?lang=en").json
    assert zh.status_code == 200 and zh.headers["Content-Language"] == "zh-CN"
    chinese, english = operations(zh.json), operations(en)
    assert set(chinese) == set(english) == set(declared_summaries(app))
    missing = []
    for operation_id, op in chinese.items():
        said = [op["summary"], op["description"]]
        said += [p["description"] for p in op.get("parameters", [])]
        said += [r["description"] for r in op["responses"].values()]
        missing += [f"{operation_id}: {text}" for text in said if not CJK.search(text)]
        if op["summary"] == english[operation_id]["summary"]:
            missing.append(f"{operation_id}: the summary is the English one")
        own = english[operation_id]["description"].rpartition("\n\nRoles:")[0]
        if own and " ".join(own.split()[:3]) in op["description"]:
            missing.append(f"{operation_id}: the description is the English one")
    assert not missing, "operations without Chinese words (api/docs_words.py):\n" + "\n".join(
        missing
    )
    document = zh.json
    assert CJK.search(document["info"]["title"]) and CJK.search(document["info"]["description"])
    assert "Accept-Language" in document["info"]["description"]
    assert CJK.search(document["components"]["schemas"]["Problem"]["description"])
    sections = {op["tags"][0] for op in chinese.values()}
    assert {t["name"] for t in document["tags"]} == sections
    assert all(CJK.search(t["description"]) for t in document["tags"]), document["tags"]


def test_the_chinese_document_is_valid_openapi_3_1(reader):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(reader.get("/api/v1/openapi.json?lang=zh-CN").json)


def test_the_english_document_keeps_the_declared_summaries(reader, app):
    response = reader.get("/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert response.headers["Content-Language"] == "en"
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    english = operations(response.json)
    assert {k: op["summary"] for k, op in english.items()} == declared_summaries(app)
    assert english["loads_submit_post"]["description"].endswith("Roles: admin, enterprise.")
    assert not set(SUMMARIES.values()) & {op["summary"] for op in english.values()}


def page_text(response) -> str:
    """What a reader sees: the page's text, its markup and style dropped, entities unescaped."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(page)


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}])
def test_the_page_in_chinese_shows_no_english_summary(reader, app, headers):
    response = reader.get("/api/v1/docs", headers=headers)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert response.headers["Content-Language"] == "zh-CN"
    text = page_text(response)
    shown = [s for s in declared_summaries(app).values() if s in text]
    assert not shown, f"English summaries on the Chinese page: {shown}"
    assert not [w for w in ENGLISH_PAGE_WORDS if w in page]
    assert "申报一个车次；带 Idempotency-Key 请求头可放心重试" in text
    assert "可调用的角色：指挥部 / 园区管理（admin）、企业（enterprise）。" in text
    assert "认证：请求头" in text and ">数据结构<" in page and "车次编号" in text


def test_the_english_switch_shows_the_english_summaries(reader, app):
    chinese_page = reader.get("/api/v1/docs").get_data(as_text=True)
    # the page's own switch, as on every page: the cookie, then back to the docs
    switch = re.search(r'href="(/language/en\?next=[^"]+)"', chinese_page)
    assert switch, "the docs page has no language switch"
    response = reader.get(html.unescape(switch.group(1)), follow_redirects=True)
    assert response.request.path == "/api/v1/docs"
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and response.headers["Content-Language"] == "en"
    text = page_text(response)
    summaries = declared_summaries(app).values()
    assert [s for s in summaries if s not in text] == []
    assert "Authenticate with" in text and "Roles: admin, enterprise." in text
    assert [s for s in SUMMARIES.values() if s in text] == []
    # and back: the switch to Chinese wins over the English cookie
    reader.set_cookie(COOKIE, "zh-CN")
    assert '<html lang="zh-CN">' in reader.get("/api/v1/docs").get_data(as_text=True)


def test_accept_language_and_the_lang_parameter_choose_too(reader):
    english = reader.get("/api/v1/docs", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    reader.set_cookie(COOKIE, "en")
    asked = reader.get("/api/v1/docs?lang=zh-CN")
    assert '<html lang="zh-CN">' in asked.get_data(as_text=True)
    assert reader.get("/api/v1/openapi.json?lang=zh-CN").json["info"]["title"] == "接驳场站排程 API"
    refused = reader.get("/api/v1/docs?lang=fr")
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert [e["field"] for e in refused.json["errors"]] == ["lang"]


def test_no_chinese_words_are_left_for_what_is_gone(reader):
    """Words for a renamed or removed operation, parameter description or section would never
    show: each names something the English document holds."""
    english = operations(reader.get("/api/v1/openapi.json?lang=en").json)
    described = {k for k, op in english.items() if not op["description"].startswith("Roles:")}
    notes = {p.get("description") for op in english.values() for p in op.get("parameters", [])}
    assert set(SUMMARIES) - set(english) == set()
    assert set(DESCRIPTIONS) ^ described == set()
    assert set(PARAMETER_NOTES) - notes == set()
    assert set(TAGS) == {op["tags"][0] for op in english.values()}
