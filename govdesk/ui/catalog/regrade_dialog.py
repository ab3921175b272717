"""Bulk re-grade of the selected resources: choose a grade, preview, apply in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.classification.regrade import RegradePlan, apply_regrade, plan_regrade
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.ops import OperationRunner


class RegradeDialog(QDialog):
    """Preview shows every selected resource with its grade now and after; where a data item's
    grade is higher, the resource keeps that (就高从严) and the row says which item."""

    regraded = Signal(int)

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 resource_ids: Sequence[int], grades: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.ids = list(resource_ids)
        self.plan: RegradePlan | None = None
        self.setWindowTitle(self.tr("Re-grade %n resource(s)", "", len(self.ids)))
        self.grade = QComboBox()
        self.grade.setAccessibleName(self.tr("New grade"))
        for code, label in grades:
            self.grade.addItem(label, code)
        self.grade.currentIndexChanged.connect(lambda _i: self.preview())
        self.rows = QTreeWidget()
        self.rows.setAccessibleName(self.tr("Resources and their grades"))
        self.rows.setHeaderLabels([self.tr("Resource code"), self.tr("Name"),
                                   self.tr("Grade now"), self.tr("Becomes"),
                                   self.tr("Kept higher by data item")])
        self.rows.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Re-grade summary"))
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button: QPushButton = buttons.addButton(
            self.tr("&Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName(self.tr("Apply the new grade"))
        self.apply_button.setEnabled(False)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Grade:"), self.grade)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.preview()

    def preview(self) -> None:
        db, who, ids, code = self.db, self.who, self.ids, self.grade.currentData()
        if code is None:
            return
        self.apply_button.setEnabled(False)
        self.runner.run(lambda: plan_regrade(db, who, ids, code), self._show)

    def _show(self, plan: RegradePlan) -> None:
        if plan.grade_code != self.grade.currentData():
            return  # an older preview
        self.plan = plan
        self.rows.clear()
        for r in plan.rows:
            self.rows.addTopLevelItem(QTreeWidgetItem([
                r.code, r.name, r.old_grade or "—", r.new_grade, r.raised_by_item or ""]))
        kept = sum(1 for r in plan.rows if r.raised_by_item)
        text = self.tr("%n resource(s) change grade.", "", plan.changed)
        if kept:
            text += " " + self.tr("%n stay higher because a data item is graded higher "
                                  "(就高从严).", "", kept)
        self.summary.setText(text)
        self.apply_button.setEnabled(plan.changed > 0)

    def apply(self) -> None:
        if self.plan is None or not self.plan.changed:
            return
        db, who, ids, code = self.db, self.who, self.ids, self.plan.grade_code

        def done(plan: RegradePlan) -> None:
            self.regraded.emit(plan.changed)
            self.accept()

        self.apply_button.setEnabled(False)
        self.runner.run(lambda: apply_regrade(db, who, ids, code), done,
                        label=self.tr("Re-grading…"))
