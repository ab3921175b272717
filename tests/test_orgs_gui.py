"""GUI: the organisations directory in the system administrator's area, offscreen, in zh_CN;
every database call through the runner (the thread guard fails a call on the GUI thread)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from govdesk.catalog.orgs.directory import OrgDraft
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import login_sqlite
from govdesk.ui.admin.orgs_panel import OrgDialog, OrganisationsPanel, SeedDialog
from govdesk.ui.admin.view import AdminView
from govdesk.ui.app import create_application
from govdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def panel_of(qtbot, db: Database) -> tuple[MainWindow, OrganisationsPanel]:  # type: ignore[no-untyped-def]
    who = login_sqlite(db, "demo_sysadmin", DEMO_PASSWORD)
    w = MainWindow(db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    view = w.show_area("admin")
    assert isinstance(view, AdminView)
    view.tabs.setCurrentWidget(view.orgs)
    w.runner.wait_idle()
    return w, view.orgs


def controls(widget: QWidget) -> list[QWidget]:
    return [c for c in widget.findChildren(QWidget)
            if isinstance(c, (QAbstractButton, QLineEdit, QComboBox, QTableWidget))
            and c.objectName() != "qt_spinbox_lineedit" and c.parent() is not None
            # Qt's own parts: a line edit's clear button, a table's corner button
            and not isinstance(c.parent(), (QComboBox, QLineEdit, QTableWidget))]


def test_the_panel_is_chinese_named_and_keyboard_operable(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    w, panel = panel_of(qtbot, sqlite_demo_db)
    for widget in (panel, OrgDialog(parent=panel), SeedDialog(panel)):
        for c in controls(widget):
            name = c.accessibleName() or (c.text() if isinstance(c, QAbstractButton) else "")
            assert name.strip(), f"{type(c).__name__} without an accessible name"
            if isinstance(c, QAbstractButton) and c.text():
                assert CJK.search(c.text()), c.text()
    headers = [panel.table.horizontalHeaderItem(i).text() for i in range(panel.table.columnCount())]
    assert headers == ["代码", "名称", "类型", "行政区划", "上级机构", "状态"]
    for b in (panel.add_button, panel.seed_button, panel.import_button, panel.template_button):
        assert "&" in b.text() and b.focusPolicy() != 0  # an access key, reachable by Tab
    assert not panel.edit_button.isEnabled() and not panel.active_button.isEnabled()
    assert panel.table.rowCount() == len(panel.rows) > 100
    kinds = {panel.table.item(r, 2).text() for r in range(panel.table.rowCount())}
    assert "残疾人联合会" in kinds and not any(k.isascii() for k in kinds)


def test_add_edit_deactivate_seed_import_and_export(app, qtbot, sqlite_demo_db: Database,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    w, panel = panel_of(qtbot, sqlite_demo_db)
    before = len(panel.rows)
    panel.add_org(OrgDraft("MZ-330199", "测试民政局", "civil_affairs", "330100", "CDPF-330100"))
    w.runner.wait_idle()
    assert "测试民政局" in panel.status.text() and len(panel.rows) == before + 1
    panel.search.setText("MZ-330199")
    assert [o.code for o in panel.rows] == ["MZ-330199"]
    panel.table.selectRow(0)
    assert panel.edit_button.isEnabled() and panel.active_button.text() == "停用(&V)"
    org = panel.selected()
    assert org is not None
    panel.edit_org(org, OrgDraft("MZ-330199", "改名民政局", "civil_affairs", "330100"))
    w.runner.wait_idle()
    assert panel.rows[0].name == "改名民政局" and panel.selected() is not None
    panel.set_active(panel.rows[0], False)
    w.runner.wait_idle()
    assert panel.table.item(0, 5).text() == "已停用" and panel.active_button.text() == "启用(&V)"
    panel.show_inactive.setChecked(False)
    assert panel.rows == []
    panel.search.clear()
    panel.show_inactive.setChecked(True)
    panel.seed("33", departments=True)
    w.runner.wait_idle()
    assert "浙江省" in panel.status.text() and "乡镇" in panel.status.text()
    out = tmp_path / "组织机构.xlsx"
    panel.export_workbook(out)
    w.runner.wait_idle()
    assert out.is_file() and str(len(panel.rows)) in panel.status.text()
    panel.import_file(out)
    w.runner.wait_idle()
    assert panel.status.text() == f"已导入：新增 0 个，修改 0 个，{len(panel.rows)} 个未变。"


def test_the_login_dialog_says_postgresql_checks_passwords(app, qtbot, pg_db: Database,  # type: ignore[no-untyped-def]
                                                         sqlite_db: Database) -> None:
    from govdesk.ui.login import LoginDialog

    dialog = LoginDialog(pg_db)
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.server_note
    assert note.isVisible() and "密码由 PostgreSQL 服务器核验" in note.text()
    assert "trust" in note.text() and "scram-sha-256" in note.text()
    local = LoginDialog(sqlite_db)  # SQLite checks the password itself: nothing to say
    qtbot.addWidget(local)
    local.show()
    assert not local.server_note.isVisible()
