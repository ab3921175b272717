"""Retention: which backups a policy keeps (a pure function; ``prune`` deletes the rest).

Rules, as restic and borg state them: ``keep_last`` keeps the newest N; ``keep_daily`` the
newest backup of each of the newest N days that have one (likewise ISO weeks, months, years);
a backup kept by several rules is kept once; a backup under **legal hold** is always kept;
when fewer than ``min_copies`` usable backups are kept, the newest others are added until there
are as many (or none are left). An unusable backup (its verification failed) fills no rule and
is kept only under legal hold. Days are counted in ``tz`` (the machine's zone by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Retention:
    """How many of each to keep (0: that rule keeps nothing)."""

    keep_last: int = 7
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    keep_yearly: int = 0
    min_copies: int = 3


@dataclass(frozen=True)
class Candidate:
    """A backup as retention sees it."""

    id: int
    taken_at: dt.datetime
    legal_hold: bool = False
    usable: bool = True


@dataclass(frozen=True)
class Decision:
    """The ids kept, each with the rules that keep it; the ids to delete."""

    kept: dict[int, tuple[str, ...]] = field(default_factory=dict)
    dropped: tuple[int, ...] = ()


def _buckets(rule: str, tz: dt.tzinfo | None) -> Callable[[dt.datetime], Hashable]:
    def day(t: dt.datetime) -> dt.date:
        return t.astimezone(tz).date()

    if rule == "daily":
        return day
    if rule == "weekly":
        return lambda t: day(t).isocalendar()[:2]
    if rule == "monthly":
        return lambda t: (day(t).year, day(t).month)
    return lambda t: day(t).year


def decide(backups: Sequence[Candidate], policy: Retention, *, tz: dt.tzinfo | None = None
           ) -> Decision:
    """What ``policy`` keeps of ``backups`` (any order)."""
    newest_first = sorted(backups, key=lambda b: (b.taken_at, b.id), reverse=True)
    usable = [b for b in newest_first if b.usable]
    reasons: dict[int, list[str]] = {b.id: ["legal_hold"] for b in newest_first if b.legal_hold}
    for b in usable[:max(0, policy.keep_last)]:
        reasons.setdefault(b.id, []).append("last")
    for rule, count in (("daily", policy.keep_daily), ("weekly", policy.keep_weekly),
                        ("monthly", policy.keep_monthly), ("yearly", policy.keep_yearly)):
        bucket_of, seen = _buckets(rule, tz), set[Hashable]()
        for b in usable:
            if len(seen) >= count:
                break
            bucket = bucket_of(b.taken_at)
            if bucket not in seen:
                seen.add(bucket)
                reasons.setdefault(b.id, []).append(rule)
    kept_usable = sum(1 for b in usable if b.id in reasons)
    for b in usable:
        if kept_usable >= policy.min_copies:
            break
        if b.id not in reasons:
            reasons[b.id] = ["min_copies"]
            kept_usable += 1
    return Decision({i: tuple(r) for i, r in reasons.items()},
                    tuple(b.id for b in newest_first if b.id not in reasons))
