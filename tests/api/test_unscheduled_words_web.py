"""The unscheduled lists (the timeline of the day in force, a plan's page, the loads page) say
why a load has no slot as a sentence; the reason's code stays only in a tooltip (`title`), never
as leading text ("NOT_WHITELISTED 企业不在白名单内" before). Flask's client, both databases."""

from __future__ import annotations

import html
import re

import pytest

from hub_scheduler.domain import ReasonCode
from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.web_pages import ZH, publish_day, signed_in

CODES = [code.value for code in ReasonCode]
REASON = (
    r'<span class="[^"]*reason-text" title="([A-Z_]+)" '
    r'data-reason-code="[A-Z_]+">(.*?)</span>'
)


@pytest.fixture
def in_force(client, tokens, uow, seeded, xunwu):
    return publish_day(client, tokens, uow, xunwu)


def _visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _reasons(page: str) -> list[tuple[str, str]]:
    """(the code in the tooltip, the text shown) of every reason on the page."""
    return [(code, html.unescape(text)) for code, text in re.findall(REASON, page)]


@pytest.mark.parametrize("path", ["/plans/published?date=2026-11-28", "/plans/{plan}", "/loads"])
def test_an_unscheduled_load_shows_its_reason_as_a_sentence_and_the_code_only_as_a_tooltip(
    app, tokens, in_force, path
):
    admin = signed_in(app, tokens, "admin")
    page = admin.get(path.format(plan=in_force["plan"]["id"]), headers=ZH).get_data(as_text=True)
    reasons = _reasons(page)
    assert reasons, "the Xunwu day leaves loads without a slot"
    assert ("NOT_WHITELISTED", "企业不在白名单内") in reasons
    assert all(text and code not in text for code, text in reasons)
    shown = _visible(page)
    assert not [code for code in CODES if re.search(rf"\b{code}\b", shown)]
