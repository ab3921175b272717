"""Inserting many validated new resources at once (an import): the rows a save writes, in
batched statements."""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from govdesk.catalog.editing.draft import ResourceDraft, SaveResult
from govdesk.catalog.editing.validation import Lookups, _raise_grade
from govdesk.changes import RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, ResourceVersion
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity

def resource_columns(d: ResourceDraft, code: str, lookups: Lookups) -> dict[str, Any]:
    """The ``data_resources`` columns a validated draft sets (its grade already raised), as
    the bulk paths write them: :func:`insert_many` and the batched update."""
    grades = lookups.grades
    return {
        "code": code, "name": d.name.strip(), "category_id": lookups.categories[d.category_code],
        "provider_org_id": d.provider_org_id,
        "provider_code": lookups.organisations.get(d.provider_org_id),
        "region_code": d.region_code, "summary": d.summary, "format": d.format,
        "sharing_type": d.sharing_type, "sharing_condition": d.sharing_condition,
        "sharing_basis": d.sharing_basis, "sharing_method": d.sharing_method,
        "open_type": d.open_type, "open_condition": d.open_condition,
        "update_cycle": d.update_cycle, "publish_date": d.publish_date,
        "related_codes": ";".join(d.related_codes) or None,
        "grade_id": grades[d.grade_code][0] if d.grade_code in grades else None,
    }


def insert_many(s: Session, db: Database, who: Identity, lookups: Lookups,
                drafts: list[ResourceDraft], note: str | None,
                progress: Progress | None = None) -> list[SaveResult]:
    """Insert validated new resources in bulk inside the caller's unit of work: the same rows
    :func:`write_resource` would write (resource, items, version 1, search document), with
    batched INSERTs instead of one ORM flush per resource. One audit event covers the batch on
    SQLite; PostgreSQL's statement triggers audit it there. Reports to ``progress`` after each
    batch; a cancelled ``progress`` raises :class:`Cancelled` (the caller's unit of work then
    rolls back)."""
    progress = progress or Progress()
    from govdesk.catalog.search.index import document
    from govdesk.db.bulk import insert_rows
    from govdesk.db.models import ResourceSearch

    grades = lookups.grades
    now = utcnow()
    results: list[SaveResult] = []
    for start in range(0, len(drafts), 1000):
        batch = [_raise_grade(d, grades)[0] for d in drafts[start:start + 1000]]
        rows = [{**resource_columns(d, d.code, lookups), "status": "draft",
                 "created_by": who.username, "version": 1, "created_at": now,
                 "updated_at": now} for d in batch]
        # Core inserts on the tables (not ORM entities): batched "insertmanyvalues" statements
        # rather than one INSERT per row, which the ORM emits for versioned classes
        table = cast(Table, DataResource.__table__)
        ids: dict[str, int] = {code: rid for code, rid in s.execute(
            table.insert().returning(table.c.code, table.c.id), rows).all()}
        items, versions, docs = [], [], []
        for d in batch:
            rid = ids[d.code]
            for seq, i in enumerate(d.items, start=1):
                items.append({
                    "resource_id": rid, "seq": seq, "name": i.name.strip(),
                    "data_type": i.data_type, "length": i.length, "description": i.description,
                    "grade_id": grades[i.grade_code][0] if i.grade_code in grades else None,
                    "is_authoritative": i.is_authoritative, "standard_code": i.standard_code,
                    "version": 1, "created_at": now, "updated_at": now})
            versions.append({"resource_id": rid, "version": 1, "saved_by": who.username,
                             "saved_at": now, "note": note,
                             "snapshot": json.dumps(d.snapshot(), ensure_ascii=False)})
            text_, grams = document(d.code, d.name.strip(), d.summary, (i.name for i in d.items))
            docs.append({"resource_id": rid, "text": text_, "bigrams": grams, "code": d.code})
            results.append(SaveResult(rid, d.code, 1))
        insert_rows(s, cast(Table, DataItem.__table__), items)
        insert_rows(s, cast(Table, ResourceVersion.__table__), versions)
        insert_rows(s, cast(Table, ResourceSearch.__table__), docs)
        announce.note(s, Changed.of(RESOURCES, ids.values()))
        progress.step(min(start + 1000, len(drafts)), len(drafts))
    if not db.is_postgres and drafts:
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=f"{len(drafts)} resources",
                     detail={"op": "INSERT", "rows": len(drafts), "note": note,
                             "codes": [d.code for d in drafts[:200]]})
    return results
