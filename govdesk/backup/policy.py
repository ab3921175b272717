"""A backup policy as services see it, the GB/T 20988 defaults, and the honest capability check.

GB/T 20988-2007 levels with the RPO/RTO ranges of ``/work/shared/DOMAIN.md`` (the 2025 edition
replaced it on 2026-01-01; the ranges of levels 3–6 are marked unverified there, so every target
is an editable default). The default target of a level is the strict end of its range, made
monotonic (a higher level never has a looser target than a lower one). A policy's targets may be
stricter than its level's default, never looser: a level-3 policy with a week's RPO is not
level 3.

A policy is refused, with the reason, when its method cannot reach what it claims
(:func:`capability`): the method's achievable RPO (from its schedule's longest gap, or WAL
archiving's timeout) is above the RPO target; level 5 needs continuous transfer (only WAL
archiving, pgBackRest); level 6 needs zero data loss (synchronous replication to a remote
cluster), which no GovDesk method gives; every level needs a full copy at least weekly and an
off-site target (level 1 already asks for both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from croniter import croniter

from govdesk.backup.method import methods
from govdesk.backup.retention import Retention
from govdesk.errors import InputRejected
from govdesk.messages import Message

#: level -> (RPO target hours, RTO target hours)
DR_DEFAULTS: dict[int, tuple[float, float]] = {
    1: (168.0, 48.0), 2: (168.0, 24.0), 3: (24.0, 12.0), 4: (24.0, 12.0), 5: (0.5, 12.0),
    6: (0.0, 0.25)}
WEEK_HOURS = 168.0
SOURCES = ("postgresql", "sqlite")


@dataclass(frozen=True)
class PolicySpec:
    """A policy as the editor fills it (targets are directories; ``rpo_hours``/``rto_hours``
    None: the level's default)."""

    name: str
    source: str
    method: str
    schedule_cron: str
    dr_level: int
    target: str
    offsite_targets: tuple[str, ...] = ()
    retention: Retention = Retention()
    encrypted: bool = True
    key_id: str | None = None
    rpo_hours: float | None = None
    rto_hours: float | None = None
    scope: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class Capability:
    """What a policy's method and schedule can give: ``interval_hours`` is the longest gap
    between scheduled runs, ``achievable_rpo_hours`` the RPO they promise; ``problems`` why the
    policy cannot hold (empty: it can)."""

    interval_hours: float | None
    achievable_rpo_hours: float | None
    rpo_target: float
    rto_target: float
    problems: tuple[Message, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_cron(expr: str) -> None:
    """InputRejected when ``expr`` is not a five-field cron expression croniter reads."""
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise InputRejected("backup_bad_cron", cron=expr)


def next_runs(expr: str, after: dt.datetime, count: int = 5) -> list[dt.datetime]:
    """The next ``count`` scheduled times after ``after`` (in ``after``'s zone)."""
    check_cron(expr)
    it = croniter(expr, after)
    return [it.get_next(dt.datetime) for _ in range(count)]


def longest_gap_hours(expr: str, after: dt.datetime) -> float:
    """The longest gap between consecutive runs over the next year (at most 3,000 runs)."""
    check_cron(expr)
    it = croniter(expr, after)
    prev, gap = it.get_next(dt.datetime), 0.0
    end = after + dt.timedelta(days=400)
    for _ in range(3000):
        nxt = it.get_next(dt.datetime)
        gap = max(gap, (nxt - prev).total_seconds() / 3600)
        if nxt > end:
            break
        prev = nxt
    return gap


def targets_of(spec: PolicySpec) -> tuple[float, float]:
    """The RPO and RTO targets (hours): the spec's, else the level's defaults."""
    rpo, rto = DR_DEFAULTS[spec.dr_level]
    return (spec.rpo_hours if spec.rpo_hours is not None else rpo,
            spec.rto_hours if spec.rto_hours is not None else rto)


def _level_problems(spec: PolicySpec, rpo: float, rto: float, continuous: bool
                    ) -> list[Message]:
    level = spec.dr_level
    out: list[Message] = []
    default_rpo, default_rto = DR_DEFAULTS[level]
    if level == 6:
        out.append(Message("backup_level6_impossible", {}))
    if level >= 5 and not continuous:
        out.append(Message("backup_level_needs_wal", {"level": level, "method": spec.method}))
    if rpo > default_rpo or rto > default_rto:
        out.append(Message("backup_target_looser", {
            "level": level, "rpo": rpo, "rto": rto, "max_rpo": default_rpo,
            "max_rto": default_rto}))
    if not spec.offsite_targets:
        out.append(Message("backup_needs_offsite", {"level": level}))
    if spec.encrypted and not spec.key_id:
        out.append(Message("backup_needs_key", {}))
    return out


def capability(spec: PolicySpec, now: dt.datetime) -> Capability:
    """What ``spec`` can give and why it cannot hold (see the module's doc); what the level
    itself demands comes first, so the first reason is the root one."""
    rpo, rto = targets_of(spec)
    method = methods().get(spec.method)
    if spec.source not in SOURCES:
        raise InputRejected("backup_bad_source", source=spec.source, allowed=", ".join(SOURCES))
    if method is None:
        return Capability(None, None, rpo, rto,
                          (Message("backup_method_unknown", {"method": spec.method}),))
    gap = longest_gap_hours(spec.schedule_cron, now)
    achievable = method.achievable_rpo_hours(gap)
    problems = _level_problems(spec, rpo, rto, method.continuous)
    if method.source != spec.source:
        problems.append(Message("backup_method_source", {"method": spec.method,
                                                         "source": spec.source}))
    why = method.unavailable()
    if why:
        problems.append(Message(why, {"method": spec.method}))
    if gap > WEEK_HOURS:
        problems.append(Message("backup_not_weekly", {"gap": round(gap, 1)}))
    if achievable > rpo:
        problems.append(Message("backup_rpo_unreachable", {
            "method": spec.method, "cron": spec.schedule_cron,
            "achievable": round(achievable, 2), "target": rpo}))
    return Capability(gap, achievable, rpo, rto, tuple(problems))


def require_capable(spec: PolicySpec, now: dt.datetime) -> Capability:
    """The capability; InputRejected with the first reason when the policy cannot hold."""
    cap = capability(spec, now)
    if cap.problems:
        first = cap.problems[0]
        raise InputRejected(first.code, **first.params)
    return cap
