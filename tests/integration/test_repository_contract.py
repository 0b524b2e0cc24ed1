"""Every repository gives back what it was given: domain objects in, equal domain objects out.
Missing and taken ids, ordering and counting: test_repository_contract_ids.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from samples import at, enterprise, hub, load, plan, schedule, stored, transfer

from hub_scheduler.domain import BlockedWindow, Dock, HubStatus, LoadStatus, Zone
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.limits import ID_MAX_LENGTH, NAME_MAX_LENGTH, PLATE_MAX_LENGTH
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Incident,
    JobStatus,
    Role,
    WebUser,
)


@pytest.fixture
def uow(any_uow):
    """The repository contract: every test here runs on the fake, SQLite and PostgreSQL."""
    return any_uow


def test_hub_with_zones_docks_hours_and_blocked_windows_comes_back_equal(uow):
    original = hub()
    stored(uow, lambda u: u.hubs.add(original))
    with uow:
        assert uow.hubs.get("H1") == original
        assert uow.hubs.list() == [original]


def test_hub_that_is_always_open_keeps_none_opening_hours_and_extra_fields(uow):
    original = hub(opening_hours=None, location=None, crew_note="two shifts")
    stored(uow, lambda u: u.hubs.add(original))
    with uow:
        back = uow.hubs.get("H1")
    assert back.opening_hours is None
    assert back.model_extra == {"crew_note": "two shifts"}
    assert back == original


def test_hub_update_replaces_zones_docks_and_windows(uow):
    stored(uow, lambda u: u.hubs.add(hub()))
    changed = hub(
        opening_hours=[],
        zones=[
            Zone(id="AMB", temperature="ambient", crews=4, docks=[Dock(id="A3"), Dock(id="C1")])
        ],  # C1 moves zones
        blocked=[BlockedWindow(id="B1", start=at(1), end=at(2), reason="moved")],
    )
    stored(uow, lambda u: u.hubs.update(changed))
    with uow:
        assert uow.hubs.get("H1") == changed


def test_hub_status_changes_and_the_list_filters_by_status(uow):
    stored(uow, lambda u: [u.hubs.add(hub("H1")), u.hubs.add(hub("H2", status="standby"))])
    with uow:
        assert uow.hubs.set_status("H2", HubStatus.ACTIVE).status is HubStatus.ACTIVE
        uow.commit()
    with uow:
        assert [h.id for h in uow.hubs.list(status="active")] == ["H1", "H2"]
        assert uow.hubs.list(status=HubStatus.SUSPENDED) == []


def test_adding_a_hub_twice_is_a_conflict_and_a_missing_hub_is_not_found(uow):
    stored(uow, lambda u: u.hubs.add(hub()))
    with uow, pytest.raises(Conflict):
        uow.hubs.add(hub())
    with uow, pytest.raises(NotFound):
        uow.hubs.set_status("nope", "active")
    with uow:
        assert uow.hubs.get("nope") is None


def test_blocked_window_added_alone_gets_an_id_and_can_be_removed(uow):
    stored(uow, lambda u: u.hubs.add(hub(blocked=[])))
    window = stored(
        uow,
        lambda u: u.hubs.add_blocked(
            "H1", BlockedWindow(start=at(9), end=at(11), dock_id="C1", reason="deep disinfection")
        ),
    )
    assert window.id
    with uow:
        assert uow.hubs.get("H1").blocked == [window]
        assert uow.hubs.remove_blocked("H1", window.id) is True
        uow.commit()
    with uow:
        assert uow.hubs.get("H1").blocked == []
        assert uow.hubs.remove_blocked("H1", window.id) is False


def test_enterprise_with_tier_and_validity_dates_comes_back_equal(uow):
    original = enterprise()
    stored(uow, lambda u: u.enterprises.add(original))
    changed = original.model_copy(update={"whitelisted": False, "tier": 3, "valid_until": None})
    stored(uow, lambda u: u.enterprises.update(changed))
    with uow:
        assert uow.enterprises.get("E1") == changed
        assert uow.enterprises.list(whitelisted=False) == [changed]
        assert uow.enterprises.list(whitelisted=True) == []


def test_load_with_screening_pinned_and_previous_comes_back_equal(uow):
    stored(uow, lambda u: [u.enterprises.add(enterprise()), u.hubs.add(hub())])
    original = load()
    assert stored(uow, lambda u: u.loads.add(original)) == original
    with uow:
        back = uow.loads.get("L1")
    assert back == original
    assert back.screening.test_time == original.screening.test_time
    assert back.pinned.start == original.pinned.start


def test_load_update_and_status_change_are_stored(uow):
    stored(uow, lambda u: [u.enterprises.add(enterprise()), u.loads.add(load())])
    changed = load(
        pinned=None,
        previous=None,
        screening=None,
        vehicle_plate=None,
        origin=None,
        allowed_hubs=None,
        handling_minutes=60,
    )
    stored(uow, lambda u: u.loads.update(changed))
    with uow:
        assert uow.loads.get("L1") == changed
        assert uow.loads.set_status("L1", LoadStatus.SCHEDULED).status is LoadStatus.SCHEDULED
        uow.commit()
    with uow:
        assert uow.loads.get("L1").status is LoadStatus.SCHEDULED


def test_load_for_an_unknown_enterprise_is_a_conflict(uow):
    with uow, pytest.raises(Conflict):
        uow.loads.add(load(enterprise_id="ghost"))


def test_transfer_comes_back_and_an_outbound_is_used_once(uow):
    stored(
        uow,
        lambda u: [
            u.enterprises.add(enterprise()),
            u.loads.add(load("L1")),
            u.loads.add(load("L2", release=10)),
            u.loads.add(load("L3")),
        ],
    )
    original = transfer("L1", "L2")
    stored(uow, lambda u: u.transfers.add(original))
    with uow:
        assert uow.transfers.list() == [original]
        assert uow.transfers.for_load("L2") == [original]
        assert uow.transfers.list(load_ids=["L1"]) == []
        with pytest.raises(Conflict):
            uow.transfers.add(transfer("L3", "L2"))
    with uow:
        assert uow.transfers.remove("L1", "L2") is True
        uow.commit()
    with uow:
        assert uow.transfers.list() == []


def test_token_keeps_only_its_hash_and_can_be_revoked(uow):
    stored(uow, lambda u: u.enterprises.add(enterprise()))
    token = ApiToken(
        token_hash="a" * 64,
        role=Role.ENTERPRISE,
        enterprise_id="E1",
        label="gate tablet",
        created_at=at(0),
    )
    saved = stored(uow, lambda u: u.tokens.add(token))
    assert saved.id is not None
    assert saved.model_copy(update={"id": None}) == token
    with uow:
        assert uow.tokens.get_by_hash("a" * 64) == saved
        assert uow.tokens.get_by_hash("b" * 64) is None
        revoked = uow.tokens.revoke(saved.id, at=at(5))
        uow.commit()
    assert revoked.revoked_at == at(5)
    with uow:
        assert uow.tokens.list(include_revoked=False) == []
        assert uow.tokens.list() == [revoked]
        assert uow.tokens.revoke(saved.id, at=at(9)).revoked_at == at(5)  # the first time stays


def test_two_tokens_with_one_hash_are_a_conflict(uow):
    token = ApiToken(token_hash="c" * 64, role=Role.ADMIN, created_at=at(0))
    stored(uow, lambda u: u.tokens.add(token))
    with uow, pytest.raises(Conflict):
        uow.tokens.add(token)


def web_user(name: str = "zhang.wei", **fields) -> WebUser:
    values = {"password_hash": "$argon2id$x", "role": Role.OPERATOR, "created_at": at(0)}
    values.update(fields)
    values.setdefault("updated_at", values["created_at"])
    return WebUser(name=name, **values)


def test_user_comes_back_equal_by_id_and_name_and_updates(uow):
    stored(uow, lambda u: u.enterprises.add(enterprise("E01")))
    user = web_user("张伟", role=Role.ENTERPRISE, enterprise_id="E01")
    saved = stored(uow, lambda u: u.users.add(user))
    assert saved.id is not None and saved.model_copy(update={"id": None}) == user
    changed = saved.model_copy(update={"disabled": True, "session_version": 3, "updated_at": at(2)})
    stored(uow, lambda u: u.users.update(changed))
    with uow:
        assert uow.users.get(saved.id) == changed
        assert uow.users.get_by_name("张伟") == changed
        assert uow.users.get_by_name("nobody") is None


def test_users_are_listed_by_name_a_taken_name_is_a_conflict_a_missing_one_not_found(uow):
    for name in ("li", "an", "zhou"):
        stored(uow, lambda u, n=name: u.users.add(web_user(n)))
    with uow:
        assert [u.name for u in uow.users.list()] == ["an", "li", "zhou"]
    with uow, pytest.raises(Conflict):
        uow.users.add(web_user("li"))
    with uow, pytest.raises(NotFound):
        uow.users.update(web_user("ghost", id=999))


def test_plan_with_its_schedule_comes_back_equal(uow):
    original = plan(
        status=JobStatus.SUCCEEDED,
        started_at=at(6.1),
        finished_at=at(6.2),
        progress={"phase": "done", "best": 123.5},
        schedule=schedule([("L1", "A1", 8), ("L2", "A2", 9)], left_out=["L3"]),
    )
    saved = stored(uow, lambda u: u.plans.add(original))
    assert saved.id is not None
    with uow:
        back = uow.plans.get(saved.id)
    assert back == original.model_copy(update={"id": saved.id})
    assert [a.load_id for a in back.schedule.assignments] == ["L1", "L2"]
    assert back.schedule.unscheduled[0].reason_code == "CAPACITY"


def test_plan_job_moves_from_queued_to_running_to_a_result(uow):
    saved = stored(uow, lambda u: u.plans.add(plan()))
    assert saved.schedule is None
    with uow:
        uow.plans.set_status(saved.id, JobStatus.RUNNING, started_at=at(6.5))
        uow.plans.set_progress(saved.id, {"phase": "search", "best": 200})
        uow.commit()
    with uow:
        running = uow.plans.get(saved.id)
        assert running.status is JobStatus.RUNNING and running.progress["best"] == 200
        uow.plans.set_result(saved.id, schedule([("L1", "A1", 8)]), finished_at=at(6.6))
        uow.commit()
    with uow:
        # A second result replaces the first one's rows, it does not add to them.
        uow.plans.set_result(saved.id, schedule([("L1", "A2", 9), ("L2", "A1", 8)]))
        uow.commit()
    with uow:
        done = uow.plans.get(saved.id)
        listed = uow.plans.list()
    assert done.status is JobStatus.SUCCEEDED
    assert [(a.load_id, a.dock_id) for a in done.schedule.assignments] == [
        ("L1", "A2"),
        ("L2", "A1"),
    ]
    assert listed[0].id == saved.id and listed[0].schedule.assignments == []  # listings stay light


def test_failed_plan_keeps_its_error(uow):
    saved = stored(uow, lambda u: u.plans.add(plan()))
    with uow:
        uow.plans.set_status(saved.id, "failed", finished_at=at(7), error="solver crashed")
        uow.commit()
    with uow:
        back = uow.plans.get(saved.id)
        assert (back.status, back.error, back.finished_at) == (
            JobStatus.FAILED,
            "solver crashed",
            at(7),
        )
        assert uow.plans.list(status="failed")[0].id == saved.id


def test_activation_comes_back_and_links_to_its_plan(uow):
    plan_id = stored(uow, lambda u: u.plans.add(plan())).id
    original = Activation(
        hub_ids=["H2", "H3"], status="active", reason="outbreak in town", actor="command", at=at(3)
    )
    saved = stored(uow, lambda u: u.activations.add(original))
    linked = saved.model_copy(update={"plan_id": plan_id})
    stored(uow, lambda u: u.activations.update(linked))
    with uow:
        assert uow.activations.get(saved.id) == linked
        assert uow.activations.list() == [linked]


def test_incident_with_contacts_comes_back_equal(uow):
    original = Incident(
        vehicle_plate="赣B·12345",
        load_id=None,
        reported_at=at(15),
        actor="command",
        note="driver tested positive",
        blocked_window_ids=["B9"],
        cancelled_load_ids=["L7"],
        contacts=[{"load_id": "L2", "dock_id": "C1", "overlap_minutes": 0}],
    )
    saved = stored(uow, lambda u: u.incidents.add(original))
    assert saved == original.model_copy(update={"id": saved.id})
    with uow:
        assert uow.incidents.get(saved.id) == saved
        assert uow.incidents.list() == [saved]


def test_audit_log_appends_and_lists_newest_first_with_filters(uow):
    entries = [
        AuditEntry(
            at=at(h),
            actor=actor,
            action=action,
            target_type="load",
            target_id=target,
            details={"n": h},
        )
        for h, actor, action, target in [
            (1, "a", "load.create", "L1"),
            (2, "b", "load.cancel", "L1"),
            (3, "a", "load.create", "L2"),
        ]
    ]
    for entry in entries:
        stored(uow, lambda u, e=entry: u.audit.add(e))
    with uow:
        assert [e.details["n"] for e in uow.audit.list()] == [3, 2, 1]
        assert [e.target_id for e in uow.audit.list(actor="a")] == ["L2", "L1"]
        assert [e.action for e in uow.audit.list(target_id="L1")] == ["load.cancel", "load.create"]
        assert len(uow.audit.list(since=at(2))) == 2
        assert len(uow.audit.list(limit=1, offset=2)) == 1
        assert [e.target_id for e in uow.audit.list(actor_contains="A")] == ["L2", "L1"]
        assert [e.details["n"] for e in uow.audit.list(action_prefix="load.")] == [3, 2, 1]
        assert uow.audit.list(action_prefix="load.c", actor_contains="%") == []
        assert not hasattr(uow.audit, "update") and not hasattr(uow.audit, "delete")


def test_site_config_keeps_json_values(uow):
    stored(uow, lambda u: u.config.set("scenario", {"timezone": "Asia/Shanghai", "n": [1, 2]}))
    with uow:
        assert uow.config.get("scenario") == {"timezone": "Asia/Shanghai", "n": [1, 2]}
        assert uow.config.get("missing", "fallback") == "fallback"
        uow.config.set("scenario", None)
        uow.commit()
    with uow:
        assert uow.config.get("scenario", "x") is None


def test_every_returned_timestamp_is_aware_utc(uow):
    stored(uow, lambda u: [u.enterprises.add(enterprise()), u.loads.add(load())])
    with uow:
        back = uow.loads.get("L1")
        meta = uow.loads.meta("L1")
    for moment in (back.release, back.due, back.deadline, back.pinned.start, meta.created_at):
        assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0
    assert back.release == at(8)  # the same instant as the +08:00 original
    assert meta.created_at <= datetime.now(UTC)


def test_long_ids_names_and_plates_are_kept_the_same_on_every_database(uow):
    # As long as the domain's limits allow (hub_scheduler/limits.py), CJK included.
    long_id = "E-" + "x" * (ID_MAX_LENGTH - 2)
    name = ("合作社" * NAME_MAX_LENGTH)[:NAME_MAX_LENGTH]
    stored(uow, lambda u: u.enterprises.add(enterprise(long_id, name=name)))
    plate = ("赣B·" + "9" * PLATE_MAX_LENGTH)[:PLATE_MAX_LENGTH]
    original = load("L-" + "y" * (ID_MAX_LENGTH - 2), enterprise_id=long_id, vehicle_plate=plate)
    stored(uow, lambda u: u.loads.add(original, idempotency_key="k" * 500))
    with uow:
        assert uow.loads.get(original.id) == original
        assert uow.loads.get_by_idempotency_key(long_id, "k" * 500) == original
