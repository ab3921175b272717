"""Login: the set-up dialog for a database without accounts, and the login dialog.

SQLite: user name and password checked against the argon2 hash (with lockout). PostgreSQL: a
connection profile (server, database, user); the password is the database login's own, taken
from the OS keyring when the user chose to remember it. Without a usable keyring the dialog says
so and asks every time. Logging in and creating the first account run on the dialog's
:class:`OperationRunner` (never on the GUI thread): the dialog's fields and buttons are disabled
and a line says what runs until the answer comes back; errors show in place.

The login dialog is the first window of the desktop application, shown before SQLAlchemy and
the services are imported (docs/architecture.md, "Startup"): given a URL instead of an open
:class:`Database`, it is usable at once and logs in when :meth:`LoginDialog.set_database`
hands it the database opened behind it. Nothing here imports SQLAlchemy at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.config import resolve_replica
from govdesk.db.urls import is_postgres_url, replica_url, url_parts, with_login
from govdesk.security.roles import Role
from govdesk.settings import (
    PROFILE_DATABASE,
    PROFILE_HOST,
    PROFILE_REMEMBER,
    PROFILE_REPLICA,
    PROFILE_USER,
)
from govdesk.ui import local_settings
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner, set_busy
from govdesk.vocab import ROLE

if TYPE_CHECKING:
    from govdesk.db.engine import Database
    from govdesk.security.identity import Identity


def saved_replica() -> str:
    """The read replica's address: ``GOVDESK_REPLICA``, else the connection profile's."""
    return resolve_replica() or local_settings.read(PROFILE_REPLICA)


def attach_replica(db: Database, address: str) -> None:
    """Give ``db`` (a PostgreSQL login) the read replica at ``address`` ("" for none), with
    the same login: the dashboard and the review workbench then read from it. Connects to
    nothing (safe on the GUI thread); UsageError for an address that is not one."""
    if db.is_postgres:
        db.attach_replica(replica_url(db.url, address))


def _field(form: QFormLayout, label: str, widget: QWidget) -> None:
    caption = QLabel(label)
    caption.setBuddy(widget)
    widget.setAccessibleName(label.replace("&", "").rstrip(":："))
    form.addRow(caption, widget)


class LoginDialog(QDialog):
    """Ask who is logging in; ``result_db`` and ``identity`` are set when accepted.

    ``db`` is the open database, or its URL while it is still being opened (the first window
    of the application): then 登录 pressed before :meth:`set_database` waits for it, saying so.
    ``first_paint`` is emitted once, after the dialog was first painted; ``submitted`` when a
    login starts (the application then imports the main window while the password is
    checked on the worker)."""

    first_paint = Signal()
    submitted = Signal()

    def __init__(self, db: Database | str, demo_users: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log in to GovDesk"))
        self.setAccessibleName(self.tr("Log in to GovDesk"))
        self.url = db if isinstance(db, str) else db.url
        self.db: Database | None = None if isinstance(db, str) else db
        self.runner = OperationRunner(self, show_errors=False)
        self.result_db: Database | None = None
        self.identity: Identity | None = None
        self.postgres = is_postgres_url(self.url)
        self._painted = False
        self._login_waits = False
        layout = QVBoxLayout(self)
        form = QFormLayout()
        # an SQLite URL holds no login: parsing it would import SQLAlchemy for nothing
        url = url_parts(self.url) if self.postgres else None
        self.host = QLineEdit(local_settings.read(PROFILE_HOST) or (
            f"{url.host or 'localhost'}:{url.port or 5432}" if url else ""))
        self.database = QLineEdit(local_settings.read(PROFILE_DATABASE)
                                  or (url.database if url else None) or "")
        self.user = QLineEdit((url.username if url else None)
                              or local_settings.read(PROFILE_USER))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.replica = self._replica_field()
        if self.postgres:
            _field(form, self.tr("&Server:"), self.host)
            _field(form, self.tr("&Database:"), self.database)
        _field(form, self.tr("&User name:"), self.user)
        _field(form, self.tr("&Password:"), self.password)
        if self.postgres:
            _field(form, self.tr("Read replica ser&ver:"), self.replica)
        layout.addLayout(form)
        self.server_note = QLabel(self.tr(
            'Passwords are checked by the PostgreSQL server. A server set to "trust" admits '
            'anyone with any password: ask IT to use scram-sha-256.'))
        self.server_note.setWordWrap(True)
        if self.postgres:
            layout.addWidget(self.server_note)
        self._add_keyring(layout)
        self.demo_note = QLabel()
        self.demo_note.setWordWrap(True)
        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_note.setVisible(False)
        layout.addWidget(self.demo_note)
        self._show_demo_note(demo_users)
        self.status, self.error = self._status_labels(layout)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Log in"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if self.user.text() else self.user).setFocus()

    def _status_labels(self, layout: QVBoxLayout) -> tuple[QLabel, QLabel]:
        """The progress line and the error line under the form."""
        status = QLabel()
        status.setAccessibleName(self.tr("Progress"))
        layout.addWidget(status)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet("color: palette(highlight); font-weight: bold;")
        error.setAccessibleName(self.tr("Login error"))
        layout.addWidget(error)
        return status, error

    def _replica_field(self) -> QLineEdit:
        """The read replica's address (PostgreSQL), as last saved."""
        field = QLineEdit(saved_replica())
        field.setPlaceholderText(self.tr("host:port of a hot standby (optional)"))
        field.setToolTip(self.tr(
            "The dashboard and the access-log review read from this hot standby, with the same "
            "login, so that review does not load the primary. Leave empty to read from the "
            "server above."))
        return field

    def _add_keyring(self, layout: QVBoxLayout) -> None:
        """PostgreSQL: the "remember the password" box (disabled, with a note saying why, when
        there is no secure keyring) and the remembered password filled in."""
        self.remember = QCheckBox(self.tr("&Remember the password in the system keyring"))
        self.remember.setAccessibleName(self.tr("Remember the password"))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        if not self.postgres:
            return
        from govdesk.security.credentials import keyring_status, remembered_password

        status = keyring_status()
        self.remember.setEnabled(status.usable)
        self.remember.setProperty("keepDisabled", not status.usable)
        self.remember.setChecked(status.usable and local_settings.read(PROFILE_REMEMBER))
        if not status.usable:
            self.keyring_note.setText(self.tr(
                "No secure keyring is available on this computer, so the password cannot be "
                "remembered and is asked for every time."))
        layout.addWidget(self.remember)
        layout.addWidget(self.keyring_note)
        saved = remembered_password(self._key()) if status.usable else None
        if saved:
            self.password.setText(saved)

    def _show_demo_note(self, demo_users: list[str] | None) -> None:
        """The demo database: which accounts exist and their password."""
        if demo_users:
            from govdesk.demo.users import DEMO_PASSWORD

            self.demo_note.setText(self.tr(
                "This is the demo database. Demo accounts (password %1): %2")
                .replace("%1", DEMO_PASSWORD).replace("%2", ", ".join(demo_users)))
            self.demo_note.setVisible(True)

    def set_database(self, db: Database, demo_users: list[str] | None = None) -> None:
        """The database is open (``demo_users``: the demo's accounts, if any): a login that
        was waiting for it starts now."""
        self.db = db
        self._show_demo_note(demo_users)
        if not self._login_waits:
            self.status.setText("")  # the "opening the database" line
        if self._login_waits:
            self._login_waits = False
            set_busy(self, False, self.status)
            self.try_login()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint.emit)  # after this paint is on screen

    def _key(self) -> str:
        from govdesk.security.credentials import profile_key

        return profile_key(self.host.text().strip(), self.database.text().strip(),
                           self.user.text().strip())

    def _pg_url(self) -> str:
        host, _, port = self.host.text().strip().partition(":")
        return with_login(self.url, host=host or None,
                          port=int(port) if port.isdigit() else None,
                          database=self.database.text().strip(),
                          username=self.user.text().strip(), password=self.password.text() or None)

    def try_login(self) -> None:
        """Check the credentials on the runner; accept the dialog or show why not."""
        user = self.user.text().strip()
        if not user:
            self.error.setText(self.tr("Enter your user name."))
            return
        if self.runner.busy or self._login_waits:
            return
        if self.db is None and not self.postgres:
            self._login_waits = True
            self.error.setText("")
            set_busy(self, True, self.status, self.tr("Opening the database…"))
            return
        postgres, db, password = self.postgres, self.db, self.password.text()
        url = self._pg_url() if postgres else ""
        replica = self.replica.text().strip()

        def work() -> tuple[Database, Identity]:
            from govdesk.security.auth import login_postgres, login_sqlite

            if not postgres:
                assert db is not None
                return db, login_sqlite(db, user, password)
            logged_in, who = login_postgres(url)
            try:
                attach_replica(logged_in, replica)
            except BaseException:
                logged_in.dispose()
                raise
            return logged_in, who

        self.error.setText("")
        set_busy(self, True, self.status, self.tr("Logging in…"))
        self.runner.run(work, self._logged_in, on_error=self._failed)
        self.submitted.emit()

    def _logged_in(self, result: tuple[Database, Identity]) -> None:
        set_busy(self, False, self.status)
        if self.postgres:
            self._save_profile()
        self.result_db, self.identity = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.status)
        self.runner.report_error(exc)  # logged when unexpected; the text is what the user reads
        self.error.setText(self.runner.errors[-1])
        self.password.selectAll()
        self.password.setFocus()

    def _save_profile(self) -> None:
        local_settings.write(PROFILE_HOST, self.host.text().strip())
        local_settings.write(PROFILE_DATABASE, self.database.text().strip())
        local_settings.write(PROFILE_USER, self.user.text().strip())
        local_settings.write(PROFILE_REPLICA, self.replica.text().strip())
        local_settings.write(PROFILE_REMEMBER, self.remember.isChecked())
        from govdesk.security.credentials import forget_password, remember_password

        if self.remember.isChecked():
            remember_password(self._key(), self.password.text())
        else:
            forget_password(self._key())


