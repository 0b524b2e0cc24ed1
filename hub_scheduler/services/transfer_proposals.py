"""Relays between two enterprises (H7): propose, list, confirm or decline.

An enterprise proposes one (`propose_transfer`) naming its own load, the partner's load id and
the partner's enterprise id. The answer is the same whether the partner's load exists or not
(never an existence leak); the partner enterprise sees the proposals naming its own loads
(`visible_proposals`) and confirms or declines them. Confirming checks every relay rule again
(`services/transfers.py`, `relay_errors`) and only then stores the relay, so only confirmed relays
reach a plan (H7). Each side sees load ids only, never the other's plate, phone or goods.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, Transfer
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import ProposalStatus, Role, TransferProposal
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.transfers import relay_errors, side_taken

Side = Literal["inbound", "outbound"]


def propose_transfer(
    uow: UnitOfWork,
    transfer: Transfer,
    partner_enterprise_id: str,
    *,
    principal: Principal,
    now: datetime | None = None,
) -> TransferProposal:
    """Propose a relay between the principal's load and another enterprise's load.

    The proposer's load is the one it may see (an admin: the one not of `partner_enterprise_id`);
    only rules about that load are checked now (`ValidationFailed`, 422). Whether the partner's
    load or enterprise exists is never said: the answer is a pending proposal either way. The
    same pending proposal asked again is answered with the first one.
    """
    with uow:
        if transfer.inbound == transfer.outbound:
            raise ValidationFailed(
                "the relay is not valid",
                [
                    FieldError(
                        field="outbound", message="a load cannot relay to itself", code="relay_self"
                    )
                ],
            )
        if principal.is_enterprise and partner_enterprise_id == principal.enterprise_id:
            raise ValidationFailed(
                "the relay is not valid",
                [
                    FieldError(
                        field="partner_enterprise_id",
                        message="is your own enterprise: declare the relay with POST /transfers",
                        code="relay_partner_self",
                    )
                ],
            )
        own: dict[Side, Load] = {}
        for side in ("inbound", "outbound"):
            candidates = _proposer_loads(
                uow, getattr(transfer, side), principal, partner_enterprise_id
            )
            if len(candidates) > 1:  # an admin naming an id several enterprises hold
                raise Conflict(
                    f'the load id "{load_keys.local(getattr(transfer, side))}" is held by '
                    "several enterprises; name the load by its key (enterprise_id/id)",
                    [
                        FieldError(
                            field=side,
                            message="is held by several enterprises",
                            code="load_ambiguous",
                            params={
                                "load": load_keys.local(getattr(transfer, side)),
                                "enterprises": sorted(ld.enterprise_id for ld in candidates),
                            },
                        )
                    ],
                )
            if candidates:
                own[side] = candidates[0]
        if len(own) != 1:
            code, words = (
                ("relay_unknown", "is not a load of yours")
                if not own
                else ("relay_not_across", f'is not a load of enterprise "{partner_enterprise_id}"')
            )
            raise ValidationFailed(
                "the relay is not valid",
                [
                    FieldError(
                        field=side,
                        message=f'"{load_keys.local(getattr(transfer, side))}" {words}',
                        code=code,
                        params={"load": load_keys.local(getattr(transfer, side))},
                    )
                    for side in ("inbound", "outbound")
                ],
            )
        [(side, mine)] = own.items()
        # Ids are per enterprise (load_keys): each side is keyed with its own enterprise.
        partner_side = _other(side)
        partner_key = load_keys.qualify(
            partner_enterprise_id, load_keys.local(getattr(transfer, partner_side))
        )
        transfer = transfer.model_copy(update={side: mine.id, partner_side: partner_key})
        taken = [t for t in uow.transfers.for_load(mine.id) if getattr(t, side) == mine.id]
        if taken:
            raise ValidationFailed("the relay is not valid", [side_taken(side, side, mine.id)])
        for earlier in uow.proposals.list(
            status=ProposalStatus.PENDING, enterprise_id=mine.enterprise_id
        ):
            if (earlier.inbound, earlier.outbound, earlier.proposer_enterprise_id) == (
                transfer.inbound,
                transfer.outbound,
                mine.enterprise_id,
            ) and earlier.partner_enterprise_id == partner_enterprise_id:
                return earlier
        proposal = uow.proposals.add(
            TransferProposal(
                inbound=transfer.inbound,
                outbound=transfer.outbound,
                min_gap_minutes=transfer.min_gap_minutes,
                proposer_enterprise_id=mine.enterprise_id,
                partner_enterprise_id=partner_enterprise_id,
                partner_load="outbound" if side == "inbound" else "inbound",
                proposed_by=principal.actor,
                proposed_at=now or datetime.now(UTC),
            )
        )
        record(
            uow,
            principal.actor,
            "transfer.propose",
            "load",
            mine.id,
            proposal.model_dump(mode="json"),
        )
        uow.commit()
    return proposal


def _proposer_loads(
    uow: UnitOfWork, load_id: str, principal: Principal, partner_enterprise_id: str
) -> list[Load]:
    """The loads `load_id` may name on the proposer's side: a key as it is; an enterprise's own
    load; for an admin, every enterprise's but the partner's. Never one of the partner's."""
    if load_keys.SEPARATOR in load_id:
        keys = [load_id]
    elif principal.is_enterprise:
        keys = [load_keys.qualify(principal.enterprise_id or "", load_id)]
    else:
        keys = [
            load_keys.qualify(e.id, load_id)
            for e in uow.enterprises.list()
            if e.id != partner_enterprise_id
        ]
    return sorted(
        (
            ld
            for ld in uow.loads.get_many(keys)
            if principal.may_see_enterprise(ld.enterprise_id)
            and ld.enterprise_id != partner_enterprise_id
        ),
        key=lambda ld: ld.id,
    )


