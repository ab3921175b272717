"""Grade suggestions from a profiled sample file, and the review queue that decides them.

A profile's detections become suggestions through the active scheme: each grade names the
detectors it is suggested for (``grades.detectors``). Suggestions are never applied on their
own: :func:`queue_suggestions` stores them as *pending* with the profile (statistics only, no
values), and a security administrator accepts or rejects each one (:func:`decide`). Accepting
sets the data item's grade, raises the resource's grade when an item now outranks it (就高从严),
keeps a new version of the resource, and is recorded in the audit trail like the rejection.

Example values are shown masked whenever the column's grade (its data item's, else its
resource's, or the suggested one, whichever is stricter) requires masking under the active
scheme, whether or not the values validate.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.catalog.profiling.detectors import DETECTOR_CODES, HINTS, MASK_KIND
from govdesk.catalog.profiling.samples import MASK_KIND_BY_STANDARD
from govdesk.catalog.editing.resources import keep_baseline, write_version
from govdesk.catalog.classification.grade_rule import strictest
from govdesk.catalog.profiling.profile import ColumnProfile, FileProfile, profile_file
from govdesk.catalog.search.index import normalize
from govdesk.changes import RESOURCES, SUGGESTIONS, Changed
from govdesk.db import announce
from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import (
    DataItem,
    DataResource,
    Grade,
    GradeScheme,
    GradeSuggestion,
    ResourceProfile,
)
from govdesk.errors import ConflictError, InputRejected
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound, service
from govdesk.security.masking import mask
from govdesk.security.roles import Op

#: detectors whose valid share measures identifier quality
IDENTIFIER_DETECTORS = frozenset({"citizen_id", "disability_cert", "phone", "bank_card",
                                  "region_code"})


@dataclass(frozen=True)
class GradeRef:
    code: str
    name: str
    rank: int
    masking_required: bool


@dataclass(frozen=True)
class ColumnSuggestion:
    """One profiled column with what it suggests. ``examples`` are already masked as the grade
    rules require (``masked`` says whether they were)."""

    name: str
    rows: int
    null_rate: float
    distinct: int
    detector: str | None
    confidence: float
    valid_share: float
    guardian: bool
    suggested_grade: GradeRef | None
    item_id: int | None  #: the resource's data item of the same name, when a resource is given
    item_grade: GradeRef | None
    examples: tuple[str, ...]
    masked: bool

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "detector": self.detector, "confidence": self.confidence,
                "suggested_grade": self.suggested_grade.code if self.suggested_grade else None,
                "suggested_grade_name": self.suggested_grade.name if self.suggested_grade
                else None, "valid_share": self.valid_share, "guardian": self.guardian,
                "null_rate": self.null_rate, "distinct": self.distinct, "rows": self.rows,
                "data_item": self.item_id, "item_grade": self.item_grade.code
                if self.item_grade else None, "examples": list(self.examples),
                "examples_masked": self.masked}


@dataclass(frozen=True)
class SuggestionReport:
    """The profile of one file read as suggestions, with the resource's quality score."""

    path: str
    rows: int
    seconds: float
    scheme: str
    columns: tuple[ColumnSuggestion, ...]
    resource_code: str | None = None
    identifier_validity: float | None = None
    metadata_completeness: float | None = None
    quality_score: float | None = None
    queued: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"file": self.path, "rows": self.rows, "seconds": self.seconds,
                "scheme": self.scheme, "resource": self.resource_code,
                "quality": None if self.quality_score is None else {
                    "score": self.quality_score, "identifier_validity": self.identifier_validity,
                    "metadata_completeness": self.metadata_completeness},
                "queued": self.queued, "columns": [c.as_dict() for c in self.columns]}


def _active_grades(s: Session) -> tuple[str, dict[int, Grade], dict[str, Grade]]:
    scheme = s.scalars(select(GradeScheme).where(GradeScheme.is_active.is_(True))).one()
    grades = s.scalars(select(Grade).where(Grade.scheme_id == scheme.id)).all()
    by_detector = {d: g for g in grades for d in g.detectors.split()}
    return scheme.code, {g.id: g for g in grades}, by_detector


