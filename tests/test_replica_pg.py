"""The read replica against a real streaming standby the test creates: a primary scratch
cluster with a migrated GovDesk database and real logins, ``pg_basebackup -R`` into a second
cluster started as a hot standby; a security administrator's reads through the replica handle
see the primary's rows once replayed, the lag is reported, and a write through it (a service,
or plain psycopg2 as the same login) gets the clear read-only message."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import pytest
from psycopg2 import sql
from sqlalchemy import text

from govdesk.db.engine import Database, refusal
from govdesk.db.migrate import upgrade
from govdesk.db.replica import read_source
from govdesk.db.urls import replica_url
from govdesk.errors import ReadOnlyDatabase
from govdesk.security.audit_read import AuditFilter, count_events, list_events
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.security.settings import update_setting
from tests.conftest import Accounts
from tests.scratch_cluster import (
    Cluster,
    as_postgres,
    empty_data_dir,
    require_cluster_tools,
    scratch_cluster,
)

pytestmark = pytest.mark.postgres

DBNAME = "govdesk_replica"
OWNER = "govdesk_replica_owner"


@dataclass
class Pair:
    primary: Cluster
    standby: Cluster
    accounts: Accounts
    secadmin: Database  # the security administrator's primary handle, replica attached
    who: Identity


def _make_database(primary: Cluster) -> Database:
    primary.psql(f"CREATE ROLE {OWNER} LOGIN CREATEROLE NOSUPERUSER")
    primary.psql(f"CREATE DATABASE {DBNAME} OWNER {OWNER}")
    owner = Database(primary.url(DBNAME, OWNER))
    upgrade(owner)
    return owner


def _start_standby(primary: Cluster, standby: Cluster) -> None:
    empty_data_dir(standby)
    as_postgres(["pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(standby.data_dir), "-R", "-X", "stream", "-c", "fast"])
    standby.ctl("start")
    assert standby.psql("SELECT pg_is_in_recovery()").strip() == "t"


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    require_cluster_tools("pg_basebackup")
    primary_settings = {"wal_level": "replica", "max_wal_senders": "5"}
    with scratch_cluster(primary_settings, prefix="gdprim") as primary, \
            scratch_cluster({"hot_standby": "on"}, start=False, prefix="gdstby") as standby:
        owner = _make_database(primary)
        accounts = Accounts(owner)
        secadmin, who = accounts.login("secadmin")
        _start_standby(primary, standby)
        secadmin.attach_replica(replica_url(secadmin.url, f"127.0.0.1:{standby.port}"))
        try:
            yield Pair(primary, standby, accounts, secadmin, who)
        finally:
            for handle in [*accounts.handles, owner]:
                handle.dispose()


def _until(check, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "the standby did not replay in time"
        time.sleep(0.2)
    return found


def test_the_replica_url_keeps_the_login_and_changes_the_address() -> None:
    primary = "postgresql+psycopg2://li:pw@db.example:5432/govdesk"
    assert replica_url(primary, "standby.example:5433") == \
        "postgresql+psycopg2://li:pw@standby.example:5433/govdesk"
    assert replica_url(primary, "postgresql://other@standby.example/gd2") == \
        "postgresql+psycopg2://li:pw@standby.example/gd2"
    assert replica_url(primary, " ") == ""


def test_without_a_replica_reads_come_from_the_primary_and_say_so(pair: Pair) -> None:
    plain = Database(pair.secadmin.url)
    try:
        assert plain.reading() is plain and not plain.is_replica
        source = read_source(plain)
        assert not source.replica and "主库" in source.text("zh")
        assert "primary" in source.text("en") and "Test-Passw0rd" not in source.text("en")
    finally:
        plain.dispose()


def test_a_secadmin_reads_the_primarys_rows_through_the_replica(pair: Pair) -> None:
    reader = pair.secadmin.reading()
    assert reader is pair.secadmin.replica and reader.is_replica
    assert reader.writing() is pair.secadmin and pair.secadmin.writing() is pair.secadmin
    mine = AuditFilter(event_type="user_created")
    before = count_events(reader, pair.who, mine)
    newcomer = pair.accounts.add("viewer")  # written on the primary by the sysadmin
    seen = _until(lambda: count_events(reader, pair.who, mine) > before and
                  list_events(reader, pair.who, mine, 0, 50))
    assert any(newcomer.username in f"{row.object_id} {row.detail}" for row in seen)
    with reader.session() as s:
        assert s.scalar(text("SELECT current_user")) == pair.who.username
        assert s.scalar(text("SELECT pg_is_in_recovery()")) is True
    source = read_source(pair.secadmin)
    assert source.replica and source.in_recovery and source.last_replay is not None
    assert source.lag_seconds is not None and source.lag_seconds >= 0
    assert str(pair.standby.port) in source.database and "Test-Passw0rd" not in source.database
    assert "只读副本" in source.text("zh") and "read replica" in source.text("en")


def test_a_write_through_the_replica_gets_the_clear_message(pair: Pair) -> None:
    with pytest.raises(ReadOnlyDatabase) as refused:
        update_setting(pair.secadmin.reading(), pair.who, "security.lockout_attempts", "7")
    assert refused.value.code == "db_read_only"
    assert "只读" in refused.value.text("zh") and "主库" in refused.value.text("zh")
    assert "read-only" in refused.value.text("en") and "primary" in refused.value.text("en")
    assert "Test-Passw0rd" not in refused.value.text("en")
    # the refused attempt is in the audit trail: recorded on the primary, not lost on the standby
    failed = list_events(pair.secadmin, pair.who, AuditFilter(success=False), 0, 20)
    assert any("update_setting" in (row.detail or "") and row.username == pair.who.username
               for row in failed)
    # the primary still takes it
    assert update_setting(pair.secadmin, pair.who, "security.lockout_attempts", "7").value == "7"


def test_the_standby_itself_refuses_the_same_login_over_plain_psycopg2(pair: Pair) -> None:
    """Not only GovDesk's read-only transactions: the standby refuses a write in a transaction
    opened read-write, as the security administrator's own login."""
    conn = psycopg2.connect(pair.standby.dsn(DBNAME, pair.who.username),
                            options="-c default_transaction_read_only=off")
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.Error) as failed:
            cur.execute(sql.SQL("UPDATE settings SET value = '9' WHERE key = %s"),
                        ("security.lockout_attempts",))
        assert failed.value.pgcode == "25006"
        mapped = refusal(failed.value, pair.standby.url(DBNAME, pair.who.username))
        assert isinstance(mapped, ReadOnlyDatabase)
        assert "只读事务中不能执行" in mapped.text("zh") and "热备" in mapped.text("zh")
    finally:
        conn.close()


