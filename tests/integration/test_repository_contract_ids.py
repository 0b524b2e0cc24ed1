"""The repository contract for ids: what every repository does with a missing or a taken id, the
order ids are given in, paging and counting."""

from __future__ import annotations

import pytest
from samples import at, enterprise, hub, load, plan, stored

from hub_scheduler.domain import BlockedWindow, LoadStatus
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.records import Activation, Incident, JobStatus


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


# --- what every repository does with a missing or a taken id --------------------------------------


MISSING_UPDATES = {
    "hubs": lambda u: u.hubs.update(hub("nope")),
    "hub status": lambda u: u.hubs.set_status("nope", "standby"),
    "blocked window": lambda u: u.hubs.add_blocked("nope", BlockedWindow(start=at(1), end=at(2))),
    "enterprises": lambda u: u.enterprises.update(enterprise("nope")),
    "loads": lambda u: u.loads.update(load("nope")),
    "load status": lambda u: u.loads.set_status("nope", LoadStatus.CANCELLED),
    "tokens": lambda u: u.tokens.revoke(999),
    "plans": lambda u: u.plans.update(plan().model_copy(update={"id": 999})),
    "plan status": lambda u: u.plans.set_status(999, JobStatus.RUNNING),
    "publish": lambda u: u.plans.publish(999),
    "activations": lambda u: u.activations.update(
        Activation(id=999, hub_ids=["H1"], reason="r", actor="a", at=at(1))
    ),
    "incidents": lambda u: u.incidents.update(Incident(id=999, reported_at=at(1), actor="a")),
}


@pytest.mark.parametrize("change", sorted(MISSING_UPDATES))
def test_changing_what_is_not_stored_is_not_found(uow, change):
    with uow, pytest.raises(NotFound):
        MISSING_UPDATES[change](uow)


def test_a_taken_id_is_a_conflict_and_the_first_one_stays(uow):
    stored(uow, lambda u: [u.hubs.add(hub()), u.enterprises.add(enterprise())])
    for again in (
        lambda u: u.hubs.add(hub(name="again")),
        lambda u: u.enterprises.add(enterprise(name="again")),
    ):
        with uow, pytest.raises(Conflict):
            again(uow)
    with uow:
        assert uow.hubs.get("H1") == hub() and uow.enterprises.get("E1") == enterprise()


def test_missing_ids_read_as_none_and_removals_of_nothing_as_false(uow):
    with uow:
        assert uow.enterprises.get("nope") is None and uow.loads.get("nope") is None
        assert uow.tokens.get(999) is None and uow.plans.get(999) is None
        assert uow.activations.get(999) is None and uow.incidents.get(999) is None
        assert uow.loads.meta("nope") is None and uow.loads.get_many(["nope"]) == []
        assert uow.hubs.remove_blocked("nope", "B1") is False
        assert uow.transfers.remove("L1", "L2") is False


def test_activations_and_incidents_list_newest_first_and_page(uow):
    for hour in (3, 1, 2):
        stored(
            uow,
            lambda u, h=hour: [
                u.activations.add(
                    Activation(hub_ids=["H1"], reason=str(h), actor="command", at=at(h))
                ),
                u.incidents.add(Incident(reported_at=at(h), actor="command", note=str(h))),
            ],
        )
    with uow:
        assert [a.reason for a in uow.activations.list()] == ["3", "2", "1"]
        assert [a.reason for a in uow.activations.list(limit=1, offset=1)] == ["2"]
        assert [i.note for i in uow.incidents.list(limit=2)] == ["3", "2"]
        assert uow.incidents.list(offset=3) == []


def test_ids_are_given_in_order_and_a_given_id_is_ignored(uow):
    first = stored(uow, lambda u: u.plans.add(plan().model_copy(update={"id": 77})))
    second = stored(uow, lambda u: u.plans.add(plan()))
    assert first.id != 77 and second.id > first.id
    with uow:
        assert [p.id for p in uow.plans.list()] == [second.id, first.id]


def test_count_agrees_with_list_for_every_filter(uow):
    stored(uow, lambda u: [u.enterprises.add(enterprise()), u.enterprises.add(enterprise("E2"))])
    stored(uow, lambda u: [u.loads.add(load(f"L{i}", 6 + i, f"E{1 + i % 2}")) for i in range(5)])
    with uow:
        for filters in (
            {},
            {"enterprise_id": "E2"},
            {"status": ["submitted", "cancelled"]},
            {"release_from": at(7), "release_to": at(9)},
            {"hub_id": "H1"},
            {"vehicle_plate": "赣B·12345"},
        ):
            assert uow.loads.count(**filters) == len(uow.loads.list(**filters)), filters
