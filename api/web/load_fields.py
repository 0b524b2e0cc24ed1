"""A load's fields by one name each, wherever the loads page names them: the submit form's
labels, the sheet's error table, the loads list's column heads.

In zh-CN the name is the sheet template's header (`hub_scheduler.sheets.vocabulary.HEADERS`, the
public contract docs/sheets.md shows; `template.header_name` without its `*`), so the form, the
list and the error table say 温层 where the sheet says 温层. In English the form and the list
use the page's own words (`FIELDS_EN`); the error table names a column as an English sheet
heads it: by the field's id (`release`), the name the service writes.
"""

from __future__ import annotations

from api.web.i18n import current_language, translate
from hub_scheduler.sheets.load_rows import COLUMNS
from hub_scheduler.sheets.template import header_name

FIELDS_EN = {
    "id": "Load id",
    "enterprise_id": "Enterprise",
    "category": "Cargo category",
    "temperature": "Temperature class",
    "handling_minutes": "Handling minutes",
    "release": "Expected arrival",
    "due": "Wished completion",
    "deadline": "Hard deadline",
    "priority_weight": "Priority weight",
    "allowed_hubs": "Allowed hubs",
    "vehicle_plate": "Vehicle plate",
    "driver_phone": "Driver phone",
    "has_pass": "Holds a unified pass",
    "test_type": "Test type",
    "test_result": "Test result",
    "test_time": "Sampled at",
    "health_code": "Health code",
    "body_temperature_c": "Body temperature °C",
    "origin_lat": "Origin latitude",
    "origin_lon": "Origin longitude",
    "disinfection_minutes": "Disinfection minutes",
    "pass_valid_until": "Pass valid until",
    "transfer_to": "Relay to load",
    "transfer_from": "Relay from load",
    "transfer_min_gap_minutes": "Relay gap (minutes)",
}
assert set(FIELDS_EN) == set(COLUMNS), "every sheet column has its English name"


def field_label(column: str, optional: bool = False) -> str:
    """The field's name in the page's language; `optional` adds the form's "(optional)"."""
    if current_language() == "zh-CN":
        name = header_name(column).rstrip("*")
    else:
        name = FIELDS_EN.get(column, column)
    return translate("{field} (optional)", field=name) if optional else name


def sheet_headers() -> dict[str, str]:
    """Each sheet column as the sheet heads it, for the sheet's error table."""
    if current_language() == "zh-CN":
        return {column: field_label(column) for column in COLUMNS}
    return {column: column for column in COLUMNS}
