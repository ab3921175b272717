"""The demo catalogue's rows: data_resources, data_items and resource_search, built together
resource by resource (grades roll up to the resource, search documents hold item names)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from govdesk.catalog.classification.grade_rule import strictest
from govdesk.catalog.search.index import document
from govdesk.demo import templates as tpl
from govdesk.demo.rows import CHUNK, Reference, RegionRef, Row, TableData

RESOURCE_COLUMNS = ("id", "code", "name", "category_id", "provider_org_id", "provider_code",
                    "region_code", "summary", "format", "sharing_type", "sharing_condition",
                    "sharing_basis", "sharing_method", "open_type", "open_condition",
                    "update_cycle", "publish_date", "related_codes", "grade_id", "status",
                    "created_by", "version", "created_at", "updated_at")
ITEM_COLUMNS = ("id", "resource_id", "seq", "name", "data_type", "length", "description",
                "grade_id", "is_authoritative", "standard_code", "version", "created_at",
                "updated_at")
STATUSES = ("published",) * 7 + ("draft", "registration_review", "publication_review")

#: (organisation id, region code) of the provider of a template's resource in a region
Provider = Callable[[tpl.ResourceTemplate, RegionRef], tuple[int, str]]


class CatalogueRows:
    """Builds the three tables from the seeded ``rng`` (``gaps``: the separate generator of the
    ungraded draft items); ``meta`` receives (id, code, region code, item names) per resource
    for the tables built after these."""

    def __init__(self, ref: Reference, rng: random.Random, gaps: random.Random,
                 orgs: list[Row], regions: tuple[list[RegionRef], list[RegionRef]],
                 provider: Provider, now: dt.datetime, stamp: str, items_target: int | None,
                 meta: list[tuple[int, str, str, tuple[str, ...]]]) -> None:
        cities, counties = regions
        self.ref, self.rng, self.gaps, self.provider = ref, rng, gaps, provider
        self.now, self.stamp, self.items_left, self.meta = now, stamp, items_target, meta
        self.org_code = {r[0]: r[1] for r in orgs}
        self.org_names = {r[0]: r[2] for r in orgs}
        self.provider_regions = [ref.province, *cities, *counties]
        self.region_names = {r.code: r.name for r in self.provider_regions}
        self.weights = [8.0] + [3.0] * len(cities) + [1.0] * len(counties)
        self.seq_by_cat: dict[str, int] = {}
        self.base_code_by_region: dict[str, str] = {}
        self.years = list(range(2016, now.year + 1))
        self.resources: list[Row] = []
        self.items: list[Row] = []
        self.search: list[Row] = []

    def build(self, count: int) -> tuple[TableData, TableData, TableData]:
        """The data_resources, data_items and resource_search tables of ``count`` resources."""
        for rid in range(1, count + 1):
            self._resource(rid, count)
        resources, items, search = self.resources, self.items, self.search
        return (
            TableData("data_resources", RESOURCE_COLUMNS, len(resources),
                      lambda: iter([resources[i:i + CHUNK] for i in range(0, len(resources), CHUNK)]),
                      ("created_at", "updated_at")),
            TableData("data_items", ITEM_COLUMNS, len(items),
                      lambda: iter([items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]),
                      ("created_at", "updated_at")),
            TableData("resource_search", ("resource_id", "text", "bigrams", "code"), len(search),
                      lambda: iter([search[i:i + CHUNK] for i in range(0, len(search), CHUNK)])),
        )

    def _resource(self, rid: int, count: int) -> None:
        """Resource ``rid`` of ``count`` with its items and search document."""
        rng = self.rng
        t = tpl.TEMPLATES[(rid - 1) % len(tpl.TEMPLATES)] if rid <= len(tpl.TEMPLATES) * 3 \
            else rng.choice(tpl.TEMPLATES)
        region = rng.choices(self.provider_regions, self.weights)[0]
        org_id, region_code = self.provider(t, region)
        self.seq_by_cat[t.category] = self.seq_by_cat.get(t.category, 0) + 1
        code = f"{t.category}/{self.seq_by_cat[t.category]:06d}"
        region_name = self.region_names.get(region_code, self.ref.province.name)
        name = f"{region_name}{t.name}"
        if count > 1000:
            name += f"（{rng.choice(self.years)}年第{rng.randint(1, 12)}批）"
        names = self._item_names(t, rid, count)
        authoritative = t.category.startswith("3") or (
            t.category == "101" and region_code == self.ref.province.code)
        # 就高从严: the resource at least as strict as its strictest item
        top = strictest("general1", [(n, tpl.ITEMS[n].grade) for n in names],
                        self.ref.grade_ranks.__getitem__).grade or "general1"
        gid = self.ref.grade_ids
        for seq, item_name in enumerate(names, start=1):
            d = tpl.ITEMS[item_name]
            self.items.append((len(self.items) + 1, rid, seq, d.name, d.data_type, d.length, None,
                               gid[d.grade], 1 if authoritative else 0, d.standard_code, 1,
                               self.stamp, self.stamp))
        personal = any(tpl.ITEMS[n].sample in ("citizen_id", "person_name") for n in names)
        sharing = t.sharing_type
        condition = "仅限残疾人服务业务办理使用，经本级残联审批后共享" if sharing == "conditional" else None
        basis = ("《中华人民共和国个人信息保护法》第二十八条（敏感个人信息）"
                 if sharing == "none" else None)
        open_type, open_condition = _openness(sharing, personal)
        status = rng.choice(STATUSES)
        if status == "draft" and self.gaps.random() < 0.3:
            # drafts in progress: the extra items (beyond the template's) not graded yet,
            # as in a real catalogue, so coverage and suggestions have work to show
            for k in range(len(self.items) - len(names) + len(t.items), len(self.items)):
                self.items[k] = (*self.items[k][:7], None, *self.items[k][8:])
        published = (self.now.date() - dt.timedelta(days=rng.randint(30, 2000))).isoformat() \
            if status == "published" else None
        related = self._related(t, personal, region_code, code)
        summary = f"{self.org_names[org_id] or region_name}提供：{t.summary}"
        self.resources.append((
            rid, code, name, self.ref.category_ids[t.category], org_id, self.org_code[org_id],
            region_code, summary, t.format, sharing, condition, basis,
            "platform" if t.format in ("database", "service_api") else rng.choice(
                ("email", "media", "platform")),
            open_type, open_condition, t.update_cycle, published, related, gid[top], status,
            "demo", 1, self.stamp, self.stamp,
        ))
        self.meta.append((rid, code, region_code, tuple(names)))
        self.search.append((rid, *document(code, name, summary, names), code))

    def _item_names(self, t: tpl.ResourceTemplate, rid: int, count: int) -> list[str]:
        """The template's items and some extra ones: 5 to all of them per resource, or about
        what is left of the items target spread over the resources still to come."""
        rng = self.rng
        names = list(t.items)
        extras = [x for x in tpl.EXTRA_ITEMS if x not in names]
        if self.items_left is None:
            n_extra = rng.randint(0, len(extras))
            n_extra = max(n_extra, 5 - len(names))
        else:
            remaining = count - rid + 1
            want = max(1, round(self.items_left / remaining))
            n_extra = min(len(extras), max(0, want - len(names) + rng.randint(-2, 2)))
        names += rng.sample(extras, n_extra)
        if self.items_left is not None:
            self.items_left -= len(names)
        return names

    def _related(self, t: tpl.ResourceTemplate, personal: bool, region_code: str,
                 code: str) -> str | None:
        """The region's certificate-holder base resource, for another personal resource there
        (the first such base resource of a region is remembered)."""
        if t.category == "101" and t.name.startswith("持证"):
            self.base_code_by_region.setdefault(region_code, code)
        elif personal and region_code in self.base_code_by_region:
            return self.base_code_by_region[region_code]
        return None


def _openness(sharing: str, personal: bool) -> tuple[str, str | None]:
    """(open type, open condition): nothing personal or unshared is open."""
    if sharing == "none" or personal:
        return "none", None
    if sharing == "conditional":
        return "conditional", "脱敏后按申请开放"
    return "unconditional", None
