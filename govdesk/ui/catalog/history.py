"""History of a resource: its saved versions, the field-level differences between any two,
and revert (which saves the old content as a new version)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.editing.resources import (
    EditorChoices,
    FieldChange,
    VersionInfo,
    diff_versions,
    editor_choices,
    history,
    revert,
)
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.catalog.fields import field_name, field_value
from govdesk.ui.format import fmt_datetime
from govdesk.ui.ops import OperationRunner


class HistoryDialog(QDialog):
    """Pick two versions to compare; revert to the older one."""

    reverted = Signal()

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, resource_id: int,
                 code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.resource_id = db, who, runner, resource_id
        self.setWindowTitle(self.tr("History of %1").replace("%1", code))
        self.setAccessibleName(self.windowTitle())
        self.versions = QListWidget()
        self.versions.setAccessibleName(self.tr("Saved versions"))
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.versions.itemSelectionChanged.connect(self.compare)
        self.changes = QTableWidget(0, 4)
        self.changes.setAccessibleName(self.tr("Differences"))
        self.changes.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Data item"),
                                                self.tr("Older"), self.tr("Newer")])
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setWordWrap(True)  # long summaries wrap in their cells, nothing cut off
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.changes.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        #: grade code -> name and organisation id -> name, for the values of the diff
        self.grades: dict[str, str] = {}
        self.organisations: dict[int, str] = {}
        self.hint = QLabel(self.tr("Select two versions to compare them."))
        self.revert_button = QPushButton(self.tr("&Revert to the older version"))
        self.revert_button.setEnabled(False)
        self.revert_button.setVisible(who.can(Op.CATALOG_EDIT))
        self.revert_button.clicked.connect(self.revert_to_older)
        top = QHBoxLayout()
        top.addWidget(self.versions, 1)
        top.addWidget(self.changes, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)
        self.resize(900, 500)
        self.load()

    def load(self) -> None:
        db, who, rid = self.db, self.who, self.resource_id

        def fetch() -> tuple[list[VersionInfo], EditorChoices]:
            return history(db, who, rid), editor_choices(db, who)

        self.runner.run(fetch, self._fill_loaded)

    def _fill_loaded(self, loaded: tuple[list[VersionInfo], EditorChoices]) -> None:
        versions, choices = loaded
        self.grades = dict(choices.grades)
        self.organisations = dict(choices.organisations)
        self._fill(versions)

    def _fill(self, versions: list[VersionInfo]) -> None:
        self.versions.clear()
        for v in versions:
            item = QListWidgetItem(self.tr("Version %1 · %2 · %3").replace("%1", str(v.version))
                                   .replace("%2", v.saved_by).replace("%3", fmt_datetime(v.saved_at)))
            item.setData(256, v.version)
            self.versions.addItem(item)
        if not versions:
            self.hint.setText(self.tr("No saved versions yet (resources loaded in bulk have "
                                      "none until their first edit)."))

    def selected_versions(self) -> list[int]:
        return sorted(i.data(256) for i in self.versions.selectedItems())

    def compare(self) -> None:
        chosen = self.selected_versions()
        self.revert_button.setEnabled(len(chosen) == 2)
        if len(chosen) != 2:
            return
        db, who, rid = self.db, self.who, self.resource_id
        self.runner.run(lambda: diff_versions(db, who, rid, chosen[0], chosen[1]),
                        self._show_changes)

    def _show_changes(self, changes: list[FieldChange]) -> None:
        self.changes.setRowCount(len(changes))
        for row, c in enumerate(changes):
            old, new = (field_value(c.field, v, self.grades, self.organisations)
                        for v in (c.old, c.new))
            for col, text in enumerate((field_name(c.field), c.item or "", old, new)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.changes.setItem(row, col, cell)
        for column in (0, 1):
            self.changes.resizeColumnToContents(column)
        self.changes.resizeRowsToContents()
        self.hint.setText(self.tr("%n difference(s).", "", len(changes)))

    def revert_to_older(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) != 2:
            return
        db, who, rid, target = self.db, self.who, self.resource_id, chosen[0]

        def done(_result: object) -> None:
            self.reverted.emit()
            self.load()

        self.runner.run(lambda: revert(db, who, rid, target), done)
