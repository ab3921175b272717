"""``govdesk monitor …`` on both databases as real logins: run (exit 6 on new hits, 0 on a
second run), alerts (6 while any is not closed), the triage steps, rules with hit rates and an
edit, the calendar; Chinese by default, JSON with labels, 1/2/3 as everywhere."""

from __future__ import annotations

from typing import Any

import pytest

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.errors import EXIT_ALERTS
from monitor_world import Plant, cst
from test_sharing_cli import run_json


def _as(db: Database, accounts: Any, monkeypatch: pytest.MonkeyPatch, role: str) -> list[str]:
    who = accounts.add(role)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_monitor_commands(demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    plant = Plant(demo_db)
    plant.behind()
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin")
    plant.events({"username": plant.user("big"), "ts": cst(2026, 12, 1), "action": "export",
                  "row_count": 9000})
    status, out = run_json(capsys, "monitor", "run", *sec)
    assert status == EXIT_ALERTS and out["raised"] >= 1
    assert run_json(capsys, "monitor", "run", *sec)[0] == 0  # nothing new
    status, out = run_json(capsys, "monitor", "alerts", "--rule", "bulk_export", *sec)
    (alert,) = [a for a in out["alerts"] if a["username"] == plant.user("big")]
    assert status == EXIT_ALERTS and alert["state_label"] == "待处理"
    assert alert["kind_label"] == "大批量导出" and alert["severity_label"] == "高"
    aid = str(alert["id"])
    assert run_json(capsys, "monitor", "close", aid, "--disposition", "benign", *sec)[0] == 1
    assert main(["monitor", "ack", aid, "--note", "核实中", *sec]) == 0
    assert "现为“已确认”" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["monitor", "close", aid, "--disposition", "maybe", *sec])
    assert usage.value.code == 2
    capsys.readouterr()
    assert main(["monitor", "close", aid, "--disposition", "误报", "--note", "已报备", *sec]) == 0
    capsys.readouterr()
    assert main(["monitor", "show", aid, *sec]) == 0
    shown = capsys.readouterr().out
    assert "处置结论：误报" in shown and "已确认 → 已关闭" in shown and "备注：已报备" in shown
    status, out = run_json(capsys, "monitor", "alerts", "--state", "open", "--rule",
                           "bulk_export", *sec)
    assert all(a["state"] == "open" for a in out["alerts"])

    assert main(["monitor", "rules", *sec]) == 0
    rules = capsys.readouterr().out
    assert "bulk_export（大批量导出）启用" in rules and "误报 1" in rules
    status, out = run_json(capsys, "monitor", "rule-set", "bulk_export", "--param", "rows=8000",
                           "--severity", "medium", *sec)
    assert status == 0 and out["rule"]["parameters"] == {"rows": 8000}
    status, out = run_json(capsys, "monitor", "rule-set", "bulk_export", "--param", "rows=0", *sec)
    assert status == 1 and out["code"] == "monitor_param_range"
    assert run_json(capsys, "monitor", "calendar-set", "2026-12-07", "holiday", *sec)[0] == 0
    status, out = run_json(capsys, "monitor", "calendar", "--year", "2026", *sec)
    assert [d["day"] for d in out["days"]] == ["2026-12-07"] and out["weekend_only_years"] == [2027]

    auditor = _as(demo_db, accounts, monkeypatch, "auditor")
    assert run_json(capsys, "monitor", "alerts", *auditor)[0] in (0, EXIT_ALERTS)
    assert run_json(capsys, "monitor", "ack", aid, *auditor)[0] == 3
    viewer = _as(demo_db, accounts, monkeypatch, "viewer")
    assert run_json(capsys, "monitor", "run", *viewer)[0] == 3
    assert main(["monitor", "alerts", "--lang", "en", "--rule", "bulk_export", *sec]) in (0, 6)
    assert "Bulk export" in capsys.readouterr().out
