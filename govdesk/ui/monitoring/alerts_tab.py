"""The alerts tab (告警) of the Monitoring area: the alerts with filters by state, severity and
rule; the selected alert's detail and history; its triage (acknowledge, assign, note, close
with a disposition) for security administrators; running the rules now.

``AlertsTab(db, who, runner, parent=None)``; :meth:`refresh` reloads through the window's
OperationRunner (never on the GUI thread); :attr:`show_dialog` runs a dialog (tests replace it).
Auditors read everything here; the triage buttons stay disabled for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.monitoring import alerts as service
from govdesk.monitoring.alert_dto import AlertDetail, AlertFilter, AlertInfo, RunReport
from govdesk.monitoring.run import run_rules
from govdesk.security.audit_labels import local_time
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.i18n import term
from govdesk.ui.monitoring.alert_dialogs import StepDialog
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers

#: step -> the states it applies to
STEP_STATES = {"acknowledge": ("open",), "assign": ("open", "acknowledged"),
               "note": ("open", "acknowledged"), "close": ("acknowledged",)}


def subject(a: AlertInfo) -> str:
    return f"{a.username or '—'} → #{a.resource_id}" if a.resource_id else (a.username or "—")


class AlertsTab(QWidget):
    """Alerts, one selected with its history, and the triage buttons."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.alerts: list[AlertInfo] = []
        self.detail: AlertDetail | None = None
        self.show_dialog: Callable[[QDialog], object] = lambda d: d.exec()
        self.can_triage = who.can(Op.MONITOR_ALERTS)
        self.state = self._combo(self.tr("Show alerts in state"), vocab.MONITOR_ALERT_STATE)
        self.severity = self._combo(self.tr("Show alerts of severity"), vocab.MONITOR_SEVERITY)
        self.rule = self._combo(self.tr("Show alerts of rule"), vocab.MONITOR_RULE_KIND)
        self.state.setCurrentIndex(1)  # open ones first
        self.run_button = self._button(self.tr("Run the rules &now"),
                                       self.tr("Evaluate every enabled rule now"), self.run_now)
        self.run_button.setEnabled(self.can_triage)
        self.reload_button = self._button(self.tr("Re&load"), self.tr("Reload the alerts"),
                                          self.refresh)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Alerts summary"))
        self.list = self._tree(self.tr("Alerts"), [
            self.tr("No."), self.tr("Severity"), self.tr("State"), self.tr("Rule"),
            self.tr("Subject"), self.tr("Count"), self.tr("Last seen"), self.tr("Assignee")])
        self.list.currentItemChanged.connect(lambda *_: self._select())
        self.info = QLabel()
        self.info.setAccessibleName(self.tr("Selected alert"))
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = self._tree(self.tr("Alert history"), [
            self.tr("Time"), self.tr("By"), self.tr("Change"), self.tr("Note")])
        self.steps = {
            "acknowledge": self._button(self.tr("Ackno&wledge…"),
                                        self.tr("Acknowledge the selected alert"),
                                        lambda: self.step("acknowledge")),
            "assign": self._button(self.tr("Assi&gn…"), self.tr("Assign the selected alert"),
                                   lambda: self.step("assign")),
            "note": self._button(self.tr("Add no&te…"),
                                 self.tr("Add a note to the selected alert"),
                                 lambda: self.step("note")),
            "close": self._button(self.tr("&Close with disposition…"),
                                  self.tr("Close the selected alert with a disposition"),
                                  lambda: self.step("close")),
        }
        self._lay_out()
        for combo in (self.state, self.severity, self.rule):
            combo.currentIndexChanged.connect(self.refresh)
        self._enable()

    def _combo(self, name: str, words: vocab.Vocabulary) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(self.tr("Any"), None)
        for code in words.codes:
            combo.addItem(term(words, code), code)
        return combo

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _tree(self, name: str, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setAccessibleName(name)
        tree.setRootIsDecorated(False)
        tree.setHeaderLabels(headers)
        fit_headers(tree)
        return tree

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for text, combo in ((self.tr("&State:"), self.state), (self.tr("Severit&y:"), self.severity),
                            (self.tr("Rule &kind:"), self.rule)):
            label = QLabel(text)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.reload_button)
        side = QWidget()
        right = QVBoxLayout(side)
        right.addWidget(self.info)
        right.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        for button in self.steps.values():
            buttons.addWidget(button)
        right.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # -- loading ---------------------------------------------------------------------------------
    def current_filter(self) -> AlertFilter:
        kind = self.rule.currentData()
        return AlertFilter(state=self.state.currentData(), severity=self.severity.currentData(),
                           rule=kind)

    def refresh(self) -> None:
        """Reload the alerts the filters select (on a worker thread)."""
        db, who, f = self.db, self.who, self.current_filter()
        self.runner.run(lambda: (service.list_alerts(db, who, f), service.count_alerts(db, who, f)),
                        self._loaded, label=self.tr("Loading the alerts…"))

    def _loaded(self, result: tuple[list[AlertInfo], int]) -> None:
        keep = self.detail.alert.id if self.detail else None
        self.alerts, total = list(result[0]), result[1]
        self.list.clear()
        chosen = None
        for a in self.alerts:
            item = QTreeWidgetItem([str(a.id), term(vocab.MONITOR_SEVERITY, a.severity),
                                    term(vocab.MONITOR_ALERT_STATE, a.state),
                                    term(vocab.MONITOR_RULE_KIND, a.kind), subject(a),
                                    str(a.count), local_time(a.last_seen), a.assignee or "—"])
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            self.list.addTopLevelItem(item)
            if a.id == keep:
                chosen = item
        text = (self.tr("%n alert(s)", "", total) if total
                else self.tr("No alerts match the filters."))
        if total > len(self.alerts):  # the list holds the most recently seen ones only
            text += self.tr(" (the %1 most recently seen are listed: narrow the filters to "
                            "see others)").replace("%1", str(len(self.alerts)))
        self.summary.setText(text)
        first = chosen or self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        else:
            self.detail = None
            self._show_detail()

    def selected(self) -> AlertInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        aid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.alerts if a.id == aid), None)

    def _select(self) -> None:
        a = self.selected()
        if a is None:
            return
        db, who = self.db, self.who
        self.runner.run(lambda: service.alert_detail(db, who, a.id), self._detailed)

    def _detailed(self, detail: AlertDetail) -> None:
        self.detail = detail
        self._show_detail()

    def _show_detail(self) -> None:
        self.history.clear()
        d = self.detail
        if d is None:
            self.info.setText(self.tr("No alert selected."))
            self._enable()
            return
        a = d.alert
        lines = [self.tr("Alert %1: %2, severity %3, %4").replace("%1", str(a.id))
                 .replace("%2", term(vocab.MONITOR_RULE_KIND, a.kind))
                 .replace("%3", term(vocab.MONITOR_SEVERITY, a.severity))
                 .replace("%4", term(vocab.MONITOR_ALERT_STATE, a.state)),
                 self.tr("%1: %2 time(s) in %3 run(s), first %4, last %5")
                 .replace("%1", subject(a)).replace("%2", str(a.count))
                 .replace("%3", str(a.hits)).replace("%4", local_time(a.first_seen))
                 .replace("%5", local_time(a.last_seen))]
        if a.disposition:
            lines.append(self.tr("Disposition: %1").replace(
                "%1", term(vocab.MONITOR_DISPOSITION, a.disposition)))
        self.info.setText("\n".join(lines))
        for h in d.history:
            change = (self.tr("raised") if h.from_state is None else
                      f"{term(vocab.MONITOR_ALERT_STATE, h.from_state)} → "
                      f"{term(vocab.MONITOR_ALERT_STATE, h.to_state)}")
            self.history.addTopLevelItem(QTreeWidgetItem([local_time(h.at), h.actor, change,
                                                          h.note or ""]))
        self._enable()

    def _enable(self) -> None:
        a = self.detail.alert if self.detail else None
        for step, button in self.steps.items():
            button.setEnabled(self.can_triage and a is not None and a.state in STEP_STATES[step])

    # -- acting ----------------------------------------------------------------------------------
    def step(self, step: str) -> None:
        """Ask for the step's input, then run it on the selected alert."""
        if self.detail is None:
            return
        a = self.detail.alert
        dialog = StepDialog(step, a, self)
        if self.show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        values: dict[str, Any] = dialog.values()
        calls: dict[str, Callable[..., AlertDetail]] = {
            "acknowledge": service.acknowledge, "assign": service.assign,
            "note": service.annotate, "close": service.close_alert}
        fn, db, who = calls[step], self.db, self.who
        if step == "note":
            values = {"note": values["note"]}
        self.runner.run(lambda: fn(db, who, a.id, base_version=a.version, **values),
                        lambda d: self._detailed(d), label=self.tr("Saving…"))

    def run_now(self) -> None:
        """Evaluate the rules now (``govdesk monitor run``), then reload."""
        db, who = self.db, self.who
        self.runner.run(lambda: run_rules(db, who), self._ran, label=self.tr("Running the rules…"))

    def _ran(self, report: RunReport) -> None:
        self.last_run = report
        self.refresh()
