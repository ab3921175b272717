"""一数一源 area: data items that several resources declare authoritative, with links."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from govdesk.catalog.editing.authority import AuthorityConflict, authority_conflicts
from govdesk.changes import RESOURCES
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView


class AuthorityView(AreaView):
    """The report; activating a resource row opens it in the catalogue."""

    area_id = "authority"
    required_op = Op.CATALOG_READ
    watches = frozenset({RESOURCES})
    #: a resource code the user wants to see in the catalogue
    open_resource = Signal(str)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("authorityView")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Report summary"))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Data items with more than one authoritative source"))
        self.tree.setHeaderLabels([self.tr("Data item / resource"), self.tr("Resource code"),
                                   self.tr("Provider"), self.tr("Matched by")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._open_item)
        hint = QLabel(self.tr("Each data item should have exactly one authoritative source "
                              "(一数一源). Press Enter on a resource to open it in the catalogue."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def area_title(self) -> str:
        return self.tr("One data, one source")

    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: authority_conflicts(db, who), self._fill)

    def _fill(self, conflicts: list[AuthorityConflict]) -> None:
        self.tree.clear()
        match_label = {"name": self.tr("item name"), "standard_code": self.tr("standard code")}
        for c in conflicts:
            matched = "、".join(f"{match_label.get(m, m)}（{k}）" if m == "standard_code"
                               else match_label.get(m, m) for m, k in zip(c.matches, c.keys,
                                                                          strict=True))
            top = QTreeWidgetItem([c.sources[0].item_name.strip() if c.sources else c.key, "",
                                   self.tr("%n source(s)", "", len(c.sources)), matched])
            for src in c.sources:
                child = QTreeWidgetItem(top, [f"{src.resource_name} · {src.item_name}",
                                              src.resource_code, src.provider, ""])
                child.setData(0, Qt.ItemDataRole.UserRole, src.resource_code)
            self.tree.addTopLevelItem(top)
        self.summary.setText(self.tr("%n data item(s) have more than one authoritative source.",
                                     "", len(conflicts)))

    def _open_item(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        if code:
            self.open_resource.emit(code)
