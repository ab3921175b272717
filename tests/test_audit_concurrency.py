"""The audit chain under concurrent use (issue 11).

* Concurrent logins, failed logins, saves and audit records, by real logins on both databases,
  leave one intact chain with exactly the rows that were written.
* On PostgreSQL a long transaction full of audit rows does not make another writer wait (the
  chain lock is taken only at commit), two import-like transactions that cross on a row do not
  deadlock, savepoints, rollbacks, SET CONSTRAINTS and REPEATABLE READ cannot fork the chain,
  and nobody can touch the queue of rows waiting for their commit.
* On SQLite a writer that waits too long for another gets a clear "try again" (exit code 4),
  and nothing is saved.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg2
import pytest
from psycopg2 import errors
from sqlalchemy import func, select, text

from govdesk.catalog.editing.resources import load_draft, save_resource
from govdesk.cli import main
from govdesk.db import engine as engine_module
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataResource
from govdesk.errors import ConflictError, DatabaseBusy
from govdesk.security import audit, gate
from govdesk.security.audit import EventType
from govdesk.security.auth import LoginFailed, login_postgres, login_sqlite
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

from conftest import Accounts, superuser_db

WORKERS = 4
ROUNDS = 6


def counts(db: Database) -> dict[str, int]:
    """Audit rows per event type (data changes per table)."""
    with db.engine.connect() as c:
        rows = c.execute(text(
            "SELECT CASE WHEN event_type = 'data_change' THEN 'data_change:' || object_type "
            "ELSE event_type END, count(*) FROM audit_events GROUP BY 1")).all()
    return {k: int(n) for k, n in rows}


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after.get(k, 0) - before.get(k, 0) for k in after
            if after.get(k, 0) != before.get(k, 0)}


def resource_ids(db: Database, n: int) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(DataResource.id).where(
            DataResource.region_code.like("33%")).order_by(DataResource.id).limit(n)))


def run_together(jobs: list[Callable[[], None]]) -> None:
    """Run ``jobs`` in threads started together; re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    if failures:
        raise failures[0]


