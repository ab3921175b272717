"""The workbench's filter bar: time range, user, organisation, resource, grade, action,
result, client host, "not reviewed"; every field labelled with an access key, Enter in a text
field or the Apply button applies."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from govdesk.monitoring.dto import AccessChoices, AccessFilter
from govdesk.ui.i18n import term
from govdesk.vocab import ACCESS_ACTION


def local_day(date: QDate, days: int = 0) -> dt.datetime:
    """The start of ``date`` (plus ``days``) in this machine's time zone, as UTC."""
    local = dt.datetime(date.year(), date.month(), date.day()) + dt.timedelta(days=days)
    return local.astimezone().astimezone(dt.timezone.utc)


def name_controls(widget: QWidget, name: str) -> None:
    """Give ``widget`` (and a date field's own line edit) the accessible ``name``."""
    widget.setAccessibleName(name)
    if isinstance(widget, QDateEdit):
        inner = widget.findChild(QLineEdit)
        if inner is not None:
            inner.setAccessibleName(name)


class AccessFilterBar(QWidget):
    """The filters; :meth:`current` is the :class:`AccessFilter` they make. ``applied`` is
    emitted by the Apply button and Enter in a text field."""

    applied = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accessFilters")
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("User name"))
        self.organisation = QComboBox()
        self.resource = QLineEdit()
        self.resource.setPlaceholderText(self.tr("Resource code"))
        self.grade = QComboBox()
        self.action = QComboBox()
        self.result = QComboBox()
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("e.g. 10.33.1. (a prefix)"))
        self.unreviewed = QCheckBox(self.tr("&Not reviewed only"))
        self.apply = QPushButton(self.tr("A&pply filter"))
        self._fill_fixed()
        self._lay_out()
        self.apply.clicked.connect(self.applied)
        for line in (self.user, self.resource, self.host):
            line.returnPressed.connect(self.applied)

    def _fill_fixed(self) -> None:
        self.organisation.addItem(self.tr("All organisations"), None)
        self.grade.addItem(self.tr("All grades"), None)
        self.action.addItem(self.tr("All actions"), None)
        for t in ACCESS_ACTION.terms:
            self.action.addItem(term(ACCESS_ACTION, t.code), t.code)
        self.result.addItem(self.tr("Any result"), None)
        self.result.addItem(self.tr("Success"), True)
        self.result.addItem(self.tr("Denied"), False)

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        fields = (
            (self.tr("F&rom:"), self.since, self.tr("From date")),
            (self.tr("&To:"), self.until, self.tr("To date (included)")),
            (self.tr("&User:"), self.user, self.tr("User filter")),
            (self.tr("Or&ganisation:"), self.organisation, self.tr("Organisation filter")),
            (self.tr("Re&source:"), self.resource, self.tr("Resource code filter")),
            (self.tr("Gra&de:"), self.grade, self.tr("Grade filter")),
            (self.tr("Act&ion:"), self.action, self.tr("Action filter")),
            (self.tr("Resu&lt:"), self.result, self.tr("Result filter")),
            (self.tr("Cli&ent:"), self.host, self.tr("Client host filter")),
        )
        for i, (caption, widget, name) in enumerate(fields):
            label = QLabel(caption)
            label.setBuddy(widget)
            name_controls(widget, name)
            grid.addWidget(label, i // 5, (i % 5) * 2)
            grid.addWidget(widget, i // 5, (i % 5) * 2 + 1)
        self.unreviewed.setAccessibleName(self.tr("Only events not reviewed"))
        self.apply.setAccessibleName(self.tr("Apply the filter"))
        grid.addWidget(self.unreviewed, 1, 8)
        grid.addWidget(self.apply, 1, 9)

    def set_choices(self, choices: AccessChoices) -> None:
        """Fill the organisation and grade lists (keeping what is chosen)."""
        for combo, entries in ((self.organisation, choices.organisations),
                               (self.grade, choices.grades)):
            chosen = combo.currentData()
            while combo.count() > 1:
                combo.removeItem(1)
            for c in entries:
                combo.addItem(c.name, c.id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def current(self) -> AccessFilter:
        """The filter the fields make (the "to" date included)."""
        return AccessFilter(
            since=local_day(self.since.date()), until=local_day(self.until.date(), 1),
            username=self.user.text().strip() or None,
            organisation_id=self.organisation.currentData(),
            resource_code=self.resource.text().strip() or None,
            grade_id=self.grade.currentData(), action=self.action.currentData(),
            success=self.result.currentData(), client_host=self.host.text().strip() or None,
            unreviewed=self.unreviewed.isChecked())
