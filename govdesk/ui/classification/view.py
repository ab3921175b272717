"""The Classification area: four tabs, each loading its data the first time it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

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
        self.tabs.addTab(self.schemes, self.tr("Grade &schemes"))
        self.tabs.addTab(self.suggestions, self.tr("Su&ggestions"))
        self.tabs.addTab(self.coverage, self.tr("Co&verage"))
        self.tabs.addTab(self.categories, self.tr("Ca&tegories"))
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._load_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.runner.changed.connect(self._on_changed)

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

    def _on_changed(self, what: str) -> None:
        """Grades or categories changed: what other tabs show is stale; reload when seen."""
        if what in ("grades", "categories", "catalog") and self._loaded:
            self._loaded = {self.tabs.currentIndex()}
