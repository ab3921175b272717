"""``govdesk sharing …`` on both databases: a whole workflow from the command line, JSON shapes
and the usual exit codes (1 rejected input, 2 usage, 3 permission denied)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _as(db: Database, accounts: Any, monkeypatch: pytest.MonkeyPatch, role: str,
        region: str, org: int) -> list[str]:
    who = accounts.add(role, region, org)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_request_approve_list_show_revoke(demo_db: Database, accounts_for: Any,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with demo_db.engine.connect() as c:
        code = c.execute(text(
            "SELECT r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).scalar_one()
        none = c.execute(text("SELECT code FROM data_resources WHERE sharing_type = 'none' "
                              "AND status = 'published' LIMIT 1")).scalar_one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(demo_db)
    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", orgs["CDPF-330200"])
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", orgs["CDPF-330100"])
    until = (grant_day() + dt.timedelta(days=60)).isoformat()

    status, out = run_json(capsys, "sharing", "request", code, "--until", until, "--purpose",
                           "statistics", "--items", "1,2", *nb)
    assert status == 0 and out["ok"] and out["grant"]["status"] == "requested"
    gid = out["grant"]["id"]
    assert len(out["grant"]["items"]) == 2 and not out["grant"]["all_items"]

    status, out = run_json(capsys, "sharing", "list", "--to-decide", *sec)
    assert status == 0 and gid in [g["id"] for g in out["grants"]]
    status, out = run_json(capsys, "sharing", "approve", str(gid), *nb)
    assert status == 3 and out["ok"] is False  # a data administrator never decides
    status, out = run_json(capsys, "sharing", "approve", str(gid), "--note", "同意", *sec)
    assert status == 0 and out["grant"]["state"] == "active"
    status, out = run_json(capsys, "sharing", "list", "--state", "active", "--mine", *nb)
    assert gid in [g["id"] for g in out["grants"]]
    assert {g["state"] for g in out["grants"]} == {"active"}
    status, out = run_json(capsys, "sharing", "show", str(gid), *nb)
    assert [e["to_status"] for e in out["events"]] == ["requested", "approved"]
    status, out = run_json(capsys, "sharing", "revoke", str(gid), "--reason", "", *sec)
    assert status == 1 and out["code"] == "grant_reason_required"
    status, out = run_json(capsys, "sharing", "revoke", str(gid), "--reason", "协议终止", *sec)
    assert status == 0 and out["grant"]["state"] == "revoked"
    status, out = run_json(capsys, "sharing", "expire-due", *sec)
    assert status == 0 and out["lapsed"] == []

    status, out = run_json(capsys, "sharing", "request", none, "--days", "30", "--purpose",
                           "statistics", *nb)
    assert status == 1 and out["code"] == "grant_resource_not_shared"
    status, out = run_json(capsys, "sharing", "request", code, "--purpose", "statistics", *nb)
    assert status == 2 and out["code"] == "sharing_until_or_days"
    status, out = run_json(capsys, "sharing", "offer", code, "--days", "30", "--purpose",
                           "statistics", "--scope", "33:x:y", *sec)
    assert status == 2 and out["code"] == "sharing_bad_scope"
    status, out = run_json(capsys, "sharing", "offer", code, "--days", "30", "--purpose",
                           "statistics", "--scope", "3302:federation:3", *sec)
    assert status == 0 and out["grant"]["scope"] == {
        "region_prefix": "3302", "org_kind": "federation", "org_level": 3}
