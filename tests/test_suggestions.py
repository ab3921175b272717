"""Suggestions from a sample file: graded by the active scheme, examples masked by grade,
queued (never applied on their own), accepted or rejected by a security administrator with
就高从严 and an audit record."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from govdesk.catalog.classification.schemes import apply_scheme, read_scheme_file
from govdesk.catalog.classification.suggestions import decide, list_suggestions, queue_suggestions, suggest
from govdesk.config import resources_dir
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataItem, DataResource, Grade, ResourceProfile
from govdesk.demo.profile_sample import TRUTH, sample_rows
from govdesk.errors import InputRejected, PermissionDenied

COLUMNS = ["姓名", "公民身份号码", "联系电话", "残疾类别", "scenario_code"]


def _sample(tmp_path: Path, rows: int = 400) -> Path:
    names = list(TRUTH)
    path = tmp_path / "持证残疾人样例.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for r in sample_rows(rows):
            w.writerow([r[names.index(c)] for c in COLUMNS])
    return path


def _people_resource(db: Database) -> tuple[int, str]:
    """A demo resource declaring the sample's columns, its item grades cleared and its own grade
    set to the lowest, so every suggestion is new."""
    with db.session() as s:
        rid, code = s.execute(
            select(DataResource.id, DataResource.code).join(DataItem)
            .where(DataItem.name == "公民身份号码").order_by(DataResource.code).limit(1)).one()
        low = s.scalar(select(Grade.id).where(Grade.code == "general1"))
        s.execute(update(DataItem).where(DataItem.resource_id == rid).values(grade_id=None))
        s.execute(update(DataResource).where(DataResource.id == rid).values(grade_id=low))
    return rid, code


def test_suggest_reads_the_file_through_the_active_scheme(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    db, admin = accounts_for(demo_db).login("data_admin")
    rid, code = _people_resource(demo_db)
    report = suggest(db, admin, _sample(tmp_path), resource_code=code)
    cols = {c.name: c for c in report.columns}
    assert cols["公民身份号码"].detector == "citizen_id"
    assert cols["公民身份号码"].suggested_grade.code == "general4"  # type: ignore[union-attr]
    assert cols["联系电话"].suggested_grade.code == "general3"  # type: ignore[union-attr]
    assert cols["scenario_code"].detector is None and cols["scenario_code"].suggested_grade is None
    assert cols["公民身份号码"].item_id is not None  # matched to the data item by name
    # examples of a grade that requires masking are masked; the decoy column is shown
    assert cols["公民身份号码"].masked and all("*" in e for e in cols["公民身份号码"].examples)
    assert cols["姓名"].masked and all("*" in e for e in cols["姓名"].examples)
    assert not cols["scenario_code"].masked and cols["scenario_code"].examples[0].startswith("SC")
    assert report.identifier_validity == 1.0 and 0 < report.quality_score <= 1  # type: ignore[operator]
    with demo_db.session() as s:  # suggest stores nothing
        assert s.scalar(select(ResourceProfile.id)) is None


def test_masking_follows_the_active_scheme(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                           tmp_path: Path) -> None:
    """Under a scheme whose personal-data grade needs no masking, the same column is shown."""
    accounts = accounts_for(demo_db)
    officer_db, officer = accounts.login("secadmin")
    spec = read_scheme_file(resources_dir() / "schemes" / "zhejiang-db33-2350.yaml")
    relaxed = tuple(g if g.code != "L3" else type(g)(g.code, g.name, g.rank, type(g.rules)(
        **{**g.rules.__dict__, "masking_required": False}), g.description, g.detectors)
        for g in spec.grades)
    apply_scheme(officer_db, officer, type(spec)(spec.code, spec.name, relaxed, spec.source,
                                                 spec.mapping_from, spec.mapping),
                 confirm_loosening=True)
    db, admin = accounts.login("data_admin")
    cols = {c.name: c for c in suggest(db, admin, _sample(tmp_path)).columns}
    assert cols["姓名"].suggested_grade.code == "L3" and not cols["姓名"].masked  # type: ignore[union-attr]
    assert cols["公民身份号码"].suggested_grade.code == "L4" and cols["公民身份号码"].masked  # type: ignore[union-attr]


def test_queue_accept_reject(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    admin_db, admin = accounts.login("data_admin")
    officer_db, officer = accounts.login("secadmin")
    rid, code = _people_resource(demo_db)
    report = queue_suggestions(admin_db, admin, _sample(tmp_path), code)
    assert report.queued == 4  # name, ID, phone, category; not the decoy
    with demo_db.session() as s:  # nothing applied on its own; the profile holds no values
        assert all(g is None for g in s.scalars(select(DataItem.grade_id)
                                                .where(DataItem.resource_id == rid)))
        stored = s.scalar(select(ResourceProfile.columns).where(ResourceProfile.resource_id == rid))
        assert stored and not re.search(r"\d{11}", stored) and '"examples":' not in stored
    from govdesk.catalog.search.browse import get_resource

    detail = get_resource(admin_db, admin, rid)  # the stored score shows with the resource
    assert detail.quality_score == report.quality_score and detail.quality_measured is not None
    queue = {p.column_name: p for p in list_suggestions(officer_db, officer, resource_id=rid)}
    assert set(queue) == {"姓名", "公民身份号码", "联系电话", "残疾类别"}
    with pytest.raises(PermissionDenied):
        decide(admin_db, admin, queue["姓名"].id, accept=True)  # data admins do not decide
    with demo_db.session() as s:
        version_before = s.get(DataResource, rid).version  # type: ignore[union-attr]
    assert decide(officer_db, officer, queue["公民身份号码"].id, accept=True,
                  version=queue["公民身份号码"].version) == "accepted"
    assert decide(officer_db, officer, queue["姓名"].id, accept=False) == "rejected"
    with pytest.raises(InputRejected, match="already accepted"):
        decide(officer_db, officer, queue["公民身份号码"].id, accept=True)
    with demo_db.session() as s:
        item = s.scalar(select(DataItem).where(DataItem.resource_id == rid,
                                               DataItem.name == "公民身份号码"))
        grades = {g.id: g.code for g in s.scalars(select(Grade))}
        assert item is not None and grades[item.grade_id] == "general4"  # type: ignore[index]
        r = s.get(DataResource, rid)
        assert r is not None and grades[r.grade_id] == "general4"  # 就高从严  # type: ignore[index]
        assert r.version > version_before
        name_item = s.scalar(select(DataItem.grade_id).where(DataItem.resource_id == rid,
                                                             DataItem.name == "姓名"))
        assert name_item is None  # rejected: unchanged
        decisions = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.object_type == "grade_suggestions", AuditEvent.event_type == "data_change",
            AuditEvent.username == officer.username)).all()
        assert any('"accept"' in (d or "") for d in decisions)
        assert any('"reject"' in (d or "") for d in decisions)
    assert {p.column_name for p in list_suggestions(officer_db, officer, resource_id=rid)} == {
        "联系电话", "残疾类别"}


def test_unknown_resource_and_bad_file(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, admin = accounts_for(demo_db).login("data_admin")
    with pytest.raises(InputRejected, match="999/999999"):
        suggest(db, admin, _sample(tmp_path), resource_code="999/999999")
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"")
    with pytest.raises(InputRejected, match="empty"):
        suggest(db, admin, bad)


def test_examples_masked_by_grade_even_when_values_fail_validation(  # type: ignore[no-untyped-def]
        demo_db: Database, accounts_for, tmp_path: Path) -> None:
    """18-digit numbers whose check digit is wrong are not detected as IDs, yet a column whose
    data item is graded for masking shows them masked, as IDs; an ungraded item follows its
    resource's grade."""
    db, admin = accounts_for(demo_db).login("data_admin")
    rid, code = _people_resource(demo_db)
    with demo_db.session() as s:
        g4 = s.scalar(select(Grade.id).where(Grade.code == "general4"))
        s.execute(update(DataItem).where(DataItem.resource_id == rid,
                                         DataItem.name == "公民身份号码").values(grade_id=g4))
    names = list(TRUTH)
    path = tmp_path / "altered.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["公民身份号码", "姓名"])
        for r in sample_rows(200):
            w.writerow([r[names.index("altered_id")], r[names.index("scenario_code")]])
    cols = {c.name: c for c in suggest(db, admin, path, resource_code=code).columns}
    ids = cols["公民身份号码"]
    assert ids.detector is None and ids.masked
    assert all(re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", e) for e in ids.examples), ids.examples
    assert not cols["姓名"].masked  # general1 (the resource's) does not mask
    with demo_db.session() as s:
        s.execute(update(DataResource).where(DataResource.id == rid).values(grade_id=g4))
    cols = {c.name: c for c in suggest(db, admin, path, resource_code=code).columns}
    assert cols["姓名"].masked and all(e.endswith("****") for e in cols["姓名"].examples)
