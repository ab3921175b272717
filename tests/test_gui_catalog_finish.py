"""GUI: the finished catalogue, audit and administration views (issue 13): labelled drop-downs
in the editor, Chinese field names in the history, actions enabled only when they apply, the
selection kept after a change and the status bar saying what was saved, the audit record
dialog, the add-user dialog keeping what was typed, readable category names."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QStyleOptionViewItem

from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, load_draft, save_resource
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import login_sqlite
from govdesk.ui.admin.view import AdminView
from govdesk.ui.app import create_application
from govdesk.ui.audit.detail import detail_pairs, detail_summary
from govdesk.ui.audit.view import AuditView
from govdesk.ui.catalog.editor import ResourceEditor
from govdesk.ui.catalog.item_cells import ITEM_COLUMNS
from govdesk.ui.catalog.trees import MIN_WIDTH
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.main_window import MainWindow
from gui_walk import raw_codes, settle

pytestmark = pytest.mark.gui


def window_for(qtbot, db: Database, username: str) -> MainWindow:  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    QSettings().clear()  # the default layout, not one a previous test saved
    w = MainWindow(db, login_sqlite(db, username, DEMO_PASSWORD), show_errors=False)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    return w


def catalog_of(qtbot, db: Database, username: str) -> CatalogView:  # type: ignore[no-untyped-def]
    w = window_for(qtbot, db, username)
    view = w.areas["catalog"]
    assert isinstance(view, CatalogView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 300 and view.detail.detail is not None
                    and view.grade.count() > 1, timeout=10_000)
    settle(qtbot, w)
    return view


@pytest.fixture
def catalog(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> Iterator[CatalogView]:  # type: ignore[no-untyped-def]
    view = catalog_of(qtbot, sqlite_demo_db, "demo_data_admin")
    yield view
    view.runner.wait_idle()


def open_editor(catalog: CatalogView, qtbot) -> ResourceEditor:  # type: ignore[no-untyped-def]
    catalog.edit_current()
    qtbot.waitUntil(lambda: catalog.editor is not None and catalog.editor.isVisible(),
                    timeout=10_000)
    editor = catalog.editor
    assert isinstance(editor, ResourceEditor)
    return editor


def test_editor_chooses_data_type_and_grade_from_labelled_lists(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(catalog, qtbot)
    assert not raw_codes(editor), raw_codes(editor)
    region = editor.draft().region_code
    assert editor.region_name.text() and editor.region_name.text() != region  # 浙江省 …
    type_col, grade_col = ITEM_COLUMNS.index("data_type"), ITEM_COLUMNS.index("grade_code")
    first = editor.draft().items[0]
    assert editor.items.item(0, type_col).text() == {
        "C": "字符型C", "N": "数值型N", "D": "日期型D"}.get(first.data_type,
                                                         editor.items.item(0, type_col).text())
    header = editor.items.horizontalHeader()
    for col in range(editor.items.columnCount()):  # the type header is not cut
        assert header.sectionSize(col) >= header.sectionSizeHint(col) or col == 0
    # the drop-down offers labels; choosing one stores the code
    index = editor.items.model().index(0, type_col)
    delegate = editor.items.itemDelegateForColumn(type_col)
    combo = delegate.createEditor(editor.items.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(combo, QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "日期型D" in labels and "D" not in labels
    combo.setCurrentIndex(combo.findData("D"))
    delegate.setModelData(combo, editor.items.model(), index)
    assert editor.draft().items[0].data_type == "D"
    assert editor.items.item(0, type_col).text() == "日期型D"
    assert editor.undo_stack.canUndo()
    grade_delegate = editor.items.itemDelegateForColumn(grade_col)
    grades = grade_delegate.createEditor(editor.items.viewport(), QStyleOptionViewItem(),
                                         editor.items.model().index(0, grade_col))
    assert isinstance(grades, QComboBox)
    names = [grades.itemText(i) for i in range(grades.count())]
    assert "general4" not in names and any("一般数据" in n for n in names), names
    grades.setCurrentIndex(grades.findData("general4"))
    grade_delegate.setModelData(grades, editor.items.model(), editor.items.model().index(0, grade_col))
    assert editor.draft().items[0].grade_code == "general4"
    assert "general4" not in editor.items.item(0, grade_col).text()
    editor.reject()


def test_history_names_fields_in_chinese_and_wraps(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    rid = catalog.detail.detail.id
    draft, version = load_draft(catalog.db, catalog.who, rid)
    items = (dataclasses.replace(draft.items[0], data_type="M"), *draft.items[1:])
    save_resource(catalog.db, catalog.who, dataclasses.replace(
        draft, summary="很长的摘要" * 40, sharing_type="none", sharing_basis="法律法规",
        items=items), resource_id=rid, base_version=version)
    catalog.show_history()
    dialog = catalog.history
    qtbot.waitUntil(lambda: dialog.versions.count() == 2, timeout=10_000)
    dialog.versions.item(0).setSelected(True)
    dialog.versions.item(1).setSelected(True)
    qtbot.waitUntil(lambda: dialog.changes.rowCount() >= 3, timeout=10_000)
    fields = {dialog.changes.item(r, 0).text(): r for r in range(dialog.changes.rowCount())}
    assert {"摘要", "共享类型", "数据类型"} <= set(fields), fields
    row = fields["共享类型"]
    assert dialog.changes.item(row, 3).text() == "不予共享"
    assert dialog.changes.item(fields["数据类型"], 3).text() == "备注型M"
    assert dialog.changes.wordWrap()
    assert not raw_codes(dialog), raw_codes(dialog)
    dialog.reject()


def _select_rows(catalog: CatalogView, rows: tuple[int, ...]) -> None:
    selection = catalog.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(catalog.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def test_actions_apply_only_to_a_selection(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    catalog.table.selectionModel().clearSelection()
    qtbot.waitUntil(lambda: catalog.detail.detail is None, timeout=10_000)
    for button in (catalog.edit_button, catalog.history_button, catalog.submit_button,
                   catalog.approve_button, catalog.return_button, catalog.regrade_button):
        assert not button.isEnabled(), button.text()
    _select_rows(catalog, (4,))
    qtbot.waitUntil(lambda: catalog.detail.detail is not None, timeout=10_000)
    assert catalog.edit_button.isEnabled() and catalog.history_button.isEnabled()
    assert catalog.regrade_button.isEnabled()
    published = catalog.detail.detail.status == "published"
    assert not (published and catalog.submit_button.isEnabled())


def test_submit_keeps_the_selection_and_says_so(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    rid = save_resource(catalog.db, catalog.who, ResourceDraft(
        name="选择保持测试", category_code="205", provider_org_id=1, region_code="330000000000",
        format="spreadsheet", sharing_type="unconditional", open_type="unconditional",
        update_cycle="yearly", items=(ItemDraft("活动名称", "C"),))).resource_id
    catalog.search_for("选择保持测试")
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.id == rid, timeout=10_000)
    catalog.submit_button.click()
    qtbot.waitUntil(lambda: catalog.detail.detail.status == "registration_review",
                    timeout=10_000)
    assert catalog.selected_ids() == [rid]
    bar = catalog.window().statusBar()
    assert "已提交审核" in bar.currentMessage(), bar.currentMessage()
    catalog.search_for("")
    qtbot.waitUntil(lambda: catalog.model.rowCount() > 1 and not catalog.runner.busy,
                    timeout=10_000)


def test_regrade_keeps_the_selection(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                     sqlite_demo_db: Database) -> None:
    catalog = catalog_of(qtbot, sqlite_demo_db, "demo_secadmin")  # who may re-grade
    _select_rows(catalog, (5, 6))
    ids = catalog.selected_ids()
    catalog.regrade_selected()
    dialog = catalog.regrade_dialog
    dialog.grade.setCurrentIndex(dialog.grade.findData("core"))
    qtbot.waitUntil(lambda: not catalog.runner.busy and dialog.apply_button.isEnabled(),
                    timeout=10_000)
    dialog.apply()
    qtbot.waitUntil(lambda: "重新定级" in catalog.window().statusBar().currentMessage(),
                    timeout=10_000)
    settle(qtbot, catalog.window())
    assert sorted(catalog.selected_ids()) == sorted(ids)
    catalog.runner.wait_idle()


def test_saving_in_the_editor_says_what_was_saved(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    _select_rows(catalog, (7,))
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.code == catalog.model.row_at(7).code,
                    timeout=10_000)
    code, rid = catalog.detail.detail.code, catalog.detail.detail.id
    editor = open_editor(catalog, qtbot)
    editor.summary.setPlainText("状态栏测试")
    editor.save()
    qtbot.waitUntil(lambda: editor.saved is not None, timeout=10_000)
    settle(qtbot, catalog.window())
    message = catalog.window().statusBar().currentMessage()
    assert code in message and "已保存" in message, message
    assert catalog.selected_ids() == [rid]


def test_category_names_are_readable_at_the_default_size(catalog: CatalogView) -> None:
    w = catalog.window()
    assert (w.width(), w.height()) == (1280, 800)
    tree = catalog.categories
    assert tree.width() >= MIN_WIDTH * 0.9  # the splitter's share of the default window
    metrics = tree.fontMetrics()
    top = tree.topLevelItem(0)
    for i in range(top.childCount()):  # the first level below 全部分类
        item = top.child(i)
        room = tree.columnWidth(0) - 2 * tree.indentation()
        assert metrics.horizontalAdvance(item.text(0)) <= room, item.text(0)


def test_audit_record_opens_formatted(qapp: QApplication, qtbot, sqlite_demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    w = window_for(qtbot, sqlite_demo_db, "demo_auditor")
    view = w.show_area("audit")  # the auditor's first area is Monitoring (issue 15)
    assert isinstance(view, AuditView)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view.model.row_at(0) is not None,
                    timeout=10_000)
    view.table.doubleClicked.emit(view.model.index(0, 0))
    dialog = view.record_dialog
    assert dialog is not None and dialog.isVisible()
    row = view.model.row_at(0)
    names = {row.username, row.object_id, row.client_host}  # data, not codes
    assert not raw_codes(dialog, lambda t: t in names), raw_codes(dialog, lambda t: t in names)
    assert "{" not in dialog.detail.toPlainText()
    header = view.table.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c)
               for c in range(header.count() - 1))
    dialog.reject()
    w.runner.wait_idle()


def test_audit_detail_reads_as_labelled_lines() -> None:
    create_application("zh_CN")
    pairs = detail_pairs('{"role": "data_admin", "region": "330100000000", "op": "UPDATE", '
                         '"rows": 3}')
    assert pairs == [("角色", "数据管理员"), ("行政区划", "杭州市"), ("操作", "修改"),
                     ("行数", "3")]
    assert detail_summary('{"from": "5", "to": "6"}') == "修改前：5；修改后：6"
    assert detail_pairs("not json") == [("", "not json")]
    assert detail_pairs(None) == []


def test_add_user_keeps_what_was_typed_when_refused(qapp: QApplication, qtbot,  # type: ignore[no-untyped-def]
                                                    sqlite_demo_db: Database) -> None:
    w = window_for(qtbot, sqlite_demo_db, "demo_sysadmin")
    view = w.areas["admin"]
    assert isinstance(view, AdminView)
    view._add()
    dialog = view.add_dialog
    dialog.username.setText("li_lei")
    dialog.display.setText("李雷")
    dialog.region.setText("330100")
    dialog.password.setText("short")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.problem.isVisible(), timeout=10_000)
    assert "至少需要 10 个字符" in dialog.problem.text()
    assert (dialog.username.text(), dialog.display.text(), dialog.region.text()) == (
        "li_lei", "李雷", "330100")
    dialog.password.setText("Li-Lei-Passw0rd!")
    dialog.accept()
    qtbot.waitUntil(lambda: any(u.username == "li_lei" for u in view.rows), timeout=10_000)
    assert not dialog.isVisible()
    assert "li_lei" in w.statusBar().currentMessage()
    row = next(i for i, u in enumerate(view.rows) if u.username == "li_lei")
    assert view.users.item(row, 3).text() == "杭州市"
    w.runner.wait_idle()


def test_no_model_index_leaks_from_an_empty_selection(catalog: CatalogView) -> None:
    """Re-grade with nothing selected does nothing (the button is disabled, the call too)."""
    catalog.table.selectionModel().clearSelection()
    catalog.regrade_selected()
    assert catalog.regrade_dialog is None
    assert isinstance(QModelIndex(), QModelIndex)
