"""申请共享 / 提供共享: the dialog that asks for a grant for one's own organisation, or (with
``offer``) offers one of one's region's resources to an organisation or a scope.

The person finds a published resource, then sees its terms before asking: the data items, those
whose grade forbids sharing left out and unchecked with why, the longest validity the binding
grades allow (the last day cannot be set later) and how many approvals they ask for, and for a
有条件共享 resource its conditions, which must be accepted explicitly. The workflow service checks
all of it again; what it refuses is shown here in the interface language and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.sharing.states import grant_day
from govdesk.security.identity import Identity
from govdesk.sharing.dto import GrantInfo, GrantTerms
from govdesk.sharing.lookup import RequestableResource, requestable
from govdesk.sharing.workflow import offer_grant, request_grant
from govdesk.messages import render
from govdesk.ui.i18n import current_language, error_text, term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.regions import region_name
from govdesk.ui.sharing.dialogs import ok_button, pydate, qdate
from govdesk.ui.sharing.grantee_box import GranteeBox
from govdesk.ui.sharing.picker import ResourcePicker


def _labelled(form: QFormLayout, caption: str, widget: QWidget, name: str) -> None:
    label = QLabel(caption)
    label.setBuddy(widget)
    widget.setAccessibleName(name)
    form.addRow(label, widget)


class RequestDialog(QDialog):
    """Ask for (or with ``offer`` offer) a grant. After it is accepted :attr:`grant` holds the
    grant as stored."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, *,
                 offer: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.offer = db, who, runner, offer
        title = self.tr("Offer a grant") if offer else self.tr("Request a grant")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resource: RequestableResource | None = None
        self.grant: GrantInfo | None = None
        self.picker = ResourcePicker(db, who, runner, self)
        self.summary = QLabel(self.tr("Find and select a published resource."))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Terms of the resource"))
        self.items = QListWidget()
        self.items.setObjectName("grantItems")
        self.method = QComboBox()
        for code in vocab.SHARING_METHOD.codes:
            self.method.addItem(term(vocab.SHARING_METHOD, code), code)
        self.purpose = QComboBox()
        for code in vocab.SHARING_PURPOSE.codes:
            self.purpose.addItem(term(vocab.SHARING_PURPOSE, code), code)
        self.purpose_text = QLineEdit()
        self.basis = QLineEdit()
        self.basis.setPlaceholderText(self.tr("e.g. 《残疾人保障法》 and the sharing agreement"))
        today = grant_day()
        self.valid_from = QDateEdit(qdate(today))
        self.valid_until = QDateEdit(qdate(today + dt.timedelta(days=89)))
        for edit in (self.valid_from, self.valid_until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.valid_from.setMinimumDate(qdate(today))
        self.limit = QLabel()
        self.limit.setWordWrap(True)
        self.limit.setAccessibleName(self.tr("Longest validity"))
        self.conditions = QCheckBox(self.tr("I &accept the sharing conditions"))
        self.conditions.setAccessibleName(self.tr("Accept the sharing conditions"))
        self.conditions_text = QLabel()
        self.conditions_text.setWordWrap(True)
        self.conditions_text.setAccessibleName(self.tr("Sharing conditions"))
        self.grantee = GranteeBox(db, who, runner, self) if offer else None
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("requestError")
        self.error.setAccessibleName(self.tr("Why the request was refused"))
        self.error.setStyleSheet("color: #b00020")
        self._layout()
        self._connect()
        self._enable()

    def _layout(self) -> None:
        form = QFormLayout()
        _labelled(form, self.tr("Data &items:"), self.items,
                  self.tr("Data items to share (those left out are disabled)"))
        _labelled(form, self.tr("&Method:"), self.method, self.tr("Sharing method"))
        _labelled(form, self.tr("Pu&rpose:"), self.purpose, self.tr("Purpose"))
        _labelled(form, self.tr("Purpose in &words:"), self.purpose_text,
                  self.tr("Purpose in words"))
        _labelled(form, self.tr("Legal &basis:"), self.basis, self.tr("Legal basis"))
        _labelled(form, self.tr("Valid fr&om:"), self.valid_from, self.tr("Valid from"))
        _labelled(form, self.tr("Valid u&ntil:"), self.valid_until, self.tr("Valid until"))
        form.addRow(self.limit)
        form.addRow(self.conditions_text)
        form.addRow(self.conditions)
        if self.grantee is not None:
            form.addRow(self.grantee)
        form.addRow(self.error)
        self.ok = ok_button(self, form)
        self.ok.setText(self.tr("Offer") if self.offer else self.tr("Submit request"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.summary)
        layout.addLayout(form, 2)
        screen = self.screen()  # 860 high where it fits; on a 1280×800 or 1366×768 screen less
        room = screen.availableGeometry().height() - 60 if screen is not None else 860
        self.resize(820, max(min(860, room), self.minimumSizeHint().height()))
        self.picker.search.setFocus()

    def _connect(self) -> None:
        self.picker.chosen.connect(self.choose)
        self.items.itemChanged.connect(lambda _i: self._limits())
        self.valid_from.dateChanged.connect(lambda _d: self._limits())
        self.valid_until.dateChanged.connect(lambda _d: self._enable())
        self.conditions.toggled.connect(lambda _on: self._enable())
        if self.grantee is not None:
            for signal in (self.grantee.one.toggled, self.grantee.prefix.textChanged,
                           self.grantee.org.currentIndexChanged):
                signal.connect(lambda *_a: self._enable())

    # -- the resource --------------------------------------------------------------------
    def choose(self, code: str) -> None:
        """Load the terms of the published resource ``code``."""
        db, who = self.db, self.who
        self.runner.run(lambda: requestable(db, who, code), self.show_terms,
                        on_error=self._refused)

    def show_terms(self, resource: RequestableResource) -> None:
        """Show ``resource``'s terms: items (left-out ones disabled, with why), conditions."""
        self.resource = resource
        self.error.clear()
        grade = resource.grade or self.tr("no grade")
        self.summary.setText(self.tr("%1 %2 · %3 · %4 · graded %5").replace("%1", resource.code)
                             .replace("%2", resource.name)
                             .replace("%3", region_name(resource.region_code))
                             .replace("%4", term(vocab.SHARING_TYPE, resource.sharing_type))
                             .replace("%5", grade))
        if not resource.shareable and resource.refusal:
            # the service's own refusal, in the interface language (the request would get it)
            self.error.setText(render(resource.refusal, current_language(), {
                "resource": resource.code, "grade": resource.grade or "—",
                "sharing_type": term(vocab.SHARING_TYPE, resource.sharing_type)}))
        self.items.blockSignals(True)
        self.items.clear()
        for i in resource.items:
            text = f"{i.seq}. {i.name}" + (f"（{i.grade}）" if i.grade else "")
            item = QListWidgetItem(text if i.allowed else self.tr(
                "%1 — left out: its grade does not allow this kind of sharing").replace("%1", text))
            item.setData(Qt.ItemDataRole.UserRole, i.name)
            if i.allowed:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.items.addItem(item)
        self.items.blockSignals(False)
        conditional = resource.sharing_type == "conditional"
        self.conditions_text.setText(self.tr("Conditions of sharing: %1").replace(
            "%1", resource.condition or "—") if conditional else "")
        self.conditions.setVisible(conditional)
        self.conditions.setChecked(False)
        self._limits()

    def chosen_items(self) -> list[str]:
        return [str(self.items.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.items.count())
                if self.items.item(r).checkState() == Qt.CheckState.Checked
                and self.items.item(r).flags() & Qt.ItemFlag.ItemIsEnabled]

    def _limits(self) -> None:
        """The longest validity of the chosen items' grades: shown, and the last day bound."""
        if self.resource is None:
            self._enable()
            return
        chosen = self.chosen_items()
        days = self.resource.max_days(chosen)
        start = pydate(self.valid_from.date())
        latest = start + dt.timedelta(days=days - 1)
        self.valid_until.setDateRange(qdate(start), qdate(latest))
        approvals = self.resource.approvals(chosen)
        self.limit.setText((self.tr("The grades of these items allow at most %1 days (until %2). "
                                    "Two different security administrators approve.")
                            if approvals >= 2 else
                            self.tr("The grades of these items allow at most %1 days (until %2). "
                                    "One security administrator approves."))
                           .replace("%1", str(days)).replace("%2", latest.isoformat()))
        self._enable()

    def _enable(self) -> None:
        r = self.resource
        ready = (r is not None and r.shareable and bool(self.chosen_items())
                 and (r.sharing_type != "conditional" or self.conditions.isChecked())
                 and (self.grantee is None or self.grantee.complete()))
        self.ok.setEnabled(ready)

    # -- asking ---------------------------------------------------------------------------
    def terms(self) -> GrantTerms:
        """The terms as entered (all items when every item that may be shared is checked)."""
        assert self.resource is not None
        chosen = self.chosen_items()
        every = [i.name for i in self.resource.items if i.allowed]
        return GrantTerms(
            valid_until=pydate(self.valid_until.date()), method=str(self.method.currentData()),
            purpose_code=str(self.purpose.currentData()), purpose=self.purpose_text.text(),
            legal_basis=self.basis.text(), valid_from=pydate(self.valid_from.date()),
            items=None if chosen == every else tuple(chosen),
            accept_conditions=self.conditions.isChecked())

    def accept(self) -> None:
        """Ask the workflow service; close on success, say why on refusal."""
        if self.resource is None:
            return
        db, who, code, terms = self.db, self.who, self.resource.code, self.terms()
        self.error.clear()
        self.ok.setEnabled(False)
        if self.grantee is not None:
            grantee, scope = self.grantee.grantee(), self.grantee.scope()
            self.runner.run(lambda: offer_grant(db, who, code, terms, grantee=grantee,
                                                scope=scope), self._done, on_error=self._refused)
        else:
            self.runner.run(lambda: request_grant(db, who, code, terms), self._done,
                            on_error=self._refused)

    def _done(self, grant: GrantInfo) -> None:
        self.grant = grant
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.error.setText(error_text(error))
        self._enable()
