"""Red team: every GovDesk role, with its own credentials and plain psycopg2 (what psql gives
anyone holding the client's login), tries what issue 10 found possible, and what already held.

Where the attacks on the working rules and on personal data live (the same setting: real logins
over plain psycopg2): data administrators lowering a grade, bypassing the workflow, forging the
review queue or writing another region's history (attacks 4, 6, 7, 8) in
``test_working_rules_pg.py``; raw sample values without audit (attack 9, and the clear export of
attack 4) in ``test_samples_db.py``; regional scope and the append-only audit table in
``test_security_pg.py``. This file holds the escalation, cross-database, audit, gate and
access-event attacks (1, 2, 3, 5, 10, 11, 12) and the defences that already held.

The databases are set up as the README deploys them: created by a superuser, owned and migrated
by a non-superuser owner with CREATEROLE. Two GovDesk databases live on the one server, each
migrated from scratch (copies of one template would share its roles), so the test of "a role of
one database gives nothing in another" is real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg2
import pytest
from psycopg2 import errors, sql
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.migrate import upgrade
from govdesk.demo.load import load_demo
from govdesk.security import audit, gate

from conftest import RUN_ID, Accounts, _pg_admin, owner_url, pg_create, pg_drop

pytestmark = pytest.mark.postgres

REFUSED = (errors.InsufficientPrivilege, errors.RaiseException, errors.InvalidParameterValue,
           errors.ObjectNotInPrerequisiteState, errors.FeatureNotSupported, errors.NoDataFound,
           errors.DuplicateObject)


def refused(conn, statement: str, params: tuple = ()) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """True when the server refuses ``statement`` (rolled back either way), or it changes
    nothing (row-level security hides the rows)."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            changed = cur.rowcount
        conn.rollback()
    except REFUSED:
        conn.rollback()
        return True
    return changed == 0


def scalar(conn, statement: str, params: tuple = ()):  # type: ignore[no-untyped-def,type-arg]
    with conn.cursor() as cur:
        cur.execute(statement, params)
        row = cur.fetchone()
    conn.commit()
    return None if row is None else row[0]


@pytest.fixture(scope="module")
def two_databases(pg_server: str) -> Iterator[tuple[Database, Database]]:
    """Two GovDesk databases on one server, each created and migrated from scratch."""
    names = [f"govdesk_test_{RUN_ID}_{os.getpid()}_redteam_{k}" for k in ("a", "b")]
    handles = []
    for name in names:
        pg_create(name)
        db = Database(owner_url(name))
        upgrade(db)
        load_demo(db, "small")
        handles.append(db)
    yield handles[0], handles[1]
    for db, name in zip(handles, names):
        db.dispose()
        pg_drop(name)


@pytest.fixture
def site(two_databases: tuple[Database, Database]) -> Iterator[tuple[Accounts, Accounts]]:
    a, b = (Accounts(db) for db in two_databases)
    yield a, b
    for acc in (a, b):
        acc.drop()


def group(db: Database, role: str) -> str:
    with db.engine.connect() as c:
        return str(c.execute(text("SELECT govdesk_group(:r)"), {"r": role}).scalar_one())


def owner_of(db: Database) -> str:
    with db.engine.connect() as c:
        return str(c.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database "
                                  "WHERE datname = current_database()")).scalar_one())


# -- 1. a system administrator cannot escalate ----------------------------------------------


