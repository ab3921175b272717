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
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from govdesk.changes import AUDIT, Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView

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


TAB_FACTORIES: list[TabFactory] = [
    _review_tab,
]


class MonitoringView(AreaView):
    """Monitoring: the access-log review workbench (and the tabs later issues add)."""

    area_id = "monitoring"
    required_op = Op.ACCESS_LOG_READ
    #: a review is audited; other clients' reviews reach the list through it
    watches = frozenset({AUDIT})

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
        """The tab ``tab_id`` (e.g. "access_review"); ValueError when this person has none."""
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
        """Reload the current tab; the other loaded tabs reload when next shown."""
        current = self.tabs.currentIndex()
        self._loaded = set()
        if current >= 0:
            self._load_tab(current)
