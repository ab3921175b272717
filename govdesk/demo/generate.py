"""Build demo rows, table by table, as plain tuples ready for bulk loading.

Everything is derived from a seeded ``random.Random`` and the real region list already in the
database, so two runs with the same seed produce the same data. Citizen IDs, certificate numbers,
phone and bank card numbers in sample rows are valid (check digits, categories, grades).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from govdesk.demo import templates as tpl
from govdesk.demo.catalogue import CatalogueRows
from govdesk.demo.person import Person
from govdesk.demo.rows import CHUNK, Reference, RegionRef, Row, TableData

#: the names callers import from here (the row shapes live in :mod:`govdesk.demo.rows`)
__all__ = ["SCALES", "DemoBuilder", "Reference", "RegionRef", "Row", "Scale", "TableData"]


@dataclass(frozen=True)
class Scale:
    """How much demo data to make."""

    name: str
    resources: int
    items_target: int | None  #: total data items; None = 5–40 per resource from the templates
    sample_resources: int  #: resources that get sample rows
    sample_rows: int
    access_days: int
    access_events: int
    grants: int


SCALES = {
    "small": Scale("small", 300, None, 300, 20, 30, 18_000, 60),
    "province": Scale("province", 100_000, 1_000_000, 300, 20, 365, 10_000_000, 5_000),
    # for the Excel benchmarks: 10,000 resources with 200,000 data items, nothing else
    "excel": Scale("excel", 10_000, 200_000, 0, 0, 1, 0, 0),
    # organisations and reference data only: an empty catalogue to import into
    "empty": Scale("empty", 0, 0, 0, 0, 1, 0, 0),
}


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


class DemoBuilder:
    """Generates the demo tables for one province at one scale."""

    def __init__(self, ref: Reference, scale: Scale, now: dt.datetime, seed: int = 20211) -> None:
        self.ref = ref
        self.scale = scale
        self.now = now.replace(microsecond=0, tzinfo=None)
        self.rng = random.Random(seed)
        self.gaps = random.Random(seed + 1)  #: separate, so the rest of the demo stays the same
        self.stamp = _ts(self.now)
        self.cities = [r for r in ref.regions if r.level == 2]
        self.counties = [r for r in ref.regions if r.level == 3 and r.name != "市辖区"]
        self.orgs: list[Row] = []
        self.fed_by_region: dict[str, int] = {}
        self.dept_by_region: dict[tuple[str, str], int] = {}
        self.resources_meta: list[tuple[int, str, str, tuple[str, ...]]] = []

    # -- organisations -------------------------------------------------------------------
    def organisations(self) -> TableData:
        cols = ("id", "code", "name", "kind", "region_code", "parent_id", "version",
                "created_at", "updated_at")
        rows: list[Row] = []

        def add(code: str, name: str, kind: str, region: str, parent: int | None) -> int:
            oid = len(rows) + 1
            rows.append((oid, code, name, kind, region, parent, 1, self.stamp, self.stamp))
            return oid

        nat = add("CDPF-000000", "中国残疾人联合会", "federation", self.ref.national.code, None)
        prov = self.ref.province
        self.fed_by_region[prov.code] = add(
            f"CDPF-{prov.code[:6]}", f"{prov.name}残疾人联合会", "federation", prov.code, nat)
        dept_names = {
            "education": ("教育厅", "教育局"), "civil_affairs": ("民政厅", "民政局"),
            "hrss": ("人力资源和社会保障厅", "人力资源和社会保障局"),
            "health": ("卫生健康委员会", "卫生健康委员会"),
        }
        for kind, (prov_name, _city) in dept_names.items():
            self.dept_by_region[(prov.code, kind)] = add(
                f"{kind.upper()}-{prov.code[:6]}", f"{prov.name}{prov_name}", kind, prov.code, None)
        for city in self.cities:
            self.fed_by_region[city.code] = add(
                f"CDPF-{city.code[:6]}", f"{city.name}残疾人联合会", "federation", city.code,
                self.fed_by_region[prov.code])
            for kind, (_prov, city_name) in dept_names.items():
                self.dept_by_region[(city.code, kind)] = add(
                    f"{kind.upper()}-{city.code[:6]}", f"{city.name}{city_name}", kind, city.code,
                    self.dept_by_region[(prov.code, kind)])
        for county in self.counties:
            parent = self.fed_by_region.get(county.parent_code or "", self.fed_by_region[prov.code])
            self.fed_by_region[county.code] = add(
                f"CDPF-{county.code[:6]}", f"{county.name}残疾人联合会", "federation", county.code,
                parent)
        self.orgs = rows
        return TableData("organisations", cols, len(rows), lambda: iter([rows]),
                         ("created_at", "updated_at"))

    # -- resources and items -------------------------------------------------------------
    def _provider(self, template: tpl.ResourceTemplate, region: RegionRef) -> tuple[int, str]:
        """(organisation id, region code) of the provider of ``template`` in ``region``."""
        if template.provider == "federation":
            return self.fed_by_region[region.code], region.code
        city = region.code if region.level <= 2 else (region.parent_code or "")
        key = (city, template.provider)
        if key in self.dept_by_region:
            return self.dept_by_region[key], city
        return self.dept_by_region[(self.ref.province.code, template.provider)], self.ref.province.code

    def resources_and_items(self) -> tuple[TableData, TableData, TableData]:
        """The data_resources, data_items and resource_search tables (built together: grades
        roll up, search documents hold item names)."""
        return CatalogueRows(self.ref, self.rng, self.gaps, self.orgs,
                             (self.cities, self.counties), self._provider, self.now, self.stamp,
                             self.scale.items_target, self.resources_meta
                             ).build(self.scale.resources)

    # -- sample rows -----------------------------------------------------------------------
    def samples(self) -> TableData:
        """Sample rows (JSON) with valid identifiers for the first resources with personal data."""
        rng = self.rng
        rows: list[Row] = []
        counties = self.counties or self.cities
        for rid, _code, _region, names in self.resources_meta[: self.scale.sample_resources]:
            if not any(tpl.ITEMS[n].sample in ("citizen_id", "person_name", "address") for n in names):
                continue
            for row_no in range(1, self.scale.sample_rows + 1):
                person = self._person(rng, rng.choice(counties))
                rows.append((len(rows) + 1, rid, row_no,
                             json.dumps({n: person.value(tpl.ITEMS[n].sample, n) for n in names},
                                        ensure_ascii=False)))
        cols = ("id", "resource_id", "row_no", "data")
        return TableData("resource_samples", cols, len(rows), lambda: iter([rows]))

    def _person(self, rng: random.Random, county: RegionRef) -> Person:
        return Person(rng, county, self.now.date())

    # -- grants, backup policies -------------------------------------------------------------
    def grants(self) -> TableData:
        rng = self.rng
        shareable = [m for m in self.resources_meta]
        grantees: list[int] = [int(r[0]) for r in self.orgs if r[3] != "federation"]  # type: ignore[call-overload]
        grantees += [self.fed_by_region[c.code] for c in self.cities]
        rows: list[Row] = []
        statuses = ("approved",) * 6 + ("requested",) * 2 + ("rejected", "revoked")
        seen: set[tuple[int, int]] = set()
        while len(rows) < min(self.scale.grants, len(shareable) * 2) and shareable:
            rid = rng.choice(shareable)[0]
            org = rng.choice(grantees)
            if (rid, org) in seen:
                continue
            seen.add((rid, org))
            status = rng.choice(statuses)
            start = self.now.date() - dt.timedelta(days=rng.randint(0, 400))
            decided = None if status == "requested" else _ts(
                self.now - dt.timedelta(days=rng.randint(0, 30)))
            rows.append((
                len(rows) + 1, rid, org, "conditional", "仅用于残疾人服务业务办理",
                rng.choice(("残疾人两项补贴资格比对", "残疾学生资助审核", "就业帮扶对象核实",
                            "家庭医生签约服务", "低保对象复核")),
                status, "demo_data_admin", None if status == "requested" else "demo_secadmin",
                start.isoformat(), (start + dt.timedelta(days=365)).isoformat(), decided,
                1, self.stamp, self.stamp,
            ))
        cols = ("id", "resource_id", "grantee_org_id", "sharing_type", "conditions", "purpose",
                "status", "requested_by", "decided_by", "valid_from", "valid_until", "decided_at",
                "version", "created_at", "updated_at")
        return TableData("sharing_grants", cols, len(rows), lambda: iter([rows]),
                         ("decided_at", "created_at", "updated_at"))

    def backup_policies(self) -> TableData:
        prov = self.fed_by_region[self.ref.province.code]
        p = self.ref.province.name
        defs = [
            (f"{p}残疾人人口基础库 每日全量备份", "残疾人人口基础库", 4, "0 1 * * *", "full", 90,
             "本地备份服务器 /backup/base", False, 12.0, 24.0),
            (f"{p}业务库 WAL 连续归档", "全部业务数据库", 5, "*/5 * * * *", "wal", 30,
             "同城灾备中心归档存储", True, 2.0, 0.5),
            (f"{p}数据资源目录 每周全量异地备份", "数据资源目录", 1, "0 2 * * 0", "full", 365,
             "异地备份中心（磁带介质）", True, 48.0, 168.0),
            (f"{p}共享交换库 每日增量备份", "共享交换数据库", 3, "30 1 * * *", "incremental", 60,
             "同城灾备中心", True, 12.0, 24.0),
            (f"{p}审计日志 每月归档", "审计日志与访问日志", 2, "0 3 1 * *", "full", 1095,
             "异地备份中心（对象存储，加密）", True, 24.0, 168.0),
        ]
        rows: list[Row] = [(i, name, scope, prov, dr, cron, kind, keep, target, 1 if off else 0,
                            rto, rpo, 1, "pgbackrest" if kind == "wal" else "pg_dump", 1,
                            self.stamp, self.stamp)
                for i, (name, scope, dr, cron, kind, keep, target, off, rto, rpo)
                in enumerate(defs, start=1)]
        cols = ("id", "name", "scope", "organisation_id", "dr_level", "schedule_cron",
                "backup_type", "retention_days", "target", "offsite", "rto_hours", "rpo_hours",
                "enabled", "method", "version", "created_at", "updated_at")
        return TableData("backup_policies", cols, len(rows), lambda: iter([rows]),
                         ("created_at", "updated_at"))

    # -- access events -------------------------------------------------------------------------
    def access_events(self) -> TableData:
        """``access_events``: working-hours weighted, vectorised per chunk (10^7 rows is fine)."""
        n = self.scale.access_events
        org_ids = np.array([r[0] for r in self.orgs], dtype=np.int64)
        n_res = len(self.resources_meta)
        start = np.datetime64(self.now - dt.timedelta(days=self.scale.access_days), "s")
        span = self.scale.access_days * 86_400
        hour_w = np.array([1, 1, 1, 1, 1, 2, 4, 8, 30, 60, 70, 60, 30, 40, 65, 70, 60, 40, 15, 8,
                           5, 3, 2, 1], dtype=float)
        hour_w /= hour_w.sum()
        actions = np.array(["query"] * 14 + ["download"] * 3 + ["api"] * 2 + ["export"], dtype=object)
        cols = ("id", "ts", "username", "organisation_id", "resource_id", "action", "row_count",
                "success", "client_host")

        def chunks() -> Iterator[list[Row]]:
            gen = np.random.default_rng(7)
            done = 0
            while done < n:
                m = min(CHUNK, n - done)
                day = gen.integers(0, span // 86_400, m)
                hour = gen.choice(24, m, p=hour_w)
                sec = day * 86_400 + hour * 3600 + gen.integers(0, 3600, m)
                sec.sort()  # roughly time-ordered within a chunk, as a real log is
                ts = np.datetime_as_string(start + sec.astype("timedelta64[s]"), unit="s")
                org = org_ids[gen.integers(0, len(org_ids), m)]
                user_no = gen.integers(1, 9, m)
                res = gen.zipf(1.3, m) % n_res + 1
                act = actions[gen.integers(0, len(actions), m)]
                rows_n = gen.integers(1, 500, m)
                ok = (gen.random(m) > 0.02).astype(np.int8)
                host = gen.integers(2, 250, m)
                ids = np.arange(done + 1, done + m + 1)
                yield [
                    (int(i), t.replace("T", " "), f"u{int(o):04d}_{int(u)}", int(o), int(r), a,
                     int(c), int(k), f"10.33.{int(o) % 250}.{int(h)}")
                    for i, t, o, u, r, a, c, k, h
                    in zip(ids, ts, org, user_no, res, act, rows_n, ok, host)
                ]
                done += m

        return TableData("access_events", cols, n, chunks, ("ts",))

    def tables(self) -> list[TableData]:
        """Every demo table in foreign-key order."""
        orgs = self.organisations()
        res, items, search = self.resources_and_items()
        return [orgs, res, items, search, self.samples(), self.grants(), self.backup_policies(),
                self.access_events()]
