"""Which load a request names: an id (unique per enterprise, `load_keys`) becomes the key
`enterprise_id/id` below the API, for one load, a relay's two loads (`POST /transfers`) or an
audit query; `owned_load` reads it when the principal may see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.principal import Principal


def load_key(
    uow: UnitOfWork, load_id: str, principal: Principal, enterprise_id: str | None = None
) -> str:
    """The key (`enterprise_id/id`, load_keys) of the load a request names by its id.

    An enterprise names its own loads (another `enterprise_id` than its own is a key it never
    sees). An admin or operator gives `enterprise_id`, or leaves it out when only one enterprise
    holds the id; held by several, it is a Conflict (409) naming them. A key is taken as it is;
    an id no enterprise holds comes back unqualified (so the caller's lookup finds nothing).
    Call inside `with uow:`.
    """
    if load_keys.SEPARATOR in load_id:
        return load_id
    if principal.is_enterprise:
        return load_keys.qualify(enterprise_id or principal.enterprise_id or "", load_id)
    if enterprise_id:
        return load_keys.qualify(enterprise_id, load_id)
    return unique_key(uow, load_id)


def unique_key(uow: UnitOfWork, load_id: str) -> str:
    """The key of the one load any enterprise holds under `load_id` (the id itself when none
    does, a key as it is); Conflict (409) naming the enterprises when several do. For admins and
    operators, who see every enterprise. Call inside `with uow:`."""
    if load_keys.SEPARATOR in load_id:
        return load_id
    found = _holders(uow, load_id)
    if len(found) > 1:
        holders = [load_keys.enterprise_of(key) for key in found]
        raise Conflict(
            f'the load id "{load_id}" is held by {len(found)} enterprises '
            f"({', '.join(str(h) for h in holders)}); name one with ?enterprise_id=",
            [
                FieldError(
                    field="enterprise_id",
                    message="is required: the load id is held by several enterprises",
                    code="load_ambiguous",
                    params={"load": load_id, "enterprises": holders},
                )
            ],
        )
    return found[0] if found else load_id


def _holders(uow: UnitOfWork, load_id: str) -> list[str]:
    """The keys of every enterprise's load with id `load_id`, sorted."""
    candidates = [load_keys.qualify(e.id, load_id) for e in uow.enterprises.list()]
    return sorted(ld.id for ld in uow.loads.get_many(candidates))


def _side_error(field: str, code: str, load_id: str, message: str, **params: Any) -> FieldError:
    return FieldError(field=field, message=message, code=code, params={"load": load_id, **params})


def relay_keys(uow: UnitOfWork, named: Mapping[str, Any], principal: Principal) -> tuple[str, str]:
    """The keys of a relay's two loads (`POST /transfers` body `named`: `inbound`, `outbound`,
    each side's enterprise apart in `inbound_enterprise_id` / `outbound_enterprise_id`, or both
    in `enterprise_id`; a side's own wins only when they agree).

    An enterprise token names its own enterprise or none. An admin names a side's enterprise
    when several hold its id; left ambiguous, or a token naming another enterprise, or the two
    disagreeing, is a ValidationFailed (422) naming the field. An id nobody holds stays
    unqualified (the relay's checks then say "unknown load").
    """
    both = named.get("enterprise_id")
    errors: list[FieldError] = []
    keys: list[str] = []
    with uow:
        for side in ("inbound", "outbound"):
            load_id, field = named[side], f"{side}_enterprise_id"
            own_field = named.get(field)
            owner = own_field or both
            if own_field and both and own_field != both:
                message = f'is "{own_field}" but enterprise_id is "{both}"'
                errors.append(_side_error(field, "relay_enterprise_conflict", load_id, message))
            elif principal.is_enterprise:
                mine = principal.enterprise_id or ""
                if owner and owner != mine:
                    field = field if own_field else "enterprise_id"
                    if all(e.field != field for e in errors):  # `enterprise_id`: said once
                        message = (
                            "an enterprise token names its own enterprise only; a relay with "
                            "another enterprise's load is proposed at "
                            "POST /api/v1/transfers/proposals"
                        )
                        errors.append(
                            _side_error(field, "relay_not_own_enterprise", load_id, message)
                        )
                keys.append(load_keys.qualify(mine, load_id))
            elif owner:
                keys.append(load_keys.qualify(owner, load_id))
            else:
                found = _holders(uow, load_id)
                holders = [load_keys.enterprise_of(key) for key in found]
                if len(found) > 1:
                    message = (
                        f'is required: the load id "{load_id}" is held by {len(found)} '
                        f"enterprises ({', '.join(map(str, holders))})"
                    )
                    errors.append(
                        _side_error(field, "load_ambiguous", load_id, message, enterprises=holders)
                    )
                keys.append(found[0] if found else load_id)
    if errors:
        raise ValidationFailed("name the enterprise of each load of the relay", errors)
    return keys[0], keys[1]


def resolve_keys(
    uow: UnitOfWork, load_ids: list[str], principal: Principal, enterprise_id: str | None = None
) -> list[str]:
    """`load_key` of each id, in one read transaction (the two loads of a relay request)."""
    with uow:
        return [load_key(uow, load_id, principal, enterprise_id) for load_id in load_ids]


def owned_load(
    uow: UnitOfWork, load_id: str, principal: Principal, enterprise_id: str | None = None
) -> Load:
    """The load `load_id` names (an id or a key, see `load_key`); NotFound when the principal
    may not see it, worded the same whether another enterprise holds the id or nobody does."""
    load = uow.loads.get(load_key(uow, load_id, principal, enterprise_id))
    if load is None or not principal.may_see_enterprise(load.enterprise_id):
        raise NotFound(f'no load "{load_keys.local(load_id)}"')
    return load
