"""A table of settings of one scope, edited in place; each change goes through the service."""

from __future__ import annotations


from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.settings import SettingInfo, list_settings, update_setting
from govdesk.ui.ops import OperationRunner


class SettingsPanel(QWidget):
    """Settings whose scope is ``scope`` ("security" or "system"); the value column is editable."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, scope: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.scope = db, who, runner, scope
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(self.tr("Settings"))
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value"),
                                              self.tr("Meaning")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self._filling = False
        self.table.itemChanged.connect(self._changed)

    def refresh(self) -> None:
        db, who, scope = self.db, self.who, self.scope
        self.runner.run(lambda: [s for s in list_settings(db, who) if s.scope == scope], self._fill)

    def _fill(self, settings: list[SettingInfo]) -> None:
        self._filling = True
        self.table.setRowCount(len(settings))
        for row, s in enumerate(settings):
            key = QTableWidgetItem(s.key)
            key.setFlags(key.flags() & ~Qt.ItemFlag.ItemIsEditable)
            meaning = QTableWidgetItem(self.describe(s))
            meaning.setFlags(meaning.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, key)
            self.table.setItem(row, 1, QTableWidgetItem(s.value))
            self.table.setItem(row, 2, meaning)
        self.table.resizeColumnToContents(0)
        self._filling = False

    def describe(self, s: SettingInfo) -> str:
        known = {
            "security.lockout_attempts": self.tr("Failed logins that lock an account"),
            "security.lockout_window_minutes": self.tr("Minutes in which failed logins are counted"),
            "security.lockout_minutes": self.tr("Minutes a locked account stays locked"),
            "security.idle_lock_minutes": self.tr("Minutes of inactivity before the session locks"),
            "security.audit_retention_days": self.tr(
                "Days audit records are kept before they may be archived (at least 180)"),
            "system.site_name": self.tr("Organisation name printed on exports"),
        }
        return known.get(s.key, s.description or "")

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1:
            return
        key_item = self.table.item(item.row(), 0)
        if key_item is None:
            return
        key = key_item.text()
        value = item.text()
        db, who = self.db, self.who
        # the area reloads from the change bus; a refused value is put back here
        self.runner.run(lambda: update_setting(db, who, key, value), lambda _s: None,
                        on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.runner.report_error(error)
        self.refresh()

    def edit_value(self, key: str, value: str) -> None:
        """Set ``key`` to ``value`` as a user typing it would (for tests and scripting)."""
        for row in range(self.table.rowCount()):
            key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            if key_item is not None and value_item is not None and key_item.text() == key:
                value_item.setText(value)
                return
        raise KeyError(key)
