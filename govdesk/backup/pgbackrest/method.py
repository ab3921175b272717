"""pgBackRest plugged into the backup core as the method ``pgbackrest`` (registered when
:mod:`govdesk.backup.pgbackrest` is imported, which :func:`govdesk.backup.method.methods` does).

pgBackRest's repositories are their own storage: a run writes no container. The core's backup
directory (``<target>/<label>``) holds only the signed manifest, whose ``pgbackrest`` entry
records what proves the backup: the stanza, the kind (full, diff, incr), pgBackRest's label in
each repository, the backup's WAL range, the archive range and the recovery window it proves
(``window_start`` .. ``archived_at``), the repositories and the key id of the repositories'
passphrase (a SHA-256 of it, never the passphrase). The core still owns the manifest, the atomic
rename, the off-site copy of the manifest, the catalogue, the job history and the audit.

The stanza's settings (data directory, port, repositories, passphrase source, kind) are what IT
sets up once with the server's ``archive_command`` (a restart): :func:`save_stanza` writes them
as ``<target>/pgbackrest.json`` beside the backups, :func:`load_stanza` reads them for each run,
verification and restore. A restore is point-in-time into a new, empty data directory (never a
database URL, never the live cluster: :func:`~govdesk.backup.pgbackrest.commands.restore`
refuses it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from govdesk.backup.method import MethodOutput, RestoreContext, RunContext, TableFact, register
from govdesk.backup.pgbackrest.commands import KINDS, backup, check, info, restore, verify
from govdesk.backup.pgbackrest.config import (
    KeySource,
    PgBackRestPolicy,
    Repo,
    achievable_rpo,
    passphrase,
)
from govdesk.backup.pgbackrest.run import capability
from govdesk.backup.pgbackrest.status import StanzaStatus
from govdesk.errors import InputRejected

#: the stanza's settings in the policy's local target
SETTINGS = "pgbackrest.json"
#: what the core's capability check assumes before a stanza is set up: the default
#: ``archive_timeout`` of :class:`PgBackRestPolicy` (60 s) plus the push margin
DEFAULT_RPO = achievable_rpo(PgBackRestPolicy("x", Path("/"), (), Path("/"))) or timedelta(0)


def save_stanza(target: Path, policy: PgBackRestPolicy, kind: str = "full") -> Path:
    """Record ``policy`` (no secret: the key file's path or the keyring entry's name) and the
    backup ``kind`` for the core policy whose local target is ``target``."""
    if kind not in KINDS:
        raise InputRejected("pgbr_bad_value", field="kind", value=kind, why="full, diff or incr")
    data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(policy).items()}
    data["repos"] = [{**r, "path": str(r["path"])} for r in asdict(policy)["repos"]]
    data["key"] = {k: (str(v) if v is not None else None) for k, v in asdict(policy.key).items()}
    path = target / SETTINGS
    path.write_text(json.dumps({**data, "kind": kind}, indent=1), encoding="utf-8")
    path.chmod(0o600)
    return path


def load_stanza(target: Path) -> tuple[PgBackRestPolicy, str]:
    """The stanza and backup kind recorded in ``target`` (see :func:`save_stanza`)."""
    path = target / SETTINGS
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        key = d["key"]
        policy = PgBackRestPolicy(
            stanza=d["stanza"], pg_data=Path(d["pg_data"]), config_dir=Path(d["config_dir"]),
            repos=tuple(Repo(Path(r["path"]), r["offsite"], r["retention_full"],
                             r["retention_diff"]) for r in d["repos"]),
            key=KeySource(Path(key["key_file"]) if key["key_file"] else None,
                          key["keyring_name"]),
            pg_port=d["pg_port"], pg_socket_dir=Path(d["pg_socket_dir"]),
            encrypt=d["encrypt"], compress_type=d["compress_type"],
            archive_timeout_s=d["archive_timeout_s"], process_max=d["process_max"],
            os_user=d["os_user"], timeout_s=d["timeout_s"])
        return policy, str(d.get("kind", "full"))
    except (OSError, ValueError, KeyError, TypeError):
        raise InputRejected("pgbr_no_stanza", path=str(target), file=SETTINGS) from None


def passphrase_key_id(policy: PgBackRestPolicy) -> str | None:
    """The id of the repositories' passphrase (as the core's key ids: 32 hex digits of a
    SHA-256), so a manifest names the key without holding it; None when unencrypted."""
    if not policy.encrypt:
        return None
    secret = passphrase(policy.key)
    return hashlib.sha256(b"govdesk-pgbackrest-passphrase\n" + secret.encode()).hexdigest()[:32]


def _server(url: str, policy: PgBackRestPolicy) -> tuple[str, str | None]:
    """The source server's version and GovDesk schema revision (None: not a GovDesk
    database); refuses a source that is not the stanza's cluster."""
    from govdesk.backup.pg import connect

    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_setting('server_version'), current_setting('port')")
            version, port = cur.fetchone()
            if int(port) != policy.pg_port:
                raise InputRejected("pgbr_source_mismatch", source=f"port {port}",
                                    port=policy.pg_port)
            cur.execute("SELECT to_regclass('alembic_version') IS NOT NULL")
            revision = None
            if cur.fetchone()[0]:
                cur.execute("SELECT version_num FROM alembic_version")
                row = cur.fetchone()
                revision = row[0] if row else None
        return str(version), revision
    finally:
        conn.close()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def record(policy: PgBackRestPolicy, kind: str, status: StanzaStatus,
           before: set[str]) -> dict[str, object]:
    """The manifest's ``pgbackrest`` entry for the backups this run added (labels not in
    ``before``), one per repository."""
    new = [b for b in status.backups if b.label not in before and not b.error]
    if len({b.repo for b in new}) != len(policy.repos):
        raise InputRejected("pgbr_backup_gone", label=", ".join(b.label for b in new) or "-")
    newest = max(new, key=lambda b: b.stopped)
    rpo = achievable_rpo(policy)
    return {
        "stanza": policy.stanza, "kind": kind, "cipher": status.cipher,
        "labels": {str(b.repo): b.label for b in new},
        "repos": [{"path": str(r.path), "offsite": r.offsite} for r in policy.repos],
        "backup_started": newest.started.isoformat(), "backup_stopped": newest.stopped.isoformat(),
        "wal_start": newest.wal_start, "wal_stop": newest.wal_stop,
        "size": newest.size, "repo_size": sum(b.repo_size for b in new),
        "archive_min": status.archive_min, "archive_max": status.archive_max,
        "window_start": _iso(status.window_start), "window_end": _iso(status.archived_at),
        "achievable_rpo_s": rpo.total_seconds() if rpo else None,
        "passphrase_key_id": passphrase_key_id(policy)}


