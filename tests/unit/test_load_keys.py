"""Load keys (`enterprise_id/id`) and how responses show them (hub_scheduler/load_keys.py,
api/load_ids.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.load_ids import shown, text
from hub_scheduler import load_keys
from hub_scheduler.domain import Transfer


def test_a_key_qualifies_once_and_splits_back():
    key = load_keys.qualify("E01", "L-0001")
    assert key == "E01/L-0001" and load_keys.qualify("E02", key) == key
    assert load_keys.split(key) == ("E01", "L-0001")
    assert load_keys.split("L-0001") == (None, "L-0001")
    assert load_keys.local("寻乌-E1/车次.1") == "车次.1"


def test_the_domain_takes_keys_but_no_other_slashes():
    assert Transfer(inbound="E01/A", outbound="E01/B").inbound == "E01/A"
    for bad in ("E01/A/B", "/A", "E01/", "a b/c"):
        with pytest.raises(ValidationError):
            Transfer(inbound=bad, outbound="E01/B")


def test_responses_show_ids_with_their_enterprise():
    body = {
        "items": [{"id": "E01/L1", "enterprise_id": "E01", "transfer_to": "E01/L2", "note": "a/b"}],
        "assignments": [{"load_id": "E02/L1", "hub_id": "LP"}],
        "load_ids": ["E01/L1"],
        "generated_ids": {"3": "E01/L-9"},
        "screening_failures": {"E01/L1": ["HEALTH: red"]},
        "errors": [{"message": 'unknown load "E02/X"', "params": {"load": "E02/X"}}],
        "relay": {"inbound": "E01/A", "outbound": "E01/B"},
    }
    assert shown(body) == {
        "items": [{"id": "L1", "enterprise_id": "E01", "transfer_to": "L2", "note": "a/b"}],
        "assignments": [{"load_id": "L1", "hub_id": "LP", "enterprise_id": "E02"}],
        "load_ids": ["L1"],
        "generated_ids": {"3": "L-9"},
        "screening_failures": {"L1": ["HEALTH: red"]},
        "errors": [{"message": 'unknown load "X"', "params": {"load": "X"}}],
        "relay": {"inbound": "A", "outbound": "B", "enterprise_id": "E01"},
    }
    assert text('no load "E01/L1"; 冷链/常温 stays') == 'no load "L1"; 冷链/常温 stays'
