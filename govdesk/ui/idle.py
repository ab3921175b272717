"""Idle lock: after the configured minutes without keyboard or mouse input the main window is
covered by a password prompt. The window and any unsaved edits stay as they were.

The lock itself is immediate; its audit row and the password check run on an
:class:`OperationRunner` (never on the GUI thread), the prompt disabled while it checks."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from govdesk.db.engine import Database
from govdesk.errors import GovDeskError
from govdesk.security.auth import confirm_password, record_session_locked
from govdesk.security.identity import Identity
from govdesk.ui.ops import OperationRunner, set_busy

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class UnlockDialog(QDialog):
    """Asks the locked-out user for their password; cannot be dismissed otherwise."""

    def __init__(self, db: Database, who: Identity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who = db, who
        self.runner = OperationRunner(self, show_errors=False)
        self.setWindowTitle(self.tr("Session locked"))
        self.setAccessibleName(self.tr("Session locked"))
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("GovDesk was locked after a period of inactivity. Enter the password "
                              "of %1 to continue; nothing you were doing is lost.")
                      .replace("%1", who.username))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        text.setBuddy(self.password)
        layout.addWidget(self.password)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Unlock error"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Unlock"))
        buttons.accepted.connect(self.try_unlock)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        """Check the password on the runner; unlock or say why not."""
        if self.runner.busy:
            return
        db, who, password = self.db, self.who, self.password.text()
        self.error.setText("")
        set_busy(self, True, self.status, self.tr("Checking the password…"))
        self.runner.run(lambda: confirm_password(db, who, password), self._checked,
                        on_error=self._refused)

    def _checked(self, _result: object) -> None:
        set_busy(self, False, self.status)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        set_busy(self, False, self.status)
        self.runner.report_error(exc)
        self.error.setText(self.runner.errors[-1])  # in the interface language (error_text)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:  # Escape does not unlock
        return


class IdleLock(QObject):
    """Watches application-wide input; locks ``window`` after ``minutes`` idle."""

    def __init__(self, window: QWidget, db: Database, who: Identity, minutes: int) -> None:
        super().__init__(window)
        self.window, self.db, self.who = window, db, who
        self.runner = OperationRunner(window, show_errors=False)
        self.timeout_s = max(1, minutes) * 60
        self.last_input = time.monotonic()
        self.locked = False
        self.dialog: UnlockDialog | None = None
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.locked:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if not self.locked and time.monotonic() - self.last_input >= self.timeout_s:
            self.lock()

    def lock(self) -> None:
        """Cover the window with the unlock prompt (opened window-modal, returns at once)."""
        if self.locked:
            return
        self.locked = True
        db, who = self.db, self.who
        # the lock happens now; its audit row is written in the background, and when it
        # cannot be written right now the lock holds all the same
        self.runner.run(lambda: record_session_locked(db, who), lambda _r: None,
                        on_error=self._audit_failed)
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.hide()  # nothing on screen while locked; widgets and edits stay as they are
        self.dialog = UnlockDialog(self.db, self.who, self.window)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.open()

    def _audit_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, GovDeskError):
            self.runner.report_error(exc)  # logged

    def _unlocked(self) -> None:
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.show()
        self.locked = False
        self.last_input = time.monotonic()
        self.dialog = None
