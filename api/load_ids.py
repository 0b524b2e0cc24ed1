"""Load keys at the edge (hub_scheduler/load_ids.py): the API and webhooks show ids alike."""

from flask import g

from hub_scheduler.load_ids import LOAD_ID_FIELDS, REF_FIELDS, TEXT_FIELDS, shown, text


def viewer() -> str | None:
    """The enterprise whose view a response is (`shown`'s `viewer`): an enterprise token's or
    user's; None for admins, operators and requests without a principal (they see every load,
    each with its enterprise)."""
    principal = g.get("principal")
    if principal is None or not principal.is_enterprise:
        return None
    return principal.enterprise_id or ""  # an enterprise principal without one sees no other


__all__ = ["LOAD_ID_FIELDS", "REF_FIELDS", "TEXT_FIELDS", "shown", "text", "viewer"]
