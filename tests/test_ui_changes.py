"""GUI: what an operation commits reaches every area through the one change bus. An editor save
refreshes the catalogue list (keeping the edited resource selected) and the classification area;
a hidden area refreshes when it is shown again; the audit trail follows any change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from govdesk.changes import RESOURCES, Changed, Changes
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import login_sqlite
from govdesk.ui.app import create_application
from govdesk.ui.audit.view import AuditView
from govdesk.ui.catalog.editor import ResourceEditor
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.change_bus import bus
from govdesk.ui.classification.view import ClassificationView
from govdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    QSettings().clear()
    who = login_sqlite(sqlite_demo_db, "demo_data_admin", DEMO_PASSWORD)
    w = MainWindow(sqlite_demo_db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    catalog = w.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 300 and catalog.detail.detail is not None
                    and not w.runner.busy, timeout=10_000)
    yield w
    w.runner.wait_idle()


def idle(qtbot, w: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not w.runner.busy, timeout=10_000)


def catalog_of(w: MainWindow) -> CatalogView:
    view = w.areas["catalog"]
    assert isinstance(view, CatalogView)
    return view


def open_editor(view: CatalogView, qtbot, new: bool = False) -> ResourceEditor:  # type: ignore[no-untyped-def]
    view.editor = None  # type: ignore[assignment]
    (view.new_resource if new else view.edit_current)()
    qtbot.waitUntil(lambda: getattr(view, "editor", None) is not None, timeout=10_000)
    return view.editor


def shown_coverage(w: MainWindow, qtbot) -> str:  # type: ignore[no-untyped-def]
    view = w.show_area("classification")
    assert isinstance(view, ClassificationView)
    view.tabs.setCurrentWidget(view.coverage)
    idle(qtbot, w)
    return view.coverage.totals.text()


def test_an_editor_save_refreshes_the_list_and_the_classification_area(window: MainWindow,  # type: ignore[no-untyped-def]
                                                                       qtbot) -> None:
    assert "300 个资源中" in shown_coverage(window, qtbot)
    catalog = window.show_area("catalog")
    assert isinstance(catalog, CatalogView)
    idle(qtbot, window)
    editor = open_editor(catalog, qtbot, new=True)
    editor.name.setText("变更总线新建的资源")
    editor.name.editingFinished.emit()
    editor.sharing_condition.setText("经审批后共享")
    editor.sharing_condition.editingFinished.emit()
    editor.items.item(0, 0).setText("申请人姓名")
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    idle(qtbot, window)
    # the list reloaded from the change bus (nobody called refresh)
    assert catalog.model.rowCount() == 301
    catalog.search_for("变更总线新建的资源")
    idle(qtbot, window)
    assert catalog.model.rowCount() == 1
    # the classification area was hidden: it was marked stale, and reloads when shown
    assert "301 个资源中" in shown_coverage(window, qtbot)


def test_an_edit_shows_in_place_and_keeps_the_resource_selected(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = catalog_of(window)
    catalog.table.selectRow(5)
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.id == catalog.model.row_at(5).id, timeout=10_000)
    rid = catalog.detail.detail.id
    editor = open_editor(catalog, qtbot)
    editor.name.setText("改名后的资源")
    editor.name.editingFinished.emit()
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.name == "改名后的资源", timeout=10_000)
    assert catalog.detail.detail.id == rid
    assert catalog.selected_ids() == [rid]
    assert catalog.model.row_at(5).name == "改名后的资源"


def test_the_classification_area_refreshes_at_once_when_visible(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from govdesk.catalog.editing.resources import load_draft, save_resource

    assert "300 个资源中" in shown_coverage(window, qtbot)
    db, who = window.db, window.who
    draft, _v = load_draft(db, who, 1)
    new = draft.__class__(**{**draft.__dict__, "code": "", "name": "另一份资源"})
    window.runner.run(lambda: save_resource(db, who, new), lambda _r: None)
    idle(qtbot, window)
    view = window.areas["classification"]
    assert isinstance(view, ClassificationView)
    assert "301 个资源中" in view.coverage.totals.text()


def test_the_audit_trail_follows_any_change(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    QSettings().clear()
    who = login_sqlite(sqlite_demo_db, "demo_secadmin", DEMO_PASSWORD)
    w = MainWindow(sqlite_demo_db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    view = w.show_area("audit")
    assert isinstance(view, AuditView)
    idle(qtbot, w)
    before = view.model.rowCount()
    policy = w.show_area("security_policy")
    idle(qtbot, w)
    policy.settings.edit_value("security.lockout_attempts", "7")  # type: ignore[attr-defined]
    idle(qtbot, w)
    assert policy.settings.value_of("security.lockout_attempts") == "7"  # type: ignore[attr-defined]
    w.show_area("audit")
    idle(qtbot, w)
    assert view.model.rowCount() == before + 1
    row = view.model.row_at(0)
    assert row is not None and row.event_type == "settings_change"
    w.runner.wait_idle()


def test_areas_ignore_kinds_they_do_not_show(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = catalog_of(window)
    started = []
    original = catalog.refresh
    catalog.refresh = lambda: (started.append(1), original())[1]  # type: ignore[method-assign]
    bus().publish(Changes.of(Changed.of("users")))
    assert started == []
    bus().publish(Changes.of(Changed.of(RESOURCES, [1])))
    assert started == [1]
    idle(qtbot, window)


@pytest.mark.postgres
def test_a_save_in_another_client_shows_within_two_seconds(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                           pg_demo_db: Database,
                                                           accounts_for) -> None:
    import time

    from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, save_resource

    create_application("zh_CN")
    QSettings().clear()
    accounts = accounts_for(pg_demo_db)
    mine_db, me = accounts.login("data_admin")
    theirs_db, them = accounts.login("data_admin")
    w = MainWindow(mine_db, me, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    catalog = catalog_of(w)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 300 and not w.runner.busy,
                    timeout=10_000)
    assert w.listener is not None and w.listener.connected.wait(10)
    started = time.monotonic()
    save_resource(theirs_db, them, ResourceDraft(
        name="另一个客户端新建的", category_code="205", provider_org_id=1,
        region_code="330000000000", format="spreadsheet", sharing_type="unconditional",
        open_type="unconditional", update_cycle="yearly", items=(ItemDraft("活动名称", "C"),)))
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 301, timeout=2_000)
    assert time.monotonic() - started < 2.0
    assert w.runner.errors == []
    w.close()
    assert w.listener is None  # closing the window stops listening
