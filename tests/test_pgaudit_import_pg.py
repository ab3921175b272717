"""pgAudit's real output imported (issue 15): a scratch PostgreSQL cluster with pgAudit
preloaded (Debian's postgresql-15-pgaudit), statements run there as a login of its own, its
server log read back and imported into GovDesk as a real security administrator: reads become
events with the server's user, time and client host, the audited table mapped to a resource,
COPY … TO an export, writes and server messages counted as ignored, a second import adding
nothing."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from sqlalchemy import select

from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, DataResource
from govdesk.monitoring.log_import import import_access_log

from tests.scratch_cluster import scratch_cluster

pytestmark = pytest.mark.postgres

PREFIX = "%m [%p] %q%u@%d %h "


def _run_statements(dsn: str) -> None:
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id, name FROM persons WHERE id = 1")
        cur.execute("SELECT count(*)\nFROM persons\nWHERE name <> 'x'")  # a multi-line entry
        cur.execute("INSERT INTO persons (name) VALUES ('b')")
        cur.copy_expert("COPY persons TO STDOUT", open(os.devnull, "w"))
    conn.close()


def _log_of(cluster: Any, log_dir: Path) -> Path:
    cluster.psql("SELECT pg_rotate_logfile()")  # flushes nothing, but proves the collector
    deadline = time.monotonic() + 10
    log = log_dir / "pg.log"
    while time.monotonic() < deadline:
        if log.exists() and "COPY persons TO STDOUT" in log.read_text(errors="replace"):
            return log
        time.sleep(0.2)
    raise AssertionError(f"no pgAudit entries in {log}")


def test_a_real_pgaudit_log_is_imported(pg_demo_db: Database, accounts_for: Any,
                                        tmp_path: Path) -> None:
    log_dir = Path(tempfile.mkdtemp(prefix="gd_pgaudit_"))  # the server's user writes there
    os.chmod(log_dir, 0o777)
    try:
        _import_real_log(pg_demo_db, accounts_for, tmp_path, log_dir)
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


def _import_real_log(pg_demo_db: Database, accounts_for: Any, tmp_path: Path,
                     log_dir: Path) -> None:
    settings = {"shared_preload_libraries": "pgaudit", "pgaudit.log": "read,write",
                "pgaudit.log_relation": "on", "log_line_prefix": PREFIX,
                "logging_collector": "on", "log_directory": str(log_dir),
                "log_filename": "pg.log", "log_timezone": "Asia/Shanghai"}
    with scratch_cluster(settings) as cluster:
        cluster.psql("CREATE ROLE analyst LOGIN")
        cluster.psql("CREATE TABLE persons (id serial PRIMARY KEY, name text); "
                     "INSERT INTO persons (name) VALUES ('a'); GRANT SELECT, INSERT ON persons "
                     "TO analyst; GRANT USAGE ON SEQUENCE persons_id_seq TO analyst")
        _run_statements(cluster.dsn(user="analyst"))
        log = _log_of(cluster, log_dir)
        copy = tmp_path / "server.log"
        copy.write_bytes(log.read_bytes())
    with pg_demo_db.session() as s:
        rid, code = s.execute(select(DataResource.id, DataResource.code)
                              .order_by(DataResource.id).limit(1)).one()
    db, who = accounts_for(pg_demo_db).login("secadmin")
    mapping = json.dumps({"line_prefix": PREFIX, "timezone": "Asia/Shanghai",
                          "objects": {"public.persons": code}, "commands": {"COPY": "export"}})
    report = import_access_log(db, who, copy, "业务库审计", kind="pgaudit", mapping=mapping)
    assert report.status == "imported" and report.bad == 0, [p.text("en") for p in report.problems]
    assert report.ignored.get("class:WRITE") == 2 and report.ignored.get("not_audit", 0) > 0
    with pg_demo_db.session() as s:
        events = s.execute(select(AccessEvent.username, AccessEvent.action,
                                  AccessEvent.resource_id, AccessEvent.client_host,
                                  AccessEvent.ts, AccessEvent.imported_by)
                           .where(AccessEvent.import_id == report.import_id,
                                  AccessEvent.username == "analyst")
                           .order_by(AccessEvent.ts, AccessEvent.id)).all()
    assert [(e.username, e.action, e.resource_id) for e in events] == [
        ("analyst", "query", rid), ("analyst", "query", rid), ("analyst", "export", rid)]
    assert {e.client_host for e in events} == {"127.0.0.1"}
    assert all(e.imported_by == who.username for e in events)
    assert abs(time.time() - events[0].ts.timestamp()) < 600  # the server's clock, in UTC
    again = import_access_log(db, who, copy, "业务库审计")
    assert (again.imported, again.duplicates) == (0, report.imported)
