"""Changing many existing resources in one unit of work (an import of thousands of rows): the
same rows :func:`govdesk.catalog.editing.resources.write_resource` writes, in batched statements instead
of one ORM flush per resource (10,000 resources: minutes became seconds, bench
``catalog_import_update``).

Per batch of :data:`BATCH` resources, in resource-id order:

1. the resources, by one ``UPDATE ... FROM (VALUES ...)`` (executemany on SQLite) that matches
   each row by id **and the version the caller read**, and sets ``version`` to that plus one.
   A resource someone else saved meanwhile matches nothing: the whole unit of work fails with
   :class:`~govdesk.errors.ConflictError` naming it, and nothing is written (optimistic
   versioning, as for a single save);
2. the data items, kept by name as a save keeps them (their ids, so grade suggestions and the
   grade and sample-column rules of migrations 0014 and 0018 see updates, not new items):
   removed ones deleted, changed ones updated (guarded by their own version), new ones
   inserted; items that change place go through negative sequence numbers, as a save does, so
   ``(resource_id, seq)`` stays unique at every row;
3. one ``resource_versions`` row per resource with its new version and the snapshot a save
   would have written;
4. the search documents, replaced.

Everything runs as the caller: on PostgreSQL row-level security, the working rules' triggers
(grade changes, 就高从严 at commit, version rows only for the current version) and the
statement-level audit apply as to single saves; on SQLite one audit event covers the batch,
as for :func:`~govdesk.catalog.editing.resources.insert_many`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from govdesk.catalog.editing.resources import (
    BASELINE_NOTE,
    Lookups,
    ResourceDraft,
    SaveResult,
    draft_of,
    resource_columns,
    stored_draft,
)
from govdesk.catalog.search.index import document
from govdesk.db.base import utcnow
from govdesk.db.bulk import delete_rows, insert_rows, update_rows
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, ResourceSearch, ResourceVersion
from govdesk.errors import ConflictError, DuplicateKey
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity

#: resources per batch of statements
BATCH = 1000
_IN = 500  #: ids per IN list when reading

RESOURCES = cast(Table, DataResource.__table__)
ITEMS = cast(Table, DataItem.__table__)


@dataclass(frozen=True)
class Current:
    """A stored resource as the bulk update needs it: its row (``grade_id``, ``version``,
    ``region_code`` ...), its data items in sequence order and its draft."""

    row: Any
    items: tuple[Any, ...]
    draft: ResourceDraft

    @property
    def id(self) -> int:
        return int(self.row.id)

    @property
    def code(self) -> str:
        return str(self.row.code)

    @property
    def version(self) -> int:
        return int(self.row.version)

    @property
    def region_code(self) -> str:
        return str(self.row.region_code)

    # what editing.lowered_grades reads
    @property
    def name(self) -> str:
        return str(self.row.name)

    @property
    def grade_id(self) -> int | None:
        return cast(int | None, self.row.grade_id)


def _chunks(values: list[int], size: int = _IN) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def load_current(s: Session, lookups: Lookups, ids: Iterable[int]) -> dict[int, Current]:
    """The current state of the resources ``ids`` (those the caller can see), read in a few
    statements rather than a few per resource."""
    wanted = sorted(set(ids))
    categories = {cid: code for code, cid in lookups.categories.items()}
    grade_codes = {gid: code for code, (gid, _rank) in lookups.grades.items()}
    rows: dict[int, Any] = {}
    items: dict[int, list[Any]] = {}
    for chunk in _chunks(wanted):
        rows.update((r.id, r) for r in s.execute(select(RESOURCES).where(
            RESOURCES.c.id.in_(chunk))))
        for i in s.execute(select(ITEMS).where(ITEMS.c.resource_id.in_(chunk))
                           .order_by(ITEMS.c.resource_id, ITEMS.c.seq)):
            items.setdefault(i.resource_id, []).append(i)
    return {rid: Current(r, tuple(items.get(rid, ())), draft_of(
        r, items.get(rid, ()), categories.get(r.category_id, ""), grade_codes))
        for rid, r in rows.items()}


def update_many(s: Session, db: Database, who: Identity, lookups: Lookups,
                changes: list[tuple[ResourceDraft, Current]], note: str | None,
                progress: Callable[[int, int], None] | None = None) -> list[SaveResult]:
    """Write validated drafts over the resources they were compared with (see the module
    docstring), inside the caller's unit of work. Each draft must already have its grade
    raised (就高从严). Raises ConflictError when a resource (or a data item) is no longer what
    ``changes`` says was read; the caller's transaction then rolls back."""
    grades = lookups.grades
    ordered = sorted(((stored_draft(d, grades), cur) for d, cur in changes),
                     key=lambda pair: pair[1].id)
    results: list[SaveResult] = []
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start:start + BATCH]
        now = utcnow()
        _keep_baselines(s, who, batch, now)
        _update_resources(s, lookups, batch, now)
        _update_items(s, grades, batch, now)
        versions, docs = [], []
        for d, cur in batch:
            d_code = d.code or cur.code
            snapshot = dataclasses.replace(d, code=d_code).snapshot()
            versions.append({"resource_id": cur.id, "version": cur.version + 1,
                             "saved_by": who.username, "saved_at": now, "note": note,
                             "snapshot": json.dumps(snapshot, ensure_ascii=False)})
            text_, grams = document(d_code, d.name, d.summary, (i.name for i in d.items))
            docs.append({"resource_id": cur.id, "text": text_, "bigrams": grams, "code": d_code})
            results.append(SaveResult(cur.id, d_code, cur.version + 1))
        try:
            insert_rows(s, cast(Table, ResourceVersion.__table__), versions)
        except DuplicateKey:  # the same race, one step later (see _keep_baselines)
            raise _stale([cur.code for _d, cur in batch]) from None
        ids = [cur.id for _d, cur in batch]
        s.execute(delete(ResourceSearch).where(ResourceSearch.resource_id.in_(ids)))
        insert_rows(s, cast(Table, ResourceSearch.__table__), docs)
        if progress:
            progress(start + len(batch), len(ordered))
    if not db.is_postgres and ordered:
        audit.record(s, who, EventType.DATA_CHANGE, object_type="data_resources",
                     object_id=f"{len(ordered)} resources",
                     detail={"op": "UPDATE", "rows": len(ordered), "note": note,
                             "codes": [r.code for r in results[:200]]})
    return results


