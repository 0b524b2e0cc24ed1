"""OR-Library weighted tardiness (wt40, wt50, wt100): read the instances, turn one into a Scenario.

An instance becomes one always-open hub with one ambient zone and one dock, no disinfection, a
1-minute slot grid, every release at the horizon start, due = start + d and priority_weight = w,
so the scenario's objective is exactly the instance's total weighted tardiness.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub_scheduler.domain import (
    CargoCategory,
    Dock,
    Enterprise,
    Horizon,
    Hub,
    Load,
    Scenario,
    Settings,
    Temperature,
    Zone,
)

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "orlib-wt"  # copied in, with its licence
START = datetime(2026, 1, 1, tzinfo=UTC)

# set name -> (jobs per instance, file of optimal or best-known values)
SETS: dict[str, tuple[int, str]] = {
    "wt40": (40, "wtopt40.txt"),
    "wt50": (50, "wtopt50.txt"),
    "wt100": (100, "wtbest100b.txt"),
}


@dataclass(frozen=True)
class Instance:
    name: str  # e.g. "wt40-7" (1-based, as OR-Library numbers them)
    processing: tuple[int, ...]
    weights: tuple[int, ...]
    due: tuple[int, ...]
    best: int  # the optimum, or the best known value


def _integers(path: Path) -> list[int]:
    return [int(token) for token in path.read_text().split()]


def read_set(name: str, directory: Path = DEFAULT_DIR) -> list[Instance]:
    """All 125 instances of a set with their optimal (or best-known) values."""
    n, values_file = SETS[name]
    numbers = _integers(directory / f"{name}.txt")
    best = _integers(directory / values_file)
    if len(numbers) % (3 * n):
        raise ValueError(f"{name}.txt holds {len(numbers)} integers, not a multiple of {3 * n}")
    count = len(numbers) // (3 * n)
    if len(best) < count:
        raise ValueError(f"{values_file} holds {len(best)} values for {count} instances")
    out = []
    for k in range(count):
        chunk = numbers[3 * n * k : 3 * n * (k + 1)]
        out.append(
            Instance(
                name=f"{name}-{k + 1}",
                processing=tuple(chunk[:n]),
                weights=tuple(chunk[n : 2 * n]),
                due=tuple(chunk[2 * n :]),
                best=best[k],
            )
        )
    return out


def weighted_tardiness(instance: Instance, order: list[int]) -> int:
    """Total weighted tardiness of processing the jobs in `order` back to back from time 0."""
    t = total = 0
    for j in order:
        t += instance.processing[j]
        total += instance.weights[j] * max(0, t - instance.due[j])
    return total


def to_scenario(instance: Instance) -> Scenario:
    """The instance as a one-dock hub day whose objective is its total weighted tardiness."""
    horizon = sum(instance.processing)  # back to back, every job fits
    zone = Zone(id="Z", temperature=Temperature.AMBIENT, docks=[Dock(id="M")])
    loads = [
        Load(
            id=f"J{j + 1}",
            enterprise_id="E",
            category=CargoCategory.OTHER,
            temperature=Temperature.AMBIENT,
            handling_minutes=p,
            release=START,
            due=START + timedelta(minutes=d),
            priority_weight=w,
        )
        for j, (p, w, d) in enumerate(
            zip(instance.processing, instance.weights, instance.due, strict=True)
        )
    ]
    return Scenario(
        name=instance.name,
        timezone="UTC",
        horizon=Horizon(start=START, end=START + timedelta(minutes=horizon)),
        settings=Settings(slot_minutes=1, workers=1),
        hubs=[Hub(id="M", opening_hours=None, disinfection_minutes=0, zones=[zone])],
        enterprises=[Enterprise(id="E", name="OR-Library")],
        loads=loads,
    )
