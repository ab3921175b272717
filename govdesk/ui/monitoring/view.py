"""The Monitoring area (监测): its tabs are :data:`TAB_FACTORIES`, as in the Sharing area
(:mod:`govdesk.ui.sharing.view`): each a function of the view returning ``(tab id, title,
widget)`` or None when the person has no use for it; a tab loads the first time it is shown
and the current one reloads from the change bus.

A minimal area made by the dashboard lane: the workbench lane builds the full Monitoring area
(with the access-log workbench and a TabbedArea shared with Sharing); at merge its
``TAB_FACTORIES`` takes :func:`govdesk.ui.monitoring.dashboard.dashboard_tab` and its
``watches`` :data:`govdesk.ui.monitoring.dashboard.WATCHES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from govdesk.changes import Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView
from govdesk.ui.monitoring.dashboard import WATCHES, dashboard_tab

TabFactory = Callable[["MonitoringView"], "tuple[str, str, QWidget] | None"]

TAB_FACTORIES: list[TabFactory] = [dashboard_tab]


class MonitoringView(AreaView):
    """Monitoring: the dashboard."""

    area_id = "monitoring"
    required_op = Op.MONITOR_READ
    watches = WATCHES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("monitoringView")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("monitoringTabs")
        self.tabs.setAccessibleName(self.tr("Monitoring pages"))
        self.tab_ids: list[str] = []
        for factory in TAB_FACTORIES:
            made = factory(self)
            if made is not None:
                self.tab_ids.append(made[0])
                self.tabs.addTab(made[2], made[1])
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._load_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def area_title(self) -> str:
        return self.tr("Monitoring")

    def tab(self, tab_id: str) -> QWidget:
        """The tab ``tab_id``; ValueError when this person has none."""
        widget = self.tabs.widget(self.tab_ids.index(tab_id))
        assert widget is not None
        return widget

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
        """Reload the current tab; the others reload when next shown."""
        current = self.tabs.currentIndex()
        self._loaded = set()
        if current >= 0:
            self._load_tab(current)
