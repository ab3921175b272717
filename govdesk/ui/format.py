"""Display formatting shared by every view (dates in local time, empty values)."""

from __future__ import annotations

import datetime as dt


def fmt_datetime(value: dt.datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` in local time; naive values are UTC (how SQLite returns them)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def fmt_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def fmt_text(value: object) -> str:
    return "" if value is None else str(value)
