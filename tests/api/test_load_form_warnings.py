"""The load form tells the truth at submission: a driver failing the entry screening is stored but
gets no slot until the screening is completed (the banner and the list say so, naming each failed
check), and an arrival already past is warned about. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.test_transfers_web import _form, _signed_in

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _rows(html: str, load_id: str) -> str:
    start = html.index(f'data-row-load-id="{load_id}"')
    return html[start : html.index("</tr>", start)]


def test_an_empty_screening_is_named_in_the_banner_and_the_row(app, client, tokens, xunwu):
    page_client = _signed_in(app, tokens, "enterprise")
    # what a browser sends with the screening left empty: the selects' defaults, no test time
    # and no temperature
    defaults = {"test_type": "pcr", "test_result": "negative", "health_code": "green"}
    form = _form(page_client, id="FU-301", **defaults)
    done = page_client.post("/loads", data=form, headers=ZH)
    assert done.status_code == 303
    stored = client.get("/api/v1/loads/FU-301", headers=tokens["operator"]).json
    codes = [f.split(":")[0] for f in stored["screening_failures"]]
    assert codes == ["NO_TEST", "NO_TEMPERATURE"]  # stored as before, with its reasons

    page = page_client.get(done.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "车次 FU-301 已提交，但入场查验信息补全前不会分配时段：无检测结果、未测体温。" in page
    assert "下次发布排程时分配时段" not in page
    assert "已过" not in page  # the arrival (2026-11-28 08:00) is after the clock's now
    row = _rows(page, "FU-301")
    assert "查验未通过，暂不排程" in row and "无检测结果、未测体温" in row
    assert "等待下次排程" not in row

    english = page_client.get("/loads", headers=EN).get_data(as_text=True)
    row = _rows(english, "FU-301")
    assert "no slot until the screening is completed" in row
    assert "no test result、no temperature taken" in row


def test_a_complete_screening_keeps_the_next_plan_banner(app, client, tokens, xunwu):
    page_client = _signed_in(app, tokens, "enterprise")
    screened = {
        "test_type": "pcr",
        "test_result": "negative",
        "test_time": "2026-11-27T20:00",
        "health_code": "green",
        "body_temperature_c": "36.5",
    }
    done = page_client.post("/loads", data=_form(page_client, id="OK-1", **screened), headers=ZH)
    assert done.status_code == 303
    stored = client.get("/api/v1/loads/OK-1", headers=tokens["operator"]).json
    assert not stored.get("screening_failures")
    page = page_client.get("/loads", headers=ZH).get_data(as_text=True)
    assert "车次 OK-1 已提交，下次发布排程时分配时段。" in page
    assert "等待下次排程" in _rows(page, "OK-1")


def test_an_arrival_already_past_is_warned_and_still_stored(app, client, tokens, xunwu):
    page_client = _signed_in(app, tokens, "enterprise")
    past = _form(page_client, id="LATE-1", release="2026-11-27T08:00", due="2026-11-27T12:00")
    done = page_client.post("/loads", data=past, headers=ZH)
    assert done.status_code == 303
    assert client.get("/api/v1/loads/LATE-1", headers=tokens["operator"]).status_code == 200
    page = page_client.get("/loads", headers=ZH).get_data(as_text=True)
    assert "预计到达时间 2026-11-27 08:00 已过。" in page


def test_a_form_sent_without_its_times_names_them_in_chinese(app, client, tokens, xunwu):
    """The fields a browser sends empty (release, due) are refused in the page's language: a
    problem the services write without a code ("is required") is said as the API says it."""
    page_client = _signed_in(app, tokens, "enterprise")
    empty = _form(page_client, id="NO-TIMES", release="", due="")
    page = page_client.post("/loads", data=empty, headers=ZH)
    assert page.status_code == 200  # the form again, with its errors
    text = page.get_data(as_text=True)
    assert 'id="release-error">必填</span>' in text and 'id="due-error">必填</span>' in text
    assert "<strong>预计到达</strong> 必填" in text
    assert "is required" not in text
    english = page_client.post("/loads", data=empty, headers=EN).get_data(as_text=True)
    assert 'id="release-error">is required</span>' in english
    assert client.get("/api/v1/loads/NO-TIMES", headers=tokens["operator"]).status_code == 404
