"""The site: its name, time zone and scenario settings, read in this one place.

Seeding a scenario keeps its header (name, time zone, settings) under the config key `scenario`;
the API responses, the pages, the sheets and the CLI all read it through `read_site`, so a site in
Europe/Berlin shows Berlin offsets everywhere. `zone` (the `HUB_SCHEDULER_TIMEZONE` setting, passed
in by the caller) overrides the seeded zone; with neither, the zone is DEFAULT_TIMEZONE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub_scheduler.domain import DEFAULT_TIMEZONE, ScreeningPolicy, Settings
from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.scenario_file import parse_model
from hub_scheduler.services.audit import record

SCENARIO_CONFIG_KEY = "scenario"  # where seeding keeps the name, time zone and settings


@dataclass(frozen=True)
class Site:
    """`timezone`: every time shown or read carries its offset; `settings`: the seeded scenario's
    solver and screening settings (defaults when nothing was seeded)."""

    name: str = "scenario"
    timezone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)
    settings: Settings = field(default_factory=Settings)


def time_zone(name: str, field_name: str = "timezone") -> ZoneInfo:
    """The IANA zone `name`; ValidationFailed naming `field_name` when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            f'unknown time zone "{name}"',
            [FieldError(field=field_name, message=f'"{name}" is not an IANA time zone')],
        ) from exc


def read_site(uow: UnitOfWork, *, zone: str | None = None) -> Site:
    """The seeded site (in its own unit of work, or the caller's open one); `zone`, else the
    unit of work's configured `zone` (HUB_SCHEDULER_TIMEZONE), overrides the seeded zone."""
    with uow:
        header = uow.config.get(SCENARIO_CONFIG_KEY) or {}
    zone = zone or getattr(uow, "zone", None)
    return Site(
        name=header.get("name") or Site.name,
        timezone=time_zone(zone or header.get("timezone") or DEFAULT_TIMEZONE),
        settings=Settings.model_validate(header.get("settings") or {}),
    )


def site_timezone(uow: UnitOfWork, *, zone: str | None = None) -> ZoneInfo:
    return read_site(uow, zone=zone).timezone


def site_settings(uow: UnitOfWork) -> Settings:
    return read_site(uow).settings


def screening_policy(uow: UnitOfWork) -> ScreeningPolicy:
    """The site's entry-screening policy (the stored one; the defaults when nothing is stored)."""
    return site_settings(uow).screening


def update_screening_policy(
    uow: UnitOfWork, changes: dict[str, Any], *, actor: str
) -> ScreeningPolicy:
    """Change the stored entry-screening policy (`required`, `max_test_age_hours`,
    `allow_antigen`, `max_body_temperature_c`): merged over the stored one, validated as a
    `ScreeningPolicy` (ValidationFailed naming the field), stored in the site header the gate, the
    load checks and the planner read, and audited as `site.screening` with the values before and
    after. Gives the new policy."""
    with uow:
        header = dict(uow.config.get(SCENARIO_CONFIG_KEY) or {})
        settings = dict(header.get("settings") or {})
        before = Settings.model_validate(settings).screening
        merged = parse_model(
            ScreeningPolicy, {**before.model_dump(mode="json"), **changes}, "screening policy"
        )
        settings["screening"] = merged.model_dump(mode="json")
        header["settings"] = settings
        uow.config.set(SCENARIO_CONFIG_KEY, header)
        changed = {
            k: {"from": getattr(before, k), "to": getattr(merged, k)}
            for k in sorted(changes)
            if getattr(before, k, None) != getattr(merged, k, None)
        }
        record(uow, actor, "site.screening", "site", "screening", {"changed": changed})
        uow.commit()
    return merged
