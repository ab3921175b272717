"""Table model over the catalogue that holds one page of rows at a time per request.

The model knows the total count from SQL and fetches 200-row pages on demand on the worker
pool; rows not fetched yet show as empty until their page arrives (then ``dataChanged``).
Sorting and filtering re-query SQL; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from govdesk import vocab
from govdesk.catalog.browse import (
    SORT_COLUMNS,
    ResourceFilter,
    count_resources,
    list_resources,
)
from govdesk.catalog.dto import ResourceRow
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner

PAGE_SIZE = 200
AnyIndex = QModelIndex | QPersistentModelIndex


class ResourceTableModel(QAbstractTableModel):
    """Read-only list of resources matching a :class:`ResourceFilter`."""

    #: emitted after a (re)load with the new total row count
    loaded = Signal(int)

    COLUMNS = ("code", "name", "category", "provider", "region", "grade", "sharing_type",
               "update_cycle", "status", "item_count", "updated_at")

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.runner = runner
        self.filter = ResourceFilter()
        self._total = 0
        self._pages: dict[int, list[ResourceRow]] = {}
        self._requested: set[int] = set()
        self._generation = 0

    def headers(self) -> dict[str, str]:
        return {
            "code": self.tr("Resource code"), "name": self.tr("Name"),
            "category": self.tr("Category"), "provider": self.tr("Provider"),
            "region": self.tr("Region"), "grade": self.tr("Grade"),
            "sharing_type": self.tr("Sharing type"), "update_cycle": self.tr("Update cycle"),
            "status": self.tr("Status"), "item_count": self.tr("Data items"),
            "updated_at": self.tr("Updated"),
        }

    # -- loading -----------------------------------------------------------------------
    def set_filter(self, f: ResourceFilter) -> None:
        """Show the resources matching ``f`` (count and first page load in the background)."""
        self.filter = f
        self._generation += 1
        gen, db, who = self._generation, self.db, self.who

        def load() -> tuple[int, list[ResourceRow]]:
            return count_resources(db, who, f), list_resources(db, who, f, 0, PAGE_SIZE)

        self.runner.run(load, lambda result: self._on_loaded(gen, result))

    def refresh(self) -> None:
        """Reload with the current filter (after a change elsewhere)."""
        self.set_filter(self.filter)

    def _on_loaded(self, gen: int, result: tuple[int, list[ResourceRow]]) -> None:
        if gen != self._generation:
            return
        total, first = result
        self.beginResetModel()
        self._total = total
        self._pages = {0: first}
        self._requested = {0}
        self.endResetModel()
        self.loaded.emit(total)

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        gen, db, f, who = self._generation, self.db, self.filter, self.who
        self.runner.run(lambda: list_resources(db, who, f, page * PAGE_SIZE, PAGE_SIZE),
                        lambda rows: self._on_page(gen, page, rows))

    def _on_page(self, gen: int, page: int, rows: list[ResourceRow]) -> None:
        if gen != self._generation:
            return
        self._pages[page] = rows
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def row_at(self, row: int) -> ResourceRow | None:
        """The resource shown on ``row`` when its page is loaded (requests it otherwise)."""
        if not 0 <= row < self._total:
            return None
        page_rows = self._pages.get(row // PAGE_SIZE)
        if page_rows is None:
            self._request_page(row // PAGE_SIZE)
            return None
        offset = row % PAGE_SIZE
        return page_rows[offset] if offset < len(page_rows) else None

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.TextAlignmentRole):
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == "item_count":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        r = self.row_at(index.row())
        if r is None:
            return self.tr("Loading…") if index.column() == 0 else None
        value: Any = getattr(r, column)
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
        return value if value is not None else ""

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.headers()[self.COLUMNS[section]]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS) or self.COLUMNS[column] not in SORT_COLUMNS:
            return
        self.set_filter(dataclasses.replace(
            self.filter, sort=self.COLUMNS[column],
            descending=order == Qt.SortOrder.DescendingOrder))
