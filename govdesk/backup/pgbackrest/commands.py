"""The pgBackRest commands GovDesk runs for a policy: create the stanza, back up (full,
differential, incremental) into each repository, check that WAL archiving arrives, verify the
repositories, read the status, and restore to a point in time into a new data directory.

Each function writes nothing but what pgBackRest writes, raises
:class:`~govdesk.backup.pgbackrest.run.PgBackRestError` with a message in both languages when
the tool fails, and returns plain dataclasses. A restore never goes over the live cluster: its
target must be a new or empty directory, not the policy's data directory, and the restored
cluster starts with archiving off, so it never pushes WAL into the policy's repositories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from govdesk.backup.pgbackrest.config import PgBackRestPolicy
from govdesk.backup.pgbackrest.run import PgBackRestError, pgbackrest
from govdesk.backup.pgbackrest.status import (
    StanzaStatus,
    VerifyResult,
    archived_time,
    parse_info,
    parse_verify,
)
from govdesk.errors import InputRejected

KINDS = ("full", "diff", "incr")


def stanza_create(policy: PgBackRestPolicy) -> None:
    """Create the stanza in every repository (idempotent: an existing one that matches the
    cluster is accepted)."""
    pgbackrest(policy, "stanza-create")


def check(policy: PgBackRestPolicy) -> None:
    """Prove WAL archiving works: pgBackRest switches the server's WAL segment and waits until
    it is in every repository. Raises with ``pgbr_archive_broken`` when it does not arrive."""
    pgbackrest(policy, "check")


def backup(policy: PgBackRestPolicy, kind: str = "full", repo: int | None = None) -> None:
    """A backup of ``kind`` into ``repo`` (1-based), or into each repository in turn; each
    expires old backups by its retention afterwards (pgBackRest's own expire step)."""
    if kind not in KINDS:
        raise InputRejected("pgbr_bad_value", field="kind", value=kind, why="full, diff or incr")
    for number in ([repo] if repo else range(1, len(policy.repos) + 1)):
        pgbackrest(policy, "backup", f"--type={kind}", f"--repo={number}")


def info(policy: PgBackRestPolicy) -> StanzaStatus:
    """The stanza's backups and WAL archive range (``info --output=json``), with the time the
    newest WAL segment reached the first repository."""
    result = pgbackrest(policy, "info", "--output=json", timeout_s=300)
    status = parse_info(result.stdout, policy.stanza)
    at = archived_time(policy.repos[0].path, policy.stanza, status.archive_max)
    return StanzaStatus(status.stanza, status.ok, status.message, status.cipher, status.backups,
                        status.archive_min, status.archive_max, at)


def verify(policy: PgBackRestPolicy) -> list[VerifyResult]:
    """Every backup file and WAL segment of each repository read back against its checksum;
    one result per repository, naming the damaged files."""
    results = []
    for number in range(1, len(policy.repos) + 1):
        done = pgbackrest(policy, "verify", f"--repo={number}", "--output=text", "--verbose",
                          "--log-level-console=off", "--log-level-stderr=info")
        results.append(parse_verify(number, done.stdout, done.stderr))
    return results


@dataclass(frozen=True)
class RestoreResult:
    """A restore done: where, from which repository, to which moment (None: the end of the
    archive). The directory holds a cluster that recovers to that moment when started."""

    target: Path
    repo: int
    target_time: datetime | None


def restore(policy: PgBackRestPolicy, target: Path, *, to_time: datetime | None = None,
            repo: int = 1) -> RestoreResult:
    """Restore into the new or empty directory ``target`` (owned by the policy's OS user), to
    ``to_time`` (aware; the last transaction committed at or before it is the last one
    replayed) or to the end of the archive. Started as a cluster of its own, it replays WAL
    from the repository and is promoted at the target; ``archive_mode`` is off in it.

    Refuses the policy's live data directory, a non-empty directory, and a naive time."""
    _safe_target(policy, target)
    options = [f"--pg1-path={target}", f"--repo={repo}", "--archive-mode=off"]
    if to_time is not None:
        if to_time.tzinfo is None:
            raise InputRejected("pgbr_target_naive", value=to_time.isoformat())
        stamp = to_time.isoformat(sep=" ", timespec="microseconds")
        options += ["--type=time", f"--target={stamp}", "--target-action=promote"]
    pgbackrest(policy, "restore", *options)
    return RestoreResult(target, repo, to_time)


def _safe_target(policy: PgBackRestPolicy, target: Path) -> None:
    if not target.is_absolute():
        raise InputRejected("pgbr_bad_value", field="target", value=str(target),
                            why="an absolute path")
    if target.resolve() == policy.pg_data.resolve():
        raise InputRejected("pgbr_restore_live", path=str(target))
    if (target / "postmaster.pid").exists():
        raise InputRejected("pgbr_restore_running", path=str(target))
    if target.exists() and any(target.iterdir()):
        raise InputRejected("pgbr_restore_not_empty", path=str(target))


__all__ = ["KINDS", "PgBackRestError", "RestoreResult", "backup", "check", "info", "restore",
           "stanza_create", "verify"]
