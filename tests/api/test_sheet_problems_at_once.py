"""A sheet's problems come in one answer: every problem of every row (cell types, unknown
enterprise, due before release, a relay to a load nobody has), each at its row and column, in
Chinese on the page and as problem+json in the API; a check that needs a bad cell is skipped for
that row only (a relay from a row that cannot be read is not called unknown), and nothing is
written. (Before: the cell problems alone; the others only once those were fixed.) On SQLite and
PostgreSQL."""

from __future__ import annotations

from tests.api.both_databases import api_database_url  # noqa: F401  (the fixture, both databases)
from tests.api.test_sheet_problems_words import _api_errors, _problems, _said, _upload
from tests.api.web_pages import ZH, signed_in

HEADER = (
    "id,enterprise_id,category,temperature,handling_minutes,release,due,transfer_to,transfer_from"
)
ROWS = (
    # 2: a handling time that is no number, an enterprise nobody knows, due before release
    "B1,E99,medical_supplies,cold,abc,2026-11-28 09:00,2026-11-28 08:00,,",
    # 3: good cells, but due before release and a relay to a load nobody has
    "B2,E01,medical_supplies,cold,30,2026-11-28 09:00,2026-11-28 08:00,Q9,",
    # 4: a handling time that is no number
    "B4,E01,medical_supplies,cold,xyz,2026-11-28 09:00,2026-11-28 12:00,,",
    # 5: a relay from row 4, which cannot be read: checked once it can be
    "B5,E01,medical_supplies,cold,30,2026-11-28 13:00,2026-11-28 15:00,,B4",
    # 6: good
    "B6,E01,medical_supplies,cold,30,2026-11-28 09:00,2026-11-28 12:00,,",
)
SHEET = "\n".join([HEADER, *ROWS]) + "\n"


def _count(uow) -> int:
    with uow:
        return uow.loads.count()


def test_the_api_lists_every_problem_of_every_row_at_once(client, tokens, uow):
    errors = _api_errors(client, tokens, SHEET, role="admin")
    assert {(e["row"], e["column"], e["cell"], e["code"]) for e in errors} == {
        (2, "handling_minutes", "E2", "number"),
        (2, "enterprise_id", "B2", "unknown_enterprise"),
        (2, "due", "G2", "before_release"),
        (3, "due", "G3", "before_release"),
        (3, "transfer_to", "H3", "relay_unknown"),
        (4, "handling_minutes", "E4", "number"),
    }
    assert len(errors) == 6  # each once
    assert [e["row"] for e in errors] == sorted(e["row"] for e in errors)
    assert _count(uow) == 0  # all or nothing


def test_the_page_says_every_problem_in_chinese_at_once(app, tokens, uow):
    page = _upload(signed_in(app, tokens, "admin"), ZH, SHEET)
    said = _said(_problems(page))
    for words in (
        "“abc”不是数字",
        "未知企业“E99”",
        "不能早于预计到达时间",
        "未知车次“Q9”",
        "“xyz”不是数字",
    ):
        assert words in said, (words, said)
    assert said.count("不能早于预计到达时间") == 2
    assert "B4" not in said  # the relay from the unreadable row is not called unknown
    assert _count(uow) == 0
