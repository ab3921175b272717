"""Catalogue list: filtering, sorting and paging in SQL; details with every field."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from govdesk.catalog.search import matching
from govdesk.catalog.search.browse import (
    ResourceFilter,
    category_tree,
    count_resources,
    count_resources_capped,
    first_page,
    get_resource,
    list_resources,
)
from govdesk.db.engine import Database
from govdesk.db.models import DataResource
from govdesk.errors import ConflictError, InputRejected
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

#: a province-wide reader
WHO = Identity("tester", Role.SECADMIN, host="test")


def test_paging_covers_every_row_once(demo_db: Database) -> None:
    f = ResourceFilter()
    total = count_resources(demo_db, WHO, f)
    codes = [r.code for off in range(0, total, 70) for r in list_resources(demo_db, WHO, f, off, 70)]
    assert len(codes) == total == 300
    assert codes == sorted(codes) and len(set(codes)) == total


def brute_force(db: Database, query: str) -> set[str]:
    """Codes whose name, summary, code or item names contain every term (normalised)."""
    from govdesk.catalog.search.index import normalize, terms

    found = set()
    for row in list_resources(db, WHO, ResourceFilter(), 0, 1000):
        d = get_resource(db, WHO, row.id)
        doc = normalize(" ".join((d.code, d.name, d.summary, *(i.name for i in d.items))))
        if all(t in doc for t in terms(query)):
            found.add(d.code)
    return found


@pytest.mark.parametrize("query", [
    "康复",            # two characters: the bigram index
    "残疾人证",        # 3+: trigram index
    "证",              # one character: scan
    "康复 杭州",       # several terms: all must match
    "公民身份号码",
    "２０１／００００１",  # full-width digits and slash, as typed with a Chinese IME
    "持证残疾人基础信息",
])
def test_search_matches_a_brute_force_scan(demo_db: Database, query: str) -> None:
    found = {r.code for r in list_resources(demo_db, WHO, ResourceFilter(text=query), 0, 1000)}
    assert found and found == brute_force(demo_db, query)
    assert count_resources(demo_db, WHO, ResourceFilter(text=query)) == len(found)


@pytest.mark.parametrize("query", ["康复", "证", "康复 杭州", "持证残疾人基础信息", "残疾人证"])
@pytest.mark.parametrize("cap", [3, 40, 5000])
@pytest.mark.parametrize("walk", [2000, 4])
def test_capped_count_and_first_page_agree_with_brute_force(
        demo_db: Database, query: str, cap: int, walk: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever path a search takes (a known id set below the cap; above it on PostgreSQL a
    short walk in code order, or when that walk finds too few the bitmap scan bounded by code;
    on SQLite the walk with a probe per row), the first page and the count are those of a plain
    scan."""
    monkeypatch.setattr(matching, "WALK", walk)
    expected = sorted(brute_force(demo_db, query))
    count, rows = first_page(demo_db, WHO, ResourceFilter(text=query), 10, cap=cap)
    assert [r.code for r in rows] == expected[:10]
    if len(expected) > cap:
        assert count.n == cap + 1 and not count.exact
    else:
        assert count.n == len(expected) and count.exact
    assert count_resources_capped(demo_db, WHO, ResourceFilter(text=query), cap=cap) == count
    # another filter narrows the capped count; the walk still pages correctly
    f = ResourceFilter(text=query, status="published")
    published = [c for c in expected if c in {r.code for r in list_resources(
        demo_db, WHO, ResourceFilter(status="published"), 0, 1000)}]
    count, rows = first_page(demo_db, WHO, f, 10, cap=cap)
    assert [r.code for r in rows] == published[:10]
    assert count.n == min(len(published), cap + 1)
    assert count.exact == (len(published) <= cap)
    assert count_resources(demo_db, WHO, f) == len(published)


def test_search_finds_chinese_substrings_and_codes(demo_db: Database) -> None:
    rows = list_resources(demo_db, WHO, ResourceFilter(text="康复"), 0, 500)
    assert len(rows) > 10
    assert [r.code for r in list_resources(demo_db, WHO, ResourceFilter(text="201/000001"), 0, 5)] == [
        "201/000001"]
    assert count_resources(demo_db, WHO, ResourceFilter(text="100%_no_such")) == 0


def test_filters_by_category_region_and_status(demo_db: Database) -> None:
    business = list_resources(demo_db, WHO, ResourceFilter(category_code="2"), 0, 500)
    assert business and all(r.code.startswith("2") for r in business)
    hangzhou = count_resources(demo_db, WHO, ResourceFilter(region_code="330100000000"))
    province = count_resources(demo_db, WHO, ResourceFilter(region_code="330000000000"))
    assert 0 < hangzhou < province == 300
    drafts = list_resources(demo_db, WHO, ResourceFilter(status="draft"), 0, 500)
    assert drafts and {r.status for r in drafts} == {"draft"}


GRADE_RANK = {"一般数据1级": 1, "一般数据2级": 2, "一般数据3级": 3, "一般数据4级": 4,
              "重要数据": 5, "核心数据": 6}


@pytest.mark.parametrize(("key", "value"), [
    ("status", lambda r: r.status),
    ("sharing_type", lambda r: r.sharing_type),
    ("grade", lambda r: GRADE_RANK[r.grade]),
    ("code", lambda r: r.code),
])
def test_sorting_happens_in_sql(demo_db: Database, key: str, value) -> None:  # type: ignore[no-untyped-def]
    asc = list_resources(demo_db, WHO, ResourceFilter(sort=key), 0, 300)
    desc = list_resources(demo_db, WHO, ResourceFilter(sort=key, descending=True), 0, 300)
    assert [value(r) for r in asc] == sorted(value(r) for r in asc)
    assert [value(r) for r in desc] == sorted((value(r) for r in desc), reverse=True)
    assert len({value(r) for r in asc}) > 1


