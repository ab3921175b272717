"""Validators (and, for demo and tests, generators) of the identifiers GovDesk handles.

- Citizen ID (GB 11643-1999): 6-digit region + 8-digit birth date + 3-digit sequence (odd = male)
  + check digit (ISO 7064 MOD 11-2, computed by ``python-stdnum``). We do not use
  ``stdnum.cn.ric.validate`` whole: it also demands that the region code is in its own list of
  current divisions, which rejects real IDs issued under since-retired codes.
- Disability certificate number (second generation): 18-digit ID + category 1–7 + grade 1–4.
"""

from __future__ import annotations

import datetime as dt

from stdnum.cn.ric import calc_check_digit as _stdnum_check_digit


def check_digit(first17: str) -> str:
    """The GB 11643 check digit ("0"–"9" or "X") of the first 17 digits of a citizen ID."""
    # stdnum's function reads the first 17 characters of a whole 18-character number.
    return str(_stdnum_check_digit(first17[:17] + "0"))

DISABILITY_CATEGORIES = {
    "1": ("视力残疾", "visual"), "2": ("听力残疾", "hearing"), "3": ("言语残疾", "speech"),
    "4": ("肢体残疾", "physical"), "5": ("智力残疾", "intellectual"),
    "6": ("精神残疾", "mental"), "7": ("多重残疾", "multiple"),
}
DISABILITY_GRADES = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}


def citizen_id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character citizen ID, or None when it is valid."""
    v = value.strip().upper()
    if len(v) != 18:
        return f"must have 18 characters, has {len(v)}"
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return "must be 17 digits followed by a digit or X"
    if v[:2] in ("00", "10", "20", "30", "40", "50", "60", "70", "80", "90"):
        return f"region code {v[:6]} is not a division code"
    try:
        birth = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return f"birth date {v[6:14]} is not a date"
    if birth.year < 1880 or birth > dt.date.today():
        return f"birth date {birth.isoformat()} is out of range"
    expected = check_digit(v[:17])
    if v[17] != expected:
        return f"check digit is {v[17]}, should be {expected}"
    return None


def is_citizen_id(value: str) -> bool:
    """True when ``value`` is a structurally valid 18-character citizen ID with a good check digit."""
    return citizen_id_problem(value) is None


def make_citizen_id(region6: str, birth: dt.date, seq: int) -> str:
    """A valid citizen ID for region ``region6``, born ``birth``, sequence ``seq`` (0–999)."""
    body = f"{region6[:6]}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + check_digit(body)


def disability_cert_problem(value: str) -> str | None:
    """Why ``value`` is not a valid second-generation certificate number, or None."""
    v = value.strip().upper()
    if len(v) != 20:
        return f"must have 20 characters, has {len(v)}"
    problem = citizen_id_problem(v[:18])
    if problem:
        return f"citizen ID part: {problem}"
    if v[18] not in DISABILITY_CATEGORIES:
        return f"disability category {v[18]} is not 1–7"
    if v[19] not in DISABILITY_GRADES:
        return f"disability grade {v[19]} is not 1–4"
    return None


def is_disability_cert(value: str) -> bool:
    """True when ``value`` is a valid 20-character disability certificate number."""
    return disability_cert_problem(value) is None


def make_disability_cert(citizen_id: str, category: int, grade: int) -> str:
    """The certificate number for ``citizen_id`` with disability ``category`` and ``grade``."""
    return f"{citizen_id}{category}{grade}"
