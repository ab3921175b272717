"""The rules a grant obeys, from the catalogue and the grade scheme, on both databases.

- A resource must be published, graded and not 不予共享; its own grade must allow its sharing
  type.
- A data item whose effective grade (its own, else the resource's) does not allow the sharing
  type is left out, named in the grant's exclusions with why; asking for it by name is refused.
- The grades that bind a grant (the resource's and the granted items') give the most
  approvals any of them requires (at least one; two or more means two different security
  administrators) and the shortest maximum validity.
- A 有条件共享 grant records that its conditions were accepted, and by whom.

What a request needs of a resource of another region is its published catalogue metadata, which
row-level security hides on PostgreSQL: :func:`resource_terms` asks the definer functions of
migration 0025 there (``govdesk_grant_resource``, ``govdesk_grant_items``), the ORM elsewhere.
PostgreSQL checks every rule again in its triggers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.db.models import DataItem, DataResource, Grade, Organisation, SharingGrantItem
from govdesk.errors import InputRejected
from govdesk.messages import Text
from govdesk.security.kernel import under_rls, unscoped
from govdesk.sharing.dto import Exclusion, GrantScope
from govdesk.sharing.messages import FIELDS

#: the validity of a grant when no grade bounds it
DEFAULT_MAX_DAYS = 365
#: longest purpose, legal basis or reason of a grant (PostgreSQL: migration 0033)
MAX_TEXT = 2000


@dataclass(frozen=True)
class GradeRule:
    """The sharing rules of one grade."""

    id: int
    code: str
    name: str
    sharing_types: tuple[str, ...]
    approvals_required: int
    max_grant_days: int

    def allows(self, sharing_type: str) -> bool:
        return sharing_type in self.sharing_types


@dataclass(frozen=True)
class ItemTerms:
    """A data item as a grant sees it: its effective grade."""

    id: int
    seq: int
    name: str
    grade: GradeRule | None


@dataclass(frozen=True)
class ResourceTerms:
    """A published resource as a grant sees it."""

    id: int
    code: str
    name: str
    region_code: str
    sharing_type: str
    condition: str | None
    grade: GradeRule | None
    items: tuple[ItemTerms, ...]


def grade_rules(s: Session) -> dict[int, GradeRule]:
    """Every grade's sharing rules by id (a few rows)."""
    return {g.id: GradeRule(g.id, g.code, g.name, tuple(g.sharing_types_allowed.split()),
                            g.approvals_required, g.max_grant_days)
            for g in s.scalars(select(Grade))}


def resource_terms(s: Session, code: str) -> ResourceTerms:
    """The published resource ``code`` with its items; InputRejected when there is none."""
    grades = grade_rules(s)
    code = code.strip()
    if under_rls(s):
        row = s.execute(text("SELECT * FROM govdesk_grant_resource(:c)"), {"c": code}).first()
        if row is None:
            raise InputRejected("grant_resource_unpublished", resource=code)
        items = s.execute(text("SELECT * FROM govdesk_grant_items(:r)"), {"r": row.id}).all()
        found = (row.id, row.code, row.name, row.region_code, row.sharing_type,
                 row.sharing_condition, row.grade_id)
        item_rows = [(i.id, i.seq, i.name, i.grade_id) for i in items]
    else:
        r = s.scalar(unscoped(select(DataResource).where(
            DataResource.code == code, DataResource.status == "published"),
            "the published catalogue is what any organisation may ask for"))
        if r is None:
            raise InputRejected("grant_resource_unpublished", resource=code)
        found = (r.id, r.code, r.name, r.region_code, r.sharing_type, r.sharing_condition,
                 r.grade_id)
        item_rows = [(i.id, i.seq, i.name, i.grade_id or r.grade_id) for i in s.scalars(
            unscoped(select(DataItem).where(DataItem.resource_id == r.id)
                     .order_by(DataItem.seq), "the items of a published resource"))]
    rid, rcode, name, region, sharing_type, condition, grade_id = found
    return ResourceTerms(
        rid, rcode, name, region, sharing_type, condition,
        grades.get(grade_id) if grade_id is not None else None,
        tuple(ItemTerms(i, seq, n, grades.get(g) if g is not None else None)
              for i, seq, n, g in item_rows))


def refusal(terms: ResourceTerms) -> str | None:
    """Why the resource cannot be granted at all (a message code), or None: 不予共享, no grade
    yet (就高从严: data whose grade is not known is not handed on; migration 0042), or a grade
    that does not allow its sharing type."""
    if terms.sharing_type == "none":
        return "grant_resource_not_shared"
    if terms.grade is None:
        return "grant_resource_ungraded"
    if not terms.grade.allows(terms.sharing_type):
        return "grant_grade_forbids_type"
    return None


def check_shareable(terms: ResourceTerms) -> None:
    """Refuse a resource that cannot be granted at all (see :func:`refusal`)."""
    code = refusal(terms)
    if code == "grant_resource_not_shared":
        raise InputRejected("grant_resource_not_shared", resource=terms.code)
    if code == "grant_resource_ungraded" or terms.grade is None:
        raise InputRejected("grant_resource_ungraded", resource=terms.code)
    if code == "grant_grade_forbids_type":
        raise InputRejected("grant_grade_forbids_type", resource=terms.code,
                            grade=terms.grade.name,
                            sharing_type=vocab.SHARING_TYPE.label(terms.sharing_type))


