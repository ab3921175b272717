"""The catalogue search index: one document per resource (code, name, summary, data-item names).

Three paths, chosen per search term, because no single index serves Chinese well
(BASELINES.md): terms of three or more characters use SQLite FTS5's trigram tokenizer or
PostgreSQL's pg_trgm GIN index; two-character terms (康复, 就业, the most common searches) use a
bigram index we build ourselves; one-character terms fall back to a scan. Text is normalised
the same way when indexed and when searched: NFKC (full-width digits and letters become
half-width), lower case, runs of white space collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w]+", re.UNICODE)


def normalize(text: str) -> str:
    """NFKC, lower case, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def bigrams(text: str) -> list[str]:
    """Distinct overlapping two-character grams of every word of ``text`` (normalised), in the
    order they first occur."""
    return _grams(normalize(text))


def _grams(normalized: str) -> list[str]:
    return list(dict.fromkeys(word[i:i + 2] for word in _WORD.findall(normalized)
                              for i in range(len(word) - 1)))


def document(code: str, name: str, summary: str, item_names: Iterable[str]) -> tuple[str, str]:
    """(text, bigram tokens) indexed for one resource."""
    text = normalize(" ".join((code, name, summary, *item_names)))
    return text, " ".join(_grams(text))  # normalised once: normalize() is idempotent


def terms(query: str) -> list[str]:
    """The search terms of ``query``: normalised, split on white space, duplicates dropped."""
    return list(dict.fromkeys(t for t in normalize(query).split(" ") if t))


def reindex(session: Any, resource_ids: Iterable[int]) -> None:
    """Rebuild the search documents of ``resource_ids`` inside the caller's unit of work (call
    after any change to a resource's code, name, summary or data items). Deleted resources
    lose their document through the foreign key's ON DELETE CASCADE."""
    from sqlalchemy import delete, select

    from govdesk.db.models import DataItem, DataResource, ResourceSearch

    ids = list(resource_ids)
    if not ids:
        return
    session.flush()
    names: dict[int, list[str]] = {}
    for rid, name in session.execute(select(DataItem.resource_id, DataItem.name)
                                      .where(DataItem.resource_id.in_(ids))
                                      .order_by(DataItem.resource_id, DataItem.seq)):
        names.setdefault(rid, []).append(name)
    session.execute(delete(ResourceSearch).where(ResourceSearch.resource_id.in_(ids)))
    for rid, code, name, summary in session.execute(
            select(DataResource.id, DataResource.code, DataResource.name, DataResource.summary)
            .where(DataResource.id.in_(ids))):
        text, grams = document(code, name, summary or "", names.get(rid, []))
        session.add(ResourceSearch(resource_id=rid, text=text, bigrams=grams, code=code))
    session.flush()
