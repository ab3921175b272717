"""The pgBackRest driver as a method of the backup core, against a real scratch cluster (the
stanza of ``tests/test_pgbackrest_pg.py``: two encrypted repositories, WAL archived by the
cluster's ``archive_command``, one full backup): a ``pgbackrest`` policy run by the runner
service, catalogued and listed with pgBackRest's labels and WAL range in its manifest (the key id
of the passphrase, never the passphrase), verified by ``pgbackrest verify`` + ``check``, a
damaged repository reported, restored to a point in time into a new data directory, and refused
with the driver's reason where pgbackrest is not on PATH."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backup_world import make_world
from govdesk.backup.health import health
from govdesk.backup.method import methods
from govdesk.backup.pgbackrest import save_stanza
from govdesk.backup.policy import capability
from govdesk.backup.prune import list_backups
from govdesk.backup.restore import restore_backup
from govdesk.backup.runner import run_policy
from govdesk.backup.store import spec_of
from govdesk.backup.verify import key_finder, verify_backup
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import BackupPolicy
from govdesk.errors import InputRejected
from tests.scratch_cluster import empty_data_dir, scratch_cluster
from tests.test_pgbackrest_pg import Stanza, _rows, _wait_promoted
from tests.test_pgbackrest_pg import stanza as stanza  # noqa: F401  (the fixture)
from test_sharing_cli import _as, run_json

pytestmark = pytest.mark.postgres


def test_a_pgbackrest_policy_runs_lists_verifies_and_restores(
        pg_demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], stanza: Stanza) -> None:  # noqa: F811
    w = make_world(pg_demo_db, accounts_for, tmp_path, monkeypatch, method="pgbackrest")
    save_stanza(w.local, stanza.policy, "diff")
    sys_ = _as(pg_demo_db, accounts_for(pg_demo_db), monkeypatch, "sysadmin", "330000", 1)
    status, out = run_json(capsys, "backup", "run", str(w.policy_id), "--source-url",
                           stanza.cluster.url(), *sys_)
    assert status == 0, out
    status, out = run_json(capsys, "backup", "list", *sys_)
    listed = [b for b in out["backups"] if b["policy_id"] == w.policy_id]
    assert status == 0 and len(listed) == 1
    assert (listed[0]["method"], listed[0]["status"]) == ("pgbackrest", "complete")
    info = list_backups(w.db, w.who, w.policy_id)[0]
    text = (w.local / info.label / "manifest.json").read_text()
    assert "a passphrase of the test" not in text
    assert (w.offsite / info.label / "manifest.json").is_file()
    body = _body(w.local / info.label)
    entry = body["pgbackrest"]
    assert body["method"] == "pgbackrest" and body["files"] == [] and entry["kind"] == "diff"
    assert set(entry["labels"]) == {"1", "2"}
    assert all(label.endswith("D") for label in entry["labels"].values())
    assert entry["archive_min"] <= entry["wal_start"] <= entry["wal_stop"] <= entry["archive_max"]
    assert entry["window_start"] is not None and entry["window_end"] is not None
    assert len(entry["passphrase_key_id"]) == 32 and entry["achievable_rpo_s"] == 120
    assert body["dump_tool"].startswith("pgBackRest 2.")

    report = verify_backup(w.db, w.who, info.id)
    assert report.ok, report.problem
    assert list_backups(w.db, w.who, w.policy_id)[0].status == "verified"
    mine = next(h for h in health(w.db, w.who) if h.policy_id == w.policy_id)
    assert mine.achieved_rpo_hours is not None and mine.newest_verified_at is not None
    base_age = (utcnow() - mine.newest_verified_at).total_seconds() / 3600
    assert mine.achieved_rpo_hours < base_age  # the archive's newest segment, not the base
    assert "rpo_breached" not in mine.alerts
    later = next(h for h in health(w.db, w.who, now=utcnow() + timedelta(hours=30))
                 if h.policy_id == w.policy_id)
    assert "rpo_breached" in later.alerts  # archiving that stops shows
    with pytest.raises(InputRejected) as no_drill:  # a cluster, not a database: restore instead
        verify_backup(w.db, w.who, info.id, restore=True)
    assert no_drill.value.code == "backup_drill_unsupported"
    assert list_backups(w.db, w.who, w.policy_id)[0].status == "verified"

    _point_in_time(w, info.id, stanza)


def _body(directory: Path) -> dict[str, Any]:
    from govdesk.backup import manifest

    return manifest.read(directory, key_finder(), None)


def _point_in_time(w: Any, backup_id: int, stanza: Stanza) -> None:  # noqa: F811
    """Rows written after the backup, a target between them: ``restore_backup`` restores
    exactly the rows before it into a new data directory (a database URL is refused)."""
    live = stanza.cluster
    live.psql("INSERT INTO t (id) VALUES (40); SELECT pg_switch_wal()")
    time.sleep(1.2)
    target = datetime.fromisoformat(live.psql("SELECT clock_timestamp()").strip())
    time.sleep(1.2)
    live.psql("INSERT INTO t (id) VALUES (50); SELECT pg_switch_wal()")
    import govdesk.backup.pgbackrest as pgbr

    pgbr.check(stanza.policy)
    before = [row for row in _rows(live) if datetime.fromisoformat(row[1]) < target]
    with pytest.raises(InputRejected) as refused:
        restore_backup(w.db, w.who, backup_id, live.url(), to_time=target)
    assert refused.value.code == "pgbr_restore_needs_dir"
    with pytest.raises(InputRejected) as refused:
        restore_backup(w.db, w.who, backup_id, str(stanza.policy.pg_data), to_time=target)
    assert refused.value.code == "pgbr_restore_live"
    with scratch_cluster(start=False, prefix="gdbrmeth") as copy:
        empty_data_dir(copy)
        done = restore_backup(w.db, w.who, backup_id, str(copy.data_dir), to_time=target)
        assert not done.live and done.target == str(copy.data_dir)
        copy.ctl("start")
        _wait_promoted(copy)
        assert _rows(copy) == before and 40 in [i for i, _ in before]
    assert 50 in [i for i, _ in _rows(live)]


def test_a_damaged_repository_fails_verification(
        pg_demo_db: Database, accounts_for: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, stanza: Stanza) -> None:  # noqa: F811
    w = make_world(pg_demo_db, accounts_for, tmp_path, monkeypatch, method="pgbackrest")
    save_stanza(w.local, stanza.policy, "incr")
    info = run_policy(w.db, w.who, w.policy_id, source_url=stanza.cluster.url())
    label = _body(w.local / info.label)["pgbackrest"]["labels"]["2"]
    backup_dir = stanza.policy.repos[1].path / "backup" / stanza.policy.stanza / label
    victim = next(p for p in backup_dir.rglob("*") if p.is_file() and p.stat().st_size > 0
                  and "pg_data" in p.parts)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    report = verify_backup(w.db, w.who, info.id)
    assert not report.ok and report.problem is not None
    assert report.problem.code == "pgbr_verify_damaged", report.problem
    assert list_backups(w.db, w.who, w.policy_id)[0].status == "verify_failed"


def test_without_pgbackrest_the_policy_is_refused_with_the_drivers_reason(
        pg_demo_db: Database, accounts_for: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    w = make_world(pg_demo_db, accounts_for, tmp_path, monkeypatch, method="pgbackrest")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert methods()["pgbackrest"].unavailable() == "pgbr_not_installed"
    with w.db.session() as s:
        spec = spec_of(s.get(BackupPolicy, w.policy_id))
    problems = capability(spec, utcnow()).problems
    assert [p.code for p in problems] == ["pgbr_not_installed"]
    with pytest.raises(InputRejected) as refused:
        run_policy(w.db, w.who, w.policy_id)
    assert refused.value.code == "backup_policy_incapable"
    assert "pgBackRest" in refused.value.text("en") and "pgBackRest" in refused.value.text("zh")
    assert list_backups(w.db, w.who, w.policy_id) == []


def test_level_5_is_admitted_for_pgbackrest_only() -> None:
    """Level 5 (RPO 0.5 h) with a nightly schedule: WAL archiving reaches it, a dump does not."""
    from govdesk.backup.policy import PolicySpec

    def spec(method: str) -> PolicySpec:
        return PolicySpec(name="l5", source="postgresql", method=method,
                          schedule_cron="0 1 * * *", dr_level=5, target="/srv/backup",
                          offsite_targets=("/mnt/offsite",), key_id="0" * 32)

    wal = capability(spec("pgbackrest"), utcnow())
    assert wal.ok, wal.problems
    assert wal.achievable_rpo_hours is not None and wal.achievable_rpo_hours < 0.5
    dump = {p.code for p in capability(spec("pg_dump"), utcnow()).problems}
    assert {"backup_level_needs_wal", "backup_rpo_unreachable"} <= dump