def test_a_replica_url_that_is_a_primary_is_still_read_only_and_said(pair: Pair) -> None:
    wrong = Database(pair.secadmin.url)
    try:
        wrong.attach_replica(wrong.url)  # the primary given as the replica by mistake
        source = read_source(wrong)
        assert source.code == "read_replica_not_standby" and "不是热备库" in source.text("zh")
        with pytest.raises(ReadOnlyDatabase):
            update_setting(wrong.reading(), Identity(pair.who.username, Role.SECADMIN,
                                                     host="test"),
                           "security.lockout_attempts", "8")
    finally:
        wrong.dispose()


@pytest.mark.gui
def test_the_login_dialog_takes_the_replica_into_the_profile(qtbot, pair: Pair) -> None:  # type: ignore[no-untyped-def]
    from govdesk.settings import PROFILE_REPLICA
    from govdesk.ui import local_settings
    from govdesk.ui.app import create_application
    from govdesk.ui.login import LoginDialog
    from tests.access_keys import clashes

    create_application("zh_CN")
    dialog = LoginDialog(pair.secadmin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.replica.isVisibleTo(dialog) and dialog.replica.accessibleName().startswith("只读副本服务器")
    assert clashes(dialog) == []
    dialog.host.setText(f"127.0.0.1:{pair.primary.port}")
    dialog.database.setText(DBNAME)
    dialog.user.setText(pair.who.username)
    dialog.password.setText(Accounts.PASSWORD)
    dialog.replica.setText("127.0.0.1:not-a-port")
    dialog.try_login()
    assert dialog.runner.wait_idle()
    assert dialog.result_db is None and "只读副本的地址" in dialog.error.text()
    dialog.replica.setText(f"127.0.0.1:{pair.standby.port}")
    dialog.try_login()
    assert dialog.runner.wait_idle()
    assert dialog.result_db is not None and dialog.result_db.replica is not None
    try:
        assert read_source(dialog.result_db).replica  # a test thread may touch the database
        assert local_settings.read(PROFILE_REPLICA) == f"127.0.0.1:{pair.standby.port}"
    finally:
        dialog.result_db.dispose()


def test_change_notifications_cannot_be_listened_for_on_the_standby(pair: Pair) -> None:
    """What the dashboard's refresh must know: LISTEN (the changes mechanism of migration
    0019) is refused during recovery, so the listener stays on the primary (``writing()``)."""
    conn = psycopg2.connect(pair.standby.dsn(DBNAME, pair.who.username))
    conn.autocommit = True
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.Error) as failed:
            cur.execute("LISTEN govdesk_changes")
        assert failed.value.pgcode == "25006" and "LISTEN" in str(failed.value)
    finally:
        conn.close()


def test_the_cli_says_where_reads_come_from(pair: Pair, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    import json

    from govdesk.cli import main

    address = f"127.0.0.1:{pair.standby.port}"
    assert main(["db", "replica", "--db", pair.secadmin.url, "--replica", address,
                 "--json", "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["replica"] is True and out["in_recovery"] is True and out["lag_seconds"] >= 0
    assert str(pair.standby.port) in out["database"] and "Test-Passw0rd" not in out["database"]
    assert main(["db", "replica", "--db", pair.secadmin.url]) == 0
    assert "数据读取自主库" in capsys.readouterr().out


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_s_login_works_on_the_standby_and_cannot_write(pair: Pair, role: str) -> None:
    """Each GovDesk role: its login, made on the primary, connects to the standby once
    replayed (roles replicate), reads, and every write it tries there is refused by the
    server (25006), whatever its grants on the primary."""
    who = pair.accounts.add(role, region="330100" if role in ("data_admin", "viewer") else None)
    conn = _until(lambda: _connect_or_none(pair.standby, who.username))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_user, pg_is_in_recovery()")
            assert cur.fetchone() == (who.username, True)
            for statement in ("INSERT INTO audit_pending (ts, username, event_type, success) "
                              "VALUES (now(), current_user, 'forged', true)",
                              "UPDATE settings SET value = value",
                              "DELETE FROM access_events",
                              "CREATE TEMP TABLE x (i int)"):
                with pytest.raises(psycopg2.Error) as failed:
                    cur.execute(statement)
                assert failed.value.pgcode == "25006", (role, statement, failed.value.pgcode)
            with pytest.raises(psycopg2.Error) as read_write:  # nor can it ask for a way round
                cur.execute("BEGIN READ WRITE")
            assert read_write.value.pgcode == "0A000"
    finally:
        conn.close()


def _connect_or_none(cluster: Cluster, username: str):  # type: ignore[no-untyped-def]
    try:
        return psycopg2.connect(cluster.dsn(DBNAME, username), connect_timeout=5,
                                options="-c default_transaction_read_only=off")
    except psycopg2.OperationalError:  # the login role is not replayed yet
        return None
