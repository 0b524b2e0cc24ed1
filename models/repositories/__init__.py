"""SQLAlchemy repositories: domain objects in, domain objects out, on one session.

Each repository works inside the unit of work's transaction and never commits. Missing objects are
`None` from `get` and `NotFound` from changes; clashing ids and keys are `Conflict`.
"""

from models.repositories.base import now
from models.repositories.events import SqlEventRepository, SqlWebhookRepository
from models.repositories.hubs import SqlEnterpriseRepository, SqlHubRepository
from models.repositories.loads import (
    SqlLoadRepository,
    SqlProposalRepository,
    SqlTransferRepository,
)
from models.repositories.plans import SqlPlanRepository
from models.repositories.records import (
    SqlActivationRepository,
    SqlAuditRepository,
    SqlConfigRepository,
    SqlIncidentRepository,
)
from models.repositories.reports import SqlReportRepository
from models.repositories.tokens import SqlTokenRepository
from models.repositories.users import SqlUserRepository

__all__ = [
    "SqlActivationRepository",
    "SqlAuditRepository",
    "SqlConfigRepository",
    "SqlEnterpriseRepository",
    "SqlEventRepository",
    "SqlHubRepository",
    "SqlIncidentRepository",
    "SqlLoadRepository",
    "SqlPlanRepository",
    "SqlProposalRepository",
    "SqlReportRepository",
    "SqlTokenRepository",
    "SqlTransferRepository",
    "SqlUserRepository",
    "SqlWebhookRepository",
    "now",
]
