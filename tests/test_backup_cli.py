"""``govdesk backup …`` on both databases, as a real system administrator (the dump reads as a
backup login on PostgreSQL): a key, a policy refused for an RPO its method cannot reach, a
policy saved, run, listed, verified, drilled, a damaged backup named with exit code 6, the live
database refused without --force-live, a restore into an empty database, prune, health and
compliance; a security administrator reads health but may not run a backup."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from backup_world import backup_login
from govdesk.backup.keys import KEY_DIR_ENV
from govdesk.db.engine import Database
from test_sharing_cli import _as, run_json


def _empty_target(db: Database, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if not db.is_postgres:
        return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
    from conftest import RUN_ID, owner_url, pg_create, pg_drop

    name = f"govdesk_scratch_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    pg_create(name)
    request.addfinalizer(lambda: pg_drop(name))
    return owner_url(name)


def test_backup_commands(demo_db: Database, accounts_for: Any, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                         request: pytest.FixtureRequest) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    keys, local, off = tmp_path / "keys", tmp_path / "local", tmp_path / "off"
    local.mkdir()
    off.mkdir()
    monkeypatch.setenv(KEY_DIR_ENV, str(keys))
    monkeypatch.setenv("GOVDESK_BACKUP_SOURCE_URL", backup_login(demo_db, request))
    accounts = accounts_for(demo_db)
    sys_ = _as(demo_db, accounts, monkeypatch, "sysadmin", "330000", 1)
    status, out = run_json(capsys, "backup", "key-new", *sys_)
    assert status == 0 and len(out["key_id"]) == 32
    kid = out["key_id"]
    source, method = ("postgresql", "pg_dump") if demo_db.is_postgres else ("sqlite", "sqlite")
    policy = ["--source", source, "--method", method, "--cron", "0 1 * * *", "--level", "3",
              "--target", str(local), "--offsite", str(off), "--key-id", kid]
    status, out = run_json(capsys, "backup", "policy-add", "--name", "too-good", *policy,
                           "--rpo", "0.5", *sys_)
    assert (status, out["code"]) == (1, "backup_rpo_unreachable")
    status, out = run_json(capsys, "backup", "policy-add", "--name", "nightly", *policy, *sys_)
    assert status == 0 and out["policy"]["capability"]["achievable_rpo_hours"] == 24.0
    assert len(out["policy"]["next_runs"]) == 5
    pid = str(out["policy"]["id"])

    status, out = run_json(capsys, "backup", "run", pid, *sys_)
    assert status == 0
    bid = out["backup"]["id"]
    status, out = run_json(capsys, "backup", "list", *sys_)
    assert [b["id"] for b in out["backups"]] == [bid]
    status, out = run_json(capsys, "backup", "verify", str(bid), *sys_)
    assert status == 0 and out["reports"][0]["ok"]
    scratch = _empty_target(demo_db, tmp_path, request)
    status, out = run_json(capsys, "backup", "verify", str(bid), "--restore", "--scratch",
                           scratch, *sys_)
    assert status == 0 and out["reports"][0]["rto_seconds"] > 0, out

    status, out = run_json(capsys, "backup", "verify", str(bid), "--restore", *sys_)
    if demo_db.is_postgres:  # a system administrator may not create databases: said so, and
        # the backup is not marked as failing for it
        assert (status, out["code"]) == (1, "scratch_cannot_create")
        assert run_json(capsys, "backup", "list", *sys_)[1]["backups"][0]["status"] == "verified"
    else:  # a temporary file, removed after
        assert status == 0 and out["reports"][0]["restored"]
    status, out = run_json(capsys, "backup", "restore", str(bid), "--to", demo_db.url, *sys_)
    assert (status, out["code"]) == (1, "restore_refuses_live")
    target = _empty_target(demo_db, tmp_path, request)
    status, out = run_json(capsys, "backup", "restore", str(bid), "--to", target, *sys_)
    assert status == 0 and out["live"] is False, out
    status, out = run_json(capsys, "backup", "restore", str(bid), "--to", target, *sys_)
    assert (status, out["code"]) == (1, "restore_target_not_empty")

    status, out = run_json(capsys, "backup", "health", *sys_)
    mine = next(p for p in out["policies"] if p["policy_id"] == int(pid))
    # on PostgreSQL the drill that could not get a scratch database is a failed job to act on
    assert mine["alerts"] == (["jobs_failed"] if demo_db.is_postgres else [])
    assert mine["achieved_rto_hours"] is not None
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330000", 1)
    assert run_json(capsys, "backup", "health", *sec)[0] in (0, 6)
    assert run_json(capsys, "backup", "run", pid, *sec)[0] == 3
    status, out = run_json(capsys, "backup", "compliance", *sec)
    assert status in (0, 6) and out["best_level"] == 3

    status, out = run_json(capsys, "backup", "prune", "--dry-run", *sys_)
    assert status == 0 and out["deleted"] == [] and str(bid) in out["kept"]

    # damage: one flipped byte in the dump's container is named, exit code 6
    container = next(p for p in (local / Path(mine["last_good"]["label"])).iterdir()
                     if p.name.endswith(".gdbk") and p.name.startswith("database"))
    raw = bytearray(container.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    container.write_bytes(bytes(raw))
    status, out = run_json(capsys, "backup", "verify", str(bid), *sys_)
    assert status == 6 and out["reports"][0]["problem_code"] == "container_corrupt"
    assert main_text(capsys, "backup", "verify", str(bid), *sys_).count("已损坏或被篡改") == 1
    status, out = run_json(capsys, "backup", "health", *sys_)
    mine = next(p for p in out["policies"] if p["policy_id"] == int(pid))
    assert "verification_failed" in mine["alerts"] and status == 6


def main_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    from govdesk.cli import main

    main(list(argv))
    return capsys.readouterr().out
