"""The database tables, as typed SQLAlchemy 2 declarative classes.

These rows never leave `models/`: `models.convert` turns them into the domain objects of
`hub_scheduler.domain` and `hub_scheduler.records` and back. Enums are stored as their string
values (no native database enums, so adding a value needs no migration); JSON columns use
`sqlalchemy.JSON`, which works on SQLite and PostgreSQL alike; every timestamp is a `UtcDateTime`.

One module per aggregate (`hubs`, `loads`, `plans`, `records`) on one `base`; import the row
classes from here.
"""

from __future__ import annotations

from models.tables.base import (
    CODE,
    ID,
    NAME,
    NAMING_CONVENTION,
    TEXT,
    Base,
)
from models.tables.hubs import (
    ApiTokenRow,
    BlockedWindowRow,
    DockRow,
    EnterpriseRow,
    HubRow,
    OpeningHoursRow,
    UserRow,
    ZoneRow,
)
from models.tables.loads import (
    LoadRow,
    TransferProposalRow,
    TransferRow,
)
from models.tables.plans import (
    PlanAssignmentRow,
    PlanRow,
    PlanUnscheduledRow,
)
from models.tables.records import (
    ActivationRow,
    AuditRow,
    ConfigRow,
    EventRow,
    IncidentRow,
    ReportRow,
    WebhookDeliveryRow,
    WebhookRow,
)

__all__ = [
    "ActivationRow",
    "ApiTokenRow",
    "AuditRow",
    "Base",
    "BlockedWindowRow",
    "CODE",
    "ConfigRow",
    "DockRow",
    "EnterpriseRow",
    "EventRow",
    "HubRow",
    "ID",
    "IncidentRow",
    "LoadRow",
    "NAME",
    "NAMING_CONVENTION",
    "OpeningHoursRow",
    "PlanAssignmentRow",
    "PlanRow",
    "PlanUnscheduledRow",
    "ReportRow",
    "TEXT",
    "TransferProposalRow",
    "TransferRow",
    "UserRow",
    "WebhookDeliveryRow",
    "WebhookRow",
    "ZoneRow",
]
