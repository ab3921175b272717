"""GUI (zh_CN, offscreen, both databases, real logins on PostgreSQL): the 监测 area's 访问日志审查
tab walked by keyboard: every control named and reached with Tab, no access-key clashes, a
filter chosen with the keys, rows selected with Shift+Down and marked reviewed through the
comment dialog, an organisation's period reviewed, the detail pane, the export; the area is
in the main window for auditors and security administrators only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from access_keys import clashes
from govdesk.db.engine import Database
from govdesk.ui.app import create_application
from govdesk.ui.main_window import MainWindow
from govdesk.ui.monitoring.dialogs import ReviewDialog
from govdesk.ui.monitoring.review_tab import AccessReviewTab
from govdesk.ui.monitoring.view import MonitoringView
from govdesk.ui.ops import OperationRunner
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def _tab_chain(qtbot: Any, start: QWidget, steps: int = 40) -> list[QWidget]:
    start.setFocus()
    seen: list[QWidget] = []
    for _ in range(steps):
        focused = QApplication.focusWidget()
        if focused is None:
            break
        seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return seen


def _reached(widget: QWidget, seen: list[QWidget]) -> bool:
    return any(w is widget or widget.isAncestorOf(w) for w in seen)


def _comment_by_keys(qtbot: Any, text: str) -> Any:
    """A ``show_dialog`` that types ``text`` as the comment and presses OK with Space."""
    def show(dialog: QDialog) -> int:
        assert isinstance(dialog, ReviewDialog)
        dialog.show()
        assert not dialog.ok.isEnabled()
        dialog.comment.setFocus()
        qtbot.keyClicks(dialog.comment, "ok")  # typed: not yet a reason (4 letters or digits)
        assert not dialog.ok.isEnabled()
        dialog.comment.insertPlainText(text)  # Chinese comes through the input method
        assert dialog.ok.isEnabled()
        assert clashes(dialog) == [] and unnamed_controls(dialog) == []
        dialog.ok.setFocus()
        qtbot.keyClick(dialog.ok, Qt.Key.Key_Space)
        return int(dialog.result())
    return show


def test_the_review_tab_by_keyboard(app: QApplication, qtbot: Any, demo_db: Database,
                                    accounts_for: Any, tmp_path: Path) -> None:
    db, who = accounts_for(demo_db).login("secadmin")
    runner = OperationRunner(show_errors=False)
    tab = AccessReviewTab(db, who, runner)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    tab.activateWindow()
    tab.refresh()
    runner.wait_idle()
    assert tab.model.rowCount() > 100 and "访问记录" in tab.status.text()
    assert tab.filters.organisation.count() > 10 and tab.filters.grade.itemText(1)
    assert unnamed_controls(tab) == [] and clashes(tab) == []
    f = tab.filters
    seen = _tab_chain(qtbot, f.since)
    for widget in (f.since, f.until, f.user, f.organisation, f.resource, f.grade, f.action,
                   f.result, f.host, f.unreviewed, f.apply, tab.mark, tab.period, tab.export,
                   tab.table):
        assert _reached(widget, seen), widget.accessibleName() or widget.objectName()

    f.result.setFocus()  # 拒绝 with the keys, then Enter in a text field applies
    qtbot.keyClick(f.result, Qt.Key.Key_Down)
    qtbot.keyClick(f.result, Qt.Key.Key_Down)
    assert f.result.currentText() == "拒绝"
    f.host.setFocus()
    qtbot.keyClick(f.host, Qt.Key.Key_Return)
    runner.wait_idle()
    n = tab.model.rowCount()
    assert 0 < n < 18_000
    assert {tab.model.data(tab.model.index(i, 6)) for i in range(min(n, 50))} == {"拒绝"}

    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    runner.wait_idle()
    assert len(tab.selected_rows()) == 2
    assert "时间：" in tab.detail.toPlainText() and "尚未审查" in tab.detail.toPlainText()
    tab.show_dialog = _comment_by_keys(qtbot, "已核对：正常业务访问")
    tab.mark.setFocus()
    qtbot.keyClick(tab.mark, Qt.Key.Key_Space)
    runner.wait_idle()
    assert "已记录审查" in tab.status.text()
    assert tab.model.data(tab.model.index(0, 9)).startswith(who.username)

    f.unreviewed.setFocus()
    qtbot.keyClick(f.unreviewed, Qt.Key.Key_Space)
    f.apply.setFocus()
    qtbot.keyClick(f.apply, Qt.Key.Key_Space)
    runner.wait_idle()
    assert tab.model.rowCount() == n - 2

    org = f.organisation.itemData(1)
    tab.show_dialog = _comment_by_keys(qtbot, "该单位本月访问已逐条核对")
    f.organisation.setCurrentIndex(1)
    tab.period.setFocus()
    qtbot.keyClick(tab.period, Qt.Key.Key_Space)
    runner.wait_idle()
    assert "已记录审查" in tab.status.text()
    assert all(r.organisation_id != org for r in
               (tab.model.row_at(i) for i in range(min(tab.model.rowCount(), 50))) if r)

    out = tmp_path / "访问记录.xlsx"
    tab.ask_path = lambda: out
    f.unreviewed.setChecked(False)
    f.organisation.setCurrentIndex(0)
    tab.reload()
    runner.wait_idle()
    tab.export.setFocus()
    qtbot.keyClick(tab.export, Qt.Key.Key_Space)
    runner.wait_idle()
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == n + 1 and "已导出" in tab.status.text()
    runner.close()


def test_the_area_is_in_the_main_window_for_readers_of_the_access_log(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    accounts = accounts_for(demo_db)
    for role, shown in (("auditor", True), ("secadmin", True), ("data_admin", False)):
        db, who = accounts.login(role)
        window = MainWindow(db, who, show_errors=False)
        qtbot.addWidget(window)
        ids = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(window.nav.count())]
        assert ("monitoring" in ids) is shown, role
        if shown:
            view = window.areas["monitoring"]
            assert isinstance(view, MonitoringView) and "access_review" in view.tab_ids
            assert view.tabs.tabText(view.tab_ids.index("access_review")) == "访问日志审查(&A)"
            tab = view.tab("access_review")
            assert isinstance(tab, AccessReviewTab)
            assert tab.mark.isEnabled() is (role == "secadmin")
        window.runner.close()
        window.close()
