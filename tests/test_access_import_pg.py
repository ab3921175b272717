"""Attacks on the import path of access events (issue 15, migration 0039), as every real
GovDesk login over plain psycopg2 (what psql gives anyone holding the client's login): nobody
inserts an event under another name or time through the ordinary path, nobody passes an event
of their own off as imported or an imported one as GovDesk's own, only a security administrator
opens an import and only for their own transaction, nobody updates or deletes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.monitoring.log_import import import_access_log

from test_redteam_pg import REFUSED, refused

pytestmark = pytest.mark.postgres

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
MAPPING = json.dumps({"columns": {"time": "t", "user": "u", "action": "a"}, "timezone": "UTC"})
FORGED = ("INSERT INTO access_events (ts, username, action, row_count, success, source_id, "
          "import_id, line_hash, imported_by, imported_at) VALUES ('2020-01-01', 'someone_else', "
          "'query', 1, true, %s, %s, 'h', 'someone_else', '2020-01-01')")


@pytest.fixture
def site(pg_demo_db: Database, accounts_for: Any, tmp_path: Path) -> dict[str, Any]:
    accounts = accounts_for(pg_demo_db)
    users = {role: accounts.add(role).username for role in ROLES}
    db, who = accounts.login("secadmin")
    path = tmp_path / "x.csv"
    path.write_text("t,u,a\n2026-11-01 08:00:00,ext,query\n", encoding="utf-8")
    report = import_access_log(db, who, path, "平台", kind="exchange_csv", mapping=MAPPING)
    assert report.imported == 1
    conns = {role: accounts.connect(name) for role, name in users.items()}
    conns["importer"] = accounts.connect(who.username)  # a second security administrator
    yield {"conns": conns, "users": users, "import_id": report.import_id, "db": pg_demo_db,
           "importer": who.username}
    for conn in conns.values():
        conn.close()


def one(conn: Any, statement: str, params: tuple[Any, ...] = ()) -> Any:
    with conn.cursor() as cur:
        cur.execute(statement, params)
        row = cur.fetchone()
    conn.commit()
    return row


@pytest.mark.parametrize("role", ROLES)
def test_an_event_naming_a_finished_import_is_refused(site, role) -> None:  # type: ignore[no-untyped-def]
    conn = site["conns"][role]
    assert refused(conn, FORGED, (1, site["import_id"]))


#: FORGED without a time of its own (0035 refuses a client's time outright) and without an import
OWN = ("INSERT INTO access_events (username, action, row_count, success, source_id, line_hash, "
       "imported_by, imported_at) VALUES ('someone_else', 'query', 1, true, %s, 'h', "
       "'someone_else', '2020-01-01')")


@pytest.mark.parametrize("role", ("secadmin", "data_admin", "viewer", "sysadmin", "auditor"))
def test_an_own_event_cannot_be_passed_off_as_imported(site, role) -> None:  # type: ignore[no-untyped-def]
    conn = site["conns"][role]
    with conn.cursor() as cur:  # no RETURNING: most roles may not read the events
        cur.execute(OWN, (1,))
    conn.commit()
    with site["db"].session() as s:  # the owner reads what landed
        row = s.execute(text(
            "SELECT username, ts > now() - interval '1 minute', source_id, import_id, line_hash, "
            "imported_by, imported_at FROM access_events WHERE username = :u"),
            {"u": site["users"][role]}).one()
    assert tuple(row) == (site["users"][role], True, None, None, None, None, None)


@pytest.mark.parametrize("role", ("secadmin", "data_admin", "viewer", "sysadmin", "auditor"))
def test_an_event_with_a_time_of_its_own_is_refused_for_every_role(site, role) -> None:  # type: ignore[no-untyped-def]
    assert refused(site["conns"][role], FORGED.replace("import_id, ", "")
                   .replace("%s, %s, 'h'", "%s, 'h'"), (1,))


@pytest.mark.parametrize("role", ("sysadmin", "auditor", "data_admin", "viewer"))
def test_only_a_security_administrator_opens_an_import(site, role) -> None:  # type: ignore[no-untyped-def]
    conn = site["conns"][role]
    assert refused(conn, "SELECT govdesk_access_import_begin(1, 'f', 'x', 1, 1, 0, 0, '{}')")
    assert refused(conn, "INSERT INTO access_log_sources (name, kind, mapping, created_by, "
                         "created_at, updated_by, updated_at) VALUES ('s', 'pgaudit', '{}', 'a', "
                         "now(), 'a', now())")


def test_an_import_serves_only_its_own_login_and_transaction(site) -> None:  # type: ignore[no-untyped-def]
    sec = site["conns"]["secadmin"]
    (opened,) = one(sec, "SELECT govdesk_access_import_begin(1, 'f', 'x', 1, 1, 0, 0, '{}')")
    # committed but never finished: a later transaction cannot add rows under it, and another
    # security administrator cannot either
    assert refused(sec, FORGED, (1, opened))
    assert refused(site["conns"]["importer"], FORGED, (1, opened))
    other = site["conns"]["secadmin"]
    with other.cursor() as cur:
        cur.execute("SELECT govdesk_access_import_begin(1, 'f', 'x', 1, 1, 0, 0, '{}')")
        (mine,) = cur.fetchone()
        cur.execute(FORGED + " RETURNING username, ts, source_id, imported_by", (999, mine))
        username, ts, source_id, imported_by = cur.fetchone()
        assert (username, ts.year, source_id) == ("someone_else", 2020, 1)
        assert imported_by == site["users"]["secadmin"]  # stamped, whatever was sent
        assert refused_inside(cur, "SELECT govdesk_access_import_finish(%s, 5)", (mine,))
    other.rollback()


def refused_inside(cur: Any, statement: str, params: tuple[Any, ...]) -> bool:
    cur.execute("SAVEPOINT probe")
    try:
        cur.execute(statement, params)
    except REFUSED:
        cur.execute("ROLLBACK TO SAVEPOINT probe")
        return True
    return False


@pytest.mark.parametrize("role", ROLES)
def test_nobody_changes_or_deletes_events_or_imports(site, role) -> None:  # type: ignore[no-untyped-def]
    conn = site["conns"][role]
    for statement in ("UPDATE access_events SET username = 'x' WHERE source_id IS NOT NULL",
                      "UPDATE access_events SET source_id = NULL, import_id = NULL",
                      "DELETE FROM access_events WHERE source_id IS NOT NULL",
                      "UPDATE access_log_imports SET imported = 0",
                      "DELETE FROM access_log_imports",
                      "INSERT INTO access_log_imports (source_id, file_name, file_sha256, lines, "
                      "good, bad, ignored, problems, imported_by, started_at, txid) VALUES "
                      "(1, 'f', 'x', 1, 1, 0, 0, '{}', 'x', now(), txid_current())",
                      "DELETE FROM access_log_sources",
                      "TRUNCATE access_events"):
        assert refused(conn, statement), statement


def test_a_source_keeps_who_made_it(site) -> None:  # type: ignore[no-untyped-def]
    sec = site["conns"]["secadmin"]
    assert refused(sec, "UPDATE access_log_sources SET created_by = 'x'")
    row = one(sec, "UPDATE access_log_sources SET mapping = mapping, updated_by = 'someone' "
                   "RETURNING created_by, updated_by")
    assert row == (site["importer"], site["users"]["secadmin"])  # stamped, not as sent
    assert refused(sec, "SELECT govdesk_access_import_begin(12345, 'f', 'x', 1, 1, 0, 0, '{}')")
