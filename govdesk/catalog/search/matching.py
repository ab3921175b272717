"""How the search text matches: the terms as SQL conditions on the search indexes, the ids of
the matching resources found once through the indexes (or row by row past a cap), and the
first page of a common term sorted by code (see docs/architecture.md, "Search")."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, select, text, true

from govdesk.catalog.search import scoped_read
from govdesk.catalog.search.filters import ResourceFilter
from govdesk.catalog.search.index import terms
from govdesk.db.models import DataResource, ResourceSearch

def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")



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

