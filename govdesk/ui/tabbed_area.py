"""An area made of tabs, each from a factory (the Sharing and Monitoring areas).

A *tab factory* is a function of the view returning ``(tab id, title, widget)``, or None when
the person has no use for that tab; the area's ``TAB_FACTORIES`` list (module level, so a new
tab is one line) gives the order. A tab's widget loads through its ``refresh()`` the first
time the tab is shown; after a change the current tab reloads and the others when next shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from govdesk.changes import Changes
from govdesk.ui.area import AreaView


class TabbedArea(AreaView):
    """An area of tabs made by :attr:`factories` (set by the subclass's constructor call)."""

    def setup_tabs(self, factories: Sequence[Callable[[Any], tuple[str, str, QWidget] | None]],
                   object_name: str, accessible_name: str) -> None:
        """Make the tabs ``factories`` give this person, in order."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName(object_name)
        self.tabs.setAccessibleName(accessible_name)
        self.tab_ids: list[str] = []
        for factory in factories:
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

    def tab(self, tab_id: str) -> QWidget:
        """The tab ``tab_id``; ValueError when this person has none."""
        widget = self.tabs.widget(self.tab_ids.index(tab_id))
        assert widget is not None
        return widget

    def show_tab(self, tab_id: str) -> QWidget:
        """Make ``tab_id`` current (loading it) and return it."""
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