def _keep_baselines(s: Session, who: Identity, batch: list[tuple[ResourceDraft, Current]],
                    now: Any) -> None:
    """What :func:`~govdesk.catalog.editing.resources.keep_baseline` does for one save: a
    resource whose current version has no snapshot (the demo's, or one written before versions
    were kept) gets its state before this change kept as that version, so history never loses
    the original. Written before the resources change (PostgreSQL accepts version rows only for
    a resource's current version)."""
    ids = [cur.id for _d, cur in batch]
    # lock the rows first: a concurrent import or save of the same resources is waited for,
    # and what it changed is a conflict here, before anything of this batch is written
    locked = {rid: v for chunk in _chunks(ids) for rid, v in s.execute(
        select(RESOURCES.c.id, RESOURCES.c.version).where(RESOURCES.c.id.in_(chunk))
        .with_for_update())}
    moved = [cur.code for _d, cur in batch if locked.get(cur.id) != cur.version]
    if moved:
        raise _stale(moved)
    kept = {(rid, v) for chunk in _chunks(ids) for rid, v in s.execute(
        select(ResourceVersion.resource_id, ResourceVersion.version)
        .where(ResourceVersion.resource_id.in_(chunk)))}
    rows = [{"resource_id": cur.id, "version": cur.version, "saved_by": who.username,
             "saved_at": now, "note": BASELINE_NOTE,
             "snapshot": json.dumps(dataclasses.replace(cur.draft, code=cur.code).snapshot(),
                                    ensure_ascii=False)}
            for _d, cur in batch if (cur.id, cur.version) not in kept]
    try:
        insert_rows(s, cast(Table, ResourceVersion.__table__), rows)
    except DuplicateKey:
        # SQLite takes no row locks: another import of the same resources kept the same
        # baseline between the check and this write, so they changed after this file's check
        raise _stale([cur.code for _d, cur in batch]) from None


