"""What part of a plan the timeline draws: the day, the hours, the zoom and the hub, zone and
enterprise filters, read from the query string and applied on the server so a city day (3,000
loads, 20 hubs) stays a small page.

A plan of more than `ONE_HUB_ABOVE` placed loads in view, or a site of more than
`DOCKS_ONE_HUB_ABOVE` docks, shows one hub at a time unless the user picks "all hubs" (`hub=*`);
the list of left-out loads shows at most `UNSCHEDULED_SHOWN`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlencode

from api.web.gantt import PlanParts
from hub_scheduler import limits
from hub_scheduler.domain import Hub, HubStatus
from hub_scheduler.errors import FieldError, ValidationFailed

ONE_HUB_ABOVE = 400  # placed loads: above this the page opens on one hub (hub pages)
DOCKS_ONE_HUB_ABOVE = 120  # docks: above this too (a city's empty rows weigh as much as bars)
UNSCHEDULED_SHOWN = 300
ZOOMS = (0, 40, 80, 160)  # px per hour; 0: fit the screen
ALL_HUBS = "*"


@dataclass(frozen=True)
class TimelineQuery:
    """The timeline's query string: `date` (published page) or `day` (a plan's page), a site-local
    YYYY-MM-DD; `from`/`to` whole hours 0-24 of that day; `zoom` px per hour (one of ZOOMS);
    `hub` (`*`: all), `zone`, `enterprise` ids."""

    day: date | None = None
    from_hour: int | None = None
    to_hour: int | None = None
    zoom: int = 0
    hub: str | None = None
    zone: str | None = None
    enterprise: str | None = None

    def args(self, **changes) -> dict[str, str]:
        """The query string of this view with `changes` (None drops a parameter), for links."""
        current = {
            "hub": self.hub,
            "zone": self.zone,
            "enterprise": self.enterprise,
            "from": self.from_hour,
            "to": self.to_hour,
            "zoom": self.zoom or None,
        }
        current.update(changes)
        return {k: str(v) for k, v in current.items() if v not in (None, "")}

    def query(self, **changes) -> str:
        return urlencode(self.args(**changes))


def parse_day(text: str, name: str) -> date:
    """A site-local YYYY-MM-DD within the window every stored time keeps (`limits.check_day`)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{name} is not a date",
            [FieldError(field=name, message="must be a date as YYYY-MM-DD", code="bad_date")],
        ) from None
    try:
        return limits.check_day(day)
    except ValueError as exc:
        raise ValidationFailed(
            f"{name} is out of range", [FieldError(field=name, message=str(exc), code="bad_date")]
        ) from None


def _hour(text: str, name: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) <= 24):
        raise ValidationFailed(
            f"{name} is not an hour",
            [FieldError(field=name, message="must be a whole hour from 0 to 24", code="bad_hour")],
        )
    return int(text)


def parse_query(args, day_name: str) -> TimelineQuery:
    """The view from request args; ValidationFailed (422) naming the field on a bad value."""
    day = parse_day(args[day_name], day_name) if args.get(day_name) else None
    from_hour = _hour(args["from"], "from") if args.get("from") else None
    to_hour = _hour(args["to"], "to") if args.get("to") else None
    if from_hour is not None and to_hour is not None and to_hour <= from_hour:
        raise ValidationFailed(
            "the hours are the wrong way round",
            [FieldError(field="to", message="must be after from", code="hours_order")],
        )
    zoom_text = args.get("zoom") or "0"
    if not (zoom_text.isascii() and zoom_text.isdigit() and int(zoom_text) in ZOOMS):
        raise ValidationFailed(
            "zoom is not one of the zooms",
            [
                FieldError(
                    field="zoom",
                    message="must be one of " + ", ".join(map(str, ZOOMS)),
                    code="bad_zoom",
                )
            ],
        )

    def text(name: str) -> str | None:
        value = (args.get(name) or "").strip()[:100]
        return value or None

    return TimelineQuery(
        day, from_hour, to_hour, int(zoom_text), text("hub"), text("zone"), text("enterprise")
    )


@dataclass
class HubChoice:
    hub: Hub
    placed: int


@dataclass
class Filtered:
    """The plan's parts the page draws, the choices the filter form offers, and what was cut."""

    parts: PlanParts
    unscheduled_total: int
    window: tuple[datetime, datetime] | None
    days: list[date]
    query: TimelineQuery
    hub_choices: list[HubChoice] = field(default_factory=list)
    zone_choices: list[str] = field(default_factory=list)
    enterprise_choices: list[tuple[str, str]] = field(default_factory=list)
    one_hub: bool = False  # the hub was chosen for the user because the plan is large
    placed_total: int = 0


