"""The main window: navigation pane, one area per entry, menus, status bar, saved layout.

Areas are created the first time they are shown (:class:`AreaSpec` names each one's module),
so start-up imports only the first area's view and none of the heavy libraries the others
need (pandas, openpyxl, pyqtgraph, xlsxwriter).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from govdesk import __version__
from govdesk.db.engine import Database, describe_url
from govdesk.db.notify import ChangeListener
from govdesk.ui.area import AreaView
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.settings import SPLITTERS, WINDOW_AREA, WINDOW_GEOMETRY, WINDOW_STATE
from govdesk.ui import local_settings
from govdesk.ui.i18n import LANGUAGES, current_language, save_language, term
from govdesk.vocab import ROLE
from govdesk.ui.ops import OperationRunner

@dataclass(frozen=True)
class AreaSpec:
    """One navigation area, known without importing its view: ``area_id``, ``required_op`` and
    ``title`` (the source text of its ``area_title``, translated in the class's context) repeat
    the class's own (tests/test_startup.py checks they agree)."""

    area_id: str
    module: str
    class_name: str
    required_op: Op | None
    title: str

    def load(self) -> type[AreaView]:
        """The view class (importing its module now)."""
        cls = getattr(importlib.import_module(self.module), self.class_name)
        assert isinstance(cls, type) and issubclass(cls, AreaView)
        return cls

    def translated_title(self) -> str:
        return QCoreApplication.translate(self.class_name, self.title)


#: the areas in navigation order; later issues add theirs here as they land
AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("catalog", "govdesk.ui.catalog.view", "CatalogView", Op.CATALOG_READ, "Catalogue"),
    AreaSpec("classification", "govdesk.ui.classification.view", "ClassificationView",
             Op.SAMPLES_READ, "Classification"),
    AreaSpec("authority", "govdesk.ui.catalog.authority_view", "AuthorityView", Op.CATALOG_READ,
             "One data, one source"),
    AreaSpec("sharing", "govdesk.ui.sharing.view", "SharingView", Op.CATALOG_READ, "Sharing"),
    AreaSpec("monitoring", "govdesk.ui.monitoring.view", "MonitoringView", Op.MONITOR_READ,
             "Monitoring"),
    AreaSpec("audit", "govdesk.ui.audit.view", "AuditView", Op.AUDIT_READ, "Audit trail"),
    AreaSpec("security_policy", "govdesk.ui.admin.view", "SecurityPolicyView",
             Op.SECURITY_POLICY, "Security policy"),
    AreaSpec("admin", "govdesk.ui.admin.view", "AdminView", Op.USERS_MANAGE, "Administration"),
)


class Areas(Mapping[str, AreaView]):
    """The window's areas by id, in navigation order; an area is created on first access."""

    def __init__(self, specs: list[AreaSpec], create: Callable[[AreaSpec], AreaView]) -> None:
        self.specs = {spec.area_id: spec for spec in specs}
        self._create = create
        self._built: dict[str, AreaView] = {}

    def __getitem__(self, area_id: str) -> AreaView:
        if area_id not in self._built:
            self._built[area_id] = self._create(self.specs[area_id])
        return self._built[area_id]

    def __contains__(self, area_id: object) -> bool:
        return area_id in self.specs

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def built(self) -> list[AreaView]:
        """The areas created so far (never creates one)."""
        return list(self._built.values())


