"""The sharing alerts (共享提醒) of the logged-in administrator, as a self-contained panel.

``AlertsPanel(db, who, runner, parent=None)`` lists what :func:`govdesk.sharing.alerts.list_alerts`
gives the caller (grants ending soon, unused grants, requests about to lapse or past it), soonest
due first, each with who should act and what to do; a kind filter narrows the list. Double-click
or Enter on a row emits :attr:`AlertsPanel.grant_activated` with the grant's id (the Sharing area
opens that grant). :meth:`AlertsPanel.refresh` reloads through the window's OperationRunner; a
role without alerts (neither data nor security administrator) gets a line saying so and no call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.sharing.alerts import GrantAlert, list_alerts
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers


class AlertsPanel(QWidget):
    """The caller's sharing alerts; Enter or a double-click on one emits its grant id."""

    # emitted with the grant id of the alert activated (double-click, Enter)
    grant_activated = Signal(int)

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.alerts: list[GrantAlert] = []
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Show alerts of kind"))
        self.kind.addItem(self.tr("All kinds"), None)
        for code in vocab.GRANT_ALERT.codes:
            self.kind.addItem(term(vocab.GRANT_ALERT, code), code)
        self.kind.currentIndexChanged.connect(self._show)
        kind_label = QLabel(self.tr("Alert t&ype:"))
        kind_label.setBuddy(self.kind)
        self.refresh_button = QPushButton(self.tr("Check aga&in"))
        self.refresh_button.setAccessibleName(self.tr("Reload the sharing alerts"))
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Sharing alerts summary"))
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Sharing alerts"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([
            self.tr("Alert"), self.tr("Grant"), self.tr("Resource code"), self.tr("Resource"),
            self.tr("Grantee"), self.tr("Due"), self.tr("Days left"), self.tr("Who should act"),
            self.tr("What to do")])
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        fit_headers(self.tree)
        self.tree.itemActivated.connect(self._activated)
        bar = QHBoxLayout()
        bar.addWidget(kind_label)
        bar.addWidget(self.kind)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    @property
    def has_alerts(self) -> bool:
        """Whether the caller's role gets sharing alerts at all."""
        return self.who.can(Op.SHARING_REQUEST) or self.who.can(Op.SHARING_DECIDE)

    def refresh(self) -> None:
        """Reload the alerts (on a worker thread); the list is filled when they arrive."""
        if not self.has_alerts:
            self.alerts = []
            self._show()
            return
        db, who = self.db, self.who
        self.runner.run(lambda: list_alerts(db, who), self._loaded,
                        label=self.tr("Loading the sharing alerts…"))

    def _loaded(self, alerts: list[GrantAlert]) -> None:
        self.alerts = list(alerts)
        self._show()

    def shown(self) -> list[GrantAlert]:
        """The alerts the kind filter lets through, in list order."""
        kind = self.kind.currentData()
        return [a for a in self.alerts if kind is None or a.kind == kind]

    def _grantee(self, a: GrantAlert) -> str:
        if a.grantee_name or a.scope is None:
            return a.grantee_name or "—"
        kind = (term(vocab.ORG_KIND, a.scope.org_kind) if a.scope.org_kind
                else self.tr("every organisation"))
        return self.tr("%1 in region %2").replace("%1", kind).replace("%2", a.scope.region_prefix)

    def _days(self, a: GrantAlert) -> str:
        if a.kind == "unused":
            return self.tr("unused %n day(s)", "", a.idle_days or 0)
        if a.days < 0:
            return self.tr("%n day(s) overdue", "", -a.days)
        return self.tr("%n day(s)", "", a.days)

    def _show(self) -> None:
        self.tree.clear()
        if not self.has_alerts:
            self.summary.setText(self.tr(
                "Sharing alerts are for data administrators and security administrators."))
            return
        rows = self.shown()
        for a in rows:
            item = QTreeWidgetItem([
                term(vocab.GRANT_ALERT, a.kind), str(a.grant_id), a.resource_code or "—",
                a.resource_name or "—", self._grantee(a), a.due.isoformat(), self._days(a),
                term(vocab.GRANT_ALERT_ACTOR, a.actor), term(vocab.GRANT_ALERT_ACTION, a.action)])
            item.setData(0, Qt.ItemDataRole.UserRole, a.grant_id)
            for col in range(item.columnCount()):  # narrow columns cut the longer texts
                item.setToolTip(col, item.text(col))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.summary.setText(self.tr("%n sharing alert(s).", "", len(rows)) if rows
                             else self.tr("No sharing alerts: nothing needs you now."))

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        grant = item.data(0, Qt.ItemDataRole.UserRole)
        if grant is not None:
            self.grant_activated.emit(int(grant))
