"""What the backup services return (plain dataclasses, GUI-ready), and the catalogue and job
history helpers they share: a job row is committed when it starts (so a killed run leaves a
``running`` row, later marked ``interrupted``), and finished in a transaction of its own."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.backup.policy import PolicySpec
from govdesk.backup.retention import Retention
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupJob, BackupPolicy, BackupSet
from govdesk.errors import GovDeskError, InputRejected


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the catalogue."""

    id: int
    policy_id: int | None
    label: str
    method: str
    source: str
    location: str
    offsite_copies: tuple[str, ...]
    started_at: dt.datetime
    finished_at: dt.datetime
    size_bytes: int
    key_id: str | None
    status: str
    verified_at: dt.datetime | None
    drill_at: dt.datetime | None
    drill_seconds: float | None
    legal_hold: bool


@dataclass(frozen=True)
class JobInfo:
    """One entry of the job history."""

    id: int
    policy_id: int | None
    backup_id: int | None
    kind: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    size_bytes: int | None
    result: str
    error: str | None
    username: str


def aware(t: dt.datetime | None) -> dt.datetime | None:
    """``t`` with its zone (SQLite gives stored UTC times back without one)."""
    return t if t is None or t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def utc(t: dt.datetime) -> dt.datetime:
    """:func:`aware` for a time that is never None."""
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def backup_info(b: BackupSet) -> BackupInfo:
    return BackupInfo(b.id, b.policy_id, b.label, b.method, b.source, b.location,
                      tuple(json.loads(b.offsite_copies or "[]")), utc(b.started_at),
                      utc(b.finished_at), b.size_bytes, b.key_id, b.status,
                      aware(b.verified_at), aware(b.drill_at), b.drill_seconds, b.legal_hold)


def job_info(j: BackupJob) -> JobInfo:
    return JobInfo(j.id, j.policy_id, j.backup_id, j.kind, utc(j.started_at),
                   aware(j.finished_at), j.size_bytes, j.result, j.error, j.username)


def spec_of(p: BackupPolicy) -> PolicySpec:
    """The policy row as a :class:`PolicySpec`."""
    return PolicySpec(
        name=p.name, source=p.source, method=p.method, schedule_cron=p.schedule_cron,
        dr_level=p.dr_level, target=p.target,
        offsite_targets=tuple(json.loads(p.offsite_targets or "[]")),
        retention=Retention(p.keep_last, p.keep_daily, p.keep_weekly, p.keep_monthly,
                            p.keep_yearly, p.min_copies),
        encrypted=p.encrypted, key_id=p.key_id, rpo_hours=p.rpo_hours, rto_hours=p.rto_hours,
        scope=p.scope, enabled=p.enabled)


def load_policy(s: Session, policy: int | str) -> BackupPolicy:
    """The policy by id or name; InputRejected when there is none."""
    by_id = isinstance(policy, int) or policy.isdigit()
    found = s.scalars(select(BackupPolicy).where(
        BackupPolicy.id == int(policy) if by_id else BackupPolicy.name == policy)).first()
    if found is None:
        raise InputRejected("backup_policy_not_found", policy=policy)
    return found


def load_backup(s: Session, backup_id: int) -> BackupSet:
    found = s.get(BackupSet, backup_id)
    if found is None or found.status == "pruned":
        raise InputRejected("backup_not_found", backup=backup_id)
    return found


def start_job(handle: Database, username: str, kind: str, policy_id: int | None,
              backup_id: int | None = None) -> int:
    """A ``running`` job row, committed at once (in ``handle``, the caller's database); its
    id. A helper of the services, not one itself."""
    with handle.session() as s:
        job = BackupJob(policy_id=policy_id, backup_id=backup_id, kind=kind, started_at=utcnow(),
                        result="running", username=username, host=socket.gethostname(),
                        pid=os.getpid())
        s.add(job)
        s.flush()
        return job.id


def finish_job(s: Session, job_id: int, result: str, *, size: int | None = None,
               backup_id: int | None = None, error: BaseException | str | None = None) -> None:
    """Close a job row inside the caller's unit of work."""
    job = s.get(BackupJob, job_id)
    if job is None:
        return
    job.result, job.finished_at = result, utcnow()
    job.size_bytes = size if size is not None else job.size_bytes
    job.backup_id = backup_id if backup_id is not None else job.backup_id
    if error is not None:
        job.error = error.text("en") if isinstance(error, GovDeskError) else str(error)[:4000]


def fail_job(db: Database, job_id: int, exc: BaseException) -> None:
    """Record a failed or cancelled job in a transaction of its own."""
    from govdesk.progress import Cancelled

    with db.session() as s:
        finish_job(s, job_id, "cancelled" if isinstance(exc, Cancelled) else "failed",
                   error=exc)


def reap_interrupted(db: Database) -> int:
    """Mark ``running`` jobs of this host whose process is gone as ``interrupted``; how many."""
    host, count = socket.gethostname(), 0
    with db.session() as s:
        for job in s.scalars(select(BackupJob).where(BackupJob.result == "running",
                                                     BackupJob.host == host)):
            if job.pid and not _alive(job.pid):
                job.result, job.finished_at, count = "interrupted", utcnow(), count + 1
    return count


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
