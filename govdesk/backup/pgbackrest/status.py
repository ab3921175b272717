"""What pgBackRest says about a stanza, as plain dataclasses: the backups (``info
--output=json``), the WAL archive range that proves the recovery window, and the result of
``verify`` (the files it found damaged, by name)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from govdesk.backup.pgbackrest.messages import COMMANDS
from govdesk.backup.pgbackrest.run import PgBackRestError, first_line


@dataclass(frozen=True)
class BackupSet:
    """One backup in a repository: its label, type (full, diff, incr), start and stop time,
    the WAL range it needs, its size in the database and in the repository (bytes)."""

    label: str
    kind: str
    started: datetime
    stopped: datetime
    wal_start: str
    wal_stop: str
    size: int
    repo_size: int
    repo: int
    error: bool


@dataclass(frozen=True)
class StanzaStatus:
    """A stanza's state. The proved recovery window runs from ``window_start`` (the end of the
    oldest backup whose WAL is archived: the earliest point a restore can reach) to the
    newest archived WAL segment (``archive_max``; ``archived_at`` its time in the repository
    where it could be read): a point-in-time restore can target any moment in between."""

    stanza: str
    ok: bool
    message: str
    cipher: str
    backups: tuple[BackupSet, ...]
    archive_min: str | None
    archive_max: str | None
    archived_at: datetime | None = None

    @property
    def newest(self) -> BackupSet | None:
        good = [b for b in self.backups if not b.error]
        return max(good, key=lambda b: b.stopped) if good else None

    @property
    def window_start(self) -> datetime | None:
        covered = [b for b in self.backups if not b.error and self.archive_min is not None
                   and b.wal_start >= self.archive_min]
        return min(b.stopped for b in covered) if covered else None


def _time(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


def parse_info(text: str, stanza: str) -> StanzaStatus:
    """``info --output=json`` of ``stanza`` as a :class:`StanzaStatus`. Raises
    :class:`PgBackRestError` for output that is not what pgBackRest 2.x writes."""
    try:
        entry = next(s for s in json.loads(text, strict=False) if s.get("name") == stanza)
        backups = tuple(BackupSet(
            b["label"], b["type"], _time(b["timestamp"]["start"]), _time(b["timestamp"]["stop"]),
            b["archive"]["start"] or "", b["archive"]["stop"] or "", int(b["info"]["size"]),
            int(b["info"]["repository"]["delta"]), int(b["database"]["repo-key"]),
            bool(b.get("error", False))) for b in entry.get("backup", []))
        archives = [a for a in entry.get("archive", []) if a.get("min")]
        status = entry["status"]
        _refuse_wrong_key(entry)
        return StanzaStatus(
            stanza, int(status["code"]) == 0, str(status["message"]),
            str(entry.get("cipher", "none")), backups,
            min((a["min"] for a in archives), default=None),
            max((a["max"] for a in archives), default=None))
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise PgBackRestError("pgbr_bad_info", detail=f"{type(exc).__name__}: {exc}") from None


#: a repository pgBackRest cannot decrypt: its info file does not parse (a wrong passphrase
#: decrypts to noise) or the cipher itself fails
_UNREADABLE = re.compile(r"^\[(FormatError|CryptoError)\]")


def _refuse_wrong_key(entry: dict[str, Any]) -> None:
    for repo in entry.get("repo", []):
        message = str(repo.get("status", {}).get("message", ""))
        if _UNREADABLE.match(message):
            raise PgBackRestError("pgbr_wrong_key", command=COMMANDS["info"],
                                  detail=f"repo{repo.get('key')}: {first_line(message)}")


def archived_time(repo_path: Path, stanza: str, segment: str | None) -> datetime | None:
    """When the WAL ``segment`` reached the repository at ``repo_path`` (its file's time), or
    None where it cannot be read."""
    if segment is None:
        return None
    try:
        found = list((repo_path / "archive" / stanza).glob(f"*/{segment[:16]}/{segment}-*"))
        return datetime.fromtimestamp(max(p.stat().st_mtime for p in found), UTC) \
            if found else None
    except OSError:
        return None


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found in one repository: ``ok`` when every backup file and WAL segment
    matched its checksum and size; ``damaged`` names each file it found invalid or missing
    (relative to the repository's backup or archive directory); ``report`` is pgBackRest's
    text."""

    repo: int
    ok: bool
    damaged: tuple[str, ...]
    report: str


#: "invalid checksum '20261204-180036F/pg_data/PG_VERSION.zst'", "missing file '...'"
_DAMAGED = re.compile(r"(?:invalid checksum|invalid size|missing|invalid result) '?(?P<file>[^' ]+)'?")


def parse_verify(repo: int, out: str, err: str) -> VerifyResult:
    """``verify --output=text`` (stdout) and its log at level info (stderr) as a
    :class:`VerifyResult`: pgBackRest 2.45 exits 0 even when it found damage, so the status
    line decides."""
    ok = "status: ok" in out and "status: error" not in out
    damaged = tuple(dict.fromkeys(m.group("file") for line in err.splitlines()
                                  if (m := _DAMAGED.search(line.split(": ", 1)[-1]))))
    return VerifyResult(repo, ok, damaged, out.strip())
