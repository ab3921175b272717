"""PostgreSQL enforces the alert workflow and who touches monitoring (migration 0037): attacks
over plain psycopg2 as each real GovDesk login, never as the owner."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from psycopg2 import errors

from govdesk.db.engine import Database
from govdesk.monitoring.run import run_rules
from monitor_world import Plant, cst

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")


class Net:
    def __init__(self, db: Database, accounts: Any) -> None:
        self.db, self.accounts = db, accounts
        self.plant = Plant(db)
        self.plant.behind()
        self.names = {role: accounts.add(role).username for role in ROLES}
        self.names["secadmin2"] = accounts.add("secadmin").username
        self.conns: list[Any] = []

    def conn(self, role: str) -> Any:
        c = self.accounts.connect(self.names[role])
        c.autocommit = True
        self.conns.append(c)
        return c

    def alert(self) -> int:
        """A fresh open alert, raised by a real secadmin run."""
        user = self.plant.user(f"x{len(self.conns)}_{id(self)}")
        self.plant.events({"username": user, "ts": cst(2026, 12, 1), "action": "export",
                           "row_count": 99999})
        handle = Database(self.accounts.url_for(self.names["secadmin"]))
        try:
            from govdesk.security.identity import identity_from_connection
            run_rules(handle, identity_from_connection(handle), rules=["bulk_export"])
        finally:
            handle.dispose()
        return int(self.plant.alerts("bulk_export")[-1].id)


@pytest.fixture
def net(pg_demo_db: Database, accounts_for) -> Iterator[Net]:  # type: ignore[no-untyped-def]
    n = Net(pg_demo_db, accounts_for(pg_demo_db))
    yield n
    for c in n.conns:
        c.close()


def one(conn: Any, sql: str, *args: Any) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone() if cur.description else None


def refused(conn: Any, sql: str, *args: Any, error: type = errors.InsufficientPrivilege,
            match: str = "") -> str:
    with pytest.raises(error) as caught:
        one(conn, sql, *args)
    assert match in str(caught.value)
    return str(caught.value)


def test_only_secadmins_and_auditors_read_and_only_secadmins_write(net: Net) -> None:
    aid = net.alert()
    for role in ROLES:
        c = net.conn(role)
        for table in ("monitor_alerts", "monitor_alert_events", "monitor_rules",
                      "monitor_watermarks", "monitor_calendar_days"):
            if role in ("secadmin", "auditor"):
                assert one(c, f"SELECT count(*) FROM {table}")[0] >= 0
            else:
                refused(c, f"SELECT count(*) FROM {table}")
        if role != "secadmin":
            refused(c, "UPDATE monitor_alerts SET state = 'acknowledged' WHERE id = %s", aid)
            refused(c, "UPDATE monitor_rules SET enabled = false")
            refused(c, "UPDATE monitor_watermarks SET last_event_id = 0")
            refused(c, "INSERT INTO monitor_calendar_days (day, kind, note) "
                       "VALUES ('2026-12-07', 'holiday', '')")
            refused(c, "SELECT * FROM govdesk_monitor_resources()")
            refused(c, "SELECT * FROM govdesk_monitor_grants(ARRAY[1])")
        for sql in ("DELETE FROM monitor_alerts", "DELETE FROM monitor_alert_events",
                    "UPDATE monitor_alert_events SET note = 'x'",
                    "INSERT INTO monitor_alert_events (alert_id, to_state, actor, at) "
                    f"VALUES ({aid}, 'closed', 'me', now())",
                    "DELETE FROM monitor_rules", "DELETE FROM monitor_watermarks"):
            refused(c, sql)


def test_the_state_machine_cannot_be_skipped_over_sql(net: Net) -> None:
    aid = net.alert()
    c = net.conn("secadmin")
    refused(c, "UPDATE monitor_alerts SET state = 'closed', disposition = 'benign' WHERE id = %s",
            aid, error=errors.CheckViolation, match="cannot go from open to closed")
    refused(c, "UPDATE monitor_alerts SET disposition = 'benign' WHERE id = %s", aid,
            error=errors.CheckViolation, match="disposition")
    # stamps are the server's, whatever the client writes
    one(c, "UPDATE monitor_alerts SET state = 'acknowledged', acknowledged_by = 'someone_else', "
           "closed_by = 'x', raised_by = 'y' WHERE id = %s", aid)
    row = one(c, "SELECT acknowledged_by, closed_by, raised_by FROM monitor_alerts WHERE id = %s",
              aid)
    assert row == (net.names["secadmin"], None, net.names["secadmin"])
    refused(c, "UPDATE monitor_alerts SET state = 'closed' WHERE id = %s", aid,
            error=errors.CheckViolation, match="needs a disposition")
    refused(c, "UPDATE monitor_alerts SET state = 'open' WHERE id = %s", aid,
            error=errors.CheckViolation, match="cannot go from acknowledged to open")
    refused(c, "UPDATE monitor_alerts SET subject_key = 'other' WHERE id = %s", aid,
            error=errors.CheckViolation, match="cannot change")
    c2 = net.conn("secadmin2")
    one(c2, "UPDATE monitor_alerts SET state = 'closed', disposition = 'benign' WHERE id = %s", aid)
    assert one(c, "SELECT closed_by FROM monitor_alerts WHERE id = %s", aid)[0] == \
        net.names["secadmin2"]
    refused(c, "UPDATE monitor_alerts SET note = 'later' WHERE id = %s", aid,
            error=errors.CheckViolation, match="is closed")
    history = one(c, "SELECT array_agg(actor || ':' || coalesce(from_state, '-') || '>' || "
                     "to_state ORDER BY id) FROM monitor_alert_events WHERE alert_id = %s", aid)[0]
    assert history == [f"{net.names['secadmin']}:->open",
                       f"{net.names['secadmin']}:open>acknowledged",
                       f"{net.names['secadmin2']}:acknowledged>closed"]
    a = net.conn("auditor")  # the auditor reads the trail
    assert one(a, "SELECT count(*) FROM audit_events WHERE event_type = 'monitor_alert' "
                  "AND object_id = %s", str(aid))[0] == 3


def test_a_new_alert_is_open_and_unstamped(net: Net) -> None:
    c = net.conn("secadmin")
    refused(c, "INSERT INTO monitor_alerts (rule_code, subject_key, severity, state, count, hits, "
               "first_seen, last_seen, version, disposition) VALUES ('bulk_export', 'forged', "
               "'low', 'closed', 1, 1, now(), now(), 1, 'benign')",
            error=errors.CheckViolation, match="is open")
    one(c, "INSERT INTO monitor_alerts (rule_code, subject_key, severity, state, count, hits, "
           "first_seen, last_seen, version, closed_by, acknowledged_by) VALUES ('bulk_export', "
           "'planted', 'low', 'open', 1, 1, now(), now(), 1, 'x', 'y')")
    row = one(c, "SELECT raised_by, closed_by, acknowledged_by FROM monitor_alerts "
                 "WHERE subject_key = 'planted'")
    assert row == (net.names["secadmin"], None, None)
    refused(c, "INSERT INTO monitor_alerts (rule_code, subject_key, severity, state, count, hits, "
               "first_seen, last_seen, version) VALUES ('bulk_export', 'planted', 'low', 'open', "
               "1, 1, now(), now(), 1)", error=errors.UniqueViolation)
    refused(c, "SELECT govdesk_audit('monitor_alert', 'monitor_alerts', '1', true, 'h', '{}')",
            error=psycopg2.Error)


def test_rules_keep_their_code_and_kind_and_every_edit_is_audited(net: Net) -> None:
    c = net.conn("secadmin")
    refused(c, "UPDATE monitor_rules SET kind = 'new_host' WHERE code = 'bulk_export'")
    refused(c, "UPDATE monitor_rules SET code = 'x' WHERE code = 'bulk_export'")
    refused(c, "UPDATE monitor_rules SET parameters = '[1]' WHERE code = 'bulk_export'",
            error=errors.CheckViolation, match="JSON object")
    refused(c, "UPDATE monitor_rules SET updated_by = 'forged' WHERE code = 'bulk_export'")
    one(c, "UPDATE monitor_rules SET parameters = '{\"rows\": 8000}' WHERE code = 'bulk_export'")
    assert one(c, "SELECT updated_by FROM monitor_rules WHERE code = 'bulk_export'")[0] == \
        net.names["secadmin"]
    a = net.conn("auditor")
    detail = one(a, "SELECT detail FROM audit_events WHERE event_type = 'monitor_rule' "
                    "AND object_id = 'bulk_export' ORDER BY id DESC LIMIT 1")[0]
    import json
    values = json.loads(detail)
    assert (values["before"]["parameters"], values["after"]["parameters"]) == (
        {"rows": 5000}, {"rows": 8000})
    one(c, "INSERT INTO monitor_calendar_days (day, kind, note, updated_by) "
           "VALUES ('2026-12-07', 'holiday', '单位调休', 'forged')")
    assert one(c, "SELECT updated_by FROM monitor_calendar_days")[0] == net.names["secadmin"]
    assert one(a, "SELECT count(*) FROM audit_events WHERE event_type = 'data_change' "
                  "AND object_type = 'monitor_calendar_days'")[0] == 1
