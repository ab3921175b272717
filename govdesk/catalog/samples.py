"""Sample rows of a resource, masked by grade unless the user is cleared and asks.

Which items are masked follows the active grade scheme: every item whose grade has
``masking_required`` is masked (not a fixed list of "PII" names). How a value is masked follows
the item's standard data-element code (name, citizen ID, certificate, phone, address, bank card);
anything else is hidden whole. Unmasking is allowed to cleared roles only and is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from govdesk.catalog.browse import scope_clause
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, ResourceSample
from govdesk.errors import InputRejected
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


def sample_rows(db: Database, who: Identity, resource_id: int, *, unmask: bool = False,
                limit: int = 100) -> SampleTable:
    """The first ``limit`` sample rows of a resource visible to ``who``.

    With ``unmask`` the caller must hold ``personal.unmasked`` (PermissionDenied otherwise) and
    the unmasked view is recorded in the audit trail. Raises InputRejected for an unknown or
    out-of-scope resource.
    """
    who.require(Op.SAMPLES_READ)
    if unmask:
        who.require(Op.PERSONAL_DATA_UNMASKED)
    with db.session() as s:
        if s.scalar(select(DataResource.id).where(DataResource.id == resource_id,
                                                  scope_clause(who))) is None:
            raise InputRejected(f"Resource {resource_id} does not exist or is not yours to see.")
        items = s.execute(
            select(DataItem.name, DataItem.standard_code, Grade.masking_required)
            .outerjoin(Grade, DataItem.grade_id == Grade.id)
            .where(DataItem.resource_id == resource_id).order_by(DataItem.seq)).all()
        columns = tuple(name for name, _code, _m in items)
        kinds = {name: MASK_KIND_BY_STANDARD.get(code or "", "other")
                 for name, code, must in items if must}
        raw = s.scalars(select(ResourceSample.data).where(ResourceSample.resource_id == resource_id)
                        .order_by(ResourceSample.row_no).limit(limit)).all()
        rows = []
        for text in raw:
            data = json.loads(text)
            rows.append(tuple(
                data.get(c) if unmask or c not in kinds else mask(kinds[c], data.get(c))
                for c in columns))
        if unmask:
            audit.record(s, who, EventType.UNMASK, object_type="data_resources",
                         object_id=resource_id, detail={"rows": len(rows)})
        return SampleTable(resource_id, columns, tuple(rows), frozenset(kinds), unmask)
