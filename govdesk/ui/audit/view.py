"""Audit view (audit and security administrators): filter by time, user, event type and
result; pages from SQL; export to Excel or CSV; verify the hash chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from govdesk.db.engine import Database
from govdesk.db.keyset import KeyPage, Seek
from govdesk.security.audit import VerifyResult
from govdesk.security.audit_labels import EVENT_TYPE
from govdesk.security.audit_anchor import (
    Anchor,
    AnchorCheck,
    database_identity,
    load_key,
    verify_with_anchor,
    write_anchor,
)
from govdesk.security.audit_read import (
    AuditFilter,
    AuditRow,
    count_events,
    export_events,
    page_events,
    verify_chain,
)
from govdesk.security.identity import Identity
from govdesk.changes import KINDS
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView
from govdesk.ui.audit.detail import (
    AuditDetailDialog,
    detail_summary,
    event_text,
    object_text,
    object_type_text,
)
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.paged_model import PagedTableModel
from govdesk.ui.widths import fit_columns
from govdesk.vocab import ROLE

EVENT_TYPES = list(EVENT_TYPE.codes)


class AuditTableModel(PagedTableModel):
    """Audit events matching :attr:`filter`, newest first."""

    COLUMNS = ("id", "ts", "username", "role_code", "event_type", "object_type", "object_id",
               "success", "client_host", "detail")
    RIGHT_ALIGNED = frozenset({"id"})

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: Any = None) -> None:
        super().__init__(runner, parent)
        self.db, self.who = db, who
        self.filter = AuditFilter()

    def headers(self) -> dict[str, str]:
        return {"id": self.tr("No."), "ts": self.tr("Time"), "username": self.tr("User"),
                "role_code": self.tr("Role"), "event_type": self.tr("Event"),
                "object_type": self.tr("Object type"), "object_id": self.tr("Object"),
                "success": self.tr("Result"), "client_host": self.tr("Client"),
                "detail": self.tr("Detail")}

    def fetchers(self) -> tuple[Callable[[], int], Callable[[Seek], KeyPage[AuditRow]]]:
        db, who, f = self.db, self.who, self.filter
        return (lambda: count_events(db, who, f), lambda seek: page_events(db, who, f, seek))

    def cell(self, row: AuditRow, column: str) -> Any:
        if column == "ts":
            return fmt_datetime(row.ts) + row.ts.astimezone().strftime(":%S")
        if column == "success":
            return self.tr("Success") if row.success else self.tr("Failure")
        if column == "role_code":
            return term(ROLE, row.role_code) if row.role_code else ""
        if column == "event_type":
            return event_text(row.event_type)
        if column == "object_type":
            return object_type_text(row.object_type)
        if column == "object_id":
            return object_text(row)
        if column == "detail":
            return detail_summary(row.detail)
        return getattr(row, column)


class AuditView(AreaView):
    """Read, export and verify the audit trail."""

    area_id = "audit"
    required_op = Op.AUDIT_READ
    #: every change is audited (by the services or the database's triggers)
    watches = frozenset(KINDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("auditView")
        bar = self._build_filters()
        actions = self._build_actions(bar)
        self.model = AuditTableModel(self.db, self.who, self.runner, self)
        self.table = self._build_table()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.verify_label)
        layout.addWidget(self.table, 1)

        self.apply.clicked.connect(self.refresh)
        self.user.returnPressed.connect(self.refresh)
        self.export.clicked.connect(self._export)
        self.verify.clicked.connect(self.verify_now)
        self.model.loaded.connect(self._on_loaded)
        self.table.doubleClicked.connect(self.show_record)
        self.table.activated.connect(self.show_record)
        self.export.setEnabled(self.who.can(Op.AUDIT_EXPORT))
        self.anchor.clicked.connect(self._anchor)
        self.verify_anchor.clicked.connect(self._verify_anchor)
        self.anchor.setEnabled(self.who.can(Op.AUDIT_ANCHOR))
        #: the record dialog last opened (tests read it)
        self.record_dialog: AuditDetailDialog | None = None
        self._fitted = False

    def _build_filters(self) -> QHBoxLayout:
        """The date, user, event type and result filters, laid out in a bar."""
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit, name in ((self.since, self.tr("From date")), (self.until, self.tr("To date"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("User name"))
        self.user.setAccessibleName(self.tr("User filter"))
        wide_name = self.user.fontMetrics().horizontalAdvance("demo_data_admin")
        self.user.setMinimumWidth(wide_name + 24)  # a user name fits
        self.event_type = QComboBox()
        self.event_type.setAccessibleName(self.tr("Event type filter"))
        self.event_type.addItem(self.tr("All events"), None)
        for code in EVENT_TYPES:
            self.event_type.addItem(event_text(code), code)
        self.result = QComboBox()
        self.result.setAccessibleName(self.tr("Result filter"))
        self.result.addItem(self.tr("Any result"), None)
        self.result.addItem(self.tr("Success"), True)
        self.result.addItem(self.tr("Failure"), False)
        bar = QHBoxLayout()
        for caption, date_edit in ((self.tr("F&rom:"), self.since), (self.tr("&To:"), self.until)):
            label = QLabel(caption)
            label.setBuddy(date_edit)
            bar.addWidget(label)
            bar.addWidget(date_edit)
        for widget in (self.user, self.event_type, self.result):
            bar.addWidget(widget)
        return bar

    def _build_actions(self, bar: QHBoxLayout) -> QHBoxLayout:
        """The apply button and the count, added to the filter ``bar``; the other actions in
        a row of their own (returned), so the filters keep their room in a narrow window."""
        self.apply = QPushButton(self.tr("&Apply filter"))
        self.export = QPushButton(self.tr("&Export…"))
        self.verify = QPushButton(self.tr("Verify &integrity"))
        self.anchor = QPushButton(self.tr("A&nchor head…"))
        self.anchor.setToolTip(self.tr(
            "Write the newest record's hash, signed with your anchor key, to a file kept outside "
            "the database"))
        self.verify_anchor = QPushButton(self.tr("Verify a&gainst anchor…"))
        self.verify_anchor.setToolTip(self.tr(
            "Prove that no record up to an anchor was deleted or rewritten, even by someone "
            "with the whole database server"))
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of audit events shown"))
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.verify_label.setAccessibleName(self.tr("Integrity check result"))
        bar.addWidget(self.apply)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        row = QHBoxLayout()
        for widget in (self.export, self.verify, self.anchor, self.verify_anchor):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("auditTable")
        table.setAccessibleName(self.tr("Audit events"))
        table.setToolTip(self.tr("Double-click or press Enter on a record to see all of it"))
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _on_loaded(self, n: int) -> None:
        self.count_label.setText(self.tr("%n event(s)", "", n))
        if n and not self._fitted:  # once: later the user's widths stay
            self._fitted = True
            fit_columns(self.table)

    def show_record(self, index: QModelIndex) -> None:
        """Open the whole record of the row at ``index`` (formatted, nothing cut off)."""
        row = self.model.row_at(index.row())
        if row is None:
            return
        self.record_dialog = AuditDetailDialog(row, self)
        self.record_dialog.open()

    def area_title(self) -> str:
        return self.tr("Audit trail")

    def current_filter(self) -> AuditFilter:
        def utc(date: QDate, days: int = 0) -> dt.datetime:
            local = dt.datetime(date.year(), date.month(), date.day()) + dt.timedelta(days=days)
            return local.astimezone().astimezone(dt.timezone.utc)

        return AuditFilter(since=utc(self.since.date()), until=utc(self.until.date(), 1),
                           username=self.user.text().strip() or None,
                           event_type=self.event_type.currentData(), success=self.result.currentData())

    def refresh(self) -> None:
        self.model.filter = self.current_filter()
        self.model.reload()

    def export_to(self, path: Path) -> None:
        """Export the filtered events to ``path`` in the background."""
        f, db, who = self.current_filter(), self.db, self.who
        self.runner.run(lambda: export_events(db, who, f, path),
                        lambda n: self.verify_label.setText(
                            self.tr("Exported %1 events to %2").replace("%1", str(n))
                            .replace("%2", str(path))),
                        label=self.tr("Exporting the audit trail…"))

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit trail"), "audit.xlsx",
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.export_to(Path(path))

    def verify_now(self) -> None:
        """Check the hash chain in the background and show the outcome."""
        db, who = self.db, self.who
        self.runner.run(lambda: verify_chain(db, who), self._show_verify,
                        label=self.tr("Verifying the audit trail…"))

    def _show_verify(self, result: VerifyResult) -> None:
        if result.ok:
            text = self.tr("Integrity verified: all %1 audit records are intact.").replace(
                "%1", str(result.checked))
        else:
            text = self.tr("Integrity BROKEN at record %1: %2").replace(
                "%1", str(result.broken_id)).replace("%2", result.reason)
        self.verify_label.setText(text)
        self.verify_label.setProperty("ok", result.ok)

    def anchor_to(self, path: Path, key_file: Path | None) -> None:
        """Write a signed anchor of the chain head to ``path`` in the background."""
        db, who = self.db, self.who

        def work() -> Anchor:
            return write_anchor(db, who, path, load_key(key_file, database_identity(db)))

        self.runner.run(work, lambda a: self.verify_label.setText(
            self.tr("Anchored at record %1 in %2 (key %3). Keep the file away from the database "
                    "server.").replace("%1", str(a.last_id)).replace("%2", str(path))
            .replace("%3", a.key_id)), label=self.tr("Anchoring the audit trail…"))

    def verify_against(self, anchor: Path, key_file: Path | None) -> None:
        """Check the trail against ``anchor`` in the background and show the outcome."""
        db, who = self.db, self.who

        def work() -> AnchorCheck:
            return verify_with_anchor(db, who, anchor,
                                      load_key(key_file, database_identity(db)))

        self.runner.run(work, self._show_anchor_check,
                        label=self.tr("Verifying the audit trail against the anchor…"))

    def _show_anchor_check(self, check: AnchorCheck) -> None:
        if check.ok:
            text = self.tr("Integrity verified against the anchor at record %1: %2 records "
                           "intact, %3 written since.").replace("%1", str(check.anchored_id)) \
                .replace("%2", str(check.checked)).replace("%3", str(check.rows_since))
        else:
            text = self.tr("The audit trail does NOT match the anchor: %1").replace(
                "%1", check.reason)
        self.verify_label.setText(text)
        self.verify_label.setProperty("ok", check.ok)

    def _key_file(self) -> Path | None:
        """The anchor key file the user picks (cancel: the key in the OS keyring)."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Anchor key file (cancel to use the OS keyring)"), "",
            self.tr("Anchor keys (*.key);;All files (*)"))
        return Path(path) if path else None

    def _anchor(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save audit anchor"), "audit-anchor.json",
            self.tr("Audit anchor (*.json)"))
        if path:
            self.anchor_to(Path(path), self._key_file())

    def _verify_anchor(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open audit anchor"), "", self.tr("Audit anchor (*.json)"))
        if path:
            self.verify_against(Path(path), self._key_file())

