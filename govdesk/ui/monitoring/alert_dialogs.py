"""The dialogs of the alerts tab: a triage step (acknowledge, assign, note, close with a
disposition) and a rule's thresholds, severity and switch. They collect input only; the tab
runs the service on the window's OperationRunner."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from govdesk import vocab
from govdesk.monitoring.alert_dto import AlertInfo, RuleInfo
from govdesk.monitoring.kinds import PARAMETERS
from govdesk.monitoring.alert_messages import PARAMS
from govdesk.ui.i18n import current_language, term
from govdesk.ui.sharing.dialogs import ok_button


class StepDialog(QDialog):
    """One triage step on ``alert``: ``step`` is acknowledge, assign, note or close. Close asks
    for a disposition; assign for a security administrator's login; every step takes a note
    (required for ``note``)."""

    def __init__(self, step: str, alert: AlertInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        titles = {"acknowledge": self.tr("Acknowledge alert %1"),
                  "assign": self.tr("Assign alert %1"), "note": self.tr("Add a note to alert %1"),
                  "close": self.tr("Close alert %1")}
        title = titles[step].replace("%1", str(alert.id))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        self.disposition = QComboBox()
        self.disposition.setAccessibleName(self.tr("Disposition"))
        for code in vocab.MONITOR_DISPOSITION.codes:
            self.disposition.addItem(term(vocab.MONITOR_DISPOSITION, code), code)
        self.assignee = QLineEdit(alert.assignee or "")
        self.assignee.setAccessibleName(self.tr("Assign to (login name)"))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setTabChangesFocus(True)
        if step == "close":
            label = QLabel(self.tr("&Disposition:"))
            label.setBuddy(self.disposition)
            form.addRow(label, self.disposition)
        if step in ("acknowledge", "assign"):
            label = QLabel(self.tr("Assi&gn to:"))
            label.setBuddy(self.assignee)
            form.addRow(label, self.assignee)
        note_label = QLabel(self.tr("&Note:"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        self.ok = ok_button(self, form)
        if step == "note":
            self.ok.setEnabled(False)
            self.note.textChanged.connect(
                lambda: self.ok.setEnabled(bool(self.note.toPlainText().strip())))

    def values(self) -> dict[str, Any]:
        """The step's arguments as the service takes them."""
        note = self.note.toPlainText().strip() or None
        if self.step == "close":
            return {"disposition": self.disposition.currentData(), "note": note}
        if self.step == "assign":
            return {"assignee": self.assignee.text().strip(), "note": note}
        if self.step == "acknowledge":
            return {"assignee": self.assignee.text().strip() or None, "note": note}
        return {"note": note or ""}


class RuleDialog(QDialog):
    """A rule's parameters (one field each), severity and switch."""

    def __init__(self, rule: RuleInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule = rule
        title = self.tr("Edit rule %1").replace("%1", term(vocab.MONITOR_RULE_KIND, rule.kind))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        lang = "zh" if current_language() == "zh_CN" else "en"
        self.fields: dict[str, QLineEdit] = {}
        for p in PARAMETERS[rule.kind]:
            edit = QLineEdit(str(rule.parameters.get(p.name, "")))
            name = PARAMS[p.name].text(lang)
            edit.setAccessibleName(name)
            label = QLabel(name + ("：" if lang == "zh" else ":"))
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.fields[p.name] = edit
        self.severity = QComboBox()
        self.severity.setAccessibleName(self.tr("Severity"))
        for code in vocab.MONITOR_SEVERITY.codes:
            self.severity.addItem(term(vocab.MONITOR_SEVERITY, code), code)
        self.severity.setCurrentIndex(vocab.MONITOR_SEVERITY.codes.index(rule.severity))
        label = QLabel(self.tr("Se&verity:"))
        label.setBuddy(self.severity)
        form.addRow(label, self.severity)
        self.enabled = QCheckBox(self.tr("Rule &enabled"))
        self.enabled.setChecked(rule.enabled)
        form.addRow(self.enabled)
        ok_button(self, form)

    def values(self) -> dict[str, Any]:
        """``edit_rule``'s keyword arguments (validated by the service)."""
        return {"parameters": {k: e.text().strip() for k, e in self.fields.items()},
                "severity": self.severity.currentData(), "enabled": self.enabled.isChecked(),
                "base_version": self.rule.version}
