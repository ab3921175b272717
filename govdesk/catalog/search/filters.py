"""What the catalogue list is asked for: the filter and the sort keys it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from govdesk.db.models import Category, DataResource, Grade, Organisation

#: sort keys the list accepts, mapped to SQL columns (the UI's column ids)
SORT_COLUMNS = {
    "code": DataResource.code,
    "name": DataResource.name,
    "category": Category.code,
    "provider": Organisation.name,
    "region": DataResource.region_code,
    "grade": Grade.rank,
    "sharing_type": DataResource.sharing_type,
    "update_cycle": DataResource.update_cycle,
    "status": DataResource.status,
    "updated_at": DataResource.updated_at,
}


@dataclass(frozen=True)
class ResourceFilter:
    """What the catalogue list shows. Empty fields do not filter."""

    text: str = ""
    category_code: str | None = None  #: this category and everything below it
    region_code: str | None = None  #: this region and everything below it
    status: str | None = None
    grade_code: str | None = None  #: a grade of the active scheme
    provider_org_id: int | None = None
    sharing_type: str | None = None
    update_cycle: str | None = None
    sort: str = "code"
    descending: bool = False

