"""Compliance and health of backup and disaster recovery (security and system administrators).

- **Health**, per policy: its capability, the last good backup, the achieved RPO (the age of
  the newest *verified* backup: an unverified one proves nothing) against the target, the last
  verification and the last restore drill (whose measured time is the achieved RTO) against the
  RTO target, and the failed jobs since the last successful run. ``alerts`` name what needs a
  person: an RPO breached, an RTO not proved or missed, a verification that failed, a policy
  that cannot hold, failed jobs. The monitoring dashboard can read the same service.
- **Compliance**: every resource's grade demands a minimum DR level (``grades.min_dr_level``);
  a policy covers the resources of its database when it is enabled, can hold (its capability)
  and its level is at least that. The report lists the resources no policy covers and the
  policies whose achieved RPO or RTO misses its target. Resources are those the caller may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from govdesk.backup.method import methods
from govdesk.backup.policy import capability
from govdesk.backup.store import BackupInfo, JobInfo, aware, backup_info, job_info, spec_of
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupJob, BackupPolicy, BackupSet, DataResource, Grade
from govdesk.errors import GovDeskError
from govdesk.messages import Message
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "backup policies cover whole databases, not a region's resources"


@dataclass(frozen=True)
class PolicyHealth:
    """One policy's state (hours throughout; None: nothing to measure yet)."""

    policy_id: int
    name: str
    dr_level: int
    enabled: bool
    method: str
    problems: tuple[Message, ...]
    rpo_target: float
    rto_target: float
    achievable_rpo_hours: float | None
    last_good: BackupInfo | None
    newest_verified_at: dt.datetime | None
    achieved_rpo_hours: float | None
    last_verification_at: dt.datetime | None
    last_verification_ok: bool | None
    last_drill_at: dt.datetime | None
    achieved_rto_hours: float | None
    failed_jobs: tuple[JobInfo, ...]
    alerts: tuple[str, ...]


def _alerts(h: dict[str, object]) -> tuple[str, ...]:
    out = []
    if h["problems"]:
        out.append("cannot_hold")
    achieved = h["achieved_rpo_hours"]
    if achieved is None or float(achieved) > float(h["rpo_target"]):  # type: ignore[arg-type]
        out.append("rpo_breached")
    rto = h["achieved_rto_hours"]
    if rto is None or float(rto) > float(h["rto_target"]):  # type: ignore[arg-type]
        out.append("rto_unproved")
    if h["last_verification_ok"] is False:
        out.append("verification_failed")
    if h["failed_jobs"]:
        out.append("jobs_failed")
    return tuple(out)


def _at(t: dt.datetime | None) -> dt.datetime:
    return aware(t) or dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def _recovery_point(p: BackupPolicy, verified_at: dt.datetime | None) -> dt.datetime | None:
    """The newest moment a restore is proved to reach: the newest verified backup's start; for
    a continuous method with the optional ``archived_until(target)`` hook (pgbackrest), the
    newest archived WAL segment once a verified base backup exists. Where the archive cannot
    be read here (the tool missing, the stanza not set up) the verified backup counts alone."""
    hook = getattr(methods().get(p.method), "archived_until", None)
    if verified_at is None or hook is None:
        return verified_at
    try:
        found = hook(Path(p.target))
    except GovDeskError:
        found = None
    return max(verified_at, found) if isinstance(found, dt.datetime) else verified_at


