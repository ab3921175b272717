"""Sample rows of a resource, masked by grade unless the user is cleared and asks.

Which items are masked follows the active grade scheme: every item whose grade has
``masking_required`` is masked (not a fixed list of "PII" names); an item without a grade follows
its resource's grade. Exports follow the grades' export rules too (forbidden, or encrypted with
a password). How a value is masked follows
the item's standard data-element code (name, citizen ID, certificate, phone, address, bank card);
anything else is hidden whole. Unmasking is allowed to cleared roles only and is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.browse import scope_clause
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, ResourceSample
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.masking import mask
from govdesk.security.roles import Op

#: standard data-element code -> masking kind
MASK_KIND_BY_STANDARD = {
    "DE0001": "person_name", "DE0013": "person_name", "DE0002": "citizen_id",
    "DE0015": "citizen_id", "DE0003": "disability_cert", "DE0009": "phone", "DE0014": "phone",
    "DE0010": "address", "DE0011": "address", "DE0016": "bank_card",
}


@dataclass(frozen=True)
class SampleTable:
    """Sample rows of one resource: ``columns`` in item order, ``masked`` the masked columns."""

    resource_id: int
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    masked: frozenset[str]
    unmasked: bool


@dataclass(frozen=True)
class _Plan:
    """How one resource's sample columns are handled: masking kinds of the columns that need
    masking, and the grades (effective, per column) whose export rules apply."""

    columns: tuple[str, ...]
    kinds: dict[str, str]
    grades: tuple[Grade, ...]


def _plan(s: Session, who: Identity, resource_id: int) -> _Plan:
    """Each column follows its data item's grade, or the resource's when the item has none
    (就高从严: an ungraded item is treated like its resource, never as harmless)."""
    r = s.scalar(select(DataResource).where(DataResource.id == resource_id, scope_clause(who)))
    if r is None:
        raise InputRejected(f"Resource {resource_id} does not exist or is not yours to see.")
    grades = {g.id: g for g in s.scalars(select(Grade))}
    items = s.execute(select(DataItem.name, DataItem.standard_code, DataItem.grade_id)
                      .where(DataItem.resource_id == resource_id).order_by(DataItem.seq)).all()
    columns = tuple(name for name, _code, _g in items)
    effective = {name: grades.get(gid or r.grade_id or -1) for name, _code, gid in items}
    kinds = {name: MASK_KIND_BY_STANDARD.get(code or "", "other") for name, code, _g in items
             if (g := effective[name]) is not None and g.masking_required}
    used = {g.id: g for g in effective.values() if g is not None}
    if r.grade_id in grades:
        used[r.grade_id] = grades[r.grade_id]
    return _Plan(columns, kinds, tuple(used.values()))


def _rows(s: Session, resource_id: int, plan: _Plan, unmask: bool,
          limit: int | None) -> list[tuple[object, ...]]:
    stmt = select(ResourceSample.data).where(ResourceSample.resource_id == resource_id) \
        .order_by(ResourceSample.row_no)
    rows = []
    for text in s.scalars(stmt.limit(limit) if limit else stmt):
        data = json.loads(text)
        rows.append(tuple(
            data.get(c) if unmask or c not in plan.kinds else mask(plan.kinds[c], data.get(c))
            for c in plan.columns))
    return rows


def sample_rows(db: Database, who: Identity, resource_id: int, *, unmask: bool = False,
                limit: int = 100) -> SampleTable:
    """The first ``limit`` sample rows of a resource visible to ``who``, masked as the active
    scheme's grades require.

    With ``unmask`` the caller must hold ``personal.unmasked`` (PermissionDenied otherwise) and
    the unmasked view is recorded in the audit trail. Raises InputRejected for an unknown or
    out-of-scope resource.
    """
    who.require(Op.SAMPLES_READ)
    if unmask:
        who.require(Op.PERSONAL_DATA_UNMASKED)
    with db.session() as s:
        plan = _plan(s, who, resource_id)
        rows = _rows(s, resource_id, plan, unmask, limit)
        if unmask:
            audit.record(s, who, EventType.UNMASK, object_type="data_resources",
                         object_id=resource_id, detail={"rows": len(rows)})
        return SampleTable(resource_id, plan.columns, tuple(rows), frozenset(plan.kinds), unmask)


def resource_id_for(db: Database, who: Identity, code: str) -> int:
    """The id of the resource with ``code`` that ``who`` may see. Raises InputRejected."""
    with db.session() as s:
        rid = s.scalar(select(DataResource.id).where(DataResource.code == code.strip(),
                                                     scope_clause(who)))
    if rid is None:
        raise InputRejected(f"Resource {code} does not exist or is outside your area.")
    return int(rid)


class EncryptionRequired(InputRejected):
    """The export holds data whose grade requires an encrypted file: ask for a password."""


@dataclass(frozen=True)
class SamplesExport:
    path: str
    rows: int
    masked_columns: tuple[str, ...]
    encrypted: bool


def export_samples(db: Database, who: Identity, resource_id: int, path: Path, *,
                   unmask: bool = False, password: str | None = None) -> SamplesExport:
    """Write a resource's sample rows to an .xlsx file under its grades' export rules: refused
    when a grade forbids export; a password required (the file encrypted with it) when a grade
    requires encrypted exports; columns masked as in :func:`sample_rows`. Audited.

    Raises PermissionDenied (the role, or a grade that forbids export), InputRejected (no
    password where one is required, a bad path)."""
    import xlsxwriter

    who.require(Op.SAMPLES_READ)
    if unmask:
        who.require(Op.PERSONAL_DATA_UNMASKED)
    with db.session() as s:
        plan = _plan(s, who, resource_id)
        forbidden = [g.name for g in plan.grades if not g.export_allowed]
        if forbidden:
            raise PermissionDenied(f"Data graded {'、'.join(forbidden)} may not be exported.")
        encrypt = [g.name for g in plan.grades if g.export_encryption_required]
        if encrypt and not password:
            raise EncryptionRequired(f"Data graded {'、'.join(encrypt)} must be exported "
                                     "encrypted: give a password for the file.")
        rows = _rows(s, resource_id, plan, unmask, None)
        target = Path(path)
        plain = target.with_name(target.name + ".part") if encrypt else target
        try:
            book = xlsxwriter.Workbook(str(plain), {"constant_memory": True,
                                                    "strings_to_numbers": False,
                                                    "strings_to_formulas": False})
            sheet = book.add_worksheet("samples")
            sheet.write_row(0, 0, plan.columns)
            for n, row in enumerate(rows, start=1):
                sheet.write_row(n, 0, [v if isinstance(v, (int, float, str)) or v is None
                                       else str(v) for v in row])
            book.close()
            if encrypt:
                _encrypt(plain, target, password or "")
        except OSError as exc:
            raise InputRejected(f"Cannot write {target}: {exc.strerror or exc}") from exc
        finally:
            if encrypt:
                plain.unlink(missing_ok=True)
        audit.record(s, who, EventType.EXPORT, object_type="resource_samples",
                     object_id=resource_id, detail={
                         "rows": len(rows), "file": target.name, "unmasked": unmask,
                         "encrypted": bool(encrypt), "masked_columns": sorted(plan.kinds)})
        if unmask:
            audit.record(s, who, EventType.UNMASK, object_type="data_resources",
                         object_id=resource_id, detail={"rows": len(rows), "export": target.name})
        return SamplesExport(str(target), len(rows), tuple(sorted(plan.kinds)), bool(encrypt))


def _encrypt(plain: Path, target: Path, password: str) -> None:
    """Encrypt an .xlsx with a password (ECMA-376 agile encryption: Excel, WPS and LibreOffice
    ask for the password when opening it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(target, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
