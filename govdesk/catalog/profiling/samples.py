"""Sample rows of a resource, masked by grade unless the user is cleared and asks.

Which items are masked follows the active grade scheme: every item whose grade has
``masking_required`` is masked (not a fixed list of "PII" names); an item without a grade follows
its resource's grade. Exports follow the grades' export rules too (forbidden, or encrypted with
a password). How a value is masked follows
the item's standard data-element code (name, citizen ID, certificate, phone, address, bank card);
anything else is hidden whole. Unmasking is allowed to cleared roles only, needs a reason and is
audited; so is any read that shows a column holding personal data (by its standard code) in
clear because its grade does not require masking.

On PostgreSQL the rows come from the database function ``govdesk_samples`` (migration 0015):
nobody may SELECT ``resource_samples``; the database checks the caller's role and scope, masks,
and writes the audit rows itself. An unmasked read first asks ``govdesk_unmask_request`` for a
ticket in a transaction of its own, which commits the audit row (with the reason) before any
value is read in clear. On SQLite (one local user) this module does the same in Python with
:mod:`govdesk.security.masking`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from govdesk.changes import AUDIT, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, ResourceSample
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.files import output_file
from govdesk.security import audit
from govdesk.security.access_spec import EXPORT, Access, sample_action
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity, scope_prefix
from govdesk.security.kernel import ResourceNotFound, service
from govdesk.security.masking import mask
from govdesk.security.roles import Op
from govdesk.security.reasons import MIN_REASON, is_reason

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
    masking, the columns that hold personal data by their standard code but whose grade does
    not require masking (shown in clear, so audited), and the grades (effective, per column)
    whose export rules apply."""

    columns: tuple[str, ...]
    kinds: dict[str, str]
    personal: frozenset[str]
    grades: tuple[Grade, ...]

    def plain_columns(self, unmask: bool) -> list[str]:
        """The sensitive columns a read shows in clear (the audit's ``plain_columns``)."""
        return sorted(self.personal | (set(self.kinds) if unmask else set()))


def _plan(s: Session, resource_id: int) -> _Plan:
    """Each column follows its data item's grade, or the resource's when the item has none
    (就高从严: an ungraded item is treated like its resource, never as harmless). Of several
    items with one name, a masked one wins (the last such), as in ``govdesk_samples``."""
    r = s.get(DataResource, resource_id)  # in the service's scope (the kernel narrows it)
    if r is None:  # deleted since the kernel looked
        raise ResourceNotFound(resource_id)
    grades = {g.id: g for g in s.scalars(select(Grade))}
    items = s.execute(select(DataItem.name, DataItem.standard_code, DataItem.grade_id)
                      .where(DataItem.resource_id == resource_id).order_by(DataItem.seq)).all()
    columns = tuple(name for name, _code, _g in items)
    kinds: dict[str, str] = {}
    last_kind: dict[str, str] = {}
    used = {r.grade_id: grades[r.grade_id]} if r.grade_id in grades else {}
    for name, code, gid in items:
        g = grades.get(gid or r.grade_id or -1)
        kind = MASK_KIND_BY_STANDARD.get(code or "", "other")
        last_kind[name] = kind
        if g is not None:
            used[g.id] = g
            if g.masking_required:
                kinds[name] = kind
    personal = frozenset(n for n, k in last_kind.items() if n not in kinds and k != "other")
    return _Plan(columns, kinds, personal, tuple(used.values()))


def _rows(s: Session, resource_id: int, plan: _Plan, unmask: bool,
          limit: int | None) -> list[tuple[object, ...]]:
    """SQLite: the rows masked here, in Python."""
    stmt = select(ResourceSample.data).where(ResourceSample.resource_id == resource_id) \
        .order_by(ResourceSample.row_no)
    rows = []
    for raw in s.scalars(stmt.limit(limit) if limit else stmt):
        data = json.loads(raw)
        rows.append(tuple(
            data.get(c) if unmask or c not in plan.kinds else mask(plan.kinds[c], data.get(c))
            for c in plan.columns))
    return rows


