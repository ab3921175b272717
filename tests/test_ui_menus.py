"""GUI: the main window's menus (log out, change my password, manual, shortcuts) and the
access keys of every window and dialog, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog
from shiboken6 import isValid

import govdesk.ui.app as app_module
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.errors import GovDeskError
from govdesk.security.auth import login_sqlite
from govdesk.ui.account import ChangePasswordDialog
from govdesk.ui.app import DesktopSession, create_application
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.help import HelpDialog, ShortcutsDialog, shortcut_rows
from govdesk.ui.login import LoginDialog, SetupDialog
from govdesk.ui.main_window import MainWindow
from govdesk.ui.ops import OperationRunner
from access_keys import clashes

pytestmark = pytest.mark.gui

NEW_PASSWORD = "Neues-Passw0rt!9"


@pytest.fixture(params=["zh_CN", "en"])
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    create_application(request.param)
    yield request.param
    create_application("zh_CN")


def open_window(qtbot, db: Database, user: str) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(db, login_sqlite(db, user, DEMO_PASSWORD), show_errors=False)
    qtbot.addWidget(w)
    w.show()
    assert w.runner.wait_idle()
    return w


def action_with(window: MainWindow, keys: QKeySequence) -> QAction:
    found = [a for a in window.findChildren(QAction) if keys in a.shortcuts()]
    assert len(found) == 1, [a.text() for a in found]
    return found[0]


def test_f1_opens_the_manual_in_the_interface_language(lang: str, qtbot,  # type: ignore[no-untyped-def]
                                                       sqlite_demo_db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    w = open_window(qtbot, sqlite_demo_db, "demo_viewer")
    shown: list[HelpDialog] = []
    monkeypatch.setattr(HelpDialog, "exec", lambda self: shown.append(self) or 0)
    action_with(w, QKeySequence(QKeySequence.StandardKey.HelpContents)).trigger()
    assert len(shown) == 1
    text = shown[0].browser.toPlainText()
    expected = ["登录", "数据资源目录", "Excel", "分类分级", "审计日志", "键盘操作"] if lang == "zh_CN" \
        else ["Logging in", "catalogue", "Excel", "grading", "audit trail", "keyboard"]
    assert all(word in text for word in expected), text[:200]
    assert "|" not in text  # the Markdown table is rendered, not shown as source


def test_the_shortcut_list_is_read_from_the_window(lang: str, qtbot,  # type: ignore[no-untyped-def]
                                                   sqlite_demo_db: Database) -> None:
    w = open_window(qtbot, sqlite_demo_db, "demo_data_admin")
    w.show_area("catalog")  # the window reopens on the area last shown, maybe by another test
    assert w.runner.wait_idle()
    rows = dict(shortcut_rows(w))
    native = QKeySequence.SequenceFormat.NativeText
    manual = QKeySequence(QKeySequence.StandardKey.HelpContents).toString(native)
    if lang == "zh_CN":
        assert rows["用户手册"] == manual and rows["注销 / 切换用户"] == "Ctrl+Shift+L"
        assert rows["转到数据资源目录"] == "Ctrl+1"
    else:
        assert rows["User manual"] == manual and rows["Keyboard shortcuts"] == "Ctrl+F1"
        assert rows["Go to Catalogue"] == "Ctrl+1"
    with_keys = {k.toString(native) for a in w.findChildren(QAction) for k in a.shortcuts()
                 if a.text()}
    assert with_keys <= set(rows.values())  # every action's keys are listed
    shortcuts = [s for s in w.findChildren(QShortcut) if not s.key().isEmpty()]
    assert shortcuts and all(s.whatsThis() for s in shortcuts)  # each says what it does
    assert rows["搜索数据资源目录" if lang == "zh_CN" else "Search the catalogue"] == \
        QKeySequence(QKeySequence.StandardKey.Find).toString(native)
    dialog = ShortcutsDialog(w)
    assert dialog.table.rowCount() == len(rows)
    assert [dialog.table.item(r, 1).text() for r in range(len(rows))] == \
        [keys for _what, keys in shortcut_rows(w)]


def test_no_access_key_clashes(lang: str, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    """Every page of every area for the roles that together see them all, the resource
    editor, and the dialogs of the login and the menus: no Alt+letter twice at once."""
    found: list[str] = []
    for user in ("demo_secadmin", "demo_sysadmin", "demo_data_admin"):
        w = open_window(qtbot, sqlite_demo_db, user)
        for area_id in w.areas:
            area = w.show_area(area_id)
            assert w.runner.wait_idle()
            for _sub, _title, show in area.sub_views() or [("", "", lambda: None)]:
                show()
                assert w.runner.wait_idle()
                found += [f"{user} {area_id}: {c}" for c in clashes(w)]
        catalog = w.areas.get("catalog")
        if isinstance(catalog, CatalogView) and user == "demo_data_admin":
            catalog.edit_current()
            qtbot.waitUntil(lambda: getattr(catalog, "editor", None) is not None, timeout=10_000)
            found += [f"editor: {c}" for c in clashes(catalog.editor)]
            catalog.editor.reject()
        for dialog in (ChangePasswordDialog(w.db, w.who, w), HelpDialog(w), ShortcutsDialog(w),
                       LoginDialog(w.db, ["demo_viewer"]), SetupDialog(w.db)):
            found += [f"{type(dialog).__name__}: {c}" for c in clashes(dialog)]
        assert w.runner.wait_idle()
        w.close()
    assert found == []


def test_change_my_password(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    who = login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD)
    dialog = ChangePasswordDialog(sqlite_demo_db, who)
    qtbot.addWidget(dialog)
    dialog.current.setText("wrong")
    dialog.new.setText(NEW_PASSWORD)
    dialog.repeat.setText(NEW_PASSWORD)
    dialog.change()
    qtbot.waitUntil(lambda: not dialog.runner.busy and bool(dialog.error.text()), timeout=10_000)
    assert "密码" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.new.text() == NEW_PASSWORD  # what was typed stays
    dialog.repeat.setText("different")
    dialog.change()
    assert dialog.error.text() == "两次输入的新密码不一致。"
    dialog.repeat.setText(NEW_PASSWORD)
    dialog.current.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.change()
    assert login_sqlite(sqlite_demo_db, "demo_viewer", NEW_PASSWORD).username == "demo_viewer"
    with pytest.raises(GovDeskError):
        login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD)


def test_log_out_shows_the_login_again(qapp: QApplication, qtbot, sqlite_demo_db: Database,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Log out closes the window and its session; whoever logs in next gets a new window;
    cancelling the login ends the application."""
    app = create_application("zh_CN")
    runner = OperationRunner(show_errors=False)
    session = DesktopSession(app, sqlite_demo_db, runner)
    first = session.open(sqlite_demo_db, login_sqlite(sqlite_demo_db, "demo_viewer", DEMO_PASSWORD))
    assert first.runner.wait_idle()
    auditor = login_sqlite(sqlite_demo_db, "demo_auditor", DEMO_PASSWORD)
    asked: list[Database] = []
    monkeypatch.setattr(app_module, "authenticate",
                        lambda db, _runner: asked.append(db) or (db, auditor))
    action = next(a for a in first.findChildren(QAction) if a.text().startswith("注销"))
    action.trigger()
    second = session.window
    assert asked == [sqlite_demo_db] and second is not None and second is not first
    assert not isValid(first) or not first.isVisible()  # closed, then deleted
    assert second.isVisible() and second.who.username == "demo_auditor"
    assert list(second.areas) == ["audit", "monitoring"] and app.quitOnLastWindowClosed()
    assert second.runner.wait_idle()
    quits: list[bool] = []
    monkeypatch.setattr(app_module, "authenticate", lambda db, _runner: None)
    monkeypatch.setattr(QApplication, "quit", lambda *_a: quits.append(True))
    second.log_out()
    assert session.window is None and quits == [True]
    assert not isValid(second) or not second.isVisible()


