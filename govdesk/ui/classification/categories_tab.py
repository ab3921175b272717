"""The category tree (类/项/目/细目): add, rename and remove categories."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.search.browse import category_tree
from govdesk.catalog.classification.categories import add_category, remove_category, rename_category
from govdesk.catalog.dto import CategoryNode
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner


class CategoryDialog(QDialog):
    """Code and name of a new category (the code starts with the parent's), or a new name."""

    def __init__(self, parent_code: str | None, code: str = "", name: str = "",
                 rename: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename category") if rename else self.tr("New category"))
        self.code = QLineEdit(code or (parent_code or ""))
        self.code.setAccessibleName(self.tr("Category code"))
        self.code.setReadOnly(rename)
        self.name = QLineEdit(name)
        self.name.setAccessibleName(self.tr("Category name"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of top category"))
        for code_ in vocab.CATEGORY_KIND.codes:
            self.kind.addItem(term(vocab.CATEGORY_KIND, code_), code_)
        form = QFormLayout(self)
        form.addRow(self.tr("&Code:"), self.code)
        form.addRow(self.tr("&Name:"), self.name)
        if parent_code is None and not rename:
            form.addRow(self.tr("&Kind:"), self.kind)
        hint = QLabel(self.tr("类 1 digit, 项 2 more, 目 3 more, 细目 1–3 more; a code cannot "
                              "change once resources use it."))
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        (self.name if rename else self.code).setFocus()


class CategoriesTab(QWidget):
    """The tree with counts, and edit buttons for security administrators."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Categories"))
        self.tree.setHeaderLabels([self.tr("Category"), self.tr("Kind"), self.tr("Resources")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        edit = who.can(Op.CLASSIFICATION_EDIT)
        self.add_top_button = QPushButton(self.tr("New &top category…"))
        self.add_child_button = QPushButton(self.tr("New &sub-category…"))
        self.rename_button = QPushButton(self.tr("Re&name…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        row = QHBoxLayout()
        for b, name, slot in (
                (self.add_top_button, self.tr("Add a top category"), self.add_top),
                (self.add_child_button, self.tr("Add a sub-category to the selected one"),
                 self.add_child),
                (self.rename_button, self.tr("Rename the selected category"), self.rename),
                (self.remove_button, self.tr("Remove the selected category"), self.remove)):
            b.setAccessibleName(name)
            b.setEnabled(edit)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        #: tests answer dialogs through this: a function of the dialog returning accepted
        self.confirm: Callable[[CategoryDialog], bool] = \
            lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted

    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: category_tree(db, who), self._fill)

    def _fill(self, roots: tuple[CategoryNode, ...]) -> None:
        selected = self.selected()
        self.tree.clear()

        def add(parent: QTreeWidget | QTreeWidgetItem, node: CategoryNode) -> None:
            item = QTreeWidgetItem(parent, [f"{node.code} {node.name}",
                                            term(vocab.CATEGORY_KIND, node.kind),
                                            str(node.resource_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, (node.code, node.name))
            for kid in node.children:
                add(item, kid)
            if node.code == (selected[0] if selected else None):
                self.tree.setCurrentItem(item)

        for root in roots:
            add(self.tree, root)
        self.tree.expandToDepth(0)

    def selected(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _done(self, _result: object) -> None:
        """A change went through; the area reloads this tab from the change bus."""

    def add_top(self) -> None:
        self._add(None)

    def add_child(self) -> None:
        sel = self.selected()
        if sel:
            self._add(sel[0])

    def _add(self, parent_code: str | None) -> None:
        dialog = CategoryDialog(parent_code, parent=self)
        if not self.confirm(dialog):
            return
        db, who = self.db, self.who
        code, name, kind = dialog.code.text().strip(), dialog.name.text(), dialog.kind.currentData()
        self.runner.run(lambda: add_category(db, who, code, name, parent_code, kind), self._done)

    def rename(self) -> None:
        sel = self.selected()
        if not sel:
            return
        dialog = CategoryDialog(None, sel[0], sel[1], rename=True, parent=self)
        if not self.confirm(dialog):
            return
        db, who, code, name = self.db, self.who, sel[0], dialog.name.text()
        self.runner.run(lambda: rename_category(db, who, code, name), self._done)

    def remove(self) -> None:
        sel = self.selected()
        if sel:
            db, who, code = self.db, self.who, sel[0]
            self.runner.run(lambda: remove_category(db, who, code), self._done)
