"""Prune: delete what each policy's retention no longer keeps (:func:`.retention.decide`), the
local directory and every off-site copy, and mark the catalogue row ``pruned`` (kept, so the
job history and the audit trail still name it). Legal holds are set here too."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from govdesk.backup.retention import Candidate, decide
from govdesk.backup.store import (
    BackupInfo,
    JobInfo,
    backup_info,
    finish_job,
    job_info,
    load_backup,
    spec_of,
    start_job,
    utc,
)
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupJob, BackupPolicy, BackupSet
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "backups hold whole databases: they are not a region's objects"


@dataclass(frozen=True)
class PruneItem:
    """One backup prune would delete (``dry_run``) or deleted, with its policy."""

    backup_id: int
    policy_id: int
    label: str
    taken_at: dt.datetime


@dataclass(frozen=True)
class PruneReport:
    """What was (or would be) deleted and what is kept, with the rules that keep each."""

    dry_run: bool
    deleted: tuple[PruneItem, ...]
    kept: dict[int, tuple[str, ...]]


def _plan(db: Database) -> tuple[list[PruneItem], dict[int, tuple[str, ...]]]:
    drop, kept = [], {}
    with db.session() as s:
        for p in s.scalars(select(BackupPolicy).order_by(BackupPolicy.id)):
            sets = s.scalars(select(BackupSet).where(BackupSet.policy_id == p.id,
                                                     BackupSet.status != "pruned")).all()
            decision = decide([Candidate(b.id, utc(b.started_at), b.legal_hold,
                                         b.status != "verify_failed") for b in sets],
                              spec_of(p).retention)
            kept.update(decision.kept)
            by_id = {b.id: b for b in sets}
            drop += [PruneItem(i, p.id, by_id[i].label, utc(by_id[i].started_at))
                     for i in decision.dropped]
    return drop, kept


def _delete(b: BackupSet) -> None:
    for place in [b.location] + json.loads(b.offsite_copies or "[]"):
        shutil.rmtree(Path(place), ignore_errors=True)


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def prune(db: Database, who: Identity, *, dry_run: bool = False) -> PruneReport:
    """Delete (or, ``dry_run``, list) the backups no policy's retention keeps."""
    drop, kept = _plan(db)
    if dry_run:
        return PruneReport(True, tuple(drop), kept)
    job = start_job(db, who.username, "prune", None)
    with db.session() as s:
        for item in drop:
            b = load_backup(s, item.backup_id)
            _delete(b)
            b.status, b.pruned_at = "pruned", utcnow()
        finish_job(s, job, "ok")
        audit.record(s, who, EventType.BACKUP_PRUNE, object_type="backup", object_id=None,
                     detail={"deleted": [i.label for i in drop][:200], "count": len(drop)})
    return PruneReport(False, tuple(drop), kept)


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def set_legal_hold(db: Database, who: Identity, backup_id: int, hold: bool) -> BackupInfo:
    """Keep backup ``backup_id`` for ever (``hold``) or release it to retention; audited."""
    with db.session() as s:
        b = load_backup(s, backup_id)
        b.legal_hold = hold
        audit.record(s, who, EventType.BACKUP_POLICY, object_type="backup", object_id=backup_id,
                     detail={"action": "legal_hold" if hold else "release_hold"})
        return backup_info(b)


@service(Op.BACKUP_MANAGE, Op.BACKUP_READ, owner=True, scope=Scope.NONE, why=WHY)
def list_backups(db: Database, who: Identity, policy_id: int | None = None, *,
                 include_pruned: bool = False) -> list[BackupInfo]:
    """The catalogue, newest first (of one policy when given)."""
    with db.session() as s:
        query = select(BackupSet).order_by(BackupSet.started_at.desc(), BackupSet.id.desc())
        if policy_id is not None:
            query = query.where(BackupSet.policy_id == policy_id)
        if not include_pruned:
            query = query.where(BackupSet.status != "pruned")
        return [backup_info(b) for b in s.scalars(query)]


@service(Op.BACKUP_MANAGE, Op.BACKUP_READ, owner=True, scope=Scope.NONE, why=WHY)
def list_jobs(db: Database, who: Identity, policy_id: int | None = None,
              limit: int = 100) -> list[JobInfo]:
    """The job history, newest first (of one policy when given)."""
    with db.session() as s:
        query = select(BackupJob).order_by(BackupJob.id.desc()).limit(limit)
        if policy_id is not None:
            query = query.where(BackupJob.policy_id == policy_id)
        return [job_info(j) for j in s.scalars(query)]
