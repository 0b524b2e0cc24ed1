"""What the check-in form starts from: the screening the load was submitted with (so the gate
checks what was declared instead of typing it again), and, where the submission lacks a part the
entry check needs (H11, DESIGN.md 'Entry screening'), which part is missing, said at the form."""

from __future__ import annotations

from datetime import datetime

from api.web.i18n import translate
from api.web.zone import local_zone
from hub_scheduler.domain import Load

# The parts of the screening the gate needs, as the catalogue names them ("gate_missing_<part>").
PARTS = ("test", "health_code", "temperature")


def local_minute(moment: datetime) -> str:
    """A moment as a datetime-local input holds it: the site's zone, to the minute, no offset."""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")


def declared(load: Load) -> dict[str, str]:
    """The form's fields as the load's declared screening fills them (text, as the inputs hold
    it; a time in the site's zone without its offset); empty where nothing was declared."""
    fields: dict[str, str] = {"has_pass": "on"} if load.has_pass else {}
    s = load.screening
    if s is None:
        return fields
    if s.test_type is not None:
        fields["test_type"] = s.test_type.value
    if s.test_result is not None:
        fields["test_result"] = s.test_result.value
    if s.test_time is not None:
        fields["test_time"] = local_minute(s.test_time)
    if s.health_code is not None:
        fields["health_code"] = s.health_code.value
    if s.body_temperature_c is not None:
        fields["body_temperature_c"] = f"{s.body_temperature_c:g}"
    return fields


def missing(load: Load) -> list[str]:
    """The parts of the screening the submission lacks (PARTS' order); none when the driver
    declared a unified pass (the pass alone lets him in when valid at arrival)."""
    if load.has_pass:
        return []
    s = load.screening
    gaps = []
    if s is None or s.test_type is None or s.test_result is None or s.test_time is None:
        gaps.append("test")
    if s is None or s.health_code is None:
        gaps.append("health_code")
    if s is None or s.body_temperature_c is None:
        gaps.append("temperature")
    return gaps


def missing_said(load: Load) -> str | None:
    """What the submission lacks, said in the page's language for the check-in form; None when
    nothing is missing."""
    gaps = missing(load)
    if not gaps:
        return None
    parts = translate("list_sep").join(translate("gate_missing_" + g) for g in gaps)
    return translate(
        "The load was submitted without: {parts}. Check them with the driver and fill them in here.",  # noqa: E501
        parts=parts,
    )