def _pg_call(s: Session, sql: str, params: dict[str, object]) -> list[Any]:
    """Run a sample function; its refusals surface as PermissionDenied (the engine maps
    insufficient_privilege) or InputRejected (an unknown resource, a missing reason)."""
    try:
        return list(s.execute(text(sql), params).scalars())
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) in ("P0002", "22023"):
            raise InputRejected("db_refused", reason=str(exc.orig).strip().splitlines()[0]) \
                from exc
        raise


def _unmask_ticket(db: Database, resource_id: int, unmask: bool, reason: str | None,
                   purpose: str) -> int | None:
    """PostgreSQL, unmasked: a ticket from ``govdesk_unmask_request``, in its own committed
    transaction, so the unmask audit row stands whatever happens to the read. Else None."""
    if not (unmask and db.is_postgres):
        return None
    with db.session() as s:
        (ticket,) = _pg_call(s, "SELECT govdesk_unmask_request(:rid, :reason, :purpose)",
                             {"rid": resource_id, "reason": reason, "purpose": purpose})
        announce.note(s, Changed(AUDIT))  # the database wrote the unmask row
    return int(ticket)


def _read(s: Session, who: Identity, resource_id: int, plan: _Plan, unmask: bool,
          reason: str | None, ticket: int | None, limit: int | None,
          purpose: str) -> list[tuple[object, ...]]:
    """The rows for ``purpose`` ("view" or "export") in ``plan``'s column order. PostgreSQL:
    masked by the database, unmasked with ``ticket``; the database audits. SQLite: masked and
    audited here (same event and detail)."""
    if s.get_bind().dialect.name == "postgresql":
        found = _pg_call(s, "SELECT data FROM govdesk_samples(:rid, :ticket, :limit, :purpose)",
                         {"rid": resource_id, "ticket": ticket, "limit": limit,
                          "purpose": purpose})
        announce.note(s, Changed(AUDIT))  # it may have audited a read in clear
        return [tuple(data.get(c) for c in plan.columns) for data in found]
    rows = _rows(s, resource_id, plan, unmask, limit)
    plain = plan.plain_columns(unmask)
    if unmask or (plain and rows):
        audit.record(s, who, EventType.UNMASK, object_type="data_resources",
                     object_id=resource_id, detail={
                         "rows": len(rows), "purpose": purpose, "requested": unmask,
                         "reason": (reason or "").strip()[:500] if unmask else None,
                         "plain_columns": plain})
    return rows


def _require_reason(unmask: bool, reason: str | None) -> None:
    """An unmasked read needs a reason that says something (the permissions are the
    service's declaration): :func:`govdesk.security.reasons.is_reason`, as PostgreSQL's
    ``govdesk_unmask_request`` (migration 0032)."""
    if unmask:
        if not (reason or "").strip():
            raise InputRejected("unmask_reason_required")
        if not is_reason(reason):
            raise InputRejected("unmask_reason_too_short", min=MIN_REASON)


def _require_provider(db: Database, who: Identity, resource_id: int, unmask: bool) -> None:
    """An unmasked read is for the providing side only: a resource of the caller's own region.
    One shared with their organisation by a grant is read masked as its grades require
    (PostgreSQL: ``govdesk_unmask_request``, migration 0033)."""
    if not unmask:
        return
    with db.session() as s:
        r = s.get(DataResource, resource_id)  # in the service's scope (the kernel narrows it)
        if r is not None and not r.region_code.startswith(scope_prefix(who)):
            raise PermissionDenied("unmask_not_provider", resource=r.code)


@service(Op.SAMPLES_READ, when={"unmask": Op.PERSONAL_DATA_UNMASKED}, resource="resource_id",
         access=Access(sample_action, rows=lambda t: len(t.rows)))
