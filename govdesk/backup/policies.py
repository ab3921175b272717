"""The policy services: list (with each policy's capability and next five runs), check a spec
before saving (the editor's live preview), create, edit, and check the targets. Creating and
editing are for system administrators, audited (``backup_policy``), and refuse a policy whose
method cannot reach its DR level, RPO or RTO (:func:`govdesk.backup.policy.require_capable`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import Session

from govdesk.backup.policy import Capability, PolicySpec, capability, next_runs, require_capable
from govdesk.backup.store import load_policy, spec_of
from govdesk.backup.targets import TargetCheck, check
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupPolicy, BackupSet
from govdesk.errors import ConflictError, InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "backup policies cover whole databases, not a region's resources"


@dataclass(frozen=True)
class PolicyInfo:
    """A policy with what it can give and when it runs next."""

    id: int
    version: int
    spec: PolicySpec
    capability: Capability
    next_runs: tuple[dt.datetime, ...]


def _validate(spec: PolicySpec) -> None:
    if not spec.name.strip():
        raise InputRejected("backup_name_required")
    if not 1 <= spec.dr_level <= 6:
        raise InputRejected("backup_bad_level", level=spec.dr_level)
    for field in dataclasses.fields(spec.retention):
        if getattr(spec.retention, field.name) < 0:
            raise InputRejected("backup_retention_negative", field=field.name)


def _info(p: BackupPolicy, now: dt.datetime) -> PolicyInfo:
    spec = spec_of(p)
    try:
        runs = tuple(next_runs(spec.schedule_cron, now))
    except InputRejected:
        runs = ()
    return PolicyInfo(p.id, p.version, spec, capability(spec, now), runs)


@service(Op.BACKUP_MANAGE, Op.BACKUP_READ, owner=True, scope=Scope.NONE, why=WHY)
def list_policies(db: Database, who: Identity) -> list[PolicyInfo]:
    """Every policy, by id, with its capability and next five runs."""
    now = utcnow()
    with db.session() as s:
        return [_info(p, now) for p in s.scalars(select(BackupPolicy).order_by(BackupPolicy.id))]


@service(Op.BACKUP_MANAGE, owner=True, scope=Scope.NONE, why=WHY)
def preview_policy(db: Database, who: Identity, spec: PolicySpec) -> Capability:
    """What ``spec`` would give and why it would be refused (nothing is written)."""
    _validate(spec)
    return capability(spec, utcnow())


def _apply(row: BackupPolicy, spec: PolicySpec) -> None:
    r = spec.retention
    row.name, row.scope, row.source, row.method = spec.name, spec.scope or spec.name, \
        spec.source, spec.method
    row.dr_level, row.schedule_cron, row.target = spec.dr_level, spec.schedule_cron, spec.target
    row.offsite_targets = json.dumps(list(spec.offsite_targets), ensure_ascii=False)
    row.offsite = bool(spec.offsite_targets)
    row.keep_last, row.keep_daily, row.keep_weekly = r.keep_last, r.keep_daily, r.keep_weekly
    row.keep_monthly, row.keep_yearly, row.min_copies = r.keep_monthly, r.keep_yearly, \
        r.min_copies
    row.encrypted, row.key_id = spec.encrypted, spec.key_id if spec.encrypted else None
    row.rpo_hours, row.rto_hours, row.enabled = spec.rpo_hours, spec.rto_hours, spec.enabled
    row.backup_type = "wal" if spec.method == "pgbackrest" else "full"
    row.retention_days = max(1, 366 * max(r.keep_yearly, 1))


def _name_free(s: Session, name: str, own_id: int | None) -> None:
    other = s.scalar(select(BackupPolicy.id).where(BackupPolicy.name == name))
    if other is not None and other != own_id:
        raise InputRejected("backup_policy_name_taken", name=name)


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def create_policy(db: Database, who: Identity, spec: PolicySpec) -> PolicyInfo:
    """Save a new policy once it can hold; the policy as stored."""
    _validate(spec)
    require_capable(spec, utcnow())
    with db.session() as s:
        _name_free(s, spec.name, None)
        row = BackupPolicy(version=1)
        _apply(row, spec)
        s.add(row)
        s.flush()
        audit.record(s, who, EventType.BACKUP_POLICY, object_type="backup_policy", object_id=row.id,
                     detail={"action": "create", "name": spec.name, "method": spec.method,
                             "dr_level": spec.dr_level})
        return _info(row, utcnow())


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def update_policy(db: Database, who: Identity, policy_id: int, version: int,
                  spec: PolicySpec) -> PolicyInfo:
    """Replace policy ``policy_id`` (read at ``version``) by ``spec``; ConflictError when
    someone saved it since."""
    _validate(spec)
    require_capable(spec, utcnow())
    try:
        with db.session() as s:
            row = load_policy(s, policy_id)
            if row.version != version:
                raise ConflictError("backup_policy_changed", policy=policy_id)
            _name_free(s, spec.name, row.id)
            _apply(row, spec)
            s.flush()
            audit.record(s, who, EventType.BACKUP_POLICY, object_type="backup_policy",
                         object_id=row.id, detail={"action": "update", "name": spec.name,
                                                   "method": spec.method,
                                                   "dr_level": spec.dr_level})
            return _info(row, utcnow())
    except StaleDataError as exc:
        raise ConflictError("backup_policy_changed", policy=policy_id) from exc


@service(Op.BACKUP_MANAGE, owner=True, scope=Scope.NONE, why=WHY)
def check_targets(db: Database, who: Identity, policy: int | str) -> list[TargetCheck]:
    """The local and each off-site directory of ``policy``, checked on its own against the
    size of its newest backup."""
    with db.session() as s:
        row = load_policy(s, policy)
        spec = spec_of(row)
        needed = s.scalar(select(BackupSet.size_bytes).where(BackupSet.policy_id == row.id)
                          .order_by(BackupSet.id.desc()).limit(1)) or 0
    return [check(spec.target, needed=needed)] + [check(t, offsite=True, needed=needed)
                                                  for t in spec.offsite_targets]
