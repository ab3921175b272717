"""Backups end to end on both databases, as a system administrator: run, verify, drill
(restore into a scratch database: identical rows, the audit chain verifies, the roles'
privileges), damage detected and named, the live database refused without --force-live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from backup_world import backup_login, make_world
from govdesk.backup.prune import list_backups
from govdesk.backup.runner import run_policy
from govdesk.backup.store import BackupInfo
from govdesk.backup.verify import verify_backup
from govdesk.db.engine import Database
from govdesk.security import audit


def _scratch(db: Database, tmp_path: Path) -> Any:
    if not db.is_postgres:
        return f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    import uuid

    from conftest import RUN_ID, owner_url, pg_create

    name = f"govdesk_scratch_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    pg_create(name)
    return name, owner_url(name)


def test_round_trip(demo_db: Database, accounts_for: Any, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    _round_trip(demo_db, accounts_for, tmp_path, monkeypatch, request, "pg_dump")


def test_round_trip_directory_format(pg_demo_db: Database, accounts_for: Any, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     request: pytest.FixtureRequest) -> None:
    _round_trip(pg_demo_db, accounts_for, tmp_path, monkeypatch, request, "pg_dump_dir")


def _round_trip(demo_db: Database, accounts_for: Any, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest,
                method: str) -> None:
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch, method=method)
    info = run_policy(w.db, w.who, w.policy_id, source_url=backup_login(demo_db, request))
    assert isinstance(info, BackupInfo) and info.size_bytes > 0
    assert (w.local / info.label / "manifest.json").is_file()
    assert (w.offsite / info.label / "manifest.json").is_file()
    names = [p.name for p in (w.local / info.label).iterdir()]
    assert all(n == "manifest.json" or n.endswith(".gdbk") for n in names)  # no plain copy
    if method == "pg_dump_dir":
        assert sum(n.startswith("dir.") for n in names) > 3  # toc.dat and a file per table
    report = verify_backup(w.db, w.who, info.id)
    assert report.ok, report.problem
    scratch = _scratch(demo_db, tmp_path)
    url = scratch if isinstance(scratch, str) else scratch[1]
    try:
        drill = verify_backup(w.db, w.who, info.id, restore=True, scratch_url=url)
    finally:
        if not isinstance(scratch, str):
            from conftest import pg_drop

            pg_drop(scratch[0])
    assert drill.ok, (drill.problem, drill.differences)
    assert drill.rto_seconds is not None and drill.audit_rows and drill.audit_rows > 0
    if demo_db.is_postgres:
        assert drill.privileges_ok is True


def test_restore_refuses_the_live_database_without_the_flag(
        demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    from govdesk.backup.restore import restore_backup
    from govdesk.errors import InputRejected

    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    source = backup_login(demo_db, request)
    info = run_policy(w.db, w.who, w.policy_id, source_url=source)
    with pytest.raises(InputRejected) as caught:
        restore_backup(w.db, w.who, info.id, demo_db.url)
    assert caught.value.code == "restore_refuses_live" and "--force-live" in caught.value.text()
    assert len(list_backups(w.db, w.who)) == 1  # nothing was done, not even a safety backup
    if demo_db.is_postgres:
        return  # over a live PostgreSQL: pg_restore --clean, shown by the SQLite case here
    with w.db.session() as s:  # a change after the backup, which the restore takes back
        s.execute(text("DELETE FROM backup_policies WHERE name LIKE '%审计日志%'"))
    report = restore_backup(w.db, w.who, info.id, demo_db.url, force_live=True)
    assert report.live and report.safety_backup_id is not None
    with w.db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM backup_policies WHERE name LIKE '%审计日志%'")) == 1
    assert audit.verify(w.db).ok


def test_damage_and_a_wrong_key_are_named_by_verify(
        demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    info = run_policy(w.db, w.who, w.policy_id, source_url=backup_login(demo_db, request))
    data = next(p for p in (w.local / info.label).iterdir() if p.name.startswith("database"))
    original = data.read_bytes()
    data.write_bytes(original[:len(original) // 2])
    r = verify_backup(w.db, w.who, info.id)
    assert not r.ok and r.problem is not None and r.problem.code == "backup_file_mismatch"
    assert "size" in r.problem.text("en")
    # the same cut, in a copy whose manifest would not notice: the container names it
    from govdesk.backup.container import ContainerDamaged, read_plain
    from govdesk.backup.keys import load_key

    with pytest.raises(ContainerDamaged) as caught:
        for _ in read_plain(data, lambda kid: load_key(kid, directory=w.keys)):
            pass
    assert caught.value.kind == "truncated"
    data.write_bytes(original)
    # a key file holding another key under this key's name
    from govdesk.backup.keys import new_key

    other_dir = tmp_path / "other"
    other = new_key(directory=other_dir)
    (other_dir / f"{other}.key").rename(other_dir / f"{w.key_id}.key")
    r = verify_backup(w.db, w.who, info.id, key_dir=other_dir)
    assert not r.ok and r.problem is not None and r.problem.code == "backup_key_mismatch"
    r = verify_backup(w.db, w.who, info.id)
    assert r.ok


def test_prune_deletes_what_retention_drops(
        demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    import datetime as dt

    from govdesk.backup.prune import prune, set_legal_hold
    from govdesk.db.models import BackupSet

    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    source = backup_login(demo_db, request)
    made = [run_policy(w.db, w.who, w.policy_id, source_url=source) for _ in range(3)]
    with w.owner.session() as s:  # as if taken on three days, 20 days apart
        for n, b in enumerate(made):
            row = s.get(BackupSet, b.id)
            assert row is not None
            row.started_at = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc) \
                + dt.timedelta(days=20 * n)
    with w.owner.session() as s:
        s.execute(text("UPDATE backup_policies SET keep_last = 1, keep_daily = 0, "
                       "keep_weekly = 0, keep_monthly = 0, keep_yearly = 0, min_copies = 1 "
                       f"WHERE id = {w.policy_id}"))
    set_legal_hold(w.db, w.who, made[0].id, True)
    plan = prune(w.db, w.who, dry_run=True)
    assert [i.backup_id for i in plan.deleted] == [made[1].id]
    assert (w.local / made[1].label).is_dir()
    done = prune(w.db, w.who)
    assert [i.backup_id for i in done.deleted] == [made[1].id]
    assert not (w.local / made[1].label).exists() and not (w.offsite / made[1].label).exists()
    assert {b.id for b in list_backups(w.db, w.who)} == {made[0].id, made[2].id}
