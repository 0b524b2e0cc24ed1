"""Which status may follow which: a hub's life and a truck's life, and the load statuses a plan
takes in. The services enforce them (`services/hubs.py`, `services/gate.py`); the pages and the
API only ask.
"""

from __future__ import annotations

from hub_scheduler.domain import HubStatus, LoadStatus

# A hub's life: a standby hub is switched on, an active hub suspended or stood down to standby, a
# suspended hub reopened or stood down. A standby hub is never suspended (it does not operate), and
# switching to the status a hub has already is refused rather than audited as a change.
HUB_TRANSITIONS: dict[HubStatus, frozenset[HubStatus]] = {
    HubStatus.STANDBY: frozenset({HubStatus.ACTIVE}),
    HubStatus.ACTIVE: frozenset({HubStatus.SUSPENDED, HubStatus.STANDBY}),
    HubStatus.SUSPENDED: frozenset({HubStatus.ACTIVE, HubStatus.STANDBY}),
}


def hub_may_become(before: HubStatus, after: HubStatus) -> bool:
    """Whether a hub in status `before` may be switched to `after` (HUB_TRANSITIONS)."""
    return after in HUB_TRANSITIONS[before]


# The truck's life: which status may follow which.
# Cancelled, completed and no-show are final. A truck turned away at the gate's screening
# (rejected) may come back with a fresh test: screened again, it is checked in when it passes, or
# turned away again (services/gate_rejection.py); until then no plan takes it.
LOAD_TRANSITIONS: dict[LoadStatus, frozenset[LoadStatus]] = {
    LoadStatus.SUBMITTED: frozenset(
        {LoadStatus.SCHEDULED, LoadStatus.CANCELLED, LoadStatus.REJECTED, LoadStatus.CHECKED_IN}
    ),
    LoadStatus.SCHEDULED: frozenset(
        {
            LoadStatus.SUBMITTED,
            LoadStatus.CHECKED_IN,
            LoadStatus.CANCELLED,
            LoadStatus.NO_SHOW,
            LoadStatus.REJECTED,
        }
    ),
    # A truck at the gate is past cancelling (api/cancel_guard.py says why to the user); an
    # incident takes pending loads only.
    LoadStatus.CHECKED_IN: frozenset({LoadStatus.IN_OPERATION}),
    LoadStatus.IN_OPERATION: frozenset({LoadStatus.COMPLETED}),
    LoadStatus.COMPLETED: frozenset(),
    LoadStatus.CANCELLED: frozenset(),
    LoadStatus.REJECTED: frozenset({LoadStatus.CHECKED_IN, LoadStatus.REJECTED}),
    LoadStatus.NO_SHOW: frozenset(),
}


# Loads in a final state (or turned away) are not part of any plan (docs/rules.md).
NOT_PLANNABLE: frozenset[LoadStatus] = frozenset(
    {LoadStatus.CANCELLED, LoadStatus.REJECTED, LoadStatus.COMPLETED, LoadStatus.NO_SHOW}
)
PLANNABLE: frozenset[LoadStatus] = frozenset(LoadStatus) - NOT_PLANNABLE
# A checked-in or working truck keeps the place it already has (H10).
ON_SITE: frozenset[LoadStatus] = frozenset({LoadStatus.CHECKED_IN, LoadStatus.IN_OPERATION})
