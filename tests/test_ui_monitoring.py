"""GUI: the Monitoring area's alerts and rules tabs (govdesk/ui/monitoring/), offscreen, zh_CN,
as a real security administrator and an auditor: planted alerts listed with Chinese labels,
the filters, the detail with history, acknowledge and close with a disposition through the
dialogs, the rules with hit rates and a threshold edited; every control named, no access-key
clash; the work runs on the runner's workers (the gui guard fails a test otherwise)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from access_keys import clashes
from govdesk.db.engine import Database
from govdesk.monitoring.rules import list_rules
from govdesk.monitoring.run import run_rules
from govdesk.ui.app import create_application
from govdesk.ui.monitoring.alert_dialogs import RuleDialog, StepDialog
from govdesk.ui.monitoring.view import MonitoringView
from govdesk.ui.ops import OperationRunner
from monitor_world import Plant, cst
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui


def _view(qtbot: Any, login: Any) -> tuple[MonitoringView, OperationRunner]:
    create_application("zh_CN")
    runner = OperationRunner(show_errors=False)
    view = MonitoringView(*login, runner)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not runner.busy, timeout=15_000)
    return view, runner


def _accept(fill: Any) -> Any:
    def run(dialog: QDialog) -> QDialog.DialogCode:
        fill(dialog)
        return QDialog.DialogCode.Accepted
    return run


def test_alerts_and_rules_tabs(qapp: QApplication, qtbot: Any, demo_db: Database,
                               accounts_for: Any) -> None:
    plant = Plant(demo_db)
    plant.behind()
    accounts = accounts_for(demo_db)
    sec, auditor = accounts.login("secadmin"), accounts.login("auditor")
    plant.events({"username": plant.user("big"), "ts": cst(2026, 12, 1), "action": "export",
                  "row_count": 9000})
    run_rules(*sec, rules=["bulk_export"])
    view, runner = _view(qtbot, sec)
    tab: Any = view.show_tab("alerts")  # loads on the runner the first time it is shown
    qtbot.waitUntil(lambda: not runner.busy, timeout=15_000)
    assert runner.errors == [] and unnamed_controls(view) == [] and clashes(view) == []
    assert view.tabs.tabText(view.tab_ids.index("alerts")) == "告警(&Q)"
    assert tab.state.currentText() == "待处理"
    rows = [tab.list.topLevelItem(i) for i in range(tab.list.topLevelItemCount())]
    mine = [r for r in rows if plant.user("big") in r.text(4)]
    assert mine and mine[0].text(1) == "高" and mine[0].text(3) == "大批量导出"
    tab.list.setCurrentItem(mine[0])
    qtbot.waitUntil(lambda: not runner.busy and tab.detail is not None
                    and tab.detail.alert.username == plant.user("big"), timeout=15_000)
    assert "生成告警" in tab.history.topLevelItem(0).text(2)
    assert tab.steps["acknowledge"].isEnabled() and not tab.steps["close"].isEnabled()

    tab.show_dialog = _accept(lambda d: d.note.setPlainText("核实中"))
    tab.step("acknowledge")
    qtbot.waitUntil(lambda: not runner.busy and tab.detail.alert.state == "acknowledged",
                    timeout=15_000)
    assert tab.steps["close"].isEnabled()

    def close(d: StepDialog) -> None:
        d.disposition.setCurrentIndex(d.disposition.findData("benign"))
        d.note.setPlainText("年度统计")
    tab.show_dialog = _accept(close)
    tab.step("close")
    qtbot.waitUntil(lambda: not runner.busy and tab.detail.alert.state == "closed",
                    timeout=15_000)
    assert "属实但属正常业务" in tab.info.text()
    assert [tab.history.topLevelItem(i).text(2) for i in range(3)][1:] == [
        "待处理 → 已确认", "已确认 → 已关闭"]
    assert runner.errors == []

    rules: Any = view.show_tab("rules")
    qtbot.waitUntil(lambda: not runner.busy and rules.tree.topLevelItemCount() == 8,
                    timeout=15_000)
    labels = [rules.tree.topLevelItem(i).text(0) for i in range(8)]
    row = labels.index("大批量导出")
    assert rules.tree.topLevelItem(row).text(8) == "0" and rules.tree.topLevelItem(row).text(7) == "1"
    rules.tree.setCurrentItem(rules.tree.topLevelItem(row))

    def edit(d: RuleDialog) -> None:
        d.fields["rows"].setText("7000")
    rules.show_dialog = _accept(edit)
    rules.edit()
    qtbot.waitUntil(lambda: not runner.busy, timeout=15_000)
    assert runner.errors == []
    assert {r.code: r.parameters for r in list_rules(*sec)}["bulk_export"] == {"rows": 7000}

    aview, arunner = _view(qtbot, auditor)
    atab: Any = aview.tab("alerts")
    assert not atab.run_button.isEnabled() and arunner.errors == []
    assert not any(b.isEnabled() for b in atab.steps.values())
