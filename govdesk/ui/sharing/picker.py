"""Finding the published resource a request or an offer is for: a part of its code or name,
then one of the matches (code, name, region, sharing type, provider). Searches every region's
published catalogue (``sharing.lookup.find_resources``); the search runs on the runner."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.sharing.lookup import ResourceChoice, find_resources
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.regions import region_name
from govdesk.ui.widths import fit_columns


class ResourcePicker(QWidget):
    """Search box and matches; :attr:`chosen` carries the code of the resource picked."""

    chosen = Signal(str)

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.rows: list[ResourceChoice] = []
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search the published catalogue"))
        self.search.setPlaceholderText(self.tr("part of a resource's code or name"))
        self.search.setClearButtonEnabled(True)
        caption = QLabel(self.tr("&Find resource:"))
        caption.setBuddy(self.search)
        self.search_button = QPushButton(self.tr("Searc&h"))
        self.search_button.setAccessibleName(self.tr("Search the published catalogue"))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("resourceMatches")
        self.table.setAccessibleName(self.tr("Published resources found"))
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"),
                                              self.tr("Region"), self.tr("Sharing type"),
                                              self.tr("Provider")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the data items
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Search result"))
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.search, 1)
        row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.search_button.clicked.connect(self.run_search)
        self.table.itemSelectionChanged.connect(self._picked)

    def run_search(self) -> None:
        """Look for the search text now."""
        self._timer.stop()
        db, who, needle = self.db, self.who, self.search.text()
        if not needle.strip():
            self._fill([])
            return
        self.runner.run(lambda: find_resources(db, who, needle), self._fill)

    def _fill(self, rows: list[ResourceChoice]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, choice in enumerate(rows):
            for c, text in enumerate((choice.code, choice.name, region_name(choice.region_code),
                                      term(vocab.SHARING_TYPE, choice.sharing_type),
                                      choice.provider or "")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        fit_columns(self.table)
        if not rows and self.search.text().strip():
            self.status.setText(self.tr("No published resource has this in its code or name."))
        else:
            self.status.setText(self.tr("%1 found (at most 50 are listed).").replace(
                "%1", str(len(rows))) if rows else "")
        if len(rows) == 1:
            self.table.selectRow(0)

    def _picked(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if selected and selected[0].row() < len(self.rows):
            self.chosen.emit(self.rows[selected[0].row()].code)
