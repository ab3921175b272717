"""Start the desktop application: open the database, log in, show the main window.

Every step that talks to the database (opening it, creating the embedded demo on first launch,
asking whether accounts exist, logging in, reading the idle-lock setting) runs on an
:class:`OperationRunner` worker; before the main window exists the GUI thread waits for it in
an event loop (``wait_for``), so it keeps painting and a long first launch shows progress.

On SQLite the first window is the login dialog, shown before SQLAlchemy, the services and the
main window are imported (this module imports none of them at module level): once it is
painted a worker checks the URL, opens the database and imports the services the login and the
main window need (:data:`PRELOAD`), while the person types; the main window's own (Qt) modules
are imported on the GUI thread when 登录 is pressed, while the worker checks the password.
``tests/test_startup_imports.py`` guards it."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from govdesk.config import APP_NAME, APP_ORG
from govdesk.db.urls import is_postgres_url
from govdesk.errors import DatabaseUnavailable, GovDeskError, PermissionDenied
from govdesk.ui import gc_guard
from govdesk.ui.i18n import error_text, install_translators, saved_language
from govdesk.ui.ops import OpContext, OperationRunner

if TYPE_CHECKING:
    from govdesk.db.engine import Database
    from govdesk.security.identity import Identity
    from govdesk.ui.login import LoginDialog
    from govdesk.ui.main_window import MainWindow

# modules without Qt that logging in and the main window's first area import: the worker
# that opens the database imports them behind the login dialog (never a ``govdesk.ui``
# module: Qt classes are made on the GUI thread)
PRELOAD = ("govdesk.security.auth", "govdesk.security.identity", "govdesk.db.notify",
           "govdesk.catalog.search.browse", "govdesk.catalog.profiling.samples",
           "govdesk.catalog.search.paging")
# what the GUI thread imports once the preload is done, one module per turn of the event
# loop so typing is never held up for long (the main window and its first area, the
# catalogue; dependencies first), and whatever of it is left when a login starts
MAIN_WINDOW_MODULES = ("govdesk.ui.area", "govdesk.ui.paged_model", "govdesk.ui.catalog.model",
                       "govdesk.ui.catalog.trees", "govdesk.ui.catalog.files",
                       "govdesk.ui.catalog.editing", "govdesk.ui.catalog.detail",
                       "govdesk.ui.main_window", "govdesk.ui.catalog.view")


def create_application(lang: str | None = None) -> QApplication:
    """The QApplication (reused if one exists) with names set and translators installed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(APP_ORG)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("GovDesk")
    install_translators(app, lang or saved_language())
    gc_guard.install(app)
    return app


@dataclass(frozen=True)
class _Opened:
    """What the worker behind the first login dialog found."""

    db: Database
    has_users: bool
    demo_users: list[str]


def _open(url: str) -> Database:
    """On a worker: ``url`` checked (a UsageError saying what to write for a wrong one) and
    opened, the embedded demo created on first launch."""
    from govdesk.db.urls import database_url
    from govdesk.startup import open_database

    return open_database(database_url(url)).db


def _open_for_login(url: str) -> _Opened:
    """On a worker, behind the login dialog: open ``url``; does it have accounts, which are
    the demo's?"""
    from govdesk.demo.users import demo_users_present
    from govdesk.security.users import has_users

    db = _open(url)
    found = has_users(db)
    return _Opened(db, found, demo_users_present(db) if found else [])


def _preload() -> None:
    """On a worker: import :data:`PRELOAD` (what the login and the main window will need)."""
    for name in PRELOAD:
        importlib.import_module(name)


def _import_main_window() -> None:
    """On the GUI thread, while a login is checked on the worker: what is left of
    :data:`MAIN_WINDOW_MODULES`."""
    for name in MAIN_WINDOW_MODULES:
        importlib.import_module(name)


def _import_main_window_by_turns(names: tuple[str, ...] = MAIN_WINDOW_MODULES) -> None:
    """On the GUI thread, behind the login dialog: import ``names`` one per event-loop turn."""
    if names:
        importlib.import_module(names[0])
        QTimer.singleShot(0, lambda: _import_main_window_by_turns(names[1:]))


