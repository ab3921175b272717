"""Import of external access logs (issue 15): exchange-platform CSV and JSON lines through a
saved mapping, check-then-import, bad lines reported with number, column and reason, a second
import of the same file adding nothing, provenance of every imported row; on both databases as
a real security administrator (PostgreSQL: a real login, the stamp trigger keeping the log's
user and time only through the import path)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, AccessLogImport, AuditEvent, DataResource
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.monitoring.log_import import import_access_log, list_sources, save_source
from govdesk.progress import Cancelled, Progress

MAPPING = {
    "columns": {"time": "访问时间", "user": "用户", "resource": "资源编码", "action": "操作",
                "result": "结果", "client_host": "IP", "row_count": "行数"},
    "time_format": "%Y-%m-%d %H:%M:%S", "timezone": "Asia/Shanghai",
    "actions": {"查询": "query", "下载": "download"},
}
HEADER = "访问时间,用户,资源编码,操作,结果,IP,行数\n"


@pytest.fixture
def setup(demo_db: Database, accounts_for: Any, tmp_path: Path) -> dict[str, Any]:
    accounts = accounts_for(demo_db)
    db, who = accounts.login("secadmin")
    with demo_db.session() as s:
        code = s.scalar(select(DataResource.code).order_by(DataResource.id).limit(1))
    return {"db": db, "who": who, "code": code, "tmp": tmp_path, "owner": demo_db,
            "accounts": accounts}


def write(tmp: Path, name: str, body: str) -> Path:
    path = tmp / name
    path.write_text(body, encoding="utf-8")
    return path


def good_csv(setup: dict[str, Any], n: int = 5) -> Path:
    lines = [f"2026-11-0{1 + i % 5} 0{i % 10}:15:00,ext_user{i % 3},{setup['code']},查询,成功,"
             f"10.0.0.{i},{i}\n" for i in range(n)]
    lines.append(lines[0])  # the same event twice in the file: two events, not one
    return write(setup["tmp"], "exchange.csv", HEADER + "".join(lines))


def imported_rows(owner: Database) -> list[Any]:
    with owner.session() as s:
        return list(s.execute(select(AccessEvent).where(AccessEvent.source_id.is_not(None))
                              .order_by(AccessEvent.id)).scalars())


def test_csv_import_keeps_the_log_user_and_time_and_a_second_import_adds_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    db, who = setup["db"], setup["who"]
    path = good_csv(setup)
    report = import_access_log(db, who, path, "交换平台", kind="exchange_csv",
                               mapping=json.dumps(MAPPING, ensure_ascii=False))
    assert (report.status, report.lines, report.good, report.bad) == ("imported", 6, 6, 0)
    assert (report.imported, report.duplicates) == (6, 0)
    rows = imported_rows(setup["owner"])
    assert len(rows) == 6
    first = rows[0]
    assert first.username == "ext_user0" and first.role_code is None
    ts = first.ts if first.ts.tzinfo else first.ts.replace(tzinfo=dt.timezone.utc)  # SQLite: UTC
    assert ts == dt.datetime(2026, 10, 31, 16, 15, tzinfo=dt.timezone.utc)  # 00:15 at +08
    assert first.imported_by == who.username and first.import_id == report.import_id
    assert first.client_host == "10.0.0.0" and first.action == "query"
    again = import_access_log(db, who, path, "交换平台")
    assert (again.status, again.imported, again.duplicates) == ("imported", 0, 6)
    assert len(imported_rows(setup["owner"])) == 6
    with setup["owner"].session() as s:
        record = s.get(AccessLogImport, again.import_id)
        assert record is not None and (record.imported, record.duplicates) == (0, 6)
        assert record.file_sha256 == report.sha256 and record.imported_by == who.username
        audits = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.event_type == "access_log_import")).all()
    assert len(audits) == 2 and json.loads(audits[-1])["duplicates"] == 6


def test_bad_lines_are_reported_and_nothing_is_imported_unless_accepted(setup) -> None:  # type: ignore[no-untyped-def]
    db, who = setup["db"], setup["who"]
    body = HEADER + (f"2026-11-01 08:00:00,u1,{setup['code']},查询,成功,10.0.0.1,1\n"
                     f"2026-13-01 08:00:00,u2,{setup['code']},查询,成功,10.0.0.1,1\n"
                     f"2026-11-01 08:00:00,u3,NO-SUCH,查询,成功,10.0.0.1,1\n"
                     f"2026-11-01 08:00:00,u4,{setup['code']},删除,成功,10.0.0.1,1\n"
                     f"2026-11-01 08:00:00,u5,{setup['code']},查询,成功,10.0.0.1,x\n"
                     f"2026-11-01 08:00:00,u6\n")
    path = write(setup["tmp"], "bad.csv", body)
    mapping = json.dumps(MAPPING, ensure_ascii=False)
    report = import_access_log(db, who, path, "交换平台", kind="exchange_csv", mapping=mapping)
    assert report.status == "refused" and report.bad == 5 and report.good == 1
    found = {(p.line, p.code) for p in report.problems}
    assert found == {(3, "log_time_bad"), (4, "log_resource_unknown"), (5, "log_action_unknown"),
                     (6, "log_count_bad"), (7, "log_columns")}
    texts = [p.text("zh") for p in report.problems]
    assert texts[0].startswith("第 3 行（访问时间）") and "2026-13-01" in texts[0]
    assert report.problems[1].text("en").startswith("line 4 (资源编码)")
    assert imported_rows(setup["owner"]) == []
    with pytest.raises(InputRejected):  # the refused file's new source was not kept
        import_access_log(db, who, path, "交换平台", check=True)
    checked = import_access_log(db, who, path, "交换平台", kind="exchange_csv", mapping=mapping,
                                check=True)
    assert checked.status == "checked" and imported_rows(setup["owner"]) == []
    partial = import_access_log(db, who, path, "交换平台", kind="exchange_csv", mapping=mapping,
                                accept_problems=True)
    assert (partial.status, partial.imported, partial.bad) == ("imported", 1, 5)
    with setup["owner"].session() as s:
        record = s.get(AccessLogImport, partial.import_id)
        assert record is not None
        skipped = json.loads(record.problems)
    assert skipped["bad"]["log_time_bad"] == 1 and skipped["first_lines"]["log_columns"] == [7]


def test_jsonl_import_and_saved_mapping(setup) -> None:  # type: ignore[no-untyped-def]
    db, who = setup["db"], setup["who"]
    mapping = {"columns": {"time": "ts", "user": "user", "action": "op", "resource": "res",
                           "result": "ok"}, "timezone": "UTC"}
    save_source(db, who, "接口日志", "exchange_jsonl", json.dumps(mapping))
    assert [s.name for s in list_sources(db, who)] == ["接口日志"]
    lines = [json.dumps({"ts": "2026-11-02T03:04:05Z", "user": "api1", "op": "api",
                         "res": setup["code"], "ok": "true"}),
             "", "not json", json.dumps([1])]
    path = write(setup["tmp"], "api.jsonl", "\n".join(lines) + "\n")
    report = import_access_log(db, who, path, "接口日志", accept_problems=True)
    assert (report.imported, report.bad) == (1, 2)
    assert {(p.line, p.code) for p in report.problems} == {(3, "log_json_bad"),
                                                           (4, "log_json_not_object")}
    row = imported_rows(setup["owner"])[0]
    assert (row.username, row.action, row.ts.minute) == ("api1", "api", 4)


def test_mapping_errors_name_what_is_wrong(setup) -> None:  # type: ignore[no-untyped-def]
    db, who = setup["db"], setup["who"]
    path = good_csv(setup)
    with pytest.raises(InputRejected) as missing:
        import_access_log(db, who, path, "x", kind="exchange_csv",
                          mapping=json.dumps({"columns": {"time": "t", "user": "u"}}))
    assert missing.value.code == "mapping_required"
    wrong = dict(MAPPING, columns={**MAPPING["columns"], "user": "账号"})
    with pytest.raises(InputRejected) as column:
        import_access_log(db, who, path, "x", kind="exchange_csv",
                          mapping=json.dumps(wrong, ensure_ascii=False))
    assert column.value.code == "mapping_column_missing" and "账号" in column.value.text("zh")
    with pytest.raises(InputRejected) as kind:
        import_access_log(db, who, path, "x", kind="csv")
    assert kind.value.code == "log_kind_unknown"


def test_only_security_administrators_import(setup) -> None:  # type: ignore[no-untyped-def]
    path = good_csv(setup)
    for role in ("data_admin", "auditor", "sysadmin", "viewer"):
        db, who = setup["accounts"].login(role)
        with pytest.raises(PermissionDenied):
            import_access_log(db, who, path, "交换平台", kind="exchange_csv",
                              mapping=json.dumps(MAPPING, ensure_ascii=False))
    assert imported_rows(setup["owner"]) == []


def test_cancel_writes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    class Stop(Progress):
        def show(self, fraction: float, message: str) -> None:
            if fraction >= 0.6:
                self.cancel()

    with pytest.raises(Cancelled):
        import_access_log(setup["db"], setup["who"], good_csv(setup), "交换平台",
                          kind="exchange_csv", mapping=json.dumps(MAPPING, ensure_ascii=False),
                          progress=Stop())
    assert imported_rows(setup["owner"]) == []
    with setup["owner"].session() as s:
        assert s.scalar(text("SELECT count(*) FROM access_log_imports")) == 0


def test_rows_are_staged_in_batches_as_they_are_read(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from govdesk.monitoring import log_parse

    monkeypatch.setattr(log_parse, "SINK_BATCH", 2)  # six lines: three batches
    report = import_access_log(setup["db"], setup["who"], good_csv(setup), "交换平台",
                               kind="exchange_csv", mapping=json.dumps(MAPPING, ensure_ascii=False))
    assert (report.good, report.imported) == (6, 6)
    assert len({r.line_hash for r in imported_rows(setup["owner"])}) == 6
    again = import_access_log(setup["db"], setup["who"], good_csv(setup), "交换平台")
    assert (again.imported, again.duplicates) == (0, 6)
