"""Validating a draft against the catalogue's reference data (everything a save or an import
checks before writing), and 就高从严: a grade raised to its highest item's, never lowered by a
data administrator."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.catalog.classification.grade_rule import strictest
from govdesk.catalog.editing.draft import CODE, ResourceDraft
from govdesk.catalog.editing.limits import limit_problems, storable
from govdesk.catalog.messages import Problem
from govdesk.db.models import Category, DataResource, Grade, GradeScheme, Organisation, Region
from govdesk.security.identity import Identity
from govdesk.security.kernel import region_prefix

@dataclass(frozen=True)
class Lookups:
    """Reference data validation needs, loaded once per unit of work (an import validates
    thousands of drafts against it without a query per row)."""

    categories: dict[str, int]
    organisations: dict[int, str]
    organisation_ids: dict[str, int]
    #: every region code → its name
    regions: Mapping[str, str]
    resource_codes: dict[str, int]
    grades: dict[str, tuple[int, int]]
    #: the active grades' names (code → name), for messages
    grade_names: dict[str, str] = field(default_factory=dict)
    #: deactivated organisations: they provide their resources still, but no new one (and no
    #: resource moves to one), as the database's provider trigger (migration 0028) holds
    inactive_organisations: frozenset[int] = frozenset()
    #: the provider of each looked-up resource code
    resource_providers: dict[str, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, codes: Iterable[str] | None = None) -> Lookups:
        """Load the reference data; ``codes`` limits the resource codes looked up (a single
        save needs only its related codes, not every code of a 100,000-resource catalogue)."""
        org_rows = session.execute(select(Organisation.id, Organisation.code,
                                          Organisation.is_active)).all()
        orgs = {oid: code for oid, code, _active in org_rows}
        inactive = frozenset(oid for oid, _code, active in org_rows if not active)
        grade_rows = session.execute(select(Grade.code, Grade.id, Grade.rank, Grade.name)
                                     .join(GradeScheme).where(GradeScheme.is_active.is_(True))
                                     ).all()
        code_query = select(DataResource.code, DataResource.id, DataResource.provider_org_id)
        if codes is not None:  # a code PostgreSQL could not even be asked about names nothing
            code_query = code_query.where(DataResource.code.in_(
                [c for c in codes if storable(c)]))
        known = session.execute(code_query).all()
        return cls(
            categories=dict(session.execute(select(Category.code, Category.id)).all()),
            organisations=orgs, organisation_ids={code: oid for oid, code in orgs.items()},
            regions=dict(session.execute(select(Region.code, Region.name)).all()),
            resource_codes={code: rid for code, rid, _ in known},
            grades={code: (gid, rank) for code, gid, rank, _name in grade_rows},
            inactive_organisations=inactive,
            resource_providers={code: org for code, _, org in known},
            grade_names={code: name for code, _gid, _rank, name in grade_rows})


def _vocab_problem(field_name: str, value: str | None, v: vocab.Vocabulary,
                   required: bool = True, item: int | None = None) -> Problem | None:
    if value in (None, ""):
        return Problem("required", field_name, item=item) if required else None
    if value not in v.codes:
        return Problem("not_in_list", field_name, value, item,
                       {"allowed": v.choices()})
    return None


def validate(lookups: Lookups, who: Identity, d: ResourceDraft,
             extra_codes: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of ``d``: blocking ones, and notices such as a grade raised (就高从严).
    ``extra_codes`` are resource codes that will exist too (an import's new rows). Values the
    database could not store (too long for their column, a NUL character: see
    :mod:`govdesk.catalog.editing.limits`) are problems here, identically on both databases."""
    problems: list[Problem | None] = []
    if not d.name.strip():
        problems.append(Problem("required", "name"))
    problems += limit_problems(d)  # what the database cannot store, on SQLite too
    if d.code and not CODE.match(d.code):
        problems.append(Problem("bad_code", "code", d.code))
    problems += _reference_problems(lookups, who, d)
    problems += [
        _vocab_problem("format", d.format, vocab.RESOURCE_FORMAT),
        _vocab_problem("sharing_type", d.sharing_type, vocab.SHARING_TYPE),
        _vocab_problem("sharing_method", d.sharing_method, vocab.SHARING_METHOD, required=False),
        _vocab_problem("open_type", d.open_type, vocab.OPEN_TYPE),
        _vocab_problem("update_cycle", d.update_cycle, vocab.UPDATE_CYCLE),
    ]
    if d.sharing_type == "none":
        if not (d.sharing_basis or "").strip():
            problems.append(Problem("basis_required", "sharing_type"))
        if d.open_type != "none":
            problems.append(Problem("not_shared_implies_not_open", "open_type"))
    if d.sharing_type == "conditional" and not (d.sharing_condition or "").strip():
        problems.append(Problem("conditions_required", "sharing_type"))
    if d.open_type == "conditional" and not (d.open_condition or "").strip():
        problems.append(Problem("open_conditions_required", "open_type"))
    for code in d.related_codes:
        if code not in lookups.resource_codes and code not in extra_codes:
            problems.append(Problem("unknown_related", "code", code))
    grades = lookups.grades
    if d.grade_code and d.grade_code not in grades:
        problems.append(Problem("unknown_grade", "grade", d.grade_code))
    if not d.items:
        problems.append(Problem("no_items", "item_name"))
    problems += _item_problems(d, grades)
    return [p for p in problems if p is not None]