def _ref(g: Grade | None) -> GradeRef | None:
    return GradeRef(g.code, g.name, g.rank, g.masking_required) if g else None


def _mask_kind(col: ColumnProfile, standard_code: str | None) -> str:
    """How a column's examples are masked: by its data item's standard code, else by what its
    values are, else by what its name says (身份证号 holding numbers that fail the check digit
    is masked as IDs), else hidden whole."""
    kind = MASK_KIND_BY_STANDARD.get(standard_code or "")
    if kind is None:
        det = col.detection.detector or next(
            (code for code in DETECTOR_CODES if HINTS.get(code) and HINTS[code].matches(col.name)),
            "")
        kind = MASK_KIND.get(det, "other")
    return "other" if kind == "none" else kind


def _masked_examples(col: ColumnProfile, grades: list[Grade | None],
                     standard_code: str | None = None) -> tuple[tuple[str, ...], bool]:
    """The examples masked when the strictest of ``grades`` (the suggested one, the data item's
    effective grade) requires masking: the grade decides, never whether the values validate."""
    strict = [g for g in grades if g is not None]
    if not strict or not max(strict, key=lambda g: g.rank).masking_required:
        return col.examples, False
    kind = _mask_kind(col, standard_code)
    return tuple(str(mask(kind, v)) for v in col.examples), True


def metadata_completeness(r: DataResource) -> float:
    """Share of the catalogue metadata a resource should carry that it does carry: summary,
    provider code, sharing method, publish date, grade, and per data item a description and a
    grade."""
    checks = [bool(r.summary and r.summary.strip()), bool(r.provider_code),
              bool(r.sharing_method), r.publish_date is not None, r.grade_id is not None]
    for i in r.items:
        checks += [bool(i.description and i.description.strip()), i.grade_id is not None]
    return round(sum(checks) / len(checks), 4)


def _resource(s: Session, code: str, *, to_write: bool = False) -> DataResource:
    """The resource ``code`` in the service's scope (the kernel narrows the statement): as the
    caller may read it, or (``to_write``) change it: profiles and suggestions are stored only
    for resources of one's own area, never for one shared."""
    r = s.scalar(select(DataResource).where(DataResource.code == code.strip()))
    if r is None:  # deleted since the kernel looked
        raise ResourceNotFound(code, editing=to_write)
    return r


def _build(s: Session, profile: FileProfile, resource: DataResource | None,
           grades: tuple[str, dict[int, Grade], dict[str, Grade]]) -> SuggestionReport:
    scheme, by_id, by_detector = grades
    items = {normalize(i.name): i for i in resource.items} if resource else {}
    columns = []
    for col in profile.columns:
        det = col.detection
        suggested = by_detector.get(det.detector) if det.detector else None
        item = items.get(normalize(col.name))
        item_grade = by_id.get(item.grade_id) if item and item.grade_id else None
        # an ungraded item is treated like its resource (就高从严), as in the sample view
        effective = item_grade or (by_id.get(resource.grade_id or -1) if item and resource
                                   else None)
        examples, masked = _masked_examples(col, [suggested, effective],
                                            item.standard_code if item else None)
        columns.append(ColumnSuggestion(
            col.name, col.rows, col.null_rate, col.distinct, det.detector, det.confidence,
            det.valid_share, det.guardian, _ref(suggested), item.id if item else None,
            _ref(item_grade), examples, masked))
    validity = completeness = score = None
    if resource is not None:
        shares = [c.valid_share for c in columns if c.detector in IDENTIFIER_DETECTORS]
        validity = round(sum(shares) / len(shares), 4) if shares else None
        completeness = metadata_completeness(resource)
        score = round(completeness if validity is None else (validity + completeness) / 2, 4)
    return SuggestionReport(profile.path, profile.rows, profile.seconds, scheme, tuple(columns),
                            resource.code if resource else None, validity, completeness, score)