def test_concurrent_logins_saves_and_records_keep_one_chain(demo_db: Database,
                                                            accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    editors = [accounts.add("data_admin", region="330000") for _ in range(WORKERS)]
    targets = resource_ids(demo_db, WORKERS)
    before = counts(demo_db)

    def worker(k: int) -> Callable[[], None]:
        name = editors[k].username

        def job() -> None:
            url = accounts.url_for(name) if demo_db.is_postgres else demo_db.url
            handle = None
            for i in range(ROUNDS):
                # a failed login, counted by the gate (the test server trusts every password,
                # so on PostgreSQL the failure is reported as login_postgres reports it)
                if demo_db.is_postgres:
                    assert gate.report_failure(url, name, f"w{k}") is None
                else:
                    with pytest.raises(LoginFailed):
                        login_sqlite(Database(demo_db.url), name, "wrong", host=f"w{k}")
                if demo_db.is_postgres:
                    if handle is not None:
                        handle.dispose()
                    handle, who = login_postgres(url, host=f"w{k}")
                else:
                    handle = Database(demo_db.url)  # a handle of its own, like another process
                    who = login_sqlite(handle, name, Accounts.PASSWORD, host=f"w{k}")
                draft, version = load_draft(handle, who, targets[k])
                save_resource(handle, who, dataclasses.replace(draft, summary=f"第{i}轮 by {k}"),
                              resource_id=targets[k], base_version=version)
                with handle.session() as s:
                    audit.record(s, who, EventType.EXPORT, object_type="data_resources",
                                 object_id=targets[k], detail={"round": i})
            if handle is not None:
                handle.dispose()

        return job

    run_together([worker(k) for k in range(WORKERS)])
    n = WORKERS * ROUNDS
    got = delta(before, counts(demo_db))
    assert got == {"login_failed": n, "login": n, "export": n, "data_change:data_resources": n,
                   **{k: v for k, v in got.items()
                      if k.startswith("data_change:") and k != "data_change:data_resources"}}
    result = audit.verify(demo_db)
    assert result.ok, result.reason
    with demo_db.session() as s:
        assert result.checked == s.scalar(select(func.count(AuditEvent.id)))


# -- PostgreSQL: the chain lock is taken only at commit --------------------------------------


def pg_connect(accounts: Accounts, username: str, lock_timeout: str = "5s"):  # type: ignore[no-untyped-def]
    conn = accounts.connect(username)
    with conn.cursor() as cur:
        cur.execute("SET lock_timeout = %s", (lock_timeout,))
    conn.commit()
    return conn


def one(conn, statement: str, params: tuple = ()) -> Any:  # type: ignore[no-untyped-def,type-arg]
    with conn.cursor() as cur:
        cur.execute(statement, params)
        row = cur.fetchone() if cur.description else None
    return None if row is None else row[0]


def touch(conn, resource_id: int) -> None:  # type: ignore[no-untyped-def]
    """An import's update of one resource (audited by the database's statement trigger)."""
    with conn.cursor() as cur:
        cur.execute("UPDATE data_resources SET summary = summary || '。' WHERE id = %s",
                    (resource_id,))
        assert cur.rowcount == 1


def chain_locks(conn) -> int:  # type: ignore[no-untyped-def]
    """Advisory locks the connection's backend holds."""
    return int(one(conn, "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() "
                         "AND locktype = 'advisory'"))


@pytest.mark.postgres
def test_a_long_import_does_not_hold_up_another_writer(pg_demo_db: Database,
                                                       accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    importer = accounts.add("data_admin", region="330000")
    other = accounts.add("data_admin", region="330000")
    ids = resource_ids(pg_demo_db, 201)
    before = counts(pg_demo_db)
    a = pg_connect(accounts, importer.username)
    b = pg_connect(accounts, other.username, lock_timeout="200ms")
    try:
        started = time.monotonic()
        for rid in ids[:200]:  # 200 audited statements, 200 audit rows, one transaction
            touch(a, rid)
        one(a, "SELECT govdesk_audit('export', 'data_resources', 'import', true, 'a', NULL)")
        assert chain_locks(a) == 0  # the import holds no chain lock while it runs
        assert delta(before, counts(pg_demo_db)) == {}  # and its rows are not in the trail yet

        # meanwhile another user saves something unrelated: it never waits for the import
        t0 = time.monotonic()
        touch(b, ids[200])
        one(b, "SELECT govdesk_audit('export', 'data_resources', 'other', true, 'b', NULL)")
        b.commit()
        other_took = time.monotonic() - t0
        assert other_took < 1.0, other_took

        time.sleep(max(0.0, 2.0 - (time.monotonic() - started)))  # the import takes its time
        t0 = time.monotonic()
        a.commit()
        commit_took = time.monotonic() - t0
    finally:
        a.close()
        b.close()
    assert commit_took < 1.0, commit_took  # chaining 201 rows at commit is quick
    assert delta(before, counts(pg_demo_db)) == {"data_change:data_resources": 201, "export": 2}
    with pg_demo_db.engine.connect() as c:
        rows = c.execute(text("SELECT username, ts FROM audit_events WHERE username IN (:a, :b) "
                              "ORDER BY id"), {"a": importer.username, "b": other.username}).all()
    # chain order is commit order: the other user's rows first, though the import's are older
    assert [u for u, _ in rows] == [other.username] * 2 + [importer.username] * 201
    assert rows[2].ts < rows[0].ts
    result = audit.verify(pg_demo_db)
    assert result.ok, result.reason


@pytest.mark.postgres
def test_imports_that_cross_on_a_row_do_not_deadlock(pg_demo_db: Database,
                                                     accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Import A writes its rows, then reaches the shared resource Z; import B starts at Z, then
    writes its own rows. Under one lock held from the first audit row to commit, A held the
    chain lock and waited for Z while B held Z and waited for the chain lock: a deadlock. Now B
    finishes, and A goes on once B has committed."""
    accounts = accounts_for(pg_demo_db)
    ids = resource_ids(pg_demo_db, 61)
    shared, a_rows, b_rows = ids[0], ids[1:31], ids[31:61]
    logins = [accounts.add("data_admin", region="330000").username for _ in range(6)]
    before = counts(pg_demo_db)
    for k in range(3):
        a = pg_connect(accounts, logins[2 * k])
        b = pg_connect(accounts, logins[2 * k + 1])
        try:
            for rid in a_rows:  # A first: under the old lock it would hold it from here on
                touch(a, rid)
            touch(b, shared)  # B takes Z (and, under the old lock, waited for the chain here)
            a_done = threading.Event()

            def import_a() -> None:
                touch(a, shared)  # waits for B's row lock, and only for it
                a.commit()
                a_done.set()

            t = threading.Thread(target=import_a)
            t.start()
            time.sleep(0.2)
            assert not a_done.is_set()  # A really waits for Z
            for rid in reversed(b_rows):
                touch(b, rid)
            b.commit()
            t.join(10)
            assert a_done.is_set()
        finally:
            a.close()
            b.close()
    assert delta(before, counts(pg_demo_db)) == {"data_change:data_resources": 3 * 62}
    assert audit.verify(pg_demo_db).ok


@pytest.mark.postgres
def test_savepoints_rollbacks_and_immediate_constraints_keep_the_chain(
        pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    who = accounts.add("viewer")
    conn = pg_connect(accounts, who.username)

    def record(tag: str) -> None:
        assert one(conn, "SELECT govdesk_audit('export', 'x', %s, true, 'h', NULL)",
                   (tag,)) is not None

    def tags() -> list[str]:
        with pg_db.engine.connect() as c:
            return list(c.execute(text("SELECT object_id FROM audit_events WHERE username = :u "
                                       "ORDER BY id"), {"u": who.username}).scalars())

    try:
        # a rolled-back savepoint takes its rows with it, the rest are chained in order
        record("1")
        one(conn, "SAVEPOINT s")
        record("gone")
        record("gone")
        one(conn, "ROLLBACK TO SAVEPOINT s")
        record("2")
        conn.commit()
        assert tags() == ["1", "2"]
        # the first row of the transaction rolled back with its savepoint: the next one is
        # chained all the same
        one(conn, "SAVEPOINT s")
        record("gone")
        one(conn, "ROLLBACK TO SAVEPOINT s")
        record("3")
        conn.commit()
        # a rolled-back transaction leaves nothing
        record("gone")
        conn.rollback()
        # SET CONSTRAINTS ... IMMEDIATE chains at each statement; rows written after that too
        one(conn, "SET CONSTRAINTS ALL IMMEDIATE")
        record("4")
        record("5")
        one(conn, "SET CONSTRAINTS ALL DEFERRED")
        record("6")
        conn.commit()
        assert tags() == ["1", "2", "3", "4", "5", "6"]
        # a REPEATABLE READ snapshot older than the chain's head fails, it does not fork
        conn.set_session(isolation_level="REPEATABLE READ")
        one(conn, "SELECT 1")  # the snapshot is taken
        other = pg_connect(accounts, accounts.add("viewer").username)
        one(other, "SELECT govdesk_audit('export', 'x', 'other', true, 'h', NULL)")
        other.commit()
        other.close()
        record("stale")
        with pytest.raises(errors.SerializationFailure):
            conn.commit()
        conn.rollback()
        record("7")  # a fresh snapshot is fine
        conn.commit()
    finally:
        conn.close()
    assert tags() == ["1", "2", "3", "4", "5", "6", "7"]
    assert audit.verify(pg_db).ok
    su = superuser_db(pg_db)
    try:
        with su.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM audit_pending")).scalar_one() == 0
            head = c.execute(text("SELECT last_id, last_hash FROM audit_chain_head")).one()
            last = c.execute(text("SELECT id, row_hash FROM audit_events ORDER BY id DESC "
                                  "LIMIT 1")).one()
            assert tuple(head) == tuple(last)
    finally:
        su.dispose()


@pytest.mark.postgres
def test_the_gate_counts_failures_it_reported_in_the_same_transaction(
        pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    victim = accounts.add("viewer")
    url = pg_db.engine.url.set(username=gate.GATE_ROLE).render_as_string(hide_password=False)
    conn = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    try:
        results = [one(conn, "SELECT govdesk_login_failed(%s, 'h')", (victim.username,))
                   for _ in range(5)]
        conn.commit()
    finally:
        conn.close()
    assert results[:4] == [None] * 4 and results[4] is not None  # the fifth locks
    assert counts(pg_db).get("account_locked") == 1
    assert audit.verify(pg_db).ok


@pytest.mark.postgres
def test_nobody_touches_the_queue_or_the_head(pg_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_db)
    with pg_db.engine.connect() as c:
        owners = dict(c.execute(text(
            "SELECT c.relname, r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE c.relname IN ('audit_events', 'audit_pending', 'audit_chain_head', "
            "'audit_events_seen')")).all())
        fn_owners = set(c.execute(text(
            "SELECT r.rolname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE "
            "p.proname IN ('govdesk_audit_as', 'govdesk_audit_commit', 'govdesk_audit_row_hash', "
            "'govdesk_audit_archive')")).scalars())
    assert len(owners) == 4 and len(set(owners.values())) == 1
    assert fn_owners == set(owners.values())
    statements = [
        "INSERT INTO audit_pending (xact, first_in_xact, ts, username, event_type, success) "
        "VALUES (txid_current(), false, now(), 'x', 'login', true)",
        "SELECT * FROM audit_pending", "DELETE FROM audit_pending",
        "UPDATE audit_chain_head SET last_hash = repeat('1', 64)",
        "SELECT * FROM audit_chain_head", "SELECT * FROM audit_events_seen",
        "ALTER TABLE audit_pending DISABLE TRIGGER audit_pending_commit",
        "SELECT govdesk_audit_row_hash('x', now(), 'u', 'r', 'e', 'o', 'i', true, 'h', 'd')",
    ]
    for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer"):
        conn = accounts.connect(accounts.add(role, region="330000").username)
        try:
            for statement in statements:
                with pytest.raises(errors.InsufficientPrivilege):
                    with conn.cursor() as cur:
                        cur.execute(statement)
                conn.rollback()
        finally:
            conn.close()
    with pg_db.engine.connect() as c:  # nor the database owner
        raw = c.connection.dbapi_connection
        for statement in statements:
            with pytest.raises(errors.InsufficientPrivilege):
                with raw.cursor() as cur:  # type: ignore[union-attr]
                    cur.execute(statement)
            raw.rollback()  # type: ignore[union-attr]


# -- SQLite: one writer at a time, and a clear message when it takes too long ----------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 300)


def test_a_busy_sqlite_database_is_a_clear_conflict(sqlite_demo_db: Database, short_busy_timeout,
                                                    capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    db = Database(sqlite_demo_db.url)  # connects with the short timeout
    who = Identity("local_editor", Role.DATA_ADMIN, "330000000000", host="t")
    rid = resource_ids(db, 1)[0]
    draft, version = load_draft(db, who, rid)
    before = counts(db)
    holder = sqlite3.connect(str(db.engine.url.database))
    holder.execute("BEGIN IMMEDIATE")  # another user's long write
    try:
        with pytest.raises(DatabaseBusy) as caught:
            with db.session() as s:
                audit.record(s, who, EventType.EXPORT, object_type="data_resources")
        message = str(caught.value)
        assert "Another user is writing" in message and "Nothing was saved" in message
        assert caught.value.exit_code == 4 and isinstance(caught.value, ConflictError)
        with pytest.raises(DatabaseBusy):
            save_resource(db, who, dataclasses.replace(draft, summary="不会保存"),
                          resource_id=rid, base_version=version)
        # the CLI says the same in the user's language and exits with the conflict code
        # (verify audits itself)
        assert main(["audit", "verify", "--db", db.url]) == 4
        assert "另一位用户正在写入数据库" in capsys.readouterr().err
        assert main(["audit", "verify", "--db", db.url, "--lang", "en"]) == 4
        assert "Another user is writing" in capsys.readouterr().err
    finally:
        holder.rollback()
    # a reader that keeps its transaction open holds up the commit: the same message
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM audit_events").fetchone()
    try:
        with pytest.raises(DatabaseBusy):
            with db.session() as s:
                audit.record(s, who, EventType.EXPORT, object_type="data_resources")
    finally:
        holder.rollback()
        holder.close()
    assert delta(before, counts(db)) == {}
    assert load_draft(db, who, rid)[1] == version  # nothing was saved
    with db.session() as s:  # and once the other writer is done, writing works again
        audit.record(s, who, EventType.EXPORT, object_type="data_resources")
    assert audit.verify(db).ok
    db.dispose()
