"""Helpers of the backup tests: a key in a private key directory, a policy with local and
off-site directories under ``tmp_path``, a sysadmin login (the dump itself runs as the owner
on PostgreSQL, as the README deploys it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govdesk.backup.keys import KEY_DIR_ENV, new_key
from govdesk.backup.policies import create_policy
from govdesk.backup.policy import PolicySpec
from govdesk.backup.retention import Retention
from govdesk.db.engine import Database


def backup_login(db: Database, request: pytest.FixtureRequest) -> str:
    """The URL of a backup login for ``db``, as the README has IT create it once: LOGIN,
    BYPASSRLS, a member of ``pg_read_all_data``, CONNECT on the database (SQLite: the file).
    The role is removed after the test."""
    if not db.is_postgres:
        return db.url
    import uuid

    from psycopg2 import sql

    from conftest import _pg_admin

    name = f"govdesk_backup_{uuid.uuid4().hex[:10]}"
    database = str(db.engine.url.database)
    conn = _pg_admin()
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE ROLE {} LOGIN BYPASSRLS IN ROLE pg_read_all_data").format(
            sql.Identifier(name)))
        cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(name)))
    conn.close()

    def drop() -> None:
        c = _pg_admin()
        with c.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cur.fetchone():
                cur.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(
                    sql.Identifier(database), sql.Identifier(name)))
            cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        c.close()

    request.addfinalizer(drop)
    return db.engine.url.set(username=name, password=None).render_as_string(
        hide_password=False)


@dataclass
class World:
    db: Database          # the sysadmin's handle
    who: Any
    owner: Database       # the owner's handle
    policy_id: int
    key_id: str
    local: Path
    offsite: Path
    keys: Path


def make_world(db: Database, accounts_for: Any, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch, *, encrypted: bool = True,
               method: str = "pg_dump") -> World:
    keys = tmp_path / "keys"
    monkeypatch.setenv(KEY_DIR_ENV, str(keys))
    kid = new_key(directory=keys)
    local, offsite = tmp_path / "local", tmp_path / "offsite"
    local.mkdir()
    offsite.mkdir()
    handle, who = accounts_for(db).login("sysadmin")
    spec = PolicySpec(name="nightly", source="postgresql" if db.is_postgres else "sqlite",
                      method=method if db.is_postgres else "sqlite",
                      schedule_cron="0 1 * * *", dr_level=3, target=str(local),
                      offsite_targets=(str(offsite),), retention=Retention(),
                      encrypted=encrypted, key_id=kid if encrypted else None)
    info = create_policy(handle, who, spec)
    return World(handle, who, db, info.id, kid, local, offsite, keys)
