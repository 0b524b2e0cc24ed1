"""The unit of work: commit keeps, anything else rolls back; nested blocks share one transaction."""

from __future__ import annotations

import pytest
from samples import enterprise, hub

from hub_scheduler.errors import Conflict


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


def test_changes_are_kept_after_commit(uow):
    with uow:
        uow.hubs.add(hub())
        uow.commit()
    with uow:
        assert uow.hubs.get("H1") is not None


def test_leaving_the_block_without_commit_rolls_back(uow):
    with uow:
        uow.hubs.add(hub())
    with uow:
        assert uow.hubs.get("H1") is None


def test_an_exception_inside_the_block_rolls_back_and_propagates(uow):
    with pytest.raises(RuntimeError, match="boom"), uow:
        uow.hubs.add(hub())
        uow.enterprises.add(enterprise())
        raise RuntimeError("boom")
    with uow:
        assert uow.hubs.list() == [] and uow.enterprises.list() == []


def test_work_after_a_commit_is_rolled_back_on_its_own(uow):
    with uow:
        uow.hubs.add(hub("H1"))
        uow.commit()
        uow.hubs.add(hub("H2"))
    with uow:
        assert [h.id for h in uow.hubs.list()] == ["H1"]


def test_a_conflict_leaves_the_database_as_it_was(uow):
    with uow:
        uow.hubs.add(hub("H1"))
        uow.commit()
    with pytest.raises(Conflict), uow:
        uow.hubs.add(hub("H2"))
        uow.tokens.add  # noqa: B018 - repositories exist inside the block
        uow.enterprises.add(enterprise())
        uow.hubs.add(hub("H1"))
    with uow:
        assert [h.id for h in uow.hubs.list()] == ["H1"]
        assert uow.enterprises.list() == []


def test_nested_blocks_share_the_outer_transaction(uow):
    with uow:
        uow.hubs.add(hub("H1"))
        with uow:
            assert uow.hubs.get("H1") is not None  # the inner block sees the outer's work
        assert uow.hubs.get("H1") is not None  # the inner exit did not roll it back
        uow.commit()
    with uow:
        assert uow.hubs.get("H1") is not None


def test_repositories_outside_a_block_say_how_to_use_them(uow):
    with pytest.raises(RuntimeError, match="with uow"):
        uow.hubs.list()
    with pytest.raises(RuntimeError, match="with uow"):
        uow.commit()


def test_returned_objects_are_copies_not_live_rows(uow):
    with uow:
        stored = uow.hubs.add(hub())
        uow.commit()
    stored.name = "changed outside"
    with uow:
        assert uow.hubs.get("H1").name == hub().name
