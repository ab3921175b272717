"""Restoring a backup into a database: never over the live one (the database the service is
called on) unless ``force_live``, and then only after a fresh safety backup by the same policy.
Any other target must be empty (no tables; a SQLite file that does not exist yet or is empty).
The backup is verified first (manifest, files, every chunk), so a damaged backup never
overwrites anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from govdesk.backup.method import RestoreContext, methods
from govdesk.backup.runner import run_policy
from govdesk.backup.sqlite import sqlite_path
from govdesk.backup.store import fail_job, finish_job, load_backup, start_job
from govdesk.backup.verify import check_directory, key_finder
from govdesk.db.engine import Database
from govdesk.errors import InputRejected
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "a restore writes a whole database: it is not a regional operation"


@dataclass(frozen=True)
class RestoreReport:
    """What was restored where; ``safety_backup_id`` the backup taken before a live restore."""

    backup_id: int
    target: str
    live: bool
    safety_backup_id: int | None


def same_database(a: str, b: str) -> bool:
    """Whether two URLs name the same database (SQLite: the same file; PostgreSQL: host, port
    and database name, whoever logs in)."""
    ua, ub = make_url(a), make_url(b)
    if ua.get_backend_name() != ub.get_backend_name():
        return False
    if ua.get_backend_name() == "sqlite":
        return sqlite_path(a).resolve() == sqlite_path(b).resolve()
    local = {"localhost", "127.0.0.1", "::1", None, ""}
    hosts = ua.host == ub.host or (ua.host in local and ub.host in local)
    return hosts and (ua.port or 5432) == (ub.port or 5432) and ua.database == ub.database


def _empty(url: str) -> bool:
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return not path.exists() or path.stat().st_size == 0
    target = Database(url)
    try:
        return not inspect(target.engine).get_table_names()
    finally:
        target.dispose()


def _target_kind(url: str) -> str:
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"


def _check_target(db: Database, backup_id: int, source: str, target_url: str,
                  force_live: bool) -> bool:
    """Whether ``target_url`` is the live database; refused without ``force_live``, of another
    kind than the backup, or (not live) not empty."""
    live = same_database(db.url, target_url)
    if live and not force_live:
        raise InputRejected("restore_refuses_live", target=make_url(target_url)
                            .render_as_string(hide_password=True))
    if _target_kind(target_url) != source:
        raise InputRejected("restore_source_mismatch", backup=backup_id, source=source,
                            target=_target_kind(target_url))
    if not live and not _empty(target_url):
        raise InputRejected("restore_target_not_empty",
                            target=make_url(target_url).render_as_string(hide_password=True))
    return live


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def restore_backup(db: Database, who: Identity, backup_id: int, target_url: str, *,
                   force_live: bool = False, with_globals: bool = False,
                   source_url: str | None = None, key_dir: Path | None = None,
                   to_time: dt.datetime | None = None,
                   progress: Progress | None = None) -> RestoreReport:
    """Restore backup ``backup_id`` into ``target_url`` (see the module's doc); ``with_globals``
    also creates the security model's roles (a new server; needs a login that may create
    roles); ``source_url`` is what the safety backup reads (as for :func:`run_policy`). A
    method that restores a whole cluster (``restores_to_directory``: pgbackrest) takes a new,
    empty data directory as ``target_url`` and ``to_time`` as the point in time (the method
    refuses the live cluster and any non-empty directory itself)."""
    progress = progress or Progress()
    with db.session() as s:
        b = load_backup(s, backup_id)
        directory, sha, source, policy_id = Path(b.location), b.manifest_sha256, b.source, \
            b.policy_id
        to_directory = bool(getattr(methods().get(b.method), "restores_to_directory", False))
    live = False if to_directory else _check_target(db, backup_id, source, target_url,
                                                    force_live)
    key_for = key_finder(key_dir)
    body = check_directory(directory, key_for, sha, progress.sub(0, 0.2))
    safety = None
    if live and policy_id is not None:
        safety = run_policy(db, who, policy_id, source_url=source_url,
                            progress=progress.sub(0.2, 0.5)).id
    job = start_job(db, who.username, "restore", policy_id, backup_id)
    try:
        if live:
            db.dispose()
        methods()[body["method"]].restore(RestoreContext(
            directory, [f["name"] for f in body["files"]], target_url, key_for,
            progress.sub(0.5, 1.0), with_globals=with_globals, clean=live, to_time=to_time))
    except BaseException as exc:
        fail_job(db, job, exc)
        raise
    shown = target_url if to_directory else make_url(target_url).render_as_string(
        hide_password=True)
    with db.session() as s:
        finish_job(s, job, "ok")
        audit.record(s, who, EventType.BACKUP_RESTORE, object_type="backup", object_id=backup_id,
                     detail={"target": shown, "live": live, "safety_backup": safety,
                             "to_time": to_time.isoformat() if to_time else None})
    return RestoreReport(backup_id, shown, live, safety)
