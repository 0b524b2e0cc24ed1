"""What the verifier finds: a `Violation` is a code and its params, said in English by its kind's
one template (`str(violation)`, `violation.text`).

Part of the independent verifier (`hub_scheduler.verify`): it imports nothing of the service.
Each kind of finding is a row of `FINDINGS`: its code, the rule it breaks (a hard rule's id,
`STRUCTURE` or `OBJECTIVE`) and its English template. The edge says a finding in the reader's
language from its code and params (`verify_<code>` in api/web/ops_messages.py, whose English
words are these templates); nothing reads the English back.

Params are plain values, JSON as they are: ids, times as ISO-8601 text (in the site's zone as
the schedule wrote them; `outside_hours` as the site's wall clock), counts as int, minutes and
objective values as float (templates say them with `:g`), a list of ids or codes as list[str]
(English joins it with ", "). The code values `temperature`, `zone_temperature`, `hub_status`
and `load_status` are the enums' values, said by their labels at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STRUCTURE = "STRUCTURE"
OBJECTIVE = "OBJECTIVE"

# code -> (rule, English template). The English is the verifier's words since its first
# version: tests, docs and logs quote them.
FINDINGS: dict[str, tuple[str, str]] = {
    "unknown_load": (STRUCTURE, "STRUCTURE load {load} is not in the scenario"),
    "unknown_hub": (STRUCTURE, "STRUCTURE load {load}: unknown hub {hub}"),
    "unknown_zone": (STRUCTURE, "STRUCTURE load {load}: unknown zone {zone} at hub {hub}"),
    "dock_in_other_zone": (
        STRUCTURE,
        "STRUCTURE load {load}: dock {dock} is in zone {other}, not in zone {zone} at hub {hub}",
    ),
    "unknown_dock": (
        STRUCTURE,
        "STRUCTURE load {load}: dock {dock} does not exist, not in zone {zone} at hub {hub}",
    ),
    "unknown_unscheduled": (STRUCTURE, "STRUCTURE unscheduled load {load} is not in the scenario"),
    "closed_but_assigned": (STRUCTURE, "STRUCTURE load {load} is {load_status} but assigned"),
    "not_planned": (STRUCTURE, "STRUCTURE load {load} is neither assigned nor unscheduled"),
    "assigned_twice": (STRUCTURE, "STRUCTURE load {load} is assigned {n} times"),
    "unscheduled_twice": (STRUCTURE, "STRUCTURE load {load} is unscheduled {n} times"),
    "assigned_and_unscheduled": (
        STRUCTURE,
        "STRUCTURE load {load} is both assigned and unscheduled",
    ),
    "wrong_end": (STRUCTURE, "STRUCTURE load {load}: end {end} is not start + {minutes} min"),
    "wrong_disinfected_at": (
        STRUCTURE,
        "STRUCTURE load {load}: disinfected_at {at} is not end + {minutes:g} min",
    ),
    "wrong_temperature": (
        "H1",
        "H1 load {load} is {temperature} but zone {zone} at hub {hub} is {zone_temperature}",
    ),
    "hub_not_active": ("H2", "H2 load {load} is at hub {hub}, which is {hub_status}"),
    "dock_overlap": (
        "H3",
        "H3 dock {dock} at hub {hub}: {first} and {second} overlap "
        "({first} holds it until {until}, {second} starts {start})",
    ),
    "before_release": ("H4", "H4 load {load} starts {start} before its release {release}"),
    "after_deadline": ("H4", "H4 load {load} ends {end} after its deadline {deadline}"),
    "outside_horizon": ("H4", "H4 load {load} span {start}..{end} leaves the horizon"),
    "before_now": ("H4", "H4 load {load} starts {start}, before now {now}"),
    "outside_hours": (
        "H5",
        "H5 load {load} at hub {hub} occupies {start}-{end} ({tz}), not inside one opening period",
    ),
    "blocked_dock": (
        "H5",
        "H5 load {load} at hub {hub} meets a blocked window of dock {dock} ({start}..{end})",
    ),
    "blocked_zone": (
        "H5",
        "H5 load {load} at hub {hub} meets a blocked window of zone {zone} ({start}..{end})",
    ),
    "blocked_hub": (
        "H5",
        "H5 load {load} at hub {hub} meets a blocked window of the hub ({start}..{end})",
    ),
    "crews_overbooked": (
        "H6",
        "H6 zone {zone} at hub {hub}: {n} operations at {at} for {crews} crews ({loads})",
    ),
    "inbound_missing": (
        "H7",
        "H7 outbound {outbound} is assigned but its inbound {inbound} is not",
    ),
    "relay_elsewhere": (
        "H7",
        "H7 outbound {outbound} is at {out_hub}/{out_zone} but its inbound {inbound} is at "
        "{in_hub}/{in_zone}",
    ),
    "relay_too_early": (
        "H7",
        "H7 outbound {outbound} starts {start}, before inbound {inbound} ends, is disinfected "
        "and {gap} min pass ({earliest})",
    ),
    "site_over_capacity": (
        "H8",
        "H8 hub {hub}: {n} trucks on site at {at}, at most {cap} ({loads})",
    ),
    "off_grid": (
        "H9",
        "H9 load {load} starts {minutes:g} min after the horizon start, not on the "
        "{slot}-minute grid of hub {hub}",
    ),
    "pin_moved": (
        "H10",
        "H10 load {load} is pinned to {pin_hub}/{pin_dock} at {pin_start} but placed at "
        "{hub}/{dock} at {start}",
    ),
    "not_whitelisted": (
        "H11",
        "H11 load {load}: enterprise {enterprise} is not white-listed on {day}",
    ),
    "fails_screening": ("H11", "H11 load {load}: fails screening: {checks}"),
    "hub_not_allowed": ("H11", "H11 load {load} is at hub {hub}, not one of its allowed hubs"),
    "objective_differs": (
        OBJECTIVE,
        "OBJECTIVE reported {reported:g} but the plan costs {objective:g}",
    ),
    "bound_above": (
        OBJECTIVE,
        "OBJECTIVE bound {bound:g} is above the plan's objective {objective:g}",
    ),
}

# The params that name loads, in the order a finding is best filed under (`Violation.loads`).
LOAD_PARAMS = ("load", "first", "second", "outbound", "inbound", "loads")


def english(code: str, params: Mapping[str, Any]) -> str:
    """The finding `code` with `params` in the verifier's English (a list joined by ", ")."""
    values = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
    return FINDINGS[code][1].format(**values)


@dataclass(frozen=True)
class Violation:
    """One breach the verifier found: `code` (a key of `FINDINGS`) and its `params`.

    `rule` is the rule it breaks; `text` (also `str(violation)`) its English sentence;
    `loads` the load ids it names. KeyError at creation for an unknown code or a missing
    param (a finding always says itself)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        english(self.code, self.params)  # an unknown code or a missing param fails here

    @classmethod
    def of(cls, code: str, **params: Any) -> Violation:
        return cls(code, params)

    @property
    def rule(self) -> str:
        return FINDINGS[self.code][0]

    @property
    def text(self) -> str:
        return english(self.code, self.params)

    @property
    def loads(self) -> list[str]:
        """The load ids the finding names, the one it is about first."""
        named: list[str] = []
        for key in LOAD_PARAMS:
            value = self.params.get(key)
            for load_id in value if isinstance(value, list) else [value] if value else []:
                if load_id not in named:
                    named.append(str(load_id))
        return named

    def __str__(self) -> str:
        return self.text
