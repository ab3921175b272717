"""Masking of personal data for display and export (one module, used everywhere).

Each masker keeps just enough to recognise a record and hides the rest with ``*``:
citizen ID ``110105********002X`` (region + sequence and check digit), certificate number the
same plus category and grade, phone ``138****5678``, name ``张*`` / ``欧阳**``, address up to the
county. Values that are not what the masker expects are masked whole rather than leaked.

What is masked is decided by the item's grade, never by whether a value validates: a column
graded for masking hides every value it holds, an 18-digit number with a wrong check digit as
much as a valid ID, a number stored as a JSON number (not text) as much as a string. The maskers
look at length and digits only, never at check digits or dates.

PostgreSQL masks with the same rules in SQL (``govdesk_mask`` in migration 0015, used by
``govdesk_samples``), so these functions are written to be reproducible there exactly: "digits"
are the ASCII digits 0-9 only (a full-width or other-script digit is not kept, so such a number
is hidden whole), and surrounding whitespace is :data:`WHITESPACE` (what ``str.strip()`` removes).
tests/test_samples_db.py checks that both give the same result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

STAR = "*"
#: the characters ``str.strip()`` removes (``str.isspace``), spelt out for the SQL twin
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _strip(value: str) -> str:
    return value.strip(WHITESPACE)


def mask_citizen_id(value: str) -> str:
    v = _strip(value)
    if len(v) == 18:
        return v[:6] + STAR * 8 + v[14:]
    if len(v) == 15:
        return v[:6] + STAR * 6 + v[12:]
    return STAR * len(v)


def mask_disability_cert(value: str) -> str:
    v = _strip(value)
    if len(v) == 20:
        return mask_citizen_id(v[:18]) + v[18:]
    return STAR * len(v)


def mask_phone(value: str) -> str:
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + STAR * 4 + digits[7:]
    if len(digits) >= 7:
        return STAR * (len(digits) - 4) + digits[-4:]
    return STAR * len(_strip(value))


def mask_name(value: str) -> str:
    v = _strip(value)
    if not v:
        return v
    surname_len = 2 if len(v) >= 4 else 1
    return v[:surname_len] + STAR * max(1, len(v) - surname_len)


_COUNTY = re.compile(r"^(.+?(?:省|自治区))?(.+?(?:自治州|地区|盟|市))?(.+?(?:自治县|自治旗|县|区|市|旗))?")


def mask_address(value: str) -> str:
    v = _strip(value)
    m = _COUNTY.match(v)
    keep = m.group(0) if m else ""
    if not keep or len(keep) >= len(v):
        keep = v[: min(3, len(v) // 2)]
    return keep + STAR * 4


def mask_bank_card(value: str) -> str:
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) >= 12:
        return digits[:6] + STAR * (len(digits) - 10) + digits[-4:]
    return STAR * len(_strip(value))


def mask_all(value: str) -> str:
    return STAR * min(len(_strip(value)), 8) if _strip(value) else value


MASKERS: dict[str, Callable[[str], str]] = {
    "citizen_id": mask_citizen_id,
    "disability_cert": mask_disability_cert,
    "phone": mask_phone,
    "person_name": mask_name,
    "address": mask_address,
    "bank_card": mask_bank_card,
    "other": mask_all,
}


#: what any value that is not text becomes in a masked column (a number, a boolean, a list)
HIDDEN = STAR * 4


def mask(kind: str, value: object) -> object:
    """``value`` masked as ``kind`` (a key of :data:`MASKERS`; an unknown kind hides the value
    whole). ``None`` stays ``None``; any other value that is not a string (an ID or a phone
    number stored as a JSON number, a boolean, a list) becomes :data:`HIDDEN` whatever the kind:
    a masked column never shows a value in clear (``govdesk_mask_json``, migration 0024, does
    the same on PostgreSQL)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return HIDDEN
    return MASKERS.get(kind, mask_all)(value)