class SetupDialog(QDialog):
    """First launch on a database without accounts: create the system administrator.
    There are no default passwords."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = OperationRunner(self, show_errors=False)
        self.setWindowTitle(self.tr("Set up GovDesk"))
        self.setAccessibleName(self.tr("Set up GovDesk"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "This database has no accounts yet. Create the system administrator, who then "
            "creates the other accounts. The three administrator roles (system, security, "
            "audit) must be held by different people."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.user = QLineEdit("sysadmin")
        self.display = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        self.role.addItem(term(ROLE, "sysadmin"), "sysadmin")
        self.role.setEnabled(False)
        self.role.setProperty("keepDisabled", True)
        _field(form, self.tr("&User name:"), self.user)
        _field(form, self.tr("&Full name:"), self.display)
        _field(form, self.tr("&Password:"), self.password)
        _field(form, self.tr("&Repeat password:"), self.repeat)
        _field(form, self.tr("Role:"), self.role)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Set-up error"))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create_account)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def create_account(self) -> None:
        """Create the system administrator on the runner; accept the dialog or show why not."""
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        if self.runner.busy:
            return
        db, user, password = self.db, self.user.text().strip(), self.password.text()
        display = self.display.text().strip()
        from govdesk.security.identity import Identity
        from govdesk.security.users import create_user

        self.error.setText("")
        set_busy(self, True, self.status, self.tr("Creating the account…"))
        self.runner.run(lambda: create_user(db, Identity.local_owner(), user, Role.SYSADMIN,
                                            password, display_name=display),
                        self._created, on_error=self._failed)

    def _created(self, _user: object) -> None:
        set_busy(self, False, self.status)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.status)
        self.runner.report_error(exc)
        self.error.setText(self.runner.errors[-1])
