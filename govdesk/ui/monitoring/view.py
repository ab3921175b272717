"""The Monitoring area (监测): tabs for security administrators and auditors.

This branch (issue 15, alert rules) adds the alerts tab (告警) and the rules tab (告警规则);
the dashboard and the access-log workbench of the same issue add their tabs to
:data:`TAB_FACTORIES` (the pattern of ``govdesk/ui/sharing/view.py``): each factory returns
``(tab id, title, widget with refresh())`` or None when the person has no use for it; a tab
loads the first time it is shown and reloads from the change bus (``monitor``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from govdesk.changes import MONITOR, Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView

translate = QCoreApplication.translate

TabFactory = Callable[["MonitoringView"], "tuple[str, str, QWidget] | None"]


def _alerts_tab(view: MonitoringView) -> tuple[str, str, QWidget] | None:
    from govdesk.ui.monitoring.alerts_tab import AlertsTab

    return "alerts", translate("MonitoringView", "Ale&rts"), AlertsTab(view.db, view.who,
                                                                       view.runner)


def _rules_tab(view: MonitoringView) -> tuple[str, str, QWidget] | None:
    from govdesk.ui.monitoring.rules_tab import RulesTab

    return ("rules", translate("MonitoringView", "Alert r&ules"),
            RulesTab(view.db, view.who, view.runner))


TAB_FACTORIES: list[TabFactory] = [_alerts_tab, _rules_tab]


class MonitoringView(AreaView):
    """Monitoring: alerts and their triage, alert rules and their hit rates."""

    area_id = "monitoring"
    required_op = Op.MONITOR_READ
    watches = frozenset({MONITOR})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("monitoringView")
        self.show_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("monitoringTabs")
        self.tabs.setAccessibleName(self.tr("Monitoring pages"))
        self.tab_ids: list[str] = []
        for factory in TAB_FACTORIES:
            made = factory(self)
            if made is None:
                continue
            tab_id, title, widget = made
            self.tab_ids.append(tab_id)
            self.tabs.addTab(widget, title)
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._load_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def area_title(self) -> str:
        return self.tr("Monitoring")

    def tab(self, tab_id: str) -> QWidget:
        widget = self.tabs.widget(self.tab_ids.index(tab_id))
        assert widget is not None
        return widget

    def show_tab(self, tab_id: str) -> QWidget:
        self.tabs.setCurrentIndex(self.tab_ids.index(tab_id))
        return self.tab(tab_id)

    def sub_views(self) -> list[tuple[str, str, Callable[[], None]]]:
        def show(index: int) -> Callable[[], None]:
            return lambda: self.tabs.setCurrentIndex(index)

        return [(self.tab_ids[i], self.tabs.tabText(i).replace("&", ""), show(i))
                for i in range(1, self.tabs.count())]

    def refresh(self) -> None:
        self._loaded.clear()
        self._load_tab(self.tabs.currentIndex())

    def _load_tab(self, index: int) -> None:
        if index in self._loaded or index < 0:
            return
        self._loaded.add(index)
        widget: Any = self.tabs.widget(index)
        if widget is not None and callable(getattr(widget, "refresh", None)):
            widget.refresh()

    def apply_changes(self, changes: Changes) -> None:
        current = self.tabs.currentIndex()
        self._loaded = set()
        if current >= 0:
            self._load_tab(current)
