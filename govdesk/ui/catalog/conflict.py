"""The dialog shown when someone else saved a resource first: the fields that differ between
the version the user opened, theirs and the user's, by name and with labelled values; the user
keeps theirs or saves over them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.editing.resources import EditConflict
from govdesk.ui.catalog.fields import field_name, field_value
from govdesk.ui.i18n import error_text


class ConflictDialog(QDialog):
    """Side by side: the version you started from, theirs, yours; the user chooses."""

    FIELDS = ("name", "summary", "category_code", "provider_org_id", "region_code", "format",
              "sharing_type", "sharing_condition", "sharing_basis", "sharing_method",
              "open_type", "open_condition", "update_cycle", "publish_date", "related_codes",
              "grade_code", "items")

    def __init__(self, conflict: EditConflict, parent: QWidget | None = None,
                 grades: dict[str, str] | None = None,
                 organisations: dict[int, str] | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Someone else saved this resource"))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        intro = QLabel(error_text(conflict))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("Differences between the versions"))
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("When you opened it"),
                                              self.tr("Theirs (saved)"), self.tr("Yours")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        base = conflict.base or {}
        for key in self.FIELDS:
            values = [field_value(key, side.get(key), grades, organisations)
                      for side in (base, conflict.theirs, conflict.yours)]
            if len(set(values)) == 1:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, text in enumerate([field_name(key), *values]):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, col, cell)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        self.table.resizeColumnToContents(0)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        mine = buttons.addButton(self.tr("Save &mine over theirs"),
                                 QDialogButtonBox.ButtonRole.AcceptRole)
        theirs = buttons.addButton(self.tr("Take &theirs and keep editing"),
                                   QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        mine.clicked.connect(lambda: self._choose("mine"))
        theirs.clicked.connect(lambda: self._choose("theirs"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 500)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
