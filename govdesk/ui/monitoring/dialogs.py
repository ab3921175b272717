"""The review dialogs: a comment for the events chosen, or an organisation, a period and a
comment. OK is enabled only for a comment the service will accept (a reason:
:func:`govdesk.security.reasons.is_reason`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from govdesk.monitoring.dto import Choice
from govdesk.security.reasons import MIN_REASON, is_reason
from govdesk.ui.monitoring.filter_bar import local_day, name_controls
from govdesk.ui.sharing.dialogs import ok_button


class ReviewDialog(QDialog):
    """The comment of a review of ``n`` chosen events (or, with ``organisations``, of an
    organisation's period: pick it and the dates too)."""

    def __init__(self, n: int = 0, organisations: list[Choice] | None = None,
                 chosen_org: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        period = self._period = organisations is not None
        title = (self.tr("Review an organisation's period") if period else
                 self.tr("Mark %n event(s) reviewed", "", n))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "Every access event of the organisation from the first day to the last (included) "
            "is marked reviewed.") if period else self.tr(
            "The chosen events are marked reviewed. The review and its comment are kept in "
            "the audit trail and cannot be changed."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.organisation = QComboBox()
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        if period:
            self._period_fields(form, organisations or [], chosen_org)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName(self.tr("Review comment"))
        self.comment.setPlaceholderText(self.tr("What was checked, and what was found "
                                                "(at least %1 letters or digits)")
                                        .replace("%1", str(MIN_REASON)))
        label = QLabel(self.tr("&Comment:"))
        label.setBuddy(self.comment)
        form.addRow(label, self.comment)
        self.ok = ok_button(self, form)
        self.ok.setEnabled(False)
        self.comment.textChanged.connect(self._check)
        self.organisation.currentIndexChanged.connect(self._check)
        self.resize(520, 320)

    def _period_fields(self, form: QFormLayout, organisations: list[Choice],
                       chosen: int | None) -> None:
        for c in organisations:
            self.organisation.addItem(c.name, c.id)
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(chosen)))
        self.organisation.setAccessibleName(self.tr("Organisation reviewed"))
        for edit, name in ((self.since, self.tr("First day of the period")),
                           (self.until, self.tr("Last day of the period"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            name_controls(edit, name)
        for caption, widget in ((self.tr("Or&ganisation:"), self.organisation),
                                (self.tr("F&rom:"), self.since), (self.tr("&To:"), self.until)):
            label = QLabel(caption)
            label.setBuddy(widget)
            form.addRow(label, widget)

    def _check(self) -> None:
        period_ok = not self._period or self.organisation.currentData() is not None
        self.ok.setEnabled(is_reason(self.comment.toPlainText()) and period_ok)

    def period(self) -> tuple[int, dt.datetime, dt.datetime]:
        """(organisation id, start, end) of a period review (the last day included)."""
        return (int(self.organisation.currentData()), local_day(self.since.date()),
                local_day(self.until.date(), 1))

    def text(self) -> str:
        return self.comment.toPlainText().strip()
