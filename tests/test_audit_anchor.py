"""The chain head anchored outside the database: tail deletion and a recomputed chain are
caught, even when done by a PostgreSQL superuser (or whoever holds the SQLite file)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import superuser_db
from sqlalchemy import select, text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType, canonical, chain_hash
from govdesk.security.audit_anchor import (
    load_key,
    new_key_file,
    verify_with_anchor,
    write_anchor,
)
from govdesk.security.identity import Identity


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "anchor.key"
    new_key_file(path)
    return path


def acting(db: Database, accounts_for, role: str):  # type: ignore[no-untyped-def]
    return accounts_for(db).login(role)


def some_events(db: Database, who: Identity, n: int = 5) -> None:
    for i in range(n):
        with db.session() as s:
            audit.record(s, who, EventType.EXPORT, object_type="data_resources", object_id=i,
                         detail={"rows": i})


def rewrite(db: Database, drop_newest: int = 0, edit_id: int | None = None,
            drop_from: int | None = None) -> None:
    """What an attacker with the whole server does: triggers off, delete the newest rows
    and/or edit one, recompute every hash so plain verification passes again."""
    handle = superuser_db(db) if db.is_postgres else db
    try:
        with handle.engine.begin() as c:
            if db.is_postgres:
                c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
            if drop_newest:
                c.execute(text("DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events "
                               "ORDER BY id DESC LIMIT :n)"), {"n": drop_newest})
            if drop_from is not None:
                c.execute(text("DELETE FROM audit_events WHERE id >= :i"), {"i": drop_from})
            if edit_id is not None:
                c.execute(text("UPDATE audit_events SET detail = 'nothing to see' WHERE id = :i"),
                          {"i": edit_id})
            prev = c.execute(text("SELECT last_hash FROM audit_anchors "
                                  "ORDER BY archived_through_id DESC LIMIT 1")).scalar() \
                or audit.GENESIS
            rows = c.execute(select(AuditEvent).order_by(AuditEvent.id)).all()
            for r in rows:
                h = chain_hash(prev, canonical(r.ts, r.username, r.role_code, r.event_type,
                                               r.object_type, r.object_id, bool(r.success),
                                               r.client_host, r.detail))
                c.execute(text("UPDATE audit_events SET prev_hash = :p, row_hash = :h "
                               "WHERE id = :i"), {"p": prev, "h": h, "i": r.id})
                prev = h
            if db.is_postgres:  # and the head the next row chains from (migration 0017)
                c.execute(text("UPDATE audit_chain_head SET last_id = coalesce("
                               "(SELECT max(id) FROM audit_events), 0), last_hash = :h"),
                          {"h": prev})
                c.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
    finally:
        if handle is not db:
            handle.dispose()


def test_intact_trail_matches_its_anchor_and_later_rows_are_fine(db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                                  key_file: Path,
                                                                  tmp_path: Path) -> None:
    handle, auditor = acting(db, accounts_for, "auditor")
    some_events(handle, auditor)
    key = load_key(key_file, "")
    anchor = write_anchor(handle, auditor, tmp_path / "head.json", key)
    with db.engine.connect() as c:  # the anchor covers its own audit record
        assert c.execute(text("SELECT event_type FROM audit_events WHERE id = :i"),
                         {"i": anchor.last_id}).scalar_one() == "audit_anchor"
    some_events(handle, auditor, 3)
    check = verify_with_anchor(handle, auditor, tmp_path / "head.json", key)
    assert check.ok and check.anchored_id == anchor.last_id and check.rows_since == 3
    stored = json.loads((tmp_path / "head.json").read_text(encoding="utf-8"))
    assert key.hex() not in json.dumps(stored) and stored["key_id"] == anchor.key_id


def test_tail_deletion_with_a_recomputed_chain_is_caught(db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                          key_file: Path, tmp_path: Path) -> None:
    handle, auditor = acting(db, accounts_for, "auditor")
    some_events(handle, auditor)
    key = load_key(key_file, "")
    anchor = write_anchor(handle, auditor, tmp_path / "head.json", key)
    rewrite(db, drop_newest=3)
    assert audit.verify(db).ok  # the recomputed chain fools the plain check
    check = verify_with_anchor(handle, auditor, tmp_path / "head.json", key)
    assert not check.ok and f"row {anchor.last_id}" in check.reason
    assert "deleted from the end" in check.reason


def test_a_rewritten_middle_row_is_caught(db: Database, accounts_for, key_file: Path,  # type: ignore[no-untyped-def]
                                          tmp_path: Path) -> None:
    handle, auditor = acting(db, accounts_for, "auditor")
    some_events(handle, auditor)
    key = load_key(key_file, "")
    write_anchor(handle, auditor, tmp_path / "head.json", key)
    with db.engine.connect() as c:
        middle = c.execute(text("SELECT id FROM audit_events ORDER BY id DESC LIMIT 1 OFFSET 3")
                           ).scalar_one()
    rewrite(db, edit_id=middle)
    assert audit.verify(db).ok
    check = verify_with_anchor(handle, auditor, tmp_path / "head.json", key)
    assert not check.ok and "rewritten" in check.reason


def test_a_forged_archive_that_hides_rewritten_rows_is_caught(db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                              key_file: Path,
                                                              tmp_path: Path) -> None:
    """The red team's attack: rewrite old rows, then insert an "archive" record just below the
    anchored row so plain verification starts after the rewritten ones."""
    handle, auditor = acting(db, accounts_for, "auditor")
    some_events(handle, auditor)
    key = load_key(key_file, "")
    anchor = write_anchor(handle, auditor, tmp_path / "head.json", key)
    su = superuser_db(db) if db.is_postgres else db
    try:
        with su.engine.begin() as c:
            if db.is_postgres:
                c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
                c.exec_driver_sql("ALTER TABLE audit_anchors DISABLE TRIGGER USER")
            c.execute(text("UPDATE audit_events SET username = 'someone_else' WHERE id < :i"),
                      {"i": anchor.last_id - 1})
            c.execute(text(
                "INSERT INTO audit_anchors (archived_through_id, last_hash, rows, archived_at, "
                "archived_by, file_name, file_sha256) SELECT id, row_hash, id, "
                "CURRENT_TIMESTAMP, 'x', 'fake.csv', :z FROM audit_events WHERE id = :i"),
                {"i": anchor.last_id - 1, "z": "0" * 64})
            if db.is_postgres:
                c.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
                c.exec_driver_sql("ALTER TABLE audit_anchors ENABLE TRIGGER USER")
    finally:
        if su is not db:
            su.dispose()
    assert audit.verify(db).ok  # the plain check starts after the forged archive
    check = verify_with_anchor(handle, auditor, tmp_path / "head.json", key)
    assert not check.ok and "archive" in check.reason


def test_wrong_key_and_altered_file_fail(db: Database, accounts_for, key_file: Path,  # type: ignore[no-untyped-def]
                                         tmp_path: Path) -> None:
    handle, auditor = acting(db, accounts_for, "auditor")
    key = load_key(key_file, "")
    path = tmp_path / "head.json"
    write_anchor(handle, auditor, path, key)
    other = tmp_path / "other.key"
    new_key_file(other)
    check = verify_with_anchor(handle, auditor, path, load_key(other, ""))
    assert not check.ok and "not signed with this key" in check.reason
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["last_id"] -= 1  # point at an older row, hoping to hide the newest ones
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert not verify_with_anchor(handle, auditor, path, key).ok
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(InputRejected, match="not a GovDesk audit anchor"):
        verify_with_anchor(handle, auditor, path, key)


def test_only_auditors_anchor(db: Database, accounts_for, key_file: Path,  # type: ignore[no-untyped-def]
                              tmp_path: Path) -> None:
    key = load_key(key_file, "")
    for role in ("sysadmin", "secadmin", "data_admin", "viewer"):
        handle, who = acting(db, accounts_for, role)
        with pytest.raises(PermissionDenied):
            write_anchor(handle, who, tmp_path / f"{role}.json", key)
        assert not (tmp_path / f"{role}.json").exists()


def test_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    new_key_file(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(InputRejected, match="never overwritten"):
        new_key_file(path)
    path.chmod(0o644)
    with pytest.raises(InputRejected, match="other users"):
        load_key(path, "")
    with pytest.raises(InputRejected, match="No anchor key"):
        load_key(None, "nowhere")  # no file, no keyring entry


@pytest.fixture
def cli_args(db: Database, accounts_for, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    who = accounts.add("auditor")
    if db.is_postgres:
        yield ["--db", accounts.url_for(who.username)]
    else:
        monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
        yield ["--db", db.url, "--user", who.username]


def test_cli_anchor_and_verify(db: Database, cli_args: list[str], tmp_path: Path,  # type: ignore[no-untyped-def]
                               capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "a.key"
    assert main(["audit", "anchor-key", "--out", str(key), *cli_args]) == 0
    assert main(["audit", "anchor-key", "--out", str(key), *cli_args]) == 1  # never overwritten
    head = tmp_path / "head.json"
    assert main(["audit", "anchor", "--out", str(head), "--key-file", str(key), *cli_args]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", str(head), "--key-file", str(key), "--json",
                 *cli_args]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    # everything from the anchored head on (each CLI call also records its login)
    rewrite(db, drop_from=json.loads(head.read_text(encoding="utf-8"))["last_id"])
    os.environ.pop("GOVDESK_AUDIT_KEY_FILE", None)
    assert main(["audit", "verify", *cli_args]) == 0  # the plain check is fooled
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", str(head), "--key-file", str(key), "--json",
                 *cli_args]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and "deleted" in report["reason"]  # (SQLite reuses the ids)
    assert main(["audit", "verify", "--anchor", str(tmp_path / "missing.json"),
                 "--key-file", str(key), *cli_args]) == 1