def _partner_may_decide(uow: UnitOfWork, proposal: TransferProposal, principal: Principal) -> bool:
    """An admin, or the named partner enterprise when it really owns the partner's load."""
    if principal.role is Role.ADMIN:
        return True
    if not principal.is_enterprise or principal.enterprise_id != proposal.partner_enterprise_id:
        return False
    load = uow.loads.get(getattr(proposal, proposal.partner_load))
    return load is not None and load.enterprise_id == principal.enterprise_id


def visible_proposals(
    uow: UnitOfWork, principal: Principal, status: ProposalStatus | None = None
) -> list[TransferProposal]:
    """Every proposal (admin); an enterprise: those it made and those awaiting its word on its
    own loads (one naming it beside a load it does not own is never shown to it)."""
    with uow:
        if not principal.is_enterprise:
            return uow.proposals.list(status=status)
        return [
            p
            for p in uow.proposals.list(status=status, enterprise_id=principal.enterprise_id)
            if p.proposer_enterprise_id == principal.enterprise_id
            or _partner_may_decide(uow, p, principal)
        ]


def decide_proposal(
    uow: UnitOfWork,
    proposal_id: int,
    *,
    confirm: bool,
    principal: Principal,
    now: datetime | None = None,
) -> TransferProposal:
    """Confirm (every relay rule checked again, then the relay is stored) or decline a proposal.

    `NotFound` unless the principal is its partner (or an admin); `Conflict` when it is no longer
    pending (of two confirms at once, one stores the relay and the other gets the Conflict);
    `ValidationFailed` when a rule fails now (the proposal stays pending).
    """
    with uow:
        proposal = uow.proposals.get(proposal_id)
        if proposal is None or not _partner_may_decide(uow, proposal, principal):
            raise NotFound(f"no relay proposal {proposal_id} awaiting your answer")
        to = ProposalStatus.CONFIRMED if confirm else ProposalStatus.DECLINED
        decided = uow.proposals.decide(
            proposal_id, to, by=principal.actor, at=now or datetime.now(UTC)
        )
        if decided is None:
            current = uow.proposals.get(proposal_id)
            state = current.status.value if current else "gone"
            raise Conflict(f"relay proposal {proposal_id} is already {state}")
        if confirm:
            transfer = Transfer(
                inbound=proposal.inbound,
                outbound=proposal.outbound,
                min_gap_minutes=proposal.min_gap_minutes,
            )
            checker = Principal(role=Role.ADMIN, actor=principal.actor)
            errors = relay_errors(uow, transfer, checker, agreed=True)
            proposer = uow.loads.get(getattr(proposal, _other(proposal.partner_load)))
            if proposer is not None and proposer.enterprise_id != proposal.proposer_enterprise_id:
                errors.append(
                    FieldError(
                        field="inbound",
                        message="the proposer's load changed hands",
                        code="relay_unknown",
                    )
                )
            if errors:
                raise ValidationFailed("the relay is not valid now", errors)
            uow.transfers.add(transfer)
        record(
            uow,
            principal.actor,
            "transfer.confirm" if confirm else "transfer.decline",
            "load",
            proposal.outbound,
            decided.model_dump(mode="json"),
        )
        uow.commit()
    return decided


def _other(side: str) -> Side:
    return "outbound" if side == "inbound" else "inbound"