def _update_resources(s: Session, lookups: Lookups, batch: list[tuple[ResourceDraft, Current]],
                      now: Any) -> None:
    rows = [{"id": cur.id, "base_version": cur.version,
             **resource_columns(d, d.code or cur.code, lookups),
             "version": cur.version + 1, "updated_at": now} for d, cur in batch]
    done = update_rows(s, RESOURCES, rows, {"id": "id", "version": "base_version"},
                       hash_join=True)
    if done != len(rows):
        ours = _stamped(s, RESOURCES, [cur.id for _d, cur in batch], now)
        raise _stale([cur.code for _d, cur in batch if cur.id not in ours])


def _update_items(s: Session, grades: dict[str, tuple[int, int]],
                  batch: list[tuple[ResourceDraft, Current]], now: Any) -> None:
    removed: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    owner: dict[int, str] = {}  # item id -> its resource's code, for a conflict's message
    moved: list[int] = []
    for d, cur in batch:
        kept: dict[str, Any] = {}
        for i in cur.items:  # a name stored twice: the last one is kept, as a save keeps it
            if i.name in kept:
                owner[kept[i.name].id] = cur.code
                removed.append({"id": kept[i.name].id, "base_version": kept[i.name].version})
            kept[i.name] = i
        for seq, item in enumerate(d.items, start=1):
            grade = grades[item.grade_code][0] if item.grade_code in grades else None
            old = kept.pop(item.name, None)
            if old is not None and old.seq == seq and (
                    old.data_type, old.length, old.description, old.grade_id,
                    old.is_authoritative, old.standard_code) == (
                    item.data_type, item.length, item.description, grade,
                    item.is_authoritative, item.standard_code):
                continue  # unchanged: not written, its version stays
            values = {"data_type": item.data_type, "length": item.length,
                      "description": item.description, "grade_id": grade,
                      "is_authoritative": item.is_authoritative,
                      "standard_code": item.standard_code}
            if old is None:
                added.append({"resource_id": cur.id, "seq": seq, "name": item.name, **values,
                              "version": 1, "created_at": now, "updated_at": now})
                continue
            owner[old.id] = cur.code
            if old.seq != seq:  # through a negative number: (resource, seq) stays unique
                moved.append(cur.id)
            changed.append({"id": old.id, "base_version": old.version,
                            "seq": seq if old.seq == seq else -seq, **values,
                            "version": old.version + 1, "updated_at": now})
        for gone in kept.values():
            owner[gone.id] = cur.code
            removed.append({"id": gone.id, "base_version": gone.version})
    match = {"id": "id", "version": "base_version"}
    if removed and delete_rows(s, ITEMS, removed, match) != len(removed):
        left = {i for chunk in _chunks([r["id"] for r in removed]) for i in s.scalars(
            select(ITEMS.c.id).where(ITEMS.c.id.in_(chunk)))}
        raise _stale(sorted({owner[i] for i in left}))
    if changed and update_rows(s, ITEMS, changed, match) != len(changed):
        ours = _stamped(s, ITEMS, [r["id"] for r in changed], now)
        raise _stale(sorted({owner[r["id"]] for r in changed if r["id"] not in ours}))
    insert_rows(s, ITEMS, added)
    for chunk in _chunks(sorted(set(moved))):
        s.execute(update(ITEMS).where(ITEMS.c.resource_id.in_(chunk), ITEMS.c.seq < 0)
                  .values(seq=-ITEMS.c.seq))


def _stamped(s: Session, table: Table, ids: list[int], now: Any) -> set[int]:
    """Those of ``ids`` this batch updated (stamped with its time)."""
    return {i for chunk in _chunks(ids) for i in s.scalars(
        select(table.c.id).where(table.c.id.in_(chunk), table.c.updated_at == now))}


def _stale(codes: list[str]) -> ConflictError:
    if not codes:
        return ConflictError("some_changed_since_check")
    shown = ", ".join(codes[:10]) + (f" … ({len(codes)})" if len(codes) > 10 else "")
    return ConflictError("resources_changed_since_check", codes=shown)