def test_unknown_sort_key_is_rejected(demo_db: Database) -> None:
    with pytest.raises(InputRejected):
        list_resources(demo_db, WHO, ResourceFilter(sort="password"), 0, 10)


def test_detail_has_every_metadata_field_and_items(demo_db: Database) -> None:
    row = list_resources(demo_db, WHO, ResourceFilter(text="持证残疾人基础信息"), 0, 1)[0]
    d = get_resource(demo_db, WHO, row.id)
    assert d.code == row.code and d.category_code == "101" and d.provider.endswith("残疾人联合会")
    assert d.format == "database" and d.update_cycle == "daily" and d.summary
    assert d.sharing_type == "conditional" and d.sharing_condition and d.open_type == "none"
    assert [i.seq for i in d.items] == list(range(1, len(d.items) + 1))
    assert {"姓名", "公民身份号码", "残疾人证号"} <= {i.name for i in d.items}
    with pytest.raises(InputRejected, match="does not exist"):
        get_resource(demo_db, WHO, 999_999)


def test_category_tree_counts_subtrees(demo_db: Database) -> None:
    roots = category_tree(demo_db, WHO)
    assert [r.code for r in roots] == ["1", "2", "3"]
    assert sum(r.resource_count for r in roots) == 300
    for root in roots:
        assert root.resource_count == sum(c.resource_count for c in root.children)


def test_stale_write_is_a_conflict(demo_db: Database) -> None:
    with demo_db.session() as s:
        first = s.scalars(select(DataResource).where(DataResource.id == 1)).one()
    with demo_db.session() as s:  # another client saves first
        other = s.get(DataResource, 1)
        assert other is not None
        other.name = "已由他人修改"
    with pytest.raises(ConflictError), demo_db.session() as s:
        stale = s.merge(first, load=False)
        stale.name = "我的修改"
    with demo_db.session() as s:
        kept = s.get(DataResource, 1)
        assert kept is not None and kept.name == "已由他人修改" and kept.version == 2


def test_reindex_after_a_change(demo_db: Database) -> None:
    from govdesk.catalog.search.index import reindex
    from govdesk.db.models import DataItem

    with demo_db.session() as s:
        r = s.get(DataResource, 5)
        assert r is not None
        r.name = "听力语言康复训练档案"
        s.add(DataItem(resource_id=5, seq=99, name="助听器验配结果", data_type="C"))
        reindex(s, [5])
    for query in ("听力语言", "验配", "助听器验配结果"):
        assert [x.id for x in list_resources(demo_db, WHO, ResourceFilter(text=query), 0, 10)] == [5]


def test_filters_by_grade_provider_sharing_and_cycle(demo_db: Database) -> None:
    for f, check in (
        (ResourceFilter(grade_code="general4"), lambda r: r.grade == "一般数据4级"),
        (ResourceFilter(sharing_type="unconditional"), lambda r: r.sharing_type == "unconditional"),
        (ResourceFilter(update_cycle="yearly"), lambda r: r.update_cycle == "yearly"),
    ):
        rows = list_resources(demo_db, WHO, f, 0, 500)
        assert rows and all(check(r) for r in rows)
        assert count_resources(demo_db, WHO, f) == len(rows) < 300
    first = get_resource(demo_db, WHO, 1)
    rows = list_resources(demo_db, WHO, ResourceFilter(provider_org_id=1), 0, 500)
    assert all(r.provider == "中国残疾人联合会" for r in rows)
    assert first.provider in {r.provider for r in list_resources(demo_db, WHO, ResourceFilter(
        text=first.code), 0, 5)}


def test_region_tree_counts(demo_db: Database) -> None:
    from govdesk.catalog.search.browse import region_children

    (nation,) = region_children(demo_db, WHO, None)
    assert nation.code == "000000000000" and nation.resource_count == 300
    provinces = region_children(demo_db, WHO, nation.code)
    assert [p.name for p in provinces] == ["浙江省"] and provinces[0].resource_count == 300
    cities = region_children(demo_db, WHO, provinces[0].code)
    assert sum(c.resource_count for c in cities) < 300  # some belong to the province itself
    hz = next(c for c in cities if c.name == "杭州市")
    assert hz.resource_count == count_resources(demo_db, WHO, ResourceFilter(region_code=hz.code))
    hz_user = Identity("hz", Role.VIEWER, region_code="330100000000", host="t")
    (top,) = region_children(demo_db, hz_user, None)
    assert top.name == "杭州市"


def test_bigram_codes_are_exact(pg_db: Database) -> None:
    """Migration 0011 codes each bigram as its UTF-8 bytes: different bigrams never share a
    code, whatever their width (ASCII, Chinese, four-byte characters, mixed)."""
    grams = ["ab", "ba", "a1", "康复", "复康", "康a", "a康", "𠀀𠀁", "𠀁𠀀", "康𠀀", "00", "0a"]
    with pg_db.session() as s:
        codes = s.execute(text("SELECT govdesk_gram_codes(:g)"), {"g": " ".join(grams)}).scalar_one()
        assert len(codes) == len(grams) == len(set(codes))
        assert codes == [int.from_bytes(g.encode(), "big", signed=False) - (
            1 << 64 if int.from_bytes(g.encode(), "big") >= 1 << 63 else 0) for g in grams]
        assert s.execute(text("SELECT govdesk_gram_codes('')")).scalar_one() == []
