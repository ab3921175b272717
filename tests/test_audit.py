"""The audit trail's hash chain: intact after real use, broken by any tampering, named."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database

from conftest import superuser_db
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

WHO = Identity("auditor_x", Role.AUDITOR, host="pc-7")


def write_events(db: Database, n: int = 6) -> None:
    for i in range(n):
        with db.session() as s:
            audit.record(s, WHO, EventType.EXPORT, object_type="data_resources", object_id=i,
                         detail={"rows": i, "note": "导出"})


@contextmanager
def tampering(db: Database) -> Iterator[object]:
    """A connection that may change audit rows: on PostgreSQL only a superuser switching the
    protecting triggers off (the audit tables' owner is a role nobody can log in as or hold),
    which verify must then catch."""
    handle = superuser_db(db) if db.is_postgres else db
    try:
        with handle.engine.begin() as conn:
            if db.is_postgres:
                conn.exec_driver_sql(
                    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
            yield conn
            if db.is_postgres:
                conn.exec_driver_sql(
                    "ALTER TABLE audit_events ENABLE TRIGGER audit_events_immutable")
    finally:
        if handle is not db:
            handle.dispose()


def ids(db: Database) -> list[int]:
    with db.engine.connect() as c:
        return [r[0] for r in c.execute(text("SELECT id FROM audit_events ORDER BY id"))]


def test_chain_holds_after_use(demo_db: Database) -> None:
    write_events(demo_db)
    result = audit.verify(demo_db)
    assert result.ok and result.checked >= 6


def test_changed_field_is_detected(demo_db: Database) -> None:
    write_events(demo_db)
    target = ids(demo_db)[-3]
    with tampering(demo_db) as conn:
        conn.execute(text("UPDATE audit_events SET success = NOT success WHERE id = :i"), {"i": target})
    result = audit.verify(demo_db)
    assert not result.ok and result.broken_id == target and "changed" in result.reason


def test_deleted_row_is_detected(demo_db: Database) -> None:
    write_events(demo_db)
    all_ids = ids(demo_db)
    with tampering(demo_db) as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": all_ids[-3]})
    result = audit.verify(demo_db)
    assert not result.ok and result.broken_id == all_ids[-2] and "deleted" in result.reason


def test_swapped_rows_are_detected(demo_db: Database) -> None:
    write_events(demo_db)
    a, b = ids(demo_db)[-4:-2]
    with tampering(demo_db) as conn:
        conn.execute(text("UPDATE audit_events SET id = -1 WHERE id = :a"), {"a": a})
        conn.execute(text("UPDATE audit_events SET id = :a WHERE id = :b"), {"a": a, "b": b})
        conn.execute(text("UPDATE audit_events SET id = :b WHERE id = -1"), {"b": b})
    result = audit.verify(demo_db)
    assert not result.ok and result.broken_id == a


def test_cli_verify_names_the_broken_row(demo_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    write_events(demo_db)
    assert main(["audit", "verify", "--db", demo_db.url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    target = ids(demo_db)[2]
    with tampering(demo_db) as conn:
        conn.execute(text("UPDATE audit_events SET detail = 'forged' WHERE id = :i"), {"i": target})
    assert main(["audit", "verify", "--db", demo_db.url, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["broken_id"] == target


def test_cli_export_xlsx_and_csv(demo_db: Database, tmp_path: Path, accounts_for) -> None:  # type: ignore[no-untyped-def]
    write_events(demo_db)
    accounts = accounts_for(demo_db)
    auditor = accounts.add("auditor")
    if demo_db.is_postgres:
        args = ["--db", accounts.url_for(auditor.username)]
        env_password = None
    else:
        args = ["--db", demo_db.url, "--user", auditor.username]
        env_password = accounts.PASSWORD
    mp = pytest.MonkeyPatch()
    if env_password:
        mp.setenv("GOVDESK_PASSWORD", env_password)
    try:
        assert main(["audit", "export", *args, "--since", "2000-01-01", "--out",
                     str(tmp_path / "audit.xlsx")]) == 0
        assert main(["audit", "export", *args, "--out", str(tmp_path / "audit.csv")]) == 0
        assert main(["audit", "export", *args, "--out", str(tmp_path / "audit.pdf")]) == 1
        assert main(["audit", "export", *args, "--lang", "en", "--out",
                     str(tmp_path / "audit-en.csv")]) == 0
    finally:
        mp.undo()
    sheet = load_workbook(tmp_path / "audit.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "时间（本机时区）", "用户", "角色", "事件类型", "对象类型", "对象",
                       "结果", "客户端", "详情") and len(rows) > 6
    exports = [r for r in rows[1:] if r[4] == "导出"]
    assert len(exports) == 6 and {r[5] for r in exports} == {"数据资源"}
    assert all(r[7] == "成功" for r in exports)
    # local time to the second with the zone's offset: no microseconds, no "UTC"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d", r[1]) for r in rows[1:])
    assert "审计管理员" in {r[3] for r in rows[1:]}  # the exporting auditor, by role name
    lines = (tmp_path / "audit.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("序号,时间（本机时区）") and len(lines) > len(rows) - 1
    english = (tmp_path / "audit-en.csv").read_text(encoding="utf-8-sig").splitlines()
    assert english[0].startswith("No.,Time (local time zone),User,Role,Event type")
    assert any(",Export,Data resources," in line for line in english)
    assert audit.verify(demo_db).ok  # the exports themselves were audited, chain intact


def test_export_is_refused_to_other_roles(demo_db: Database, tmp_path: Path, accounts_for,  # type: ignore[no-untyped-def]
                                          capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(demo_db)
    viewer = accounts.add("viewer")
    if demo_db.is_postgres:
        code = main(["audit", "export", "--db", accounts.url_for(viewer.username), "--out",
                     str(tmp_path / "x.csv")])
    else:
        mp = pytest.MonkeyPatch()
        mp.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
        try:
            code = main(["audit", "export", "--db", demo_db.url, "--user", viewer.username,
                         "--out", str(tmp_path / "x.csv")])
        finally:
            mp.undo()
    assert code == 3 and not (tmp_path / "x.csv").exists()
    err = capsys.readouterr().err
    assert "（查看者）无权导出审计日志；有此权限的角色：安全管理员、审计管理员。" in err
    assert "audit.export" not in err  # the operation by its name, not its code
    assert ("--db postgresql://" if demo_db.is_postgres else "--user 用户名") in err


def test_an_export_never_turns_a_recorded_value_into_a_formula(db: Database, tmp_path: Path,
                                                                accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Any login puts text of its choice into the trail (an object id, a detail): in the
    exported workbook it is text, and in the CSV it cannot start a formula; the archive keeps
    the value as recorded."""
    from openpyxl import load_workbook as load

    from govdesk.security.audit_read import AuditFilter, export_events

    accounts = accounts_for(db)
    viewer_db, viewer = accounts.login("viewer")
    with viewer_db.session() as s:
        audit.record(s, viewer, EventType.EXPORT, object_type="data_resources",
                     object_id='=HYPERLINK("http://evil.example","x")',
                     detail={"note": "+1+1"})
    auditor_db, auditor = accounts.login("auditor")
    export_events(auditor_db, auditor, AuditFilter(), tmp_path / "a.xlsx")
    export_events(auditor_db, auditor, AuditFilter(), tmp_path / "a.csv")
    book = load(tmp_path / "a.xlsx")
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://evil.example","x")' in {c.value for c in cells}
    text_ = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text_ and ',=HYPERLINK' not in text_ and ',"=HYPERLINK' not in text_
