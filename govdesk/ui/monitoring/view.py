"""The Monitoring area (监测): tabs for security administrators and auditors.

The tabs are :data:`TAB_FACTORIES`, as in the Sharing area (``ui/sharing/view.py``): each is a
function of the view returning ``(tab id, title, widget)`` or None when the person has no use
for it; a widget loads through its ``refresh()`` the first time its tab is shown. Later lanes
add their tab to the list (the alerts tab, the dashboard): one line each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from govdesk.changes import AUDIT, MONITOR
from govdesk.security.roles import Op
from govdesk.ui.monitoring.dashboard import WATCHES as DASHBOARD_WATCHES
from govdesk.ui.monitoring.dashboard import dashboard_tab
from govdesk.ui.tabbed_area import TabbedArea

translate = QCoreApplication.translate

#: a tab: (id, title, widget with refresh()), or None when it does not apply to the person
TabFactory = Callable[["MonitoringView"], "tuple[str, str, QWidget] | None"]


def _review_tab(view: MonitoringView) -> tuple[str, str, QWidget] | None:
    """访问日志审查: the access-log review workbench (readers of the access log)."""
    if not view.who.can(Op.ACCESS_LOG_READ):
        return None
    from govdesk.ui.monitoring.review_tab import AccessReviewTab

    return ("access_review", translate("MonitoringView", "&Access log review"),
            AccessReviewTab(view.db, view.who, view.runner))


def _alerts_tab(view: MonitoringView) -> tuple[str, str, QWidget] | None:
    """告警: alerts and their triage (security administrators; auditors read)."""
    if not view.who.can(Op.MONITOR_READ):
        return None
    from govdesk.ui.monitoring.alerts_tab import AlertsTab

    return "alerts", translate("MonitoringView", "Alert &queue"), AlertsTab(view.db, view.who,
                                                                       view.runner)


def _rules_tab(view: MonitoringView) -> tuple[str, str, QWidget] | None:
    """告警规则: the rules, their thresholds and hit rates."""
    if not view.who.can(Op.MONITOR_READ):
        return None
    from govdesk.ui.monitoring.rules_tab import RulesTab

    return ("rules", translate("MonitoringView", "Rule &book"),
            RulesTab(view.db, view.who, view.runner))


TAB_FACTORIES: list[TabFactory] = [
    dashboard_tab,
    _review_tab,
    _alerts_tab,
    _rules_tab,
]


class MonitoringView(TabbedArea):
    """Monitoring: the dashboard, the access-log review workbench, alerts and their triage,
    alert rules."""

    area_id = "monitoring"
    required_op = Op.ACCESS_LOG_READ
    #: a review is audited (other clients' reviews reach the list through it); alerts and
    #: rules announce ``monitor``; the dashboard's figures follow the catalogue and grants
    watches = frozenset({AUDIT, MONITOR}) | DASHBOARD_WATCHES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("monitoringView")
        self.setup_tabs(TAB_FACTORIES, "monitoringTabs", self.tr("Monitoring pages"))

    def area_title(self) -> str:
        return self.tr("Monitoring")
