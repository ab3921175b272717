"""Administration (system administrator): accounts (add, lock, unlock, reset password,
deactivate), the organisations directory and system settings. Security policy (security administrator): lockout and idle-lock settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.security.auth import unlock_user
from govdesk.changes import ORGANISATIONS, SETTINGS, USERS
from govdesk.security.roles import Op, Role
from govdesk.security.users import (
    UserInfo,
    create_user,
    deactivate_user,
    list_users,
    lock_user,
    reset_password,
)
from govdesk.ui.admin.orgs_panel import OrganisationsPanel
from govdesk.ui.admin.settings_panel import SettingsPanel
from govdesk.ui.area import AreaView
from govdesk.ui.i18n import error_text, term
from govdesk.ui.regions import region_name
from govdesk.ui.status import show_status
from govdesk.vocab import ROLE


class AddUserDialog(QDialog):
    """Collects a new account's name, role, region and initial password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add user"))
        self.setAccessibleName(self.tr("Add user"))
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.display = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(term(ROLE, role.value), role.value)
        self.region = QLineEdit()
        self.region.setPlaceholderText(self.tr("e.g. 330100 (empty: whole database)"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for caption, widget in ((self.tr("&User name:"), self.username),
                                (self.tr("&Full name:"), self.display),
                                (self.tr("R&ole:"), self.role),
                                (self.tr("Re&gion code:"), self.region),
                                (self.tr("Initial &password:"), self.password)):
            label = QLabel(caption)
            label.setBuddy(widget)
            widget.setAccessibleName(caption.replace("&", "").rstrip(":："))
            form.addRow(label, widget)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Why the account was not created"))
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setVisible(False)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def show_problem(self, text: str) -> None:
        """Say why the account was refused; what was typed stays, the password selected so it
        can be typed again."""
        self.problem.setText(text)
        self.problem.setVisible(True)
        self.password.setFocus()
        self.password.selectAll()


class AdminView(AreaView):
    """Accounts, organisations and system settings."""

    area_id = "admin"
    required_op = Op.USERS_MANAGE
    watches = frozenset({USERS, SETTINGS, ORGANISATIONS})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("adminView")
        self.users = QTableWidget(0, 5)
        self.users.setAccessibleName(self.tr("User accounts"))
        self.users.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Full name"),
                                              self.tr("Role"), self.tr("Region"),
                                              self.tr("State")])
        self.users.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.users.verticalHeader().setVisible(False)
        self.add_button = QPushButton(self.tr("&Add user…"))
        self.lock_button = QPushButton(self.tr("&Lock"))
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.reset_button = QPushButton(self.tr("&Reset password…"))
        self.deactivate_button = QPushButton(self.tr("&Deactivate…"))
        self.deactivate_button.setToolTip(self.tr(
            "End the account for good: it can no longer log in and its name is never reused"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.lock_button, self.unlock_button, self.reset_button,
                  self.deactivate_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        accounts = QGroupBox(self.tr("Accounts"))
        box = QVBoxLayout(accounts)
        box.addLayout(buttons)
        box.addWidget(self.users)
        self.settings = SettingsPanel(self.db, self.who, self.runner, "system")
        settings_box = QGroupBox(self.tr("System settings"))
        QVBoxLayout(settings_box).addWidget(self.settings)
        self.orgs = OrganisationsPanel(self.db, self.who, self.runner)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Administration"))
        self.tabs.addTab(accounts, self.tr("Accounts"))
        self.tabs.addTab(self.orgs, self.tr("Organisations"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(settings_box, 1)
        self.add_button.clicked.connect(self._add)
        self.lock_button.clicked.connect(lambda: self._act(lock_user))
        self.unlock_button.clicked.connect(lambda: self._act(unlock_user))
        self.reset_button.clicked.connect(self._reset)
        self.deactivate_button.clicked.connect(self._deactivate)
        self.rows: list[UserInfo] = []

    def area_title(self) -> str:
        return self.tr("Administration")

    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: list_users(db, who), self._fill)
        self.orgs.refresh()
        self.settings.refresh()

    def _fill(self, users: list[UserInfo]) -> None:
        self.rows = users
        self.users.setRowCount(len(users))
        for row, u in enumerate(users):
            state = self.tr("Locked") if u.locked else (
                self.tr("Active") if u.is_active else self.tr("Disabled"))
            for col, text in enumerate((u.username, u.display_name, term(ROLE, u.role.value),
                                        region_name(u.region_code) or self.tr("(all)"),
                                        state)):
                self.users.setItem(row, col, QTableWidgetItem(text))
        self.users.resizeColumnsToContents()  # the full name column stretches

    def selected(self) -> UserInfo | None:
        rows = self.users.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _act(self, action: Any) -> None:
        user = self.selected()
        if user is None:
            return
        db, who = self.db, self.who
        self.runner.run(lambda: action(db, who, user.username), lambda _r: None)

    def add_user(self, username: str, role: Role, password: str, region: str | None = None,
                 display_name: str = "", on_error: Any = None) -> None:
        """Create an account in the background (the list follows from the change bus);
        ``on_error`` (default: the runner's message) hears a refusal."""
        db, who = self.db, self.who
        self.runner.run(lambda: create_user(db, who, username, role, password,
                                            region_code=region, display_name=display_name),
                        lambda _u: show_status(
                            self, self.tr("Account %1 created").replace("%1", username)),
                        on_error=on_error)

    def _add(self) -> None:
        self.add_dialog = AddUserDialog(self)
        self.add_dialog.accepted.connect(self._submit_new_user)
        self.add_dialog.open()

    def _submit_new_user(self) -> None:
        """Create the account the dialog describes; when it is refused (a weak password, a
        name in use…) the dialog opens again with what was typed and says why."""
        dialog = self.add_dialog

        def refused(error: BaseException) -> None:
            from govdesk.errors import GovDeskError

            if not isinstance(error, GovDeskError):
                self.runner.report_error(error)  # not a refusal: the runner's message and log
                return
            dialog.show_problem(error_text(error))
            dialog.open()

        self.add_user(dialog.username.text().strip(), Role(dialog.role.currentData()),
                      dialog.password.text(), dialog.region.text().strip() or None,
                      dialog.display.text().strip(), on_error=refused)

    def _deactivate(self) -> None:
        user = self.selected()
        if user is None or not user.is_active:
            return
        answer = QMessageBox.question(
            self, self.tr("Deactivate account"),
            self.tr("Deactivate %1 for good? The account can no longer log in, and its name "
                    "stays reserved in the audit trail.").replace("%1", user.username))
        if answer == QMessageBox.StandardButton.Yes:
            self._act(deactivate_user)

    def _reset(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self, self.tr("Reset password"),
            self.tr("New password for %1:").replace("%1", user.username),
            QLineEdit.EchoMode.Password)
        if ok and password:
            db, who = self.db, self.who
            self.runner.run(lambda: reset_password(db, who, user.username, password),
                            lambda _r: None)


class SecurityPolicyView(AreaView):
    """The security administrator's settings: lockout, idle lock, audit retention."""

    area_id = "security_policy"
    required_op = Op.SECURITY_POLICY
    watches = frozenset({SETTINGS})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setObjectName("securityPolicyView")
        intro = QLabel(self.tr(
            "Login failure handling and session locking (GB/T 22239 level 3). Change a value and "
            "press Enter or move on; every change is recorded in the audit trail."))
        intro.setWordWrap(True)
        self.settings = SettingsPanel(self.db, self.who, self.runner, "security")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.settings, 1)

    def area_title(self) -> str:
        return self.tr("Security policy")

    def refresh(self) -> None:
        self.settings.refresh()
