"""The Xunwu demo day: a seeded generator for one day of freight through Xunwu county's transfer
hubs.

Xunwu (寻乌县, Ganzhou, Jiangxi) sits where Jiangxi meets Guangdong and Fujian; navel oranges are in
harvest in late November. Every enterprise, plate and hub name here is invented; no real person is
named. The committed `fixtures/xunwu.json` is this module's output for the default seed:

    python -m hub_scheduler.demo_data --out fixtures/xunwu.json
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub_scheduler.demo_places import (
    AMBIENT,
    COLD,
    DAY_START,
    DEFAULT_SEED,
    ORIGINS,
    RELAYS,
    SHIPPERS,
    C,
    Shipper,
    demo_hubs,
)
from hub_scheduler.domain import (
    CargoCategory,
    HealthCode,
    Horizon,
    Load,
    ObjectiveWeights,
    Scenario,
    Screening,
    ScreeningPolicy,
    Settings,
    Temperature,
    TestResult,
    TestType,
    Transfer,
)

PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates


class _DayBuilder:
    """Draws the day's trucks from one random stream, in a fixed order, so a seed fixes the day."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.loads: list[Load] = []
        self.transfers: list[Transfer] = []
        self.plates: set[str] = set()

    def arrival_minute(self) -> int:
        """Morning and afternoon peaks over a thin all-day background, 02:00 to 21:00."""
        r = self.rng.random()
        if r < 0.42:
            minute = self.rng.gauss(8.5 * 60, 70)
        elif r < 0.80:
            minute = self.rng.gauss(15 * 60, 80)
        else:
            minute = self.rng.uniform(2 * 60, 21 * 60)
        return int(min(max(minute, 2 * 60), 21 * 60)) // 5 * 5

    def plate(self, prefix: str) -> str:
        while True:
            tail = "".join(self.rng.choice(PLATE_CHARS if i else "0123456789") for i in range(5))
            plate = f"{prefix}·{tail[::-1]}"
            if plate not in self.plates:
                self.plates.add(plate)
                return plate

    def screening(self, release: datetime) -> Screening:
        """A driver who passes: a negative PCR test 4 to 40 h before arrival, green code, no
        fever."""
        return Screening(
            test_type=TestType.PCR,
            test_result=TestResult.NEGATIVE,
            test_time=release - timedelta(minutes=self.rng.randint(4 * 60, 40 * 60) // 5 * 5),
            health_code=HealthCode.GREEN,
            body_temperature_c=round(self.rng.uniform(36.0, 37.0), 1),
        )

    def load(
        self,
        shipper: Shipper,
        release_minute: int,
        temperature: Temperature,
        category: CargoCategory,
        origin: str,
        plate_prefix: str,
    ) -> Load:
        lo, hi = shipper.handling
        handling = self.rng.randint(lo // 5, hi // 5) * 5
        release = DAY_START + timedelta(minutes=release_minute)
        slack = self.rng.choice((60, 90, 120, 150, 180, 240))
        if category is C.MEDICAL_SUPPLIES or temperature is COLD:
            slack = min(slack, 120)  # medicine and the cold chain cannot wait long
        due_minute = min(release_minute + handling + slack, 23 * 60)
        deadline = None
        if self.rng.random() < 0.15:
            deadline = DAY_START + timedelta(
                minutes=min(due_minute + self.rng.choice((60, 120)), 23 * 60)
            )
        return Load(
            id=f"L{len(self.loads) + 1:03d}",
            enterprise_id=shipper.enterprise.id,
            category=category,
            temperature=temperature,
            handling_minutes=handling,
            release=release,
            due=DAY_START + timedelta(minutes=due_minute),
            deadline=deadline,
            allowed_hubs=list(shipper.allowed_hubs) if shipper.allowed_hubs else None,
            origin=ORIGINS[origin],
            vehicle_plate=self.plate(plate_prefix),
            screening=self.screening(release),
        )

    def add_trucks(self, shipper: Shipper) -> None:
        for i in range(shipper.trucks):
            temperature = COLD if self.rng.random() < shipper.cold_share else AMBIENT
            category = shipper.category
            if shipper.other_category is not None and i % 3 == 2:
                category = shipper.other_category
            origin = self.rng.choice(shipper.origins)
            self.loads.append(
                self.load(
                    shipper,
                    self.arrival_minute(),
                    temperature,
                    category,
                    origin,
                    shipper.plate_prefix,
                )
            )

    def add_relay(self, shipper: Shipper, min_gap: int) -> None:
        """An inbound truck from outside the county, then a local truck that takes its goods on."""
        temperature = COLD if shipper.cold_share >= 0.5 else AMBIENT
        inbound_at = self.rng.randint(5 * 12, 15 * 12) * 5
        far = [o for o in shipper.origins if o not in ("xunwu", "jitan", "chengjiang", "nanqiao")]
        inbound = self.load(
            shipper,
            inbound_at,
            temperature,
            shipper.category,
            self.rng.choice(far or list(shipper.origins)),
            shipper.plate_prefix,
        )
        # the inbound truck is wanted an hour after arrival; the local truck comes after that
        inbound.due = inbound.release + timedelta(minutes=inbound.handling_minutes + 60)
        inbound.deadline = None
        self.loads.append(inbound)
        outbound_at = inbound_at + inbound.handling_minutes + 60 + self.rng.choice((30, 60, 90))
        outbound = self.load(shipper, outbound_at, temperature, shipper.category, "xunwu", "赣B")
        outbound.deadline = None
        self.loads.append(outbound)
        self.transfers.append(
            Transfer(inbound=inbound.id, outbound=outbound.id, min_gap_minutes=min_gap)
        )

    def vary(self) -> None:
        """Passes, failed screenings, urgent weights and longer disinfection on a few loads."""
        candidates = [
            ld
            for ld in self.loads
            if ld.id
            not in {t.outbound for t in self.transfers} | {t.inbound for t in self.transfers}
        ]
        picks = self.rng.sample(candidates, 16)
        for ld in picks[:6]:  # unified pass holders: no test needed while the pass is valid
            ld.has_pass = True
            ld.screening = (
                None
                if ld is picks[0]
                else Screening(
                    pass_valid_until=DAY_START + timedelta(days=7),
                    health_code=HealthCode.GREEN,
                    body_temperature_c=36.5,
                )
            )
        old, yellow, fever = picks[6].screening, picks[7].screening, picks[8].screening
        antigen = picks[9].screening
        # every generated load carries a screening; only picks[0] (a pass holder) lost it above
        assert old and yellow and fever and antigen
        old.test_time = picks[6].release - timedelta(hours=60)
        yellow.health_code = HealthCode.YELLOW
        fever.body_temperature_c = 38.2
        # an antigen test: refused under today's policy (allow_antigen is false)
        antigen.test_type = TestType.ANTIGEN
        for ld in picks[10:13]:
            ld.priority_weight = 20
        for ld in picks[13:16]:
            ld.disinfection_minutes = 40


def build_scenario(seed: int = DEFAULT_SEED) -> Scenario:
    """The Xunwu demo day for `seed`: 4 hubs, 15 enterprises, 200 loads, 10 relay pairs."""
    day = _DayBuilder(seed)
    by_id = {s.enterprise.id: s for s in SHIPPERS}
    for shipper in SHIPPERS:
        day.add_trucks(shipper)
    for eid, pairs, gap in RELAYS:
        for _ in range(pairs):
            day.add_relay(by_id[eid], gap)
    day.vary()
    return Scenario(
        name="xunwu-2026-11-28",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=DAY_START, end=DAY_START + timedelta(days=1)),
        settings=Settings(
            slot_minutes=15,
            time_limit_s=10,
            seed=7,
            objective=ObjectiveWeights(),
            screening=ScreeningPolicy(required=True, max_test_age_hours=48, allow_antigen=False),
        ),
        hubs=demo_hubs(),
        enterprises=[s.enterprise for s in SHIPPERS],
        loads=day.loads,
        transfers=day.transfers,
    )


def stable_json(model: BaseModel) -> dict[str, Any]:
    """The committed form of a scenario: fields equal to their defaults are left out, so adding a
    defaulted field to a model leaves `fixtures/xunwu.json` as it was; the `format` marker stays."""
    has_marker = "format" in type(model).model_fields
    marker = model.model_dump(mode="json", include={"format"}) if has_marker else {}
    return {**marker, **model.model_dump(mode="json", exclude_defaults=True)}


def write_fixture(scenario: Scenario, path: str | Path) -> None:
    text = json.dumps(stable_json(scenario), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write the demo scenario: `python -m hub_scheduler.demo_data --out fixtures/xunwu.json`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the scenario@1 JSON")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    scenario = build_scenario(args.seed)
    write_fixture(scenario, args.out)
    print(f"{args.out}: {len(scenario.loads)} loads, {len(scenario.transfers)} transfers")


if __name__ == "__main__":
    main()
