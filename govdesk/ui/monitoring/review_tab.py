"""The 访问日志审查 tab: the filter bar, the paged table of access events (newest first, by
key), the detail of the current event, marking the selected events or an organisation's period
reviewed with a comment, and exporting the filtered events to Excel. Every database call goes
through the runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.db.engine import Database
from govdesk.monitoring.dto import AccessChoices, AccessDetail, AccessRow, ReviewResult
from govdesk.monitoring.export import export_access
from govdesk.monitoring.reviews import review_events, review_period
from govdesk.monitoring.workbench import access_choices, access_detail
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.monitoring.dialogs import ReviewDialog
from govdesk.ui.monitoring.filter_bar import AccessFilterBar
from govdesk.ui.monitoring.model import AccessTableModel, when
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_columns
from govdesk.vocab import ACCESS_ACTION, ROLE


class AccessReviewTab(QWidget):
    """Review the access log. ``show_dialog`` runs a dialog (modal; tests replace it)."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accessReviewTab")
        self.db, self.who, self.runner = db, who, runner
        self.show_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        #: where an export is written (tests set it; else a file dialog asks)
        self.ask_path: Callable[[], Path | None] = self._ask_path
        self.choices: AccessChoices | None = None
        self.filters = AccessFilterBar()
        self.model = AccessTableModel(db, who, runner, self)
        self.table = self._build_table()
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setObjectName("accessDetail")
        self.detail.setAccessibleName(self.tr("Details of the current access event"))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Number of access events and the last action"))
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(self._build_actions())
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self.filters.applied.connect(self.reload)
        self.model.loaded.connect(self._on_loaded)
        self._fitted = False
        self._note = ""  #: what the last action did, shown before the next count

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setTabKeyNavigation(False)  # Tab leaves the table, as elsewhere
        table.setObjectName("accessTable")
        table.setAccessibleName(self.tr("Access events, newest first"))
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        selection = table.selectionModel()
        assert selection is not None
        selection.currentRowChanged.connect(self._current_changed)
        return table

    def _build_actions(self) -> QHBoxLayout:
        self.mark = QPushButton(self.tr("&Mark selected reviewed…"))
        self.mark.setAccessibleName(self.tr("Mark the selected events reviewed"))
        self.period = QPushButton(self.tr("Review an organisation's peri&od…"))
        self.period.setAccessibleName(self.tr("Mark an organisation's period reviewed"))
        self.export = QPushButton(self.tr("E&xport…"))
        self.export.setAccessibleName(self.tr("Export the filtered events to Excel"))
        reviewer = self.who.can(Op.ACCESS_LOG_REVIEW)
        for button, allowed in ((self.mark, reviewer), (self.period, reviewer),
                                (self.export, self.who.can(Op.AUDIT_EXPORT))):
            button.setEnabled(allowed)
            if not allowed:
                button.setToolTip(self.tr("Your role may not do this"))
        self.mark.clicked.connect(self.mark_selected)
        self.period.clicked.connect(self.mark_period)
        self.export.clicked.connect(self.export_now)
        row = QHBoxLayout()
        for w in (self.mark, self.period, self.export):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.status)
        return row

    # -- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the filter's choices (once) and the events."""
        if self.choices is None:
            db, who = self.db, self.who
            self.runner.run(lambda: access_choices(db, who), self._on_choices)
        self.reload()

    def _on_choices(self, choices: AccessChoices) -> None:
        self.choices = choices
        self.filters.set_choices(choices)

    def reload(self) -> None:
        self.model.filter = self.filters.current()
        self.model.reload()

    def _on_loaded(self, n: int) -> None:
        text = (self.tr("%n access event(s)", "", n) if self.model.count_exact else
                self.tr("About %1 access events").replace("%1", f"{n:,}"))
        self.status.setText(f"{self._note} {text}" if self._note else text)
        self._note = ""
        if n and not self._fitted:
            self._fitted = True
            fit_columns(self.table)

    def selected_rows(self) -> list[AccessRow]:
        """The loaded rows selected in the table, in list order."""
        selection = self.table.selectionModel()
        assert selection is not None
        rows = sorted({i.row() for i in selection.selectedRows()})
        return [r for r in (self.model.row_at(i) for i in rows) if r is not None]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        db, who, key = self.db, self.who, row.key
        self.runner.run(lambda: access_detail(db, who, key), self._show_detail)

    def _show_detail(self, d: AccessDetail) -> None:
        r = d.row
        lines = [
            self.tr("Time: %1").replace("%1", when(r)),
            self.tr("User: %1 (%2)").replace("%1", r.display_name or r.username)
            .replace("%2", term(ROLE, r.role_code) if r.role_code else r.username),
            self.tr("Organisation: %1 (%2)").replace("%1", r.organisation_name or "-")
            .replace("%2", d.region_name or "-"),
            self.tr("Resource: %1 %2").replace("%1", r.resource_code or "-")
            .replace("%2", r.resource_name or ""),
            self.tr("Grade: %1").replace("%1", r.grade_name or "-"),
            self.tr("Action: %1, %2 rows, %3").replace("%1", term(ACCESS_ACTION, r.action))
            .replace("%2", str(r.row_count))
            .replace("%3", self.tr("succeeded") if r.success else self.tr("denied")),
            self.tr("Client: %1").replace("%1", r.client_host or "-"),
        ]
        if not d.reviews:
            lines.append(self.tr("Not reviewed yet."))
        for mark, comment in d.reviews:
            lines.append(self.tr("Reviewed by %1 at %2 (%3): %4").replace("%1", mark.reviewed_by)
                         .replace("%2", fmt_datetime(mark.reviewed_at))
                         .replace("%3", self.tr("the organisation's period") if mark.period
                                  else self.tr("this event")).replace("%4", comment))
        self.detail.setPlainText("\n".join(lines))

    # -- reviewing and exporting ---------------------------------------------------------
    def mark_selected(self) -> None:
        """Ask for a comment and mark the selected events reviewed."""
        rows = self.selected_rows()
        if not rows:
            self.status.setText(self.tr("Select the events to mark first."))
            return
        dialog = ReviewDialog(len(rows), parent=self)
        if self.show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        db, who, keys, text = self.db, self.who, [r.key for r in rows], dialog.text()
        self.runner.run(lambda: review_events(db, who, keys, text), self._reviewed,
                        label=self.tr("Recording the review…"))

    def mark_period(self) -> None:
        """Ask for an organisation, a period and a comment, and mark its events reviewed."""
        orgs = self.choices.organisations if self.choices else []
        current = self.model.row_at(self.table.currentIndex().row())
        chosen = self.filters.organisation.currentData() or (
            current.organisation_id if current else None)
        dialog = ReviewDialog(organisations=orgs, chosen_org=chosen, parent=self)
        dialog.since.setDate(self.filters.since.date())
        dialog.until.setDate(self.filters.until.date())
        if self.show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        (org, since, until), text = dialog.period(), dialog.text()
        db, who = self.db, self.who
        self.runner.run(lambda: review_period(db, who, org, since, until, text), self._reviewed,
                        label=self.tr("Recording the review…"))

    def _reviewed(self, done: ReviewResult) -> None:
        self._note = self.tr("Review #%1 recorded.").replace("%1", str(done.review_id))
        self.status.setText(self._note)
        self.reload()

    def _ask_path(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export access events"),
                                              "access-log.xlsx",
                                              self.tr("Excel workbook (*.xlsx)"))
        return Path(path) if path else None

    def export_now(self) -> None:
        """Export the filtered events (as the table shows them) to a workbook."""
        path = self.ask_path()
        if path is None:
            return
        db, who, f, lang = self.db, self.who, self.model.filter, problem_lang()

        def work(ctx: Any) -> int:
            return export_access(db, who, f, path, lang, ctx)
        self.runner.run(work, lambda n: self.status.setText(
            self.tr("Exported %1 events to %2").replace("%1", f"{n:,}")
            .replace("%2", str(path))), label=self.tr("Exporting access events…"),
            with_context=True)

    def select_rows(self, first: int, last: int) -> None:
        """Select rows ``first``..``last`` (tests and keyboard users: Shift+Down does it)."""
        selection = self.table.selectionModel()
        assert selection is not None
        for i in range(first, last + 1):
            selection.select(self.model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
