"""Bulk inserts (COPY on PostgreSQL, driver executemany on SQLite) write exactly what a Core
INSERT would: escapes, empty strings against NULL, booleans, time stamps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from govdesk.db.base import utcnow
from govdesk.db.bulk import insert_rows
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource


def test_values_arrive_as_written(demo_db: Database) -> None:
    now = utcnow()
    tricky = ["tab\there", "line\nbreak\r\n", "back\\slash \\N", "", "普通 文本：全角", None]
    with demo_db.session() as s:
        rid = s.scalar(select(DataResource.id).order_by(DataResource.id).limit(1))
        insert_rows(s, DataItem.__table__, [
            {"resource_id": rid, "seq": 900 + n, "name": f"批量{n}", "data_type": "C",
             "length": None, "description": text, "grade_id": None,
             "is_authoritative": n % 2 == 0, "standard_code": None, "version": 1,
             "created_at": now, "updated_at": now} for n, text in enumerate(tricky)])
    with demo_db.session() as s:
        got = s.execute(select(DataItem.description, DataItem.is_authoritative, DataItem.created_at)
                        .where(DataItem.resource_id == rid, DataItem.seq >= 900)
                        .order_by(DataItem.seq)).all()
    assert [g[0] for g in got] == tricky
    assert [g[1] for g in got] == [n % 2 == 0 for n in range(len(tricky))]
    stamp = got[0][2]
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
    assert abs((stamp - now).total_seconds()) < 1


def test_search_documents_are_indexed_in_one_batch(demo_db: Database) -> None:
    """Rows for a table with triggers (SQLite's FTS5 search tables) go through a staging table
    and one INSERT ... SELECT: the triggers still index every document, the staging table is
    gone afterwards, and a rollback leaves neither rows nor index entries behind."""
    from govdesk.catalog.search.browse import ResourceFilter, count_resources
    from govdesk.catalog.search.index import document
    from govdesk.db.models import ResourceSearch
    from govdesk.security.identity import Identity
    from govdesk.security.roles import Role

    who = Identity("tester", Role.SECADMIN, host="test")
    with demo_db.session() as s:
        ids = list(s.scalars(select(DataResource.id).order_by(DataResource.id).limit(3)))
        s.execute(ResourceSearch.__table__.delete().where(ResourceSearch.resource_id.in_(ids)))
        docs = []
        for n, rid in enumerate(ids):
            text, grams = document(f"X/{n}", f"批量检索样本{n} 甲乙", "摘要", ["数据项"])
            docs.append({"resource_id": rid, "text": text, "bigrams": grams, "code": f"X/{n}"})
        insert_rows(s, ResourceSearch.__table__, docs)
    assert count_resources(demo_db, who, ResourceFilter(text="批量检索样本")) == 3
    assert count_resources(demo_db, who, ResourceFilter(text="甲乙")) == 3
    if not demo_db.is_postgres:
        with demo_db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM sqlite_temp_master WHERE name LIKE "
                                     "'govdesk_stage_%'").scalar_one() == 0

    class Abort(Exception):
        pass

    try:
        with demo_db.session() as s:
            s.execute(ResourceSearch.__table__.delete().where(ResourceSearch.resource_id == ids[0]))
            text, grams = document("Y/0", "回滚样本丙丁", "", [])
            insert_rows(s, ResourceSearch.__table__,
                        [{"resource_id": ids[0], "text": text, "bigrams": grams, "code": "Y/0"}])
            raise Abort
    except Abort:
        pass
    assert count_resources(demo_db, who, ResourceFilter(text="回滚样本")) == 0
    assert count_resources(demo_db, who, ResourceFilter(text="丙丁")) == 0
    assert count_resources(demo_db, who, ResourceFilter(text="批量检索样本")) == 3
