"""The steps a tab of the Sharing area takes: ask the person (a reason, a renewal's end date, a
new request or offer), call the workflow service on the runner, and report what was done or
why it was refused. ``approve``/``reject``/``revoke``/``release``/``renew`` take their inputs
directly (the tests call them); :meth:`Steps.ask` asks for them first.

Dialogs are shown through :attr:`Steps.answer` (tests replace it to fill a dialog and accept
it, or to cancel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from govdesk.sharing import decisions
from govdesk.sharing.dto import GrantDetail, GrantInfo
from govdesk.sharing.lookup import RequestableResource, requestable
from govdesk.sharing.queries import grant_detail
from govdesk.sharing.workflow import renew_grant
from govdesk.ui.sharing import labels
from govdesk.ui.sharing.actions import Action
from govdesk.ui.sharing.detail import GrantDetailDialog
from govdesk.ui.sharing.dialogs import ReasonDialog, RenewDialog
from govdesk.ui.sharing.request_dialog import RequestDialog

if TYPE_CHECKING:
    from govdesk.ui.sharing.grants_tab import GrantsTab

translate = QCoreApplication.translate


def _modal(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class Steps:
    """The workflow steps of one :class:`GrantsTab`."""

    def __init__(self, tab: GrantsTab) -> None:
        self.tab = tab
        #: shows a dialog and says whether it was accepted (tests answer it instead)
        self.answer: Callable[[QDialog], bool] = _modal
        self._history_for: int | None = None

    # -- asking ----------------------------------------------------------------------------
    def ask(self, action: Action) -> None:
        """Ask for what ``action`` needs on the selected grant, then take it."""
        grant = self.tab.selected()
        if grant is None or action not in self.tab.allowed(grant):
            return
        if action is Action.RENEW:
            db, who, code = self.tab.db, self.tab.who, grant.resource_code or ""
            self.tab.runner.run(lambda: requestable(db, who, code),
                                lambda r: self._ask_renewal(grant, r), on_error=self.tab.refused)
            return
        title, prompt, required = self._reason_texts(action, grant)
        dialog = ReasonDialog(title, prompt, required, self.tab)
        if not self.answer(dialog):
            return
        reason = dialog.reason()
        steps: dict[Action, Callable[[GrantInfo, str], None]] = {
            Action.APPROVE: self.approve, Action.REJECT: self.reject, Action.REVOKE: self.revoke,
            Action.RELEASE: self.release}
        steps[action](grant, reason)

    @staticmethod
    def _reason_texts(action: Action, grant: GrantInfo) -> tuple[str, str, bool]:
        what = translate("SharingSteps", "Grant %1: %2 to %3").replace(
            "%1", str(grant.id)).replace("%2", labels.resource_text(grant)).replace(
            "%3", labels.grantee_text(grant))
        if action is Action.APPROVE:
            return (translate("SharingSteps", "Approve"), what + "\n" + translate(
                "SharingSteps", "A note on the approval (optional):"), False)
        if action is Action.REJECT:
            return (translate("SharingSteps", "Reject"), what + "\n" + translate(
                "SharingSteps", "Why is the request rejected? The requester reads the reason."),
                True)
        if action is Action.REVOKE:
            return (translate("SharingSteps", "Revoke"), what + "\n" + translate(
                "SharingSteps", "Sharing stops at once. Why is the grant revoked?"), True)
        return (translate("SharingSteps", "Release"), what + "\n" + translate(
            "SharingSteps", "My organisation gives the grant back now; it cannot be undone. "
            "Why (optional)?"), False)

    def _ask_renewal(self, grant: GrantInfo, resource: RequestableResource) -> None:
        dialog = RenewDialog(grant, resource, self.tab)
        if self.answer(dialog):
            self.renew(grant, dialog.valid_until(), dialog.accept_conditions.isChecked(),
                       dialog.purpose.text())

    def new_request(self, offer: bool = False) -> None:
        """Open the request (or offer) dialog; the new grant is selected once listed."""
        t = self.tab
        dialog = RequestDialog(t.db, t.who, t.runner, offer=offer, parent=t)
        if not self.answer(dialog) or dialog.grant is None:
            return
        g = dialog.grant
        text = (translate("SharingSteps", "Offered grant %1 (%2): it waits for a security "
                          "administrator's approval.") if offer else
                translate("SharingSteps", "Request %1 (%2) sent: it waits for the providing "
                          "side's approval."))
        t.done(text.replace("%1", str(g.id)).replace("%2", labels.resource_text(g)), g)

    # -- the steps -------------------------------------------------------------------------
    def _run(self, fn: Callable[[], GrantInfo], said: Callable[[GrantInfo], str]) -> None:
        self.tab.runner.run(fn, lambda g: self.tab.done(said(g), g), on_error=self.tab.refused)

    def approve(self, grant: GrantInfo, note: str = "") -> None:
        db, who, gid = self.tab.db, self.tab.who, grant.id

        def said(g: GrantInfo) -> str:
            if g.status == "first_approved":
                return translate("SharingSteps", "First approval of grant %1 recorded: a "
                                 "second security administrator must approve it.").replace(
                    "%1", str(g.id))
            return translate("SharingSteps", "Grant %1 approved (%2).").replace(
                "%1", str(g.id)).replace("%2", labels.state_text(g))

        seen = grant.version  # what is approved is what the reviewer was shown
        self._run(lambda: decisions.approve(db, who, gid, note=note, seen_version=seen), said)

    def reject(self, grant: GrantInfo, reason: str) -> None:
        db, who, gid = self.tab.db, self.tab.who, grant.id
        self._run(lambda: decisions.reject(db, who, gid, reason), lambda g: translate(
            "SharingSteps", "Grant %1 rejected.").replace("%1", str(g.id)))

    def revoke(self, grant: GrantInfo, reason: str) -> None:
        db, who, gid = self.tab.db, self.tab.who, grant.id
        self._run(lambda: decisions.revoke(db, who, gid, reason), lambda g: translate(
            "SharingSteps", "Grant %1 revoked: sharing stopped.").replace("%1", str(g.id)))

    def release(self, grant: GrantInfo, reason: str = "") -> None:
        db, who, gid = self.tab.db, self.tab.who, grant.id
        self._run(lambda: decisions.release(db, who, gid, reason=reason), lambda g: translate(
            "SharingSteps", "Grant %1 released.").replace("%1", str(g.id)))

    def renew(self, grant: GrantInfo, until: dt.date, accept_conditions: bool = False,
              purpose: str | None = None) -> None:
        db, who, gid = self.tab.db, self.tab.who, grant.id

        def said(g: GrantInfo) -> str:
            return translate("SharingSteps", "Renewal of grant %1 requested as request %2 "
                             "(until %3).").replace("%1", str(gid)).replace(
                "%2", str(g.id)).replace("%3", g.valid_until.isoformat() if g.valid_until
                                         else "")

        self._run(lambda: renew_grant(db, who, gid, until, accept_conditions=accept_conditions,
                                      purpose=purpose), said)

    # -- reading ---------------------------------------------------------------------------
    def load_history(self, grant_id: int) -> None:
        """Load the selected grant's history into the detail pane."""
        db, who = self.tab.db, self.tab.who
        self._history_for = grant_id
        self.tab.runner.run(lambda: grant_detail(db, who, grant_id), self._history,
                            on_error=lambda _e: None)

    def _history(self, detail: GrantDetail) -> None:
        if detail.grant.id == self._history_for:
            self.tab.detail.show_detail(detail)

    def open_detail(self, grant_id: int) -> None:
        """The grant's terms and history in a dialog of their own."""
        db, who = self.tab.db, self.tab.who
        self.tab.runner.run(lambda: grant_detail(db, who, grant_id),
                            lambda d: self.answer(GrantDetailDialog(d, self.tab)),
                            on_error=self.tab.refused)
