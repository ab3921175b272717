"""GUI: every view of every demo role, in Chinese without raw codes and in English without
clipped headers; Qt's own dialogs translated."""

from __future__ import annotations

from collections.abc import Iterator

import getpass
import re

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD, DEMO_USERS
from govdesk.security.auth import login_sqlite
from govdesk.security.identity import client_host
from govdesk.ui.app import create_application
from govdesk.ui.main_window import MainWindow
from gui_walk import clipped_headers, raw_code, raw_codes, settle, tabs_of

pytestmark = pytest.mark.gui

USERNAMES = {u[0] for u in DEMO_USERS}
#: the sample rows are the resource's own data (a region code column holds codes): not checked
SAMPLES = "samplesTable"


def walk(qtbot, db: Database, username: str) -> Iterator[tuple[str, MainWindow]]:  # type: ignore[no-untyped-def]
    """Open ``username``'s main window and stop at every area and every tab in it."""
    who = login_sqlite(db, username, DEMO_PASSWORD)
    w = MainWindow(db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    for area_id in list(w.areas):
        area = w.show_area(area_id)
        settle(qtbot, w)
        yield area_id, w
        for tabs in tabs_of(area):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                settle(qtbot, w)
                yield f"{area_id} tab {tabs.tabText(i)}", w
    w.runner.wait_idle()


def allowed(who_host: str) -> object:
    """User and host names are data a person typed, not codes: the demo accounts, the OS user
    that created the demo database ("demo" and the local owner) and this client's host."""
    names = USERNAMES | {"demo", getpass.getuser(), client_host(), who_host}

    def ok(text: str) -> bool:  # the demo access log's users (demo/generate.py) are logins too
        return text in names or re.fullmatch(r"u\d{4}_\d+", text) is not None
    return ok


def test_raw_code_detects_what_the_issue_saw() -> None:
    for text in ("general4", "core", "data_resources", "audit_archive", "user",
                 "security.lockout_attempts", "system.site_name", "330100000000", "C",
                 "core 核心数据", "general4 一般数据4级"):
        assert raw_code(text), text
    for text in ("一般数据4级", "杭州市", "330000/101-0001", "GovDesk", "Excel", "PDF", "12", ""):
        assert raw_code(text) is None, text


@pytest.mark.parametrize("username", sorted(USERNAMES))
def test_every_view_in_chinese_shows_no_raw_code(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                 sqlite_demo_db: Database, username: str) -> None:
    create_application("zh_CN")
    found: list[str] = []
    for where, w in walk(qtbot, sqlite_demo_db, username):
        found += [f"{where}: {f}" for f in raw_codes(w, allowed(w.who.host))
                  if not f.startswith(SAMPLES)]
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.parametrize("username", sorted(USERNAMES))
def test_every_view_in_english_has_whole_headers(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                 sqlite_demo_db: Database, username: str) -> None:
    create_application("en")
    try:
        found: list[str] = []
        for where, w in walk(qtbot, sqlite_demo_db, username):
            found += [f"{where}: {f}" for f in clipped_headers(w)]
        assert not found, "\n".join(sorted(set(found)))
    finally:
        create_application("zh_CN")


def test_qt_file_dialog_is_in_chinese(qapp: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts, texts
    assert not [t for t in texts if t.replace("&", "").strip().isascii() and t.strip()], texts
