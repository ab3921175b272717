"""Start the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from govdesk.config import APP_NAME, APP_ORG
from govdesk.errors import GovDeskError
from govdesk.ui.i18n import install_translators, saved_language
from govdesk.ui.main_window import MainWindow


def create_application(lang: str | None = None) -> QApplication:
    """The QApplication (reused if one exists) with names set and translators installed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(APP_ORG)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("GovDesk")
    install_translators(app, lang or saved_language())
    return app


def start_main_window(url: str, lang: str | None = None) -> tuple[QApplication, MainWindow]:
    """Create the application, open ``url`` (creating the embedded demo on first launch) and
    show the main window. Raises GovDeskError when the database cannot be opened."""
    from govdesk.startup import open_database

    app = create_application(lang)
    opened = open_database(url)
    window = MainWindow(opened.db)
    window.show()
    return app, window


def run_gui(url: str, lang: str | None = None) -> int:
    """Open the main window on ``url``; returns the application's exit code."""
    try:
        app, _window = start_main_window(url, lang)
    except GovDeskError as exc:
        app = create_application(lang)
        QMessageBox.critical(None, app.translate("App", "GovDesk cannot open the database"),
                             str(exc))
        return exc.exit_code
    return app.exec()