@service(Op.CATALOG_READ, owner=True, when={"resource_code": Op.SAMPLES_READ},
         resource="resource_code")
def suggest(db: Database, who: Identity, path: str | Path,
            resource_code: str | None = None, **profile_kwargs: object) -> SuggestionReport:
    """Profile ``path`` and read it as grade suggestions under the active scheme; with
    ``resource_code``, columns are matched to that resource's data items by name and the
    resource's quality score is computed. Stores nothing. Raises InputRejected for a bad file
    or an unknown resource, PermissionDenied (a file needs ``catalog.read``, for the active
    scheme's grades, which PostgreSQL shows no other role, or the database owner: the local
    operator of headless commands; a resource also ``samples.read``)."""
    profile = profile_file(path, **profile_kwargs)  # type: ignore[arg-type]
    with db.session() as s:
        resource = _resource(s, resource_code) if resource_code else None
        return _build(s, profile, resource, _active_grades(s))


@service(Op.SAMPLES_READ, writes=True, resource="resource_code")
def queue_suggestions(db: Database, who: Identity, path: str | Path, resource_code: str,
                      **profile_kwargs: object) -> SuggestionReport:
    """:func:`suggest`, then store the profile (statistics only) and one pending suggestion per
    detected column whose suggested grade differs from its data item's, replacing the pending
    ones of the same columns. One transaction."""
    profile = profile_file(path, **profile_kwargs)  # type: ignore[arg-type]
    with db.session() as s:
        resource = _resource(s, resource_code, to_write=True)
        grades = _active_grades(s)
        report = _build(s, profile, resource, grades)
        by_detector = grades[2]
        s.add(ResourceProfile(
            resource_id=resource.id, source_file=Path(path).name[:260], row_count=report.rows,
            columns=json.dumps([{k: v for k, v in c.as_dict().items() if k != "examples"}
                                for c in report.columns], ensure_ascii=False),
            identifier_validity=report.identifier_validity,
            metadata_completeness=report.metadata_completeness or 0.0,
            quality_score=report.quality_score or 0.0, profiled_by=who.username,
            profiled_at=utcnow()))
        queued = 0
        pending = {(p.column_name, p.detector): p for p in s.scalars(
            select(GradeSuggestion).where(GradeSuggestion.resource_id == resource.id,
                                          GradeSuggestion.status == "pending"))}
        for c in report.columns:
            if c.detector is None or c.suggested_grade is None:
                continue
            if c.item_grade and c.item_grade.code == c.suggested_grade.code:
                continue  # already graded so
            old = pending.pop((c.name, c.detector), None)
            if old is not None:
                s.delete(old)
            s.add(GradeSuggestion(
                resource_id=resource.id, item_id=c.item_id, column_name=c.name[:200],
                detector=c.detector, confidence=c.confidence, guardian=c.guardian,
                grade_id=by_detector[c.detector].id, status="pending",
                source_file=Path(path).name[:260], proposed_by=who.username))
            queued += 1
        announce.note(s, Changed.of(SUGGESTIONS), Changed.of(RESOURCES, [resource.id]))
        return dataclasses.replace(report, queued=queued)


@dataclass(frozen=True)
class PendingSuggestion:
    """One suggestion in the review queue."""

    id: int
    version: int
    resource_id: int
    resource_code: str
    resource_name: str
    column_name: str
    item_id: int | None
    item_grade: str | None
    detector: str
    confidence: float
    guardian: bool
    grade_code: str
    grade_name: str
    proposed_by: str
    source_file: str
    status: str
    #: the data item's grade by name (``item_grade`` is its code)
    item_grade_name: str | None = None


