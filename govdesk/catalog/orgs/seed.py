"""The federations of a province, generated from the region list.

The six federation levels are the 0/2/4/6/9/12-digit prefixes of a region code (GB/T 2260
and the statistical codes): 中国残联, the province, prefecture (city), county, township (street)
and village (community) federations. :func:`seed_federations` creates one for every division of
the chosen province *that the region list holds*: the list shipped in resources/regions (the
``cpca`` adcodes, migration 0002) stops at the county, so a database with that list gets the
first four levels (national, province, city, county); townships and villages get theirs once
their divisions are in the ``regions`` table. The report says which levels had no divisions.

Codes follow the demo and the exported workbooks: ``CDPF-`` and the region code's first six
digits (nine for a township, twelve for a village), ``CDPF-000000`` for the national one, so an
exported catalogue imports into a seeded database. Grouping rows of the list (市辖区, 县,
省直辖县级行政区划) are not divisions and get no federation; their divisions hang under the next
federation above. Seeding again adds only what is missing and changes nothing that exists.

With ``departments`` the education, civil-affairs, HRSS and health departments of the province
and of each city are created too (``EDUCATION-330000`` 浙江省教育厅, ``EDUCATION-330100``
杭州市教育局 under it …), the providers of the shared databases in the demo and its exports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.changes import ORGANISATIONS, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, Region
from govdesk.errors import InputRejected
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

NATIONAL = "000000000000"
#: names in the region list that group divisions without being one
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
#: the six levels (``regions.level``) and their names
LEVELS = ("全国", "省级", "地市级", "县级", "乡镇（街道）级", "村（社区）级")
_WIDTH = {0: 6, 1: 6, 2: 6, 3: 6, 4: 9, 5: 12}
#: the departments that share data with the federations, as (kind, province name, city name)
DEPARTMENTS = (("education", "教育厅", "教育局"), ("civil_affairs", "民政厅", "民政局"),
               ("hrss", "人力资源和社会保障厅", "人力资源和社会保障局"),
               ("health", "卫生健康委员会", "卫生健康委员会"))


@dataclass(frozen=True)
class SeedReport:
    """What seeding did: federations ``created`` and already ``existing``, grouping rows of the
    region list ``skipped``, the federations of the province per level after seeding
    (``(level, count)`` for levels 0–5) and the levels the region list has no divisions for."""

    province_code: str
    province_name: str
    created: int
    existing: int
    skipped: int
    departments: int
    per_level: tuple[tuple[int, int], ...]
    levels_without_regions: tuple[int, ...]


def federation_code(region_code: str, level: int) -> str:
    """The code of the federation of a division (``CDPF-330100``, ``CDPF-330102001``)."""
    if level == 0:
        return "CDPF-000000"
    return "CDPF-" + region_code[:_WIDTH[level]]


def federation_name(region_name: str, level: int) -> str:
    """中国残疾人联合会; a village or community has a 残疾人协会, every other level a 联合会."""
    if level == 0:
        return "中国残疾人联合会"
    return f"{region_name}残疾人{'协会' if level == 5 else '联合会'}"


def _province(s: Session, province: str) -> Region:
    digits = province.strip()
    code = digits.ljust(12, "0") if digits.isdigit() and len(digits) in (2, 6, 12) else ""
    region = s.get(Region, code) if code else None
    if region is None or region.level != 1:
        raise InputRejected("org_province_unknown", province=province)
    return region


def _plan(s: Session, province: Region) -> tuple[list[Region], int]:
    """The divisions to give a federation (national first, then by level and code) and the
    number of grouping rows left out."""
    rows = list(s.scalars(select(Region).where(Region.code.like(province.code[:2] + "%"))
                          .order_by(Region.level, Region.code)))
    national = s.get(Region, NATIONAL)
    kept = [r for r in rows if r.name not in PLACEHOLDERS]
    return ([national] if national else []) + kept, len(rows) - len(kept)


@service(Op.ORGS_MANAGE, owner=True, writes=True, scope=Scope.NONE,
         why="federations are generated for a whole province")
def seed_federations(db: Database, who: Identity, province: str, *, departments: bool = False,
                     progress: Progress | None = None) -> SeedReport:
    """Create the missing federations of ``province`` (2, 6 or 12 digits: "33") at every level
    the region list holds, each under the federation of the nearest division above it. Existing
    organisations (matched by code) are left as they are. ``departments`` also creates the
    province's and cities' departments (see the module). Raises InputRejected for a code that
    is not a province."""
    progress = progress or Progress()
    with db.session() as s:
        region = _province(s, province)
        divisions, skipped = _plan(s, region)
        by_code = dict(s.execute(select(Organisation.code, Organisation.id)).all())
        names = {r.code: r for r in s.scalars(select(Region).where(
            Region.code.like(region.code[:2] + "%")))}
        created: list[Organisation] = []
        existing = 0
        for n, division in enumerate(divisions):
            progress.report(n / max(len(divisions), 1), division.name)
            code = federation_code(division.code, division.level)
            if code in by_code:
                existing += 1
                continue
            org = Organisation(code=code, name=federation_name(division.name, division.level),
                               kind="federation", region_code=division.code,
                               parent_id=_parent_id(division, names, by_code), is_active=True)
            s.add(org)
            s.flush()
            by_code[code] = org.id
            created.append(org)
        made = _departments(s, region, divisions, by_code) if departments else []
        created += made
        if created:
            announce.note(s, Changed.of(ORGANISATIONS, [o.id for o in created]))
            audit.record(s, who, EventType.DATA_CHANGE, object_type="organisations",
                         object_id=f"CDPF-{region.code[:2]}",
                         detail={"action": "seed", "province": region.code,
                                 "created": len(created)})
        per_level = _per_level(s, region)
        progress.report(1.0, "")
        return SeedReport(region.code, region.name, len(created), existing, skipped, len(made),
                          per_level,
                          tuple(level for level, count in per_level if count == 0))


def _parent_id(division: Region, regions: dict[str, Region],
               by_code: dict[str, int]) -> int | None:
    """The id of the federation of the nearest division above ``division`` that has one."""
    if division.level == 0:
        return None
    current = division.parent_code
    while current is not None:
        above = regions.get(current)
        if above is None:  # the national row (outside the province's prefix)
            return by_code.get(federation_code(NATIONAL, 0))
        found = by_code.get(federation_code(above.code, above.level))
        if found is not None and above.name not in PLACEHOLDERS:
            return found
        current = above.parent_code
    return by_code.get(federation_code(NATIONAL, 0))


def _departments(s: Session, province: Region, divisions: list[Region],
                 by_code: dict[str, int]) -> list[Organisation]:
    """The missing departments of the province and its cities (city ones under the
    province's)."""
    made: list[Organisation] = []
    for kind, province_name, city_name in DEPARTMENTS:
        for division in [d for d in divisions if d.level in (1, 2)]:
            code = f"{kind.upper()}-{division.code[:6]}"
            if code in by_code:
                continue
            org = Organisation(
                code=code, kind=kind, region_code=division.code, is_active=True,
                name=division.name + (province_name if division.level == 1 else city_name),
                parent_id=None if division.level == 1 else
                by_code.get(f"{kind.upper()}-{province.code[:6]}"))
            s.add(org)
            s.flush()
            by_code[code] = org.id
            made.append(org)
    return made


def _per_level(s: Session, province: Region) -> tuple[tuple[int, int], ...]:
    """Federations per level (0–5) in ``province`` (and the national one), after seeding."""
    rows = s.execute(select(Region.level, Organisation.id)
                     .join(Organisation, Organisation.region_code == Region.code)
                     .where(Organisation.kind == "federation",
                            (Region.code == NATIONAL)
                            | Region.code.like(province.code[:2] + "%"))).all()
    counts = dict.fromkeys(range(6), 0)
    for level, _id in rows:
        counts[level] += 1
    return tuple(sorted(counts.items()))
