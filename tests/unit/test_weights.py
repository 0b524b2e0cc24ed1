"""Priority weights: the documented default table, tier and pass factors; explicit weight wins."""

from __future__ import annotations

import pytest
from builders import make_enterprise, make_load

from hub_scheduler.domain import CargoCategory
from hub_scheduler.weights import (
    CATEGORY_WEIGHT,
    PASS_FACTOR,
    TIER_FACTOR,
    derived_weight,
    load_weight,
)


def test_the_default_table_is_the_documented_one():
    assert {c.value: w for c, w in CATEGORY_WEIGHT.items()} == {
        "medical_supplies": 10,
        "daily_necessities": 8,
        "government_reserve": 6,
        "postal_express": 5,
        "agricultural": 4,
        "energy": 4,
        "raw_materials": 3,
        "other": 1,
    }
    assert TIER_FACTOR == {1: 1.5, 2: 1.2, 3: 1.0}
    assert PASS_FACTOR == 1.2


def test_the_table_follows_the_seed_priority_order():
    weights = [CATEGORY_WEIGHT[c] for c in CargoCategory]
    assert weights == sorted(weights, reverse=True)
    assert set(CATEGORY_WEIGHT) == set(CargoCategory)


@pytest.mark.parametrize(
    ("category", "tier", "has_pass", "expected"),
    [
        ("medical_supplies", 3, False, 10),
        ("medical_supplies", 2, False, 12),
        ("medical_supplies", 1, False, 15),
        ("medical_supplies", 3, True, 12),
        ("medical_supplies", 1, True, 18),
        ("medical_supplies", 2, True, 14),  # 14.4 rounds down
        ("postal_express", 1, False, 8),  # 7.5 rounds up
        ("raw_materials", 1, False, 5),  # 4.5 rounds up, above tier 2's 4
        ("raw_materials", 2, False, 4),
        ("other", 3, False, 1),
        ("other", 2, False, 1),  # 1.2 rounds to 1: never below 1
        ("other", 1, False, 2),
    ],
)
def test_derived_weight_is_category_times_tier_times_pass_rounded_half_up(
    category, tier, has_pass, expected
):
    assert derived_weight(CargoCategory(category), tier, has_pass) == expected


@pytest.mark.parametrize("category", list(CargoCategory))
def test_a_better_tier_or_a_pass_never_lowers_the_weight(category):
    for has_pass in (False, True):
        assert (
            derived_weight(category, 1, has_pass)
            >= derived_weight(category, 2, has_pass)
            >= derived_weight(category, 3, has_pass)
            >= 1
        )
    for tier in (1, 2, 3):
        assert derived_weight(category, tier, True) >= derived_weight(category, tier, False)


def test_tier_one_counts_strictly_more_than_tier_three_for_every_category():
    for category in CargoCategory:
        assert derived_weight(category, 1, False) > derived_weight(category, 3, False)


def test_load_weight_uses_the_enterprise_tier_and_the_load_pass():
    load = make_load(category="daily_necessities", has_pass=True)
    assert load_weight(load, make_enterprise(tier=1)) == round(8 * 1.5 * 1.2)


def test_an_explicit_priority_weight_wins_over_the_table():
    load = make_load(category="other", priority_weight=40, has_pass=True)
    assert load_weight(load, make_enterprise(tier=1)) == 40


def test_an_unknown_enterprise_counts_as_tier_three():
    assert load_weight(make_load(category="energy"), None) == 4