def choose_items(terms: ResourceTerms, asked: Sequence[str] | None,
                 ) -> tuple[bool, tuple[ItemTerms, ...], tuple[Exclusion, ...]]:
    """(all items, the items granted, the items left out) for ``asked`` (names or sequence
    numbers; None = every item). All items stays "all" only when none is left out; otherwise the
    allowed ones are listed. Asking by name for an item whose grade forbids sharing is refused."""
    allowed = tuple(i for i in terms.items if i.grade is None
                    or i.grade.allows(terms.sharing_type))
    excluded = tuple(Exclusion(i.name, i.grade.name) for i in terms.items
                     if i.grade is not None and not i.grade.allows(terms.sharing_type))
    if asked is None:
        if not allowed:
            raise InputRejected("grant_no_items", resource=terms.code,
                                excluded="、".join(e.item for e in excluded) or "—")
        return not excluded, allowed, excluded
    chosen: list[ItemTerms] = []
    for key in asked:
        key = str(key).strip()
        item = next((i for i in terms.items if i.name == key or str(i.seq) == key), None)
        if item is None:
            raise InputRejected("grant_item_unknown", resource=terms.code, item=key)
        if item not in allowed:
            assert item.grade is not None
            raise InputRejected("grant_item_forbidden", item=item.name, grade=item.grade.name,
                                allowed="、".join(i.name for i in allowed) or "—")
        if item not in chosen:
            chosen.append(item)
    if not chosen:
        raise InputRejected("grant_no_items", resource=terms.code, excluded="—")
    return False, tuple(chosen), excluded


def binding_grades(terms: ResourceTerms, items: Iterable[ItemTerms]) -> list[GradeRule]:
    """The grades that bind a grant of ``items`` of the resource."""
    found = [terms.grade] if terms.grade else []
    found += [i.grade for i in items if i.grade is not None]
    return found


def approvals_needed(grades: Sequence[GradeRule]) -> int:
    """How many distinct security administrators approve: 1, or 2 when a grade asks for two or
    more (the workflow has a first and a second approval)."""
    return 2 if max((g.approvals_required for g in grades), default=0) >= 2 else 1


def check_validity(grades: Sequence[GradeRule], start: dt.date, until: dt.date,
                   today: dt.date) -> None:
    """Refuse dates out of order, a start before ``today`` or a span over the grades' maximum."""
    if start < today:
        raise InputRejected("grant_starts_in_past", today=today.isoformat(),
                            start=start.isoformat())
    if until < start:
        raise InputRejected("grant_dates_order", start=start.isoformat(), until=until.isoformat())
    strictest = min(grades, key=lambda g: g.max_grant_days, default=None)
    days = strictest.max_grant_days if strictest else DEFAULT_MAX_DAYS
    asked = (until - start).days + 1
    if asked > days:
        raise InputRejected("grant_too_long", grade=strictest.name if strictest else "—",
                            days=days, asked=asked, start=start.isoformat(),
                            until=until.isoformat())


def granted_items(s: Session, terms: ResourceTerms, grant_id: int,
                  all_items: bool) -> tuple[ItemTerms, ...]:
    """The items a stored grant gives (all allowed ones, or the listed ones)."""
    if all_items:
        return tuple(i for i in terms.items if i.grade is None
                     or i.grade.allows(terms.sharing_type))
    listed = set(s.scalars(select(SharingGrantItem.item_id)
                           .where(SharingGrantItem.grant_id == grant_id)))
    return tuple(i for i in terms.items if i.id in listed)


def check_vocab(field: str, vocabulary: vocab.Vocabulary, value: str | None) -> str | None:
    """``value`` as a code of ``vocabulary`` (code or either label), None for None."""
    if value is None:
        return None
    code = vocabulary.lookup(value)
    if code is None:
        raise InputRejected("grant_value_unknown", field=FIELDS[field], value=value,
                            allowed=Text("、".join(f"{t.code} {t.zh}" for t in vocabulary.terms),
                                         ", ".join(f"{t.code} ({t.en})"
                                                   for t in vocabulary.terms)))
    return code


def check_text(field: str, value: str | None) -> str | None:
    """``value`` trimmed (None when blank); InputRejected when longer than :data:`MAX_TEXT`
    (``field`` names it: purpose_text, legal_basis or reason)."""
    cleaned = (value or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_TEXT:
        raise InputRejected("grant_text_too_long", field=FIELDS[field], limit=MAX_TEXT,
                            length=len(cleaned))
    return cleaned


def check_scope(scope: GrantScope) -> GrantScope:
    """``scope`` with a valid prefix and known kind and level; InputRejected otherwise."""
    prefix = scope.region_prefix.strip()
    if not (prefix.isdigit() and len(prefix) in (2, 4, 6, 9, 12)):
        raise InputRejected("grant_scope_invalid", prefix=scope.region_prefix)
    kind = check_vocab("org_kind", vocab.ORG_KIND, scope.org_kind)
    if scope.org_level is not None and not 0 <= scope.org_level <= 5:
        raise InputRejected("grant_value_unknown", field=FIELDS["org_level"],
                            value=str(scope.org_level), allowed="0-5")
    return GrantScope(prefix, kind, scope.org_level)


def organisation_id(s: Session, code: str) -> int:
    """The id of the organisation with ``code`` (or an id given as digits)."""
    key = code.strip()
    query = select(Organisation.id).where(Organisation.code == key)
    found = s.scalar(query)
    if found is None and key.isdigit():
        found = s.scalar(select(Organisation.id).where(Organisation.id == int(key)))
    if found is None:
        raise InputRejected("grant_org_unknown", org=code)
    return int(found)