def _first_login(url: str, runner: OperationRunner
                 ) -> tuple[Database, tuple[Database, Identity]] | None:
    """SQLite: the login dialog at once, the database opened behind it once the dialog is
    painted (the module's docstring; the dialog's status line says so, and the person can type
    meanwhile). Returns the opened database and the session, None when the user
    cancelled; without accounts the set-up dialog comes first (:func:`authenticate`). Raises
    what opening the database raised (after the dialog closed)."""
    from govdesk.ui.login import LoginDialog

    dialog = LoginDialog(url)
    opener = OperationRunner(dialog, show_errors=False)
    found: list[_Opened] = []
    errors: list[BaseException] = []

    def opened(result: _Opened) -> None:
        found.append(result)
        if not result.has_users:
            dialog.reject()  # no accounts yet: the set-up dialog comes first
        elif dialog.isVisible():
            dialog.set_database(result.db, result.demo_users)
            # (an import error shows again, with its message, where the module is used)
            runner.run(_preload, lambda _r: _import_main_window_by_turns(),
                       on_error=lambda _e: None)

    def failed(exc: BaseException) -> None:
        errors.append(exc)
        dialog.reject()

    # said on the dialog's own status line, not in a progress dialog over it: a modal
    # progress dialog took the focus, so what the person typed meanwhile was lost
    label = QApplication.translate(
        "App", "Opening the database… (the first start creates the demo database, which takes "
        "a few seconds: you can type your user name and password meanwhile)")
    opening: list[OpContext] = []

    def start() -> None:
        dialog.status.setText(label)
        opening.append(opener.run(lambda: _open_for_login(url), opened, on_error=failed))

    dialog.first_paint.connect(start)
    dialog.submitted.connect(lambda: QTimer.singleShot(0, _import_main_window))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if not found and not errors:  # the user closed the dialog while the database opened
        for ctx in opening:
            ctx.cancel()
        opener.wait_idle()
        for result in found:
            result.db.dispose()
        return None
    if errors:
        raise errors[0]
    db = found[0].db
    if not found[0].has_users:
        session = authenticate(db, runner)
        return None if session is None else (db, session)
    if not accepted or dialog.identity is None:
        return None
    return db, (db, dialog.identity)


def _url_login(url: str) -> tuple[Database, Identity] | None:
    """PostgreSQL: the session when ``url`` (or .pgpass) already logs in, else None (no
    password yet, a wrong one, or not a GovDesk login: the dialog asks)."""
    from govdesk.security.auth import LoginFailed, login_postgres

    try:
        return login_postgres(url)
    except (DatabaseUnavailable, PermissionDenied, LoginFailed):
        return None


def authenticate(db: Database, runner: OperationRunner | None = None
                 ) -> tuple[Database, Identity] | None:
    """Who uses this session: on PostgreSQL the URL's login when it connects as is, else the
    login dialog; on SQLite the set-up dialog when there are no accounts, then the login dialog.
    Returns None when the user cancels. Database work runs on ``runner``."""
    from govdesk.demo.users import demo_users_present
    from govdesk.security.users import has_users
    from govdesk.ui.login import LoginDialog, SetupDialog

    runner = runner or OperationRunner(show_errors=False)
    if db.is_postgres:
        url = db.url
        session = runner.wait_for(lambda: _url_login(url))
        if session is not None:
            from govdesk.ui.login import attach_replica, saved_replica

            try:
                attach_replica(session[0], saved_replica())
            except GovDeskError:  # a saved address that is not one: the dialog shows why
                session[0].dispose()
            else:
                return session
        dialog = LoginDialog(db)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_db is None:
            return None
        assert dialog.identity is not None
        return dialog.result_db, dialog.identity
    if not runner.wait_for(lambda: has_users(db)) and \
            SetupDialog(db).exec() != QDialog.DialogCode.Accepted:
        return None
    dialog = LoginDialog(db, runner.wait_for(lambda: demo_users_present(db)))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.identity is None:
        return None
    return db, dialog.identity


def _current_tab(window: MainWindow) -> tuple[str, str] | None:
    """(area id, tab id) of the tab shown in ``window``'s current area, if it has tabs."""
    area: Any = window.current_area()
    tabs, ids = getattr(area, "tabs", None), getattr(area, "tab_ids", None)
    if area is None or tabs is None or not ids or tabs.currentIndex() < 0:
        return None
    return str(area.area_id), str(ids[tabs.currentIndex()])


def _show_tab(window: MainWindow, where: tuple[str, str] | None) -> None:
    """Show the tab ``where`` names again in the rebuilt ``window`` (a language change)."""
    if where is None or where[0] not in window.areas:
        return
    area: Any = window.show_area(where[0])
    if where[1] in (getattr(area, "tab_ids", None) or ()):
        area.show_tab(where[1])


