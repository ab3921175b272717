"""What a person typing a command wrongly reads: a message naming the value and what to write,
the right exit code, and never a traceback (issue 13's list of CLI tracebacks)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from govdesk.cli import main
from govdesk.db.engine import Database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main([*argv, "--lang", "en"])
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert "Traceback" not in text and "参考号" not in text, text
    return code, text


@pytest.mark.parametrize(("url", "expected"), [
    ("notaurl", "'notaurl' is neither a database URL nor a GovDesk database file"),
    ("mysql://u@localhost/govdesk", "GovDesk works with PostgreSQL or SQLite, not mysql"),
    ("sqlite://", "names no file"),
    ("sqlite://tmp/govdesk.sqlite3", "names no file"),
    ("postgresql://u@db.example:port/govdesk", "is not a database URL"),
    ("://x", "is not a database URL"),
])
def test_a_wrong_database_url_is_a_usage_error(capsys: pytest.CaptureFixture[str], url: str,
                                               expected: str) -> None:
    code, text = run(capsys, "db", "status", "--db", url)
    assert code == 2 and expected in text and "sqlite:///" in text


def test_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    code, text = run(capsys, "db", "status", "--db", f"sqlite:///{bad}")
    assert code == 1 and "is not a GovDesk database" in text
    assert bad.read_text(encoding="utf-8").startswith("these are my notes")  # untouched


def test_a_plain_path_means_an_sqlite_file(sqlite_db: Database,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = sqlite_db.url.removeprefix("sqlite:///")
    code, text = run(capsys, "db", "status", "--db", path)
    assert code == 0 and "current" in text


def test_export_to_a_missing_folder(sqlite_demo_db: Database, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOVDESK_PASSWORD", "Demo-2026!")
    target = tmp_path / "no such folder" / "catalogue.xlsx"
    code, text = run(capsys, "catalog", "export", str(target), "--db", sqlite_demo_db.url,
                     "--user", "demo_data_admin")
    assert code == 1 and f"The folder {target.parent} does not exist" in text
    code, text = run(capsys, "audit", "export", "--out", str(tmp_path / "nope" / "a.csv"),
                     "--db", sqlite_demo_db.url, "--user", "demo_auditor")
    assert code == 1 and "does not exist" in text
    code, text = run(capsys, "catalog", "export", str(tmp_path), "--db", sqlite_demo_db.url,
                     "--user", "demo_data_admin")
    assert code == 1 and ".xlsx" in text


def test_a_scheme_file_that_is_not_a_workbook(sqlite_demo_db: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOVDESK_PASSWORD", "Demo-2026!")
    bad = tmp_path / "scheme.xlsx"
    bad.write_bytes(b"not a zip at all")
    code, text = run(capsys, "grades", "apply", str(bad), "--db", sqlite_demo_db.url,
                     "--user", "demo_secadmin")
    assert code == 1 and "is not an Excel workbook" in text and "EOCD" not in text


def test_user_without_a_password_source(sqlite_demo_db: Database,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVDESK_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, text = run(capsys, "users", "list", "--db", sqlite_demo_db.url, "--user",
                     "demo_sysadmin")
    assert code == 2 and "No password for demo_sysadmin" in text
    monkeypatch.setattr("sys.stdin", io.StringIO("Demo-2026!\n"))
    code, text = run(capsys, "users", "list", "--db", sqlite_demo_db.url, "--user",
                     "demo_sysadmin")
    assert code == 0 and "demo_auditor" in text


def test_a_mistyped_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "govdesk-typo.sqlite3"
    code, text = run(capsys, "db", "status", "--db", str(missing))
    assert code == 2 and "There is no database file" in text and f"sqlite:///{missing}" in text
    assert not missing.exists()


def test_three_slashes_before_an_absolute_path(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.sqlite3"
    real.write_bytes(b"")
    code, text = run(capsys, "db", "status", "--db", f"sqlite://{real}")  # sqlite:///tmp/…
    assert code == 2 and "four slashes" in text and f"sqlite:///{real}" in text
