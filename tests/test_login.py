"""Login, lockout after repeated failures, keyring handling, idle lock."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models import User
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security import audit, auth, credentials
from govdesk.security.auth import LoginFailed, login_sqlite, unlock_user
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.security.settings import update_setting


def test_demo_accounts_log_in(sqlite_demo_db: Database) -> None:
    who = login_sqlite(sqlite_demo_db, "demo_hz_data_admin", DEMO_PASSWORD)
    assert who.role is Role.DATA_ADMIN and who.region_code == "330100000000"
    with pytest.raises(LoginFailed, match="Wrong user name or password"):
        login_sqlite(sqlite_demo_db, "demo_viewer", "wrong")
    with pytest.raises(LoginFailed, match="Wrong user name or password"):
        login_sqlite(sqlite_demo_db, "nobody", DEMO_PASSWORD)


def test_five_failures_in_fifteen_minutes_lock(sqlite_demo_db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed, match="Wrong"):
            login_sqlite(sqlite_demo_db, "demo_viewer", "bad-password")
    with pytest.raises(LoginFailed, match="Wrong"):
        login_sqlite(sqlite_demo_db, "demo_viewer", "bad-password")  # the fifth locks
    with pytest.raises(LoginFailed, match="locked until"):
        login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD)
    admin = Identity("demo_sysadmin", Role.SYSADMIN, host="t")
    unlock_user(sqlite_demo_db, admin, "demo_viewer")
    assert login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD).role is Role.VIEWER
    with sqlite_demo_db.session() as s:
        events = [e for (e,) in s.execute(select(audit.AuditEvent.event_type).where(
            audit.AuditEvent.object_id == "demo_viewer").order_by(audit.AuditEvent.id))]
    assert events.count("login_failed") == 6
    assert "account_locked" in events and events[-2:] == ["account_unlocked", "login"]
    assert audit.verify(sqlite_demo_db).ok


def test_failures_outside_the_window_do_not_count(sqlite_demo_db: Database,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    start = dt.datetime.now(dt.timezone.utc)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            login_sqlite(sqlite_demo_db, "demo_viewer", "bad-password")
    later = start + dt.timedelta(minutes=16)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    monkeypatch.setattr(audit, "utcnow", lambda: later)
    with pytest.raises(LoginFailed, match="Wrong"):
        login_sqlite(sqlite_demo_db, "demo_viewer", "bad-password")
    assert login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD).role is Role.VIEWER


def test_lockout_follows_the_security_settings(sqlite_demo_db: Database) -> None:
    sec = Identity("demo_secadmin", Role.SECADMIN, host="t")
    update_setting(sqlite_demo_db, sec, "security.lockout_attempts", "2")
    for _ in range(2):
        with pytest.raises(LoginFailed, match="Wrong"):
            login_sqlite(sqlite_demo_db, "demo_auditor", "bad-password")
    with pytest.raises(LoginFailed, match="locked"):
        login_sqlite(sqlite_demo_db, "demo_auditor", DEMO_PASSWORD)
    with sqlite_demo_db.session() as s:
        locked = s.scalar(select(User.locked_until).where(User.username == "demo_auditor"))
    assert locked is not None


def test_plaintext_and_fail_keyrings_count_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    plaintext = type("PlaintextKeyring", (), {"__module__": "keyrings.alt.file"})()
    monkeypatch.setattr(credentials.keyring, "get_keyring", lambda: plaintext)
    status = credentials.keyring_status()
    assert not status.usable and "does not protect" in status.reason
    assert credentials.remember_password("k", "secret") is False
    assert credentials.remembered_password("k") is None

    class Secure:  # e.g. SecretService or Windows Credential Locker
        store: dict[tuple[str, str], str] = {}

    Secure.__module__ = "keyring.backends.SecretService"
    monkeypatch.setattr(credentials.keyring, "get_keyring", lambda: Secure())
    monkeypatch.setattr(credentials.keyring, "set_password",
                        lambda svc, k, v: Secure.store.__setitem__((svc, k), v))
    monkeypatch.setattr(credentials.keyring, "get_password",
                        lambda svc, k: Secure.store.get((svc, k)))
    assert credentials.keyring_status().usable
    assert credentials.remember_password("k", "secret") is True
    assert credentials.remembered_password("k") == "secret"


@pytest.mark.gui
def test_login_dialog_without_keyring(qtbot, pg_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from govdesk.ui.app import create_application
    from govdesk.ui.login import LoginDialog

    create_application("zh_CN")
    monkeypatch.setattr(credentials.keyring, "get_keyring",
                        lambda: type("Keyring", (), {"__module__": "keyring.backends.fail"})())
    accounts = accounts_for(pg_demo_db)
    sec = accounts.add("secadmin")
    dialog = LoginDialog(pg_demo_db)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert "无法记住密码" in dialog.keyring_note.text()
    dialog.user.setText(sec.username)
    dialog.password.setText(accounts.PASSWORD)
    dialog.try_login()  # on the dialog's runner, the dialog disabled meanwhile
    assert not dialog.user.isEnabled() and dialog.status.text()
    assert dialog.runner.wait_idle()
    assert dialog.user.isEnabled() and not dialog.remember.isEnabled()
    assert dialog.identity is not None and dialog.identity.role is Role.SECADMIN
    assert dialog.result_db is not None
    dialog.result_db.dispose()


@pytest.mark.gui
def test_login_dialog_sqlite_shows_demo_accounts_and_errors(qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from govdesk.demo.users import demo_users_present
    from govdesk.ui.app import create_application
    from govdesk.ui.login import LoginDialog

    create_application("zh_CN")
    dialog = LoginDialog(sqlite_demo_db, demo_users_present(sqlite_demo_db))
    qtbot.addWidget(dialog)
    assert "demo_secadmin" in dialog.demo_note.text() and DEMO_PASSWORD in dialog.demo_note.text()
    dialog.user.setText("demo_secadmin")
    dialog.password.setText("nope")
    dialog.try_login()
    assert dialog.runner.wait_idle()
    assert dialog.identity is None and "用户名或密码错误" in dialog.error.text()
    assert dialog.password.isEnabled() and dialog.status.text() == ""
    dialog.password.setText(DEMO_PASSWORD)
    dialog.try_login()
    assert dialog.runner.wait_idle()
    assert dialog.identity is not None and dialog.identity.role is Role.SECADMIN


@pytest.mark.gui
def test_setup_dialog_creates_the_first_administrator(qtbot, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    """SQLite only: on PostgreSQL the first administrator is a server role the database owner
    creates with `govdesk users add`."""
    db = sqlite_db
    from govdesk.security.users import has_users
    from govdesk.ui.app import create_application
    from govdesk.ui.login import SetupDialog

    create_application("zh_CN")
    assert not has_users(db)
    dialog = SetupDialog(db)
    qtbot.addWidget(dialog)
    dialog.user.setText("admin")
    dialog.password.setText("Weak")
    dialog.repeat.setText("Weak")
    dialog.create_account()
    assert dialog.runner.wait_idle()
    assert "至少需要 10 个字符" in dialog.error.text() and not has_users(db)
    dialog.password.setText("Strong-Passw0rd")
    dialog.repeat.setText("Strong-Passw0rd")
    dialog.create_account()
    assert dialog.runner.wait_idle() and dialog.result() == dialog.DialogCode.Accepted
    assert not dialog.role.isEnabled()  # stays disabled: the first account is a sysadmin
    assert has_users(db)
    assert login_sqlite(db, "admin", "Strong-Passw0rd").role is Role.SYSADMIN


@pytest.mark.gui
def test_idle_lock_keeps_unsaved_edits(qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from govdesk.ui.app import create_application
    from govdesk.ui.idle import IdleLock
    from govdesk.ui.main_window import MainWindow

    create_application("zh_CN")
    who = login_sqlite(sqlite_demo_db, "demo_data_admin", DEMO_PASSWORD)
    window = MainWindow(sqlite_demo_db, who, show_errors=False)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, sqlite_demo_db, who, minutes=1)
    search = window.areas["catalog"].search
    search.setText("未保存的输入")
    lock.last_input -= 61
    lock.check()
    assert lock.locked and lock.dialog is not None and not window.centralWidget().isVisible()
    lock.dialog.password.setText("wrong")
    lock.dialog.try_unlock()
    assert lock.dialog.runner.wait_idle()
    assert lock.locked and lock.dialog.error.text()
    lock.dialog.password.setText(DEMO_PASSWORD)
    lock.dialog.try_unlock()
    assert lock.dialog.runner.wait_idle()
    assert not lock.locked and window.centralWidget().isVisible()
    assert search.text() == "未保存的输入"
    assert lock.runner.wait_idle()
    window.runner.wait_idle()


def test_cli_users_on_both_databases(db: Database, capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
                                     monkeypatch: pytest.MonkeyPatch, accounts_for) -> None:
    import io

    accounts = accounts_for(db)
    admin = accounts.add("sysadmin")
    name = f"cli{admin.username[1:8]}"
    monkeypatch.setattr("sys.stdin", io.StringIO("Cli-Passw0rd!\n"))
    if db.is_postgres:
        args = ["--db", accounts.url_for(admin.username)]
    else:
        args = ["--db", db.url, "--user", admin.username]
        monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    assert main(["users", "add", name, "--role", "data_admin", "--region", "330100",
                 "--json", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"ok": True, "user": name, "role": "data_admin", "region": "330100000000",
                   "role_label": "数据管理员", "region_name": "杭州市（区划代码 330100000000）"}
    accounts.roles.append(name)
    monkeypatch.setattr("sys.stdin", io.StringIO("Cli-Passw0rd!\n"))
    assert main(["users", "add", name, "--role", "viewer", *args]) == 4  # exists: conflict
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "another", "--role", "viewer", *args]) == 1  # weak password
    assert main(["users", "list", "--json", *args]) == 0
    capsys.readouterr()
    # the account's life, through the CLI, as the system administrator
    assert main(["users", "set", name, "--role", "viewer", "--region", "none", "--json",
                 *args]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "viewer"
    assert main(["users", "lock", name, *args]) == 0
    assert main(["users", "unlock", name, *args]) == 0
    assert main(["users", "lock", admin.username, *args]) == 1  # never your own account
    assert main(["users", "set", "nobody_here", "--role", "viewer", *args]) == 1
    capsys.readouterr()
    rc = main(["users", "anomalies", "--json", *args])
    report = json.loads(capsys.readouterr().out)
    # (test databases copied from one template share its groups, so other tests' logins may
    # show up on PostgreSQL; a real database's anomalies are tested in test_redteam_pg)
    assert report["ok"] is (rc == 0) and name not in [a["login"] for a in report["anomalies"]]
    if not db.is_postgres:
        assert report == {"ok": True, "anomalies": []}
    assert main(["users", "deactivate", name, *args]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--json", *args]) == 0
    listed = {u["username"]: u for u in json.loads(capsys.readouterr().out)["users"]}
    assert listed[name]["active"] is False
