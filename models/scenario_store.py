"""A whole scenario in and out of the database: seeding from a file, assembling the planning input.

`store_scenario` is idempotent: what is already stored and equal is skipped, so seeding the same
file twice is a no-op; an id stored with different content is a Conflict naming every such id,
and then nothing is written. `load_scenario` builds the solver's input for a horizon from the
current state: hubs as they are now, the plannable loads released in the horizon (and those
released before it still waiting for a slot), their transfers, and where the plan in force put
each of them (`previous`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.day_horizon import (
    carried,
    carry_start,
    held_later,
    plan_horizons,
    reach_end,
    reach_on_site,
)
from hub_scheduler.domain import (
    DEFAULT_TIMEZONE,
    Assignment,
    BlockedWindow,
    Horizon,
    Hub,
    Load,
    Position,
    Scenario,
    Settings,
)
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.early_start import dock_busy, with_gate_runs
from hub_scheduler.services.jobs import utc_now
from hub_scheduler.services.site import SCENARIO_CONFIG_KEY
from hub_scheduler.transitions import (
    ON_SITE,
    PLANNABLE,
)
from models.pin_shift import RAN_AT_GATE, pins_after_gate_runs

# State that operations change after seeding; a re-seed does not count it as a difference.
_OPERATIONAL = {"hubs": {"status", "blocked"}, "loads": {"status", "pinned", "previous"}}
_MAX_CLASHES = 20


@dataclass
class SeedReport:
    """What `store_scenario` wrote and what it found already stored, by kind."""

    added: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    @property
    def nothing_new(self) -> bool:
        return not any(self.added.values())


def store_scenario(uow: UnitOfWork, scenario: Scenario, actor: str = "seed") -> SeedReport:
    """Store the scenario's hubs, enterprises, loads, transfers, name, time zone and settings.

    Runs in its own transaction (or joins the caller's open `with uow:` block) and commits.
    """
    report = SeedReport()
    scenario = keyed(scenario)
    with uow:
        stored_hubs = {h.id: h for h in uow.hubs.list()}
        stored_enterprises = {e.id: e for e in uow.enterprises.list()}
        stored_loads = {ld.id: ld for ld in uow.loads.get_many(ld.id for ld in scenario.loads)}
        stored_transfers = {t.outbound: t for t in uow.transfers.list()}

        clashes: list[FieldError] = []
        new_hubs = _new_or_clash("hubs", scenario.hubs, stored_hubs, lambda h: h.id, clashes)
        new_enterprises = _new_or_clash(
            "enterprises", scenario.enterprises, stored_enterprises, lambda e: e.id, clashes
        )
        new_loads = _new_or_clash("loads", scenario.loads, stored_loads, lambda ld: ld.id, clashes)
        new_transfers = _new_or_clash(
            "transfers", scenario.transfers, stored_transfers, lambda t: t.outbound, clashes
        )
        if clashes:
            raise Conflict(
                f"scenario {scenario.name!r} clashes with the stored data ({len(clashes)} "
                "object(s) stored with other content); nothing was written",
                clashes[:_MAX_CLASHES],
            )

        for hub in new_hubs:
            uow.hubs.add(hub)
        for enterprise in new_enterprises:
            uow.enterprises.add(enterprise)
        _add_loads(uow, new_loads, actor)
        for transfer in new_transfers:
            uow.transfers.add(transfer)
        uow.config.set(
            SCENARIO_CONFIG_KEY,
            {
                "name": scenario.name,
                "timezone": scenario.timezone,
                "settings": scenario.settings.model_dump(mode="json"),
            },
        )
        uow.commit()

    for kind, new, everything in (
        ("hubs", new_hubs, scenario.hubs),
        ("enterprises", new_enterprises, scenario.enterprises),
        ("loads", new_loads, scenario.loads),
        ("transfers", new_transfers, scenario.transfers),
    ):
        report.added[kind] = len(new)
        report.unchanged[kind] = len(everything) - len(new)
    return report


def keyed(scenario: Scenario) -> Scenario:
    """The scenario with every load named by its key (`enterprise_id/id`, hub_scheduler.load_keys),
    as the store keeps it: a file's plain ids are its enterprises' own; keys stay as they are."""
    owner = {ld.id: ld.enterprise_id for ld in scenario.loads}

    def key(load_id: str) -> str:
        return load_keys.qualify(owner[load_id], load_id) if load_id in owner else load_id

    return scenario.model_copy(
        update={
            "loads": [ld.model_copy(update={"id": key(ld.id)}) for ld in scenario.loads],
            "transfers": [
                t.model_copy(update={"inbound": key(t.inbound), "outbound": key(t.outbound)})
                for t in scenario.transfers
            ],
        }
    )


def _new_or_clash(
    kind: str, items: list[Any], stored: dict[str, Any], key: Any, clashes: list[FieldError]
) -> list[Any]:
    """The items not stored yet; an item stored with other content goes into `clashes`."""
    ignored = _OPERATIONAL.get(kind, set())
    new = []
    for index, item in enumerate(items):
        existing = stored.get(key(item))
        if existing is None:
            new.append(item)
        elif existing.model_copy(update={f: getattr(item, f) for f in ignored}) != item:
            clashes.append(
                FieldError(
                    field=f"{kind}[{index}]",
                    message=f'"{key(item)}" is already stored with other content',
                )
            )
    return new


def _add_loads(uow: UnitOfWork, loads: list[Load], actor: str) -> None:
    add_many = getattr(uow.loads, "add_many", None)
    if add_many is not None:  # one flush for a day's loads instead of one per load
        add_many(loads, created_by=actor)
        return
    for load in loads:
        uow.loads.add(load, created_by=actor)


def stored_scenario_header(uow: UnitOfWork) -> dict[str, Any]:
    """The name, time zone and settings of the last seeded scenario ({} when none was)."""
    with uow:
        return dict(uow.config.get(SCENARIO_CONFIG_KEY) or {})


def load_scenario(
    uow: UnitOfWork,
    horizon_start: datetime,
    horizon_end: datetime,
    settings: Settings | None = None,
    hub_ids: Iterable[str] | None = None,
    *,
    anywhere: bool = True,
    now: datetime | None = None,
) -> Scenario:
    """The planning input for `[horizon_start, horizon_end)` as the database holds it now; its
    end reaches later when a load released in it may be done after it (hub_scheduler/day_horizon).

    Hubs: all (or `hub_ids`) with their current status; enterprises: all; loads: plannable ones
    released inside the horizon, and those released in the `CARRY_DAYS` before it that no plan in
    force places and no earlier day can still place as of `now` (the services' clock when None;
    carried: hub_scheduler/day_horizon.py), restricted to loads that may go to the chosen hubs,
    less those released inside that a later day's plan in force gives a slot (`held_later`);
    transfers among those loads. `previous` comes from the plan in force for each load (the
    newest published plan holding it, whatever its horizon); loads already on site are pinned
    where it put them, a checked-in truck whose dock the gate still holds from when it is free
    (`pin_shift.pins_after_gate_runs`).

    With `hub_ids`, the database returns only the loads whose `allowed_hubs` name one of them
    (and, with `anywhere`, the loads that may go to any hub); a load pinned to or placed at another
    hub stays where it is (left out). `anywhere=False` is a part of a split day
    (`partition.split`, the part jobs of `services.job_parts`): a load that may go anywhere joins
    every hub into one part, so a day with parts has none, and one submitted after the split
    belongs to no part (the merge's verification then names it). A part loaded this way equals
    `split(load_scenario(...), parts)[i]` but its name (tests/queue/test_queue_split.py).
    """
    with uow:
        header = dict(uow.config.get(SCENARIO_CONFIG_KEY) or {})
        wanted_hubs = set(hub_ids) if hub_ids is not None else None
        if settings is None:
            settings = (
                Settings.model_validate(header["settings"]) if "settings" in header else Settings()
            )
        every_hub = [h for h in uow.hubs.list() if wanted_hubs is None or h.id in wanted_hubs]
        enterprises = uow.enterprises.list()

        # One read: the loads released in the horizon, and those released in the days before it
        # that still wait for a slot (carried: hub_scheduler/day_horizon.py).
        found = uow.loads.list(
            status=tuple(sorted(PLANNABLE)),
            release_from=carry_start(horizon_start),
            release_to=horizon_end,
            may_use_hubs=sorted(wanted_hubs) if wanted_hubs is not None else None,
            or_anywhere=anywhere,
        )
        # `previous` from whatever published plan holds each load, whatever its horizon.
        held = uow.plans.in_force()
        in_force = {i: h.assignment for i, h in held.items() if h.assignment is not None}
        # Released before: only where no earlier day can still place it (day_horizon.carried).
        horizon = (horizon_start, horizon_end)
        now = now or utc_now()
        horizons = plan_horizons(uow)
        late = {ld.id for ld in carried(found, horizon, now, held, horizons)}
        loads = [
            ld
            for ld in found
            if ld.id in late
            or (ld.release >= horizon_start and not held_later(ld.id, horizon_end, held, horizons))
        ]
        # The plan reaches past its end as far as its loads may be done (a truck at 23:30
        # across midnight: hub_scheduler/day_horizon.py).
        horizon_end = reach_end(horizon_end, loads, every_hub, settings.slot_minutes)
        placed = {
            ld.id: Position(hub_id=a.hub_id, dock_id=a.dock_id, start=a.start)
            for ld in loads
            if (a := in_force.get(ld.id)) is not None
        }
        docks = {(h.id, d.id) for h in every_hub for z in h.zones for d in z.docks}
        loads = [
            ld
            for ld in (_with_positions(ld, placed.get(ld.id), docks, wanted_hubs) for ld in loads)
            if ld is not None
        ]
        # ... and as far as a truck on site is pinned (a late one near midnight), or the pin
        # would cross the end and the re-plan leave the truck out (day_horizon.reach_on_site).
        horizon_end = reach_on_site(horizon_end, loads, every_hub, settings.slot_minutes)
        hubs = [_blocked_inside(h, horizon_start, horizon_end) for h in every_hub]
        # Loads released outside the horizon that hold slots inside it stay where they are: the
        # plan holds them pinned (so docks, crews and site capacity count them), or, when their
        # span crosses the horizon's edge, their docks are blocked for that span.
        planned_hubs = {h.id for h in hubs}
        taken = _taken_by_other_loads(
            uow, in_force, {ld.id for ld in loads}, planned_hubs, horizon_start, horizon_end
        )
        for ld, a in taken:
            if a.start >= horizon_start and a.disinfected_at <= horizon_end:
                here = Position(hub_id=a.hub_id, dock_id=a.dock_id, start=a.start)
                loads.append(ld.model_copy(update={"pinned": here, "previous": here}))
        crossing = [
            a for _, a in taken if a.start < horizon_start or a.disinfected_at > horizon_end
        ]
        hubs = [_with_taken_docks(h, crossing) for h in hubs]
        # A checked-in truck waits for a dock the gate still holds (models/pin_shift.py).
        loads = pins_after_gate_runs(uow, loads, in_force, hubs, settings, horizon_start)
        # A pin moved later than that reach still lies inside (blocked windows are those read).
        horizon_end = reach_on_site(horizon_end, loads, hubs, settings.slot_minutes)
        hubs = _with_gate_runs(uow, hubs, in_force, loads, horizon_start, horizon_end)
        transfers = uow.transfers.list(load_ids=[ld.id for ld in loads])

    return Scenario(
        name=header.get("name", "scenario"),
        timezone=header.get("timezone", DEFAULT_TIMEZONE),
        horizon=Horizon(start=horizon_start, end=horizon_end),
        settings=settings,
        hubs=hubs,
        enterprises=enterprises,
        loads=loads,
        transfers=transfers,
    )


def _taken_by_other_loads(
    uow: UnitOfWork,
    in_force: dict[str, Assignment],
    planned: set[str],
    hubs: set[str],
    start: datetime,
    end: datetime,
) -> list[tuple[Load, Assignment]]:
    """Loads this plan would not hold (released outside the horizon) with their slots in force
    at `hubs` that touch the horizon: the plan must leave those alone, or publishing would
    double-book."""
    inside = {
        load_id: a
        for load_id, a in in_force.items()
        if load_id not in planned
        and a.hub_id in hubs
        and a.start < end
        and a.disinfected_at > start
    }
    return [(ld, inside[ld.id]) for ld in uow.loads.get_many(inside) if ld.status in PLANNABLE]


def _with_taken_docks(hub: Hub, taken: list[Assignment]) -> Hub:
    """The hub with each dock's taken spans as blocked windows (H3 becomes H5 for this plan)."""
    mine = [a for a in taken if a.hub_id == hub.id]
    if not mine:
        return hub
    windows = [
        BlockedWindow(
            id=f"held-{n}",  # a load key (`E01/L-1`) is no window id; the reason names it
            start=a.start,
            end=a.disinfected_at,
            zone_id=a.zone_id,
            dock_id=a.dock_id,
            reason=f"load {a.load_id} holds this dock in the plan in force",
        )
        for n, a in enumerate(mine, start=1)
    ]
    return hub.model_copy(update={"blocked": [*hub.blocked, *windows]})


def _with_gate_runs(
    uow: UnitOfWork,
    hubs: list[Hub],
    in_force: dict[str, Assignment],
    loads: list[Load],
    start: datetime,
    end: datetime,
) -> list[Hub]:
    """The hubs with each dock's real use at the gate as blocked windows, where it differs from
    what the plan holds: a completed truck (no plan holds it any more) keeps its dock busy from
    its actual start to its actual end and the disinfection after it, and a truck still in
    operation past its slot keeps it busy beyond its pinned slot (`early_start.dock_busy`, H3).
    Spans of the trucks pinned on site (H10) are cut out: they keep their docks whatever the gate
    shows, and the rest of the dock waits for them (a checked-in truck's pin that such a run
    overlaps was moved after it first: `pin_shift.pins_after_gate_runs`)."""
    planned_hubs = {h.id for h in hubs}
    margin = timedelta(hours=12)  # gate times may lie well away from the planned slot
    runs = {
        load_id: a
        for load_id, a in in_force.items()
        if a.hub_id in planned_hubs and a.start < end + margin and a.disinfected_at > start - margin
    }
    pinned: dict[tuple[str, str], list[tuple[datetime, datetime]]] = {}
    for ld in loads:
        a = in_force.get(ld.id)
        if ld.pinned is not None and a is not None and a.start == ld.pinned.start:
            pinned.setdefault((a.hub_id, a.dock_id), []).append((a.start, a.disinfected_at))
    spans = []
    for ld in uow.loads.get_many(runs):
        if ld.started_at is None or ld.status not in RAN_AT_GATE:
            continue
        a = runs[ld.id]
        busy = dock_busy(a, ld)
        if busy is None:
            continue
        for lo, hi in _outside(busy, pinned.get((a.hub_id, a.dock_id), [])):
            spans.append((a, max(lo, start), min(hi, end)))
    return with_gate_runs(hubs, spans)


def _outside(
    span: tuple[datetime, datetime], cuts: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of `span` that no span of `cuts` covers, in time order."""
    pieces = [span]
    for c0, c1 in sorted(cuts):
        pieces = [
            part
            for lo, hi in pieces
            for part in ((lo, min(hi, c0)), (max(lo, c1), hi))
            if part[0] < part[1]
        ]
    return pieces


def _blocked_inside(hub: Hub, start: datetime, end: datetime) -> Hub:
    """The hub with only the blocked windows that touch the horizon."""
    blocked = [b for b in hub.blocked if b.start < end and b.end > start]
    return hub if len(blocked) == len(hub.blocked) else hub.model_copy(update={"blocked": blocked})


def _with_positions(
    load: Load, placed: Position | None, docks: set[tuple[str, str]], hub_ids: set[str] | None
) -> Load | None:
    """The load with `previous` from the published plan, pinned when on site; None to leave it out.

    With a hub subset, a load placed at or pinned to another hub stays where it is (left out), and
    its allowed hubs are narrowed to the subset. Positions at docks that no longer exist are
    dropped.
    """
    previous = placed or load.previous
    pinned = load.pinned
    if pinned is None and load.status in ON_SITE and previous is not None:
        pinned = previous  # H10: a truck on site keeps its dock
    if hub_ids is not None:
        for position in (pinned, placed):
            if position is not None and position.hub_id not in hub_ids:
                return None
        allowed = load.allowed_hubs
        if allowed is not None:
            allowed = [h for h in allowed if h in hub_ids]
            if not allowed:
                return None
        load = load.model_copy(update={"allowed_hubs": allowed})
    if previous is not None and (previous.hub_id, previous.dock_id) not in docks:
        previous = None
    if pinned is not None and (pinned.hub_id, pinned.dock_id) not in docks:
        pinned = None
    return load.model_copy(update={"previous": previous, "pinned": pinned})