def test_the_language_changes_without_a_restart(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                sqlite_demo_db: Database,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """View → Language → English: the window is built again in English for the same login,
    on the area it showed, and the application still runs; then back to Chinese."""
    import govdesk.ui.main_window as main_window_module
    from govdesk.ui.i18n import current_language

    saved: list[str] = []
    monkeypatch.setattr(main_window_module, "save_language", saved.append)
    app = create_application("zh_CN")
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_a: quits.append(True))
    session = DesktopSession(app, sqlite_demo_db, OperationRunner(show_errors=False))
    first = session.open(sqlite_demo_db, login_sqlite(sqlite_demo_db, "demo_data_admin",
                                                      DEMO_PASSWORD))
    assert first.runner.wait_idle()
    first.nav.setCurrentRow(1)
    shown = first.current_area()
    assert shown is not None and first.runner.wait_idle()
    who, area_id = first.who, shown.area_id
    assert any("文件" in a.text() for a in first.menuBar().actions())
    next(a for a in first.findChildren(QAction) if a.text() == "English").trigger()
    second = session.window
    assert second is not None and second is not first and second.isVisible()
    assert not isValid(first) or not first.isVisible()
    assert saved == ["en"] and current_language() == "en"
    assert not quits and app.quitOnLastWindowClosed()
    assert "&File" in [a.text() for a in second.menuBar().actions()]
    current = second.current_area()
    assert second.who == who and current is not None and current.area_id == area_id
    assert second.runner.wait_idle()
    next(a for a in second.findChildren(QAction) if a.text() == "中文（简体）").trigger()
    third = session.window
    assert third is not None and third is not second and current_language() == "zh_CN"
    assert any("文件" in a.text() for a in third.menuBar().actions())
    assert third.runner.wait_idle()
    third.close()


def test_a_language_change_keeps_the_tab_shown(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                               sqlite_demo_db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The rebuilt window shows the same area's same tab (a new user lost their place)."""
    import govdesk.ui.main_window as main_window_module

    monkeypatch.setattr(main_window_module, "save_language", lambda _lang: None)
    monkeypatch.setattr(QApplication, "quit", lambda *_a: None)
    app = create_application("zh_CN")
    session = DesktopSession(app, sqlite_demo_db, OperationRunner(show_errors=False))
    first = session.open(sqlite_demo_db, login_sqlite(sqlite_demo_db, "demo_secadmin",
                                                      DEMO_PASSWORD))
    assert first.runner.wait_idle()
    area: Any = first.show_area("sharing")
    area.show_tab(area.tab_ids[-1])
    wanted = area.tab_ids[-1]
    assert first.runner.wait_idle()
    next(a for a in first.findChildren(QAction) if a.text() == "English").trigger()
    second = session.window
    assert second is not None and second is not first
    shown: Any = second.current_area()
    assert shown is not None and shown.area_id == "sharing"
    assert shown.tab_ids[shown.tabs.currentIndex()] == wanted
    assert second.runner.wait_idle()
    second.close()
    create_application("zh_CN")
