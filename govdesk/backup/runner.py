"""Running a policy: the method writes into ``<target>/<label>.partial`` (mode 0700), the
manifest is written last, then the directory is renamed to ``<label>`` (atomic on one file
system) and the parent fsynced; only then is the backup copied to each off-site directory (each
as ``.partial`` then renamed, each on its own) and entered in the catalogue. A run killed at
any point before the rename leaves only a ``.partial`` directory without a manifest, which
nothing takes for a backup; the job row it started stays ``running`` until
:func:`~govdesk.backup.store.reap_interrupted` marks it ``interrupted``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from croniter import croniter
from sqlalchemy import func, select

import govdesk
from govdesk.backup import manifest
from govdesk.backup.keys import load_key
from govdesk.backup.method import MethodOutput, RunContext, methods
from govdesk.backup.policy import PolicySpec, capability
from govdesk.backup.store import (
    BackupInfo,
    backup_info,
    fail_job,
    finish_job,
    load_policy,
    reap_interrupted,
    spec_of,
    start_job,
    utc,
)
from govdesk.backup.targets import check
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupJob, BackupPolicy, BackupSet
from govdesk.errors import GovDeskError, InputRejected
from govdesk.progress import Cancelled, Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "a backup copies the whole database (every region): it is not a regional operation"


@dataclass(frozen=True)
class Written:
    """A backup directory as written (before the catalogue knows it)."""

    directory: Path
    manifest_sha256: str
    output: MethodOutput
    started_at: dt.datetime
    finished_at: dt.datetime
    size: int


def label_for(policy_id: int, job_id: int, at: dt.datetime) -> str:
    return f"p{policy_id}-{at.strftime('%Y%m%dT%H%M%SZ')}-j{job_id}"


def _body(spec: PolicySpec, policy_id: int, out: MethodOutput, key_id: str | None,
          started: dt.datetime) -> dict[str, object]:
    return {
        "tool": f"govdesk {getattr(govdesk, '__version__', 'dev')}",
        "dump_tool": out.tool_version, "server_version": out.server_version,
        "schema_revision": out.schema_revision, "method": spec.method, "source": spec.source,
        "policy": {"id": policy_id, "name": spec.name, "dr_level": spec.dr_level},
        "key_id": key_id, "started_at": started.isoformat(), "finished_at": utcnow().isoformat(),
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256,
                   "plain_size": f.plain_size} for f in out.files],
        "tables": {t: {"rows": f.rows, "checksum": f.checksum} for t, f in out.tables.items()},
        "audit_head": out.audit_head, **out.extra}


def write_backup(spec: PolicySpec, policy_id: int, source_url: str, label: str,
                 progress: Progress, key: bytes | None) -> Written:
    """Write one backup directory ``<target>/<label>`` (see the module's doc)."""
    local = check(spec.target)
    if local.problem is not None:
        raise InputRejected("target_local_failed", reason=local.problem)
    target = Path(spec.target)
    work, final = target / f"{label}.partial", target / label
    work.mkdir(mode=0o700)
    try:
        started = utcnow()
        out = methods()[spec.method].run(RunContext(source_url, work, key, progress.sub(0, 0.9)))
        sha = manifest.write(work, _body(spec, policy_id, out, spec.key_id if key else None,
                                         started), key)
        progress.check()
        os.rename(work, final)
        manifest.fsync_dir(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    size = sum(f.stat().st_size for f in final.iterdir())
    return Written(final, sha, out, started, utcnow(), size)


def copy_offsite(source: Path, targets: tuple[str, ...], size: int) -> tuple[list[str], list[str]]:
    """Copy the backup directory to each off-site directory on its own; (written, failed)."""
    done, failed = [], []
    for t in targets:
        state = check(t, offsite=True, needed=size)
        work, final = Path(t) / f"{source.name}.partial", Path(t) / source.name
        try:
            if state.problem is not None:
                raise OSError(state.problem.text("en"))
            shutil.copytree(source, work)
            for f in work.iterdir():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
            os.rename(work, final)
            manifest.fsync_dir(Path(t))
            done.append(str(final))
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            failed.append(f"{t} ({exc})")
    return done, failed


def sweep_partials(db: Database, spec: PolicySpec, policy_id: int) -> list[str]:
    """Remove the ``.partial`` directories runs of this policy left when killed (their job is
    no longer ``running``): a SQLite run may have left its plain copy there. The removed."""
    target = Path(spec.target)
    if not target.is_dir():
        return []
    with db.session() as s:
        running = set(s.scalars(select(BackupJob.id).where(BackupJob.result == "running")))
    gone = []
    for d in target.glob(f"p{policy_id}-*-j*.partial"):
        job = d.name.removesuffix(".partial").rsplit("-j", 1)[-1]
        if job.isdigit() and int(job) not in running:
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d.name)
    return gone


def _key(spec: PolicySpec) -> bytes | None:
    return load_key(spec.key_id) if spec.encrypted and spec.key_id else None


def _check_runnable(spec: PolicySpec) -> None:
    if not spec.enabled:
        raise InputRejected("backup_policy_disabled", name=spec.name)
    cap = capability(spec, utcnow())
    if cap.problems:
        raise InputRejected("backup_policy_incapable", name=spec.name, reason=cap.problems[0])


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def run_policy(db: Database, who: Identity, policy: int | str, *,
               progress: Progress | None = None, source_url: str | None = None) -> BackupInfo:
    """Back up by ``policy`` (id or name) now: the source is ``source_url`` (default the
    database itself: on PostgreSQL a login that may read every table, the owner, see the README),
    into the local target, then each off-site target; the catalogued backup. A failed
    off-site copy leaves the local backup catalogued and the job ``failed`` saying which."""
    progress = progress or Progress()
    with db.session() as s:
        row = load_policy(s, policy)
        spec, policy_id = spec_of(row), row.id
    _check_runnable(spec)
    reap_interrupted(db)
    sweep_partials(db, spec, policy_id)
    job = start_job(db, who.username, "run", policy_id)
    try:
        w = write_backup(spec, policy_id, source_url or db.url, label_for(policy_id, job, utcnow()),
                         progress, _key(spec))
        copies, failed = copy_offsite(w.directory, spec.offsite_targets, w.size)
        progress.report(1.0)
    except BaseException as exc:
        fail_job(db, job, exc)
        raise
    with db.session() as s:
        b = BackupSet(policy_id=policy_id, label=w.directory.name, method=spec.method,
                      source=spec.source, location=str(w.directory),
                      offsite_copies=json.dumps(copies, ensure_ascii=False),
                      started_at=w.started_at, finished_at=w.finished_at, size_bytes=w.size,
                      key_id=spec.key_id if spec.encrypted else None,
                      manifest_sha256=w.manifest_sha256,
                      schema_revision=w.output.schema_revision, status="complete")
        s.add(b)
        s.flush()
        error = ", ".join(failed) if failed else None
        finish_job(s, job, "failed" if failed else "ok", size=w.size, backup_id=b.id,
                   error=error)
        audit.record(s, who, EventType.BACKUP_RUN, object_type="backup", object_id=b.id,
                     success=not failed, detail={"policy": policy_id, "label": b.label,
                                                 "size": w.size, "offsite": copies,
                                                 "offsite_failed": failed})
        info = backup_info(b)
    return info


@dataclass(frozen=True)
class DueRun:
    """What ``run-due`` did for one policy: ``backup`` when it ran, ``error`` when it failed."""

    policy_id: int
    name: str
    backup: BackupInfo | None
    error: GovDeskError | None


def _due(db: Database, now: dt.datetime) -> list[tuple[int, str]]:
    source = "postgresql" if db.is_postgres else "sqlite"
    with db.session() as s:
        last = dict(s.execute(select(BackupJob.policy_id, func.max(BackupJob.started_at))
                              .where(BackupJob.kind == "run").group_by(BackupJob.policy_id)).all())
        rows = s.scalars(select(BackupPolicy).where(BackupPolicy.enabled.is_(True),
                                                    BackupPolicy.source == source)
                         .order_by(BackupPolicy.id)).all()
        due = []
        for p in rows:
            previous = croniter(p.schedule_cron, now).get_prev(dt.datetime)
            ran = last.get(p.id)
            if ran is None or utc(ran) < previous:
                due.append((p.id, p.name))
    return due


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def run_due(db: Database, who: Identity, *, now: dt.datetime | None = None,
            source_url: str | None = None, progress: Progress | None = None) -> list[DueRun]:
    """Run every enabled policy of this database's kind whose last scheduled time since its
    last run has passed (for cron, systemd timers, the Task Scheduler); one failing policy does
    not stop the others. Jobs of dead processes are marked ``interrupted`` first."""
    reap_interrupted(db)
    out = []
    for policy_id, name in _due(db, now or utcnow()):
        try:
            info = run_policy(db, who, policy_id, progress=progress, source_url=source_url)
            out.append(DueRun(policy_id, name, info, None))
        except Cancelled:
            raise
        except GovDeskError as exc:
            out.append(DueRun(policy_id, name, None, exc))
    return out
