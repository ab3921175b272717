"""The small dialogs of the Sharing area: a reason for a decision (required to reject or revoke,
optional to approve or release), and the new end date of a renewal (a new request for the days
after the grant ends, no longer than the grades allow, conditions accepted again)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from govdesk.sharing.dto import GrantInfo
from govdesk.sharing.lookup import RequestableResource
from govdesk.ui.sharing import labels


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def ok_button(dialog: QDialog, form: QFormLayout) -> QPushButton:
    """OK and Cancel under ``form``; returns OK (disabled until the input is complete)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    form.addRow(box)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    return ok


class ReasonDialog(QDialog):
    """Why a step is taken. With ``required`` OK stays disabled until a reason is written."""

    def __init__(self, title: str, prompt: str, required: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        intro = QLabel(prompt)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(self.tr("Reason"))
        caption = QLabel(self.tr("&Reason (required):") if required else self.tr("&Reason:"))
        caption.setBuddy(self.text)
        form.addRow(caption, self.text)
        self.ok = ok_button(self, form)
        self.required = required
        self.text.textChanged.connect(self._enable)
        self._enable()
        self.text.setFocus()

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def _enable(self) -> None:
        self.ok.setEnabled(not self.required or bool(self.reason()))


class RenewDialog(QDialog):
    """The new last day of a grant's renewal (from the day after it ends), and the conditions
    of a 有条件共享 resource accepted again."""

    def __init__(self, grant: GrantInfo, resource: RequestableResource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Ask for a renewal of grant %1").replace("%1", str(grant.id))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        assert grant.valid_until is not None
        start = grant.valid_until + dt.timedelta(days=1)
        days = resource.max_days(None if grant.all_items else grant.items)
        self.start, self.latest = start, start + dt.timedelta(days=days - 1)
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "%1\nThe renewal is a new request for the days after %2, decided like any request. "
            "The grades allow at most %3 days, until %4.")
            .replace("%1", labels.resource_text(grant))
            .replace("%2", grant.valid_until.isoformat()).replace("%3", str(days))
            .replace("%4", self.latest.isoformat()))
        intro.setWordWrap(True)
        form.addRow(intro)
        # as long again as the grant ran (least privilege), never past what the grades allow
        length = (grant.valid_until - grant.valid_from).days if grant.valid_from else days - 1
        proposed = min(self.latest, start + dt.timedelta(days=max(length, 0)))
        self.until = QDateEdit(qdate(proposed))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setDateRange(qdate(start), qdate(self.latest))
        self.until.setAccessibleName(self.tr("New last day"))
        caption = QLabel(self.tr("New &last day:"))
        caption.setBuddy(self.until)
        form.addRow(caption, self.until)
        self.purpose = QLineEdit(grant.purpose or "")
        self.purpose.setAccessibleName(self.tr("Purpose in words"))
        caption = QLabel(self.tr("&Purpose in words:"))
        caption.setBuddy(self.purpose)
        form.addRow(caption, self.purpose)
        self.accept_conditions = QCheckBox(self.tr("I &accept the conditions: %1").replace(
            "%1", resource.condition or "—"))
        self.accept_conditions.setAccessibleName(self.tr("Accept the sharing conditions"))
        self.conditional = resource.sharing_type == "conditional"
        if self.conditional:
            form.addRow(self.accept_conditions)
        self.ok = ok_button(self, form)
        self.setMinimumWidth(520)
        self.accept_conditions.toggled.connect(self._enable)
        self._enable()

    def valid_until(self) -> dt.date:
        return pydate(self.until.date())

    def _enable(self) -> None:
        self.ok.setEnabled(not self.conditional or self.accept_conditions.isChecked())
