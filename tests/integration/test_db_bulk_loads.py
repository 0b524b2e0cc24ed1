"""Loads stored in bulk (a sheet, a batch) read back exactly as one-by-one stored loads do."""

from __future__ import annotations

import pytest
from samples import enterprise, load, plain_load, stored_one_load

from hub_scheduler.errors import Conflict


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


def test_loads_stored_in_bulk_read_back_equal_with_optional_fields_given_or_empty(uow):
    # Alternating full and plain loads: the bulk insert must not mix up their empty columns.
    loads = [load(f"F{i}", 8 + i) if i % 2 else plain_load(f"P{i}", 8 + i) for i in range(6)]
    with uow:
        uow.enterprises.add(enterprise())
        assert uow.loads.add_many(loads, created_by="sheet") == 6
        uow.commit()
    with uow:
        assert uow.loads.get_many(ld.id for ld in loads) == loads
        meta = uow.loads.meta(loads[0].id)
        assert meta.created_by == "sheet" and meta.created_at == meta.updated_at


def test_a_bulk_store_with_a_taken_id_is_a_conflict_and_stores_none(uow):
    stored_one_load(uow)
    with uow:
        with pytest.raises(Conflict):
            uow.loads.add_many([plain_load("L2", 9), plain_load("L1", 10)])
    with uow:
        assert [ld.id for ld in uow.loads.list()] == ["L1"]


def test_storing_no_loads_in_bulk_writes_nothing(uow):
    with uow:
        assert uow.loads.add_many([]) == 0
