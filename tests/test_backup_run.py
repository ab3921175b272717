"""Backups end to end on both databases, as a system administrator: run, verify, drill
(restore into a scratch database: identical rows, the audit chain verifies, the roles'
privileges), damage detected and named, the live database refused without --force-live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backup_world import backup_login, make_world
from govdesk.backup.runner import run_policy
from govdesk.backup.store import BackupInfo
from govdesk.backup.verify import verify_backup
from govdesk.db.engine import Database


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
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    info = run_policy(w.db, w.who, w.policy_id, source_url=backup_login(demo_db, request))
    assert isinstance(info, BackupInfo) and info.size_bytes > 0
    assert (w.local / info.label / "manifest.json").is_file()
    assert (w.offsite / info.label / "manifest.json").is_file()
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
