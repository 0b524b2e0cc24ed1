"""An enterprise reports a problem on the web (`/reports`) through the API's report service: the
same kinds, tied to the enterprise and optionally one of its own loads; it lists its own reports
and the command centre's answers, never another enterprise's. A bad form is said in Chinese and
nothing is stored; the form needs its CSRF token. On SQLite and PostgreSQL. (Before: only
`POST /api/v1/reports` with a token, which only an admin or the CLI can make.)"""

from __future__ import annotations

import re

import pytest

from api.web import my_reports
from api.web.signin import CSRF_FIELD
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.web_pages import csrf, signed_in

ZH = {"Accept-Language": "zh-CN"}
NUMBER = re.compile(r"R-[0-9A-Z]{6}")


def _reports(client, tokens, who: str = "enterprise") -> list[dict]:
    return client.get("/api/v1/reports", headers=tokens[who]).json["reports"]


def _send(web, data: dict):
    return web.post("/reports", data={CSRF_FIELD: csrf(web, "/reports"), **data}, headers=ZH)


def test_an_enterprise_reports_a_problem_and_reads_the_answer(app, client, tokens, published):
    web = signed_in(app, tokens, "enterprise")
    page = web.get("/reports", headers=ZH).get_data(as_text=True)
    assert "报告问题" in page and "卡口被拒" in page and "暂无报告。" in page
    load_id = client.get("/api/v1/loads", headers=tokens["enterprise"]).json["items"][0]["id"]
    sent = _send(web, {"kind": "wrong_slot", "text": "时段对不上", "load_id": load_id})
    assert sent.status_code == 303
    page = web.get(sent.headers["Location"], headers=ZH).get_data(as_text=True)
    [stored] = _reports(client, tokens)
    assert (stored["kind"], stored["load_id"], stored["enterprise_id"]) == (
        "wrong_slot",
        load_id,
        "E01",
    )
    assert f"报告 {stored['number']} 已提交" in page and "时段有误" in page and "尚未答复" in page

    answered = client.post(
        f"/api/v1/reports/{stored['id']}/answer",
        json={"answer": "已调整到 14:00"},
        headers=tokens["admin"],
    )
    assert answered.status_code == 200, answered.json
    page = web.get("/reports", headers=ZH).get_data(as_text=True)
    assert "已调整到 14:00" in page and "已答复" in page

    other = signed_in(app, tokens, "other_enterprise").get("/reports", headers=ZH)
    shown = other.get_data(as_text=True)
    assert stored["number"] not in shown and "时段对不上" not in shown
    assert NUMBER.search(shown) is None


def test_another_enterprises_load_is_refused_and_nothing_is_stored(app, client, tokens, published):
    load_id = client.get("/api/v1/loads", headers=tokens["enterprise"]).json["items"][0]["id"]
    other = signed_in(app, tokens, "other_enterprise")
    refused = _send(other, {"kind": "no_slot", "text": "没有时段", "load_id": load_id})
    assert refused.status_code == 422
    assert f"车次：本企业没有车次“{load_id}”" in refused.get_data(as_text=True)
    assert _reports(client, tokens, "other_enterprise") == []
    assert _reports(client, tokens, "admin") == []


def _offered(page: str) -> list[str]:
    """The load ids the report form's load list offers (its first, empty option left out)."""
    select = re.search(r'<select id="load_id" name="load_id"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the load is chosen from a list"
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


def test_the_form_offers_only_the_enterprises_own_loads(app, client, tokens, published, xunwu):
    own = {ld.id for ld in xunwu.loads if ld.enterprise_id == "E01"}
    others = {ld.id for ld in xunwu.loads if ld.enterprise_id == "E02"}
    page = signed_in(app, tokens, "enterprise").get("/reports", headers=ZH)
    offered = _offered(page.get_data(as_text=True))
    assert set(offered) == own and len(offered) == len(own)
    assert not set(offered) & others
    assert "— 不涉及具体车次 —" in page.get_data(as_text=True)


def test_a_hand_made_post_naming_another_enterprises_load_is_refused_at_the_field(
    app, client, tokens, published, xunwu
):
    theirs = next(ld.id for ld in xunwu.loads if ld.enterprise_id == "E02")
    web = signed_in(app, tokens, "enterprise")
    refused = _send(web, {"kind": "no_slot", "text": "没有时段", "load_id": theirs})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    said = re.search(r'<p class="field-error" role="alert" id="load_id-error">([^<]*)</p>', page)
    assert (
        said
        and said.group(1)
        == f"车次：本企业没有车次“{theirs}”，请从列表中选择或输入本企业的车次编号。"
    )
    assert theirs not in _offered(page)  # the form again, still offering only its own
    assert _reports(client, tokens, "admin") == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "lost", "text": "x"}, "请选择问题类型。"),
        ({"kind": "no_slot", "text": "  "}, "此项必填。"),
        ({"kind": "no_slot", "text": "x", "hub_id": "NOWHERE"}, "没有这个中转站。"),
    ],
)
def test_a_bad_form_is_said_in_chinese_and_nothing_is_stored(app, client, tokens, data, words):
    refused = _send(signed_in(app, tokens, "enterprise"), data)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "报告未提交，请修改标出的项目。" in page and words in page
    assert _reports(client, tokens, "admin") == []


