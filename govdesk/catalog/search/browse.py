"""Read side of the catalogue: filtered, sorted, paged lists and resource details, all in SQL.

Every function opens its own unit of work on the given :class:`Database` and may be called from
any thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    text,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from govdesk.catalog.search import scoped_read
from govdesk.catalog.dto import CategoryNode, DataItemInfo, ResourceDetail, ResourceRow
from govdesk.catalog.search.index import terms
from govdesk.db import keyset
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, KeyPage, Seek
from govdesk.db.models import (
    Category,
    DataItem,
    DataResource,
    Grade,
    GradeScheme,
    Organisation,
    Region,
    ResourceProfile,
    ResourceSearch,
)
from govdesk.errors import InputRejected
from govdesk.security.identity import Identity
from govdesk.security.kernel import (
    ResourceNotFound,
    edit_scope,
    narrows,
    read_scope,
    region_prefix,
    service,
)
from govdesk.security.roles import Op

#: sort keys the list accepts, mapped to SQL columns (the UI's column ids)
SORT_COLUMNS = {
    "code": DataResource.code,
    "name": DataResource.name,
    "category": Category.code,
    "provider": Organisation.name,
    "region": DataResource.region_code,
    "grade": Grade.rank,
    "sharing_type": DataResource.sharing_type,
    "update_cycle": DataResource.update_cycle,
    "status": DataResource.status,
    "updated_at": DataResource.updated_at,
}


@dataclass(frozen=True)
class ResourceFilter:
    """What the catalogue list shows. Empty fields do not filter."""

    text: str = ""
    category_code: str | None = None  #: this category and everything below it
    region_code: str | None = None  #: this region and everything below it
    status: str | None = None
    grade_code: str | None = None  #: a grade of the active scheme
    provider_org_id: int | None = None
    sharing_type: str | None = None
    update_cycle: str | None = None
    sort: str = "code"
    descending: bool = False


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: the scope rule lives in the service kernel; these names stay for the callers that use them
_region_prefix = region_prefix
scope_clause = read_scope
edit_scope_clause = edit_scope


#: a search matching more resources than this is "common": its count shows as "5,000+" until
#: the exact count arrives, and its first page walks the code index (many hits, found early)
MATCH_CAP = 2000


def _term_conditions(query: str, dialect: str) -> list[Any]:
    """SQL conditions on ``resource_search`` that together say: the document holds every term
    of ``query``.

    SQLite: terms of 3+ characters use the trigram FTS5 table, 2-character word terms the bigram
    FTS5 table, anything else a substring scan of the document.
    PostgreSQL: see :func:`_pg_term_conditions`.
    """
    if dialect == "postgresql":
        return _pg_term_conditions(terms(query))
    conditions: list[Any] = []
    for n, term in enumerate(terms(query)):
        if len(term) >= 3:
            conditions.append(ResourceSearch.resource_id.in_(
                text(f"SELECT rowid FROM resource_fts WHERE resource_fts MATCH :q{n}")
                .bindparams(**{f"q{n}": '"' + term.replace('"', '""') + '"'})))
        elif _is_bigram(term):
            conditions.append(ResourceSearch.resource_id.in_(
                text(f"SELECT rowid FROM resource_bigram_fts WHERE resource_bigram_fts "
                     f"MATCH :q{n}").bindparams(**{f"q{n}": f'"{term}"'})))
        else:
            conditions.append(ResourceSearch.text.like(f"%{_like_escape(term)}%", escape="\\"))
    return conditions


def _pg_term_conditions(words: list[str]) -> list[Any]:
    """PostgreSQL: two-character word terms through the integer-coded bigram GIN index (one
    containment for all of them), every other term through LIKE (pg_trgm's GIN index serves
    three or more characters; shorter ones scan)."""
    grams, likes = _pg_term_parts(words)
    conditions: list[Any] = [
        ResourceSearch.text.like(f"%{_like_escape(t)}%", escape="\\") for t in likes]
    if grams:  # migration 0011: the database codes both sides with the same function
        conditions.insert(0, text("resource_search.grams @> govdesk_gram_codes(:grams)")
                          .bindparams(grams=grams))
    return conditions


def _pg_term_parts(words: list[str]) -> tuple[str, list[str]]:
    """PostgreSQL: (the two-character word terms, space-separated, for the bigram index; the
    other terms, matched as substrings)."""
    return " ".join(t for t in words if _is_bigram(t)), [t for t in words if not _is_bigram(t)]


def _is_bigram(term: str) -> bool:
    """A two-character word term: the bigram index (FTS5 table or ``grams``) answers it exactly."""
    return len(term) == 2 and term.isalnum()


_TRIGRAM = re.compile(r"[^\W_]{3}")


def _indexed(query: str) -> bool:
    """True when every term of ``query`` has an index (a bigram, or three letters or digits in a
    row for the trigram index): its matches can be found without reading the whole table."""
    return all(_is_bigram(t) or _TRIGRAM.search(t) for t in terms(query))


def text_clause(query: str, dialect: str) -> Any:
    """SQL condition: the resource's search document contains every term of ``query``, checked
    row by row (an EXISTS on the search table's primary key). Cheap per row: right when many
    resources match and the list walks an index in sort order."""
    parts = _fts_parts(query) if dialect == "sqlite" else None
    if parts:
        # SQLite: the FTS5 rowid lists, intersected once into a temporary b-tree that each row
        # of the walk probes. The unary "+" keeps SQLite from turning it around (one primary-
        # key lookup per match, then a sort), which is linear in the matches: measured 6-13 ms
        # for common two-character terms against 22-80 ms for either alternative.
        sql = " INTERSECT ".join(p for p, _prm in parts)
        return text(f"+data_resources.id IN ({sql})").bindparams(
            **{k: v for _p, prm in parts for k, v in prm.items()})
    conditions = _term_conditions(query, dialect)
    if not conditions:
        return true()
    return select(ResourceSearch.resource_id).where(
        ResourceSearch.resource_id == DataResource.id, *conditions).exists()


def _match(session: Any, query: str, dialect: str, cap: int | None,
           scoped: bool = False) -> _Text:
    """How ``query`` matches: the ids of the resources whose search document contains every
    term, found through the search indexes alone (scope not applied), or None past ``cap``.

    PostgreSQL: one statement with all terms ANDed on one row, so the GIN bitmaps combine.
    ``scoped`` (a login under row-level security): the same through
    ``govdesk_catalog_matches``, which returns only documents the login may see, so the ids
    are the visible matches (scope applied).
    SQLite: when every term has an FTS5 index, the rowid lists intersect inside the FTS tables
    without touching the (wide) search table.
    """
    cap = MATCH_CAP if cap is None else cap
    parts = _fts_parts(query) if dialect == "sqlite" else None
    codes: list[str] = []
    in_order = False  # the ids are the first matches in code order
    if scoped:
        grams, likes = _pg_term_parts(terms(query))
        found, in_order = scoped_read.matches(session, grams, likes, None, cap + 1,
                                              index_only=_indexed(query))
        ids = [rid for rid, _code in found]
        codes = [code for _rid, code in found if code is not None]
    elif parts:
        sql = " INTERSECT ".join(p for p, _params in parts) + f" LIMIT {int(cap) + 1}"
        params = {k: v for _p, prm in parts for k, v in prm.items()}
        ids = [row[0] for row in session.execute(text(sql), params)]
    else:
        # the sample, sorted by the database (its collation orders codes, not Python's);
        # Core, not the ORM: thousands of plain (id, code) rows
        sample = select(ResourceSearch.resource_id, ResourceSearch.code).where(
            *_term_conditions(query, dialect)).limit(cap + 1).subquery()
        # bitmap scans, not sequential ones: a sequential scan of a table larger than a quarter
        # of shared_buffers reads through a small ring buffer, so every search would read
        # its pages from the operating system again (measured 23 ms against 8 ms for 康复)
        with _pg_setting(session, dialect, "enable_seqscan", "off", _indexed(query)):
            rows = session.connection().execute(
                select(sample.c.resource_id, sample.c.code).order_by(sample.c.code)).all()
        ids = [r[0] for r in rows]
        codes = [r[1] for r in rows if r[1] is not None]
    complete = len(codes) == len(ids)  # every document carries its code
    if dialect != "postgresql" or not complete:
        return _Text(ids if len(ids) <= cap else None, query, scoped=scoped)
    if len(ids) <= cap:
        return _Text(ids, query, tuple(codes[:PAGE_BOUND]), tuple(ids[:PAGE_BOUND]), scoped)
    return _Text(None, query, tuple(codes[:PAGE_BOUND]),
                 tuple(ids[:PAGE_BOUND]) if in_order else (), scoped)


#: a common term's first page is bounded by the code of its this-many-th match among a sample
PAGE_BOUND = 200


def _fts_parts(query: str) -> list[tuple[str, dict[str, str]]] | None:
    """SQLite: one ``SELECT rowid FROM <fts> WHERE MATCH`` per term, or None when a term has no
    FTS index (one character, punctuation)."""
    parts = []
    for n, term in enumerate(terms(query)):
        if len(term) >= 3:
            parts.append((f"SELECT rowid FROM resource_fts WHERE resource_fts MATCH :q{n}",
                          {f"q{n}": '"' + term.replace('"', '""') + '"'}))
        elif _is_bigram(term):
            parts.append((f"SELECT rowid FROM resource_bigram_fts WHERE resource_bigram_fts "
                          f"MATCH :q{n}", {f"q{n}": f'"{term}"'}))
        else:
            return None
    return parts


@dataclass(frozen=True)
class _Text:
    """How the current unit of work matches the search text: a known id set or row by row.
    ``lowest_codes``: for a common term on PostgreSQL, the smallest codes among the first
    matches found (an upper bound for the first page's codes)."""

    ids: list[int] | None
    query: str
    lowest_codes: tuple[str, ...] = ()
    #: with ``ids`` known (PostgreSQL), or when the scoped sample was the first matches in code
    #: order: the ids of the smallest codes, in code order
    first_by_code: tuple[int, ...] = ()
    #: found through the scoped functions (a login under row-level security): only visible
    #: resources, so the user's scope no longer narrows anything
    scoped: bool = False


def _text_match(session: Any, f: ResourceFilter, dialect: str,
                cap: int | None = None, scoped: bool = False) -> _Text | None:
    if not f.text.strip() or not terms(f.text):
        return None
    return _match(session, f.text, dialect, cap, scoped)


def _first_ids_by_code(session: Any, match: _Text, limit: int) -> list[int] | None:
    """PostgreSQL, a common term, sorted by code: the ids of its first ``limit`` matches.

    Any ``limit`` matches bound the page: every row of the true first page has a code at most
    the ``limit``-th smallest code among them (``lowest_codes``). Two ways, cheapest first:

    - a dense term: walk the first :data:`WALK` resources in code order and check each one.
      When that finds ``limit`` matches they are the page (they are a prefix of the order).
    - otherwise: one bitmap scan ANDs the term's GIN index with the code range and sorts what
      falls below the bound. Plain index scans are switched off for it: the planner takes the
      term to be spread evenly over the codes and would walk the code index, which for a term
      clustered at the end of the order means reading nearly every row. Sequential scans too,
      when the terms are indexed: with a distant bound the planner chose a parallel sequential
      scan of the whole table (72 ms for 部门, against 32 ms through the bigram index).
    """
    if len(match.lowest_codes) < limit or limit <= 0:
        return None
    bound = match.lowest_codes[limit - 1]
    if match.scoped:  # the same two ways, inside govdesk_catalog_matches
        grams, likes = _pg_term_parts(terms(match.query))
        found, _in_order = scoped_read.matches(session, grams, likes, bound, limit, WALK,
                                               _indexed(match.query))
        return [rid for rid, _code in found]
    conditions = _term_conditions(match.query, "postgresql")
    prefix = (select(ResourceSearch.resource_id, ResourceSearch.code,
                     case((and_(*conditions), True), else_=False).label("hit"))
              .where(ResourceSearch.code <= bound)
              .order_by(ResourceSearch.code).limit(WALK).subquery())
    walked = list(session.scalars(select(prefix.c.resource_id).where(prefix.c.hit)
                                  .order_by(prefix.c.code).limit(limit)))
    if len(walked) == limit:
        return walked
    with _pg_setting(session, "postgresql", "enable_indexscan", "off"), \
            _pg_setting(session, "postgresql", "enable_seqscan", "off", _indexed(match.query)):
        return list(session.scalars(
            select(ResourceSearch.resource_id)
            .where(*conditions, ResourceSearch.code <= bound)
            .order_by(ResourceSearch.code).limit(limit)))


#: how many resources in code order a dense term's first page may check one by one (about
#: 2 µs each); a term matching more than one in ten fills a 200-row page within it
WALK = 2000


@contextlib.contextmanager
def _pg_setting(session: Any, dialect: str, name: str, value: str,
                when: bool = True) -> Iterator[None]:
    """PostgreSQL: planner setting ``name`` = ``value`` for the statements run inside (local to
    the transaction, restored afterwards). Nothing on SQLite, or when ``when`` is false."""
    if dialect != "postgresql" or not when:
        yield
        return
    old = session.execute(text("SELECT current_setting(:n), set_config(:n, :v, true)"),
                          {"n": name, "v": value}).first()[0]
    try:
        yield
    finally:
        session.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": old})


def _filtered(stmt: Any, f: ResourceFilter, who: Identity, dialect: str,
              match: _Text | None = None) -> Any:
    """``stmt`` narrowed to what ``f`` asks for (what ``who`` may see is added by the service
    kernel to every statement of a service). ``match`` (from :func:`_text_match`) lets the text
    condition use an id set found once through the indexes; without it the text is matched row
    by row."""
    if match is not None and match.ids is not None:
        stmt = stmt.where(DataResource.id.in_(_id_list(match.ids, dialect)))
    elif f.text.strip():
        stmt = stmt.where(text_clause(f.text, dialect))
    if f.category_code:
        stmt = stmt.where(DataResource.category_id.in_(select(Category.id).where(
            Category.code.like(_like_escape(f.category_code) + "%", escape="\\"))))
    if f.region_code:
        stmt = stmt.where(DataResource.region_code.like(_region_prefix(f.region_code) + "%"))
    if f.status:
        stmt = stmt.where(DataResource.status == f.status)
    if f.grade_code:
        stmt = stmt.where(DataResource.grade_id.in_(
            select(Grade.id).join(GradeScheme).where(Grade.code == f.grade_code,
                                                     GradeScheme.is_active.is_(True))))
    if f.provider_org_id is not None:
        stmt = stmt.where(DataResource.provider_org_id == f.provider_org_id)
    if f.sharing_type:
        stmt = stmt.where(DataResource.sharing_type == f.sharing_type)
    if f.update_cycle:
        stmt = stmt.where(DataResource.update_cycle == f.update_cycle)
    return stmt


def _id_list(ids: list[int], dialect: str) -> Any:
    """A sub-select yielding ``ids`` from one bound parameter (an array on PostgreSQL, JSON on
    SQLite). Unlike a literal IN list it makes both planners probe the primary key per id and
    sort the few matches, rather than walk the sort index filtering against a long list."""
    if dialect == "postgresql":
        return select(func.unnest(bindparam("match_ids", ids, type_=ARRAY(Integer))))
    return text("SELECT value FROM json_each(:match_ids)").bindparams(
        match_ids=json.dumps(ids))


def _narrowed(f: ResourceFilter, who: Identity, scoped: bool = False) -> bool:
    """True when anything but the text narrows the list (a filter, or a regional scope, unless
    the match is ``scoped``: already limited to what the login may see)."""
    return bool(f.category_code or f.region_code or f.status or f.grade_code
                or f.provider_org_id is not None or f.sharing_type or f.update_cycle
                or (not scoped and narrows(who)))


def _conditions(f: ResourceFilter, match: _Text | None) -> dict[str, Any]:
    """``f`` (with the text as ``match``'s ids when known, else as terms) in the form the scoped
    functions take (migration 0013, ``govdesk_catalog_filter_sql``); the same conditions as
    :func:`_filtered`, scope apart (the functions add the login's own)."""
    c: dict[str, Any] = {}
    if match is not None and match.ids is not None:
        c["ids"] = match.ids
    elif f.text.strip() and terms(f.text):
        c["grams"], c["likes"] = _pg_term_parts(terms(f.text))
    if f.category_code:
        c["category"] = f.category_code
    if f.region_code:
        c["region_prefix"] = _region_prefix(f.region_code)
    for key, value in (("status", f.status), ("grade", f.grade_code),
                       ("sharing_type", f.sharing_type), ("update_cycle", f.update_cycle)):
        if value:
            c[key] = value
    if f.provider_org_id is not None:
        c["provider"] = f.provider_org_id
    return c


def _joined(stmt: Any) -> Any:
    return (stmt.join(Category, DataResource.category_id == Category.id)
            .join(Organisation, DataResource.provider_org_id == Organisation.id)
            .outerjoin(Grade, DataResource.grade_id == Grade.id))


@service(Op.CATALOG_READ)
def count_resources(db: Database, who: Identity, f: ResourceFilter) -> int:
    """How many resources visible to ``who`` match ``f``, exactly. Raises PermissionDenied."""
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        match = _text_match(s, f, db.dialect, scoped=scoped)
        if scoped:
            return scoped_read.count(s, _conditions(f, match))
        if match is not None and match.ids is None:  # common text: a semi-join on the index
            match = None
            stmt = _filtered(select(func.count(DataResource.id)), dataclasses.replace(f, text=""),
                             who, db.dialect).where(DataResource.id.in_(
                                 select(ResourceSearch.resource_id).where(
                                     *_term_conditions(f.text, db.dialect))))
        else:  # no joins: every filter is on data_resources (or a sub-select)
            stmt = _filtered(select(func.count(DataResource.id)), f, who, db.dialect, match)
        return int(s.execute(stmt).scalar_one())


@dataclass(frozen=True)
class Count:
    """A count that may stop at a cap: ``exact`` False means "more than ``n - 1``"."""

    n: int
    exact: bool


@service(Op.CATALOG_READ)
def count_resources_capped(db: Database, who: Identity, f: ResourceFilter,
                           cap: int | None = None) -> Count:
    """Like :func:`count_resources`, but a search matching more than ``cap`` resources answers
    at once with ``Count(cap + 1, exact=False)`` (the list shows "5,000+" and asks for the exact
    count in the background). Raises PermissionDenied."""
    cap = MATCH_CAP if cap is None else cap
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        return _capped_count(s, db, who, f, _text_match(s, f, db.dialect, cap, scoped), cap,
                             scoped)


def _capped_count(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
                  cap: int, scoped: bool) -> Count:
    narrowed = _narrowed(f, who, scoped)
    if match is not None and match.ids is not None and not narrowed:
        return Count(len(match.ids), True)  # every match is visible and nothing else filters
    if match is None or match.ids is not None:
        if scoped:
            return Count(scoped_read.count(s, _conditions(f, match)), True)
        stmt = _filtered(select(func.count(DataResource.id)), f, who, db.dialect, match)
        return Count(int(s.execute(stmt).scalar_one()), True)
    if not narrowed:
        return Count(cap + 1, False)
    if scoped:
        n = scoped_read.count(s, _conditions(f, match), cap)
    else:
        inner = _filtered(select(DataResource.id), f, who, db.dialect, match).limit(cap + 1)
        n = int(s.execute(select(func.count()).select_from(inner.subquery())).scalar_one())
    return Count(n, n <= cap)


@service(Op.CATALOG_READ)
def first_page(db: Database, who: Identity, f: ResourceFilter, limit: int,
               cap: int | None = None) -> tuple[Count, list[ResourceRow]]:
    """What the list shows first: the (capped) count and the first ``limit`` rows, with the
    search text matched once for both. Raises InputRejected, PermissionDenied."""
    count, page = first_keyed_page(db, who, f, limit, cap)
    return count, page.rows


@service(Op.CATALOG_READ)
def first_keyed_page(db: Database, who: Identity, f: ResourceFilter, limit: int,
                     cap: int | None = None) -> tuple[Count, KeyPage[ResourceRow]]:
    """:func:`first_page` with the rows' keys, from which the next pages are asked for
    (:func:`page_resources`)."""
    cap = MATCH_CAP if cap is None else cap
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        match = _text_match(s, f, db.dialect, cap, scoped)
        return (_capped_count(s, db, who, f, match, cap, scoped),
                _page(s, db, who, f, match, Seek(limit=limit), scoped))


@service(Op.CATALOG_READ)
def list_resources(db: Database, who: Identity, f: ResourceFilter, offset: int,
                   limit: int) -> list[ResourceRow]:
    """One page of the resources visible to ``who`` matching ``f`` by offset (rows passed over
    are read: the list itself pages by key, :func:`page_resources`). Sorted as that list.
    Raises InputRejected for an unknown sort key, PermissionDenied.
    """
    return page_resources(db, who, f, Seek(skip=offset, limit=limit)).rows


@service(Op.CATALOG_READ)
def page_resources(db: Database, who: Identity, f: ResourceFilter,
                   seek: Seek) -> KeyPage[ResourceRow]:
    """One page of the resources visible to ``who`` matching ``f``, sorted in SQL by ``f.sort``
    (NULL last ascending, first descending) then code ascending, asked for by the key of a
    neighbouring row (:class:`govdesk.db.keyset.Seek`; keys come from a page of the same
    filter): a page deep in the list costs what the first page costs. Raises InputRejected for
    an unknown sort key or a key that is not one, PermissionDenied."""
    if seek.after is not None and not isinstance(seek.after, Key):
        raise InputRejected("bad_page_key")
    with db.session() as s:
        scoped = scoped_read.under_rls(s, db)
        return _page(s, db, who, f, _text_match(s, f, db.dialect, scoped=scoped), seek, scoped)


#: sort keys that may be NULL (a resource without a grade): NULL sorts as the largest value
NULLABLE_SORTS = frozenset({"grade"})


def _page(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
          seek: Seek, scoped: bool = False) -> KeyPage[ResourceRow]:
    """One page. ``scoped`` (a login under row-level security): the page's ids and keys come
    from the scoped function (migration 0021), then their rows by primary key."""
    if f.sort not in SORT_COLUMNS:
        raise InputRejected("bad_sort", sort=f.sort)
    limit = max(0, seek.limit)
    page: list[int] | None = None  # the first page's ids in code order, when known
    if (match is not None and seek.at_start and f.sort == "code" and not f.descending
            and not _narrowed(f, who, scoped)):
        if match.ids is not None and match.first_by_code and (
                len(match.first_by_code) >= limit or len(match.ids) == len(match.first_by_code)):
            page = list(match.first_by_code[:limit])  # the page, by code
        elif match.ids is None and len(match.first_by_code) >= limit:
            page = list(match.first_by_code[:limit])  # a sample taken in code order
        elif match.ids is None and match.lowest_codes:
            page = _first_ids_by_code(s, match, limit)
        if page is not None and not scoped:
            match, page = _Text(page, match.query), None
    if page is None and not scoped:
        rows, keys = _owner_page(s, db, who, f, match, seek)
        return KeyPage.fetched(rows, keys, seek)
    found: dict[int, Key] = {}
    if page is None:
        pairs = scoped_read.keyset(s, _conditions(f, match), f.sort, f.descending, seek)
        page, found = [rid for rid, _k in pairs], dict(pairs)
    rows = _rows_by_id(s, db, page, scoped)
    # a first page taken from the search sample is sorted by code: the code is the key
    return KeyPage.fetched(rows, [found.get(r.id) or Key(r.code, r.code) for r in rows], seek)


def _owner_page(s: Any, db: Database, who: Identity, f: ResourceFilter, match: _Text | None,
                seek: Seek) -> tuple[list[ResourceRow], list[Key]]:
    """One page in fetch order with its keys, for the owner and on SQLite, in one statement
    (:func:`_owner_page_statement`, built once per filter and kind of page)."""
    after: Key | None = seek.after
    kind = "start" if after is None else ("null" if after.value is None else "value")
    ids = match.ids if match is not None and match.ids is not None else None
    stmt = _owner_page_statement(f, who, db.dialect, seek.backward, kind, ids is not None,
                                 dt.date.today())
    params: dict[str, Any] = {"skip": max(0, seek.skip), "limit": max(0, seek.limit)}
    if after is not None:
        params["after_tie"] = after.tie
        if after.value is not None:
            params["after_value"] = after.value
    if ids is not None:
        params["match_ids"] = ids if db.dialect == "postgresql" else json.dumps(ids)
    result = s.execute(stmt, params).all()
    return ([ResourceRow(*r[:12]) for r in result], [Key(r[12], r[13]) for r in result])


@functools.lru_cache(maxsize=64)
def _owner_page_statement(f: ResourceFilter, who: Identity, dialect: str, backward: bool,
                          after: str, with_ids: bool, today: dt.date) -> Any:
    """The statement of one page for the owner and on SQLite: the page is chosen from (id,
    sort value, code) with only the sort column's own join, then only its rows are joined and
    their items counted (a row passed over is never built). Key values, skip, limit and the
    matched ids are parameters, so paging through a list builds it once (building and caching
    a statement of this size costs more than running it on SQLite). ``after``: "start" (no
    key), "null" (the key's sort value is NULL) or "value"; ``today`` dates the sharing
    grants in the scope."""
    value: Any = SORT_COLUMNS[f.sort]
    if dialect == "sqlite" and f.sort == "updated_at":
        # the stored text is the key: rows written by different paths store times with and
        # without microseconds, which a bound datetime (always with) would not compare equal to
        value = type_coerce(value, String)
    stmt = select(DataResource.id.label("id"), value.label("sort_value"),
                  DataResource.code.label("tie"))
    if f.sort == "category":
        stmt = stmt.join(Category, DataResource.category_id == Category.id)
    elif f.sort == "provider":
        stmt = stmt.join(Organisation, DataResource.provider_org_id == Organisation.id)
    elif f.sort == "grade":
        stmt = stmt.outerjoin(Grade, DataResource.grade_id == Grade.id)
    stmt = _filtered(stmt, f, who, dialect, _Text([], f.text) if with_ids else None)
    nullable = f.sort in NULLABLE_SORTS
    by_code = f.sort == "code"
    seek = Seek(backward=backward)
    if after != "start":
        key = Key(None if after == "null" else bindparam("after_value", type_=value.type),
                  bindparam("after_tie", type_=String))
        stmt = stmt.where(keyset.beyond(DataResource.code if by_code else value,
                                        DataResource.code, key, seek,
                                        descending=f.descending, nullable=nullable))
    stmt = stmt.order_by(*keyset.order(DataResource.code if by_code else value,
                                       DataResource.code, seek, descending=f.descending,
                                       nullable=nullable))
    page = (stmt.offset(bindparam("skip", type_=Integer))
            .limit(bindparam("limit", type_=Integer)).subquery("page"))
    region = aliased(Region)
    items = (select(func.count(DataItem.id)).where(DataItem.resource_id == page.c.id)
             .scalar_subquery())
    return select(
        DataResource.id, DataResource.code, DataResource.name, Category.name, Organisation.name,
        region.name, Grade.name, DataResource.sharing_type, DataResource.update_cycle,
        DataResource.status, items, DataResource.updated_at, page.c.sort_value, page.c.tie,
    ).select_from(page).join(DataResource, DataResource.id == page.c.id) \
        .join(Category, DataResource.category_id == Category.id) \
        .join(Organisation, DataResource.provider_org_id == Organisation.id) \
        .outerjoin(Grade, DataResource.grade_id == Grade.id) \
        .join(region, DataResource.region_code == region.code) \
        .order_by(*keyset.order(page.c.tie if by_code else page.c.sort_value, page.c.tie, seek,
                                descending=f.descending, nullable=nullable))


def _rows_by_id(s: Any, db: Database, ids: list[int], scoped: bool) -> list[ResourceRow]:
    """The list rows of ``ids``, in that order (ids no longer visible left out). ``scoped``:
    item counts through the scoped function (the data_items policy per item row is slow)."""
    if not ids:
        return []
    by_id = {row.id: ResourceRow(*row) for row in s.execute(
        _row_select(with_items=not scoped).where(DataResource.id.in_(_id_list(ids, db.dialect))))}
    if scoped and by_id:
        items = scoped_read.item_counts(s, ids)
        by_id = {i: dataclasses.replace(r, item_count=items.get(i, 0)) for i, r in by_id.items()}
    return [by_id[i] for i in ids if i in by_id]


def _row_select(with_items: bool = True) -> Any:
    """The columns of a list row (:class:`ResourceRow`), with their joins; without
    ``with_items`` the item count is left 0 (the scoped path asks for it separately)."""
    item_count: Any = (
        select(func.count(DataItem.id)).where(DataItem.resource_id == DataResource.id)
        .correlate(DataResource).scalar_subquery() if with_items else literal(0))
    region = aliased(Region)
    return _joined(select(
        DataResource.id, DataResource.code, DataResource.name, Category.name, Organisation.name,
        region.name, Grade.name, DataResource.sharing_type, DataResource.update_cycle,
        DataResource.status, item_count, DataResource.updated_at,
    )).join(region, DataResource.region_code == region.code)


@service(Op.CATALOG_READ, resource="resource_id")
def get_resource(db: Database, who: Identity, resource_id: int) -> ResourceDetail:
    """All metadata and data items of one resource visible to ``who``. Raises InputRejected when
    it does not exist or is outside the user's scope (the two are not told apart)."""
    with db.session() as s:
        r = s.get(DataResource, resource_id)
        if r is None:  # deleted since the kernel looked
            raise ResourceNotFound(resource_id)
        cat = s.get(Category, r.category_id)
        org = s.get(Organisation, r.provider_org_id)
        region = s.get(Region, r.region_code)
        grades = {g.id: g.name for g in s.execute(select(Grade)).scalars()}
        items = tuple(
            DataItemInfo(i.id, i.seq, i.name, i.data_type, i.length, i.description,
                         grades.get(i.grade_id) if i.grade_id else None, i.is_authoritative,
                         i.standard_code)
            for i in r.items
        )
        assert cat is not None and org is not None
        quality = s.execute(select(ResourceProfile.quality_score, ResourceProfile.profiled_at)
                            .where(ResourceProfile.resource_id == r.id)
                            .order_by(ResourceProfile.id.desc()).limit(1)).first()
        return ResourceDetail(
            id=r.id, code=r.code, name=r.name, category_code=cat.code, category=cat.name,
            provider=org.name, provider_code=r.provider_code, region_code=r.region_code,
            region=region.name if region else r.region_code, summary=r.summary, format=r.format,
            sharing_type=r.sharing_type, sharing_condition=r.sharing_condition,
            sharing_basis=r.sharing_basis, sharing_method=r.sharing_method,
            open_type=r.open_type, open_condition=r.open_condition,
            update_cycle=r.update_cycle, publish_date=r.publish_date,
            related_codes=tuple(c for c in (r.related_codes or "").split(";") if c),
            grade=grades.get(r.grade_id) if r.grade_id else None, status=r.status,
            created_by=r.created_by, created_at=r.created_at, updated_at=r.updated_at,
            version=r.version, items=items,
            quality_score=quality[0] if quality else None,
            quality_measured=quality[1] if quality else None,
        )


@service(Op.CATALOG_READ)
def category_tree(db: Database, who: Identity) -> tuple[CategoryNode, ...]:
    """The category forest (roots first, by sort order) with counts of the resources visible to
    ``who`` per subtree."""
    with db.session() as s:
        cats = s.execute(select(Category).order_by(Category.sort_order, Category.code)).scalars().all()
        if scoped_read.under_rls(s, db):
            direct = {int(k): n for k, n in scoped_read.counts(s, "category").items()}
        else:
            direct = dict(s.execute(
                select(DataResource.category_id, func.count())
                .group_by(DataResource.category_id)).all())
    children: dict[int | None, list[Category]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)

    def build(c: Category) -> CategoryNode:
        kids = tuple(build(k) for k in children.get(c.id, []))
        total = int(direct.get(c.id, 0)) + sum(k.resource_count for k in kids)
        return CategoryNode(c.id, c.code, c.name, c.kind, total, kids)

    return tuple(build(c) for c in children.get(None, []))


@dataclass(frozen=True)
class RegionNode:
    """A region and how many visible resources are registered in it and below."""

    code: str
    name: str
    level: int
    resource_count: int
    has_children: bool


@service(Op.CATALOG_READ)
def region_children(db: Database, who: Identity, parent_code: str | None) -> list[RegionNode]:
    """The regions directly below ``parent_code`` (None: the top of ``who``'s area) that hold
    visible resources, with counts, for the region tree. Counting is one GROUP BY in SQL."""
    with db.session() as s:
        if parent_code is None:
            top = who.region_code or s.scalar(select(Region.code).where(Region.level == 0))
            regions = s.scalars(select(Region).where(Region.code == top)).all()
        else:
            regions = s.scalars(select(Region).where(Region.parent_code == parent_code)
                                .order_by(Region.code)).all()
        if not regions:
            return []
        if scoped_read.under_rls(s, db):
            counts = scoped_read.counts(s, "region")
        else:
            counts = dict(s.execute(select(DataResource.region_code, func.count())
                                    .group_by(DataResource.region_code)).all())
        parents = set(s.scalars(select(Region.parent_code).where(
            Region.parent_code.in_([r.code for r in regions])).distinct()))
    result = []
    for r in regions:
        prefix = _region_prefix(r.code)
        total = sum(n for code, n in counts.items() if code.startswith(prefix))
        if total or parent_code is None:
            result.append(RegionNode(r.code, r.name, r.level, int(total), r.code in parents))
    return result
