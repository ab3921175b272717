"""One tab of the Sharing area: a list of grants chosen by its :class:`Mode`, the selected
grant's terms and history beside it, and the steps that apply to it as buttons (enabled only
when the step applies to that grant for this person: its state, the side, not the requester).

- ``REQUESTS`` (我的申请): what the data administrator asked for, in every state;
- ``ORGANISATION`` (本单位获得的授权): grants the organisation holds or held, named or through a
  scope that covers it (in force, scheduled, expired, revoked, released);
- ``REVIEW`` (待审批): requests and offers the security administrator may decide;
- ``ALL`` (全部授权): every grant the security administrator may see, filtered by state,
  resource and organisation.

Every step is a service call on the runner; a refusal is shown in the interface language
(message and status line) and nothing changes. The list reloads from the change bus.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.orgs.directory import OrgInfo, list_organisations
from govdesk.db.engine import Database
from govdesk.sharing.states import grant_day
from govdesk.security.identity import Identity
from govdesk.sharing.dto import GrantFilter, GrantInfo
from govdesk.sharing.lookup import providing_side
from govdesk.sharing.queries import list_grants
from govdesk.ui.i18n import error_text, term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing import steps
from govdesk.ui.sharing.actions import Action, available, may_offer, may_request
from govdesk.ui.sharing.detail import GrantDetailPane
from govdesk.ui.sharing.table import GrantTable
from govdesk.ui.status import show_status

#: the statuses of grants an organisation holds or held
HELD = ("approved", "revoked", "released")


class Mode(enum.Enum):
    REQUESTS = "requests"
    ORGANISATION = "organisation"
    REVIEW = "review"
    ALL = "all"


def load(db: Database, who: Identity, mode: Mode,
         grant_filter: GrantFilter) -> tuple[list[GrantInfo], frozenset[int]]:
    """(the grants of ``mode``, those where ``who`` is the providing side): worker thread."""
    if mode is Mode.REVIEW:
        grant_filter = GrantFilter(to_decide=True)
    elif mode is not Mode.ALL:
        grant_filter = GrantFilter(mine=True, state=grant_filter.state)
    grants = list_grants(db, who, grant_filter)
    if mode is Mode.REQUESTS:
        grants = [g for g in grants if g.requested_by == who.username]
    elif mode is Mode.ORGANISATION:
        grants = [g for g in grants if g.status in HELD and (
            g.grantee_org_id == who.organisation_id
            or (g.scope is not None and g.requested_by != who.username))]
    return grants, providing_side(db, who, [g.id for g in grants])


class GrantsTab(QWidget):
    """A list of grants of one :class:`Mode`, with detail and actions."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, mode: Mode,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.mode = db, who, runner, mode
        self.setObjectName(f"grants_{mode.value}")
        self.provider: frozenset[int] = frozenset()
        self._select_next: int | None = None
        self.table = GrantTable(self._list_name())
        self.table.setObjectName(f"grantsTable_{mode.value}")
        self.detail = GrantDetailPane()
        self.status = QLabel()
        self._counted = False  #: the status line shows the count (not what a step did)
        self._loads = 0  #: how many loads were asked for (the latest one is shown)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("What was done"))
        self.buttons: dict[Action | str, QPushButton] = {}
        top = self._filters()
        bar = self._actions()
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName(f"sharingSplitter_{mode.value}")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        if top is not None:
            layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.activated.connect(lambda _i: self.open_detail())
        self.table.doubleClicked.connect(lambda _i: self.open_detail())
        self.steps = steps.Steps(self)
        self._enable()

    def _list_name(self) -> str:
        return {Mode.REQUESTS: self.tr("My requests"),
                Mode.ORGANISATION: self.tr("Grants of my organisation"),
                Mode.REVIEW: self.tr("Requests to decide"),
                Mode.ALL: self.tr("All grants")}[self.mode]

    # -- building ------------------------------------------------------------------------
    def _filters(self) -> QHBoxLayout | None:
        self.state = QComboBox()
        self.state.setAccessibleName(self.tr("Filter by state"))
        self.state.addItem(self.tr("Any state"), None)
        for code in vocab.GRANT_STATE.codes:
            self.state.addItem(term(vocab.GRANT_STATE, code), code)
        self.resource = QLineEdit()
        self.resource.setAccessibleName(self.tr("Filter by resource code"))
        self.resource.setPlaceholderText(self.tr("resource code or its beginning, e.g. 101/"))
        self.resource.setClearButtonEnabled(True)
        self.org = QComboBox()
        self.org.setAccessibleName(self.tr("Filter by organisation granted"))
        self.org.addItem(self.tr("Any organisation"), None)
        if self.mode not in (Mode.REQUESTS, Mode.ALL):
            return None
        row = QHBoxLayout()
        shown: list[tuple[str, QWidget]] = [(self.tr("&State:"), self.state)]
        if self.mode is Mode.ALL:
            shown += [(self.tr("Reso&urce:"), self.resource),
                      (self.tr("O&rganisation:"), self.org)]
        for caption, widget in shown:
            label = QLabel(caption)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is not self.state else 0)
        row.addStretch(1)
        self.state.currentIndexChanged.connect(lambda _i: self._refilter())
        self.org.currentIndexChanged.connect(lambda _i: self._refilter())
        self.resource.returnPressed.connect(self._refilter)
        self.resource.editingFinished.connect(self._resource_changed)
        self._resource_text = ""
        return row

    def _actions(self) -> QHBoxLayout:
        who = self.who
        specs: list[tuple[Action | str, str, str, Callable[[], None], bool]] = [
            ("detail", self.tr("De&tails…"), self.tr("Show the grant's terms and history"),
             self.open_detail, True)]
        if self.mode in (Mode.REQUESTS, Mode.ORGANISATION):
            specs += [
                ("request", self.tr("&New request…"),
                 self.tr("Ask for a resource for my organisation"),
                 lambda: self.steps.new_request(), may_request(who)),
                (Action.RENEW, self.tr("Rene&w…"), self.tr("Ask for a renewal of the grant"),
                 lambda: self.steps.ask(Action.RENEW), may_request(who)),
                (Action.RELEASE, self.tr("Re&lease…"),
                 self.tr("Give the grant back before it ends"),
                 lambda: self.steps.ask(Action.RELEASE), may_request(who))]
        else:
            specs += [
                (Action.APPROVE, self.tr("A&pprove…"), self.tr("Approve the request"),
                 lambda: self.steps.ask(Action.APPROVE), True),
                (Action.REJECT, self.tr("Re&ject…"), self.tr("Reject the request, with a reason"),
                 lambda: self.steps.ask(Action.REJECT), True),
                (Action.REVOKE, self.tr("Revo&ke…"), self.tr("Revoke the grant, with a reason"),
                 lambda: self.steps.ask(Action.REVOKE), True),
                ("offer", self.tr("Offer a &grant…"),
                 self.tr("Offer a resource of my region to an organisation or a scope"),
                 lambda: self.steps.new_request(offer=True), may_offer(who))]
        row = QHBoxLayout()
        for key, text, name, slot, shown in specs:
            if not shown:
                continue
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.clicked.connect(lambda _c=False, slot=slot: slot())
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- loading -------------------------------------------------------------------------
    def grant_filter(self) -> GrantFilter:
        org = self.org.currentData()
        return GrantFilter(state=self.state.currentData(),
                           resource_code=self.resource.text().strip() or None,
                           grantee_org_id=int(org) if org is not None else None)

    def refresh(self) -> None:
        """Reload the list (and, in the all-grants tab, the organisations of its filter)."""
        db, who, mode, f = self.db, self.who, self.mode, self.grant_filter()
        self._loads += 1
        wanted = self._loads  # loads run in parallel: only the latest one is shown
        self.runner.run(lambda: load(db, who, mode, f),
                        lambda loaded: self._fill(loaded) if wanted == self._loads else None)
        if self.mode is Mode.ALL and self.org.count() == 1:
            self.runner.run(lambda: list_organisations(db, who), self._fill_orgs)

    def _refilter(self) -> None:
        """The filters changed: list again and count what they let through."""
        self._counted = True
        self.refresh()

    def _resource_changed(self) -> None:
        if self.resource.text().strip() != self._resource_text:
            self._resource_text = self.resource.text().strip()
            self._refilter()

    def _fill_orgs(self, orgs: list[OrgInfo]) -> None:
        self.org.blockSignals(True)
        for o in orgs:
            self.org.addItem(f"{o.name}（{o.region_name}）", o.id)
        self.org.blockSignals(False)

    def _fill(self, loaded: tuple[list[GrantInfo], frozenset[int]]) -> None:
        grants, self.provider = loaded
        self.table.fill(grants, grant_day())
        if self._select_next is not None and self.table.select_grant(self._select_next):
            self._select_next = None
        if self.table.selected() is None:
            self.detail.clear()
        if self._counted or not self.status.text():  # what a step did stays until the next
            self.status.setText(self.tr("%1 grants.").replace("%1", str(len(grants))))
            self._counted = True
        if self.mode is Mode.REQUESTS and not may_request(self.who):
            self.status.setText(self.tr(
                "Your account belongs to no organisation, so you cannot request grants: a "
                "system administrator sets it (Administration → Accounts)."))

    def selected(self) -> GrantInfo | None:
        return self.table.selected()

    def _selected(self) -> None:
        grant = self.selected()
        if grant is not None and grant is not self.detail.grant:
            self.detail.show_grant(grant)
            self.steps.load_history(grant.id)
        self._enable()

    def allowed(self, grant: GrantInfo | None = None) -> frozenset[Action]:
        """The actions that apply to ``grant`` (default: the selected one)."""
        grant = grant or self.selected()
        if grant is None:
            return frozenset()
        return available(grant, self.who, grant.id in self.provider, grant_day())

    def _enable(self) -> None:
        grant = self.selected()
        allowed = self.allowed(grant)
        for key, button in self.buttons.items():
            if isinstance(key, Action):
                button.setEnabled(key in allowed)
            elif key == "detail":
                button.setEnabled(grant is not None)

    def open_detail(self) -> None:
        grant = self.selected()
        if grant is not None:
            self.steps.open_detail(grant.id)

    # -- reporting -----------------------------------------------------------------------
    def done(self, text: str, grant: GrantInfo | None = None) -> None:
        """Say what a step did (status line and status bar); keep its grant selected."""
        self._counted = False
        self.status.setText(text)
        show_status(self, text)
        if grant is not None:
            self._select_next = grant.id  # the list reloads from the change bus next
            self.table.select_grant(grant.id)

    def refused(self, error: BaseException) -> None:
        """A step was refused: say why (status line, status bar and the runner's message)."""
        text = error_text(error)
        self._counted = False
        self.status.setText(text)
        show_status(self, text)
        self.runner.report_error(error)