def horizon_days(start: datetime, end: datetime, zone: tzinfo) -> list[date]:
    """The site-local days the horizon touches, in order."""
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def apply(
    query: TimelineQuery,
    parts: PlanParts,
    *,
    enterprise_names: dict[str, str],
    zone: tzinfo,
    pick_day: bool,
) -> Filtered:
    """Cut the plan to the view. `pick_day`: a plan of several days shows one (`query.day`, else
    its first); the published page's service already cut the plan to its day."""
    horizon_start, horizon_end, hubs = parts.horizon_start, parts.horizon_end, parts.hubs
    assignments, unscheduled, loads = parts.assignments, parts.unscheduled, parts.loads
    days = horizon_days(horizon_start, horizon_end, zone)
    if pick_day and len(days) > 1 and query.day is None:
        query = replace(query, day=days[0])
    if query.day is not None and pick_day and query.day not in days:
        raise ValidationFailed(
            "the day is outside the plan",
            [FieldError(field="day", message="is not a day of this plan", code="day_outside")],
        )
    window = None
    shown_day = query.day if (pick_day and len(days) > 1) or query.day else None
    if query.from_hour is not None or query.to_hour is not None or (pick_day and len(days) > 1):
        base = shown_day or horizon_start.astimezone(zone).date()
        midnight = datetime.combine(base, time(), zone)
        window = (
            midnight + timedelta(hours=query.from_hour or 0),
            midnight + timedelta(hours=24 if query.to_hour is None else query.to_hour),
        )
    known = {h.id for h in hubs}
    if query.hub not in (None, ALL_HUBS) and query.hub not in known:
        raise ValidationFailed(
            "no such hub",
            [FieldError(field="hub", message=f'unknown hub "{query.hub}"', code="unknown_hub")],
        )

    def of_enterprise(load_id: str) -> bool:
        load = loads.get(load_id)
        return query.enterprise is None or (
            load is not None and load.enterprise_id == query.enterprise
        )

    timed = [
        a
        for a in assignments
        if window is None or (a.start < window[1] and a.disinfected_at > window[0])
    ]
    per_hub: dict[str, int] = {}
    for a in timed:
        per_hub[a.hub_id] = per_hub.get(a.hub_id, 0) + 1
    ordered = sorted(hubs, key=lambda h: (h.status is not HubStatus.ACTIVE, h.id))
    one_hub = False
    docks = sum(len(z.docks) for h in hubs for z in h.zones)
    if query.hub is None and (len(timed) > ONE_HUB_ABOVE or docks > DOCKS_ONE_HUB_ABOVE):
        working = [h for h in ordered if per_hub.get(h.id)] or ordered
        query = replace(query, hub=working[0].id)
        one_hub = True
    chosen = [h for h in ordered if query.hub in (None, ALL_HUBS) or h.id == query.hub]
    if query.zone is not None:
        chosen = [
            h.model_copy(update={"zones": [z for z in h.zones if z.id == query.zone]})
            for h in chosen
        ]
        chosen = [h for h in chosen if h.zones]
    hub_ids = {h.id for h in chosen}
    shown = [
        a
        for a in timed
        if a.hub_id in hub_ids
        and (query.zone is None or a.zone_id == query.zone)
        and of_enterprise(a.load_id)
    ]
    left_out = [u for u in unscheduled if of_enterprise(u.load_id)]
    in_plan = {loads[a.load_id].enterprise_id for a in assignments if a.load_id in loads}
    in_plan |= {loads[u.load_id].enterprise_id for u in unscheduled if u.load_id in loads}
    zone_hubs = [h for h in ordered if query.hub in (None, ALL_HUBS) or h.id == query.hub]
    return Filtered(
        replace(parts, hubs=chosen, assignments=shown, unscheduled=left_out[:UNSCHEDULED_SHOWN]),
        unscheduled_total=len(left_out),
        window=window,
        days=days,
        query=query,
        hub_choices=[HubChoice(h, per_hub.get(h.id, 0)) for h in ordered],
        zone_choices=sorted({z.id for h in zone_hubs for z in h.zones}),
        enterprise_choices=sorted(
            ((e, enterprise_names.get(e, e)) for e in in_plan), key=lambda pair: pair[1]
        ),
        one_hub=one_hub,
        placed_total=len(assignments),
    )
