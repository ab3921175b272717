"""The resource editor: every standard field, the data-items table, undo/redo, validation
messages in place, and the conflict dialog when someone saved first.

Undo works on whole-form snapshots: each user action (a field edited, an item added, removed,
moved or changed) pushes one :class:`SnapshotCommand` holding the draft before and after, so
undo and redo restore exactly what the user saw.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.editing.resources import (
    EditConflict,
    EditorChoices,
    ItemDraft,
    ResourceDraft,
    SaveResult,
    ValidationFailed,
    save_resource,
)
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.catalog.conflict import ConflictDialog
from govdesk.ui.catalog.item_cells import ITEM_COLUMNS, ItemsTable
from govdesk.ui.i18n import current_language, term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.regions import region_name

__all__ = ["ITEM_COLUMNS", "ConflictDialog", "ResourceEditor"]


class SnapshotCommand(QUndoCommand):
    """One user action: the whole draft before and after it."""

    def __init__(self, editor: ResourceEditor, before: ResourceDraft, after: ResourceDraft,
                 text: str, merge_id: int = -1) -> None:
        super().__init__(text)
        self.editor, self.before, self.after = editor, before, after
        self.merge_id = merge_id

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Typing in the summary is one action until another kind of edit happens."""
        if not isinstance(other, SnapshotCommand) or other.merge_id != self.merge_id:
            return False
        self.after = other.after
        return True

    def undo(self) -> None:
        self.editor.show_draft(self.before)

    def redo(self) -> None:
        self.editor.show_draft(self.after)


