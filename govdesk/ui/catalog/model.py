"""The catalogue list: resources matching a :class:`ResourceFilter`, paged from SQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from govdesk import vocab
from govdesk.catalog.search.browse import (
    SORT_COLUMNS,
    ResourceFilter,
    count_resources,
    first_keyed_page,
    page_resources,
)
from govdesk.catalog.dto import ResourceRow
from govdesk.db.engine import Database
from govdesk.db.keyset import KeyPage, Seek
from govdesk.security.identity import Identity
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.paged_model import PAGE_SIZE, PagedTableModel

__all__ = ["PAGE_SIZE", "ResourceTableModel"]


class ResourceTableModel(PagedTableModel):
    """Read-only list of the resources ``who`` may see that match :attr:`filter`."""

    COLUMNS = ("code", "name", "category", "provider", "region", "grade", "sharing_type",
               "update_cycle", "status", "item_count", "updated_at")
    RIGHT_ALIGNED = frozenset({"item_count"})

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: Any = None) -> None:
        super().__init__(runner, parent)
        self.db = db
        self.who = who
        self.filter = ResourceFilter()

    def headers(self) -> dict[str, str]:
        return {
            "code": self.tr("Resource code"), "name": self.tr("Name"),
            "category": self.tr("Category"), "provider": self.tr("Provider"),
            "region": self.tr("Region"), "grade": self.tr("Grade"),
            "sharing_type": self.tr("Sharing type"), "update_cycle": self.tr("Update cycle"),
            "status": self.tr("Status"), "item_count": self.tr("Data items"),
            "updated_at": self.tr("Updated"),
        }

    def set_filter(self, f: ResourceFilter) -> None:
        """Show the resources matching ``f`` (count and first page load in the background)."""
        self.filter = f
        self.reload()

    def refresh(self) -> None:
        """Reload with the current filter (after a change elsewhere)."""
        self.reload()

    def fetchers(self) -> tuple[Callable[[], int], Callable[[Seek], KeyPage[ResourceRow]]]:
        db, who, f = self.db, self.who, self.filter
        return (lambda: count_resources(db, who, f),
                lambda seek: page_resources(db, who, f, seek))

    def first_fetcher(self) -> Callable[[], tuple[int, bool, KeyPage[ResourceRow]]]:
        """A capped count and the first page in one unit of work (the search text is matched
        once); a common search answers "2,000+" at once and counts exactly afterwards."""
        db, who, f = self.db, self.who, self.filter

        def first() -> tuple[int, bool, KeyPage[ResourceRow]]:
            count, page = first_keyed_page(db, who, f, PAGE_SIZE)
            return count.n, count.exact, page

        return first

    def cell(self, row: ResourceRow, column: str) -> Any:
        value: Any = getattr(row, column)
        if column == "sharing_type":
            return term(vocab.SHARING_TYPE, value)
        if column == "update_cycle":
            return term(vocab.UPDATE_CYCLE, value)
        if column == "status":
            return term(vocab.WORKFLOW_STATUS, value)
        if column == "updated_at":
            return fmt_datetime(value)
        if column == "item_count":
            return str(value)
        return value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS) or self.COLUMNS[column] not in SORT_COLUMNS:
            return
        self.set_filter(dataclasses.replace(
            self.filter, sort=self.COLUMNS[column],
            descending=order == Qt.SortOrder.DescendingOrder))
