"""GUI: the resource editor (fields, items, undo/redo, validation, conflicts) and history."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from govdesk.catalog.editing.resources import load_draft, save_resource
from govdesk.db.engine import Database
from govdesk.demo.users import DEMO_PASSWORD
from govdesk.security.auth import login_sqlite
from govdesk.ui.app import create_application
from govdesk.ui.catalog.editor import ConflictDialog, ResourceEditor
from govdesk.ui.catalog.view import CatalogView
from govdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def catalog(qapp: QApplication, qtbot, sqlite_demo_db: Database):  # type: ignore[no-untyped-def]
    create_application("zh_CN")
    who = login_sqlite(sqlite_demo_db, "demo_data_admin", DEMO_PASSWORD)
    w = MainWindow(sqlite_demo_db, who, show_errors=False)
    qtbot.addWidget(w)
    w.show()
    view = w.areas["catalog"]
    assert isinstance(view, CatalogView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 300 and view.detail.detail is not None
                    and not w.runner.busy, timeout=10_000)
    yield view
    w.runner.wait_idle()


def open_editor(view: CatalogView, qtbot, new: bool = False) -> ResourceEditor:  # type: ignore[no-untyped-def]
    view.editor = None  # type: ignore[assignment]
    (view.new_resource if new else view.edit_current)()
    qtbot.waitUntil(lambda: getattr(view, "editor", None) is not None, timeout=10_000)
    return view.editor


def type_into(line, text: str) -> None:  # type: ignore[no-untyped-def]
    line.setText(text)
    line.editingFinished.emit()


def test_create_a_resource(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(catalog, qtbot, new=True)
    type_into(editor.name, "浙江省残疾人家庭无障碍改造申请")
    editor.sharing_condition.setText("经审批后共享")
    editor.sharing_condition.editingFinished.emit()
    editor.items.item(0, 0).setText("申请人姓名")
    editor._add_item()
    editor.items.item(1, 0).setText("改造项目")
    with qtbot.waitSignal(editor.accepted, timeout=10_000):
        editor.save()
    assert editor.saved is not None and editor.saved.code.startswith("101/")
    qtbot.waitUntil(lambda: catalog.model.rowCount() == 301, timeout=10_000)


def test_undo_and_redo_restore_the_form(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(catalog, qtbot)
    original = editor.draft()
    type_into(editor.name, "改过的名称")
    editor._add_item()
    editor.items.item(editor.items.rowCount() - 1, 0).setText("新信息项")
    changed = editor.draft()
    assert changed.name == "改过的名称" and changed.items[-1].name == "新信息项"
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert editor.draft() == original
    while editor.undo_stack.canRedo():
        editor.undo_stack.redo()
    assert editor.draft() == changed
    editor.reject()


def test_validation_messages_in_place(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(catalog, qtbot)
    editor.sharing_type.setCurrentIndex(editor.sharing_type.findData("none"))
    editor.sharing_basis.setText("")
    editor.open_type.setCurrentIndex(editor.open_type.findData("conditional"))
    editor.open_condition.setText("申请")
    editor.save()
    qtbot.waitUntil(lambda: editor.problems.isVisible(), timeout=10_000)
    messages = [editor.problems.item(i).text() for i in range(editor.problems.count())]
    assert any("不予共享依据" in m for m in messages)
    assert any("不予开放" in m for m in messages)
    assert editor.saved is None
    editor.reject()


def test_conflict_shows_both_versions_and_takes_theirs(catalog: CatalogView, qtbot,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    editor = open_editor(catalog, qtbot)
    rid = editor.resource_id
    other = catalog.who  # the same account in another window: still a second edit
    theirs, version = load_draft(catalog.db, other, rid)
    save_resource(catalog.db, other, dataclasses.replace(theirs, summary="别人先保存的摘要"),
                  resource_id=rid, base_version=version)
    editor.summary.setPlainText("我的摘要")
    shown: dict[str, ConflictDialog] = {}

    def answer(dialog: ConflictDialog) -> int:
        shown["dialog"] = dialog
        dialog.choice = "theirs"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", answer)
    editor.save()
    qtbot.waitUntil(lambda: "dialog" in shown, timeout=10_000)
    table = shown["dialog"].table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 4)]
            for r in range(table.rowCount())}
    assert rows["摘要"][1:] == ["别人先保存的摘要", "我的摘要"]
    assert editor.draft().summary == "别人先保存的摘要" and editor.base_version == version + 1
    editor.reject()


def test_history_compares_and_reverts(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    rid = catalog.detail.detail.id
    draft, version = load_draft(catalog.db, catalog.who, rid)
    save_resource(catalog.db, catalog.who, dataclasses.replace(draft, summary="第二版"),
                  resource_id=rid, base_version=version)
    d2, v2 = load_draft(catalog.db, catalog.who, rid)
    save_resource(catalog.db, catalog.who, dataclasses.replace(d2, summary="第三版"),
                  resource_id=rid, base_version=v2)
    catalog.show_history()
    dialog = catalog.history
    qtbot.waitUntil(lambda: dialog.versions.count() == 3, timeout=10_000)  # 1 is the original
    dialog.versions.item(0).setSelected(True)
    dialog.versions.item(1).setSelected(True)
    qtbot.waitUntil(lambda: dialog.changes.rowCount() == 1, timeout=10_000)
    assert dialog.changes.item(0, 0).text() == "摘要"
    with qtbot.waitSignal(dialog.reverted, timeout=10_000):
        dialog.revert_to_older()
    assert load_draft(catalog.db, catalog.who, rid)[0].summary == "第二版"
    dialog.reject()


def test_workflow_buttons(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft

    rid = save_resource(catalog.db, catalog.who, ResourceDraft(
        name="按钮测试", category_code="205", provider_org_id=1, region_code="330000000000",
        format="spreadsheet", sharing_type="unconditional", open_type="unconditional",
        update_cycle="yearly", items=(ItemDraft("活动名称", "C"),))).resource_id
    catalog.search_for("按钮测试")
    qtbot.waitUntil(lambda: catalog.detail.detail is not None
                    and catalog.detail.detail.id == rid, timeout=10_000)
    assert catalog.submit_button.isEnabled() and not catalog.approve_button.isEnabled()
    catalog.submit_button.click()
    qtbot.waitUntil(lambda: catalog.detail.detail.status == "registration_review",
                    timeout=10_000)
    catalog.approve_button.click()  # the author may not approve: refused with a message
    qtbot.waitUntil(lambda: not catalog.runner.busy, timeout=10_000)
    assert "不能再审核" in catalog.runner.errors[-1]


def test_import_and_export_from_the_catalogue(catalog: CatalogView, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    catalog.export_file(out)
    qtbot.waitUntil(lambda: "out.xlsx" in catalog.count_label.text(), timeout=20_000)
    book = load_workbook(out)
    book["数据资源"]["B2"] = "从 Excel 修改的名称"
    book["信息项"]["D3"] = "不存在的类型"
    book.save(out)
    catalog.import_file(out)
    qtbot.waitUntil(lambda: getattr(catalog, "import_dialog", None) is not None, timeout=20_000)
    dialog = catalog.import_dialog
    assert not dialog.import_button.isEnabled() and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "3" and dialog.table.item(0, 2).text() == "数据类型"
    dialog.reject()
    book = load_workbook(out)
    book["信息项"]["D3"] = "字符型C"
    book.save(out)
    catalog.import_dialog = None
    catalog.import_file(out)
    qtbot.waitUntil(lambda: getattr(catalog, "import_dialog", None) is not None, timeout=20_000)
    dialog = catalog.import_dialog
    assert dialog.import_button.isEnabled() and "1" in dialog.summary.text()
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.confirm()
    assert dialog.result_report.written and dialog.result_report.updated == ["101/000001"]


def test_cancelled_import_writes_nothing(sqlite_demo_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from sqlalchemy import func, select

    from govdesk.catalog.excel.exporter import export_catalog
    from govdesk.catalog.excel.importer import import_catalog
    from govdesk.progress import Cancelled, Progress
    from govdesk.db.models import DataResource
    from govdesk.security.identity import Identity
    from govdesk.security.roles import Role

    who = Identity("x", Role.DATA_ADMIN, host="t")
    out = tmp_path / "c.xlsx"
    export_catalog(sqlite_demo_db, who, out)
    book = load_workbook(out)
    renamed = {}
    for row in book["数据资源"].iter_rows(min_row=2):  # 300 new resources under new codes
        renamed[row[0].value] = f"209/{900000 + row[0].row:06d}"
        row[0].value, row[2].value, row[15].value = renamed[row[0].value], "209", None
    for row in book["信息项"].iter_rows(min_row=2):
        row[0].value = renamed[row[0].value]
    book.save(out)
    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        import_catalog(sqlite_demo_db, who, out, progress=cancelled)
    with sqlite_demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(DataResource)) == 300
    report = import_catalog(sqlite_demo_db, who, out)
    assert report.written and len(report.inserted) == 300


def test_region_tree_and_filters_narrow_the_list(catalog: CatalogView, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: catalog.regions.topLevelItemCount() == 1
                    and catalog.grade.count() > 1, timeout=10_000)
    nation = catalog.regions.topLevelItem(0)
    catalog.regions.expandItem(nation)
    qtbot.waitUntil(lambda: nation.childCount() == 1, timeout=10_000)
    province = nation.child(0)
    catalog.regions.expandItem(province)
    qtbot.waitUntil(lambda: province.childCount() > 5, timeout=10_000)
    hz = next(province.child(i) for i in range(province.childCount())
              if province.child(i).text(0) == "杭州市")
    qtbot.waitUntil(lambda: not catalog.runner.busy, timeout=10_000)
    catalog.regions.setCurrentItem(hz)
    # wait for the list to settle: an earlier load may report first when the machine is busy
    qtbot.waitUntil(lambda: not catalog.runner.busy
                    and catalog.model.rowCount() == int(hz.text(1)), timeout=10_000)
    assert int(hz.text(1)) > 0
    catalog.sharing.setCurrentIndex(catalog.sharing.findData("unconditional"))
    qtbot.waitUntil(lambda: not catalog.runner.busy, timeout=10_000)
    rows = [catalog.model.row_at(r) for r in range(catalog.model.rowCount())]
    assert all(r.sharing_type == "unconditional" and r.region for r in rows)
