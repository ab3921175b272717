"""Excel import and export from the catalogue: check first (a report of every problem), then
write in one transaction with progress and cancel; export the current filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.excel.importer import ImportError_, ImportReport, import_catalog
from govdesk.db.engine import Database
from govdesk.progress import Cancelled
from govdesk.security.identity import Identity
from govdesk.ui.i18n import current_language
from govdesk.ui.ops import OperationRunner


class ImportDialog(QDialog):
    """Shows the check of a workbook; when clean, the Import button writes it."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, path: Path,
                 report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.path = db, who, runner, path
        self.report = report
        self.result_report: ImportReport | None = None
        self.setWindowTitle(self.tr("Import %1").replace("%1", path.name))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Check result"))
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(self.tr("Problems found in the file"))
        self.table.setHorizontalHeaderLabels([self.tr("Sheet"), self.tr("Row"), self.tr("Column"),
                                              self.tr("Value"), self.tr("Problem")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = QPushButton(self.tr("&Import"))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 500)
        self._show(report)

    def _show(self, report: ImportReport) -> None:
        c = report.as_dict()["changes"]
        if report.ok:
            self.summary.setText(self.tr(
                "The file is clean. Importing adds %1 new resources and updates %2; %3 are "
                "unchanged. Everything is written in one transaction.")
                .replace("%1", str(c["inserted"])).replace("%2", str(c["updated"]))
                .replace("%3", str(c["unchanged"])))
            self.import_button.setEnabled(c["inserted"] + c["updated"] > 0)
            self.table.setVisible(bool(report.warnings))  # e.g. a hidden data sheet
            self._fill(report.warnings)
        else:
            self.summary.setText(self.tr(
                "%n problem(s) found. Nothing will be written until the file is corrected.", "",
                len(report.errors)))
            self.import_button.setEnabled(False)
            self._fill(report.errors)

    def _fill(self, rows: list[ImportError_]) -> None:
        self.table.setRowCount(len(rows))
        for row, e in enumerate(rows):
            for col, value in enumerate((e.sheet, e.row, e.column, e.value, e.message)):
                self.table.setItem(row, col, QTableWidgetItem("" if value is None
                                                              else str(value)))
        self.table.resizeColumnsToContents()

    def confirm(self) -> None:
        """Write the file (progress dialog with cancel after 0.6 s)."""
        self.import_button.setEnabled(False)
        db, who, path = self.db, self.who, self.path
        lang = "zh" if current_language() == "zh_CN" else "en"

        def work(ctx: Any) -> ImportReport:
            return import_catalog(db, who, path, lang=lang, progress=ctx)

        self.runner.run(work, self._written, on_error=self._failed, with_context=True,
                        label=self.tr("Importing %1…").replace("%1", path.name))

    def _written(self, report: ImportReport) -> None:
        self.result_report = report
        if report.written or report.ok:
            self.accept()
        else:
            self._show(report)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.summary.setText(self.tr("Import cancelled; nothing was written."))
            self.import_button.setEnabled(True)
            return
        self.runner.report_error(error)
        self.import_button.setEnabled(True)
