"""The parts of a grade scheme (grades and their handling rules) and what makes a change of
rules a loosening, with no database: shared by the file reader (:mod:`.scheme_files`) and the
services of :mod:`.schemes`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from govdesk import vocab
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.messages import Text

#: the longest grant of each standard grade when a scheme file does not say (as migration 0025
#: set them): a file written before ``max_grant_days`` existed must not lengthen 核心数据's 90 days
DEFAULT_MAX_GRANT_DAYS: dict[str, int] = {
    "core": 90, "important": 180, "general4": 180, "general3": 365, "general2": 730,
    "general1": 1095, "L4": 180, "L3": 365, "L2": 730, "L1": 1095}


def default_max_grant_days(grade_code: str | None) -> int:
    """The longest grant of ``grade_code`` when its scheme file gives none (365 for others)."""
    return DEFAULT_MAX_GRANT_DAYS.get(grade_code or "", 365)


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
    #: the longest validity of a sharing grant of data of this grade, in days (both ends counted)
    max_grant_days: int = 365

    def differences(self, other: GradeRules) -> tuple[tuple[str, object, object], ...]:
        """(rule, self's value, other's value) for every rule that differs."""
        return tuple((f.name, getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
                     if getattr(self, f.name) != getattr(other, f.name))

    def loosened_by(self, new: GradeRules) -> tuple[str, ...]:
        """The rules that are weaker in ``new`` than here, in field order: masking or encrypted
        exports no longer required, export allowed where it was not, a sharing type allowed
        that was not, fewer approvals, a lower disaster-recovery level, a shorter audit
        retention, a longer maximum validity of a sharing grant."""
        weaker = {
            "masking_required": self.masking_required and not new.masking_required,
            "export_allowed": new.export_allowed and not self.export_allowed,
            "export_encryption_required": (self.export_encryption_required
                                           and not new.export_encryption_required),
            "sharing_types_allowed": bool(set(new.sharing_types_allowed)
                                          - set(self.sharing_types_allowed)),
            "approvals_required": new.approvals_required < self.approvals_required,
            "min_dr_level": new.min_dr_level < self.min_dr_level,
            "audit_retention_days": new.audit_retention_days < self.audit_retention_days,
            "max_grant_days": new.max_grant_days > self.max_grant_days,
        }
        return tuple(f.name for f in fields(self) if weaker[f.name])


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


#: how a rule's value reads in a message (booleans as 是/否, sharing types by their labels)
_YES, _NO = Text("是", "yes"), Text("否", "no")


def rule_value_text(value: object) -> object:
    """``value`` of a handling rule as a message parameter, in either language."""
    if isinstance(value, bool):
        return _YES if value else _NO
    if isinstance(value, tuple):
        terms = [next((t for t in vocab.SHARING_TYPE.terms if t.code == v), None) for v in value]
        return Text("、".join(t.zh if t else str(v) for t, v in zip(terms, value, strict=True)),
                    ", ".join(t.en if t else str(v) for t, v in zip(terms, value, strict=True)))
    return value


@dataclass(frozen=True)
class Loosening:
    """One handling rule that gets weaker for the data of one grade in use: ``old_code`` (the
    active scheme's) becomes ``new_code`` (the applied scheme's) and ``rule`` goes from
    ``before`` to ``after``."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    rule: str
    before: object
    after: object
    resources: int
    items: int

    def problem(self) -> Problem:
        """The loosening as a message line (``scheme_loosens``), for dialogs and the CLI."""
        return Problem("scheme_loosens", self.rule, None, params={
            "old": Text(f"{self.old_name}（{self.old_code}）", f"{self.old_name} ({self.old_code})"),
            "new": Text(f"{self.new_name}（{self.new_code}）", f"{self.new_name} ({self.new_code})"),
            "before": rule_value_text(self.before), "after": rule_value_text(self.after),
            "resources": self.resources, "items": self.items})


class LooseningNotConfirmed(LocatedProblems):
    """Applying the scheme would weaken handling rules and the caller did not confirm it:
    the message names every loosening (``loosenings``); nothing was changed. Built by
    :func:`loosening_not_confirmed`."""

    loosenings: tuple[Loosening, ...] = ()


def loosening_not_confirmed(loosenings: tuple[Loosening, ...]) -> LooseningNotConfirmed:
    """The refusal of an unconfirmed loosening: a heading line, then one line per loosening."""
    error = LooseningNotConfirmed(
        [("", Problem("scheme_loosening_unconfirmed", "scheme", params={"count": len(loosenings)}))]
        + [("", lo.problem()) for lo in loosenings])
    error.loosenings = loosenings
    return error
