"""Grants for the sharing benchmarks: tops the province demo's grants (5,000, all named) up to a
total, as the database owner (who writes rows as given), with what a province's grants look
like after a few years: 70 % named to one organisation and 30 % by scope (every county
federation of a city, every department of a kind in a city, every organisation of a county);
active, expired, revoked, scheduled, pending, rejected and released; all items or two to four
listed ones. Deterministic (seeded); the rows it adds are marked ``requested_by =
'bench_grants'``, so a second run adds only what is missing."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day

MARK = "bench_grants"
#: state -> (share, days from today to valid_from, length in days, stored status)
STATES = {"active": (0.50, (-300, 0), (120, 700), "approved"),
          "expired": (0.15, (-900, -400), (90, 365), "approved"),
          "revoked": (0.10, (-300, -10), (120, 700), "revoked"),
          "scheduled": (0.05, (1, 60), (90, 365), "approved"),
          "pending": (0.10, (1, 30), (90, 365), "requested"),
          "rejected": (0.05, (1, 30), (90, 365), "rejected"),
          "released": (0.05, (-200, -10), (120, 365), "released")}


def _choose(rng: random.Random) -> tuple[str, dt.date, dt.date]:
    r, total = rng.random(), 0.0
    for state, (share, start, length, status) in STATES.items():
        total += share
        if r <= total:
            break
    begin = grant_day() + dt.timedelta(days=rng.randint(*start))
    return status, begin, begin + dt.timedelta(days=rng.randint(*length))


def _scopes(c: Any) -> list[tuple[str, str | None, int | None]]:
    cities = [str(code)[:4] for code in c.execute(text(
        "SELECT code FROM regions WHERE level = 2 AND code LIKE '33%'")).scalars()]
    counties = [str(code)[:6] for code in c.execute(text(
        "SELECT code FROM regions WHERE level = 3 AND code LIKE '33%' LIMIT 60")).scalars()]
    out: list[tuple[str, str | None, int | None]] = []
    out += [(p, "federation", 3) for p in cities]
    out += [(p, kind, None) for p in cities for kind in ("education", "civil_affairs", "health")]
    out += [(p, None, None) for p in counties]
    return out


def top_up(db: Database, total: int = 10_000, seed: int = 14) -> dict[str, int]:
    """Add grants until the database holds ``total``; the counts by stored status after."""
    rng = random.Random(seed)
    with db.engine.begin() as c:
        have = c.execute(text("SELECT count(*) FROM sharing_grants")).scalar_one()
        need = max(0, total - have)
        if need:
            _insert(c, rng, need)
        return dict(c.execute(text("SELECT status, count(*) FROM sharing_grants GROUP BY 1"))
                    .all())


def _insert(c: Any, rng: random.Random, need: int) -> None:
    resources = c.execute(text(
        "SELECT r.id, r.sharing_type FROM data_resources r JOIN grades g ON g.id = r.grade_id "
        "WHERE r.status = 'published' AND r.sharing_type <> 'none' AND (' ' || "
        "g.sharing_types_allowed || ' ') LIKE '% ' || r.sharing_type || ' %'")).all()
    orgs = list(c.execute(text("SELECT id FROM organisations WHERE code <> 'CDPF-000000'"))
                .scalars())
    scopes = _scopes(c)
    next_id = c.execute(text("SELECT coalesce(max(id), 0) + 1 FROM sharing_grants")).scalar_one()
    grants, items = io.StringIO(), io.StringIO()
    for n in range(need):
        rid, sharing = rng.choice(resources)
        status, begin, end = _choose(rng)
        gid = next_id + n
        named = rng.random() < 0.7
        org = str(rng.choice(orgs)) if named else ""
        prefix, kind, level = ("", None, None) if named else rng.choice(scopes)
        all_items = rng.random() < 0.7
        ended = f"{begin + dt.timedelta(days=5)} 10:00:00+08" \
            if status in ("revoked", "released") else ""
        grants.write("\t".join((
            str(gid), str(rid), org or r"\N", prefix or r"\N", kind or r"\N",
            str(level) if level is not None else r"\N", sharing, "t" if all_items else "f",
            "platform", "statistics", "t", status, MARK, begin.isoformat(), end.isoformat(),
            ended or r"\N", "1")) + "\n")
        if not all_items:
            items.write(f"{gid}\t{rid}\t{rng.randint(2, 4)}\n")
    raw = c.connection.dbapi_connection
    cur = raw.cursor()
    cur.copy_expert("COPY sharing_grants (id, resource_id, grantee_org_id, scope_region_prefix, "
                    "scope_org_kind, scope_org_level, sharing_type, all_items, method, "
                    "purpose_code, conditions_accepted, status, requested_by, valid_from, "
                    "valid_until, ended_at, version) FROM STDIN", io.StringIO(grants.getvalue()))
    cur.execute("CREATE TEMP TABLE bench_pick (grant_id int, resource_id int, n int)")
    cur.copy_expert("COPY bench_pick FROM STDIN", io.StringIO(items.getvalue()))
    cur.execute("INSERT INTO sharing_grant_items (grant_id, item_id) SELECT p.grant_id, i.id "
                "FROM bench_pick p JOIN data_items i ON i.resource_id = p.resource_id "
                "AND i.seq <= p.n")
    cur.execute("DROP TABLE bench_pick")
    cur.execute("SELECT setval('sharing_grants_id_seq', (SELECT max(id) FROM sharing_grants))")
    cur.execute("ANALYZE sharing_grants")
    cur.execute("ANALYZE sharing_grant_items")