@service(Op.SAMPLES_READ, resource="resource_id")
def list_suggestions(db: Database, who: Identity, status: str = "pending",
                     resource_id: int | None = None, limit: int = 1000) -> list[PendingSuggestion]:
    """Suggestions in ``status`` for resources ``who`` may see, newest first (of one resource
    with ``resource_id``: ResourceNotFound when it is missing or outside ``who``'s scope)."""
    with db.session() as s:
        stmt = (select(GradeSuggestion, DataResource.code, DataResource.name, Grade.code,
                       Grade.name, DataItem.grade_id)
                .join(DataResource, DataResource.id == GradeSuggestion.resource_id)
                .join(Grade, Grade.id == GradeSuggestion.grade_id)
                .outerjoin(DataItem, DataItem.id == GradeSuggestion.item_id)
                .where(GradeSuggestion.status == status)
                .order_by(GradeSuggestion.id.desc()).limit(limit))
        if resource_id is not None:
            stmt = stmt.where(GradeSuggestion.resource_id == resource_id)
        names = {g.id: (g.code, g.name) for g in s.scalars(select(Grade))}
        return [PendingSuggestion(
            g.id, g.version, g.resource_id, rcode, rname, g.column_name, g.item_id,
            names[item_grade][0] if item_grade in names else None, g.detector, g.confidence,
            g.guardian, gcode, gname, g.proposed_by, g.source_file, g.status,
            names[item_grade][1] if item_grade in names else None)
            for g, rcode, rname, gcode, gname, item_grade in s.execute(stmt).all()]


@service(Op.CLASSIFICATION_EDIT, writes=True)
def decide(db: Database, who: Identity, suggestion_id: int, accept: bool,
           version: int | None = None) -> str:
    """Accept or reject a pending suggestion; returns the new status.

    Accepting grades the matched data item and raises the resource's grade when the item now
    outranks it (就高从严), keeping a new version of the resource. A suggestion without a
    matching data item grades the resource itself, never lowering it. Raises PermissionDenied,
    InputRejected (unknown, or already decided), ConflictError (changed since ``version``).
    """
    with db.session() as s:
        sug = s.get(GradeSuggestion, suggestion_id)  # in the edit scope, like its resource
        if sug is None:
            raise InputRejected("suggestion_missing", suggestion=suggestion_id)
        if sug.status != "pending":
            raise InputRejected("suggestion_decided", suggestion=suggestion_id,
                                status=sug.status, decided_by=sug.decided_by)
        if version is not None and sug.version != version:
            raise ConflictError("suggestion_changed", suggestion=suggestion_id)
        grade = s.get(Grade, sug.grade_id)
        r = s.get(DataResource, sug.resource_id)
        if r is None or grade is None:
            raise InputRejected("suggestion_out_of_area", suggestion=suggestion_id)
        detail: dict[str, object] = {"suggestion": sug.id, "column": sug.column_name,
                                     "detector": sug.detector, "grade": grade.code,
                                     "resource": r.code, "decision": "accept" if accept
                                     else "reject"}
        if accept:
            ranks = {g.id: g.rank for g in s.scalars(select(Grade))}
            item = s.get(DataItem, sug.item_id) if sug.item_id else None
            result = strictest(r.grade_id, [(sug.column_name, grade.id)],
                               lambda gid: ranks.get(gid, -1))  # 就高从严
            changes = (item is not None and item.grade_id != grade.id) \
                or result.raised_by is not None
            if changes:
                keep_baseline(s, who, r)
            if item is not None:
                detail["item_grade_before"] = item.grade_id
                item.grade_id = grade.id
            if result.raised_by is not None:
                detail["resource_grade_raised"] = True
                r.grade_id = result.grade
            if changes:  # an accepted suggestion that changes nothing makes no version
                write_version(s, who, r, f"分级建议 #{sug.id}（{sug.column_name}）已采纳")
        sug.status = "accepted" if accept else "rejected"
        sug.decided_by, sug.decided_at = who.username, utcnow()
        announce.note(s, Changed.of(SUGGESTIONS, [sug.id]),
                      *([Changed.of(RESOURCES, [r.id])] if accept else []))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="grade_suggestions",
                     object_id=sug.id, detail=detail)
        return sug.status
