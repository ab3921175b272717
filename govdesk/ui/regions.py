"""Region names for display, from the GB/T 2260 list shipped in resources/regions (no
database: the same file the region table was loaded from)."""

from __future__ import annotations

import csv
import functools

from govdesk.config import resources_dir


@functools.cache
def _names() -> dict[str, str]:
    with open(resources_dir() / "regions" / "adcodes.csv", encoding="utf-8", newline="") as f:
        return {r["adcode"]: r["name"] for r in csv.DictReader(f)}


def region_name(code: str | None) -> str:
    """The name of a 6-, 9- or 12-digit region ``code`` (杭州市 for 330100000000); the code
    itself when the list does not have it, "" for None."""
    if not code:
        return ""
    key = code.strip()
    if key.isdigit() and len(key) in (6, 9, 12):
        key = key.ljust(12, "0")
    return _names().get(key, code)