def sample_rows(db: Database, who: Identity, resource_id: int, *, unmask: bool = False,
                reason: str | None = None, limit: int = 100) -> SampleTable:
    """The first ``limit`` sample rows of a resource visible to ``who``, masked as the active
    scheme's grades require.

    With ``unmask`` the caller must hold ``personal.unmasked`` (PermissionDenied otherwise) and
    give a ``reason`` (InputRejected otherwise); the unmasked view is recorded in the audit
    trail with the reason. Raises InputRejected for an unknown or out-of-scope resource.
    """
    _require_reason(unmask, reason)
    _require_provider(db, who, resource_id, unmask)
    ticket = _unmask_ticket(db, resource_id, unmask, reason, "view")
    with db.session() as s:
        plan = _plan(s, resource_id)
        rows = _read(s, who, resource_id, plan, unmask, reason, ticket, limit, "view")
        return SampleTable(resource_id, plan.columns, tuple(rows),
                           frozenset() if unmask else frozenset(plan.kinds), unmask)


@service(Op.CATALOG_READ, resource="code")
def resource_id_for(db: Database, who: Identity, code: str) -> int:
    """The id of the resource with ``code`` that ``who`` may see. Raises ResourceNotFound."""
    with db.session() as s:
        rid = s.scalar(select(DataResource.id).where(DataResource.code == code.strip()))
    if rid is None:  # deleted since the kernel looked
        raise ResourceNotFound(code)
    return int(rid)


class EncryptionRequired(InputRejected):
    """The export holds data whose grade requires an encrypted file: ask for a password."""


@dataclass(frozen=True)
class SamplesExport:
    path: str
    rows: int
    masked_columns: tuple[str, ...]
    encrypted: bool


def _export_rules(plan: _Plan, password: str | None) -> list[str]:
    """The grades that require an encrypted file; raises PermissionDenied when a grade forbids
    export, EncryptionRequired when one requires encryption and there is no password."""
    forbidden = [g.name for g in plan.grades if not g.export_allowed]
    if forbidden:
        raise PermissionDenied("export_forbidden", grades="、".join(forbidden))
    encrypt = [g.name for g in plan.grades if g.export_encryption_required]
    if encrypt and not password:
        raise EncryptionRequired("export_needs_encryption", grades="、".join(encrypt))
    return encrypt


@service(Op.SAMPLES_READ, when={"unmask": Op.PERSONAL_DATA_UNMASKED}, resource="resource_id",
         access=Access(EXPORT, rows=lambda e: e.rows))
def export_samples(db: Database, who: Identity, resource_id: int, path: Path, *,
                   unmask: bool = False, reason: str | None = None,
                   password: str | None = None) -> SamplesExport:
    """Write a resource's sample rows to an .xlsx file under its grades' export rules: refused
    when a grade forbids export; a password required (the file encrypted with it) when a grade
    requires encrypted exports; columns masked as in :func:`sample_rows` (unmasked only with
    ``unmask`` and a ``reason``, by a cleared role). Audited: the export, and the unmasked read.

    Raises PermissionDenied (the role, or a grade that forbids export), InputRejected (no
    password where one is required, no reason for an unmasked export, a bad path)."""
    import xlsxwriter

    _require_reason(unmask, reason)
    _require_provider(db, who, resource_id, unmask)
    output_file(Path(path), (".xlsx",))
    with db.session() as s:  # the export rules before any audit or read
        _export_rules(_plan(s, resource_id), password)
    ticket = _unmask_ticket(db, resource_id, unmask, reason, "export")
    with db.session() as s:
        plan = _plan(s, resource_id)
        encrypt = _export_rules(plan, password)
        rows = _read(s, who, resource_id, plan, unmask, reason, ticket, None, "export")
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
            raise InputRejected("cannot_write", path=target, reason=exc.strerror or exc) from exc
        finally:
            if encrypt:
                plain.unlink(missing_ok=True)
        audit.record(s, who, EventType.EXPORT, object_type="resource_samples",
                     object_id=resource_id, detail={
                         "rows": len(rows), "file": target.name, "unmasked": unmask,
                         "encrypted": bool(encrypt),
                         "masked_columns": [] if unmask else sorted(plan.kinds)})
        return SamplesExport(str(target), len(rows), () if unmask else tuple(sorted(plan.kinds)),
                             bool(encrypt))


def _encrypt(plain: Path, target: Path, password: str) -> None:
    """Encrypt an .xlsx with a password (ECMA-376 agile encryption: Excel, WPS and LibreOffice
    ask for the password when opening it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(target, "wb") as out:
        OOXMLFile(src).encrypt(password, out)
