"""No database work on the GUI thread (issue 12): start-up, login (the dialog and a URL that logs
in as it is), the set-up dialog, the idle lock and unlocking, every area of every role and
paging through the big lists, as real logins on both databases. Every GUI test runs under the
guard of tests/gui_thread_guard.py (conftest: ``no_database_on_gui_thread``), which fails the
test on a statement or a new connection made on the GUI thread by GovDesk's UI code; the first
test shows that it does."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from govdesk.catalog.search.browse import ResourceFilter, count_resources
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import record_session_locked
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.ui.app import create_application, start_main_window
from govdesk.ui.audit.view import AuditView
from govdesk.ui.catalog.model import ResourceTableModel
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.login import LoginDialog
from govdesk.ui.main_window import AREAS, MainWindow
from govdesk.ui.ops import OperationRunner, _Job
from gui_thread_guard import GuiThreadGuard

HANGZHOU = "330100000000"


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    QSettings().clear()
    return create_application("zh_CN")


def test_the_guard_catches_database_work_on_the_gui_thread(app: QApplication,
                                                           demo_db: Database) -> None:
    """A service called by UI code on the GUI thread is caught, a statement and a connection
    alike; the same call from test code, or on the runner's worker, is not."""
    who = Identity("t", Role.VIEWER)
    runner = OperationRunner(show_errors=False)
    guard = GuiThreadGuard().install()
    try:
        count_resources(demo_db, who, ResourceFilter())  # the test itself: not the UI
        assert guard.violations == []
        assert runner.wait_for(lambda: count_resources(demo_db, who, ResourceFilter())) == 300
        assert guard.violations == [] and guard.off_gui > 0
        # the runner's job run on the GUI thread instead of a worker: UI code on the stack
        _Job(runner, 0, lambda: count_resources(demo_db, who, ResourceFilter())).run()
        assert [v.what.split()[0] for v in guard.violations] == ["SQL"]
        assert guard.violations[0].where.startswith("ops.py:")
        fresh = Database(demo_db.url)
        try:
            _Job(runner, 0, lambda: count_resources(fresh, who, ResourceFilter())).run()
        finally:
            fresh.dispose()
        assert any(v.what.endswith("connect()") for v in guard.violations)
    finally:
        guard.remove()
    runner.wait_idle()


def _when_shown(kind: type[QWidget], act: Callable[[Any], bool]) -> QTimer:
    """Poll until a visible ``kind`` dialog is up, then call ``act(dialog)`` until it returns
    True (a modal dialog's exec() runs its own event loop: the test acts from a timer)."""
    timer = QTimer()
    timer.setInterval(50)

    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible() and act(w):
                timer.stop()
                return

    timer.timeout.connect(poll)
    timer.start()
    return timer


def _login_by_dialog(user: str, password: str, bad_user: str, bad_password: str) -> QTimer:
    """A person at the login dialog: first wrong credentials (the error shows, the dialog stays
    usable), then the right ones."""
    state = {"step": 0}

    def act(dialog: LoginDialog) -> bool:
        if dialog.runner.busy:
            assert not dialog.user.isEnabled()  # disabled while the login runs
            return False
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        if state["step"] == 0:
            dialog.user.setText(bad_user)
            dialog.password.setText(bad_password)
        elif state["step"] == 1:
            if not dialog.error.text():
                return False
            dialog.user.setText(user)
            dialog.password.setText(password)
        else:
            return True
        state["step"] += 1
        ok.click()
        return False

    return _when_shown(LoginDialog, act)


@pytest.fixture
def started() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for w in windows:
        w.runner.wait_idle()
        w.close()
        w.db.dispose()


@pytest.mark.gui
def test_start_up_login_idle_lock_and_unlock(app: QApplication, qtbot, demo_db: Database,  # type: ignore[no-untyped-def]
                                             accounts_for, started: list[MainWindow],
                                             no_database_on_gui_thread: GuiThreadGuard) -> None:
    """Start-up as a user would: SQLite through the login dialog (a wrong password first),
    PostgreSQL with a URL that logs in as it is (a 杭州 data administrator's own login role);
    then the idle lock, a refused unlock, and the unlock."""
    timer = None
    if demo_db.is_postgres:
        accounts = accounts_for(demo_db)
        who = accounts.add("data_admin", HANGZHOU)
        user, password, url = who.username, accounts.PASSWORD, accounts.url_for(who.username)
    else:  # the demo's documented accounts
        user, password, url = "demo_data_admin", DEMO_PASSWORD, demo_db.url
        timer = _login_by_dialog(user, password, user, "wrong-password")
    before = no_database_on_gui_thread.off_gui
    result = start_main_window(url, "zh_CN")
    if timer is not None:
        timer.stop()
    assert result is not None
    _app, window = result
    started.append(window)
    qtbot.addWidget(window)
    assert window.who.username == user and window.who.role is not None
    assert no_database_on_gui_thread.off_gui > before  # the work happened, on workers
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    qtbot.waitUntil(lambda: catalog.model.rowCount() > 0 and not window.runner.busy,
                    timeout=15_000)

    lock = window.idle_lock
    assert lock is not None
    lock.last_input -= 10 * 24 * 3600
    lock.check()
    assert lock.locked and not window.centralWidget().isVisible()
    dialog = lock.dialog
    if demo_db.is_postgres:
        # the test server trusts every password: the server confirming someone else stands
        # in for a wrong one (the unlock checks who the password belongs to)
        dialog.who = dataclasses.replace(window.who, username=f"nobody_{uuid.uuid4().hex[:8]}")
        dialog.password.setText(password)
    else:
        dialog.password.setText("wrong-password")
    dialog.try_unlock()
    assert not dialog.password.isEnabled()  # disabled while the password is checked
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=15_000)
    assert lock.locked and dialog.error.text() and dialog.password.isEnabled()
    dialog.who = window.who
    dialog.password.setText(password)
    dialog.try_unlock()
    qtbot.waitUntil(lambda: not lock.locked, timeout=15_000)
    assert window.centralWidget().isVisible()
    assert lock.runner.wait_idle()  # the session_locked audit row, written in the background


