"""GUI: the dashboard tab (govdesk/ui/monitoring/dashboard*.py), offscreen with pytest-qt, in
zh_CN, as a real security administrator and auditor: the tab builds, one refresh fills the
charts and their tables, the table toggle (button and Ctrl+T), PNG export writes a file, every
control and chart is named and described, the parts not built yet say so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from govdesk.db.engine import Database
from govdesk.security import access_log
from govdesk.security.access_log import Event
from govdesk.ui.app import create_application
from govdesk.ui.monitoring.dashboard import DashboardTab, dashboard_tab
from govdesk.ui.monitoring.view import MonitoringView
from govdesk.ui.ops import OperationRunner
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui


def _tab(qtbot: Any, login: Any) -> tuple[DashboardTab, OperationRunner]:
    create_application("zh_CN")
    runner = OperationRunner(show_errors=False)
    tab = DashboardTab(*login, runner)
    qtbot.addWidget(tab)
    tab.resize(1200, 900)
    tab.show()
    tab.period.setCurrentIndex(0)  # today: the planted events
    tab.refresh()
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
    return tab, runner


def test_refresh_fills_charts_tables_and_exports(qapp: QApplication, qtbot: Any,
                                                 sqlite_demo_db: Database, accounts_for: Any,
                                                 tmp_path: Path) -> None:
    accounts = accounts_for(sqlite_demo_db)
    writer = accounts.login("data_admin", "330100")
    for k in range(12):
        access_log.record(*writer, Event("export" if k % 2 else "query", row_count=k,
                                         success=k % 3 != 0,
                                         failure="denied" if k % 3 == 0 else None))
    tab, runner = _tab(qtbot, accounts.login("secadmin"))
    assert runner.errors == [] and tab.data is not None
    assert unnamed_controls(tab) == []
    action = tab.cards["by_action"]
    assert action.available and action.model.rowCount() == 24  # every hour of today
    headers = [action.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(action.model.columnCount())]
    assert "导出" in headers and "查询" in headers and "export" not in headers
    assert action.plot.accessibleName() == "图表：按操作的访问量"
    assert "条访问记录" in action.plot.accessibleDescription()
    result = tab.cards["by_result"]
    assert "被拒绝" in result.summary.text() and result.model.columnCount() == 3
    users = tab.cards["top_users"]
    assert users.model.rowCount() >= 1
    assert users.model.item(0, 0).text() == writer[1].username
    assert tab.cards["coverage"].available and tab.cards["coverage"].model.rowCount() > 0
    alerts = tab.cards["alerts"]  # the alert queue by severity, open and acknowledged
    assert alerts.available and alerts.model.rowCount() == 3
    assert [alerts.model.item(i, 0).text() for i in range(3)] == ["高", "中", "低"]
    backup = tab.cards["backup"]  # every backup policy's health (the demo has policies)
    assert backup.available and backup.model.rowCount() >= 1 and "备份策略" in backup.summary.text()
    # the table view: a real QTableView, by the button for all and Ctrl+T for one
    tab.tables.setChecked(True)
    assert all(c.stack.currentWidget() is c.table for c in tab.cards.values() if c.available)
    assert isinstance(action.table, QTableView)
    tab.tables.setChecked(False)
    action.plot.setFocus()
    qtbot.waitUntil(lambda: tab.current is action or action.plot.hasFocus(), timeout=2_000)
    tab.activateWindow()
    qtbot.keyClick(action.plot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert action.stack.currentWidget() is action.table and action.table.hasFocus()
    qtbot.keyClick(action.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert action.stack.currentWidget() is action.plot
    assert tab.cards["by_result"].stack.currentWidget() is tab.cards["by_result"].plot
    # PNG export of the card last focused
    target = tmp_path / "chart.png"
    tab.current = action
    tab.ask_path = lambda _suggested: str(target)
    tab.export_current()
    assert target.exists() and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(target) in tab.status.text()
    tab.current = tab.cards["alerts"]  # the alert queue's chart exports the same way
    tab.ask_path = lambda _suggested: str(tmp_path / "alerts.png")
    tab.export_current()
    assert (tmp_path / "alerts.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_auditor_sees_access_figures_only(qapp: QApplication, qtbot: Any,
                                              sqlite_demo_db: Database,
                                              accounts_for: Any) -> None:
    accounts = accounts_for(sqlite_demo_db)
    tab, runner = _tab(qtbot, accounts.login("auditor"))
    assert runner.errors == []
    assert tab.cards["by_action"].available
    for part in ("coverage", "expiring"):
        assert "无权" in tab.cards[part].message.text()


def test_the_area_lists_the_tab_for_monitor_read_only(qapp: QApplication, qtbot: Any,
                                                      sqlite_demo_db: Database,
                                                      accounts_for: Any) -> None:
    create_application("zh_CN")
    accounts = accounts_for(sqlite_demo_db)
    runner = OperationRunner(show_errors=False)
    view = MonitoringView(*accounts.login("secadmin"), runner)
    qtbot.addWidget(view)
    assert view.tab_ids == ["dashboard", "access_review", "alerts", "rules"]
    assert view.area_title() == "监测" and view.tabs.tabText(0) == "监测看板"

    class Viewer:
        who = accounts.login("viewer")[1]

    assert dashboard_tab(Viewer()) is None
