"""GUI: the sharing alerts panel (govdesk/ui/sharing/alerts_panel.py), offscreen with pytest-qt,
in zh_CN, as a real data administrator of the grantee and the provider's security
administrator: the alerts with Chinese labels, the kind filter, Enter and double-click emit the
grant id, every control named, a role without alerts told so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day
from govdesk.sharing import decisions, workflow
from govdesk.sharing.dto import GrantTerms
from govdesk.ui.app import create_application
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing.alerts_panel import AlertsPanel
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui


@pytest.fixture
def grant(sqlite_demo_db: Database, accounts_for: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    db = sqlite_demo_db
    with db.engine.connect() as c:
        code = c.execute(text(
            "SELECT r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).scalar_one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(db)
    logins = {"nb_admin": accounts.login("data_admin", "330200", orgs["CDPF-330200"]),
              "hz_sec": accounts.login("secadmin", "330100", orgs["CDPF-330100"]),
              "viewer": accounts.login("viewer", "330200", orgs["CDPF-330200"])}
    g = workflow.request_grant(*logins["nb_admin"], code, GrantTerms(
        valid_until=grant_day() + dt.timedelta(days=6), method="platform",
        purpose_code="statistics"))
    decisions.approve(*logins["hz_sec"], g.id)
    yield g.id, logins


def _panel(qtbot: Any, login: Any) -> tuple[AlertsPanel, OperationRunner]:
    create_application("zh_CN")
    runner = OperationRunner(show_errors=False)
    panel = AlertsPanel(*login, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: not runner.busy, timeout=15_000)
    return panel, runner


def _row(panel: AlertsPanel, gid: int) -> Any:
    for i in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(i)
        if item.text(1) == str(gid):
            return item
    raise AssertionError(f"grant {gid} not listed")


def test_the_grantee_sees_its_ending_grant_and_opens_it(qapp: QApplication, qtbot: Any,
                                                        grant: Any) -> None:
    gid, logins = grant
    panel, runner = _panel(qtbot, logins["nb_admin"])
    assert runner.errors == [] and unnamed_controls(panel) == []
    item = _row(panel, gid)
    assert item.text(0) == "即将到期" and item.text(6) == "6 天"
    assert item.text(7) == "被授权单位的数据管理员" and item.text(8) == "申请续期"
    assert all(item.toolTip(c) == item.text(c) for c in range(item.columnCount()))  # cut text
    assert panel.tree.headerItem().text(7) == "处理人" and "条共享提醒" in panel.summary.text()
    panel.tree.setCurrentItem(item)
    panel.tree.setFocus()
    with qtbot.waitSignal(panel.grant_activated, timeout=2_000) as got:
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert got.args == [gid]
    panel.tree.scrollToItem(item)
    where = QPoint(10, panel.tree.visualItemRect(item).center().y())  # in the first column
    with qtbot.waitSignal(panel.grant_activated, timeout=2_000) as clicked:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert clicked.args == [gid]
    panel.kind.setCurrentIndex(panel.kind.findData("unused"))
    assert [a.kind for a in panel.shown()] == [] or all(a.kind == "unused" for a in panel.shown())
    assert panel.tree.topLevelItemCount() == len(panel.shown())
    runner.wait_idle()


def test_the_provider_sees_it_and_a_viewer_is_told_alerts_are_not_for_them(
        qapp: QApplication, qtbot: Any, grant: Any) -> None:
    gid, logins = grant
    panel, runner = _panel(qtbot, logins["hz_sec"])
    assert _row(panel, gid).text(0) == "即将到期"
    runner.wait_idle()
    viewer, runner = _panel(qtbot, logins["viewer"])
    assert viewer.tree.topLevelItemCount() == 0 and "数据管理员和安全管理员" in viewer.summary.text()
    assert runner.errors == []


def test_the_sharing_area_has_the_alerts_tab_and_enter_opens_the_grants_history(
        qapp: QApplication, qtbot: Any, grant: Any) -> None:
    from govdesk.ui.sharing.detail import GrantDetailDialog
    from govdesk.ui.sharing.view import SharingView

    gid, logins = grant
    create_application("zh_CN")
    view = SharingView(*logins["nb_admin"], OperationRunner(show_errors=False))
    qtbot.addWidget(view)
    shown: list[GrantDetailDialog] = []
    view.show_dialog = lambda dialog: shown.append(dialog)
    view.show()
    view.activate()
    panel = view.show_tab("alerts")
    assert isinstance(panel, AlertsPanel)
    assert view.tabs.tabText(view.tabs.currentIndex()) == "共享提醒(&E)"
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=15_000)
    item = _row(panel, gid)
    panel.tree.setCurrentItem(item)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    assert isinstance(shown[0], GrantDetailDialog) and view.runner.errors == []
    viewer = SharingView(*logins["viewer"], OperationRunner(show_errors=False))
    qtbot.addWidget(viewer)
    assert "alerts" not in viewer.tab_ids  # a viewer has no alerts to act on
    view.runner.wait_idle()
