"""Load queries: filters by status, enterprise, hub and release range; pages; idempotency keys."""

from __future__ import annotations

import pytest
from samples import at, enterprise, hub, plain_load, solved_plan, stored_one_load

from hub_scheduler.errors import Conflict


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


@pytest.fixture
def day_of_loads(uow):
    """Ten loads released hourly from 06:00; E2 owns the odd ones; L09 is cancelled."""
    with uow:
        uow.hubs.add(hub("H1"))
        uow.hubs.add(hub("H2"))
        uow.enterprises.add(enterprise("E1"))
        uow.enterprises.add(enterprise("E2"))
        for i in range(10):
            uow.loads.add(
                plain_load(
                    f"L{i:02d}",
                    release=6 + i,
                    enterprise_id=f"E{1 + i % 2}",
                    status="cancelled" if i == 9 else "submitted",
                )
            )
        uow.commit()
    return uow


def ids(loads):
    return [ld.id for ld in loads]


def test_loads_come_in_release_order_and_page_with_limit_and_offset(day_of_loads):
    uow = day_of_loads
    with uow:
        assert ids(uow.loads.list()) == [f"L{i:02d}" for i in range(10)]
        assert ids(uow.loads.list(limit=3, offset=4)) == ["L04", "L05", "L06"]
        assert ids(uow.loads.list(limit=5, offset=8)) == ["L08", "L09"]
        assert uow.loads.count() == 10


def test_loads_filter_by_status_enterprise_and_release_range(day_of_loads):
    uow = day_of_loads
    with uow:
        assert ids(uow.loads.list(status="cancelled")) == ["L09"]
        assert len(uow.loads.list(status=["submitted", "cancelled"])) == 10
        assert ids(uow.loads.list(enterprise_id="E2", limit=2)) == ["L01", "L03"]
        # release_from is inclusive, release_to exclusive
        assert ids(uow.loads.list(release_from=at(8), release_to=at(11))) == ["L02", "L03", "L04"]
        assert uow.loads.count(enterprise_id="E1", status="submitted", release_from=at(8)) == 4


def test_loads_at_a_hub_are_those_its_published_plan_places_there_or_pinned_there(day_of_loads):
    uow = day_of_loads
    with uow:
        pinned = plain_load(
            "L05",
            release=11,
            enterprise_id="E2",
            pinned={"hub_id": "H2", "dock_id": "A1", "start": at(11)},
        )
        uow.loads.update(pinned)
        placed = uow.plans.add(solved_plan(at(24), [("L00", "A1", 6), ("L01", "A2", 7)], 5))
        uow.plans.add(solved_plan(at(24), [("L02", "A1", 8)], 5))
        uow.plans.publish(placed.id)
        uow.commit()
    with uow:
        assert ids(uow.loads.list(hub_id="H1")) == ["L00", "L01"]  # not L02: unpublished plan
        assert ids(uow.loads.list(hub_id="H2")) == ["L05"]
        assert uow.loads.count(hub_id="H1", enterprise_id="E1") == 1


def test_get_many_keeps_the_order_asked_and_skips_unknown_ids(day_of_loads):
    uow = day_of_loads
    with uow:
        assert ids(uow.loads.get_many(["L03", "nope", "L01", "L03"])) == ["L03", "L01"]


def test_an_idempotency_key_finds_the_first_submission_and_refuses_a_second(uow):
    with uow:
        uow.enterprises.add(enterprise("E1"))
        uow.enterprises.add(enterprise("E2"))
        uow.loads.add(plain_load("L1", 8), idempotency_key="batch-7/row-1", created_by="E1 token")
        uow.commit()
    with uow:
        assert uow.loads.get_by_idempotency_key("E1", "batch-7/row-1").id == "L1"
        assert uow.loads.get_by_idempotency_key("E2", "batch-7/row-1") is None
        meta = uow.loads.meta("L1")
        assert (meta.idempotency_key, meta.created_by) == ("batch-7/row-1", "E1 token")
        with pytest.raises(Conflict):
            uow.loads.add(plain_load("L2", 8), idempotency_key="batch-7/row-1")
    with uow:
        # The same key from another enterprise is another submission.
        uow.loads.add(plain_load("L3", 8, enterprise_id="E2"), idempotency_key="batch-7/row-1")
        uow.commit()


def test_update_refreshes_updated_at_but_not_created_at(uow):
    stored_one_load(uow)
    with uow:
        before = uow.loads.meta("L1")
        uow.loads.set_status("L1", "scheduled")
        uow.commit()
    with uow:
        after = uow.loads.meta("L1")
    assert after.created_at == before.created_at
    assert after.updated_at >= before.updated_at


def test_a_number_too_big_for_the_database_is_a_validation_error_not_a_crash(sql_uow):
    uow = sql_uow
    from hub_scheduler.errors import ValidationFailed

    with uow:
        uow.enterprises.add(enterprise())
        uow.commit()
    # The domain refuses it (limits.py); the store must still refuse a row that slipped past.
    huge = plain_load("L1", 8).model_copy(update={"handling_minutes": 2**40})
    with uow:
        # The stored form is read back before the INSERT (PostgreSQL's 32-bit INTEGER would refuse
        # it too; SQLite would keep it): refused the same way on both, and nothing is written.
        with pytest.raises(ValidationFailed, match=r"cannot store\n  handling_minutes: "):
            uow.loads.add(huge)
    with uow:
        assert uow.loads.get("L1") is None


def test_loads_that_may_use_some_hubs_are_found_in_their_allowed_hubs_by_the_database(uow):
    """`may_use_hubs` searches each load's `allowed_hubs` (a JSON array) in SQL; a load with none
    (stored one by one or in bulk) may go anywhere and comes only with `or_anywhere`."""
    with uow:
        for hub_id in ("H1", "H2", "H3"):
            uow.hubs.add(hub(hub_id))
        uow.enterprises.add(enterprise("E1"))
        uow.loads.add(plain_load("A1", 6, allowed_hubs=["H1"]))
        uow.loads.add(plain_load("A2", 7, allowed_hubs=["H2", "H3"]))
        uow.loads.add(plain_load("A3", 8, allowed_hubs=["H3", "H1"]))
        uow.loads.add(plain_load("ANY1", 9))
        uow.loads.add_many(
            [
                plain_load("ANY2", 10),
                plain_load("B1", 11, allowed_hubs=["H2"]),
                plain_load("NONE", 12, allowed_hubs=[]),
            ]
        )
        uow.commit()
    with uow:
        assert ids(uow.loads.list(may_use_hubs=["H1"])) == ["A1", "A3"]
        assert ids(uow.loads.list(may_use_hubs={"H2", "H9"})) == ["A2", "B1"]
        assert ids(uow.loads.list(may_use_hubs=["H1"], or_anywhere=True)) == [
            "A1",
            "A3",
            "ANY1",
            "ANY2",
        ]
        assert uow.loads.count(may_use_hubs=[]) == 0
        assert ids(uow.loads.list(may_use_hubs=[], or_anywhere=True)) == ["ANY1", "ANY2"]
        assert ids(uow.loads.list(may_use_hubs=["H3"], release_from=at(8))) == ["A3"]
        assert len(uow.loads.list()) == 7
