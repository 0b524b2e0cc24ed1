"""A seeded generator of realistic hub days for the benchmarks (not the Xunwu fixture).

    python -m bench.generate county --seed 1 --out /tmp/county.json

A day has arrival peaks in the morning and afternoon and a thin night flow; hubs are logistics parks
and service areas with cold and ambient zones, crews, disinfection, opening hours (some with a night
period crossing midnight), blocked windows and a site capacity; a few hubs are on standby. Loads
come from white-listed enterprises (a few are not, or fail screening), some are relay pairs, a few
are pinned or already checked in, some have hard deadlines. Docks are sized so that most loads fit.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from bench.day_hubs import build_hubs
from bench.day_loads import arrival, make_enterprises, make_load, pick_category
from bench.day_pins import pin_some
from bench.day_shape import DAY_START, HORIZON_MINUTES, SIZES, SLOT, Size, moment
from hub_scheduler.domain import (
    Horizon,
    HubStatus,
    Load,
    LoadStatus,
    Position,
    Scenario,
    Schedule,
    ScreeningPolicy,
    Settings,
    Transfer,
)
from hub_scheduler.scenario_file import write_scenario


def generate(size: str | Size = "county", seed: int = 0) -> Scenario:
    """One generated hub day, the same for the same size and seed."""
    spec = SIZES[size] if isinstance(size, str) else size
    name = size if isinstance(size, str) else f"{spec.loads}-loads"
    rng = random.Random(f"hub-day/{spec.seed_name or name}/{seed}")
    hubs = build_hubs(rng, spec, spec.loads)
    enterprises = make_enterprises(rng, max(10, spec.loads // 12))
    scenario = Scenario(
        name=f"generated {name} day (seed {seed})",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=DAY_START, end=moment(HORIZON_MINUTES)),
        settings=Settings(
            slot_minutes=SLOT,
            time_limit_s=10,
            seed=seed,
            workers=2,
            screening=ScreeningPolicy(required=True),
        ),
        hubs=hubs,
        enterprises=enterprises,
    )
    active = [h for h in hubs if h.status is HubStatus.ACTIVE]
    n_pairs = round(spec.loads * 0.04)  # 8% of loads are in a relay pair
    loads: list[Load] = []
    transfers: list[Transfer] = []
    n = 0

    def next_id() -> str:
        nonlocal n
        n += 1
        return f"L{n:05d}"

    while len(loads) < spec.loads:
        category, temperature = pick_category(rng)
        release = arrival(rng)
        load = make_load(
            rng, next_id(), rng.choice(enterprises), hubs, spec, release, category, temperature
        )
        loads.append(load)
        if len(transfers) < n_pairs and len(loads) < spec.loads and rng.random() < 0.2:
            # The relay: a local truck collects the goods an hour or three later, same hub and zone.
            out = make_load(
                rng,
                next_id(),
                rng.choice(enterprises),
                hubs,
                spec,
                release + rng.choice((60, 90, 120, 180)),
                category,
                temperature,
            )
            out.allowed_hubs = load.allowed_hubs
            out.deadline = None
            out.status = LoadStatus.SUBMITTED
            loads.append(out)
            transfers.append(
                Transfer(inbound=load.id, outbound=out.id, min_gap_minutes=rng.choice((0, 15, 30)))
            )
    scenario.loads = loads
    scenario.transfers = transfers
    pin_some(rng, scenario, active)
    return scenario


def with_previous(scenario: Scenario, schedule: Schedule) -> Scenario:
    """A copy of the scenario whose loads remember where `schedule` put them (for re-planning)."""
    out = scenario.model_copy(deep=True)
    placed = {a.load_id: a for a in schedule.assignments}
    for load in out.loads:
        a = placed.get(load.id)
        load.previous = (
            None if a is None else Position(hub_id=a.hub_id, dock_id=a.dock_id, start=a.start)
        )
    return out


def two_regions(scenario: Scenario, cut: int | None = None) -> Scenario:
    """Loads limited to the hubs before `cut` or from it on (default: half the hubs), a province of
    two counties: every other load to each side, a pinned or placed load to its hub's side, only
    the relays within one side kept. The day falls into two independent parts."""
    hubs = [h.id for h in scenario.hubs]
    cut = len(hubs) // 2 if cut is None else cut
    left, right = hubs[:cut], hubs[cut:]
    loads = []
    for i, ld in enumerate(scenario.loads):
        region = left if i % 2 == 0 else right
        at = ld.pinned or ld.previous
        if at is not None:
            region = left if at.hub_id in left else right
        loads.append(ld.model_copy(update={"allowed_hubs": list(region)}))
    by_id = {ld.id: ld for ld in loads}
    transfers = [
        t
        for t in scenario.transfers
        if set(by_id[t.inbound].allowed_hubs or ()) == set(by_id[t.outbound].allowed_hubs or ())
    ]
    return scenario.model_copy(update={"loads": loads, "transfers": transfers})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_scenario(generate(args.size, args.seed), args.out)


if __name__ == "__main__":
    main()