class PgBackRestMethod:
    """PostgreSQL, physical with continuous WAL archiving, through pgBackRest."""

    name: ClassVar[str] = "pgbackrest"
    source: ClassVar[str] = "postgresql"
    continuous: ClassVar[bool] = True
    #: restores a whole cluster into a data directory, not into a database URL
    restores_to_directory: ClassVar[bool] = True

    def unavailable(self) -> str | None:
        found = capability()
        return None if found.available or found.reason is None else found.reason.code

    def achievable_rpo_hours(self, interval_hours: float) -> float:
        """The archive timeout plus the push margin, whatever the schedule of base backups."""
        return DEFAULT_RPO.total_seconds() / 3600

    def run(self, ctx: RunContext) -> MethodOutput:
        """A backup of the stanza's kind into each repository, read back from ``info``."""
        policy, kind = load_stanza(ctx.workdir.parent)
        version, revision = _server(ctx.source_url, policy)
        before = {b.label for b in info(policy).backups}
        ctx.progress.report(0.05)
        ctx.progress.check()
        backup(policy, kind)
        ctx.progress.report(0.8)
        check(policy)  # the WAL the backup needs has arrived
        entry = record(policy, kind, info(policy), before)
        tool = capability().version or "?"
        return MethodOutput([], {}, version, f"pgBackRest {tool}", revision, None,
                            {"pgbackrest": entry})

    def verify_storage(self, directory: Path, body: dict[str, Any]) -> None:
        """``pgbackrest verify`` of every repository and ``check`` (archiving arrives); the
        recorded backups must still be there. Raises the first problem."""
        policy, _ = load_stanza(directory.parent)
        entry = body.get("pgbackrest") or {}
        present = {(str(b.repo), b.label) for b in info(policy).backups if not b.error}
        for repo, label in dict(entry.get("labels", {})).items():
            if (repo, label) not in present:
                raise InputRejected("pgbr_backup_gone", label=label)
        for result in verify(policy):
            if not result.ok:
                raise InputRejected("pgbr_verify_damaged", repo=result.repo,
                                    files=", ".join(result.damaged) or result.report[:300])
        check(policy)

    def archived_until(self, target: Path) -> datetime | None:
        """When the newest WAL segment reached repository 1 (the health's recovery point);
        None where pgBackRest is not installed here."""
        if self.unavailable() is not None:
            return None
        return info(load_stanza(target)[0]).archived_at

    def restore(self, ctx: RestoreContext) -> None:
        """Point-in-time restore (``ctx.to_time``, else the end of the archive) into the new,
        empty data directory ``ctx.target_url``; never a database URL or the live cluster."""
        target = Path(ctx.target_url.removeprefix("file://"))
        if "://" in ctx.target_url and not ctx.target_url.startswith("file://") \
                or not target.is_absolute() or ctx.clean:
            raise InputRejected("pgbr_restore_needs_dir", target=ctx.target_url.split("@")[-1])
        policy, _ = load_stanza(ctx.backup_dir.parent)
        restore(policy, target, to_time=ctx.to_time)
        ctx.progress.report(1.0)

    def facts(self, url: str) -> tuple[dict[str, TableFact], dict[str, object] | None]:
        """A physical copy has no table facts of a snapshot (it is taken online, made
        consistent by WAL replay): nothing to compare."""
        return {}, None


register(PgBackRestMethod())
