"""An address no route has: a browser gets the site's HTML 404 (Chinese first, English by the
switch); `/api/...` and clients asking for JSON keep problem+json."""

from __future__ import annotations

import pytest

BROWSER = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
}


@pytest.mark.parametrize("path", ["/nonexistent", "/plans/7/nothing-here", "/loads/a/b/c"])
def test_a_browser_asking_for_an_unknown_address_gets_the_chinese_html_404(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and 'class="topbar"' in page  # the site's look
    assert "未找到" in page and "没有这个地址的页面" in page
    assert "Not Found" not in page and "problem" not in page
    assert response.headers["Content-Language"] == "zh-CN"
    assert "no-store" in response.headers["Cache-Control"]
    assert "/language/en?next=" in page  # the switch, back to the same address


def test_the_switch_shows_the_404_in_english(client):
    client.get("/language/en")
    page = client.get("/nonexistent", headers=BROWSER).get_data(as_text=True)
    assert '<html lang="en">' in page and "No page has this address." in page
    assert "未找到" not in page


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/nothing", BROWSER),  # the API stays JSON, even for a browser
        ("/nonexistent", {"Accept": "application/json"}),
        ("/nonexistent", {"Accept": "*/*"}),  # curl
        ("/nonexistent", {}),
    ],
)
def test_the_api_and_json_clients_keep_problem_json(client, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_a_page_of_a_missing_thing_is_still_the_page_blueprints_html(client):
    missing = client.get("/web-static/nothing.css", headers=BROWSER)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
