"""The site's settings a manager may change: the entry-screening policy."""

from __future__ import annotations

from pydantic import Field

from api.schemas.body import Body


class ScreeningPolicyPatch(Body):
    """A change to the site's entry-screening policy; fields left out keep their value."""

    required: bool | None = Field(
        default=None, description="every driver must show screening data (else only when given)"
    )
    max_test_age_hours: int | None = Field(
        default=None, gt=0, le=720, description="hours a negative test stays valid at arrival"
    )
    allow_antigen: bool | None = Field(
        default=None, description="an antigen test may stand in for the PCR test"
    )
    max_body_temperature_c: float | None = Field(
        default=None, ge=35, le=42, description="°C; a driver above it is turned away"
    )
