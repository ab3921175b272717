"""A demo database with one grant of every kind on one 杭州 resource, for the access-matrix
tests (``test_access_matrix.py`` on both databases, ``test_access_matrix_pg.py`` over plain
psycopg2). The grants are written by the owner (who writes rows as given), so every state
exists without waiting for dates."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models import SharingGrant, SharingGrantItem
from govdesk.db.models.sharing import grant_day

TODAY = grant_day()

#: organisation code -> (grant status, days from today to valid_from, to valid_until, items)
#: items: None = all; a tuple of item positions (0-based) of the resource's items
GRANTS: dict[str, tuple[str, int, int, tuple[int, ...] | None]] = {
    "CDPF-330200": ("approved", -10, 30, None),           # allowed, granted
    "EDUCATION-330200": ("approved", 0, 30, (0, 1)),      # partial, some items
    "HEALTH-330200": ("approved", 0, 30, (2,)),           # partial, metadata only (item 2 core)
    "CDPF-330300": ("approved", -60, -1, None),           # expired yesterday
    "CDPF-330400": ("revoked", -10, 30, None),            # revoked
    "CDPF-330500": ("approved", 3, 30, None),             # scheduled
    "CDPF-330600": ("requested", 1, 30, None),            # pending
    "CDPF-330700": ("rejected", 1, 30, None),
    "CDPF-330800": ("released", -5, 30, None),
    "CDPF-330900": ("lapsed", 1, 30, None),
}
#: a scope grant: every county federation under 宁波市
SCOPE = ("3302", "federation", 3)


@dataclass
class AccessWorld:
    db: Database
    resource: int
    code: str
    items: list[int]
    orgs: dict[str, int]
    grants: dict[str, int] = field(default_factory=dict)
    not_shared: str = ""
    unpublished: str = ""
    forbidden: str = ""
    whole: str = ""  #: another such resource, granted whole to 宁波市's federation

    def sql(self, query: str, **params: Any) -> Any:
        with self.db.engine.begin() as c:
            return c.execute(text(query), params)


def _pick(db: Database, where: str) -> str:
    with db.engine.connect() as c:
        return str(c.execute(text(
            "SELECT r.code FROM data_resources r LEFT JOIN grades g ON g.id = r.grade_id "
            f"WHERE r.region_code LIKE '3301%' AND {where} "
            "AND NOT EXISTS (SELECT 1 FROM sharing_grants x WHERE x.resource_id = r.id) "
            "ORDER BY r.id LIMIT 1")).scalar_one())


def build(db: Database) -> AccessWorld:
    """The world: a published 杭州 resource (有条件共享, general4, no demo grant), its items
    graded as the resource but item 2 re-graded core (shared with nobody), a grant of each state to one organisation, a scope
    grant, and one resource for each rule that denies without a grant."""
    code = _pick(db, "r.status = 'published' AND r.sharing_type = 'conditional' "
                     "AND g.code = 'general4' AND (SELECT count(*) FROM data_items i "
                     "WHERE i.resource_id = r.id) >= 5")
    with db.engine.begin() as c:
        rid = c.execute(text("SELECT id FROM data_resources WHERE code = :c"), {"c": code}).scalar_one()
        named = c.execute(text("SELECT id, name FROM data_items WHERE resource_id = :r "
                               "ORDER BY seq"), {"r": rid}).all()
        items = [i for i, _n in named]
        core = c.execute(text("SELECT id FROM grades WHERE code = 'core'")).scalar_one()
        c.execute(text("UPDATE data_items SET grade_id = NULL WHERE resource_id = :r"),
                  {"r": rid})  # the resource's grade (general1) then holds for every item
        c.execute(text("UPDATE data_items SET grade_id = :g WHERE id = :i"),
                  {"g": core, "i": items[2]})
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    w = AccessWorld(db, rid, code, items, orgs)
    with db.session() as s:
        for org, (status, start, end, chosen) in GRANTS.items():
            g = _grant(rid, status, start, end, chosen is None, grantee_org_id=orgs[org])
            if org == "EDUCATION-330200":
                g.exclusions = json.dumps([{"item": named[3][1], "grade": "核心数据",
                                            "reason": "grade_forbids_sharing"}])
            s.add(g)
            s.flush()
            s.add_all(SharingGrantItem(grant_id=g.id, item_id=items[i]) for i in chosen or ())
            w.grants[org] = g.id
        prefix, kind, level = SCOPE
        g = _grant(rid, "approved", 0, 20, True, scope_region_prefix=prefix,
                   scope_org_kind=kind, scope_org_level=level)
        s.add(g)
        s.flush()
        w.grants["scope"] = g.id
    w.whole = _pick(db, "r.status = 'published' AND r.sharing_type = 'conditional' "
                        f"AND g.code = 'general4' AND r.id <> {rid}")
    with db.session() as s:
        other = w.sql("SELECT id FROM data_resources WHERE code = :c", c=w.whole).scalar_one()
        w.sql("UPDATE data_items SET grade_id = NULL WHERE resource_id = :r", r=other)
        g = _grant(other, "approved", 0, 30, True, grantee_org_id=orgs["CDPF-330200"])
        s.add(g)
        s.flush()
        w.grants["whole"] = g.id
    w.not_shared = _pick(db, "r.sharing_type = 'none' AND r.status = 'published'")
    w.unpublished = _pick(db, "r.status <> 'published' AND r.sharing_type = 'conditional' "
                              "AND g.code = 'general4'")
    w.forbidden = _pick(db, "r.sharing_type <> 'none' AND r.status = 'published' AND "
                            "(' ' || g.sharing_types_allowed || ' ') NOT LIKE "
                            "'% ' || r.sharing_type || ' %'")
    return w


def _grant(rid: int, status: str, start: int, end: int, all_items: bool,
           **who: Any) -> SharingGrant:
    ended = dt.datetime.now(dt.timezone.utc) if status in ("revoked", "released") else None
    return SharingGrant(resource_id=rid, sharing_type="conditional", all_items=all_items,
                        conditions_accepted=True,
                        method="platform", purpose_code="statistics", status=status,
                        requested_by="someone", requested_at=dt.datetime.now(dt.timezone.utc),
                        valid_from=TODAY + dt.timedelta(days=start),
                        valid_until=TODAY + dt.timedelta(days=end), ended_at=ended,
                        reason="协议终止" if status == "revoked" else None, **who)
