"""Names and facts the pages show beside a plan: loads and enterprises by id."""

from __future__ import annotations

from api.database import db
from hub_scheduler.domain import Enterprise, Load
from hub_scheduler.services import enterprises as enterprise_service
from hub_scheduler.services import loads as load_service
from hub_scheduler.services.principal import Principal

# A county day holds a few hundred loads; the pages show them all at once.
_ALL = 100_000


def enterprises_by_id() -> dict[str, Enterprise]:
    return {e.id: e for e in enterprise_service.list_enterprises(db.uow())}


def loads_by_id(principal: Principal) -> dict[str, Load]:
    """Every load the principal may see (an enterprise only its own)."""
    loads, _ = load_service.list_loads(db.uow(), principal=principal, limit=_ALL)
    return {load.id: load for load in loads}
