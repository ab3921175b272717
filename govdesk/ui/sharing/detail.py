"""One grant in full: its terms (resource, grantee, items and those left out, method, purpose,
legal basis, validity, conditions and who accepted them, who decided) and its history (who, in
which role, when, from which status to which, why), as a pane beside a list and as a dialog
(Enter or double-click on a row)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.sharing.dto import GrantDetail, GrantInfo
from govdesk.sharing.queries import grant_detail
from govdesk.sharing.states import grant_day
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing import labels
from govdesk.ui.widths import fit_columns


class GrantDetailPane(QWidget):
    """The terms and the history of one grant (empty until :meth:`show_grant`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Grant details"))
        self.title = QLabel(self.tr("Select a grant to see its terms and history."))
        self.title.setWordWrap(True)
        self.title.setAccessibleName(self.tr("Grant"))
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, caption in (
                ("grantee", self.tr("Granted to")), ("state", self.tr("State")),
                ("validity", self.tr("Valid")), ("items", self.tr("Data items")),
                ("excluded", self.tr("Left out")), ("method", self.tr("Method")),
                ("purpose", self.tr("Purpose")), ("basis", self.tr("Legal basis")),
                ("conditions", self.tr("Conditions")), ("origin", self.tr("Started by")),
                ("decided", self.tr("Decisions")), ("reason", self.tr("Last reason"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setAccessibleName(caption)
            self.fields[key] = value
            form.addRow(caption + self.tr(":"), value)
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("grantHistory")
        self.history.setAccessibleName(self.tr("History of the grant"))
        self.history.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("By"), self.tr("Role"), self.tr("From"), self.tr("To"),
            self.tr("Reason")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("History:")))
        layout.addWidget(self.history, 1)
        self.grant: GrantInfo | None = None

    def clear(self) -> None:
        self.grant = None
        self.title.setText(self.tr("Select a grant to see its terms and history."))
        for value in self.fields.values():
            value.clear()
        self.history.setRowCount(0)

    def show_grant(self, grant: GrantInfo) -> None:
        """Show ``grant``'s terms (its history follows with :meth:`show_detail`)."""
        self.grant = grant
        self.title.setText(self.tr("Grant %1: %2").replace("%1", str(grant.id))
                           .replace("%2", labels.resource_text(grant)))
        conditions = grant.conditions or ""
        if grant.sharing_type == "conditional":
            accepted = (self.tr("accepted by %1").replace("%1", grant.conditions_accepted_by)
                        if grant.conditions_accepted_by else
                        self.tr("accepted") if grant.conditions_accepted else
                        self.tr("not recorded as accepted"))
            conditions = f"{conditions} ({accepted})" if conditions else accepted
        values = {
            "grantee": labels.grantee_text(grant),
            "state": labels.state_text(grant),
            "validity": " · ".join(t for t in (labels.validity_text(grant),
                                                labels.days_left_text(grant, grant_day())) if t),
            "items": labels.items_text(grant),
            "excluded": labels.exclusions_text(grant) or self.tr("none"),
            "method": term(vocab.SHARING_METHOD, grant.method),
            "purpose": " · ".join(t for t in (term(vocab.SHARING_PURPOSE, grant.purpose_code),
                                               grant.purpose or "") if t),
            "basis": grant.legal_basis or "",
            "conditions": " · ".join(t for t in (term(vocab.SHARING_TYPE, grant.sharing_type),
                                                  conditions) if t),
            "origin": " · ".join(t for t in (term(vocab.GRANT_ORIGIN, grant.origin),
                                              grant.requested_by or "",
                                              fmt_datetime(grant.requested_at)) if t),
            "decided": labels.approvals_text(grant),
            "reason": grant.reason or "",
        }
        for key, value in values.items():
            self.fields[key].setText(value)

    def show_detail(self, detail: GrantDetail) -> None:
        """Show the grant and its whole history, oldest step first."""
        self.show_grant(detail.grant)
        self.history.setRowCount(len(detail.events))
        for row, e in enumerate(detail.events):
            for col, text in enumerate((fmt_datetime(e.at), e.actor, labels.event_role(e),
                                        labels.event_status(e.from_status),
                                        labels.event_status(e.to_status), e.reason or "")):
                self.history.setItem(row, col, QTableWidgetItem(text))
        fit_columns(self.history)


class GrantDetailDialog(QDialog):
    """The detail pane on its own, for one grant."""

    def __init__(self, detail: GrantDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Sharing grant %1").replace("%1", str(detail.grant.id))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.pane = GrantDetailPane(self)
        self.pane.show_detail(detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pane)
        layout.addWidget(buttons)
        self.resize(760, 620)


def open_grant_detail(runner: OperationRunner, db: Database, who: Identity, grant_id: int,
                      parent: QWidget, show: Callable[[QDialog], object],
                      on_error: Callable[[BaseException], None] | None = None) -> None:
    """Read the grant's terms and history on ``runner`` (as ``who``), then hand a
    :class:`GrantDetailDialog` over ``parent`` to ``show`` (which runs it; tests answer it).
    A refusal goes to ``on_error``, else to the runner's own report. The one way a grant is
    opened in a dialog: from a grants tab (Enter, double-click) and from the alerts."""
    runner.run(lambda: grant_detail(db, who, grant_id),
               lambda d: show(GrantDetailDialog(d, parent)), on_error=on_error)
