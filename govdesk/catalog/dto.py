"""Plain frozen dataclasses the catalogue services return (never live ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ResourceRow:
    """One line of the catalogue list."""

    id: int
    code: str
    name: str
    category: str
    provider: str
    region: str
    grade: str | None
    sharing_type: str
    update_cycle: str
    status: str
    item_count: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class DataItemInfo:
    """One data item (信息项) of a resource."""

    id: int
    seq: int
    name: str
    data_type: str
    length: int | None
    description: str | None
    grade: str | None
    is_authoritative: bool
    standard_code: str | None


@dataclass(frozen=True)
class ResourceDetail:
    """Every metadata field of one resource, with its data items."""

    id: int
    code: str
    name: str
    category_code: str
    category: str
    provider: str
    provider_code: str | None
    region_code: str
    region: str
    summary: str
    format: str
    sharing_type: str
    sharing_condition: str | None
    sharing_basis: str | None
    sharing_method: str | None
    open_type: str
    open_condition: str | None
    update_cycle: str
    publish_date: dt.date | None
    related_codes: tuple[str, ...]
    grade: str | None
    status: str
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    items: tuple[DataItemInfo, ...] = field(default=())
    #: latest profile's data-quality score (0–1) and when it was measured; None: never profiled
    quality_score: float | None = None
    quality_measured: dt.datetime | None = None


@dataclass(frozen=True)
class CategoryNode:
    """A node of the category tree, children included."""

    id: int
    code: str
    name: str
    kind: str
    resource_count: int
    children: tuple[CategoryNode, ...] = field(default=())
