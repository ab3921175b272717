"""The editor's data-items table. Cells that hold a code from a list (data type, grade) show
the label (字符型C, 一般数据4级), keep the code in ``Qt.UserRole`` and are edited with a
drop-down of the labels, so no one types ``C`` or ``general4``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.editing.resources import ItemDraft
from govdesk.ui.i18n import term
from govdesk.ui.widths import fit_headers

ITEM_COLUMNS = ("name", "data_type", "length", "description", "grade_code", "is_authoritative",
                "standard_code")
CODE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex


def choice_cell(code: str | None, pairs: Sequence[tuple[str | None, str]]) -> QTableWidgetItem:
    """A table cell showing the label of ``code`` among ``pairs`` (code, label)."""
    labels = dict(pairs)
    cell = QTableWidgetItem(labels.get(code, code or ""))
    cell.setData(CODE, code)
    return cell


def cell_code(cell: QTableWidgetItem | None) -> str | None:
    """The code a choice cell holds (None: empty)."""
    if cell is None:
        return None
    code = cell.data(CODE)
    return str(code) if code else None


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a choice cell with a drop-down of ``pairs`` (code, label); ``optional`` adds an
    empty first entry labelled ``none_label``."""

    def __init__(self, pairs: Sequence[tuple[str, str]], parent: QObject | None = None,
                 optional: bool = False, none_label: str = "") -> None:
        super().__init__(parent)
        self.pairs: list[tuple[str | None, str]] = ([(None, none_label)] if optional else [])
        self.pairs += list(pairs)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        for code, label in self.pairs:
            combo.addItem(label, code)
        combo.setAccessibleName(str(index.model().headerData(
            index.column(), Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(CODE))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        code: Any = editor.currentData()
        model.setData(index, code, CODE)
        model.setData(index, editor.currentText() if code is not None else "",
                      Qt.ItemDataRole.DisplayRole)


class ItemsTable(QTableWidget):
    """The data items of a draft, one row each; ``grades`` are the (code, name) choices."""

    def __init__(self, grades: Sequence[tuple[str, str]], none_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(0, len(ITEM_COLUMNS), parent)
        self.setAccessibleName(self.tr("Data items"))
        self.setHorizontalHeaderLabels([
            self.tr("Item name"), self.tr("Data type"), self.tr("Length"),
            self.tr("Description"), self.tr("Grade"), self.tr("Authoritative"),
            self.tr("Standard item code")])
        self.type_choices: list[tuple[str | None, str]] = [
            (c, term(vocab.DATA_TYPE, c)) for c in vocab.DATA_TYPE.codes]
        self.grade_choices: list[tuple[str | None, str]] = [(None, ""), *grades]
        self.setItemDelegateForColumn(ITEM_COLUMNS.index("data_type"), ChoiceDelegate(
            [(c, label) for c, label in self.type_choices if c], self))
        self.setItemDelegateForColumn(ITEM_COLUMNS.index("grade_code"), ChoiceDelegate(
            grades, self, optional=True, none_label=none_label))
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for key, pairs in (("data_type", self.type_choices), ("grade_code", self.grade_choices)):
            column = ITEM_COLUMNS.index(key)
            widest = max(metrics.horizontalAdvance(label) for _c, label in pairs)
            header.resizeSection(column, max(widest + 40, header.sectionSizeHint(column)))
        fit_headers(self)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

    def _cell(self, key: str, value: Any) -> QTableWidgetItem:
        if key == "data_type":
            return choice_cell(value, self.type_choices)
        if key == "grade_code":
            return choice_cell(value, self.grade_choices)
        cell = QTableWidgetItem()
        if key == "is_authoritative":
            cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            cell.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            cell.setText("" if value is None else str(value))
        return cell

    def show_items(self, items: Sequence[ItemDraft]) -> None:
        """One row per item (signals are the caller's business)."""
        self.setRowCount(len(items))
        for row, item in enumerate(items):
            for col, key in enumerate(ITEM_COLUMNS):
                self.setItem(row, col, self._cell(key, getattr(item, key)))

    def read_items(self) -> tuple[ItemDraft, ...]:
        """The items as the table holds them now."""
        items = []
        for row in range(self.rowCount()):
            cells = {key: self.item(row, col) for col, key in enumerate(ITEM_COLUMNS)}

            def text(key: str) -> str:
                cell = cells[key]
                return cell.text().strip() if cell else ""

            length = text("length")
            check = cells["is_authoritative"]
            items.append(ItemDraft(
                name=text("name"), data_type=cell_code(cells["data_type"]) or "",
                length=int(length) if length.isdigit() else (length or None),
                description=text("description") or None,
                grade_code=cell_code(cells["grade_code"]),
                is_authoritative=bool(check and check.checkState() == Qt.CheckState.Checked),
                standard_code=text("standard_code") or None))
        return tuple(items)