def _reference_problems(lookups: Lookups, who: Identity, d: ResourceDraft) -> list[Problem]:
    """The category, provider and region ``d`` names: known, active (the provider of a new
    resource, or a provider that changes), and within ``who``'s area."""
    problems = []
    if d.category_code not in lookups.categories:
        problems.append(Problem("unknown_category", "category", d.category_code))
    if not d.provider_org_id:  # none chosen (a workbook's empty or unknown provider code)
        problems.append(Problem("required", "provider"))
    elif d.provider_org_id not in lookups.organisations:
        problems.append(Problem("unknown_organisation", "provider", d.provider_org_id))
    elif d.provider_org_id in lookups.inactive_organisations and (
            lookups.resource_providers.get(d.code or "") != d.provider_org_id):  # new or moved
        problems.append(Problem("organisation_inactive", "provider",
                                lookups.organisations[d.provider_org_id]))
    if d.region_code not in lookups.regions:
        problems.append(Problem("unknown_region", "region", d.region_code))
    elif who.region_code and not d.region_code.startswith(region_prefix(who.region_code)):
        problems.append(Problem("region_out_of_scope", "region", d.region_code,
                                params={"name": lookups.regions[d.region_code]}))
    return problems


def _item_problems(d: ResourceDraft, grades: dict[str, tuple[int, int]]) -> list[Problem | None]:
    """The data items' problems: names present and unique, types, lengths, grades."""
    problems: list[Problem | None] = []
    seen: set[str] = set()
    for n, item in enumerate(d.items, start=1):
        key = item.name.strip()
        if not key:
            problems.append(Problem("required", "item_name", item=n))
        elif key in seen:
            problems.append(Problem("duplicate_item", "item_name", key, n))
        seen.add(key)
        problems.append(_vocab_problem("data_type", item.data_type, vocab.DATA_TYPE, item=n))
        if item.length is not None and (not isinstance(item.length, int) or item.length <= 0):
            problems.append(Problem("bad_length", "length", item.length, n))
        if item.grade_code and item.grade_code not in grades:
            problems.append(Problem("unknown_grade", "grade", item.grade_code, n))
    return problems


def _active_grades(session: Session) -> dict[str, tuple[int, int]]:
    """Active scheme's grades: code -> (id, rank)."""
    return {code: (gid, rank) for code, gid, rank in session.execute(
        select(Grade.code, Grade.id, Grade.rank).join(GradeScheme)
        .where(GradeScheme.is_active.is_(True)))}


def _raise_grade(d: ResourceDraft, grades: dict[str, tuple[int, int]]) -> tuple[ResourceDraft,
                                                                               Problem | None]:
    """就高从严 (:mod:`govdesk.catalog.classification.grade_rule`): ``d`` with its grade raised to its highest
    item's, and the notice saying so (None when the draft's grade stands)."""
    def known(code: str | None) -> str | None:
        return code if code in grades else None

    result = strictest(known(d.grade_code), ((i.name, known(i.grade_code)) for i in d.items),
                       lambda code: grades[code][1])
    if result.raised_by is None:
        return d, None
    return dataclasses.replace(d, grade_code=result.grade), Problem(
        "grade_raised", "grade", result.grade, params={"item": result.raised_by}, blocking=False)


def lowered_grades(r: Any, d: ResourceDraft, grades: dict[str, tuple[int, int]],
                   names: Mapping[str, str] | None = None) -> list[Problem]:
    """Where saving ``d`` over ``r`` would lower a grade (of the resource, or of a data item
    kept by name): a data administrator only raises grades, lowering is a security
    administrator's re-grade. PostgreSQL refuses the same (migration 0014). A stored grade
    outside the active scheme is not compared. ``names`` (code → name) puts the grades'
    names into the message instead of their codes."""
    stored = {gid: (code, rank) for code, (gid, rank) in grades.items()}
    label = (lambda code: names.get(code, code)) if names else (lambda code: code)

    def lowered(old_id: int | None, new_code: str | None) -> str | None:
        if old_id is None or old_id not in stored:
            return None
        new_rank = grades[new_code][1] if new_code in grades else None
        return stored[old_id][0] if new_rank is None or new_rank < stored[old_id][1] else None

    problems = []
    if (old := lowered(r.grade_id, d.grade_code)) is not None:
        problems.append(Problem("grade_lowered", "grade", label(d.grade_code or "—"),
                                params={"what": r.name, "old": label(old)}))
    kept = {i.name: i.grade_id for i in r.items}
    for n, item in enumerate(d.items, start=1):
        name = item.name.strip()
        if name in kept and (old := lowered(kept[name], item.grade_code)) is not None:
            problems.append(Problem("grade_lowered", "grade", label(item.grade_code or "—"), n,
                                    {"what": name, "old": label(old)}))
    return problems
