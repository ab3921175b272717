"""GUI (zh_CN, offscreen, both databases, real logins on PostgreSQL): what a new user hit in
the Sharing area. The matrix's grade and category filters are drop-downs of labels (no codes
to type), a cell's rules name the region, an empty page says why; a renewal proposes as long
again as the grant ran and its dialog is wide enough to read; a data administrator without an
organisation is told why there is no request button."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QComboBox

from access_world import build
from govdesk.db.engine import Database
from govdesk.sharing.dto import GrantFilter
from govdesk.sharing.lookup import requestable
from govdesk.sharing.queries import list_grants
from govdesk.ui.app import create_application
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing.dialogs import RenewDialog, pydate
from govdesk.ui.sharing.grants_tab import GrantsTab, Mode
from govdesk.ui.sharing.matrix_panel import MatrixPanel

pytestmark = pytest.mark.gui
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def test_matrix_filters_by_label_and_explains_in_words(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    w = build(demo_db)
    db, who = accounts_for(demo_db).login("data_admin", "330100", w.orgs["CDPF-330100"])
    runner = OperationRunner(show_errors=False)
    panel = MatrixPanel(db, who, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    runner.wait_idle()
    assert isinstance(panel.grade, QComboBox) and isinstance(panel.category, QComboBox)
    grades = [panel.grade.itemText(i) for i in range(panel.grade.count())]
    assert grades[0] == "所有分级" and "一般数据4级" in grades
    assert all(CJK.search(t) for t in grades)
    assert panel.category.itemText(0) == "所有分类" and panel.category.count() > 1
    assert "3301" in panel.region.placeholderText()
    every = len(panel.matrix.rows) if panel.matrix else 0
    panel.grade.setCurrentIndex(grades.index("一般数据4级"))  # filters at once
    runner.wait_idle()
    assert panel.matrix is not None and 0 < len(panel.matrix.rows) <= every
    assert {r.resource.grade_name for r in panel.matrix.rows} == {"一般数据4级"}
    panel.grade.setCurrentIndex(0)
    runner.wait_idle()

    panel.code.setText(w.code)
    panel.apply_filters()
    runner.wait_idle()
    orgs = [o.code for o in panel.matrix.orgs]
    panel.table.setCurrentIndex(panel.model.index(0, 2 + orgs.index("CDPF-000000")))
    runner.wait_idle()
    text = panel.text.toPlainText()
    assert "本区划的资源，本单位可直接读取 中华人民共和国" in text and " *" not in text

    panel.code.clear()
    panel.region.setText("3399")
    panel.apply_filters()
    runner.wait_idle()
    assert "0 个资源" in panel.status.text() and "只看本单位" in panel.status.text()
    panel.own.setChecked(True)
    panel.apply_filters()
    runner.wait_idle()
    assert "只看本单位" not in panel.status.text()
    runner.close()


def test_renewal_proposes_the_same_length_again(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    w = build(demo_db)
    db, who = accounts_for(demo_db).login("data_admin", "330200", w.orgs["CDPF-330200"])
    grant = next(g for g in list_grants(db, who, GrantFilter(mine=True))
                 if g.id == w.grants["CDPF-330200"])
    dialog = RenewDialog(grant, requestable(db, who, w.code))
    qtbot.addWidget(dialog)
    assert grant.valid_from is not None and grant.valid_until is not None
    start = grant.valid_until + dt.timedelta(days=1)
    ran = (grant.valid_until - grant.valid_from).days
    assert pydate(dialog.until.date()) == min(dialog.latest, start + dt.timedelta(days=ran))
    assert pydate(dialog.until.date()) < dialog.latest  # not the longest the grades allow
    assert dialog.minimumWidth() >= 480


def test_a_data_admin_without_an_organisation_is_told_why(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    db, who = accounts_for(demo_db).login("data_admin", "330200", None)
    runner = OperationRunner(show_errors=False)
    tab = GrantsTab(db, who, runner, Mode.REQUESTS)
    qtbot.addWidget(tab)
    tab.refresh()
    runner.wait_idle()
    assert "request" not in tab.buttons
    assert "没有所属单位" in tab.status.text() and "系统管理 → 账号" in tab.status.text()
    runner.close()


def test_matrix_keyboard_tab_leaves_the_table_and_every_filter_has_a_key(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from access_keys import clashes

    w = build(demo_db)
    db, who = accounts_for(demo_db).login("secadmin", "330100", w.orgs["CDPF-330100"])
    runner = OperationRunner(show_errors=False)
    panel = MatrixPanel(db, who, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    runner.wait_idle()
    assert not panel.table.tabKeyNavigation()
    from govdesk.ui.sharing.picker import ResourcePicker

    picker = ResourcePicker(db, who, runner)
    qtbot.addWidget(picker)
    assert not picker.table.tabKeyNavigation()  # Tab goes on from the matches to the items
    fields = (panel.code, panel.region, panel.grade, panel.category, panel.org_region,
              panel.org_kind)
    keyed = {label.buddy() for label in panel.findChildren(QLabel) if "&" in label.text()}
    assert all(f in keyed for f in fields)
    assert "&" in panel.own.text()
    assert clashes(panel) == []
    runner.close()


def test_all_grants_filters_count_what_they_show_and_take_a_code_prefix(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    w = build(demo_db)
    db, who = accounts_for(demo_db).login("secadmin", None, None)
    runner = OperationRunner(show_errors=False)
    tab = GrantsTab(db, who, runner, Mode.ALL)
    qtbot.addWidget(tab)
    tab.refresh()
    runner.wait_idle()
    every = len(tab.table.rows)
    assert tab.status.text() == f"共 {every} 个授权。"
    tab.state.setCurrentIndex(tab.state.findData("active"))
    runner.wait_idle()
    shown = len(tab.table.rows)
    assert 0 < shown < every and {g.state for g in tab.table.rows} == {"active"}
    assert tab.status.text() == f"共 {shown} 个授权。"  # not the first count
    tab.state.setCurrentIndex(0)
    tab.resource.setText(w.code[:4])
    tab.resource.editingFinished.emit()
    runner.wait_idle()
    assert tab.table.rows and all((g.resource_code or "").startswith(w.code[:4])
                                  for g in tab.table.rows)
    assert w.grants["CDPF-330200"] in {g.id for g in tab.table.rows}
    assert tab.status.text() == f"共 {len(tab.table.rows)} 个授权。"
    runner.close()


def test_a_slower_earlier_load_never_replaces_a_later_one(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    """Loads run in parallel on the runner's pool: the tab and the matrix show the latest."""
    import threading

    import govdesk.ui.sharing.grants_tab as grants_tab

    w = build(demo_db)
    db, who = accounts_for(demo_db).login("secadmin", None, None)
    runner = OperationRunner(show_errors=False)
    tab = GrantsTab(db, who, runner, Mode.ALL)
    qtbot.addWidget(tab)
    gate = threading.Event()
    real = grants_tab.load

    def slow_when_unfiltered(*args: Any) -> Any:
        if args[3].resource_code is None:
            gate.wait(10)
        return real(*args)

    grants_tab.load = slow_when_unfiltered  # type: ignore[assignment]
    try:
        tab.refresh()  # unfiltered: held back
        tab.resource.setText(w.code)
        tab.resource.editingFinished.emit()  # filtered: answers first
        qtbot.waitUntil(lambda: bool(tab.table.rows), timeout=10_000)
        gate.set()
        runner.wait_idle()
    finally:
        grants_tab.load = real  # type: ignore[assignment]
    assert {g.resource_code for g in tab.table.rows} == {w.code}
    runner.close()


