"""Versions of a resource: its state as a draft and as a snapshot, the baseline kept before
the first change, a version written after each change, the edit conflict built from them, and
field-level differences between two snapshots."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.editing.draft import (
    ITEM_FIELDS,
    RESOURCE_FIELDS,
    EditConflict,
    ItemDraft,
    ResourceDraft,
)
from govdesk.catalog.editing.validation import _active_grades
from govdesk.db.base import utcnow
from govdesk.db.models import Category, DataResource, ResourceVersion
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity

def snapshot_of(session: Session, r: DataResource) -> dict[str, Any]:
    """The current state of ``r`` in the draft's snapshot shape."""
    grade_codes = {gid: code for code, (gid, _rank) in _active_grades(session).items()}
    cat = session.get(Category, r.category_id)
    return draft_of(r, r.items, cat.code if cat else "", grade_codes).snapshot()


def draft_of(r: Any, items: Iterable[Any], category_code: str,
             grade_codes: dict[int, str]) -> ResourceDraft:
    """The draft a stored resource ``r`` and its ``items`` (ORM objects or rows with the same
    attributes, items in sequence order) amount to: what :func:`snapshot_of` gives, and what
    the bulk update compares a file's rows with."""
    return ResourceDraft(
        name=r.name, category_code=category_code, provider_org_id=r.provider_org_id,
        region_code=r.region_code, format=r.format, sharing_type=r.sharing_type,
        open_type=r.open_type, update_cycle=r.update_cycle, summary=r.summary, code=r.code,
        sharing_condition=r.sharing_condition, sharing_basis=r.sharing_basis,
        sharing_method=r.sharing_method, open_condition=r.open_condition,
        publish_date=r.publish_date,
        related_codes=tuple(c for c in (r.related_codes or "").split(";") if c),
        grade_code=grade_codes.get(r.grade_id) if r.grade_id else None,
        items=tuple(ItemDraft(i.name, i.data_type, i.length, i.description,
                              grade_codes.get(i.grade_id) if i.grade_id else None,
                              i.is_authoritative, i.standard_code) for i in items),
    )


def stored_draft(d: ResourceDraft, grades: dict[str, tuple[int, int]]) -> ResourceDraft:
    """``d`` as a save stores it (names trimmed, grades outside the active scheme and lengths
    that are not whole numbers left out): its snapshot is what :func:`snapshot_of` reads back
    after the save."""
    def known(code: str | None) -> str | None:
        return code if code in grades else None

    def item(i: ItemDraft) -> ItemDraft:
        if (i.name.strip() == i.name and (i.grade_code is None or i.grade_code in grades)
                and (i.length is None or i.length.__class__ is int)):
            return i  # as stored already (an import's items, nearly always)
        return dataclasses.replace(i, name=i.name.strip(), grade_code=known(i.grade_code),
                                   length=i.length if isinstance(i.length, int) else None)

    return dataclasses.replace(d, name=d.name.strip(), grade_code=known(d.grade_code),
                               items=tuple(item(i) for i in d.items))


def _has_version(session: Session, resource_id: int, version: int) -> bool:
    return session.scalar(select(ResourceVersion.id).where(
        ResourceVersion.resource_id == resource_id, ResourceVersion.version == version)
        .limit(1)) is not None


def keep_baseline(session: Session, who: Identity, r: DataResource) -> None:
    """Before the first change GovDesk makes to ``r``: when its current version has no snapshot
    (a resource loaded by the demo, or written before versions were kept), keep its state as
    that version, so the original can always be compared and restored. Call before changing
    anything of ``r``. The row names ``who`` as its writer (PostgreSQL's policy on
    resource_versions accepts only the session's own name) and carries :data:`BASELINE_NOTE`."""
    if r.id is None or _has_version(session, r.id, r.version):
        return
    session.add(ResourceVersion(resource_id=r.id, version=r.version,
                                snapshot=json.dumps(snapshot_of(session, r), ensure_ascii=False),
                                saved_by=who.username, saved_at=r.updated_at or utcnow(),
                                note=BASELINE_NOTE))
    session.flush()


#: the note of a version kept by :func:`keep_baseline`
BASELINE_NOTE = "起始版本"


def write_version(session: Session, who: Identity, r: DataResource, note: str | None) -> None:
    """Keep ``r``'s state after a change as a new version: the resource row is updated (its
    version counted up) even when only its data items changed, and the snapshot is stored as
    that version. Every path that changes a resource (save, import, re-grade, accepted
    suggestion) ends with this call, after :func:`keep_baseline` before the change."""
    session.flush()
    if _has_version(session, r.id, r.version):  # only items changed: count the version up
        r.updated_at = utcnow()
        session.flush()
    session.add(ResourceVersion(resource_id=r.id, version=r.version,
                                snapshot=json.dumps(snapshot_of(session, r), ensure_ascii=False),
                                saved_by=who.username, saved_at=utcnow(), note=note))


def _conflict(s: Session, r: DataResource, base_version: int, draft: ResourceDraft) -> EditConflict:
    base = s.scalar(select(ResourceVersion.snapshot).where(
        ResourceVersion.resource_id == r.id, ResourceVersion.version == base_version))
    last = s.scalars(select(ResourceVersion).where(ResourceVersion.resource_id == r.id)
                     .order_by(ResourceVersion.version.desc()).limit(1)).first()
    return EditConflict(json.loads(base) if base else None, snapshot_of(s, r), draft.snapshot(),
                        r.version, last.saved_by if last else "?")


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_by: str
    saved_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class FieldChange:
    """One difference between two versions; ``item`` names the data item for item fields."""

    field: str
    old: object
    new: object
    item: str | None = None


def _snapshot(s: Session, resource_id: int, version: int) -> dict[str, Any]:
    text = s.scalar(select(ResourceVersion.snapshot).where(
        ResourceVersion.resource_id == resource_id, ResourceVersion.version == version))
    if text is None:
        raise InputRejected("version_missing", resource=resource_id, version=version)
    snapshot: dict[str, Any] = json.loads(text)
    return snapshot


def diff_snapshots(a: dict[str, Any], b: dict[str, Any]) -> list[FieldChange]:
    """Field-level differences from ``a`` to ``b`` (items matched by name)."""
    changes = [FieldChange(k, a.get(k), b.get(k)) for k in RESOURCE_FIELDS if a.get(k) != b.get(k)]
    items_a = {i["name"]: i for i in a.get("items", [])}
    items_b = {i["name"]: i for i in b.get("items", [])}
    for name in items_a.keys() - items_b.keys():
        changes.append(FieldChange("item", name, None, name))
    for name in items_b.keys() - items_a.keys():
        changes.append(FieldChange("item", None, name, name))
    for name in items_a.keys() & items_b.keys():
        changes += [FieldChange(k, items_a[name].get(k), items_b[name].get(k), name)
                    for k in ITEM_FIELDS if items_a[name].get(k) != items_b[name].get(k)]
    order_a = [i["name"] for i in a.get("items", [])]
    order_b = [i["name"] for i in b.get("items", [])]
    if [n for n in order_a if n in items_b] != [n for n in order_b if n in items_a]:
        changes.append(FieldChange("item_order", order_a, order_b))
    return changes