class DesktopSession(QObject):
    """The main window between logins. Logging out closes it (its runner, listener and idle
    lock with it, and on PostgreSQL the login's connections), then the login dialog asks who
    comes next; cancelling that ends the application. ``window`` is the current main window."""

    def __init__(self, app: QApplication, base_db: Database, runner: OperationRunner) -> None:
        super().__init__(app)  # owned by the application: lives as long as it does
        self.app = app
        self.base_db = base_db
        self.runner = runner
        self.window: MainWindow | None = None

    def open(self, db: Database, who: Identity) -> MainWindow:
        """Show the main window for ``who`` on ``db`` with the idle lock armed."""
        from govdesk.security.auth import idle_lock_minutes
        from govdesk.ui.idle import IdleLock
        from govdesk.ui.main_window import MainWindow

        if who.role is None:
            raise PermissionDenied("owner_not_a_user", username=who.username)
        minutes = self.runner.wait_for(lambda: idle_lock_minutes(db))
        window = MainWindow(db, who)
        window.idle_lock = IdleLock(window, db, who, minutes)
        window.logout_requested.connect(self.switch_user)
        window.relaunch_in = self.change_language
        window.show()
        self.window = window
        return window

    def change_language(self, lang: str) -> None:
        """The interface language changes without a restart: the translators for ``lang`` are
        installed and the window is built again for the same login and database (its area,
        layout and geometry saved on close and restored), as every text is set when a widget
        is made (docs/architecture.md, "Startup": why not ``QEvent.LanguageChange``)."""
        old = self.window
        if old is None:
            return
        self.app.setQuitOnLastWindowClosed(False)  # no window is shown for a moment
        tab = _current_tab(old)
        try:
            install_translators(self.app, lang)
            old.close()
            old.deleteLater()
            self.window = None
            _show_tab(self.open(old.db, old.who), tab)
        except GovDeskError as exc:
            QMessageBox.critical(None, self.app.translate("App", "GovDesk"), error_text(exc))
            self.app.quit()
        finally:
            self.app.setQuitOnLastWindowClosed(True)

    def switch_user(self) -> None:
        """Log out: close the window, forget its session, log in again (or quit)."""
        old, self.window = self.window, None
        self.app.setQuitOnLastWindowClosed(False)  # no window is shown while the dialog asks
        try:
            if old is not None:
                old.close()
                old.deleteLater()
                if old.db is not self.base_db:
                    old.db.dispose()
            session = authenticate(self.base_db, self.runner)
            if session is None:
                self.app.quit()
                return
            self.open(*session)
        except GovDeskError as exc:
            QMessageBox.critical(None, self.app.translate("App", "GovDesk"), error_text(exc))
            self.app.quit()
        finally:
            self.app.setQuitOnLastWindowClosed(True)


def start_main_window(url: str, lang: str | None = None,
                      who: Identity | None = None) -> tuple[QApplication, MainWindow] | None:
    """Create the application, open ``url`` (creating the embedded demo on first launch), log in
    (unless ``who`` is given) and show the main window with the idle lock armed; logging out
    from it goes back to the login dialog (:class:`DesktopSession`). On SQLite the login dialog
    is shown first and the database opened behind it (:func:`_first_login`).
    Returns None when the user cancelled the login. Raises GovDeskError when the database
    cannot be opened (a UsageError for a URL that is none)."""
    app = create_application(lang)
    runner = OperationRunner(show_errors=False)
    if who is None and not is_postgres_url(url):
        started = _first_login(url, runner)
        if started is None:
            return None
        db, session = started
    else:
        db = runner.wait_for(lambda: _open(url),
                             label=app.translate("App", "Opening the database…"))
        asked = (db, who) if who is not None else authenticate(db, runner)
        if asked is None:
            return None
        session = asked
    return app, DesktopSession(app, db, runner).open(*session)


def run_gui(url: str, lang: str | None = None) -> int:
    """Open the main window on ``url``; returns the application's exit code."""
    try:
        started = start_main_window(url, lang)
    except GovDeskError as exc:
        app = create_application(lang)
        QMessageBox.critical(None, app.translate("App", "GovDesk cannot open the database"),
                             error_text(exc))
        return exc.exit_code
    if started is None:
        return 0
    app, _window = started
    return app.exec()
