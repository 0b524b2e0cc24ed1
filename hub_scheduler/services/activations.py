"""Emergency activation: standby hubs on, who/when/why recorded, a re-plan with minimal change."""

from __future__ import annotations

from datetime import UTC, datetime

from hub_scheduler.domain import HubStatus
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Activation, Plan
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.jobs import JobConfig, JobRunner
from hub_scheduler.services.replan import PUBLISHED_HORIZON, ReplanRequest, queue_replan


def activate_hubs(
    uow: UnitOfWork,
    runner: JobRunner,
    config: JobConfig,
    *,
    hub_ids: list[str],
    reason: str,
    actor: str,
    replan: ReplanRequest = PUBLISHED_HORIZON,
) -> tuple[Activation, Plan]:
    """In one transaction: the hubs become active, the activation is recorded, a re-plan is queued.

    The re-plan keeps checked-in trucks pinned and starts from the published positions, so the
    stability weight moves as few loads as it can.
    """
    now = datetime.now(UTC)
    with uow:
        errors: list[FieldError] = []
        hubs = []
        for i, hub_id in enumerate(hub_ids):
            hub = uow.hubs.get(hub_id)
            if hub is None:
                errors.append(FieldError(field=f"hub_ids[{i}]", message=f'unknown hub "{hub_id}"'))
            elif hub.status is not HubStatus.STANDBY:
                raise Conflict(
                    f'hub "{hub_id}" is {hub.status.value}, not standby',
                    [FieldError(field=f"hub_ids[{i}]", message="must be a standby hub")],
                )
            else:
                hubs.append(hub)
        if len(set(hub_ids)) != len(hub_ids):
            errors.append(FieldError(field="hub_ids", message="names a hub twice"))
        if errors:
            raise ValidationFailed("the activation is not valid", errors)
        for hub in hubs:
            switched = uow.hubs.set_status(hub.id, HubStatus.ACTIVE)
            events.hub_status_changed(uow, switched, hub.status, reason)
            record(
                uow,
                actor,
                "hub.activate",
                "hub",
                hub.id,
                {"from": hub.status.value, "to": "active", "reason": reason},
            )
        # Without a published plan or a horizon this refuses, and nothing above is kept.
        plan = queue_replan(uow, config, replan, actor=actor, reason=f"activation: {reason}")
        activation = uow.activations.add(
            Activation(
                hub_ids=hub_ids,
                status="active",
                reason=reason,
                actor=actor,
                at=now,
                plan_id=plan.id,
            )
        )
        record(
            uow,
            actor,
            "activation.create",
            "activation",
            str(activation.id),
            {"hub_ids": hub_ids, "reason": reason, "plan_id": plan.id},
        )
        uow.commit()
    runner.submit(plan.stored_id)
    return activation, plan


def list_activations(uow: UnitOfWork, *, limit: int | None = None) -> list[Activation]:
    """The activations, newest first (all of them, or the newest `limit`)."""
    with uow:
        return uow.activations.list(limit=limit)
