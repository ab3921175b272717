"""The alert rules tab (告警规则): each rule with its thresholds, severity, switch and its hit
rate over a period (alerts raised, where they stand, what the closed ones were), so reviewers
can tune it; security administrators edit a rule's thresholds (:class:`RuleDialog`).

``RulesTab(db, who, runner, parent=None)``; :meth:`refresh` loads through the runner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.monitoring.alert_dto import RuleInfo, RuleRate
from govdesk.monitoring.alert_messages import PARAMS
from govdesk.monitoring.rates import hit_rates
from govdesk.monitoring.rules import edit_rule, list_rules
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.i18n import current_language, term
from govdesk.ui.monitoring.alert_dialogs import RuleDialog
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers



def thresholds_text(parameters: dict[str, object] | None) -> str:
    """A rule's thresholds as people read them (上班时间 08:30；下班时间 18:00), never its
    JSON: each parameter by its name in the interface language ("—" for none)."""
    if not parameters:
        return "—"
    lang = current_language()
    sep = "; " if lang.startswith("en") else "；"
    return sep.join(f"{PARAMS[k].text(lang) if k in PARAMS else k} {v}"
                    for k, v in parameters.items())

class RulesTab(QWidget):
    """The rules with their hit rates; Edit opens the selected rule's thresholds."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.rules: list[RuleInfo] = []
        self.rates: dict[str, RuleRate] = {}
        self.show_dialog: Callable[[QDialog], object] = lambda d: d.exec()
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(30)
        self.days.setAccessibleName(self.tr("Hit rates over the last days"))
        days_label = QLabel(self.tr("Hit rates over the last &days:"))
        days_label.setBuddy(self.days)
        self.days.valueChanged.connect(self.refresh)
        self.edit_button = QPushButton(self.tr("&Edit rule…"))
        self.edit_button.setAccessibleName(self.tr("Edit the selected rule"))
        self.edit_button.clicked.connect(self.edit)
        self.edit_button.setEnabled(False)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Alert rules"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([
            self.tr("Rule"), self.tr("Enabled"), self.tr("Severity"), self.tr("Thresholds"),
            self.tr("Raised"), self.tr("Not closed"), self.tr("True positive"),
            self.tr("Benign"), self.tr("False positive"), self.tr("Precision")])
        fit_headers(self.tree)
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.tree.itemActivated.connect(lambda *_: self.edit())
        bar = QHBoxLayout()
        bar.addWidget(days_label)
        bar.addWidget(self.days)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        db, who, days = self.db, self.who, self.days.value()
        self.runner.run(lambda: (list_rules(db, who), hit_rates(db, who, days)), self._loaded,
                        label=self.tr("Loading the rules…"))

    def _loaded(self, result: tuple[list[RuleInfo], list[RuleRate]]) -> None:
        self.rules = list(result[0])
        self.rates = {r.code: r for r in result[1]}
        self.tree.clear()
        for rule in self.rules:
            rate = self.rates.get(rule.code)
            numbers = ([rate.raised, rate.open + rate.acknowledged, rate.true_positive,
                        rate.benign, rate.false_positive] if rate else [0] * 5)
            precision = (f"{rate.precision:.0%}" if rate and rate.precision is not None else "—")
            item = QTreeWidgetItem([
                term(vocab.MONITOR_RULE_KIND, rule.kind),
                self.tr("Yes") if rule.enabled else self.tr("No"),
                term(vocab.MONITOR_SEVERITY, rule.severity),
                thresholds_text(rule.parameters),
                *(str(n) for n in numbers), precision])
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._enable()

    def selected(self) -> RuleInfo | None:
        item = self.tree.currentItem()
        index = self.tree.indexOfTopLevelItem(item) if item is not None else -1
        return self.rules[index] if 0 <= index < len(self.rules) else None

    def _enable(self) -> None:
        self.edit_button.setEnabled(self.who.can(Op.MONITOR_RULES) and self.selected() is not None)

    def edit(self) -> None:
        """Edit the selected rule's thresholds, severity and switch."""
        rule = self.selected()
        if rule is None or not self.who.can(Op.MONITOR_RULES):
            return
        dialog = RuleDialog(rule, self)
        if self.show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        values, db, who = dialog.values(), self.db, self.who
        self.runner.run(lambda: edit_rule(db, who, rule.code, **values),
                        lambda _saved: self.refresh(), label=self.tr("Saving the rule…"))
