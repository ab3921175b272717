"""The list of grants in each tab of the Sharing area: one row per grant, in words (resource,
grantee or scope, state with expired told apart from revoked, validity, days left, items,
purpose, requester, decisions). The selection is kept by grant number across reloads."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from govdesk import vocab
from govdesk.sharing.dto import GrantInfo
from govdesk.ui.i18n import term
from govdesk.ui.sharing import labels
from govdesk.ui.widths import fit_columns


class GrantTable(QTableWidget):
    """Grants, newest first; :meth:`selected` is the grant of the current row."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 10, parent)
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Resource"), self.tr("Granted to"), self.tr("State"),
            self.tr("Valid"), self.tr("Days left"), self.tr("Data items"), self.tr("Purpose"),
            self.tr("Requested by"), self.tr("Decisions")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table (to the detail and buttons)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.rows: list[GrantInfo] = []

    def fill(self, grants: list[GrantInfo], today: dt.date) -> None:
        """Show ``grants``, keeping the selected grant selected when it is still listed."""
        keep = self.selected()
        self.blockSignals(True)
        self.rows = grants
        self.clearSelection()
        self.setRowCount(len(grants))
        for r, g in enumerate(grants):
            purpose = term(vocab.SHARING_PURPOSE, g.purpose_code) or (g.purpose or "")
            texts = (str(g.id), labels.resource_text(g), labels.grantee_text(g),
                     labels.state_text(g), labels.validity_text(g),
                     labels.days_left_text(g, today), labels.items_count_text(g), purpose,
                     g.requested_by or "", labels.approvals_text(g))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c in (1, 9):
                    item.setToolTip(text)
                self.setItem(r, c, item)
        fit_columns(self)
        self.blockSignals(False)
        row = next((r for r, g in enumerate(grants) if keep is not None and g.id == keep.id),
                   None)
        if row is not None:
            self.selectRow(row)
        self.itemSelectionChanged.emit()

    def selected(self) -> GrantInfo | None:
        model = self.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select_grant(self, grant_id: int) -> bool:
        """Select the row of grant ``grant_id``; False when it is not listed."""
        for r, g in enumerate(self.rows):
            if g.id == grant_id:
                self.selectRow(r)
                return True
        return False
