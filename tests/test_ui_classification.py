"""GUI: the Classification area (schemes, suggestions, coverage, categories) and the
catalogue's bulk re-grade, offscreen with pytest-qt, as a security administrator."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from govdesk.catalog.classification.schemes import active_scheme
from govdesk.config import resources_dir
from govdesk.db.engine import Database
from govdesk.db.models import Category, DataItem, DataResource, Grade
from govdesk.demo.profile_sample import TRUTH, sample_rows
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.ui.app import create_application
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.classification.view import ClassificationView
from govdesk.ui.main_window import MainWindow
from ui_helpers import unnamed_controls

pytestmark = pytest.mark.gui

OFFICER = Identity("demo_secadmin", Role.SECADMIN, host="test")


@pytest.fixture
def window(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    QSettings().clear()
    w = MainWindow(sqlite_demo_db, OFFICER, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    w.show_area("classification")
    idle(qtbot, w)
    yield w
    w.runner.wait_idle()


def idle(qtbot, w: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not w.runner.busy, timeout=15_000)


def area(w: MainWindow) -> ClassificationView:
    view = w.areas["classification"]
    assert isinstance(view, ClassificationView)
    return view


def test_every_tab_opens_with_named_controls(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = area(window)
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        idle(qtbot, window)
        assert unnamed_controls(view) == [], view.tabs.tabText(i)
    assert window.runner.errors == []


def test_load_and_apply_a_province_scheme(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = area(window).schemes
    assert tab.tree.topLevelItemCount() == 1 and "（当前）" in tab.tree.topLevelItem(0).text(0)
    zhejiang = resources_dir() / "schemes" / "zhejiang-db33-2350.yaml"
    # 核心数据 -> L4 allows export: listed, and Apply waits for the confirmation
    tab.load_file(zhejiang, confirm=lambda dialog: dialog.apply_button.isEnabled())
    idle(qtbot, window)
    dialog = tab.last_plan
    assert dialog is not None and not dialog.apply_button.isEnabled()
    assert not dialog.loosenings.isHidden() and "核心数据" in dialog.loosenings.text()
    assert "允许导出" in dialog.loosenings.text()
    assert active_scheme(window.db, OFFICER).code == "GB/T 43697-2024"

    def confirm(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.confirm_loosening.setChecked(True)
        return dialog.apply_button.isEnabled()

    tab.load_file(zhejiang, confirm=confirm)
    idle(qtbot, window)
    dialog = tab.last_plan
    assert dialog is not None and dialog.changes.topLevelItemCount() == 6
    assert dialog.affected.topLevelItemCount() > 0
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 2, timeout=10_000)
    assert active_scheme(window.db, OFFICER).code == "DB33/T 2350-2021"
    assert "DB33/T 2350-2021" in tab.status.text()
    assert window.runner.errors == []


def test_a_bad_scheme_file_is_a_message(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: X\nname: 坏\ngrades:\n  - {code: A, name: 甲, rank: x}\n",
                   encoding="utf-8")
    area(window).schemes.load_file(bad, confirm=lambda _d: True)
    idle(qtbot, window)
    assert window.runner.errors and "grades[1]" in window.runner.errors[-1]
    assert active_scheme(window.db, OFFICER).code == "GB/T 43697-2024"


def _sample(tmp_path: Path) -> Path:
    columns = ["姓名", "公民身份号码", "联系电话", "scenario_code"]
    path = tmp_path / "样例.csv"
    names = list(TRUTH)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in sample_rows(200):
            w.writerow([r[names.index(c)] for c in columns])
    return path


def test_profile_queue_and_accept(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = window.db
    with db.session() as s:
        rid, code = s.execute(select(DataResource.id, DataResource.code).join(DataItem)
                              .where(DataItem.name == "联系电话")
                              .order_by(DataResource.code).limit(1)).one()
        item = s.scalar(select(DataItem).where(DataItem.resource_id == rid,
                                               DataItem.name == "联系电话"))
        assert item is not None
        item.grade_id = None
    view = area(window)
    view.tabs.setCurrentWidget(view.suggestions)
    tab = view.suggestions
    tab.resource.setText(code)
    tab.profile_file(_sample(tmp_path))
    idle(qtbot, window)
    rows = {tab.profile.topLevelItem(i).text(0): tab.profile.topLevelItem(i)
            for i in range(tab.profile.topLevelItemCount())}
    assert rows["公民身份号码"].text(1) == "公民身份号码" and rows["scenario_code"].text(1) == "—"
    assert "*" in rows["联系电话"].text(7) and "SC" in rows["scenario_code"].text(7)
    assert "数据质量得分" in tab.summary.text()
    assert tab.queue_button.isEnabled()
    tab.queue_current()
    idle(qtbot, window)
    queued = [tab.queue.topLevelItem(i) for i in range(tab.queue.topLevelItemCount())]
    phone = next(i for i in queued if i.text(2) == "联系电话")
    tab.queue.setCurrentItem(phone)
    tab.decide_selected(True)
    idle(qtbot, window)
    with db.session() as s:
        grade = s.scalar(select(Grade.code).join(DataItem, DataItem.grade_id == Grade.id)
                         .where(DataItem.resource_id == rid, DataItem.name == "联系电话"))
    assert grade == "general3"
    assert all(tab.queue.topLevelItem(i).text(2) != "联系电话"
               for i in range(tab.queue.topLevelItemCount()))
    assert window.runner.errors == []


def test_coverage_chart_and_lists(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = area(window)
    view.tabs.setCurrentWidget(view.coverage)
    idle(qtbot, window)
    tab = view.coverage
    assert "300 个资源中" in tab.totals.text()
    assert tab.table.topLevelItemCount() >= 3
    assert len(tab.plot.getPlotItem().items) == 2  # resources and items bars
    # the top level only, bars named by category (not codes), one level down on click/Enter
    data = tab.data
    assert data is not None
    assert [tab.table.topLevelItem(i).data(0, 256)
            for i in range(tab.table.topLevelItemCount())] == [r.key for r in data.level()]
    ticks = [label for _x, label in tab.plot.getAxis("bottom")._tickLevels[0]]
    assert ticks and not any(label.isdigit() for label in ticks)
    assert not tab.up_button.isEnabled() and tab.breadcrumb.text() == "全部分类"
    index = next(i for i, r in enumerate(tab.bars) if r.has_children)
    parent = tab.bars[index]
    tab.bar_clicked(index)
    assert tab.level_code == parent.key and tab.up_button.isEnabled()
    assert parent.label in tab.breadcrumb.text()
    assert tab.table.topLevelItemCount() == len(data.level(parent.key))
    tab.go_up()
    assert tab.level_code == "" and tab.table.topLevelItemCount() == len(data.level())
    row = next(i for i in range(tab.table.topLevelItemCount())
               if data.level()[i].has_children)
    tab.table.itemActivated.emit(tab.table.topLevelItem(row), 0)  # Enter on a row
    assert tab.level_code == data.level()[row].key
    tab.go_up()
    tab.by.setCurrentIndex(1)
    assert tab.table.topLevelItemCount() == len(tab.data.by_provider)  # type: ignore[union-attr]
    if tab.ungraded.topLevelItemCount():
        with qtbot.waitSignal(view.open_resource, timeout=2_000):
            tab.ungraded.itemActivated.emit(tab.ungraded.topLevelItem(0), 0)


def test_category_added_renamed_removed(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = area(window)
    view.tabs.setCurrentWidget(view.categories)
    idle(qtbot, window)
    tab = view.categories
    parent = next(tab.tree.topLevelItem(i).child(j) for i in range(tab.tree.topLevelItemCount())
                  for j in range(tab.tree.topLevelItem(i).childCount())
                  if tab.tree.topLevelItem(i).child(j).text(0).startswith("204 "))
    tab.tree.setCurrentItem(parent)

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.code.setText("204001")
        dialog.name.setText("残疾人两项补贴")
        return True

    tab.confirm = fill
    tab.add_child()
    idle(qtbot, window)
    with window.db.session() as s:
        assert s.scalar(select(Category.name).where(Category.code == "204001")) == "残疾人两项补贴"
    found = tab.tree.findItems("204001", Qt_MatchStartsWithRecursive())
    assert found
    tab.tree.setCurrentItem(found[0])
    tab.remove()
    idle(qtbot, window)
    with window.db.session() as s:
        assert s.scalar(select(Category.id).where(Category.code == "204001")) is None


def Qt_MatchStartsWithRecursive():  # type: ignore[no-untyped-def]  # noqa: N802
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive


def test_bulk_regrade_from_the_catalogue(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_area("catalog")
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 300 and catalog.grade.count() > 1,
                    timeout=10_000)
    idle(qtbot, window)
    assert catalog.regrade_button.isVisibleTo(catalog)
    selection = catalog.table.selectionModel()
    for row in (0, 1, 2):
        selection.select(catalog.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    ids = catalog.selected_ids()
    assert len(ids) == 3
    catalog.regrade_selected()
    dialog = catalog.regrade_dialog
    dialog.grade.setCurrentIndex(dialog.grade.findData("general1"))
    idle(qtbot, window)
    assert dialog.rows.topLevelItemCount() == 3
    if dialog.apply_button.isEnabled():
        dialog.apply()
        idle(qtbot, window)
    with window.db.session() as s:
        got = s.scalars(select(Grade.code).join(DataResource, DataResource.grade_id == Grade.id)
                        .where(DataResource.id.in_(ids))).all()
    kept = {dialog.rows.topLevelItem(i).text(0) for i in range(3)
            if dialog.rows.topLevelItem(i).text(4)}
    assert len(got) == 3 and (set(got) == {"general1"} or kept)
    assert window.runner.errors == []


def test_sample_export_asks_for_a_password_when_the_grade_requires(window: MainWindow, qtbot,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    import msoffcrypto

    from govdesk.db.models import ResourceSample

    with window.db.session() as s:
        code = s.scalar(select(DataResource.code).join(ResourceSample)
                        .join(Grade, Grade.id == DataResource.grade_id)
                        .where(Grade.export_encryption_required.is_(True),
                               Grade.export_allowed.is_(True)).limit(1))
    assert code
    window.show_area("catalog")
    catalog = window.areas["catalog"]
    assert isinstance(catalog, CatalogView)
    catalog.search_for(code)
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.code == code, timeout=10_000)
    idle(qtbot, window)
    asked: list[str] = []
    target = tmp_path / "out.xlsx"
    catalog.export_samples_to(target, ask_password=lambda why: asked.append(why) or "Pw-2026")
    qtbot.waitUntil(lambda: target.exists() and not window.runner.busy, timeout=10_000)
    assert asked and "加密导出" in asked[0]
    with open(target, "rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()
    assert "已加密" in catalog.count_label.text()
    assert window.runner.errors == []


def test_coverage_names_whole_and_totals_follow_the_level(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every bar's name is on the axis in full (pyqtgraph drops a label that does not fit its
    axis: all are drawn), the totals line and the ungraded list follow the drilled level, and
    the ungraded list's provider column holds whole names."""
    from PySide6.QtGui import QImage, QPainter

    window.resize(1280, 800)
    view = area(window)
    view.tabs.setCurrentWidget(view.coverage)
    idle(qtbot, window)
    tab = view.coverage
    data = tab.data
    assert data is not None

    def drawn() -> list[str]:
        axis = tab.plot.getAxis("bottom")
        image = QImage(10, 10, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            _axis, _ticks, texts = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        return [text for _rect, _flags, text in texts]

    for by in (1, 0):  # providers (the longest names), then categories
        tab.by.setCurrentIndex(by)
        qtbot.wait(50)
        names = [r.label for r in tab.bars]
        assert names and sorted(t.replace("\n", "") for t in drawn()) == sorted(names)
    top = data.total
    assert tab.totals.text().startswith(f"{top.resources:,} 个资源中")
    assert tab.ungraded.topLevelItemCount() == len(data.ungraded)
    parent = next(r for r in tab.bars if r.has_children and r.ungraded)
    tab.drill_into(parent.key)
    assert tab.totals.text().startswith(f"{parent.label}：{parent.resources:,} 个资源中")
    codes = data.subtree(parent.key)
    listed = [tab.ungraded.topLevelItem(i) for i in range(tab.ungraded.topLevelItemCount())]
    assert listed and len(listed) == min(parent.ungraded, len(data.ungraded_in(parent.key)))
    in_level = {u.code for u in data.ungraded if u.category in codes}
    assert {item.text(0) for item in listed} == in_level
    assert str(parent.ungraded) in tab.ungraded_label.text()
    qtbot.wait(50)
    assert sorted(t.replace("\n", "") for t in drawn()) == sorted(r.label for r in tab.bars)
    metrics = tab.ungraded.fontMetrics()
    widest = max(listed, key=lambda item: metrics.horizontalAdvance(item.text(2)))
    assert tab.ungraded.header().sectionSize(2) >= metrics.horizontalAdvance(widest.text(2))
    tab.go_up()
    assert tab.totals.text().startswith(f"{top.resources:,} 个资源中")
    assert tab.ungraded.topLevelItemCount() == len(data.ungraded)
