"""Events for ``monitor_run``: a 30-day history and one day of ``DAY`` events behind it, written
as the database owner (who writes rows as given; PostgreSQL by COPY), for 1,500 users of the
demo's organisations with a home host each, reading mostly their own region's resources in
working hours (a working set of resources each; 0.2 % of reads go to other regions'
resources), with a few planted patterns (after-hours reads of graded data, exports above the
threshold, a denial burst, logins from new hosts, a dormant account, reads of other regions'
resources). Deterministic (seeded)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from sqlalchemy import insert, select, text

from govdesk.db.engine import Database
from govdesk.db.models import AccessEvent, DataResource, Organisation
from govdesk.security.identity import region_prefix

CST = dt.timezone(dt.timedelta(hours=8))
USERS = 1500
#: weights of the hours of the day (CST): office hours; 08:00-08:29 and 18:00-18:59 fall
#: outside the rule's 08:30-18:00, so about 1 % of reads are after hours
HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 14, 14, 12, 6, 8, 14, 14, 12, 8, 0.3, 0, 0, 0, 0, 0]
#: resources a user works with (own region); other regions' resources are read rarely
WORKING_SET = 12
ACTIONS = ["query"] * 14 + ["download"] * 3 + ["api"] * 2 + ["export"]


class Population:
    def __init__(self, db: Database, seed: int = 15) -> None:
        self.rng = random.Random(seed)
        with db.session() as s:
            orgs = s.execute(select(Organisation.id, Organisation.region_code)).all()
            res = s.execute(select(DataResource.id, DataResource.region_code)).all()
        self.all = [rid for rid, _ in res]
        readers = []  # organisations with resources of their own region (read without grants)
        for oid, region in orgs:
            own = [rid for rid, r in res if r.startswith(region_prefix(region))]
            if own:
                readers.append((oid, own))
        self.users = []
        for n in range(USERS):
            oid, own = readers[n % len(readers)]
            mine = [own[(n * 7 + k * 13) % len(own)] for k in range(WORKING_SET)]
            self.users.append((f"b{n:04d}", oid, mine, f"10.{n // 250}.{n % 250}.1"))

    def row(self, day: dt.date, i: int) -> tuple[Any, ...]:
        rng = self.rng
        name, oid, own, host = self.users[rng.randrange(len(self.users))]
        hour = rng.choices(range(24), HOURS)[0]
        ts = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60),
                         tzinfo=CST).astimezone(dt.timezone.utc)
        rid = rng.choice(own) if rng.random() < 0.998 else rng.choice(self.all)
        return (ts, name, "viewer", oid, rid, rng.choice(ACTIONS), rng.randint(1, 500),
                rng.random() > 0.02, host)

    def planted(self, day: dt.date) -> list[tuple[Any, ...]]:
        at = dt.datetime(day.year, day.month, day.day, 21, tzinfo=CST).astimezone(dt.timezone.utc)
        name, oid, own, host = self.users[7]
        rows = [(at + dt.timedelta(seconds=i * 10), name, "viewer", oid, own[0], "query", 1,
                 False, host) for i in range(12)]  # a burst of denials after hours
        rows += [(at, f"b{n:04d}", "viewer", self.users[n][1], self.users[n][2][0], "export",
                  9000, True, self.users[n][3]) for n in range(20, 25)]
        rows += [(at, f"b{n:04d}", "viewer", self.users[n][1], self.users[n][2][0], "query", 1,
                  True, "192.168.9.9") for n in range(30, 40)]
        return rows


COLUMNS = ("ts", "username", "role_code", "organisation_id", "resource_id", "action",
           "row_count", "success", "client_host")


def write(db: Database, rows: list[tuple[Any, ...]]) -> None:
    if db.is_postgres:
        buf = io.StringIO()
        for r in rows:
            buf.write("\t".join("t" if v is True else "f" if v is False else
                                v.isoformat() if isinstance(v, dt.datetime) else str(v)
                                for v in r) + "\n")
        buf.seek(0)
        with db.engine.begin() as c:
            cur = c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cur.copy_expert(f"COPY access_events ({', '.join(COLUMNS)}) FROM STDIN", buf)
        return
    with db.engine.begin() as c:
        c.execute(insert(AccessEvent), [dict(zip(COLUMNS, r)) for r in rows])


def populate(db: Database, day: dt.date, per_day: int, history_days: int = 30) -> int:
    """Write the history before ``day`` and return the id every rule's watermark goes to; the
    day itself is written by :func:`the_day`."""
    pop = Population(db)
    for back in range(history_days, 0, -1):
        d = day - dt.timedelta(days=back)
        write(db, [pop.row(d, i) for i in range(per_day)])
    with db.engine.begin() as c:
        top = int(c.execute(text("SELECT coalesce(max(id), 0) FROM access_events")).scalar_one())
        c.execute(text("UPDATE monitor_watermarks SET last_event_id = :t"), {"t": top})
    db.pop = pop  # type: ignore[attr-defined]
    return top


def the_day(db: Database, day: dt.date, per_day: int) -> None:
    pop: Population = db.pop  # type: ignore[attr-defined]
    rows = [pop.row(day, i) for i in range(per_day - 27)] + pop.planted(day)
    write(db, rows)
