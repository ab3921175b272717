"""``govdesk access import`` on both databases (a real security-administrator login on
PostgreSQL): check, refusal with every problem listed and exit code 1, import, a second import
adding nothing, a data administrator refused (exit 3); Chinese by default, English with
``--lang en``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govdesk.cli import main
from govdesk.db.engine import Database

from test_sharing_cli import _as, run_json

MAPPING = {"columns": {"time": "时间", "user": "用户", "action": "操作"},
           "actions": {"查询": "query"}}


def test_access_import_command(demo_db: Database, accounts_for: Any, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "33", 1)
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("时间,用户,操作\n2026-11-01 08:00:00,u1,查询\n2026-11-01 08:00:01,u2,删除\n",
                   encoding="utf-8")
    new = ["--source", "交换平台", "--kind", "exchange_csv", "--mapping", str(mapping)]
    status, out = run_json(capsys, "access", "import", str(log), *new, "--check", *sec)
    assert (status, out["ok"], out["status"], out["bad"]) == (1, False, "checked", 1)
    assert out["problems"][0]["line"] == 3 and out["problems"][0]["code"] == "log_action_unknown"
    assert main(["access", "import", str(log), *new, *sec]) == 1
    text = capsys.readouterr().out
    assert "第 3 行（操作）：“删除”不是已映射的操作" in text and "未导入任何内容" in text
    status, out = run_json(capsys, "access", "import", str(log), *new, "--accept-problems", *sec)
    assert (status, out["imported"], out["bad"]) == (0, 1, 1)
    assert main(["access", "import", str(log), "--source", "交换平台", "--accept-problems",
                 "--lang", "en", *sec]) == 0
    text = capsys.readouterr().out
    assert "Imported 0 access events; 1 were imported before" in text
    da = _as(demo_db, accounts, monkeypatch, "data_admin", "33", 1)
    status, out = run_json(capsys, "access", "import", str(log), "--source", "交换平台", *da)
    assert status == 3 and out["code"] == "not_allowed"
