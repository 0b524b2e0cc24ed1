"""Load keys at the edge (hub_scheduler/load_ids.py): the API and webhooks show ids alike."""

from hub_scheduler.load_ids import LOAD_ID_FIELDS, TEXT_FIELDS, shown, text

__all__ = ["LOAD_ID_FIELDS", "TEXT_FIELDS", "shown", "text"]
