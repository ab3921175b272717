"""GUI: the access-matrix panel on both databases with the demo data, offscreen in zh_CN: the
page of cells, paging, filters, the explanation of the current cell (keyboard), the exports;
every control named, Chinese text; every database call through the runner."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QTableView,
    QWidget,
)

from access_world import build
from govdesk.db.engine import Database
from govdesk.ui.app import create_application
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing.matrix_panel import FIXED, MatrixPanel

pytestmark = pytest.mark.gui
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application("zh_CN")


def test_the_panel_on_both_databases(app: QApplication, qtbot: Any, demo_db: Database,
                                     accounts_for: Any, tmp_path: Path) -> None:
    w = build(demo_db)
    db, who = accounts_for(demo_db).login("secadmin", "330100", w.orgs["CDPF-330100"])
    runner = OperationRunner(show_errors=False)
    panel = MatrixPanel(db, who, runner)
    panel.page_size = 20  # 杭州市 holds 38 resources in the small demo
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    runner.wait_idle()
    for c in panel.findChildren(QWidget):
        if isinstance(c, (QAbstractButton, QLineEdit, QComboBox)) and \
                not isinstance(c.parent(), (QLineEdit, QComboBox, QTableView)) and \
                not c.objectName().startswith("qt_"):  # Qt's own parts
            assert c.accessibleName().strip(), type(c).__name__
            if isinstance(c, QAbstractButton) and c.text():
                assert CJK.search(c.text()), c.text()
    assert panel.matrix is not None and len(panel.matrix.rows) == 20
    assert panel.model.headerData(0, Qt.Orientation.Horizontal) == "资源代码"
    assert "第 1 页" in panel.status.text()
    panel.next_button.click()
    runner.wait_idle()
    assert "第 2 页" in panel.status.text() and panel.prev_button.isEnabled()

    panel.code.setText(w.code)
    panel.org_region.setText("3302")
    panel.apply_button.click()
    runner.wait_idle()
    assert [r.resource.code for r in panel.matrix.rows] == [w.code]
    col = FIXED + [o.code for o in panel.matrix.orgs].index("EDUCATION-330200")
    index = panel.model.index(0, col)
    assert panel.model.data(index) == "部分可读 2/" + str(len(w.items))
    assert "部分可读" in panel.model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    panel.table.setFocus()
    panel.table.setCurrentIndex(index)
    runner.wait_idle()
    assert panel.explanation is not None and panel.explanation.cell.reason == "some_items"
    text = panel.text.toPlainText()
    assert "授权 #" in text and "生效中" in text
    assert panel.items.topLevelItemCount() == len(w.items)
    assert panel.items.topLevelItem(3).text(4) == "申请时因分级被排除"
    qtbot.keyClick(panel.table, Qt.Key.Key_Right)  # the next organisation, by keyboard
    runner.wait_idle()
    assert panel.explanation is not None and panel.explanation.org.code != "EDUCATION-330200"

    panel.export_to(tmp_path / "m.json")
    runner.wait_idle()
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert [r["code"] for r in data["resources"]] == [w.code]
    panel.export_to(tmp_path / "m.xlsx")
    runner.wait_idle()
    assert (tmp_path / "m.xlsx").stat().st_size > 0 and "个资源写入" in panel.status.text()
    runner.close()