def test_the_form_needs_its_csrf_token_and_an_enterprise(app, client, tokens):
    web = signed_in(app, tokens, "enterprise")
    for data in ({}, {CSRF_FIELD: "guess"}):
        refused = web.post("/reports", data={**data, "kind": "other", "text": "x"}, headers=ZH)
        assert refused.status_code == 400 and "表单已过期" in refused.get_data(as_text=True)
    assert _reports(client, tokens, "admin") == []
    for role in ("admin", "operator"):
        assert signed_in(app, tokens, role).get("/reports").status_code == 403
    assert app.test_client().get("/reports").status_code in (302, 303)


def _said(page: str, field: str) -> str | None:
    said = re.search(rf'<p class="field-error" role="alert" id="{field}-error">([^<]*)</p>', page)
    return said.group(1) if said else None


def test_an_older_load_beyond_the_list_is_typed_by_its_id(
    app, client, tokens, published, xunwu, monkeypatch
):
    """The list holds the latest CHOICES loads (two here, as if the enterprise had more than
    300): the oldest is not offered, and typing its id reports about it."""
    monkeypatch.setattr(my_reports, "CHOICES", 2)
    own = sorted((ld for ld in xunwu.loads if ld.enterprise_id == "E01"), key=lambda ld: ld.release)
    oldest = own[0].id
    web = signed_in(app, tokens, "enterprise")
    page = web.get("/reports", headers=ZH).get_data(as_text=True)
    assert oldest not in _offered(page) and len(_offered(page)) == 2
    assert '<label for="load_id_typed">或输入车次编号</label>' in page
    assert "列表只列出本企业最近的 2 个车次；更早的车次请在此输入编号。" in page

    sent = _send(web, {"kind": "wrong_slot", "text": "旧车次", "load_id_typed": f" {oldest} "})
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    [stored] = _reports(client, tokens)
    assert (stored["load_id"], stored["enterprise_id"]) == (oldest, "E01")


def test_a_typed_id_not_of_the_enterprise_is_refused_at_its_field_saying_nothing_more(
    app, client, tokens, published, xunwu
):
    """Another enterprise's id and an id nobody has get the same words (only the id differs),
    so the page never tells whether another enterprise has such a load."""
    theirs = next(ld.id for ld in xunwu.loads if ld.enterprise_id == "E02")
    assert theirs not in {ld.id for ld in xunwu.loads if ld.enterprise_id == "E01"}
    web = signed_in(app, tokens, "enterprise")
    words = {}
    for typed in (theirs, "NO-SUCH-LOAD", "x" * 500):
        refused = _send(web, {"kind": "no_slot", "text": "没有时段", "load_id_typed": typed})
        assert refused.status_code == 422, typed
        page = refused.get_data(as_text=True)
        words[typed] = _said(page, "load_id_typed")
        assert _said(page, "load_id") is None
        assert 'aria-invalid="true"' in page and f'value="{typed}"' in page
    assert (
        words[theirs] == f"车次：本企业没有车次“{theirs}”，请从列表中选择或输入本企业的车次编号。"
    )
    assert words["NO-SUCH-LOAD"] == words[theirs].replace(theirs, "NO-SUCH-LOAD")
    assert _reports(client, tokens, "admin") == []


def test_a_load_chosen_and_another_typed_is_refused(app, client, tokens, published, xunwu):
    first, second, *_ = [ld.id for ld in xunwu.loads if ld.enterprise_id == "E01"]
    web = signed_in(app, tokens, "enterprise")
    refused = _send(
        web, {"kind": "no_slot", "text": "x", "load_id": first, "load_id_typed": second}
    )
    assert refused.status_code == 422
    said = _said(refused.get_data(as_text=True), "load_id_typed")
    assert said == "请从列表中选择车次或输入车次编号，二者不能是不同的车次。"
    same = _send(web, {"kind": "no_slot", "text": "x", "load_id": first, "load_id_typed": first})
    assert same.status_code == 303
    assert [r["load_id"] for r in _reports(client, tokens)] == [first]
