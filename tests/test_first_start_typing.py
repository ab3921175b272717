"""On a first start the demo database is created behind the login dialog: the person can type
meanwhile (a modal progress dialog over the login used to take the focus, and the keys typed
were lost), and the dialog's own status line says what is happening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog

from govdesk.ui.app import _first_login
from govdesk.ui.login import LoginDialog
from govdesk.ui.ops import OperationRunner

pytestmark = pytest.mark.gui


def test_typing_goes_to_the_login_while_the_demo_is_created(qapp: QApplication,
                                                             tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first.sqlite3'}"  # no file yet: the demo is created
    seen: dict[str, Any] = {"tries": 0}

    def look() -> None:
        seen["tries"] += 1
        dialog = QApplication.activeModalWidget()
        login = next((w for w in QApplication.topLevelWidgets()
                      if isinstance(w, LoginDialog)), None)
        if seen["tries"] > 500 and login is not None:  # 10 s: the login never had the keys
            seen.setdefault("status", login.status.text())
            seen.setdefault("progress_dialogs", ["never the login's turn"])
            seen.setdefault("typed", login.user.text())
            seen.setdefault("modal", False)
            login.reject()
            return
        if not isinstance(dialog, LoginDialog) or not dialog.status.text():
            QTimer.singleShot(20, look)  # not yet painted and opening
            return
        seen["status"] = dialog.status.text()
        seen["progress_dialogs"] = [w for w in QApplication.topLevelWidgets()
                                    if isinstance(w, QProgressDialog) and w.isVisible()]
        dialog.user.setFocus()
        QTest.keyClicks(QApplication.focusWidget(), "demo_viewer")
        seen["typed"] = dialog.user.text()
        seen["modal"] = QApplication.activeModalWidget() is dialog
        dialog.reject()

    QTimer.singleShot(0, look)
    runner = OperationRunner(show_errors=False)
    try:
        assert _first_login(url, runner) is None  # closed while (or after) it opened
    finally:
        runner.close()
    assert seen["progress_dialogs"] == [] and seen["modal"] is True
    assert seen["typed"] == "demo_viewer"
    assert "正在打开数据库" in seen["status"] or "Opening the database" in seen["status"]
