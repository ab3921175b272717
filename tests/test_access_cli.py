"""``govdesk access …`` on both databases (PostgreSQL as real logins): list by pages with the
next key, review chosen events and a period, export, Chinese text by default, the exit codes
(1 rejected input, 2 usage, 3 permission denied)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from govdesk.cli import main
from govdesk.db.engine import Database


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _as(db: Database, accounts: Any, monkeypatch: pytest.MonkeyPatch, role: str) -> list[str]:
    who = accounts.add(role)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_list_review_export_as_the_roles_may(demo_db: Database, accounts_for: Any,
                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin")
    aud = _as(demo_db, accounts, monkeypatch, "auditor")
    viewer = _as(demo_db, accounts, monkeypatch, "viewer")
    status, first = run_json(capsys, "access", "list", "--org", "CDPF-330382", "--limit", "5",
                             *aud)
    assert status == 0 and first["count"] > 10 and len(first["events"]) == 5 and first["next"]
    assert first["events"][0]["organisation_name"] == "乐清市残疾人联合会"
    status, second = run_json(capsys, "access", "list", "--org", "CDPF-330382", "--limit", "5",
                              "--after", first["next"], *aud)
    ids = [e["id"] for e in first["events"] + second["events"]]
    assert status == 0 and ids == sorted(ids, reverse=True) and len(set(ids)) == 10

    status, done = run_json(capsys, "access", "review", "--event", str(ids[0]), "--event",
                            str(ids[1]), "--comment", "核对无误的访问", *sec)
    assert status == 0 and done["events"] == 2 and done["kind"] == "events"
    status, out = run_json(capsys, "access", "review", "--event", str(ids[2]), "--comment",
                           "核对无误", *aud)
    assert status == 3 and out["ok"] is False
    status, out = run_json(capsys, "access", "review", "--event", "999999999", "--comment",
                           "核对无误的访问", *sec)
    assert status == 1 and "999999999" in out["message"]
    status, out = run_json(capsys, "access", "review", "--event", str(ids[2]), "--comment",
                           "好", *sec)
    assert status == 1
    status, out = run_json(capsys, "access", "review", "--org", "CDPF-330382", "--comment",
                           "核对无误的访问", *sec)
    assert status == 2
    status, done = run_json(capsys, "access", "review", "--org", "CDPF-330382", "--since",
                            "2020-01-01", "--until", "2030-01-01", "--comment",
                            "该单位全部访问已核对", *sec)
    assert status == 0 and done["kind"] == "period"
    status, left = run_json(capsys, "access", "list", "--org", "CDPF-330382", "--unreviewed",
                            *aud)
    assert status == 0 and left["count"] == 0
    status, out = run_json(capsys, "access", "list", *viewer)
    assert status == 3

    out_file = tmp_path / "导出.xlsx"
    status, out = run_json(capsys, "access", "export", str(out_file), "--org", "CDPF-330382",
                           "--result", "success", *aud)
    assert status == 0 and out["rows"] > 0
    rows = list(load_workbook(out_file, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == out["rows"] + 1
    assert {r[10] for r in rows[1:]} == {"成功"}


def test_text_output_in_chinese_and_bad_options(demo_db: Database, accounts_for: Any,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(demo_db)
    aud = _as(demo_db, accounts, monkeypatch, "auditor")
    assert main(["access", "list", "--limit", "2", "--action", "导出", *aud]) == 0
    text = capsys.readouterr().out
    assert "导出" in text and "条访问记录" in text and "未审查" in text
    assert main(["access", "list", "--grade", "没有这个分级", *aud]) == 1
    assert "核心数据" in capsys.readouterr().err
    assert main(["access", "list", "--after", "nonsense", *aud]) == 2
    with pytest.raises(SystemExit):
        main(["access", "list", "--action", "偷看", *aud])
