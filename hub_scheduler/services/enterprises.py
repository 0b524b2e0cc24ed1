"""Enterprises: the white-list flag, the tier and the validity dates."""

from __future__ import annotations

from typing import Any

from hub_scheduler.domain import Enterprise
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.scenario_file import parse_model
from hub_scheduler.services.audit import record


def _check(enterprise: Enterprise) -> None:
    if (
        enterprise.valid_from
        and enterprise.valid_until
        and enterprise.valid_until < enterprise.valid_from
    ):
        raise ValidationFailed(
            "the validity dates are reversed",
            [FieldError(field="valid_until", message="must not be before valid_from")],
        )


def _get(uow: UnitOfWork, enterprise_id: str) -> Enterprise:
    enterprise = uow.enterprises.get(enterprise_id)
    if enterprise is None:
        raise NotFound(f'no enterprise "{enterprise_id}"')
    return enterprise


def list_enterprises(uow: UnitOfWork) -> list[Enterprise]:
    with uow:
        return uow.enterprises.list()


def get_enterprise(uow: UnitOfWork, enterprise_id: str) -> Enterprise:
    with uow:
        return _get(uow, enterprise_id)


def create_enterprise(uow: UnitOfWork, enterprise: Enterprise, *, actor: str) -> Enterprise:
    _check(enterprise)
    with uow:
        if uow.enterprises.get(enterprise.id) is not None:
            raise Conflict(
                f'an enterprise "{enterprise.id}" exists already',
                [FieldError(field="id", message="is taken")],
            )
        uow.enterprises.add(enterprise)
        record(
            uow,
            actor,
            "enterprise.create",
            "enterprise",
            enterprise.id,
            {"whitelisted": enterprise.whitelisted, "tier": enterprise.tier},
        )
        uow.commit()
    return enterprise


def update_enterprise(
    uow: UnitOfWork, enterprise_id: str, changes: dict[str, Any], *, actor: str
) -> Enterprise:
    with uow:
        enterprise = _get(uow, enterprise_id)
        merged = parse_model(Enterprise, {**enterprise.model_dump(), **changes}, "enterprise")
        _check(merged)
        uow.enterprises.update(merged)
        record(
            uow,
            actor,
            "enterprise.update",
            "enterprise",
            enterprise_id,
            {k: (str(v) if v is not None else None) for k, v in changes.items()},
        )
        uow.commit()
    return merged
