"""Grade schemes as data: read one from YAML or Excel, preview what changes, apply it.

A scheme is a list of grades, each with its handling rules (masking, export, encryption of
exports, sharing types allowed, approvals for a grant, minimum disaster-recovery level, audit
retention) and the detectors whose findings it is suggested for. Exactly one scheme is active.

Applying a file either updates the active scheme (same code: grades matched by code) or makes
another scheme active (a different code). Either way every grade in use must land somewhere: the
file's ``mapping`` (or the caller's) says which new grade each old one becomes. The plan lists
the resources whose handling changes; :func:`apply_scheme` computes the same plan inside its
transaction, remaps resources and items, and records it in the audit trail.

YAML shape (Excel: a ``scheme`` sheet of key/value rows, a ``grades`` sheet with these column
names as headers, an optional ``mapping`` sheet of old/new pairs)::

    code: ZJ-DB33-2350
    name: 浙江省公共数据分级
    source: DB33/T 2350-2021
    grades:
      - {code: L4, name: 敏感数据, rank: 40, masking_required: yes, export_allowed: no,
         export_encryption_required: yes, sharing_types_allowed: [conditional, none],
         approvals_required: 2, min_dr_level: 4, audit_retention_days: 1095,
         detectors: [citizen_id, disability_cert]}
    mapping:
      from: GB/T 43697-2024
      grades: {core: L4, important: L4, general4: L4, general3: L3, general2: L2, general1: L1}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.catalog.profiling.detectors import DETECTOR_CODES
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.changes import GRADES, RESOURCES, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, Grade, GradeScheme
from govdesk.errors import InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

SAMPLE_LIMIT = 200


@dataclass(frozen=True)
class GradeRules:
    """How data of one grade must be handled."""

    masking_required: bool = False
    export_allowed: bool = True
    export_encryption_required: bool = False
    sharing_types_allowed: tuple[str, ...] = ("unconditional", "conditional", "none")
    approvals_required: int = 0
    min_dr_level: int = 1
    audit_retention_days: int = 180

    def differences(self, other: GradeRules) -> tuple[tuple[str, object, object], ...]:
        """(rule, self's value, other's value) for every rule that differs."""
        return tuple((f.name, getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
                     if getattr(self, f.name) != getattr(other, f.name))


@dataclass(frozen=True)
class GradeSpec:
    """One grade: ``rank`` orders strictness (higher is stricter, 就高从严)."""

    code: str
    name: str
    rank: int
    rules: GradeRules = GradeRules()
    description: str | None = None
    detectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeSpec:
    """A whole scheme as read from a file or the database."""

    code: str
    name: str
    grades: tuple[GradeSpec, ...]
    source: str | None = None
    mapping_from: str | None = None  #: the scheme ``mapping`` maps from
    mapping: dict[str, str] = field(default_factory=dict)  #: old grade code -> new grade code

    def grade(self, code: str) -> GradeSpec | None:
        return next((g for g in self.grades if g.code == code), None)


class SchemeInvalid(LocatedProblems):
    """A scheme file or plan with problems, each with where it is (grade row, field)."""


# -- reading files ----------------------------------------------------------------------------

#: accepted header spellings (Excel) -> field
_ALIASES = {
    "编码": "code", "代码": "code", "名称": "name", "级别序号": "rank", "序号": "rank",
    "说明": "description", "描述": "description", "需脱敏": "masking_required",
    "允许导出": "export_allowed", "导出需加密": "export_encryption_required",
    "允许的共享类型": "sharing_types_allowed", "共享审批人数": "approvals_required",
    "最低灾备等级": "min_dr_level", "审计日志保留天数": "audit_retention_days",
    "识别器": "detectors", "来源": "source", "原分级": "old", "新分级": "new",
    "对应方案": "from",
}
_TRUE = {"true", "yes", "y", "1", "是", "需要", "允许", "√", "x"}
_FALSE = {"false", "no", "n", "0", "否", "不需要", "不允许", ""}


def _key(raw: object) -> str:
    text = str(raw).strip()
    return _ALIASES.get(text, text.lower().replace(" ", "_"))


def _words(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(w for w in str(value).replace(";", " ").replace(",", " ").replace("，", " ")
                 .replace("；", " ").split() if w)


def _sharing_code(word: str) -> str:
    for term in vocab.SHARING_TYPE.terms:
        if word in (term.code, term.zh, term.en):
            return term.code
    return word


def _grade_from(raw: Mapping[str, Any], where: str,
                problems: list[tuple[str, Problem]]) -> GradeSpec | None:
    row = {_key(k): v for k, v in raw.items()}
    start = len(problems)

    def text(name: str, required: bool = True) -> str | None:
        value = row.get(name)
        if value is None or str(value).strip() == "":
            if required:
                problems.append((where, Problem("required", name)))
            return None
        return str(value).strip()

    def boolean(name: str, default: bool) -> bool:
        value = row.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        problems.append((where, Problem("bad_bool", name, value)))
        return default

    def integer(name: str, default: int | None, low: int, high: int) -> int:
        value = row.get(name)
        if value is None or str(value).strip() == "":
            if default is None:
                problems.append((where, Problem("required", name)))
                return low
            return default
        try:
            number = int(float(str(value).strip()))
            if number != float(str(value).strip()) or not low <= number <= high:
                raise ValueError
        except ValueError:
            problems.append((where, Problem("bad_int", name, value,
                                            params={"min": low, "max": high})))
            return default if default is not None else low
        return number

    code, name = text("code"), text("name")
    rank = integer("rank", None, 0, 1000)
    sharing = tuple(_sharing_code(w) for w in _words(row.get("sharing_types_allowed")))
    for w in sharing:
        if w not in vocab.SHARING_TYPE.codes:
            problems.append((where, Problem("not_in_list", "sharing_types_allowed", w, params={
                "allowed": ", ".join(vocab.SHARING_TYPE.codes)})))
    detectors = _words(row.get("detectors"))
    for d in detectors:
        if d not in DETECTOR_CODES:
            problems.append((where, Problem("unknown_detector", "detectors", d,
                                            params={"allowed": ", ".join(DETECTOR_CODES)})))
    rules = GradeRules(
        masking_required=boolean("masking_required", False),
        export_allowed=boolean("export_allowed", True),
        export_encryption_required=boolean("export_encryption_required", False),
        sharing_types_allowed=sharing or ("unconditional", "conditional", "none"),
        approvals_required=integer("approvals_required", 0, 0, 9),
        min_dr_level=integer("min_dr_level", 1, 1, 6),
        # the Cybersecurity Law keeps audit records at least six months
        audit_retention_days=integer("audit_retention_days", 180, 180, 36500),
    )
    if len(problems) > start or code is None or name is None:
        return None
    return GradeSpec(code, name, rank, rules, text("description", False), detectors)


def _scheme_from(data: Mapping[str, Any], grades_raw: list[tuple[str, Mapping[str, Any]]],
                 mapping_raw: Mapping[str, Any] | None) -> SchemeSpec:
    problems: list[tuple[str, Problem]] = []
    head = {_key(k): v for k, v in data.items()}
    code = str(head.get("code") or "").strip()
    name = str(head.get("name") or "").strip()
    if not code:
        problems.append(("scheme", Problem("required", "code")))
    if not name:
        problems.append(("scheme", Problem("required", "name")))
    grades = [g for where, raw in grades_raw if (g := _grade_from(raw, where, problems))]
    if not grades_raw:
        problems.append(("grades", Problem("scheme_no_grades", "scheme")))
    seen_codes: set[str] = set()
    seen_ranks: set[int] = set()
    seen_detectors: set[str] = set()
    for (where, _raw), g in zip(grades_raw, grades, strict=False):
        if g.code in seen_codes:
            problems.append((where, Problem("duplicate_code", "code", g.code)))
        if g.rank in seen_ranks:
            problems.append((where, Problem("duplicate_rank", "rank", g.rank)))
        for d in g.detectors:
            if d in seen_detectors:
                problems.append((where, Problem("detector_twice", "detectors", d)))
            seen_detectors.add(d)
        seen_codes.add(g.code)
        seen_ranks.add(g.rank)
    mapping: dict[str, str] = {}
    mapping_from = None
    if mapping_raw:
        m = {_key(k): v for k, v in mapping_raw.items()}
        mapping_from = str(m.get("from") or "").strip() or None
        pairs = m.get("grades") or {}
        if not isinstance(pairs, Mapping):
            problems.append(("mapping", Problem("bad_mapping", "mapping", pairs,
                                                params={"reason": "old: new pairs"})))
        else:
            for old, new in pairs.items():
                if str(new) not in seen_codes:
                    problems.append(("mapping", Problem("bad_mapping", "mapping",
                                                        f"{old} → {new}", params={
                                                            "reason": f"{new} is not a grade here"})))
                mapping[str(old)] = str(new)
    if problems:
        raise SchemeInvalid(problems)
    return SchemeSpec(code, name, tuple(sorted(grades, key=lambda g: -g.rank)),
                      str(head.get("source") or "").strip() or None, mapping_from, mapping)


def read_scheme_file(path: str | Path) -> SchemeSpec:
    """The scheme in a .yaml/.yml or .xlsx file. Raises :class:`SchemeInvalid` listing every
    problem with where it is (grade row, field), or InputRejected for an unreadable file."""
    p = Path(path)
    if not p.is_file():
        raise InputRejected("file_missing", path=p)
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SchemeInvalid([(p.name, Problem("scheme_unreadable", "file", exc))]) from exc
        if not isinstance(data, Mapping) or not isinstance(data.get("grades"), list):
            raise SchemeInvalid([(p.name, Problem("scheme_no_grades", "scheme"))])
        grades = [(f"grades[{i + 1}]", g if isinstance(g, Mapping) else {})
                  for i, g in enumerate(data["grades"])]
        mapping = data.get("mapping")
        return _scheme_from(data, grades, mapping if isinstance(mapping, Mapping) else None)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_excel(p)
    raise InputRejected("scheme_file_type", name=p.name)


def _read_excel(p: Path) -> SchemeSpec:
    from python_calamine import CalamineWorkbook

    from govdesk.catalog.excel.check import check_workbook

    if p.suffix.lower() != ".xls":  # the checks every workbook gets before a parser reads it
        check = check_workbook(p, ("grades", "分级", "scheme", "方案", "mapping", "对应关系"))
        if check.problems:
            raise SchemeInvalid([(p.name, problem) for problem in check.problems])
    try:
        book = CalamineWorkbook.from_path(str(p))
        sheets = {n.strip().lower(): book.get_sheet_by_name(n).to_python(skip_empty_area=True)
                  for n in book.sheet_names}
    except Exception as exc:  # calamine's own error types for every kind of bad file
        raise SchemeInvalid([(p.name, Problem("scheme_unreadable", "file", exc))]) from exc
    grades_rows = sheets.get("grades") or sheets.get("分级") or []
    scheme_rows = sheets.get("scheme") or sheets.get("方案") or []
    mapping_rows = sheets.get("mapping") or sheets.get("对应关系") or []
    head = {str(r[0]).strip(): r[1] for r in scheme_rows if len(r) >= 2 and str(r[0]).strip()}
    grades: list[tuple[str, Mapping[str, Any]]] = []
    if grades_rows:
        header = [str(h) for h in grades_rows[0]]
        for n, row in enumerate(grades_rows[1:], start=2):
            if any(str(v).strip() for v in row):
                grades.append((f"grades!{n}", {h: (None if v == "" else v)
                                               for h, v in zip(header, row, strict=False)}))
    mapping: dict[str, Any] | None = None
    pairs = {str(r[0]).strip(): str(r[1]).strip() for r in mapping_rows[1:]
             if len(r) >= 2 and str(r[0]).strip()}
    if pairs:
        mapping = {"from": head.get("mapping_from") or head.get("对应方案"), "grades": pairs}
    return _scheme_from(head, grades, mapping)


def scheme_to_yaml(spec: SchemeSpec) -> str:
    """``spec`` as a YAML document :func:`read_scheme_file` reads back (a template to edit)."""
    doc: dict[str, Any] = {"code": spec.code, "name": spec.name, "source": spec.source,
                           "grades": []}
    for g in spec.grades:
        entry: dict[str, Any] = {"code": g.code, "name": g.name, "rank": g.rank}
        if g.description:
            entry["description"] = g.description
        for f in fields(g.rules):
            value = getattr(g.rules, f.name)
            entry[f.name] = list(value) if isinstance(value, tuple) else value
        entry["detectors"] = list(g.detectors)
        doc["grades"].append(entry)
    if spec.mapping:
        doc["mapping"] = {"from": spec.mapping_from, "grades": dict(spec.mapping)}
    return str(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100))


# -- the database side ------------------------------------------------------------------------

def _spec_of(s: Session, scheme: GradeScheme) -> SchemeSpec:
    grades = s.scalars(select(Grade).where(Grade.scheme_id == scheme.id)
                       .order_by(Grade.rank.desc())).all()
    return SchemeSpec(scheme.code, scheme.name, tuple(_grade_spec(g) for g in grades),
                      scheme.source)


def _grade_spec(g: Grade) -> GradeSpec:
    return GradeSpec(g.code, g.name, g.rank, rules_of(g), g.description,
                     tuple(g.detectors.split()))


def rules_of(g: Grade) -> GradeRules:
    """The handling rules of a stored grade."""
    return GradeRules(g.masking_required, g.export_allowed, g.export_encryption_required,
                      tuple(g.sharing_types_allowed.split()), g.approvals_required,
                      g.min_dr_level, g.audit_retention_days)


@dataclass(frozen=True)
class SchemeInfo:
    """A stored scheme, for lists."""

    spec: SchemeSpec
    is_active: bool
    version: int


@service(Op.CATALOG_READ)
def list_schemes(db: Database, who: Identity) -> list[SchemeInfo]:
    """Every stored scheme, the active one first."""
    with db.session() as s:
        schemes = s.scalars(select(GradeScheme).order_by(GradeScheme.is_active.desc(),
                                                         GradeScheme.code)).all()
        return [SchemeInfo(_spec_of(s, sc), sc.is_active, sc.version) for sc in schemes]


@service(Op.CATALOG_READ)
def active_scheme(db: Database, who: Identity) -> SchemeSpec:
    """The active scheme (there is always one)."""
    with db.session() as s:
        return _spec_of(s, s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True)))
                        .one())


@dataclass(frozen=True)
class GradeChange:
    """Where the resources and items of one grade of the active scheme go."""

    old_code: str
    old_name: str
    new_code: str | None  #: None: the grade disappears (allowed only when unused)
    new_name: str | None
    resources: int
    items: int
    rule_changes: tuple[tuple[str, object, object], ...]


@dataclass(frozen=True)
class AffectedResource:
    code: str
    name: str
    old_grade: str
    new_grade: str


@dataclass(frozen=True)
class SchemePlan:
    """What applying a scheme would do. ``problems`` non-empty: it cannot be applied."""

    scheme_code: str
    scheme_name: str
    activates: bool  #: another scheme becomes active
    changes: tuple[GradeChange, ...]
    added: tuple[str, ...]  #: new grade codes nobody uses yet
    affected_resources: int  #: resources whose handling rules change
    sample: tuple[AffectedResource, ...]  #: the first of them, by code
    problems: tuple[tuple[str, Problem], ...]


def _plan(s: Session, spec: SchemeSpec, mapping: Mapping[str, str] | None) -> SchemePlan:
    current = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
    old_grades = s.scalars(select(Grade).where(Grade.scheme_id == current.id)).all()
    same = spec.code == current.code
    given = dict(spec.mapping) if spec.mapping_from in (None, current.code) else {}
    given.update(mapping or {})
    problems: list[tuple[str, Problem]] = []
    for old, new in given.items():
        if spec.grade(new) is None:
            problems.append(("mapping", Problem("bad_mapping", "mapping", f"{old} → {new}",
                                                params={"reason": f"{new} is not in {spec.code}"})))
    res_counts = dict(s.execute(select(DataResource.grade_id, func.count())
                                .group_by(DataResource.grade_id)).all())
    item_counts = dict(s.execute(select(DataItem.grade_id, func.count())
                                 .group_by(DataItem.grade_id)).all())
    changes: list[GradeChange] = []
    changed_ids: dict[int, str] = {}
    for g in sorted(old_grades, key=lambda g: -g.rank):
        target_code = given.get(g.code) or (g.code if same and spec.grade(g.code) else None)
        target = spec.grade(target_code) if target_code else None
        n_res, n_items = int(res_counts.get(g.id, 0)), int(item_counts.get(g.id, 0))
        if target is None and (n_res or n_items):
            problems.append((g.code, Problem("unmapped_grade", "mapping", g.code,
                                             params={"count": n_res + n_items})))
        diffs = rules_of(g).differences(target.rules) if target else ()
        if target is not None and diffs:
            changed_ids[g.id] = target.name
        changes.append(GradeChange(g.code, g.name, target.code if target else None,
                                   target.name if target else None, n_res, n_items, diffs))
    used_targets = {c.new_code for c in changes}
    added = tuple(g.code for g in spec.grades if g.code not in used_targets)
    affected = 0
    sample: list[AffectedResource] = []
    if changed_ids:
        where = DataResource.grade_id.in_(list(changed_ids))
        affected = int(s.scalar(select(func.count()).where(where)) or 0)
        names = {g.id: g.name for g in old_grades}
        for code, name, gid in s.execute(select(DataResource.code, DataResource.name,
                                                DataResource.grade_id).where(where)
                                         .order_by(DataResource.code).limit(SAMPLE_LIMIT)):
            if gid is not None:  # the where clause picks graded rows only
                sample.append(AffectedResource(code, name, names[gid], changed_ids[gid]))
    return SchemePlan(spec.code, spec.name, not same, tuple(changes), added, affected,
                      tuple(sample), tuple(problems))


@service(Op.CLASSIFICATION_EDIT, scope=Scope.NONE,
         why="a scheme grades the whole catalogue: its plan counts every region's resources")
def plan_scheme(db: Database, who: Identity, spec: SchemeSpec,
                mapping: Mapping[str, str] | None = None) -> SchemePlan:
    """What :func:`apply_scheme` would do with ``spec``, changing nothing."""
    with db.session() as s:
        return _plan(s, spec, mapping)


@service(Op.CLASSIFICATION_EDIT, writes=True, scope=Scope.NONE,
         why="a scheme grades the whole catalogue: every region's resources are remapped")
def apply_scheme(db: Database, who: Identity, spec: SchemeSpec,
                 mapping: Mapping[str, str] | None = None) -> SchemePlan:
    """Store ``spec`` and make it the active scheme, remapping every resource and data item, in
    one transaction recorded in the audit trail. Returns the plan it carried out.

    Raises :class:`SchemeInvalid` when the plan has problems (nothing changes),
    PermissionDenied, ConflictError when another change got there first.
    """
    with db.session() as s:
        plan = _plan(s, spec, mapping)
        if plan.problems:
            raise SchemeInvalid(list(plan.problems))
        current = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
        target = current if not plan.activates else s.scalars(
            select(GradeScheme).where(GradeScheme.code == spec.code)).one_or_none()
        if target is None:
            target = GradeScheme(code=spec.code, name=spec.name, source=spec.source,
                                 is_active=False)
            s.add(target)
            s.flush()
        target.name, target.source = spec.name, spec.source
        existing = {g.code: g for g in s.scalars(select(Grade).where(Grade.scheme_id == target.id))}
        by_code: dict[str, Grade] = {}
        for g in spec.grades:
            row = existing.pop(g.code, None) or Grade(scheme_id=target.id, code=g.code)
            row.name, row.rank, row.description = g.name, g.rank, g.description
            row.masking_required = g.rules.masking_required
            row.export_allowed = g.rules.export_allowed
            row.export_encryption_required = g.rules.export_encryption_required
            row.sharing_types_allowed = " ".join(g.rules.sharing_types_allowed)
            row.approvals_required = g.rules.approvals_required
            row.min_dr_level = g.rules.min_dr_level
            row.audit_retention_days = g.rules.audit_retention_days
            row.detectors = " ".join(g.detectors)
            s.add(row)
            by_code[g.code] = row
        s.flush()
        old = {g.code: g.id for g in s.scalars(select(Grade).where(Grade.scheme_id == current.id))}
        now = utcnow()
        for change in plan.changes:
            if change.new_code is None:
                continue
            old_id, new_id = old[change.old_code], by_code[change.new_code].id
            if old_id == new_id:
                continue
            for table in (DataResource, DataItem):
                s.execute(update(table).where(table.grade_id == old_id).values(
                    grade_id=new_id, version=table.version + 1, updated_at=now)
                    .execution_options(synchronize_session=False))
        for leftover in existing.values():  # grades dropped from the active scheme (unused)
            s.delete(leftover)
        if plan.activates:
            current.is_active = False
            s.flush()
            target.is_active = True
        announce.note(s, Changed.of(GRADES, [target.id, current.id]), Changed.of(RESOURCES))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="grade_schemes",
                     object_id=spec.code, detail={
                         "action": "activate" if plan.activates else "update",
                         "from": current.code, "affected_resources": plan.affected_resources,
                         "mapping": {c.old_code: c.new_code for c in plan.changes}})
        return plan