class MainWindow(QMainWindow):
    """GovDesk's single main window. Holds no database session: areas go through ``runner``.
    ``logout_requested`` asks the application to end the session (see ``ui/app.py``)."""

    logout_requested = Signal()

    def __init__(self, db: Database, who: Identity, *, show_errors: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("GovDesk — data governance for disabled persons' federations"))
        self.runner = OperationRunner(self, show_errors=show_errors)
        self.idle_lock: QObject | None = None  # armed by the application after login
        #: on PostgreSQL, what other clients commit reaches the change bus too
        self.listener: ChangeListener | None = None
        if db.is_postgres:
            self.listener = ChangeListener(db, self.runner.bus.publish).start()

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setMaximumWidth(240)
        self.stack = QStackedWidget()
        visible = [a for a in AREAS if a.required_op is None or who.can(a.required_op)]
        self.areas = Areas(visible, self._create_area)
        for number, spec in enumerate(visible, start=1):
            item = QListWidgetItem(spec.translated_title())
            item.setData(Qt.ItemDataRole.UserRole, spec.area_id)
            item.setToolTip(self.tr("%1 (Ctrl+%2)").replace("%1", spec.translated_title())
                            .replace("%2", str(number)))
            self.nav.addItem(item)
            if number <= 9:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
                shortcut.setWhatsThis(self.tr("Go to %1").replace("%1", spec.translated_title()))
                shortcut.activated.connect(self._area_opener(spec.area_id))
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
        role = term(ROLE, who.role.value) if who.role else self.tr("database owner")
        self.statusBar().showMessage(
            self.tr("User: %1 (%2) · Database: %3").replace("%1", who.username)
            .replace("%2", role).replace("%3", describe_url(db.url)))
        self.resize(1280, 800)
        self._restore_layout()
        if self.nav.currentRow() < 0 and self.nav.count():
            self.nav.setCurrentRow(0)

    # -- navigation ----------------------------------------------------------------------
    def _create_area(self, spec: AreaSpec) -> AreaView:
        """Create the area of ``spec`` (first shown): in the stack, linked to the catalogue,
        its splitters at their saved positions."""
        area = spec.load()(self.db, self.who, self.runner)
        self.stack.addWidget(area)
        link = getattr(area, "open_resource", None)
        if isinstance(link, SignalInstance):
            link.connect(self.open_resource)
        for splitter in area.findChildren(QSplitter):
            value = local_settings.read(SPLITTERS, splitter.objectName()) \
                if splitter.objectName() else None
            if value:
                splitter.restoreState(QByteArray(value))
        return area

    def _area_opener(self, area_id: str) -> Callable[[], None]:
        def open_area() -> None:
            self.show_area(area_id)

        return open_area

    def show_area(self, area_id: str) -> AreaView:
        """Switch to the area ``area_id`` and return it."""
        area = self.areas[area_id]
        self.nav.setCurrentRow(list(self.areas).index(area_id))
        return area

    def open_resource(self, code: str) -> None:
        """Show the resource with ``code`` in the catalogue (search by its code)."""
        if "catalog" not in self.areas:
            return
        from govdesk.ui.catalog.view import CatalogView

        catalog = self.show_area("catalog")
        if isinstance(catalog, CatalogView):
            catalog.search_for(code)

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        area = self.areas[list(self.areas)[row]]
        self.stack.setCurrentWidget(area)
        area.activate()

    def current_area(self) -> AreaView | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, AreaView) else None

    # -- menus ---------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                keys: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&Change my password…"), self.change_password)
        self._action(file_menu, self.tr("&Log out / switch user…"), self.log_out, "Ctrl+Shift+L")
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._action(view_menu, self.tr("&Refresh"), self._refresh_current,
                     QKeySequence.StandardKey.Refresh)
        lang_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _c=False, code=code: self._choose_language(code))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("User &manual"), self.show_manual,
                     QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts, "Ctrl+F1")
        help_menu.addSeparator()
        self._action(help_menu, self.tr("&About GovDesk"), self._about)

    # -- account and help ----------------------------------------------------------------
    def log_out(self) -> None:
        """Ask the application to end this session and show the login dialog again."""
        self.logout_requested.emit()

    def change_password(self) -> None:
        """Change the signed-in user's password. On PostgreSQL the session's connections carry
        the old one, so the user logs in again with the new password."""
        from govdesk.ui.account import ChangePasswordDialog

        if ChangePasswordDialog(self.db, self.who, self).exec() != QDialog.DialogCode.Accepted:
            return
        if not self.db.is_postgres:
            self.statusBar().showMessage(self.tr("Your password was changed."), 10_000)
            return
        QMessageBox.information(self, self.tr("Change my password"), self.tr(
            "Your password was changed. Log in again with the new password."))
        self.log_out()

    def show_manual(self) -> None:
        """The user manual in the interface language (F1)."""
        from govdesk.ui.help import HelpDialog

        HelpDialog(self).exec()

    def show_shortcuts(self) -> None:
        """The keyboard shortcuts of this window, read from its actions."""
        from govdesk.ui.help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def _refresh_current(self) -> None:
        area = self.current_area()
        if area is not None:
            area.refresh()

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
        geometry = local_settings.read(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = local_settings.read(WINDOW_STATE)
        if state:
            self.restoreState(QByteArray(state))
        value = local_settings.read(SPLITTERS, self.splitter.objectName())
        if value:
            self.splitter.restoreState(QByteArray(value))
        area = local_settings.read(WINDOW_AREA)
        if area in self.areas:
            self.show_area(area)

    def save_layout(self) -> None:
        """Remember geometry, dock state, splitter positions and the current area."""
        local_settings.write(WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        local_settings.write(WINDOW_STATE, bytes(self.saveState().data()))
        for splitter in self._splitters():
            local_settings.write(SPLITTERS, bytes(splitter.saveState().data()), splitter.objectName())
        area = self.current_area()
        if area is not None:
            local_settings.write(WINDOW_AREA, area.area_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self.runner.close()
        idle_lock = getattr(self.idle_lock, "runner", None)
        if isinstance(idle_lock, OperationRunner):
            idle_lock.close()
        super().closeEvent(event)
