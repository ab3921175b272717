"""Unexpected errors reach the user as a message with a reference; the details, passwords
blanked, are in the log file of the user data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdesk import crashlog


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path))
    return tmp_path


def boom() -> None:
    raise RuntimeError("cannot reach postgresql+psycopg2://alice:S3cret!@db.example/govdesk "
                       "with password=S3cret!")


def test_the_details_go_to_the_log_and_the_user_gets_a_reference(data_dir: Path) -> None:
    try:
        boom()
    except RuntimeError as exc:
        ref = crashlog.record_unexpected(exc, "导入目录")
    text = (data_dir / "errors.log").read_text(encoding="utf-8")
    assert ref in text and "While: 导入目录" in text
    assert "Traceback (most recent call last)" in text and "in boom" in text
    assert "S3cret" not in text and "alice:***@db.example" in text
    zh = crashlog.unexpected_message(ref, "导入目录")
    assert ref in zh and "未做任何更改" in zh and str(data_dir / "errors.log") in zh
    assert "Traceback" not in zh and "RuntimeError" not in zh
    en = crashlog.unexpected_message(ref, "Import", "en")
    assert en.startswith("Import failed") and ref in en


def test_references_differ_and_entries_accumulate(data_dir: Path) -> None:
    refs = {crashlog.record_unexpected(ValueError(str(n)), "x") for n in range(5)}
    assert len(refs) == 5
    text = (data_dir / "errors.log").read_text(encoding="utf-8")
    assert all(r in text for r in refs)


def test_scrub_blanks_passwords_only() -> None:
    assert crashlog.scrub("sqlite:///C:/data/a.db") == "sqlite:///C:/data/a.db"
    assert crashlog.scrub("postgresql://u:p%40ss@h:5432/d") == "postgresql://u:***@h:5432/d"
    assert crashlog.scrub("PASSWORD: hunter2 next") == "PASSWORD: *** next"


def test_the_cli_turns_an_unexpected_error_into_a_message(data_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from govdesk import cli
    from govdesk.cli import db as cli_db

    def broken(_args: object) -> int:
        boom()
        return 0

    monkeypatch.setattr(cli_db, "cmd_db_status", broken)
    code = cli.main(["db", "status", "--db", f"sqlite:///{data_dir / 'x.sqlite3'}"])
    err = capsys.readouterr().err
    assert code == 5
    assert "govdesk db status 失败" in err and "参考号 E" in err
    assert "Traceback" not in err and "S3cret" not in err
    assert "in broken" in (data_dir / "errors.log").read_text(encoding="utf-8")
    code = cli.main(["db", "status", "--json", "--lang", "en",
                     "--db", f"sqlite:///{data_dir / 'x.sqlite3'}"])
    out = capsys.readouterr().out
    assert code == 5 and '"reference": "E' in out and "failed because of an unexpected" in out
