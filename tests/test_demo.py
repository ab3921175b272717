"""The small demo: one province's federations, ~300 resources, valid identifiers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from govdesk.catalog.profiling.identifiers import is_citizen_id, is_disability_cert
from govdesk.db.engine import Database
from govdesk.db.models import (
    AccessEvent,
    BackupPolicy,
    Category,
    DataItem,
    DataResource,
    Grade,
    Organisation,
    ResourceSample,
    SharingGrant,
)
from govdesk.demo.load import load_demo
from govdesk.errors import InputRejected


def test_small_demo_contents(demo_db: Database) -> None:
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(DataResource)) == 300
        per_resource = s.execute(
            select(func.count()).select_from(DataItem).group_by(DataItem.resource_id)).scalars().all()
        assert len(per_resource) == 300 and min(per_resource) >= 5 and max(per_resource) <= 40
        kinds = {k for (k,) in s.execute(
            select(Category.kind).join(DataResource, DataResource.category_id == Category.id)
            .distinct())}
        assert kinds == {"base", "business", "shared"}
        orgs = s.scalars(select(Organisation)).all()
        assert {o.kind for o in orgs} == {"federation", "education", "civil_affairs", "hrss", "health"}
        feds = {o.region_code for o in orgs if o.kind == "federation"}
        assert "330000000000" in feds and "330100000000" in feds and "330106000000" in feds
        # 60 loaded as rows; on SQLite the demo accounts take 8 more through the workflow
        assert s.scalar(select(func.count()).select_from(SharingGrant)) == (
            60 if demo_db.is_postgres else 68)
        assert s.scalar(select(func.count()).select_from(BackupPolicy)) == 5
        first, last = s.execute(select(func.min(AccessEvent.ts), func.max(AccessEvent.ts))).one()
        assert 28 <= (last - first).days <= 30


def test_resource_grade_is_at_least_its_highest_item(demo_db: Database) -> None:
    with demo_db.session() as s:
        res_rank = {rid: rank for rid, rank in s.execute(
            select(DataResource.id, Grade.rank).join(Grade, DataResource.grade_id == Grade.id))}
        item_max = dict(s.execute(
            select(DataItem.resource_id, func.max(Grade.rank))
            .join(Grade, DataItem.grade_id == Grade.id).group_by(DataItem.resource_id)).all())
    assert res_rank.keys() == item_max.keys()
    assert all(res_rank[r] >= item_max[r] for r in res_rank)


def test_sample_identifiers_are_valid(demo_db: Database) -> None:
    with demo_db.session() as s:
        rows = [json.loads(d) for d in s.scalars(select(ResourceSample.data))]
    ids = [r["公民身份号码"] for r in rows if "公民身份号码" in r]
    certs = [r["残疾人证号"] for r in rows if "残疾人证号" in r]
    assert len(ids) > 1000 and len(certs) > 500
    assert all(is_citizen_id(v) for v in ids)
    assert all(is_disability_cert(v) for v in certs)
    for r in rows:
        if "残疾人证号" in r and "公民身份号码" in r and "残疾类别" in r:
            assert r["残疾人证号"][:18] == r["公民身份号码"]
            assert r["残疾人证号"][18] == r["残疾类别"]


def test_demo_refuses_a_database_with_data(demo_db: Database) -> None:
    with pytest.raises(InputRejected, match="already has catalogue data"):
        load_demo(demo_db, "small")


def test_demo_rejects_unknown_province_and_scale(db: Database) -> None:
    with pytest.raises(InputRejected, match="not a province"):
        load_demo(db, "small", province="330100000000")
    with pytest.raises(InputRejected, match="Unknown scale"):
        load_demo(db, "huge")


def test_demo_is_all_or_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdesk.demo import generate

    original = generate.DemoBuilder.access_events

    def failing_midway(self: generate.DemoBuilder) -> generate.TableData:
        table = original(self)

        def chunks():  # type: ignore[no-untyped-def]
            yield from table.chunks()
            raise RuntimeError("disk full")

        return dataclasses.replace(table, chunks=chunks)

    monkeypatch.setattr(generate.DemoBuilder, "access_events", failing_midway)
    with pytest.raises(RuntimeError, match="disk full"):
        load_demo(db, "small")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0


def test_demo_is_deterministic_for_a_fixed_clock(db: Database) -> None:
    now = dt.datetime(2026, 1, 15, 12, tzinfo=dt.timezone.utc)
    summary = load_demo(db, "small", now=now)
    assert summary.rows["data_resources"] == 300
    with db.session() as s:
        assert s.scalar(select(DataResource.code).where(DataResource.id == 1)) == "101/000001"
