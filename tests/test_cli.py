"""``govdesk`` commands: --db and GOVDESK_DB_URL, --json output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.migrate import head_revision


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])


def test_db_upgrade_and_status(empty_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "db", "upgrade", "--db", empty_db.url)
    assert code == 0 and out["ok"] is True and out["from"] is None and out["to"] == head_revision()
    code, out = run_json(capsys, "db", "status", "--db", empty_db.url)
    assert code == 0 and out["state"] == "current"


def test_demo_command_loads_small_demo(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "demo", "--db", db.url)
    assert code == 0
    rows = out["rows"]
    assert isinstance(rows, dict) and rows["data_resources"] == 300
    code, out = run_json(capsys, "demo", "--db", db.url)
    assert code == 1 and out["ok"] is False and out["code"] == "demo_not_empty"
    assert "该数据库已有目录数据" in str(out["message"]) and out["error"] == out["message"]
    code, out = run_json(capsys, "demo", "--db", db.url, "--lang", "en")
    assert code == 1 and "already has catalogue data" in str(out["error"])


def test_env_variable_selects_the_database(empty_db: Database, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDESK_DB_URL", empty_db.url)
    code, out = run_json(capsys, "db", "upgrade")
    assert code == 0 and out["to"] == head_revision()


def test_newer_database_exits_1_with_a_clear_message(db: Database,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'a1b2c3d4'"))
    code = main(["db", "upgrade", "--db", db.url])
    err = capsys.readouterr().err
    assert code == 1 and "比本 GovDesk 所知的版本更新" in err and "a1b2c3d4" in err
    assert main(["db", "upgrade", "--db", db.url, "--lang", "en"]) == 1
    assert "newer than this GovDesk knows" in capsys.readouterr().err


def test_unmigrated_database_is_refused_for_demo(empty_db: Database,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_json(capsys, "demo", "--db", empty_db.url)
    assert code == 1 and "govdesk db upgrade" in str(out["error"])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--scale", "galaxy"])
    assert exc.value.code == 2


def test_password_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["db", "status", "--db", "postgresql+psycopg2://u:secret@127.0.0.1:1/x"])
    captured = capsys.readouterr()
    assert code == 1 and "secret" not in captured.out + captured.err and "***" in captured.err


def test_console_script_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "GOVDESK_DB_URL": url}
    done = subprocess.run([sys.executable, "-m", "govdesk", "db", "upgrade", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["to"] == head_revision()