def test_no_login_holds_createrole(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    users = [a.add(r) for r in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")]
    with a.db.engine.connect() as c:
        for who in users:
            row = c.execute(text("SELECT rolcreaterole, rolcreatedb, rolsuper, rolbypassrls "
                                 "FROM pg_roles WHERE rolname = :u"), {"u": who.username}).one()
            assert tuple(row) == (False, False, False, False), who


def test_sysadmin_cannot_become_superuser_or_another_role(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    admin = a.add("sysadmin")
    auditor = a.add("auditor")
    conn = a.connect(admin.username)
    owner = owner_of(a.db)
    prefix = group(a.db, "sysadmin").removesuffix("_sysadmin")
    try:
        for statement in (
            f"GRANT pg_execute_server_program TO {admin.username}",
            f"GRANT pg_read_server_files TO {admin.username}",
            "COPY (SELECT 1) TO PROGRAM 'id'",
            "CREATE TEMP TABLE x (t text); COPY x FROM PROGRAM 'id'",
            f'GRANT "{group(a.db, "secadmin")}" TO {admin.username}',
            f'GRANT "{group(a.db, "auditor")}" TO {admin.username}',
            f'GRANT "{owner}" TO {admin.username}',
            f'SET ROLE "{owner}"',
            f'SET ROLE "{prefix}_audit"',
            f'SET ROLE "{prefix}_accounts"',
            f'GRANT "{prefix}_accounts" TO {admin.username}',
            "CREATE ROLE hidden_login LOGIN PASSWORD 'x'",
            f'CREATE ROLE hidden2 LOGIN IN ROLE "{group(a.db, "secadmin")}"',
            f"ALTER ROLE {auditor.username} PASSWORD 'taken-over'",
            f"ALTER ROLE {admin.username} CREATEROLE",
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "SET session_replication_role = replica",
        ):
            assert refused(conn, statement), statement
    finally:
        conn.close()


def test_users_rows_change_only_through_the_account_functions(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    admin = a.add("sysadmin")
    viewer = a.add("viewer")
    conn = a.connect(admin.username)
    try:
        for statement in (
            f"UPDATE users SET role_code = 'secadmin' WHERE username = '{admin.username}'",
            f"UPDATE users SET region_code = NULL WHERE username = '{viewer.username}'",
            f"UPDATE users SET locked_until = NULL WHERE username = '{admin.username}'",
            f"UPDATE users SET is_active = true",
            "INSERT INTO users (username, display_name, role_code, is_active, failed_logins, "
            "version) VALUES ('ghost', '', 'secadmin', true, 0, 1)",
            "DELETE FROM users",
            f"ALTER ROLE {admin.username} LOGIN",
        ):
            assert refused(conn, statement), statement
        # the account functions refuse the caller's own account
        for call in (f"SELECT govdesk_account_unlock('{admin.username}')",
                     f"SELECT govdesk_account_update('{admin.username}', 'secadmin', NULL, NULL, "
                     "NULL, false, false)",
                     f"SELECT govdesk_account_set_password('{admin.username}', "
                     "'SCRAM-SHA-256$4096:AAAA$BBBB:CCCC')"):
            assert refused(conn, call), call
    finally:
        conn.close()


def test_account_functions_touch_only_this_databases_logins(site, pg_server: str) -> None:  # type: ignore[no-untyped-def]
    a, b = site
    admin = a.add("sysadmin")
    other = b.add("viewer")  # a login of the other database
    owner = owner_of(a.db)
    admin_conn = _pg_admin()
    with admin_conn.cursor() as cur:  # a role somebody made by hand, with a users row forged in
        cur.execute("CREATE ROLE rt_outsider LOGIN")
    admin_conn.close()
    with a.db.engine.begin() as c:  # the owner may write users; a GovDesk role may not
        c.execute(text("INSERT INTO users (username, display_name, role_code, is_active, "
                       "failed_logins, version) VALUES ('rt_outsider', '', 'viewer', true, 0, 1), "
                       "('postgres', '', 'viewer', true, 0, 1), (:o, '', 'viewer', true, 0, 1)"),
                  {"o": owner})
    conn = a.connect(admin.username)
    verifier = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy"
    try:
        for target in ("postgres", owner, "rt_outsider", "pg_monitor", other.username):
            for call in ("SELECT govdesk_account_lock(%s)", "SELECT govdesk_account_unlock(%s)",
                         "SELECT govdesk_account_deactivate(%s)",
                         "SELECT govdesk_account_set_password(%s, %s)",
                         "SELECT govdesk_account_update(%s, 'sysadmin', NULL, NULL, NULL, "
                         "false, false)"):
                params = (target, verifier) if call.count("%s") == 2 else (target,)
                assert refused(conn, call, params), (call, target)
        # creating: never an existing role, never a reserved name, never a plain password
        for name in ("postgres", owner, "rt_outsider", other.username, "pg_evil", "gd_evil",
                     "govdesk_evil"):
            assert refused(conn, "SELECT govdesk_account_create(%s, 'viewer', %s, NULL, NULL, "
                                 "'')", (name, verifier)), name
        assert refused(conn, "SELECT govdesk_account_create('plainpw', 'viewer', 'secret', NULL, "
                             "NULL, '')")
        assert refused(conn, "SELECT govdesk_account_create('badrole', 'superuser', %s, NULL, "
                             "NULL, '')", (verifier,))
    finally:
        conn.close()
        admin_conn = _pg_admin()
        with admin_conn.cursor() as cur:
            cur.execute("DROP ROLE IF EXISTS rt_outsider")
        admin_conn.close()
        with a.db.engine.begin() as c:
            c.execute(text("DELETE FROM users WHERE username IN ('rt_outsider', 'postgres', :o)"),
                      {"o": owner})


def test_non_sysadmins_cannot_call_the_account_functions(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    victim = a.add("auditor")
    verifier = "SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy"
    for role in ("secadmin", "auditor", "data_admin", "viewer"):
        who = a.add(role)
        conn = a.connect(who.username)
        try:
            assert refused(conn, "SELECT govdesk_account_create('rt_new', 'viewer', %s, NULL, "
                                 "NULL, '')", (verifier,)), role
            assert refused(conn, "SELECT govdesk_account_set_password(%s, %s)",
                           (victim.username, verifier)), role
            assert refused(conn, "SELECT govdesk_account_unlock(%s)", (victim.username,)), role
        finally:
            conn.close()


def test_hand_made_logins_in_a_group_are_reported(site) -> None:  # type: ignore[no-untyped-def]
    from govdesk.security.users import account_anomalies

    a, _ = site
    admin_db, admin = a.login("sysadmin")
    admin_conn = _pg_admin()
    with admin_conn.cursor() as cur:  # only a superuser (or the owner) can still do this
        cur.execute(sql.SQL("CREATE ROLE rt_hidden LOGIN IN ROLE {}").format(
            sql.Identifier(group(a.db, "secadmin"))))
    admin_conn.close()
    try:
        found = account_anomalies(admin_db, admin)
        assert ("rt_hidden", group(a.db, "secadmin"), "no users row") in found
        # superusers are members of every role without a grant: not an anomaly of GovDesk's
        assert "postgres" not in {login for login, _g, _r in found}
        # and the hidden login is not a GovDesk user: whoami gives it nothing
        hidden = a.connect("rt_hidden")
        assert scalar(hidden, "SELECT count(*) FROM govdesk_whoami()") == 0
        hidden.close()
    finally:
        admin_conn = _pg_admin()
        with admin_conn.cursor() as cur:
            cur.execute("DROP ROLE IF EXISTS rt_hidden")
        admin_conn.close()


# -- 2 and 5. the audit trail -----------------------------------------------------------------


def test_audit_tables_are_owned_by_a_role_nobody_holds(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    with a.db.engine.connect() as c:
        owners = dict(c.execute(text(
            "SELECT c.relname, r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE c.relname IN ('audit_events', 'audit_anchors')")).all())
        assert set(owners.values()) == {group(a.db, "sysadmin").replace("_sysadmin", "_audit")}
        for role in set(owners.values()):
            attrs = c.execute(text(
                "SELECT rolcanlogin, (SELECT count(*) FROM pg_auth_members m "
                "WHERE m.roleid = r.oid) FROM pg_roles r WHERE rolname = :r"), {"r": role}).one()
            assert tuple(attrs) == (False, 0)
        # the definer functions that write audit rows or change accounts: never a superuser's
        supers = c.execute(text(
            "SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner "
            "WHERE p.proname LIKE 'govdesk%' AND p.prosecdef AND r.rolsuper")).scalars().all()
        assert supers == []
    # the owner who migrated the database cannot switch the audit triggers off either
    with a.db.engine.connect() as c:
        raw = c.connection.dbapi_connection
        assert refused(raw, "ALTER TABLE audit_events DISABLE TRIGGER USER")
        assert refused(raw, "DELETE FROM audit_events")
        assert refused(raw, "UPDATE audit_events SET detail = 'x'")


def test_clients_report_only_client_events(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    victim = a.add("data_admin", region="330100")
    for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer"):
        who = a.add(role)
        conn = a.connect(who.username)
        try:
            for event, obj in (("login", victim.username), ("account_unlocked", victim.username),
                               ("login_failed", victim.username),
                               ("account_locked", victim.username),
                               ("user_created", "x"), ("password_reset", victim.username),
                               ("audit_archive", "1"), ("made_up", "x")):
                assert refused(conn, "SELECT govdesk_audit(%s, 'user', %s, true, 'h', NULL)",
                               (event, obj)), (role, event)
            # its own login, yes
            assert scalar(conn, "SELECT govdesk_audit('login', 'user', %s, true, 'h', NULL)",
                          (who.username,)) is not None
            assert refused(conn, "SELECT govdesk_audit_as(%s, 'login', 'user', %s, true, 'h', "
                                 "NULL)", (victim.username, victim.username))
        finally:
            conn.close()
    assert audit.verify(a.db).ok


def test_forged_logins_do_not_reset_the_lockout(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    victim = a.add("viewer")
    url = a.url_for(victim.username)
    attacker = a.connect(a.add("data_admin", region="330100").username)
    try:
        for _ in range(4):
            assert gate.report_failure(url, victim.username, "guess") is None
            # the attacker tries to reset the count between guesses
            assert refused(attacker, "SELECT govdesk_audit('login', 'user', %s, true, 'h', NULL)",
                           (victim.username,))
        assert gate.report_failure(url, victim.username, "guess") is not None  # locked
    finally:
        attacker.close()


# -- 3. one database's roles give nothing in another ----------------------------------------


def test_roles_of_one_database_reach_nothing_in_another(site) -> None:  # type: ignore[no-untyped-def]
    a, b = site
    assert group(a.db, "secadmin") != group(b.db, "secadmin")
    for role in ("sysadmin", "secadmin", "auditor", "data_admin", "viewer"):
        who = a.add(role)
        url = b.db.engine.url.set(username=who.username, password=Accounts.PASSWORD)
        with pytest.raises(psycopg2.OperationalError, match="permission denied for database"):
            psycopg2.connect(url.render_as_string(hide_password=False)
                             .replace("postgresql+psycopg2://", "postgresql://"))
    # the server-wide groups of older versions (dropped once no database on the server uses
    # them) hold nothing in a migrated database: no grant, no policy
    with a.db.engine.connect() as c:
        old = "(SELECT oid FROM pg_roles WHERE rolname LIKE 'govdesk\\_%' AND NOT rolcanlogin)"
        assert c.execute(text(
            f"SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a WHERE a.grantee IN {old}"
        )).scalar_one() == 0
        assert c.execute(text(
            f"SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE a.grantee IN {old}"
        )).scalar_one() == 0
        assert c.execute(text(
            f"SELECT count(*) FROM pg_policy WHERE polroles && ARRAY{old}::oid[]"
        )).scalar_one() == 0
        assert c.execute(text(
            "SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a "
            "WHERE d.datname = current_database() AND a.grantee = 0")).scalar_one() == 0


def test_a_users_row_alone_gives_nothing(site) -> None:  # type: ignore[no-untyped-def]
    """A login made a member of database A's group, given a users row in B by B's owner, still
    is nobody in B: whoami requires membership of B's own group."""
    a, b = site
    from_a = a.add("secadmin")
    admin_conn = _pg_admin()
    with admin_conn.cursor() as cur:
        cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(b.db.engine.url.database), sql.Identifier(from_a.username)))
    admin_conn.close()
    with b.db.engine.begin() as c:
        c.execute(text("INSERT INTO users (username, display_name, role_code, is_active, "
                       "failed_logins, version) VALUES (:u, '', 'secadmin', true, 0, 1)"),
                  {"u": from_a.username})
    url = b.db.engine.url.set(username=from_a.username, password=Accounts.PASSWORD)
    conn = psycopg2.connect(url.render_as_string(hide_password=False)
                            .replace("postgresql+psycopg2://", "postgresql://"))
    try:
        assert refused(conn, "SELECT 1 FROM govdesk_whoami()")
        for statement in ("SELECT * FROM audit_events LIMIT 1", "SELECT * FROM users LIMIT 1",
                          "UPDATE settings SET value = '1000' "
                          "WHERE key = 'security.lockout_attempts'",
                          "SELECT * FROM resource_samples LIMIT 1"):
            assert refused(conn, statement), statement
        assert refused(conn, "SELECT count(*) FROM data_resources")
    finally:
        conn.close()
        with b.db.engine.begin() as c:
            c.execute(text("DELETE FROM users WHERE username = :u"), {"u": from_a.username})
        admin_conn = _pg_admin()
        with admin_conn.cursor() as cur:
            cur.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(
                sql.Identifier(b.db.engine.url.database), sql.Identifier(from_a.username)))
        admin_conn.close()


# -- 10. the login gate -----------------------------------------------------------------------


def gate_conn(db: Database):  # type: ignore[no-untyped-def]
    url = db.engine.url.set(username=gate.GATE_ROLE).render_as_string(hide_password=False)
    return psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))


def can_login(db: Database, username: str) -> bool:
    with db.engine.connect() as c:
        return bool(c.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :u"),
                              {"u": username}).scalar())


def test_gate_never_locks_the_last_system_administrator(two_databases) -> None:  # type: ignore[no-untyped-def]
    # a database of its own: the site databases may already have other system administrators
    name = f"govdesk_test_{RUN_ID}_{os.getpid()}_redteam_gate"
    pg_create(name)
    db = Database(owner_url(name))
    upgrade(db)
    accounts = Accounts(db)
    try:
        admin = accounts.add("sysadmin")
        conn = gate_conn(db)
        for _ in range(8):
            assert scalar(conn, "SELECT govdesk_login_failed(%s, 'x')", (admin.username,)) is None
        conn.close()
        assert can_login(db, admin.username)
        with db.engine.connect() as c:
            assert "account_lock_refused" in c.execute(text(
                "SELECT event_type FROM audit_events WHERE object_id = :u"),
                {"u": admin.username}).scalars().all()
        # with a second system administrator, the first one can be locked
        accounts.add("sysadmin")  # made by the first; admin_db is the first's login
        second = accounts.roles[-1]
        conn = gate_conn(db)
        locked = [scalar(conn, "SELECT govdesk_login_failed(%s, 'x')", (second,))
                  for _ in range(5)]
        conn.close()
        assert locked[-1] is not None and not can_login(db, second)
    finally:
        accounts.drop()
        db.dispose()
        pg_drop(name)


def test_gate_acts_only_on_this_databases_members(site) -> None:  # type: ignore[no-untyped-def]
    a, b = site
    owner = owner_of(a.db)
    other = b.add("viewer")
    with a.db.engine.begin() as c:  # even when someone lists them in users
        c.execute(text("INSERT INTO users (username, display_name, role_code, is_active, "
                       "failed_logins, version) VALUES ('postgres', '', 'sysadmin', true, 0, 1), "
                       "(:o, '', 'viewer', true, 0, 1), (:x, '', 'viewer', true, 0, 1)"),
                  {"o": owner, "x": other.username})
    conn = gate_conn(a.db)
    try:
        for target in ("postgres", owner, other.username):
            for _ in range(6):
                assert scalar(conn, "SELECT govdesk_login_failed(%s, 'x')", (target,)) is None
            assert scalar(conn, "SELECT govdesk_login_status(%s)", (target,)) is None
            assert can_login(a.db, target), target
    finally:
        conn.close()
        with a.db.engine.begin() as c:
            c.execute(text("DELETE FROM users WHERE username IN ('postgres', :o, :x)"),
                      {"o": owner, "x": other.username})


def test_gate_writes_a_bounded_number_of_rows(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    victim = a.add("viewer")
    conn = gate_conn(a.db)
    try:
        with a.db.engine.connect() as c:
            before = c.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
        # 500 forged failures in one statement, for names that do not exist
        scalar(conn, "SELECT count(govdesk_login_failed('nobody' || i, 'x')) "
                     "FROM generate_series(1, 500) i")
        scalar(conn, "SELECT count(govdesk_login_failed(%s, 'x')) FROM generate_series(1, 500)",
               (victim.username,))
        with a.db.engine.connect() as c:
            after = c.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
        assert after - before <= 30 + 20 + 2  # unknown names, one account's failures, its lock
        assert not can_login(a.db, victim.username)  # the real account still locked
        for statement in ("SELECT * FROM users", "SELECT * FROM audit_events LIMIT 1",
                          "SELECT govdesk_audit('login', 'user', 'govdesk_gate', true, NULL, NULL)",
                          "SELECT govdesk_audit_as('x', 'login', 'user', 'x', true, NULL, NULL)",
                          "SELECT govdesk_account_unlock('x')",
                          "INSERT INTO access_events (ts, username, action, row_count, success) "
                          "VALUES (now(), 'x', 'query', 1, true)"):
            assert refused(conn, statement), statement
    finally:
        conn.close()


# -- 12. access events are stamped by the database ------------------------------------------


def test_access_events_carry_the_sessions_identity_and_the_server_clock(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    sec = a.add("secadmin")
    forger = a.add("data_admin", region="330100")
    conn = a.connect(forger.username)
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO access_events (username, role_code, organisation_id, "
                        "action, row_count, success, client_host) VALUES "
                        "(%s, 'secadmin', NULL, 'download', 100000, true, 'pc')",
                        (sec.username,))
        conn.commit()
        # another time is refused (0035: the row is routed to its month's partition by the
        # time it carries, which a trigger may not change, so it is not overwritten)
        assert refused(conn, "INSERT INTO access_events (ts, username, action, row_count, "
                             "success) VALUES ('2020-01-01', 'x', 'download', 1, true)")
        with a.db.engine.connect() as c:
            row = c.execute(text(
                "SELECT username, role_code, ts > now() - interval '1 minute' FROM access_events "
                "ORDER BY id DESC LIMIT 1")).one()
        assert tuple(row) == (forger.username, "data_admin", True)
        assert refused(conn, "UPDATE access_events SET username = 'x'")
        assert refused(conn, "DELETE FROM access_events")
        assert refused(conn, "ALTER TABLE access_events DISABLE TRIGGER access_events_stamp")
    finally:
        conn.close()


# -- the account service and CLI, as the system administrator uses them ------------------------


def test_account_lifecycle_through_the_service(site) -> None:  # type: ignore[no-untyped-def]
    from govdesk.errors import InputRejected, PermissionDenied
    from govdesk.security.auth import unlock_user
    from govdesk.security.roles import Role
    from govdesk.security.users import (
        deactivate_user,
        list_users,
        lock_user,
        reset_password,
        update_user,
    )

    a, _ = site
    admin_db, admin = a.login("sysadmin")
    target = a.add("viewer")
    info = update_user(admin_db, admin, target.username, role=Role.DATA_ADMIN,
                       region_code="330100")
    assert info.role is Role.DATA_ADMIN and info.region_code == "330100000000"
    with a.db.engine.connect() as c:  # the login moved group in the same transaction
        assert c.execute(text("SELECT pg_has_role(:u, govdesk_group('data_admin'), 'MEMBER') "
                              "AND NOT pg_has_role(:u, govdesk_group('viewer'), 'MEMBER')"),
                         {"u": target.username}).scalar_one()
    lock_user(admin_db, admin, target.username)
    assert not can_login(a.db, target.username)
    assert [u.locked for u in list_users(admin_db, admin) if u.username == target.username] == [True]
    unlock_user(admin_db, admin, target.username)
    assert can_login(a.db, target.username)
    reset_password(admin_db, admin, target.username, "Another-Passw0rd!")
    with pytest.raises(InputRejected):
        update_user(admin_db, admin, admin.username, role=Role.SECADMIN)
    deactivate_user(admin_db, admin, target.username)
    with a.db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :u"),
                         {"u": target.username}).scalar_one() == 0
        events = c.execute(text("SELECT event_type FROM audit_events WHERE object_id = :u "
                                "AND username = :a ORDER BY id"),
                           {"u": target.username, "a": admin.username}).scalars().all()
    assert events[-5:] == ["account_changed", "account_locked", "account_unlocked",
                           "password_reset", "account_deactivated"]
    # a viewer's client calling the same services is refused by the database too
    viewer_db, viewer = a.login("viewer")
    from dataclasses import replace
    forged = replace(viewer, role=Role.SYSADMIN)  # a modified client claiming to be sysadmin
    with pytest.raises(PermissionDenied):
        lock_user(viewer_db, forged, admin.username)
    assert audit.verify(a.db).ok


# -- what already held, kept so -------------------------------------------------------------


def test_what_held_still_holds(site) -> None:  # type: ignore[no-untyped-def]
    a, _ = site
    admin = a.add("data_admin", region="330100")
    conn = a.connect(admin.username)
    try:
        for statement in (
            "SET row_security = off; SELECT count(*) FROM data_resources",
            "CREATE TABLE mine () INHERITS (data_resources)",
            "CREATE TEMP TABLE mine (id int)",
            "CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
            "CREATE FUNCTION public.leak(text) RETURNS boolean LANGUAGE sql AS 'SELECT true'",
            "CREATE RULE r AS ON UPDATE TO data_resources DO INSTEAD NOTHING",
            "CREATE TRIGGER t BEFORE UPDATE ON data_resources FOR EACH ROW "
            "EXECUTE FUNCTION govdesk_audit_immutable()",
            "ALTER TABLE data_resources DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE access_events DISABLE TRIGGER USER",
            "TRUNCATE access_events",
            "SET session_replication_role = replica",
        ):
            assert refused(conn, statement), statement
        # COPY TO sees what RLS lets it see, no more
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM data_resources")
            visible = cur.fetchone()[0]
            import io

            out = io.StringIO()
            cur.copy_expert("COPY (SELECT id FROM data_resources) TO STDOUT", out)
            assert len(out.getvalue().splitlines()) == visible
        conn.rollback()
    finally:
        conn.close()
    with a.db.engine.connect() as c:
        visible_all = c.execute(text("SELECT count(*) FROM data_resources")).scalar_one()
        assert visible < visible_all
        # every definer function pins its search_path (no search_path attack on any of them)
        unpinned = c.execute(text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
            "AND p.prosecdef AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c "
            "WHERE c LIKE 'search_path=%')")).scalars().all()
        assert unpinned == []


def test_a_new_item_cannot_take_over_masked_sample_values(site) -> None:  # type: ignore[no-untyped-def]
    """Rename the masked 公民身份号码 item away, add one of the same name graded 一般: the stored
    citizen IDs would then be shown in clear to viewers, unaudited. Refused."""
    a, _ = site
    with a.db.engine.connect() as c:
        row = c.execute(text(
            "SELECT i.id, i.resource_id, r.region_code FROM data_items i "
            "JOIN data_resources r ON r.id = i.resource_id "
            "JOIN grades g ON g.id = i.grade_id WHERE i.name = '公民身份号码' AND g.masking_required "
            "AND EXISTS (SELECT 1 FROM resource_samples s WHERE s.resource_id = i.resource_id) "
            "ORDER BY i.id LIMIT 1")).one()
        low = c.execute(text("SELECT id FROM grades WHERE NOT masking_required "
                             "ORDER BY id LIMIT 1")).scalar_one()
    admin = a.add("data_admin", region=row.region_code[:6])
    conn = a.connect(admin.username)
    try:
        with conn.cursor() as cur:  # renaming it away is an ordinary edit
            cur.execute("UPDATE data_items SET name = '公民身份号码_旧' WHERE id = %s", (row.id,))
        with pytest.raises(errors.InsufficientPrivilege, match="sample rows"):
            with conn.cursor() as cur:
                cur.execute("INSERT INTO data_items (resource_id, seq, name, data_type, grade_id, "
                            "is_authoritative, standard_code, version) VALUES "
                            "(%s, 999, '公民身份号码', 'C', %s, false, NULL, 1)",
                            (row.resource_id, low))
        conn.rollback()
        assert refused(conn, "UPDATE data_items SET name = '公民身份号码_旧' WHERE id = %s; "
                             "UPDATE data_items SET name = '公民身份号码' WHERE id = "
                             "(SELECT id FROM data_items WHERE resource_id = %s AND id <> %s "
                             "AND grade_id = %s LIMIT 1)",
                       (row.id, row.resource_id, row.id, low))
    finally:
        conn.close()
