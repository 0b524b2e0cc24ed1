"""Why a dock is blocked, as a code and parameters, and what each role may see of it.

The case data of an incident (the positive truck's plate or load id) is for the command centre
(role `admin`) only; operators and enterprises see the code and the time, never the parameters,
so a page shows "消杀封闭" (closed for disinfection) and the window. Free-text reasons that staff
type themselves have no code and are shown as typed.
"""

from __future__ import annotations

from datetime import datetime

from hub_scheduler.domain import BlockedWindow, Hub
from hub_scheduler.records import Role
from hub_scheduler.services.principal import Principal

DEEP_DISINFECTION = "DEEP_DISINFECTION"
"""Docks a positive truck used, closed for deep disinfection; params: vehicle_plate or load_id."""

SENSITIVE_CODES = frozenset({DEEP_DISINFECTION})
PUBLIC_REASON = {DEEP_DISINFECTION: "closed for disinfection"}


def disinfection_block(
    *, start: datetime, end: datetime, dock_id: str, vehicle_plate: str | None, load_id: str | None
) -> BlockedWindow:
    """The block on a dock a positive truck used: the case data only in `reason_params`."""
    params = {"vehicle_plate": vehicle_plate} if vehicle_plate else {"load_id": load_id or ""}
    return BlockedWindow(
        start=start,
        end=end,
        dock_id=dock_id,
        reason=PUBLIC_REASON[DEEP_DISINFECTION],
        reason_code=DEEP_DISINFECTION,
        reason_params=params,
    )


def sees_case_data(principal: Principal) -> bool:
    return principal.role is Role.ADMIN


def window_for(principal: Principal, window: BlockedWindow) -> BlockedWindow:
    """The window as `principal` may see it: a sensitive reason keeps its code and times only."""
    if window.reason_code not in SENSITIVE_CODES or sees_case_data(principal):
        return window
    return window.model_copy(
        update={"reason": PUBLIC_REASON[window.reason_code], "reason_params": {}}
    )


def hub_for(principal: Principal, hub: Hub) -> Hub:
    """The hub with each blocked window as `principal` may see it."""
    if sees_case_data(principal):
        return hub
    return hub.model_copy(update={"blocked": [window_for(principal, w) for w in hub.blocked]})
