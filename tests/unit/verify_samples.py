"""What the verifier tests share: the rules a plan breaks and a tiny day with a valid plan."""

from __future__ import annotations

from builders import assign, make_hub, make_load, make_scenario, make_schedule, make_zone

from hub_scheduler.verify import verify


def broken(scenario, schedule) -> set[str]:
    return verify(scenario, schedule).rules_broken()


def two_dock_day(**settings):
    """One hub, ambient zone Z1 (D1, D2) and cold zone Z2 (D3); three ambient loads, one cold."""
    hub = make_hub(
        zones=[make_zone("Z1", docks=("D1", "D2")), make_zone("Z2", "cold", docks=("D3",))],
        disinfection_minutes=15,
    )
    loads = [
        make_load("L1", release=0, due=60),
        make_load("L2", release=0, due=60),
        make_load("L3", release=60, due=180),
        make_load("C1", release=0, due=60, temperature="cold"),
    ]
    return make_scenario(hubs=[hub], loads=loads, **settings)


def valid_plan(s):
    return make_schedule(
        s,
        [
            assign(s, "L1", 0, dock_id="D1"),
            assign(s, "L2", 0, dock_id="D2"),
            assign(s, "L3", 60, dock_id="D1"),
            assign(s, "C1", 0, zone_id="Z2", dock_id="D3"),
        ],
    )
