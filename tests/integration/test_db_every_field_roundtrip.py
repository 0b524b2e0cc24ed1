"""Property: every stored model, with every declared field drawn, comes back equal (both databases).

The strategies come from the models' fields (generated.py), so a field added to `Hub`, `Load`,
`Plan`... is exercised here at once, and one that `models/convert.py` or `models/tables.py` does not
keep makes these tests fail.
"""

from __future__ import annotations

import uuid

import pytest
from generated import models_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import enterprise, hub, load, plan, stored

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Enterprise,
    Hub,
    Load,
    Schedule,
    Transfer,
    Unscheduled,
    Zone,
)
from hub_scheduler.records import Activation, ApiToken, AuditEntry, Incident, Plan

fresh_ids = st.builds(lambda: uuid.uuid4().hex)  # examples share one database: ids never meet


def _docks_unique(hub: Hub) -> bool:
    docks = [d.id for z in hub.zones for d in z.docks]
    return len(docks) == len(set(docks))


zones = models_of(Zone)
hubs = models_of(
    Hub,
    id=fresh_ids,
    zones=st.lists(zones, max_size=3, unique_by=lambda z: z.id),
    blocked=st.lists(
        models_of(BlockedWindow),
        max_size=3,
        unique_by=lambda b: uuid.uuid4().hex if b.id is None else b.id,
    ),
).filter(_docks_unique)
schedules = models_of(
    Schedule,
    assignments=st.lists(models_of(Assignment), max_size=3, unique_by=lambda a: a.load_id),
    unscheduled=st.lists(models_of(Unscheduled), max_size=3, unique_by=lambda u: u.load_id),
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def base(uow):
    """An enterprise E1 and a plan for the records that name them; returns the plan id."""
    with uow:
        uow.enterprises.add(enterprise("E1"))
        plan_id = uow.plans.add(plan()).id
        uow.commit()
    return plan_id


@SETTINGS
@given(before=hubs, after=hubs)
def test_any_hub_and_any_update_of_it_come_back_equal(uow, before, after):
    after = after.model_copy(update={"id": before.id})
    assert stored(uow, lambda u: u.hubs.add(before)) == before
    with uow:
        assert uow.hubs.get(before.id) == before
    stored(uow, lambda u: u.hubs.update(after))  # zones, docks and windows move or vanish
    with uow:
        assert uow.hubs.get(after.id) == after


@SETTINGS
@given(original=models_of(Enterprise, id=fresh_ids))
def test_any_enterprise_comes_back_equal(uow, original):
    stored(uow, lambda u: u.enterprises.add(original))
    with uow:
        assert uow.enterprises.get(original.id) == original


@SETTINGS
@given(original=models_of(Load, id=fresh_ids, enterprise_id=st.just("E1")), outbound=fresh_ids)
def test_any_load_and_its_transfer_come_back_equal(uow, base, original, outbound):
    second = original.model_copy(update={"id": outbound})
    assert stored(uow, lambda u: u.loads.add(original)) == original
    stored(uow, lambda u: u.loads.add_many([second]))
    with uow:
        assert uow.loads.get(original.id) == original
        assert uow.loads.get_many([outbound]) == [second]


@SETTINGS
@given(data=st.data())
def test_any_transfer_comes_back_equal(uow, base, data):
    inbound, outbound = data.draw(fresh_ids), data.draw(fresh_ids)
    loads = data.draw(
        st.lists(models_of(Load, id=fresh_ids, enterprise_id=st.just("E1")), min_size=2, max_size=2)
    )
    stored(
        uow,
        lambda u: u.loads.add_many(
            [
                loads[0].model_copy(update={"id": inbound}),
                loads[1].model_copy(update={"id": outbound}),
            ]
        ),
    )
    original = data.draw(models_of(Transfer, inbound=st.just(inbound), outbound=st.just(outbound)))
    stored(uow, lambda u: u.transfers.add(original))
    with uow:
        assert uow.transfers.for_load(inbound) == [original]


@SETTINGS
# parent_id names a stored plan (a split job's parent, a foreign key): the split tests store those.
# figures_pending is read from the plan's versions, never written: a stored plan has none pending
# (test_db_figures_recount.py edits its rows).
@given(
    original=models_of(
        Plan, schedule=st.none() | schedules, parent_id=st.none(), figures_pending=st.just(False)
    )
)
def test_any_plan_with_its_schedule_comes_back_equal(uow, original):
    def add(u):
        # One published plan per horizon: an earlier example's plan of this horizon steps down.
        for other in u.plans.list(
            horizon_start=original.horizon_start, horizon_end=original.horizon_end, published=True
        ):
            u.plans.unpublish(other.id)
        return u.plans.add(original)

    saved = stored(uow, add)
    assert saved == original.model_copy(update={"id": saved.id})
    with uow:
        assert uow.plans.get(saved.id) == saved


@SETTINGS
@given(data=st.data())
def test_any_activation_incident_audit_entry_and_token_comes_back_equal(uow, base, data):
    plan_ids = st.none() | st.just(base)
    records = [
        (lambda u: u.activations, data.draw(models_of(Activation, plan_id=plan_ids))),
        (lambda u: u.incidents, data.draw(models_of(Incident, plan_id=plan_ids))),
        (lambda u: u.audit, data.draw(models_of(AuditEntry))),
        (
            lambda u: u.tokens,
            data.draw(
                models_of(
                    ApiToken,
                    token_hash=fresh_ids.map(lambda h: (h * 2)[:64]),
                    enterprise_id=st.none() | st.just("E1"),
                )
            ),
        ),
    ]
    for repository, original in records:
        saved = stored(uow, lambda u, r=repository, o=original: r(u).add(o))
        assert saved == original.model_copy(update={"id": saved.id})
        with uow:
            back = repository(uow).get(saved.id) if original is not records[2][1] else saved
        assert back == saved


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_generators_draw_every_declared_field_of_every_stored_model(data):
    # The guard for the guard: models_of builds from model_fields, so no field is left to default.
    for model in (Hub, Zone, BlockedWindow, Enterprise, Load, Transfer, Schedule, Plan, Incident):
        drawn = data.draw(models_of(model))
        assert drawn.model_fields_set == set(model.model_fields), model.__name__


def test_the_full_samples_set_every_field_so_a_new_one_must_be_given_a_value():
    # samples.py is read by people; this keeps its "every optional field filled" promise true.
    for sample, model in ((hub(), Hub), (enterprise(), Enterprise), (load(), Load)):
        assert sample.model_fields_set == set(model.model_fields), model.__name__
