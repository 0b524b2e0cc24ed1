"""Priority weights: how much a load matters, from its cargo, its enterprise's tier and its pass.

The default table (documented in the README and tested) follows the seed's order: medical supplies
first, then daily necessities, government reserves, postal parcels, then farm, energy and raw
materials. Tier 1 enterprises (the county's key white-list) count 1.5x, tier 2 1.2x, tier 3 1x; a
driver with a unified pass (通行证) counts 1.2x more. The result is a positive integer.
"""

from __future__ import annotations

import math

from hub_scheduler.domain import CargoCategory, Enterprise, Load

CATEGORY_WEIGHT: dict[CargoCategory, int] = {
    CargoCategory.MEDICAL_SUPPLIES: 10,
    CargoCategory.DAILY_NECESSITIES: 8,
    CargoCategory.GOVERNMENT_RESERVE: 6,
    CargoCategory.POSTAL_EXPRESS: 5,
    CargoCategory.AGRICULTURAL: 4,
    CargoCategory.ENERGY: 4,
    CargoCategory.RAW_MATERIALS: 3,
    CargoCategory.OTHER: 1,
}

TIER_FACTOR: dict[int, float] = {1: 1.5, 2: 1.2, 3: 1.0}
PASS_FACTOR = 1.2


def derived_weight(category: CargoCategory, tier: int, has_pass: bool) -> int:
    """The default weight of a load: category x tier x pass, rounded half up, at least 1."""
    value = (
        CATEGORY_WEIGHT[category] * TIER_FACTOR.get(tier, 1.0) * (PASS_FACTOR if has_pass else 1.0)
    )
    # Half up, not Python's round-half-to-even, which made raw materials at tier 1 (4.5) weigh 4,
    # no more than at tier 2 (3.6 -> 4).
    return max(1, math.floor(value + 0.5))


def load_weight(load: Load, enterprise: Enterprise | None) -> int:
    """The load's `priority_weight` when given, else the derived one."""
    if load.priority_weight is not None:
        return load.priority_weight
    tier = enterprise.tier if enterprise is not None else 3
    return derived_weight(load.category, tier, load.has_pass)


# An explicit weight overrides the derived one, so it can push other loads out of a plan: only the
# command centre (role admin) may set it, and only within this range (the derived weights run
# 1..18, so 100 is room for "this convoy first" without letting one load outweigh a whole day).
EXPLICIT_WEIGHT_RANGE = (1, 100)


def explicit_weight_problem(weight: object, *, may_set: bool) -> str | None:
    """Why a `priority_weight` that was sent is refused, or None. Call it only when the field was
    sent: for a role that may not set it, sending it at all (even null, to clear it) is refused."""
    if not may_set:
        return "may be set by the command centre only; it is derived from category, tier and pass"
    if not isinstance(weight, int) or isinstance(weight, bool):
        return None  # null clears it; a non-number is named by the load's own validation
    low, high = EXPLICIT_WEIGHT_RANGE
    if not low <= weight <= high:
        return f"must be between {low} and {high}"
    return None
