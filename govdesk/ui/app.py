"""Start the desktop application: open the database, log in, show the main window.

Every step that talks to the database (opening it, creating the embedded demo on first launch,
asking whether accounts exist, logging in, reading the idle-lock setting) runs on an
:class:`OperationRunner` worker; before the main window exists the GUI thread waits for it in
an event loop (``wait_for``), so it keeps painting and a long first launch shows progress."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from govdesk.config import APP_NAME, APP_ORG
from govdesk.db.engine import Database
from govdesk.errors import DatabaseUnavailable, GovDeskError, PermissionDenied
from govdesk.security.identity import Identity
from govdesk.ui import gc_guard
from govdesk.ui.i18n import error_text, install_translators, saved_language
from govdesk.ui.main_window import MainWindow
from govdesk.ui.ops import OperationRunner


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

        if who.role is None:
            raise PermissionDenied("owner_not_a_user", username=who.username)
        minutes = self.runner.wait_for(lambda: idle_lock_minutes(db))
        window = MainWindow(db, who)
        window.idle_lock = IdleLock(window, db, who, minutes)
        window.logout_requested.connect(self.switch_user)
        window.show()
        self.window = window
        return window

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
    from it goes back to the login dialog (:class:`DesktopSession`).
    Returns None when the user cancelled the login. Raises GovDeskError when the database
    cannot be opened."""
    from govdesk.startup import open_database

    app = create_application(lang)
    runner = OperationRunner(show_errors=False)
    db = runner.wait_for(lambda: open_database(url).db,
                         label=app.translate("App", "Opening the database…"))
    session_db = db
    if who is None:
        session = authenticate(db, runner)
        if session is None:
            return None
        session_db, who = session
    return app, DesktopSession(app, db, runner).open(session_db, who)


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
