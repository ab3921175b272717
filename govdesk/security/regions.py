"""Region names for whoever shows region codes to people (the CLI's user lists, the demo's
province): administrative divisions are public reference data every role reads (on
PostgreSQL every GovDesk group has SELECT on ``regions``, migration 0003)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from govdesk.db.engine import Database
from govdesk.db.models import Region
from govdesk.security.identity import Identity
from govdesk.security.kernel import service


@service(anyone=True, why="region names are public reference data, shown with region codes")
def region_names(db: Database, who: Identity, codes: Collection[str]) -> dict[str, str]:
    """The name of each known code in ``codes`` (12-digit codes; "330100000000" -> "杭州市");
    unknown codes are left out, so a caller shows the code itself."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    with db.session() as s:
        rows = s.execute(select(Region.code, Region.name).where(Region.code.in_(sorted(wanted))))
        return {code: name for code, name in rows}
