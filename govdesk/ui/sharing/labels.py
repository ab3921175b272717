"""How a grant reads in the Sharing area: its grantee (an organisation, or a scope in words with
region names), its state, the days it has left, its items, and a step of its history. Every
text in the interface language; no code is shown raw."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from govdesk import vocab
from govdesk.security.roles import role_label
from govdesk.sharing.dto import GrantEventInfo, GrantInfo, GrantScope
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.regions import region_name

def prefix_name(prefix: str) -> str:
    """The region a code prefix names (33 → 浙江省, 3301 → 杭州市); the prefix when unknown."""
    key = prefix.strip()
    if not key.isdigit() or len(key) > 12:
        return key
    name = region_name(key.ljust(12, "0"))
    return key if name.isdigit() else name

translate = QCoreApplication.translate


def scope_text(scope: GrantScope) -> str:
    """"every county federation under 杭州市" in the interface language."""
    kind = (term(vocab.ORG_KIND, scope.org_kind) if scope.org_kind
            else translate("SharingLabels", "organisation"))
    region = prefix_name(scope.region_prefix)
    if scope.org_level is None:
        return translate("SharingLabels", "every %1 under %2").replace("%1", kind) \
            .replace("%2", region)
    level = term(vocab.REGION_LEVEL, str(scope.org_level))
    return translate("SharingLabels", "every %1 %2 under %3").replace("%1", level) \
        .replace("%2", kind).replace("%3", region)


def grantee_text(grant: GrantInfo) -> str:
    """The organisation granted, or the scope in words."""
    if grant.scope is not None:
        return scope_text(grant.scope)
    return grant.grantee_name or translate("SharingLabels", "(unknown organisation)")


def resource_text(grant: GrantInfo) -> str:
    """Code and name of the grant's resource."""
    if grant.resource_code is None:
        return translate("SharingLabels", "(resource no longer in the catalogue)")
    return f"{grant.resource_code} {grant.resource_name or ''}".strip()


def state_text(grant: GrantInfo) -> str:
    return term(vocab.GRANT_STATE, grant.state)


def days_left(grant: GrantInfo, today: dt.date) -> int | None:
    """Days a grant in force (or scheduled) still runs, today included; None otherwise."""
    if grant.state not in ("active", "scheduled") or grant.valid_until is None:
        return None
    return (grant.valid_until - today).days + 1


def days_left_text(grant: GrantInfo, today: dt.date) -> str:
    """"12 days" for a grant in force, "ended 2026-03-01" for an expired one, else ""."""
    left = days_left(grant, today)
    if left is not None:
        return translate("SharingLabels", "%1 days").replace("%1", str(left))
    if grant.state == "expired" and grant.valid_until is not None:
        return translate("SharingLabels", "ended %1").replace("%1", grant.valid_until.isoformat())
    return ""


def items_text(grant: GrantInfo) -> str:
    """"All data items", or the names of the listed ones."""
    if grant.all_items:
        return translate("SharingLabels", "All data items")
    comma = "、" if problem_lang() == "zh" else ", "
    return comma.join(grant.items)


def items_count_text(grant: GrantInfo) -> str:
    if grant.all_items:
        return translate("SharingLabels", "All")
    return translate("SharingLabels", "%1 items").replace("%1", str(len(grant.items)))


def validity_text(grant: GrantInfo) -> str:
    start = grant.valid_from.isoformat() if grant.valid_from else "…"
    until = grant.valid_until.isoformat() if grant.valid_until else "…"
    return translate("SharingLabels", "%1 to %2").replace("%1", start).replace("%2", until)


def exclusion_reason(reason: str) -> str:
    """Why a data item was left out, in words."""
    if reason == "grade_forbids_sharing":
        return translate("SharingLabels", "its grade does not allow this kind of sharing")
    return reason


def exclusions_text(grant: GrantInfo) -> str:
    """The items left out, each with its grade and why ("" when none)."""
    return "\n".join(translate("SharingLabels", "%1 (graded %2): %3").replace("%1", e.item)
                     .replace("%2", e.grade).replace("%3", exclusion_reason(e.reason))
                     for e in grant.exclusions)


def approvals_text(grant: GrantInfo) -> str:
    """Who decided so far: the first approver of two, the decider, who ended it."""
    parts = []
    if grant.first_approved_by:
        parts.append(translate("SharingLabels", "first approval: %1").replace(
            "%1", grant.first_approved_by))
    if grant.status == "first_approved":
        parts.append(translate("SharingLabels",
                               "a second security administrator must approve"))
    if grant.decided_by:
        parts.append(translate("SharingLabels", "decided by %1").replace("%1", grant.decided_by))
    if grant.ended_by:
        parts.append(translate("SharingLabels", "ended by %1").replace("%1", grant.ended_by))
    return ("；" if problem_lang() == "zh" else "; ").join(parts)


def event_status(status: str | None) -> str:
    """A history step's status, or "new" for the first step."""
    return term(vocab.GRANT_STATUS, status) if status else translate("SharingLabels", "(new)")


def event_role(event: GrantEventInfo) -> str:
    return role_label(event.actor_role, problem_lang()) or ""