@pytest.mark.gui
def test_the_login_dialog_on_postgresql(app: QApplication, qtbot, pg_demo_db: Database,  # type: ignore[no-untyped-def]
                                        accounts_for) -> None:
    accounts = accounts_for(pg_demo_db)
    who = accounts.add("viewer")
    dialog = LoginDialog(pg_demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    timer = _login_by_dialog(who.username, accounts.PASSWORD,
                             f"nobody_{uuid.uuid4().hex[:8]}", "x")
    qtbot.waitUntil(lambda: dialog.identity is not None, timeout=20_000)
    timer.stop()
    assert dialog.identity.username == who.username and dialog.result_db is not None
    dialog.result_db.dispose()


@pytest.mark.gui
def test_the_first_account_is_made_off_the_gui_thread(app: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                      sqlite_db: Database,
                                                      started: list[MainWindow]) -> None:
    """SQLite without accounts: the set-up dialog, then the login dialog."""
    from govdesk.ui.login import SetupDialog

    def setup(dialog: SetupDialog) -> bool:
        if dialog.runner.busy or not dialog.isVisible():
            return False
        dialog.user.setText("admin")
        dialog.password.setText("Strong-Passw0rd")
        dialog.repeat.setText("Strong-Passw0rd")
        dialog.create_account()
        return True

    timers = [_when_shown(SetupDialog, setup),
              _login_by_dialog("admin", "Strong-Passw0rd", "admin", "wrong-password")]
    result = start_main_window(sqlite_db.url, "zh_CN")
    for t in timers:
        t.stop()
    assert result is not None and result[1].who.username == "admin"
    started.append(result[1])


ROLES = [("data_admin", HANGZHOU), ("viewer", None), ("secadmin", None), ("auditor", None),
         ("sysadmin", None)]


@pytest.mark.gui
def test_every_area_and_paging(app: QApplication, qtbot, demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                               monkeypatch: pytest.MonkeyPatch,
                               no_database_on_gui_thread: GuiThreadGuard) -> None:
    """Every area of every role, each page inside it, the catalogue list scrolled, jumped and
    re-sorted, the audit trail paged, as real logins; 9-row pages make the lists long."""
    import govdesk.ui.catalog.model as catalog_model
    import govdesk.ui.paged_model as paged

    monkeypatch.setattr(paged, "PAGE_SIZE", 9)
    monkeypatch.setattr(catalog_model, "PAGE_SIZE", 9)
    accounts = accounts_for(demo_db)
    viewer_db, viewer = accounts.login("viewer")
    for _ in range(70):  # audit rows to page through
        record_session_locked(viewer_db, viewer)
    opened: set[str] = set()
    for role, region in ROLES:
        handle, who = accounts.login(role, region)
        window = MainWindow(handle, who, show_errors=False)
        qtbot.addWidget(window)
        window.show()
        try:
            for area_id, area in window.areas.items():
                window.show_area(area_id)
                assert window.runner.wait_idle()
                for _sub, _title, show in area.sub_views():
                    show()
                    assert window.runner.wait_idle()
                opened.add(type(area).__name__)
                if isinstance(area, CatalogView):
                    _page_through(qtbot, window, area.model, area.table)
                    area.model.sort(ResourceTableModel.COLUMNS.index("grade"),
                                    Qt.SortOrder.DescendingOrder)
                    _page_through(qtbot, window, area.model, area.table)
                if isinstance(area, AuditView):
                    _page_through(qtbot, window, area.model, area.table)
                    assert area.model.rowCount() > 70
            assert window.runner.errors == [], (role, window.runner.errors)
        finally:
            window.runner.wait_idle()
            window.close()
    assert opened == {spec.class_name for spec in AREAS}
    assert no_database_on_gui_thread.off_gui > 0


def _page_through(qtbot, window: MainWindow, model: Any, table: Any) -> None:  # type: ignore[no-untyped-def]
    """As a user would: to the end (a jump), the middle, back to the top, then every row."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)
    n = model.rowCount()
    assert n > 30
    for row in (n - 1, n // 2, 0, n // 3):
        table.scrollTo(model.index(row, 0))
        qtbot.waitUntil(lambda row=row: model.row_at(row) is not None, timeout=15_000)
    for row in range(n):
        model.row_at(row)
    assert window.runner.wait_idle()
    assert None not in [model.row_at(r) for r in range(n)]