def test_the_request_and_offer_dialogs_fit_the_screen(
        app: QApplication, qtbot: Any, demo_db: Database, accounts_for: Any) -> None:
    from govdesk.ui.sharing.request_dialog import RequestDialog

    db, who = accounts_for(demo_db).login("secadmin", "330100", None)
    runner = OperationRunner(show_errors=False)
    for offer in (False, True):
        dialog = RequestDialog(db, who, runner, offer=offer)
        qtbot.addWidget(dialog)
        screen = dialog.screen().availableGeometry()
        assert dialog.height() <= screen.height(), (offer, dialog.height(), screen)
        assert dialog.height() >= dialog.minimumSizeHint().height()
    runner.wait_idle()
    runner.close()


def test_the_demo_has_two_security_admins_so_a_request_takes_effect(
        app: QApplication, qtbot: Any, sqlite_demo_db: Database) -> None:
    """Data graded 一般数据4级 needs two approvers: a grant the demo's first security
    administrator approved waits in the second one's review queue, who completes it."""
    from govdesk.demo.users import DEMO_PASSWORD, DEMO_USERS
    from govdesk.security.auth import login_sqlite
    from govdesk.ui.sharing.actions import Action

    secadmins = [u[0] for u in DEMO_USERS if u[1] == "secadmin"]
    assert secadmins == ["demo_secadmin", "demo_secadmin2"]
    db = sqlite_demo_db
    second = login_sqlite(db, "demo_secadmin2", DEMO_PASSWORD)
    runner = OperationRunner(show_errors=False)
    tab = GrantsTab(db, second, runner, Mode.REVIEW)
    qtbot.addWidget(tab)
    tab.refresh()
    runner.wait_idle()
    waiting = [g for g in tab.table.rows
               if g.state == "first_approved" and g.first_approved_by == "demo_secadmin"]
    assert waiting, [(g.id, g.state) for g in tab.table.rows]
    assert tab.table.select_grant(waiting[0].id)
    assert Action.APPROVE in tab.allowed()
    tab.steps.approve(tab.selected())  # type: ignore[arg-type]
    runner.wait_idle()
    assert runner.errors == [], runner.errors
    done = next(g for g in list_grants(db, second, GrantFilter()) if g.id == waiting[0].id)
    assert done.state in ("active", "scheduled"), done.state
    runner.close()
