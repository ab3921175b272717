"""The signed-in user's own account: change my password.

The change runs on the dialog's :class:`OperationRunner` (never on the GUI thread); the current
password is checked first (it counts towards lockout like a login) and errors show in place,
keeping what was typed except the refused password.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.ops import OperationRunner, set_busy


def _password_field(form: QFormLayout, caption: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(caption.replace("&", "").rstrip(":："))
    label = QLabel(caption)
    label.setBuddy(edit)
    form.addRow(label, edit)
    return edit


class ChangePasswordDialog(QDialog):
    """Ask for the current password and a new one (twice); accepted once the change is saved.
    On PostgreSQL the new password is the database login's: the application logs in again."""

    def __init__(self, db: Database, who: Identity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.runner = OperationRunner(self, show_errors=False)
        self.setWindowTitle(self.tr("Change my password"))
        self.setAccessibleName(self.tr("Change my password"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.current = _password_field(form, self.tr("&Current password:"))
        self.new = _password_field(form, self.tr("&New password:"))
        self.repeat = _password_field(form, self.tr("&Repeat new password:"))
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Password change error"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("C&hange"))
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.current.setFocus()

    def change(self) -> None:
        """Change the password on the runner; accept the dialog or show why not."""
        if self.new.text() != self.repeat.text():
            self.error.setText(self.tr("The two new passwords differ."))
            self.repeat.selectAll()
            self.repeat.setFocus()
            return
        if self.runner.busy:
            return
        from govdesk.security.users import change_own_password

        db, who, old, new = self.db, self.who, self.current.text(), self.new.text()
        self.error.setText("")
        set_busy(self, True, self.status, self.tr("Changing the password…"))
        self.runner.run(lambda: change_own_password(db, who, old, new), self._changed,
                        on_error=self._failed)

    def _changed(self, _result: object) -> None:
        set_busy(self, False, self.status)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.status)
        self.runner.report_error(exc)
        self.error.setText(self.runner.errors[-1])
        self.current.setFocus()

    def done(self, result: int) -> None:
        self.runner.close()
        super().done(result)
