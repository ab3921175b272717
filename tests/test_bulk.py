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
