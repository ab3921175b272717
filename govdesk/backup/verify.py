"""Verifying a backup, and the restore drill.

``verify``: the manifest's MAC (and that it is the manifest the catalogue recorded), each file's
size and SHA-256 against the manifest, then every container read through, so each chunk is
authenticated; the first problem is named (a flipped byte, a truncated file, a reordered chunk,
a wrong key). With ``restore`` (a drill): the backup is restored into a scratch database, its
tables' row counts and checksums are compared with the manifest, its audit chain is verified
and compared with the recorded head, and on PostgreSQL each group role's privileges
(``gd_<db>_<role>``: what a smoke query as that role may touch) are compared with those
recorded at backup time. The restore's measured time is the achieved RTO, kept on the backup.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdesk.backup import manifest
from govdesk.backup.container import read_plain
from govdesk.backup.keys import load_key
from govdesk.backup.method import KeyFor, RestoreContext, TableFact, methods
from govdesk.backup.scratch import Scratch, ScratchUnavailable
from govdesk.backup.store import fail_job, finish_job, load_backup, start_job
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.errors import GovDeskError, InputRejected
from govdesk.messages import Message
from govdesk.progress import Cancelled, Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "a backup holds the whole database: it is not a regional object"


@dataclass(frozen=True)
class VerifyReport:
    """What a verification (and a drill) found; ``problem`` None when the backup holds."""

    backup_id: int
    label: str
    ok: bool
    problem: Message | None = None
    restored: bool = False
    rto_seconds: float | None = None
    differences: tuple[str, ...] = ()
    audit_rows: int | None = None
    privileges_ok: bool | None = None
    checked_at: dt.datetime = field(default_factory=utcnow)


def check_directory(directory: Path, key_for: KeyFor, expected_sha256: str | None,
                    progress: Progress) -> dict[str, Any]:
    """The manifest of the backup in ``directory`` once it and every file hold (see the
    module's doc); raises the first problem as an InputRejected."""
    if not directory.is_dir():
        raise InputRejected("backup_dir_missing", backup=directory.name, path=directory)
    body = manifest.read(directory, key_for, expected_sha256)
    files = body["files"]
    for n, entry in enumerate(files):
        path = directory / entry["name"]
        if not path.is_file():
            raise InputRejected("backup_file_mismatch", file=entry["name"], what="missing")
        if path.stat().st_size != entry["size"]:
            raise InputRejected("backup_file_mismatch", file=entry["name"], what="size")
        if manifest.file_sha256(path) != entry["sha256"]:
            # read it through to name the damaged chunk, else report the hash
            for _ in read_plain(path, key_for):
                progress.check()
            raise InputRejected("backup_file_mismatch", file=entry["name"], what="SHA-256")
        plain = 0
        for block in read_plain(path, key_for):
            plain += len(block)
            progress.check()
        if plain != entry["plain_size"]:
            raise InputRejected("backup_file_mismatch", file=entry["name"], what="plain size")
        progress.report((n + 1) / len(files) * 0.3)
    return body


def _differences(recorded: dict[str, Any], found: dict[str, TableFact]) -> list[str]:
    out = []
    for table, fact in sorted(recorded.items()):
        got = found.get(table)
        if got is None:
            out.append(f"{table}: missing")
        elif got.rows != fact["rows"] or got.checksum != fact["checksum"]:
            out.append(f"{table}: {got.rows} rows (recorded {fact['rows']})"
                       + ("" if got.rows != fact["rows"] else ", checksum differs"))
    out += [f"{t}: not in the backup" for t in sorted(set(found) - set(recorded))]
    return out


def drill(body: dict[str, Any], directory: Path, key_for: KeyFor, scratch_url: str,
          progress: Progress) -> tuple[float, list[str], int, bool | None]:
    """Restore into ``scratch_url`` (empty) and compare; (seconds, differences, audit rows
    verified, privileges equal or None where there are none to compare)."""
    method = methods()[body["method"]]
    started = time.perf_counter()
    method.restore(RestoreContext(directory, [f["name"] for f in body["files"]], scratch_url,
                                  key_for, progress.sub(0.3, 0.8)))
    seconds = time.perf_counter() - started
    facts, head = method.facts(scratch_url)
    diffs = _differences(body["tables"], facts)
    if head != body.get("audit_head"):
        diffs.append(f"audit head {head} (recorded {body.get('audit_head')})")
    restored = Database(scratch_url)
    try:
        chain = audit.verify(restored)
        privs = None
        if restored.is_postgres and body.get("privileges"):
            from govdesk.backup.pg import connect, privileges

            conn = connect(scratch_url)
            with conn, conn.cursor() as cur:
                privs = privileges(cur) == body["privileges"]
            conn.close()
    finally:
        restored.dispose()
    if not chain.ok:
        diffs.append(f"audit chain: {chain.reason}")
    if privs is False:
        diffs.append("role privileges differ")
    progress.report(0.95)
    return seconds, diffs, chain.checked, privs


def key_finder(key_dir: Path | None = None) -> KeyFor:
    """Keys by id from the keyring or ``key_dir`` (default the key directory)."""
    return lambda kid: load_key(kid, directory=key_dir)


def _record(db: Database, who: Identity, job: int, backup_id: int, report: VerifyReport) -> None:
    with db.session() as s:
        b = load_backup(s, backup_id)
        b.verified_at = report.checked_at
        b.status = "verified" if report.ok else "verify_failed"
        if report.restored:
            b.drill_at, b.drill_seconds = report.checked_at, report.rto_seconds
        finish_job(s, job, "ok" if report.ok else "failed",
                   error=None if report.ok else (report.problem.text("en") if report.problem
                                                 else "; ".join(report.differences)))
        audit.record(s, who, EventType.BACKUP_VERIFY, object_type="backup", object_id=backup_id,
                     success=report.ok, detail={"restore": report.restored,
                                                "rto_seconds": report.rto_seconds,
                                                "differences": list(report.differences)[:20],
                                                "problem": report.problem.code
                                                if report.problem else None})


@service(Op.BACKUP_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=WHY)
def verify_backup(db: Database, who: Identity, backup_id: int, *, restore: bool = False,
                  scratch_url: str | None = None, key_dir: Path | None = None,
                  progress: Progress | None = None) -> VerifyReport:
    """Verify backup ``backup_id`` (and, with ``restore``, drill it into ``scratch_url``, or a
    scratch database GovDesk creates and drops); the report, also recorded on the backup, in
    the job history and the audit trail. A backup that does not hold is reported (``ok``
    False, status ``verify_failed``), not raised."""
    progress = progress or Progress()
    with db.session() as s:
        b = load_backup(s, backup_id)
        directory, sha, label, policy_id = Path(b.location), b.manifest_sha256, b.label, \
            b.policy_id
        if restore and getattr(methods().get(b.method), "restores_to_directory", False):
            raise InputRejected("backup_drill_unsupported", backup=backup_id, method=b.method)
    job = start_job(db, who.username, "drill" if restore else "verify", policy_id, backup_id)
    key_for = key_finder(key_dir)
    try:
        report = _verify(db, backup_id, label, directory, sha, key_for, restore, scratch_url,
                         progress)
    except (Cancelled, Exception) as exc:
        if not isinstance(exc, GovDeskError) or isinstance(exc, (Cancelled, ScratchUnavailable)):
            fail_job(db, job, exc)
            raise
        report = VerifyReport(backup_id, label, False, Message(exc.code, exc.params))
    _record(db, who, job, backup_id, report)
    progress.report(1.0)
    return report


def _verify(db: Database, backup_id: int, label: str, directory: Path, sha: str,
            key_for: KeyFor, restore: bool, scratch_url: str | None,
            progress: Progress) -> VerifyReport:
    body = check_directory(directory, key_for, sha, progress)
    storage = getattr(methods().get(body["method"]), "verify_storage", None)
    if storage is not None:  # what the method keeps elsewhere (pgBackRest's repositories)
        storage(directory, body)
    if not restore:
        return VerifyReport(backup_id, label, True)
    with Scratch(db, scratch_url, f"drill_{uuid.uuid4().hex[:8]}") as url:
        seconds, diffs, rows, privs = drill(body, directory, key_for, url, progress)
    problem = Message("drill_mismatch", {"tables": "; ".join(diffs)}) if diffs else None
    return VerifyReport(backup_id, label, not diffs, problem, True, seconds, tuple(diffs),
                        rows, privs)
