"""The main window: navigation pane, one area per entry, menus, status bar, saved layout."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from govdesk import __version__
from govdesk.db.engine import Database, describe_url
from govdesk.ui.area import AreaView
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.i18n import LANGUAGES, current_language, save_language
from govdesk.ui.ops import OperationRunner

#: the areas in navigation order; later issues add theirs here as they land
AREA_CLASSES: tuple[type[AreaView], ...] = (CatalogView,)


class MainWindow(QMainWindow):
    """GovDesk's single main window. Holds no database session: areas go through ``runner``."""

    def __init__(self, db: Database, *, show_errors: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("GovDesk — data governance for disabled persons' federations"))
        self.runner = OperationRunner(self, show_errors=show_errors)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setMaximumWidth(240)
        self.stack = QStackedWidget()
        self.areas: dict[str, AreaView] = {}
        for number, cls in enumerate(AREA_CLASSES, start=1):
            area = cls(db, self.runner)
            self.areas[area.area_id] = area
            self.stack.addWidget(area)
            item = QListWidgetItem(area.area_title())
            item.setData(Qt.ItemDataRole.UserRole, area.area_id)
            item.setToolTip(self.tr("%1 (Ctrl+%2)").replace("%1", area.area_title())
                            .replace("%2", str(number)))
            self.nav.addItem(item)
            if number <= 9:
                QShortcut(QKeySequence(f"Ctrl+{number}"), self,
                          activated=lambda aid=area.area_id: self.show_area(aid))
        self.nav.currentRowChanged.connect(self._on_nav)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([180, 1100])
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self.statusBar().showMessage(self.tr("Database: %s") % describe_url(db.url))
        self.resize(1280, 800)
        self._restore_layout()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    # -- navigation ----------------------------------------------------------------------
    def show_area(self, area_id: str) -> AreaView:
        """Switch to the area ``area_id`` and return it."""
        area = self.areas[area_id]
        self.nav.setCurrentRow(list(self.areas).index(area_id))
        return area

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        area = list(self.areas.values())[row]
        self.stack.setCurrentWidget(area)
        area.activate()

    def current_area(self) -> AreaView:
        widget = self.stack.currentWidget()
        assert isinstance(widget, AreaView)
        return widget

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self.current_area().refresh())
        view_menu.addAction(refresh)
        lang_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _c=False, code=code: self._choose_language(code))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About GovDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _choose_language(self, code: str) -> None:
        if code == current_language():
            return
        save_language(code)
        QMessageBox.information(self, self.tr("Language"), self.tr(
            "The new language takes effect when GovDesk is started again."))

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About GovDesk"), self.tr(
            "GovDesk %1\n\nData-resource catalogue, classification, sharing and disaster-recovery "
            "policy client for disabled persons' federations.\n\nDatabase: %2")
            .replace("%1", __version__).replace("%2", describe_url(self.db.url)))

    # -- layout persistence --------------------------------------------------------------
    def _splitters(self) -> list[QSplitter]:
        return [s for s in self.findChildren(QSplitter) if s.objectName()]

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter in self._splitters():
            value = settings.value(f"splitters/{splitter.objectName()}")
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        area = settings.value("window/area")
        if isinstance(area, str) and area in self.areas:
            self.show_area(area)

    def save_layout(self) -> None:
        """Remember geometry, dock state, splitter positions and the current area."""
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        for splitter in self._splitters():
            settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        settings.setValue("window/area", self.current_area().area_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.runner.pool.waitForDone(5000)
        super().closeEvent(event)