def _one(s: object, p: BackupPolicy, now: dt.datetime) -> PolicyHealth:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    cap = capability(spec_of(p), now)
    sets = s.scalars(select(BackupSet).where(BackupSet.policy_id == p.id,
                                             BackupSet.status != "pruned")
                     .order_by(BackupSet.started_at.desc())).all()
    good = next((b for b in sets if b.status != "verify_failed"), None)
    verified = next((b for b in sets if b.status == "verified"), None)
    checked = max((b for b in sets if b.verified_at), key=lambda b: _at(b.verified_at),
                  default=None)
    drilled = max((b for b in sets if b.drill_at), key=lambda b: _at(b.drill_at),
                  default=None)
    last_ok = s.scalar(select(BackupJob.id).where(BackupJob.policy_id == p.id,
                                                  BackupJob.kind == "run",
                                                  BackupJob.result == "ok")
                       .order_by(BackupJob.id.desc()).limit(1)) or 0
    failed = s.scalars(select(BackupJob).where(
        BackupJob.policy_id == p.id, BackupJob.id > last_ok,
        BackupJob.result.in_(("failed", "interrupted"))).order_by(BackupJob.id.desc())
        .limit(20)).all()
    verified_at = aware(verified.started_at) if verified else None
    point = _recovery_point(p, verified_at)
    h: dict[str, object] = dict(
        policy_id=p.id, name=p.name, dr_level=p.dr_level, enabled=p.enabled, method=p.method,
        problems=cap.problems, rpo_target=cap.rpo_target, rto_target=cap.rto_target,
        achievable_rpo_hours=cap.achievable_rpo_hours,
        last_good=backup_info(good) if good else None, newest_verified_at=verified_at,
        achieved_rpo_hours=(now - point).total_seconds() / 3600 if point else None,
        last_verification_at=aware(checked.verified_at) if checked else None,
        last_verification_ok=(checked.status != "verify_failed") if checked else None,
        last_drill_at=aware(drilled.drill_at) if drilled else None,
        achieved_rto_hours=drilled.drill_seconds / 3600
        if drilled and drilled.drill_seconds is not None else None,
        failed_jobs=tuple(job_info(j) for j in failed))
    return PolicyHealth(**h, alerts=_alerts(h))  # type: ignore[arg-type]


@service(Op.BACKUP_READ, Op.BACKUP_MANAGE, owner=True, scope=Scope.NONE, why=WHY)
def health(db: Database, who: Identity, *, now: dt.datetime | None = None
           ) -> list[PolicyHealth]:
    """Every policy's health, by id (see the module's doc)."""
    now = now or utcnow()
    with db.session() as s:
        return [_one(s, p, now) for p in s.scalars(select(BackupPolicy)
                                                   .order_by(BackupPolicy.id))]


@dataclass(frozen=True)
class Uncovered:
    """A resource whose grade demands a DR level no enabled, capable policy gives."""

    resource_id: int
    code: str
    name: str
    grade_code: str
    required_level: int
    best_level: int | None


@dataclass(frozen=True)
class Compliance:
    """The resources not covered (at most ``limit``, of ``uncovered_total``) and the
    policies whose achieved RPO or RTO misses its target."""

    uncovered: tuple[Uncovered, ...]
    uncovered_total: int
    best_level: int | None
    missing_targets: tuple[PolicyHealth, ...]


@service(Op.BACKUP_READ, Op.BACKUP_MANAGE, owner=True, when={"resources": Op.CATALOG_READ})
def compliance(db: Database, who: Identity, *, resources: bool = True, limit: int = 1000,
               now: dt.datetime | None = None) -> Compliance:
    """The compliance report (see the module's doc). Listing the resources needs the right to
    read the catalogue as well (a system administrator does not have it: 三员分立), so
    ``resources=False`` gives the policies' part alone."""
    now = now or utcnow()
    source = "postgresql" if db.is_postgres else "sqlite"
    states = health(db, who, now=now)
    with db.session() as s:
        kinds = dict(s.execute(select(BackupPolicy.id, BackupPolicy.source)).all())
        covering = [h.dr_level for h in states
                    if h.enabled and not h.problems and kinds.get(h.policy_id) == source]
        best = max(covering, default=None)
        query = (select(DataResource.id, DataResource.code, DataResource.name, Grade.code,
                        Grade.min_dr_level)
                 .join(Grade, Grade.id == DataResource.grade_id)
                 .where(Grade.min_dr_level > (best or 0)).order_by(DataResource.code))
        rows = s.execute(query).all() if resources else []
    return Compliance(tuple(Uncovered(r[0], r[1], r[2], r[3], r[4], best) for r in rows[:limit]),
                      len(rows), best,
                      tuple(h for h in states if {"rpo_breached", "rto_unproved"} & set(h.alerts)
                            and h.enabled))
