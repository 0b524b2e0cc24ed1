"""The gate page's words for a truck refused as a contact of an open incident
(services/incident_contacts.py): why, where and what the operator may do (an override note)."""

from __future__ import annotations

from datetime import datetime

from api.web.i18n import translate
from api.web.messages import EN
from api.web.zone import local_zone
from hub_scheduler import load_keys
from hub_scheduler.errors import HubSchedulerError

CODE = "gate_incident_contact"
POSITIVE_CODE = "gate_positive_vehicle"  # the positive case's own truck, booked again
NOTE_FIELD = "override_note"


def is_contact_refusal(exc: HubSchedulerError) -> bool:
    """Whether the service refused the check-in because the load is a contact."""
    return any(e.code in (CODE, POSITIVE_CODE) for e in exc.errors)


def contact_reasons(exc: HubSchedulerError, load_id: str, hub_names: dict[str, str]) -> list[str]:
    """One line per open incident the load is a contact of, in the page's language: the
    incident, the contact's kind, the hub, when it was reported. Nothing about the positive
    truck or its driver (the service's params hold none)."""
    lines = []
    for error in exc.errors:
        if error.code not in (CODE, POSITIVE_CODE) or not error.params:
            continue
        p = error.params
        reported = datetime.fromisoformat(str(p["reported_at"])).astimezone(local_zone())
        if error.code == POSITIVE_CODE:
            lines.append(
                translate(
                    "The truck of load {id} is the positive case's own truck of open incident {incident} (reported at {time}); it is not checked in.",  # noqa: E501
                    id=load_keys.local(load_id),
                    incident=p.get("incident_id"),
                    time=reported.strftime("%Y-%m-%d %H:%M"),
                )
            )
            continue
        kind = "contact_" + str(p.get("kind"))
        hub = str(p.get("hub_id") or "—")
        lines.append(
            translate(
                "Load {id} is a contact of open incident {incident} ({reason}, {hub}, reported at {time}); it is not checked in.",  # noqa: E501
                id=load_keys.local(load_id),
                incident=p.get("incident_id"),
                reason=translate(kind) if kind in EN else str(p.get("kind")),
                hub=hub_names.get(hub, hub),
                time=reported.strftime("%Y-%m-%d %H:%M"),
            )
        )
    return lines