class ResourceEditor(QDialog):
    """Edit one resource (``resource_id`` None: a new one). ``saved`` holds the result."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 choices: EditorChoices, draft: ResourceDraft, resource_id: int | None = None,
                 base_version: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.resource_id, self.base_version = resource_id, base_version
        self.choices = choices
        self.saved: SaveResult | None = None
        self.conflict: EditConflict | None = None
        self.setWindowTitle(self.tr("New resource") if resource_id is None
                            else self.tr("Edit %1").replace("%1", draft.code))
        self.setAccessibleName(self.windowTitle())
        self.undo_stack = QUndoStack(self)
        self._loading = False
        self._shown = draft
        self._build()
        self.show_draft(draft)

    # -- layout ------------------------------------------------------------------------------
    def _combo(self, pairs: list[tuple[Any, str]], optional: bool = False) -> QComboBox:
        combo = QComboBox()
        if optional:
            combo.addItem(self.tr("(none)"), None)
        for value, label in pairs:
            combo.addItem(label, value)
        combo.activated.connect(lambda _i: self._committed(self.tr("Change a field")))
        return combo

    def _vocab_combo(self, v: vocab.Vocabulary, optional: bool = False) -> QComboBox:
        return self._combo([(c, term(v, c)) for c in v.codes], optional)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addLayout(self._build_items())
        layout.addWidget(self.items, 1)
        self.problems = QListWidget()
        self.problems.setAccessibleName(self.tr("Problems to fix before saving"))
        self.problems.setMaximumHeight(90)
        self.problems.hide()
        layout.addWidget(self.problems)
        layout.addWidget(self._build_buttons())
        self.resize(900, 860)

    def _build_fields(self) -> None:
        """The editors of the resource's own fields, each recording an undo step."""
        c = self.choices
        self.code = QLabel()
        self.name = QLineEdit()
        self.category = self._combo(list(c.categories))
        self.provider = self._combo([
            (oid, name + self.tr(" (deactivated)") if oid in c.inactive_organisations else name)
            for oid, name in c.organisations])
        self.region = QLineEdit()
        self.region_name = QLabel()  # 杭州市 beside 330100000000
        self.region_name.setAccessibleName(self.tr("Region name"))
        self.region.textChanged.connect(lambda t: self.region_name.setText(region_name(t)
                                                                           if t != region_name(t)
                                                                           else ""))
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(70)
        self.format = self._vocab_combo(vocab.RESOURCE_FORMAT)
        self.sharing_type = self._vocab_combo(vocab.SHARING_TYPE)
        self.sharing_condition = QLineEdit()
        self.sharing_basis = QLineEdit()
        self.sharing_method = self._vocab_combo(vocab.SHARING_METHOD, optional=True)
        self.open_type = self._vocab_combo(vocab.OPEN_TYPE)
        self.open_condition = QLineEdit()
        self.update_cycle = self._vocab_combo(vocab.UPDATE_CYCLE)
        self.has_publish_date = QCheckBox(self.tr("Published on"))
        self.publish_date = QDateEdit()
        self.publish_date.setCalendarPopup(True)
        self.publish_date.setDisplayFormat("yyyy-MM-dd")
        self.related = QLineEdit()
        self.related.setPlaceholderText(self.tr("codes separated by ;"))
        self.grade = self._combo(list(c.grades), optional=True)
        for edit in (self.name, self.region, self.sharing_condition, self.sharing_basis,
                     self.open_condition, self.related):
            edit.editingFinished.connect(lambda: self._committed(self.tr("Edit a field")))
        self.summary.textChanged.connect(lambda: self._committed(self.tr("Edit the summary"), 1))
        self.has_publish_date.toggled.connect(lambda _b: self._committed(self.tr("Change a field")))
        self.publish_date.editingFinished.connect(lambda: self._committed(self.tr("Change a field")))

    def _build_form(self) -> QFormLayout:
        self._build_fields()
        form = QFormLayout()
        rows = [
            (self.tr("Resource code:"), self.code), (self.tr("&Name:"), self.name),
            (self.tr("&Category:"), self.category), (self.tr("&Provider:"), self.provider),
            (self.tr("Re&gion code:"), self._pair(self.region, self.region_name)),
            (self.tr("Su&mmary:"), self.summary),
            (self.tr("&Format:"), self.format), (self.tr("Sharing type (&K):"), self.sharing_type),
            (self.tr("Sharing con&ditions:"), self.sharing_condition),
            (self.tr("&Basis for not sharing:"), self.sharing_basis),
            (self.tr("S&haring method:"), self.sharing_method),
            (self.tr("&Open data:"), self.open_type),
            (self.tr("Open cond&itions:"), self.open_condition),
            (self.tr("&Update cycle:"), self.update_cycle),
            (self.tr("Pub&lish date:"), self._pair(self.has_publish_date, self.publish_date)),
            (self.tr("&Related resources:"), self.related), (self.tr("Gr&ade:"), self.grade),
        ]
        for caption, widget in rows:
            label = QLabel(caption)
            label.setBuddy(widget)
            widget.setAccessibleName(caption.replace("&", "").rstrip(":："))
            form.addRow(label, widget)
        self.region.setAccessibleName(self.tr("Region code"))
        return form

    def _build_items(self) -> QHBoxLayout:
        """The data-items table (data type and grade chosen from lists) and its buttons."""
        self.items = ItemsTable(list(self.choices.grades), self.tr("(none)"))
        self.items.itemChanged.connect(lambda _i: self._committed(self.tr("Edit a data item")))
        self.add_item = QPushButton(self.tr("Add i&tem"))
        self.remove_item = QPushButton(self.tr("Remo&ve item"))
        self.up_item = QPushButton(self.tr("Mov&e up"))
        self.down_item = QPushButton(self.tr("Move do&wn"))
        self.add_item.clicked.connect(self._add_item)
        self.remove_item.clicked.connect(self._remove_item)
        self.up_item.clicked.connect(lambda: self._move_item(-1))
        self.down_item.clicked.connect(lambda: self._move_item(1))
        item_buttons = QHBoxLayout()
        for b in (self.add_item, self.remove_item, self.up_item, self.down_item):
            item_buttons.addWidget(b)
        item_buttons.addStretch(1)
        return item_buttons

    def _build_buttons(self) -> QDialogButtonBox:
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addAction(undo)
        self.addAction(redo)
        self.undo_button = QPushButton(self.tr("Undo (&Z)"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = QPushButton(self.tr("Redo (&Y)"))
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.redo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(a)
        row.addWidget(b)
        row.addStretch(1)
        holder.setFocusProxy(a)
        return holder

    # -- form <-> draft ----------------------------------------------------------------------
    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def show_draft(self, d: ResourceDraft) -> None:
        """Put ``d`` into the form (no undo entry)."""
        self._loading = True
        current = (self.items.currentRow(), self.items.currentColumn())
        try:
            self.code.setText(d.code or self.tr("(assigned when saved)"))
            self.name.setText(d.name)
            self._select(self.category, d.category_code)
            self._select(self.provider, d.provider_org_id)
            self.region.setText(d.region_code)
            if self.summary.toPlainText() != d.summary:
                self.summary.setPlainText(d.summary)
            self._select(self.format, d.format)
            self._select(self.sharing_type, d.sharing_type)
            self.sharing_condition.setText(d.sharing_condition or "")
            self.sharing_basis.setText(d.sharing_basis or "")
            self._select(self.sharing_method, d.sharing_method)
            self._select(self.open_type, d.open_type)
            self.open_condition.setText(d.open_condition or "")
            self._select(self.update_cycle, d.update_cycle)
            self.has_publish_date.setChecked(d.publish_date is not None)
            self.publish_date.setDate(
                QDate(d.publish_date.year, d.publish_date.month, d.publish_date.day)
                if d.publish_date else QDate.currentDate())
            self.related.setText("; ".join(d.related_codes))
            self._select(self.grade, d.grade_code)
            self.items.show_items(d.items)
            if 0 <= current[0] < self.items.rowCount():
                self.items.setCurrentCell(*current)
        finally:
            self._loading = False
        self._shown = d

    def draft(self) -> ResourceDraft:
        """What the form holds now."""
        items = self.items.read_items()
        qd = self.publish_date.date()
        return ResourceDraft(
            code=self._shown.code, name=self.name.text().strip(),
            category_code=self.category.currentData(), provider_org_id=self.provider.currentData(),
            region_code=self.region.text().strip(), summary=self.summary.toPlainText().strip(),
            format=self.format.currentData(), sharing_type=self.sharing_type.currentData(),
            sharing_condition=self.sharing_condition.text().strip() or None,
            sharing_basis=self.sharing_basis.text().strip() or None,
            sharing_method=self.sharing_method.currentData(),
            open_type=self.open_type.currentData(),
            open_condition=self.open_condition.text().strip() or None,
            update_cycle=self.update_cycle.currentData(),
            publish_date=dt.date(qd.year(), qd.month(), qd.day())
            if self.has_publish_date.isChecked() else None,
            related_codes=tuple(c.strip() for c in self.related.text().split(";") if c.strip()),
            grade_code=self.grade.currentData(), items=tuple(items))

    def _committed(self, text: str, merge_id: int = -1) -> None:
        """Record the form's current state as one undoable action (if anything changed)."""
        if self._loading:
            return
        after = self.draft()
        if after == self._shown:
            return
        before = self._shown
        self._shown = after
        command = SnapshotCommand(self, before, after, text, merge_id)
        self._loading = True
        try:
            self.undo_stack.push(command)  # push calls redo(): the form already shows it
        finally:
            self._loading = False

    # -- items -------------------------------------------------------------------------------
    def _add_item(self) -> None:
        d = self.draft()
        self._apply(dataclasses.replace(d, items=d.items + (ItemDraft("", "C"),)),
                    self.tr("Add a data item"))
        self.items.setCurrentCell(self.items.rowCount() - 1, 0)

    def _remove_item(self) -> None:
        row = self.items.currentRow()
        d = self.draft()
        if 0 <= row < len(d.items):
            self._apply(dataclasses.replace(d, items=d.items[:row] + d.items[row + 1:]),
                        self.tr("Remove a data item"))

    def _move_item(self, step: int) -> None:
        row = self.items.currentRow()
        d = self.draft()
        target = row + step
        if 0 <= row < len(d.items) and 0 <= target < len(d.items):
            items = list(d.items)
            items[row], items[target] = items[target], items[row]
            self._apply(dataclasses.replace(d, items=tuple(items)), self.tr("Move a data item"))
            self.items.setCurrentCell(target, 0)

    def _apply(self, after: ResourceDraft, text: str) -> None:
        before = self._shown
        self.undo_stack.push(SnapshotCommand(self, before, after, text))

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate and save in the background; problems and conflicts are shown in place."""
        d = self.draft()
        db, who, rid, base = self.db, self.who, self.resource_id, self.base_version
        self.runner.run(lambda: save_resource(db, who, d, resource_id=rid, base_version=base),
                        self._saved, on_error=self._failed)

    def _saved(self, result: SaveResult) -> None:
        self.saved = result
        self.accept()

    def _failed(self, error: BaseException) -> None:
        lang = "zh" if current_language() == "zh_CN" else "en"
        if isinstance(error, ValidationFailed):
            self.problems.clear()
            for p in error.problems:
                where = self.tr("Item %1: ").replace("%1", str(p.item)) if p.item else ""
                self.problems.addItem(where + p.text(lang))
            self.problems.show()
            self.problems.setFocus()
            return
        if isinstance(error, EditConflict):
            self.conflict = error
            dialog = ConflictDialog(error, self, dict(self.choices.grades),
                                    dict(self.choices.organisations))
            if dialog.exec() == QDialog.DialogCode.Accepted:
                if dialog.choice == "mine":
                    self.base_version = error.their_version
                    self.save()
                elif dialog.choice == "theirs":
                    self.show_draft(ResourceDraft.from_snapshot(error.theirs))
                    self.base_version = error.their_version
            return
        self.runner.report_error(error)
