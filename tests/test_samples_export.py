"""Masking and export rules follow the active scheme's grades, in the view and in an export."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import msoffcrypto
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from govdesk.catalog.profiling.samples import export_samples, sample_rows
from govdesk.catalog.classification.schemes import active_scheme, apply_scheme
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataItem, DataResource, Grade, ResourceSample
from govdesk.errors import InputRejected, PermissionDenied


def _people(db: Database) -> int:
    """A demo resource with sample rows and a 姓名 column graded general3, its ID column
    general4 and its other items ungraded under a general2 resource."""
    with db.session() as s:
        rid = s.scalar(select(ResourceSample.resource_id).join(
            DataItem, DataItem.resource_id == ResourceSample.resource_id)
            .where(DataItem.name == "姓名").limit(1))
        g = {code: gid for code, gid in s.execute(select(Grade.code, Grade.id))}
        s.execute(update(DataItem).where(DataItem.resource_id == rid).values(grade_id=None))
        s.execute(update(DataItem).where(DataItem.resource_id == rid, DataItem.name == "姓名")
                  .values(grade_id=g["general3"]))
        s.execute(update(DataResource).where(DataResource.id == rid)
                  .values(grade_id=g["general2"]))
    return rid


def _read(path: Path, password: str | None = None) -> list[list[object]]:
    data = path.read_bytes()
    if password is not None:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
        data = out.getvalue()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def test_view_and_export_mask_by_grade(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rid = _people(demo_db)
    accounts = accounts_for(demo_db)
    db, admin = accounts.login("data_admin")
    view = sample_rows(db, admin, rid)
    assert view.masked == {"姓名"}  # general3 masks; general2 (the resource's) does not
    name_col = view.columns.index("姓名")
    assert all("*" in str(r[name_col]) for r in view.rows)
    out = export_samples(db, admin, rid, tmp_path / "s.xlsx")
    assert not out.encrypted and out.masked_columns == ("姓名",)
    rows = _read(tmp_path / "s.xlsx")
    assert rows[0][name_col] == "姓名" and all("*" in str(r[name_col]) for r in rows[1:])
    assert len(rows) - 1 == out.rows
    # the security administrator relaxes general3: the same column is shown and exported plain
    officer_db, officer = accounts.login("secadmin")
    spec = active_scheme(officer_db, officer)
    g3 = spec.grade("general3")
    assert g3 is not None
    relaxed = dataclasses.replace(g3, rules=dataclasses.replace(g3.rules, masking_required=False))
    apply_scheme(officer_db, officer, dataclasses.replace(
        spec, grades=tuple(relaxed if g.code == "general3" else g for g in spec.grades)),
        confirm_loosening=True)
    assert sample_rows(db, admin, rid).masked == frozenset()
    export_samples(db, admin, rid, tmp_path / "plain.xlsx")
    assert not any("*" in str(r[name_col]) for r in _read(tmp_path / "plain.xlsx")[1:])
    with demo_db.session() as s:
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.event_type == "export",
                                                    AuditEvent.object_type == "resource_samples"))
        # personal data shown in clear by grade is recorded, on both databases the same way
        shown = [json.loads(d or "{}") for d in s.scalars(
            select(AuditEvent.detail).where(AuditEvent.event_type == "unmask",
                                            AuditEvent.username == admin.username)
            .order_by(AuditEvent.id))]
    others = ["公民身份号码", "居住地址", "户籍地址", "残疾人证号", "联系电话"]  # ungraded: general2
    relaxed_too = sorted([*others, "姓名"])
    assert [(d["purpose"], d["requested"], d["plain_columns"]) for d in shown] == [
        ("view", False, others), ("export", False, others),
        ("view", False, relaxed_too), ("export", False, relaxed_too)]


def test_export_rules_forbid_or_encrypt(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rid = _people(demo_db)
    db, admin = accounts_for(demo_db).login("data_admin")
    with demo_db.session() as s:
        g4 = s.scalar(select(Grade.id).where(Grade.code == "general4"))
        s.execute(update(DataItem).where(DataItem.resource_id == rid,
                                         DataItem.name == "公民身份号码").values(grade_id=g4))
    with pytest.raises(InputRejected, match="encrypted"):
        export_samples(db, admin, rid, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    out = export_samples(db, admin, rid, tmp_path / "x.xlsx", password="Mi-ma-2026")
    assert out.encrypted and not (tmp_path / "x.xlsx.part").exists()
    with pytest.raises(Exception):  # noqa: B017 - not readable without the password
        _read(tmp_path / "x.xlsx")
    rows = _read(tmp_path / "x.xlsx", "Mi-ma-2026")
    id_col = rows[0].index("公民身份号码")
    assert all("*" in str(r[id_col]) for r in rows[1:])
    with demo_db.session() as s:
        core = s.scalar(select(Grade.id).where(Grade.code == "core"))
        s.execute(update(DataResource).where(DataResource.id == rid).values(grade_id=core))
    with pytest.raises(PermissionDenied, match="核心数据"):
        export_samples(db, admin, rid, tmp_path / "y.xlsx", password="x")
    assert not (tmp_path / "y.xlsx").exists()


def test_masking_follows_the_grade_not_the_value(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """A column graded for masking hides every value it holds: an 18-digit number with a wrong
    check digit, the same number stored as a JSON number, a value in a column with no standard
    code; on both databases (PostgreSQL masks in govdesk_samples, migration 0024)."""
    with demo_db.session() as s:
        rid = s.scalar(select(ResourceSample.resource_id).join(
            DataItem, DataItem.resource_id == ResourceSample.resource_id)
            .where(DataItem.name == "公民身份号码").limit(1))
        g4 = s.scalar(select(Grade.id).where(Grade.code == "general4"))
        s.execute(update(DataItem).where(DataItem.resource_id == rid,
                                         DataItem.name == "公民身份号码").values(grade_id=g4))
        s.execute(update(DataItem).where(DataItem.resource_id == rid, DataItem.name == "姓名")
                  .values(grade_id=g4, standard_code=None))
        bad = "110105194912310021"  # the check digit should be X
        for row_no, value in ((1, bad), (2, int(bad)), (3, f" {bad} ")):
            s.execute(update(ResourceSample).where(ResourceSample.resource_id == rid,
                                                   ResourceSample.row_no == row_no).values(
                data=json.dumps({"公民身份号码": value, "姓名": int(bad)})))
    db, admin = accounts_for(demo_db).login("data_admin")
    view = sample_rows(db, admin, rid, limit=3)
    ids = [r[view.columns.index("公民身份号码")] for r in view.rows]
    names = [r[view.columns.index("姓名")] for r in view.rows]
    assert ids == ["110105********0021", "****", "110105********0021"]
    assert names == ["****"] * 3
    assert {"公民身份号码", "姓名"} <= view.masked
    assert "194912" not in json.dumps(view.rows)
