"""GUI: the main window and the catalogue browser, offscreen with pytest-qt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.ui.app import create_application
from govdesk.ui.catalog.model import PAGE_SIZE, ResourceTableModel
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.main_window import MainWindow
from govdesk.ui.ops import OperationRunner
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui

#: a province-wide data administrator
WHO = Identity("demo_data_admin", Role.DATA_ADMIN, host="test")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


@pytest.fixture
def window(app: QApplication, qtbot, demo_db: Database) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    QSettings().clear()
    w = MainWindow(demo_db, WHO, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    catalog = w.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 300 and not w.runner.busy, timeout=10_000)
    yield w
    w.runner.wait_idle()


def idle(qtbot, w: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not w.runner.busy, timeout=10_000)


def all_rows(qtbot, w: MainWindow, model: ResourceTableModel) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Every row the model shows, pages fetched from SQL as a scrolling user would."""
    for r in range(0, model.rowCount(), PAGE_SIZE):
        model.row_at(r)
    idle(qtbot, w)
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert None not in rows
    return rows


def test_model_passes_qtmodeltester(app: QApplication, qtbot, qtmodeltester, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    runner = OperationRunner(show_errors=False)
    model = ResourceTableModel(demo_db, WHO, runner)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 300
    assert model.row_at(299) is None  # not fetched yet: its page is requested now
    assert runner.wait_idle()
    assert model.row_at(299) is not None
    qtmodeltester.check(model)


def test_catalogue_lists_pages_and_shows_details(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    assert catalog.count_label.text() == "共 300 个资源"
    qtbot.waitUntil(lambda: catalog.detail.detail is not None, timeout=10_000)
    first = catalog.model.row_at(0)
    assert first is not None and catalog.detail.detail.code == first.code
    assert catalog.detail.values["code"].text() == first.code
    assert catalog.detail.items.rowCount() == len(catalog.detail.detail.items) >= 5
    # a row on the last page comes from SQL on demand
    catalog.table.scrollToBottom()
    catalog.model.row_at(299)
    idle(qtbot, window)
    assert catalog.model.row_at(299) is not None


def test_search_and_status_filter(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    with qtbot.waitSignal(catalog.model.loaded, timeout=10_000):
        catalog.search.setText("康复")  # as an input method commits it (QTest types ASCII only)
    idle(qtbot, window)
    shown = catalog.model.rowCount()
    assert 0 < shown < 300
    from govdesk.catalog.search.browse import get_resource

    for row in all_rows(qtbot, window, catalog.model):
        d = get_resource(window.db, WHO, row.id)
        assert any("康复" in text for text in (d.name, d.summary, *(i.name for i in d.items)))
    with qtbot.waitSignal(catalog.model.loaded, timeout=10_000):
        catalog.status.setCurrentIndex(catalog.status.findData("draft"))
    idle(qtbot, window)
    assert catalog.model.rowCount() <= shown
    assert {r.status for r in all_rows(qtbot, window, catalog.model)} == {"draft"}


def test_common_search_shows_at_once_then_counts(window: MainWindow, qtbot,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A search matching more than the cap lists its first page with "more than N" and then
    the exact count, growing the list to every match."""
    from govdesk.catalog.search import browse, matching

    monkeypatch.setattr(matching, "MATCH_CAP", 20)
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    seen: list[str] = []
    catalog.model.loaded.connect(lambda _n: seen.append(catalog.count_label.text()))
    catalog.search_for("康复")
    qtbot.waitUntil(lambda: catalog.model.count_exact and len(seen) >= 2, timeout=10_000)
    idle(qtbot, window)
    exact = browse.count_resources(window.db, WHO, browse.ResourceFilter(text="康复"))
    assert exact > 20
    assert seen[0] == "超过 20 个资源（正在统计…）"
    assert seen[-1] == f"共 {exact} 个资源" and catalog.model.rowCount() == exact
    assert len(all_rows(qtbot, window, catalog.model)) == exact


def test_category_tree_narrows_the_list(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    root = catalog.categories.topLevelItem(0)
    shared = next(root.child(i) for i in range(root.childCount())
                  if root.child(i).data(0, Qt.ItemDataRole.UserRole) == "3")
    with qtbot.waitSignal(catalog.model.loaded, timeout=10_000):
        catalog.categories.setCurrentItem(shared)
    assert catalog.model.rowCount() == int(shared.text(1))
    idle(qtbot, window)
    assert all(r.code.startswith("3") for r in all_rows(qtbot, window, catalog.model))


def test_header_click_sorts_in_sql(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    with qtbot.waitSignal(catalog.model.loaded, timeout=10_000):
        catalog.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert catalog.model.filter.sort == "code" and catalog.model.filter.descending
    idle(qtbot, window)
    codes = [r.code for r in all_rows(qtbot, window, catalog.model)]
    assert codes == sorted(codes, reverse=True)


def test_keyboard_navigation(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    window.activateWindow()
    catalog.table.setFocus()
    qtbot.keySequence(catalog, "Ctrl+F")
    assert catalog.search.hasFocus() or QApplication.focusWidget() is catalog.search
    catalog.table.setFocus()
    catalog.table.selectRow(0)
    qtbot.keyClick(catalog.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.code == catalog.model.row_at(1).code, timeout=10_000)


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    assert unnamed_controls(window) == []


def test_layout_is_saved_and_restored(app: QApplication, qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    QSettings().clear()
    first = MainWindow(demo_db, WHO, show_errors=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 540)  # within the offscreen screen (800x600)
    first.runner.wait_idle()
    first.close()
    assert QSettings().value("window/geometry") is not None
    assert QSettings().value("window/area") == "catalog"
    second = MainWindow(demo_db, WHO, show_errors=False)
    qtbot.addWidget(second)
    assert second.size().width() == 760 and second.size().height() == 540
    second.runner.wait_idle()


def test_english_interface(app: QApplication, qtbot, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    create_application("en")
    try:
        w = MainWindow(demo_db, WHO, show_errors=False)
        qtbot.addWidget(w)
        assert w.nav.item(0).text() == "Catalogue"
        assert w.areas["catalog"].status.itemText(1) == "Draft"
        w.runner.wait_idle()
    finally:
        create_application("zh_CN")
    w2 = MainWindow(demo_db, WHO, show_errors=False)
    qtbot.addWidget(w2)
    assert w2.nav.item(0).text() == "数据资源目录"
    assert w2.areas["catalog"].status.itemText(1) == "草稿"
    w2.runner.wait_idle()


def test_errors_become_messages(app: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    from govdesk.errors import ConflictError

    runner = OperationRunner(show_errors=False)

    def fail() -> None:
        raise ConflictError("有人已修改此记录")

    runner.run(fail, lambda _r: None)
    assert runner.wait_idle()
    assert runner.errors == ["有人已修改此记录"]


def test_the_progress_dialog_follows_the_operation_and_cancels_it(app: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from govdesk.progress import Cancelled, Progress

    runner = OperationRunner(show_errors=False)
    started, failures = threading.Event(), []

    def work(progress: Progress) -> None:
        progress.report(0.25, "第一步")
        started.set()
        for _ in range(2_000):  # until the dialog's Cancel reaches the next report
            progress.report(0.5)
            threading.Event().wait(0.01)

    ctx = runner.run(work, lambda _r: None, on_error=failures.append, with_context=True,
                     label="导入中…")
    qtbot.waitUntil(lambda: started.is_set() and runner._pending and
                    next(iter(runner._pending.values())).dialog is not None, timeout=5_000)
    dialog = next(iter(runner._pending.values())).dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() == 500, timeout=5_000)
    assert dialog.labelText() == "导入中…\n第一步"
    from PySide6.QtWidgets import QPushButton

    dialog.findChild(QPushButton).click()  # 取消
    assert runner.wait_idle()
    assert ctx.cancelled and len(failures) == 1 and isinstance(failures[0], Cancelled)

    def cancelled_at_once(progress: Progress) -> None:
        progress.cancel()
        progress.report(1.0)

    runner.run(cancelled_at_once, lambda _r: None, with_context=True)
    assert runner.wait_idle()
    assert runner.errors == []  # a cancel is what the user asked for: no message


def test_selftest_opens_every_view(app: QApplication, demo_db: Database, tmp_path: Path) -> None:
    from govdesk.ui.selftest import run_selftest

    result = run_selftest(demo_db.url, str(tmp_path / "shots"), lang="zh_CN")
    assert result.ok, result.views
    assert [Path(v.screenshot).name for v in result.views] == [
        "catalog.png", "classification.png", "classification-suggestions.png",
        "classification-coverage.png", "classification-categories.png", "authority.png",
        "sharing.png", "sharing-all.png", "sharing-alerts.png", "sharing-matrix.png", "audit.png", "monitoring.png",
        "monitoring-access_review.png", "monitoring-alerts.png", "monitoring-rules.png",
        "security_policy.png", "admin.png"]
    assert (tmp_path / "shots" / "catalog.png").stat().st_size > 10_000


def test_selftest_reports_a_database_it_cannot_open(app: QApplication, empty_db: Database) -> None:
    from govdesk.ui.selftest import run_selftest

    result = run_selftest(empty_db.url)
    assert not result.ok and "govdesk db upgrade" in result.views[0].error
