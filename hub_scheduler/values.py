"""The constrained values every entry point validates (ids, names, texts, plates, phones, minutes,
moments), and the one form a phone number or a vehicle plate is stored and compared in.

The domain's shapes (`domain.py`) are built from these; an API body or a page form that takes the
same value uses the same type, so each limit is checked once, the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from hub_scheduler import limits, load_keys

NonNegInt = Annotated[int, Field(ge=0, le=limits.INT_MAX)]
PosInt = Annotated[int, Field(gt=0, le=limits.INT_MAX)]
Minutes = Annotated[int, Field(ge=0, le=limits.MINUTES_MAX, description="minutes")]
PosMinutes = Annotated[int, Field(gt=0, le=limits.MINUTES_MAX, description="minutes")]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


# The shared limits (hub_scheduler/limits.py) as types, so every entry point gets them.
Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=limits.ID_MAX_LENGTH,
        pattern=limits.ID_PATTERN,
        description="1-64 letters, digits, CJK ideographs, '.', '_', '-'; not first: '.', '_', '-'",
    ),
]
# A load's key (hub_scheduler/load_keys.py): `enterprise_id/id` once stored; a plain id in files.
LoadKey = Annotated[
    str,
    Field(
        min_length=1,
        max_length=load_keys.KEY_MAX_LENGTH,
        pattern=load_keys.KEY_PATTERN,
        description="a load id, or `enterprise_id/id` (the key below the API)",
    ),
]
Name = Annotated[str, Field(max_length=limits.NAME_MAX_LENGTH), AfterValidator(_no_nul)]
Text = Annotated[str, Field(max_length=limits.TEXT_MAX_LENGTH), AfterValidator(_no_nul)]
Plate = Annotated[
    str, Field(min_length=1, max_length=limits.PLATE_MAX_LENGTH), AfterValidator(_no_nul)
]


# A phone as people write it: spaces, dashes, brackets, full-width digits, +86 or 0086 in front.
_PHONE_NOISE = re.compile(r"[\s\-()]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes: 010 and 02x have three digits, the others (0797, 0755...) four; then 7-8 digits.
_LANDLINE = re.compile(r"(0[12]\d|0[3-9]\d{2})([2-9]\d{6,7})")
PHONE_HINT = (
    "an 11-digit mobile number (13800138000) or a landline with its area code (0797-2881234)"
)


def phone_number(value: str) -> str:
    """One form for a Chinese phone number: a mobile as its 11 digits ('+86 138-0013-8000' ->
    '13800138000'), a landline as area code, dash, number ('(0797) 288 1234' -> '0797-2881234').
    ValueError naming both accepted forms otherwise."""
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", value))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if _MOBILE.fullmatch(digits):
        return digits
    landline = _LANDLINE.fullmatch(digits)
    if landline:
        return f"{landline[1]}-{landline[2]}"
    raise ValueError(f'"{value}" is not a phone number; write {PHONE_HINT}')


# A national service number: 400 or 800 and 7 more digits (400-810-8888).
_SERVICE = re.compile(r"([48]00)(\d{3})(\d{4})")
CONTACT_PHONE_HINT = (
    "an 11-digit mobile number (13800138000), a landline with its area code (0797-2881234) "
    "or a 400 number (400-810-8888)"
)


def contact_phone(value: str) -> str:
    """One form for a phone a person leaves to be called back on (a hotline report's contact):
    `phone_number`'s, or a 400/800 service number as '400-810-8888' ('4008108888', '400 810
    8888'). ValueError naming the three accepted forms otherwise."""
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", value))
    service = _SERVICE.fullmatch(digits)
    if service:
        return "-".join(service.groups())
    try:
        return phone_number(value)
    except ValueError:
        raise ValueError(f'"{value}" is not a phone number; write {CONTACT_PHONE_HINT}') from None


def phone_shown(stored: str) -> str:
    """A stored phone as a page shows it: a mobile in groups of 3, 4, 4 ('138 0013 8000'); a
    landline or a service number as stored ('0797-2881234', '400-810-8888')."""
    if _MOBILE.fullmatch(stored):
        return f"{stored[:3]} {stored[3:7]} {stored[7:]}"
    return stored


# pydantic error types that are also message codes (`scenario_file.pydantic_errors` keeps them as
# FieldError.code and params, so the pages can say them in Chinese: sheet_<code>).
CODED_ERRORS = frozenset({"phone"})


def _phone(value: str, info: ValidationInfo) -> str:
    """pydantic after-validator: `phone_number`, except for rows read back from storage."""
    if (info.context or {}).get(limits.STORED):
        return value
    try:
        return phone_number(value)
    except ValueError:
        template = '"{value}" is not a phone number; write ' + PHONE_HINT
        raise PydanticCustomError("phone", template, {"value": value}) from None


# Every entry point (JSON, batch, sheet, page form, PATCH) validates a load, so each gets this.
Phone = Annotated[
    str, Field(min_length=1, max_length=limits.PHONE_MAX_LENGTH), AfterValidator(_phone)
]

# A datetime with an offset, within limits.WINDOW_YEARS of today (rows read back are not checked).
Moment = Annotated[AwareDatetime, AfterValidator(limits.windowed)]
Day = Annotated[date, AfterValidator(limits.windowed)]


# A plate as people write it (赣B·12345, 赣B 12345, 赣b12345, full-width ＢＣ) and as we look it up.
_PLATE_NOISE = re.compile(r"[\s·•・.\-_]+")


def plate_key(plate: str) -> str:
    """The form a vehicle plate is compared in: NFKC (full-width letters and digits become plain),
    separators and spaces removed, letters upper-cased. '赣B·12345' -> '赣B12345'."""
    return _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", plate)).upper()


# A civil plate: a province (one Chinese character), the issuing office's letter, then 5 letters
# or digits (6 on a new-energy plate), or 4 and a suffix (挂 trailer, 学 driving school, 警).
_CIVIL_PLATE = re.compile(r"([\u4e00-\u9fff][A-Z])([A-Z0-9]{5,6}|[A-Z0-9]{4}[\u4e00-\u9fff])")


def plate_shown(plate: str) -> str:
    """The one form a plate is stored in where we write it ourselves (an incident) and shown in:
    `plate_key`, with the middle dot after the province and the office letter when it is a civil
    plate ('京a 12345', '京A12345', '京Ａ·12345' -> '京A·12345'); any other plate as its key."""
    key = plate_key(plate)
    civil = _CIVIL_PLATE.fullmatch(key)
    return f"{civil[1]}·{civil[2]}" if civil else key
