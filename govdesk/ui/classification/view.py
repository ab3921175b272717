"""The Classification area: four tabs, each loading its data the first time it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from govdesk.changes import CATEGORIES, GRADES, RESOURCES, SUGGESTIONS, Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView
from govdesk.ui.classification.categories_tab import CategoriesTab
from govdesk.ui.classification.coverage_tab import CoverageTab
from govdesk.ui.classification.schemes_tab import SchemesTab
from govdesk.ui.classification.suggestions_tab import SuggestionsTab


class ClassificationView(AreaView):
    """Schemes, suggestions, coverage and categories. Data administrators profile samples and
    queue suggestions; security administrators also change schemes, decide and edit categories."""

    area_id = "classification"
    required_op = Op.SAMPLES_READ
    watches = frozenset({RESOURCES, CATEGORIES, GRADES, SUGGESTIONS})
    #: what each tab shows, as the kinds of change that make it stale
    TAB_WATCHES: dict[type[QWidget], frozenset[str]] = {
        SchemesTab: frozenset({GRADES}),
        SuggestionsTab: frozenset({SUGGESTIONS, RESOURCES, GRADES}),
        CoverageTab: frozenset({RESOURCES, CATEGORIES, GRADES}),
        CategoriesTab: frozenset({CATEGORIES, RESOURCES}),
    }
    #: a resource code the user wants to see in the catalogue
    open_resource = Signal(str)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("classificationView")
        parts = (self.db, self.who, self.runner)
        self.schemes = SchemesTab(*parts)
        self.suggestions = SuggestionsTab(*parts)
        self.coverage = CoverageTab(*parts)
        self.categories = CategoriesTab(*parts)
        self.coverage.open_resource.connect(self.open_resource)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Classification pages"))
        self.tabs.addTab(self.schemes, self.tr("Gra&de schemes"))
        self.tabs.addTab(self.suggestions, self.tr("Sugg&estions"))
        self.tabs.addTab(self.coverage, self.tr("C&overage"))
        self.tabs.addTab(self.categories, self.tr("Categor&ies"))
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._load_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def sub_views(self) -> list[tuple[str, str, Callable[[], None]]]:
        ids = ("schemes", "suggestions", "coverage", "categories")

        def show(index: int) -> Callable[[], None]:
            return lambda: self.tabs.setCurrentIndex(index)

        return [(ids[i], self.tabs.tabText(i).replace("&", ""), show(i))
                for i in range(1, self.tabs.count())]

    def area_title(self) -> str:
        return self.tr("Classification")

    def refresh(self) -> None:
        self._loaded.clear()
        self._load_tab(self.tabs.currentIndex())

    def _load_tab(self, index: int) -> None:
        if index in self._loaded or index < 0:
            return
        self._loaded.add(index)
        tab = self.tabs.widget(index)
        if isinstance(tab, (SchemesTab, SuggestionsTab, CoverageTab, CategoriesTab)):
            tab.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """Reload the current tab when ``changes`` touch what it shows; other loaded tabs
        they touch reload when they are next shown."""
        current = self.tabs.currentIndex()
        for index in sorted(self._loaded):
            tab = self.tabs.widget(index)
            if tab is None or not changes.affects(*self.TAB_WATCHES.get(type(tab),
                                                                         self.watches)):
                continue
            if index == current and isinstance(tab, (SchemesTab, SuggestionsTab, CoverageTab,
                                                     CategoriesTab)):
                tab.refresh()
            else:
                self._loaded.discard(index)
