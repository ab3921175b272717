"""The catalogue's two filter trees, one above the other: categories (with resource counts)
and regions (children loaded when a region is first opened). Either tree's current item is a
filter of the list; :attr:`CatalogTrees.changed` says when one moved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QSplitter, QTreeWidget, QTreeWidgetItem, QWidget

from govdesk.catalog.dto import CategoryNode
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.ops import OperationRunner

#: the trees' width (pixels) at the default window size, so category names are readable
#: (the catalogue's splitter starts with it; the user may narrow it)
MIN_WIDTH = 300


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setAccessibleName(name)
    header = tree.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    return tree


class CatalogTrees(QSplitter):
    """Categories above regions."""

    changed = Signal()

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.db, self.who, self.runner = db, who, runner
        self.setObjectName("catalogTreesSplitter")
        self.categories = _tree([self.tr("Category"), self.tr("Resources")],
                                self.tr("Category tree"))
        self.regions = _tree([self.tr("Region"), self.tr("Resources")], self.tr("Region tree"))
        self.addWidget(self.categories)
        self.addWidget(self.regions)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.regions.itemExpanded.connect(self._expand_region)
        self.regions.currentItemChanged.connect(lambda *_a: self.changed.emit())
        self.categories.currentItemChanged.connect(lambda *_a: self.changed.emit())

    def category_code(self) -> str | None:
        item = self.categories.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def region_code(self) -> str | None:
        item = self.regions.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def fill_categories(self, roots: tuple[CategoryNode, ...]) -> None:
        """Show ``roots`` under "All categories", keeping the current category current."""
        selected = self.category_code()
        self.categories.blockSignals(True)
        self.categories.clear()
        everything = QTreeWidgetItem([self.tr("All categories"),
                                      str(sum(r.resource_count for r in roots))])
        everything.setData(0, Qt.ItemDataRole.UserRole, None)
        self.categories.addTopLevelItem(everything)

        def add(parent: QTreeWidgetItem, node: CategoryNode) -> None:
            item = QTreeWidgetItem(parent, [f"{node.code} {node.name}", str(node.resource_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, node.code)
            item.setToolTip(0, f"{node.code} {node.name}")
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if node.code == selected:
                self.categories.setCurrentItem(item)
            for child in node.children:
                add(item, child)

        for root in roots:
            add(everything, root)
        everything.setExpanded(True)
        if self.categories.currentItem() is None:
            self.categories.setCurrentItem(everything)
        self.categories.blockSignals(False)

    def _region_item(self, parent: QTreeWidgetItem | None, node: Any) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node.name, str(node.resource_count)])
        item.setData(0, Qt.ItemDataRole.UserRole, node.code)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        if node.has_children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        if parent is None:
            self.regions.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def fill_regions(self, nodes: list[Any]) -> None:
        self.regions.blockSignals(True)
        self.regions.clear()
        for node in nodes:
            self._region_item(None, node)
        self.regions.blockSignals(False)

    def _expand_region(self, item: QTreeWidgetItem) -> None:
        """Load a region's children the first time it is opened."""
        from govdesk.catalog.search.browse import region_children

        if item.childCount():
            return
        db, who, code = self.db, self.who, item.data(0, Qt.ItemDataRole.UserRole)

        def add(nodes: list[Any]) -> None:
            for node in nodes:
                self._region_item(item, node)
            if not nodes:
                item.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)

        self.runner.run(lambda: region_children(db, who, code), add)
