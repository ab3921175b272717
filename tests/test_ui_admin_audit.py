"""GUI: the Audit, Administration and Security policy areas, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QSpinBox

from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import login_sqlite
from govdesk.security.roles import Role
from govdesk.security.settings import read_setting
from govdesk.settings import LOCKOUT_ATTEMPTS, database_settings
from govdesk.ui.admin.view import AdminView, SecurityPolicyView
from govdesk.ui.app import create_application
from govdesk.ui.audit.view import AuditView
from govdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def window_for(qtbot, db: Database, username: str) -> MainWindow:  # type: ignore[no-untyped-def]
    who = login_sqlite(db, username, DEMO_PASSWORD)
    w = MainWindow(db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    w.runner.wait_idle()
    return w


def test_each_role_sees_only_its_areas(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "demo_sysadmin": ["admin"],
        "demo_secadmin": ["catalog", "classification", "authority", "sharing", "monitoring",
                          "audit", "security_policy"],
        "demo_auditor": ["monitoring", "audit"],
        "demo_data_admin": ["catalog", "classification", "authority", "sharing"],
        "demo_viewer": ["catalog", "authority", "sharing"],
    }
    for user, areas in expected.items():
        w = window_for(qtbot, sqlite_demo_db, user)
        assert list(w.areas) == areas, user
        assert [w.nav.item(i).text() for i in range(w.nav.count())] == [
            a.area_title() for a in w.areas.values()]


def test_audit_view_filters_verifies_and_exports(app, qtbot, sqlite_demo_db: Database,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    w = window_for(qtbot, sqlite_demo_db, "demo_auditor")
    view = w.show_area("audit")
    assert isinstance(view, AuditView)
    w.runner.wait_idle()
    total = view.model.rowCount()
    assert total >= 7  # demo accounts created + this login
    view.event_type.setCurrentIndex(view.event_type.findData("login"))
    view.refresh()
    w.runner.wait_idle()
    assert view.model.rowCount() == 1
    row = view.model.row_at(0)
    assert row.username == "demo_auditor" and row.event_type == "login"
    assert view.model.data(view.model.index(0, 4)) == "登录"
    view.verify_now()
    w.runner.wait_idle()
    assert "完整性校验通过" in view.verify_label.text()
    view.export_to(tmp_path / "audit.csv")
    w.runner.wait_idle()
    assert (tmp_path / "audit.csv").read_text(encoding="utf-8-sig").startswith("序号")
    assert w.runner.errors == []


def test_auditor_anchors_and_verifies_against_the_anchor(app, qtbot, sqlite_demo_db: Database,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    from govdesk.security.audit_anchor import new_key_file

    key = tmp_path / "anchor.key"
    new_key_file(key)
    w = window_for(qtbot, sqlite_demo_db, "demo_auditor")
    view = w.show_area("audit")
    assert isinstance(view, AuditView)
    assert view.anchor.isEnabled()
    view.anchor_to(tmp_path / "head.json", key)
    w.runner.wait_idle()
    assert "已在第" in view.verify_label.text() and (tmp_path / "head.json").exists()
    view.verify_against(tmp_path / "head.json", key)
    w.runner.wait_idle()
    assert "校验通过" in view.verify_label.text() and view.verify_label.property("ok") is True
    other = tmp_path / "other.key"
    new_key_file(other)
    view.verify_against(tmp_path / "head.json", other)
    w.runner.wait_idle()
    assert "不一致" in view.verify_label.text() and view.verify_label.property("ok") is False
    assert w.runner.errors == []
    # the security administrator reads and verifies, but does not anchor
    w2 = window_for(qtbot, sqlite_demo_db, "demo_secadmin")
    audit_view = w2.show_area("audit")
    assert isinstance(audit_view, AuditView) and not audit_view.anchor.isEnabled()


def test_admin_adds_locks_and_unlocks_users(app, qtbot, sqlite_demo_db: Database,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    w = window_for(qtbot, sqlite_demo_db, "demo_sysadmin")
    view = w.current_area()
    assert isinstance(view, AdminView)
    before = view.users.rowCount()
    view.add_user("wang_fang", Role.DATA_ADMIN, "Wang-Passw0rd!", "330100", "王芳")
    w.runner.wait_idle()
    assert view.users.rowCount() == before + 1
    row = next(i for i, u in enumerate(view.rows) if u.username == "wang_fang")
    view.users.selectRow(row)
    view.lock_button.click()
    w.runner.wait_idle()
    assert next(u for u in view.rows if u.username == "wang_fang").locked
    with pytest.raises(Exception, match="locked"):
        login_sqlite(sqlite_demo_db, "wang_fang", "Wang-Passw0rd!")
    view.users.selectRow(next(i for i, u in enumerate(view.rows) if u.username == "wang_fang"))
    view.unlock_button.click()
    w.runner.wait_idle()
    assert login_sqlite(sqlite_demo_db, "wang_fang", "Wang-Passw0rd!").region_code == "330100000000"
    # deactivating asks first, then ends the account for good
    view.users.selectRow(next(i for i, u in enumerate(view.rows) if u.username == "wang_fang"))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.deactivate_button.click()
    w.runner.wait_idle()
    assert not next(u for u in view.rows if u.username == "wang_fang").is_active
    with pytest.raises(Exception, match="Wrong user name or password"):
        login_sqlite(sqlite_demo_db, "wang_fang", "Wang-Passw0rd!")
    view.add_user("weak", Role.VIEWER, "short")
    w.runner.wait_idle()
    assert w.runner.errors and "至少需要 10 个字符" in w.runner.errors[-1]  # in the UI's language


def test_security_policy_edits_are_validated_and_audited(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    w = window_for(qtbot, sqlite_demo_db, "demo_secadmin")
    view = w.show_area("security_policy")
    assert isinstance(view, SecurityPolicyView)
    w.runner.wait_idle()
    panel = view.settings
    # the form is the registry's: every security setting, labelled in Chinese, ranges as declared
    assert set(panel.editors) == {s.key for s in database_settings() if s.section == "security"}
    idle = panel.editors["security.idle_lock_minutes"]
    assert isinstance(idle, QSpinBox) and (idle.minimum(), idle.maximum()) == (1, 480)
    assert idle.accessibleName() == "无操作多少分钟后锁定会话" and idle.isEnabled()
    assert panel.editors["security.audit_retention_days"].minimum() == 180
    assert panel.value_of("security.lockout_attempts") == "5"
    attempts = panel.editors["security.lockout_attempts"]
    attempts.setValue(3)
    attempts.editingFinished.emit()  # as when the user presses Enter
    w.runner.wait_idle()
    assert panel.value_of("security.lockout_attempts") == "3"
    with sqlite_demo_db.session() as s:
        assert read_setting(s, LOCKOUT_ATTEMPTS) == 3
    panel.edit_value("security.idle_lock_minutes", "0")  # past the spin box: the service refuses
    w.runner.wait_idle()
    assert "必须是 1 到 480 之间的整数" in w.runner.errors[-1]
    assert "无操作多少分钟后锁定会话" in w.runner.errors[-1]
    assert panel.value_of("security.idle_lock_minutes") == "15"  # the refused value was put back


def test_catalogue_samples_are_masked_until_unmasked(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from govdesk.security.audit_read import AuditFilter, list_events
    from govdesk.ui.catalog.view import CatalogView

    w = window_for(qtbot, sqlite_demo_db, "demo_data_admin")
    view = w.current_area()
    assert isinstance(view, CatalogView)
    qtbot.waitUntil(lambda: view.detail.samples.rowCount() > 0, timeout=10_000)
    headers = [view.detail.samples.horizontalHeaderItem(c).text()
               for c in range(view.detail.samples.columnCount())]
    col = headers.index("公民身份号码")
    masked = view.detail.samples.item(0, col).text()
    assert "********" in masked and "公民身份号码" in view.detail.samples_note.text()
    view.ask_unmask_reason = lambda: None  # cancelled: nothing is shown or audited
    view.detail.unmask_button.click()
    w.runner.wait_idle()
    assert view.detail.samples.item(0, col).text() == masked
    view.ask_unmask_reason = lambda: "核对残疾人证信息"
    view.detail.unmask_button.click()
    qtbot.waitUntil(lambda: "********" not in view.detail.samples.item(0, col).text(),
                    timeout=10_000)
    plain = view.detail.samples.item(0, col).text()
    assert plain[:6] == masked[:6] and plain[14:] == masked[14:]
    auditor = login_sqlite(sqlite_demo_db, "demo_auditor", DEMO_PASSWORD)
    events = list_events(sqlite_demo_db, auditor, AuditFilter(event_type="unmask"), 0, 5)
    assert [e.username for e in events] == ["demo_data_admin"]
    assert "核对残疾人证信息" in (events[0].detail or "")
    w.runner.wait_idle()


def test_viewers_get_no_sample_rows(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    w = window_for(qtbot, sqlite_demo_db, "demo_viewer")
    view = w.current_area()
    assert not view.detail.isTabVisible(view.detail.samples_tab)
    w.runner.wait_idle()


def test_audit_model_passes_qtmodeltester(app, qtbot, qtmodeltester, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from govdesk.security.identity import Identity
    from govdesk.ui.audit.view import AuditTableModel
    from govdesk.ui.ops import OperationRunner

    runner = OperationRunner(show_errors=False)
    model = AuditTableModel(sqlite_demo_db, Identity("a", Role.AUDITOR, host="t"), runner)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() >= 6 and model.row_at(0) is not None
    runner.wait_idle()


def test_authority_report_links_to_the_catalogue(app, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    from govdesk.ui.catalog.authority_view import AuthorityView
    from govdesk.ui.catalog.view import CatalogView

    w = window_for(qtbot, sqlite_demo_db, "demo_data_admin")
    view = w.show_area("authority")
    assert isinstance(view, AuthorityView)
    w.runner.wait_idle()
    assert view.tree.topLevelItemCount() > 0  # the demo repeats authoritative base items
    first = view.tree.topLevelItem(0).child(0)
    code = first.data(0, 256)
    catalog = w.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    with qtbot.waitSignal(catalog.model.loaded, timeout=10_000):
        view._open_item(first, 0)
    assert w.current_area() is catalog and catalog.search.text() == code
    assert catalog.model.rowCount() == 1 and catalog.model.row_at(0).code == code
    w.runner.wait_idle()
