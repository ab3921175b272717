"""What an edit or an import holds before it is saved: a resource's editable fields and its
data items (a draft), with their snapshot form, and what a save answers or raises."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from govdesk.catalog.messages import Problem
from govdesk.errors import ConflictError, InputRejected
from govdesk.messages import DEFAULT_LANG

CODE = re.compile(r"^(\d{1,20})/(\d{1,10})$")
RESOURCE_FIELDS = ("code", "name", "category_code", "provider_org_id", "region_code", "summary",
                   "format", "sharing_type", "sharing_condition", "sharing_basis",
                   "sharing_method", "open_type", "open_condition", "update_cycle",
                   "publish_date", "related_codes", "grade_code")
ITEM_FIELDS = ("name", "data_type", "length", "description", "grade_code", "is_authoritative",
               "standard_code")


@dataclass(frozen=True)
class ItemDraft:
    """A data item as the editor or an import has it."""

    name: str
    data_type: str
    #: a positive whole number; an import keeps a cell's text here so that validation can
    #: report it ("bad_length") with the rest
    length: int | str | None = None
    description: str | None = None
    grade_code: str | None = None
    is_authoritative: bool = False
    standard_code: str | None = None


@dataclass(frozen=True)
class ResourceDraft:
    """Every editable field of a resource. ``code`` empty = assign one on first save."""

    name: str
    category_code: str
    provider_org_id: int
    region_code: str
    format: str
    sharing_type: str
    open_type: str
    update_cycle: str
    summary: str = ""
    code: str = ""
    sharing_condition: str | None = None
    sharing_basis: str | None = None
    sharing_method: str | None = None
    open_condition: str | None = None
    publish_date: dt.date | None = None
    related_codes: tuple[str, ...] = ()
    grade_code: str | None = None
    items: tuple[ItemDraft, ...] = field(default=())

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (items as a list of dicts)."""
        data = {k: getattr(self, k) for k in RESOURCE_FIELDS}
        data["publish_date"] = self.publish_date.isoformat() if self.publish_date else None
        data["related_codes"] = list(self.related_codes)
        data["items"] = [{k: getattr(i, k) for k in ITEM_FIELDS} for i in self.items]
        return data

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> ResourceDraft:
        values: dict[str, Any] = {k: data.get(k) for k in RESOURCE_FIELDS}
        values["publish_date"] = (dt.date.fromisoformat(data["publish_date"])
                                  if data.get("publish_date") else None)
        values["related_codes"] = tuple(data.get("related_codes") or ())
        values["summary"] = data.get("summary") or ""
        values["code"] = data.get("code") or ""
        return cls(**values, items=tuple(ItemDraft(**i) for i in data.get("items", [])))


@dataclass(frozen=True)
class SaveResult:
    resource_id: int
    code: str
    version: int
    notices: tuple[Problem, ...] = ()


class ValidationFailed(InputRejected):
    """The draft has blocking problems; nothing was written. The message lists them, in the
    language it is rendered in."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("draft_invalid")
        self.problems = problems

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return "; ".join(p.text(lang) for p in self.problems if p.blocking)

    def json_params(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {"problems": [p.to_json(lang) for p in self.problems if p.blocking]}


class EditConflict(ConflictError):
    """Someone saved the resource after the version this edit started from."""

    def __init__(self, base: dict[str, Any] | None, theirs: dict[str, Any],
                 yours: dict[str, Any], their_version: int, saved_by: str) -> None:
        self.base, self.theirs, self.yours = base, theirs, yours
        self.their_version = their_version
        self.saved_by = saved_by
        super().__init__("edit_conflict", saved_by=saved_by, version=their_version)
