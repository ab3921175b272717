"""The Sharing area (共享授权): tabs of sharing grants for the person's role.

Data administrators: 我的申请 (their requests) and 本单位获得的授权 (their organisation's grants,
scope grants included); security administrators: 待审批 (the review queue) and 全部授权 (every
grant they may see); viewers: their organisation's grants. Each tab loads the first time it is
shown and reloads from the change bus (``grants``, and ``resources`` for the names).

The tabs (also the alerts and the effective-access matrix) are :data:`TAB_FACTORIES`: each is
a function of the view returning ``(tab id, title, widget)`` or None when the person has no use
for it; the widget is loaded through its ``refresh()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from govdesk.changes import GRANTS, ORGANISATIONS, RESOURCES
from govdesk.security.roles import Op, Role
from govdesk.ui.tabbed_area import TabbedArea
from govdesk.ui.sharing.grants_tab import GrantsTab, Mode

translate = QCoreApplication.translate


#: a tab: (id, title, widget with refresh()), or None when it does not apply to the person
TabFactory = Callable[["SharingView"], "tuple[str, str, QWidget] | None"]


def _grants_tab(mode: Mode, title: Callable[["SharingView"], str],
                applies: Callable[["SharingView"], bool]) -> TabFactory:
    def make(view: SharingView) -> tuple[str, str, QWidget] | None:
        if not applies(view):
            return None
        return mode.value, title(view), GrantsTab(view.db, view.who, view.runner, mode)
    return make


def _data_admin(view: SharingView) -> bool:
    return view.who.role is Role.DATA_ADMIN


def _secadmin(view: SharingView) -> bool:
    return view.who.can(Op.SHARING_DECIDE)


def _member(view: SharingView) -> bool:
    return view.who.organisation_id is not None and not _secadmin(view)


# The tabs, in order; a factory returns None when its tab does not apply to the person.
def _alerts_tab(view: SharingView) -> tuple[str, str, QWidget] | None:
    """The sharing alerts of the person's side; Enter on one opens its grant's history."""
    if not (_data_admin(view) or _secadmin(view)):
        return None
    from govdesk.ui.sharing.alerts_panel import AlertsPanel

    panel = AlertsPanel(view.db, view.who, view.runner)
    panel.grant_activated.connect(lambda grant_id: _open_grant(view, panel, grant_id))
    return "alerts", translate("SharingView", "Al&erts"), panel


def _matrix_tab(view: SharingView) -> tuple[str, str, QWidget] | None:
    """Who can read what and why (data and security administrators)."""
    if not (_data_admin(view) or _secadmin(view)):
        return None
    from govdesk.ui.sharing.matrix_panel import MatrixPanel

    return ("matrix", translate("SharingView", "Access &matrix"),
            MatrixPanel(view.db, view.who, view.runner))


def _open_grant(view: SharingView, parent: QWidget, grant_id: int) -> None:
    from govdesk.ui.sharing.detail import open_grant_detail

    open_grant_detail(view.runner, view.db, view.who, grant_id, parent, view.show_dialog)


TAB_FACTORIES: list[TabFactory] = [
    _grants_tab(Mode.REQUESTS, lambda _v: translate("SharingView", "My re&quests"), _data_admin),
    _grants_tab(Mode.ORGANISATION,
                lambda _v: translate("SharingView", "&Organisation's grants"), _member),
    _grants_tab(Mode.REVIEW, lambda _v: translate("SharingView", "To &decide"), _secadmin),
    _grants_tab(Mode.ALL, lambda _v: translate("SharingView", "All gra&nts"), _secadmin),
    _alerts_tab,
    _matrix_tab,
]


class SharingView(TabbedArea):
    """Sharing grants: request, review, decide, end and renew them; see their history."""

    area_id = "sharing"
    required_op = Op.CATALOG_READ
    watches = frozenset({GRANTS, RESOURCES, ORGANISATIONS})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("sharingView")
        #: shows a dialog opened from a tab (modal; tests look at it instead)
        self.show_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.setup_tabs(TAB_FACTORIES, "sharingTabs", self.tr("Sharing pages"))

    def area_title(self) -> str:
        return self.tr("Sharing")
