"""``govdesk classify …`` and ``govdesk grades …`` on both databases: JSON shapes, exit codes,
the review queue from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govdesk.cli import main
from govdesk.config import resources_dir
from govdesk.db.engine import Database
from govdesk.demo.profile_sample import TRUTH, write_sample_csv

ZHEJIANG = str(resources_dir() / "schemes" / "zhejiang-db33-2350.yaml")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _as(db: Database, accounts, role: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """CLI options that act as a new user of ``role``."""
    who = accounts.add(role)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_suggest_json_has_every_column(demo_db: Database, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    sample = write_sample_csv(tmp_path / "people.csv", 600)
    code, out = run_json(capsys, "classify", "suggest", str(sample), "--db", demo_db.url)
    assert code == 0
    cols = {c["name"]: c for c in out["columns"]}
    assert {n: c["detector"] for n, c in cols.items()} == TRUTH
    assert cols["公民身份号码"]["suggested_grade"] == "general4"
    assert cols["order_no"]["suggested_grade"] is None and cols["order_no"]["confidence"] == 0
    assert all(set(c) >= {"name", "detector", "confidence", "suggested_grade"}
               for c in out["columns"])
    assert all("*" in e for e in cols["联系电话"]["examples"])  # masked by grade


def test_suggest_bad_file_exits_1(demo_db: Database, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"no zip here")
    code, out = run_json(capsys, "classify", "suggest", str(bad), "--db", demo_db.url)
    assert code == 1 and "x.xlsx" in out["error"]


def test_grades_apply_dry_run_then_apply(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = accounts_for(demo_db)
    officer = _as(demo_db, accounts, "secadmin", monkeypatch)
    code, out = run_json(capsys, "grades", "apply", ZHEJIANG, "--dry-run", *officer)
    assert code == 0 and out["applied"] is False and out["activates"] is True
    assert out["affected_resources"] > 0 and out["sample"]
    dry_run = out
    code, out = run_json(capsys, "grades", "list", *officer)
    assert [s["code"] for s in out["schemes"] if s["active"]] == ["GB/T 43697-2024"]
    code, out = run_json(capsys, "grades", "apply", ZHEJIANG, "--map", "general3", *officer)
    assert code == 2  # usage: OLD=NEW
    assert any(lo["from"] == "core" and lo["rule"] == "export_allowed"
               for lo in dry_run["loosenings"])  # the dry run lists what loosens
    code, out = run_json(capsys, "grades", "apply", ZHEJIANG, *officer)
    assert code == 1 and "核心数据" in out["error"]  # loosens: refused without the option
    code, out = run_json(capsys, "grades", "list", *officer)
    assert [s["code"] for s in out["schemes"] if s["active"]] == ["GB/T 43697-2024"]
    code, out = run_json(capsys, "grades", "apply", ZHEJIANG, "--confirm-loosening", *officer)
    assert code == 0 and out["applied"] is True
    code, out = run_json(capsys, "grades", "list", *officer)
    assert [s["code"] for s in out["schemes"] if s["active"]] == ["DB33/T 2350-2021"]
    viewer = _as(demo_db, accounts, "data_admin", monkeypatch)
    code, out = run_json(capsys, "grades", "apply", ZHEJIANG, "--dry-run", *viewer)
    assert code == 3


def test_queue_and_decide_from_the_command_line(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from govdesk.db.models import DataItem, DataResource

    with demo_db.session() as s:
        code = s.scalar(select(DataResource.code).join(DataItem)
                        .where(DataItem.name == "残疾人证号").order_by(DataResource.code).limit(1))
    accounts = accounts_for(demo_db)
    admin = _as(demo_db, accounts, "data_admin", monkeypatch)
    sample = write_sample_csv(tmp_path / "people.csv", 300)
    rc, out = run_json(capsys, "classify", "suggest", str(sample), "--resource", str(code),
                       "--queue", *admin)
    assert rc == 0 and out["resource"] == code and out["quality"]["score"] > 0
    officer = _as(demo_db, accounts, "secadmin", monkeypatch)
    rc, out = run_json(capsys, "classify", "queue", *officer)
    queued = out["suggestions"]
    assert rc == 0 and len(queued) >= 1  # only columns whose grade differs from the item's
    rc, out = run_json(capsys, "classify", "decide", str(queued[0]["id"]), "reject", *officer)
    assert rc == 0 and out["status"] == "rejected"
    rc, out = run_json(capsys, "classify", "decide", str(queued[0]["id"]), "accept", *officer)
    assert rc == 1 and out["code"] == "suggestion_decided"
    assert out["params"]["status"] == "rejected" and "已由" in out["error"]
    rc, out = run_json(capsys, "classify", "suggest", str(sample), "--queue", *admin)
    assert rc == 2


def test_sample_export_from_the_command_line(demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import msoffcrypto
    from sqlalchemy import select

    from govdesk.db.models import DataResource, Grade, ResourceSample

    with demo_db.session() as s:
        code = s.scalar(select(DataResource.code).join(ResourceSample)
                        .join(Grade, Grade.id == DataResource.grade_id)
                        .where(Grade.export_encryption_required.is_(True),
                               Grade.export_allowed.is_(True)).limit(1))
    admin = _as(demo_db, accounts_for(demo_db), "data_admin", monkeypatch)
    out = tmp_path / "s.xlsx"
    monkeypatch.setattr("sys.stdin", io.StringIO("Pw-2026\n"))
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(out), *admin)
    assert rc == 0 and data["encrypted"] is True and data["rows"] > 0 and data["masked_columns"]
    with open(out, "rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(tmp_path / "t.xlsx"), *admin)
    assert rc == 1 and data["code"] == "export_needs_encryption" and "加密导出" in data["error"]
    rc, data = run_json(capsys, "catalog", "samples", "999/999999", str(out), *admin)
    assert rc == 1 and "999/999999" in data["error"]


def test_unmasked_sample_export_needs_a_reason(demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import json as _json

    from python_calamine import CalamineWorkbook
    from sqlalchemy import select, update

    from govdesk.db.models import AuditEvent, DataItem, DataResource, Grade

    with demo_db.session() as s:  # resource 1 graded 一般数据3级 throughout: masked, not encrypted
        g3 = s.scalar(select(Grade.id).where(Grade.code == "general3"))
        s.execute(update(DataItem).where(DataItem.resource_id == 1).values(grade_id=g3))
        s.execute(update(DataResource).where(DataResource.id == 1).values(grade_id=g3))
        code = s.scalar(select(DataResource.code).where(DataResource.id == 1))
    admin = _as(demo_db, accounts_for(demo_db), "data_admin", monkeypatch)
    out = tmp_path / "s.xlsx"
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(out), "--unmask", *admin)
    assert rc == 1 and data["code"] == "unmask_reason_required" and not out.exists()
    assert "理由" in data["error"]
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(out), "--reason", "x",
                        *admin)
    assert rc == 2  # a reason without --unmask is a usage error
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(out), *admin)
    assert rc == 0 and data["unmasked"] is False and "公民身份号码" in data["masked_columns"]
    masked = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    rc, data = run_json(capsys, "catalog", "samples", str(code), str(out), "--unmask",
                        "--reason", "核对残疾人证信息", *admin)
    assert rc == 0 and data["unmasked"] is True and data["masked_columns"] == []
    plain = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    col = plain[0].index("公民身份号码")
    assert len(masked) == len(plain) > 1
    for m, p in zip(masked[1:], plain[1:]):
        assert m[col] == p[col][:6] + "********" + p[col][14:]
    with demo_db.session() as s:
        details = [_json.loads(d or "{}") for d in s.scalars(
            select(AuditEvent.detail).where(AuditEvent.event_type == "unmask"))]
    assert [(d["purpose"], d["reason"]) for d in details] == [("export", "核对残疾人证信息")]
