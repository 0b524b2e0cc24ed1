"""Explicit conversion between table rows and the domain objects, both ways.

`*_from_row` builds a fresh domain object (never a live ORM object); `fill_*_row` copies a domain
object onto a row. Fields the formats may grow (pydantic extras) travel in each row's
`extra` column.

One module per aggregate (`hubs`, `loads`, `plans`, `records`, and `common`, which copies the
fields a domain object and its table share by name); the repositories call
them as `convert.<name>`.
"""

from __future__ import annotations

from models.convert.common import (
    column_value,
    column_values,
    enum_str,
    extra_of,
    field_values,
    fill_row,
    record_from_row,
    shared_fields,
    to_jsonable_python,
)
from models.convert.hubs import (
    blocked_window_from_row,
    blocked_window_row,
    enterprise_from_row,
    fill_enterprise_row,
    fill_hub_row,
    hub_from_row,
)
from models.convert.loads import (
    fill_load_row,
    fill_proposal_row,
    fill_transfer_row,
    load_from_row,
    load_row_values,
    proposal_from_row,
    transfer_from_row,
)
from models.convert.plans import (
    assignment_from_row,
    fill_plan_row,
    fill_schedule_header,
    plan_from_row,
    schedule_from_row,
    schedule_rows,
    unscheduled_from_row,
    with_unscheduled_detail,
)
from models.convert.records import (
    activation_from_row,
    audit_from_row,
    audit_row,
    audit_row_values,
    fill_activation_row,
    fill_incident_row,
    incident_from_row,
    token_from_row,
    token_row,
    user_from_row,
    user_row,
)

__all__ = [
    "activation_from_row",
    "assignment_from_row",
    "audit_from_row",
    "audit_row",
    "audit_row_values",
    "blocked_window_from_row",
    "blocked_window_row",
    "column_value",
    "column_values",
    "enterprise_from_row",
    "enum_str",
    "extra_of",
    "field_values",
    "fill_activation_row",
    "fill_enterprise_row",
    "fill_hub_row",
    "fill_incident_row",
    "fill_load_row",
    "fill_plan_row",
    "fill_proposal_row",
    "fill_schedule_header",
    "fill_row",
    "fill_transfer_row",
    "hub_from_row",
    "incident_from_row",
    "load_from_row",
    "load_row_values",
    "plan_from_row",
    "proposal_from_row",
    "schedule_from_row",
    "record_from_row",
    "schedule_rows",
    "shared_fields",
    "to_jsonable_python",
    "token_from_row",
    "token_row",
    "transfer_from_row",
    "unscheduled_from_row",
    "user_from_row",
    "user_row",
    "with_unscheduled_detail",
]
