"""The activation preview counts as "可排入此场站" only loads the planner could place there: a load
refused for H11 (its enterprise not on the white-list on its release day, its driver failing
screening) is not offered, and its enterprise is not listed as affected. (Before: every load
without a slot was offered, the non-white-listed firms named.)"""

from __future__ import annotations

from api.database import db
from hub_scheduler.services.impact import hub_switch_impact
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.live_day import key

STANDBY_HUB = "XW-SA-N"
H11 = {"enterprise_unknown", "enterprise_not_listed", "screening_failed"}


def test_the_activation_preview_leaves_out_loads_h11_refuses(app, client, tokens, published):
    refused = {key(u) for u in published["unscheduled"] if u["reason_detail"] in H11}
    assert refused, "the demo day has loads refused for H11"
    uow = db.uow(app)
    with uow:
        listed = {e.id for e in uow.enterprises.list() if e.whitelisted}
        refused_firms = {ld.enterprise_id for ld in uow.loads.get_many(refused)} - listed

    impact = hub_switch_impact(db.uow(app), STANDBY_HUB, "activate")

    offered = {ld.id for ld in impact.waiting + impact.may_move}
    assert offered, "the standby hub is offered some loads"
    assert not offered & refused
    assert not set(impact.enterprises) & refused_firms
    assert set(impact.enterprises) <= listed
