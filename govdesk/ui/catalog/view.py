"""The Catalogue area: search and filters, category tree, paged list, detail pane."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from govdesk import vocab
from govdesk.catalog.search.browse import category_tree, get_resource
from govdesk.catalog.dto import CategoryNode, ResourceDetail
from govdesk.catalog.profiling.samples import SampleTable, sample_rows
from govdesk.changes import CATEGORIES, GRADES, RESOURCES, Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView
from govdesk.ui.catalog.detail import ResourceDetailPane
from govdesk.ui.catalog.model import PAGE_SIZE, ResourceTableModel
from govdesk.ui.i18n import error_text, term


class CatalogView(AreaView):
    """Browse the data-resource catalogue."""

    area_id = "catalog"
    required_op = Op.CATALOG_READ
    watches = frozenset({RESOURCES, CATEGORIES, GRADES})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.setObjectName("catalogView")

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search names, codes and summaries (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search the catalogue"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Workflow status filter"))
        self.status.addItem(self.tr("All statuses"), None)
        for code in vocab.WORKFLOW_STATUS.codes:
            self.status.addItem(term(vocab.WORKFLOW_STATUS, code), code)
        self.grade = QComboBox()
        self.grade.setAccessibleName(self.tr("Grade filter"))
        self.grade.addItem(self.tr("All grades"), None)
        self.sharing = QComboBox()
        self.sharing.setAccessibleName(self.tr("Sharing type filter"))
        self.sharing.addItem(self.tr("All sharing types"), None)
        for code in vocab.SHARING_TYPE.codes:
            self.sharing.addItem(term(vocab.SHARING_TYPE, code), code)
        self.cycle = QComboBox()
        self.cycle.setAccessibleName(self.tr("Update cycle filter"))
        self.cycle.addItem(self.tr("All update cycles"), None)
        for code in vocab.UPDATE_CYCLE.codes:
            self.cycle.addItem(term(vocab.UPDATE_CYCLE, code), code)
        self.provider = QComboBox()
        self.provider.setAccessibleName(self.tr("Provider filter"))
        self.provider.addItem(self.tr("All providers"), None)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of resources shown"))
        status_label = QLabel(self.tr("&Status:"))
        status_label.setBuddy(self.status)
        self.new_button = QPushButton(self.tr("&New…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.history_button = QPushButton(self.tr("Histor&y…"))
        self.import_button = QPushButton(self.tr("&Import Excel…"))
        self.export_button = QPushButton(self.tr("E&xport Excel…"))
        self.import_button.clicked.connect(self._choose_import)
        self.export_button.clicked.connect(self._choose_export)
        can_edit = self.who.can(Op.CATALOG_EDIT)
        self.submit_button = QPushButton(self.tr("S&ubmit for review"))
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.return_button = QPushButton(self.tr("Re&turn to draft"))
        self.submit_button.clicked.connect(lambda: self._workflow("submit"))
        self.approve_button.clicked.connect(lambda: self._workflow("approve"))
        self.return_button.clicked.connect(lambda: self._workflow("return"))
        self.new_button.clicked.connect(self.new_resource)
        self.edit_button.clicked.connect(self.edit_current)
        self.history_button.clicked.connect(self.show_history)
        self.regrade_button = QPushButton(self.tr("Re-&grade…"))
        self.regrade_button.setAccessibleName(self.tr("Give the selected resources one grade"))
        self.regrade_button.clicked.connect(self.regrade_selected)
        # a tool bar: what does not fit a narrow window (or a large font) moves into its »
        # overflow menu instead of widening the window
        actions = QToolBar(self.tr("Catalogue actions"))
        actions.setAccessibleName(self.tr("Catalogue actions"))
        can_review = self.who.can(Op.CATALOG_REVIEW)
        for button, shown in ((self.new_button, can_edit), (self.edit_button, can_edit),
                              (self.history_button, True), (self.submit_button, can_edit),
                              (self.approve_button, can_review), (self.return_button, can_review),
                              (self.regrade_button, self.who.can(Op.CLASSIFICATION_EDIT)),
                              (self.import_button, can_edit), (self.export_button, True)):
            actions.addWidget(button).setVisible(shown)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(status_label)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.count_label)
        filters = QHBoxLayout()
        for combo in (self.grade, self.sharing, self.cycle, self.provider):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda _i: self._apply_filter())

        self.categories = QTreeWidget()
        self.categories.setHeaderLabels([self.tr("Category"), self.tr("Resources")])
        self.categories.setAccessibleName(self.tr("Category tree"))
        self.categories.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.categories.header().setStretchLastSection(False)

        self.model = ResourceTableModel(self.db, self.who, self.runner, self)
        self.table = QTableView()
        self.table.setObjectName("catalogTable")
        self.table.setAccessibleName(self.tr("Catalogue resources"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # several rows for a bulk re-grade (Shift/Ctrl); the detail shows the first
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(1, 320)
        self.table.setAlternatingRowColors(True)

        self.detail = ResourceDetailPane()
        # asks why personal data is to be unmasked (None = cancelled); tests replace it
        self.ask_unmask_reason: Callable[[], str | None] = self._ask_unmask_reason
        if self.who.can(Op.SAMPLES_READ):
            self.detail.enable_samples(self.who.can(Op.PERSONAL_DATA_UNMASKED))
            self.detail.unmask_button.clicked.connect(lambda: self._load_samples(unmask=True))
            self.detail.export_samples_button.clicked.connect(self._choose_samples_export)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("catalogSplitter")
        self.regions = QTreeWidget()
        self.regions.setHeaderLabels([self.tr("Region"), self.tr("Resources")])
        self.regions.setAccessibleName(self.tr("Region tree"))
        self.regions.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.regions.header().setStretchLastSection(False)
        self.regions.itemExpanded.connect(self._expand_region)
        self.regions.currentItemChanged.connect(lambda *_a: self._apply_filter())
        trees = QSplitter(Qt.Orientation.Vertical)
        trees.setObjectName("catalogTreesSplitter")
        trees.addWidget(self.categories)
        trees.addWidget(self.regions)
        self.splitter.addWidget(trees)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("catalogRightSplitter")
        right.addWidget(self.table)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)

        layout = QVBoxLayout(self)
        layout.addWidget(actions)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self._apply_filter)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(120)
        self._detail_timer.timeout.connect(self._load_detail)
        self._detail_request = 0
        #: after a change: the resource to select again once the list has reloaded
        self._keep_selected: list[int] = []
        self._reselect: dict[QComboBox, Any] = {}

        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filter)
        self.status.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.categories.currentItemChanged.connect(lambda *_a: self._apply_filter())
        self.model.loaded.connect(self._on_loaded)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.search.setFocus)
        find.setWhatsThis(self.tr("Search the catalogue"))  # listed under Help → Keyboard shortcuts
        if can_edit:
            self.table.activated.connect(lambda _i: self.edit_current())

    def area_title(self) -> str:
        return self.tr("Catalogue")

    def refresh(self) -> None:
        from govdesk.catalog.search.browse import region_children
        from govdesk.catalog.editing.resources import editor_choices

        db, who = self.db, self.who
        self.runner.run(lambda: category_tree(db, who), self._fill_categories)
        if self.grade.count() <= 1:  # value lists load once; the catalogue reloads each time
            self.runner.run(lambda: editor_choices(db, who), self._fill_choices)
        if self.regions.topLevelItemCount() == 0:
            self.runner.run(lambda: region_children(db, who, None), self._fill_regions)
        self.model.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """Resources, categories or grades changed (here or in another client): reload the
        trees and the list, keep the selected resource selected where it still shows, and
        reload the value lists when the grades changed."""
        self._keep_selected = self.selected_ids()[:1]
        if changes.affects(GRADES):
            self._reload_choices()
        self.refresh()

    def _reload_choices(self) -> None:
        for combo in (self.grade, self.provider):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            combo.blockSignals(False)
            self._reselect[combo] = current

    # -- filters -------------------------------------------------------------------------
    def _fill_categories(self, roots: tuple[CategoryNode, ...]) -> None:
        current = self.categories.currentItem()
        selected = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        self.categories.blockSignals(True)
        self.categories.clear()
        everything = QTreeWidgetItem([self.tr("All categories"),
                                      str(sum(r.resource_count for r in roots))])
        everything.setData(0, Qt.ItemDataRole.UserRole, None)
        self.categories.addTopLevelItem(everything)

        def add(parent: QTreeWidgetItem, node: CategoryNode) -> None:
            item = QTreeWidgetItem(parent, [f"{node.code} {node.name}", str(node.resource_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, node.code)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if node.code == selected:
                self.categories.setCurrentItem(item)
            for child in node.children:
                add(item, child)

        for root in roots:
            add(everything, root)
        everything.setExpanded(True)
        if self.categories.currentItem() is None:
            self.categories.setCurrentItem(everything)
        self.categories.blockSignals(False)

    def _apply_filter(self) -> None:
        item = self.categories.currentItem()
        region = self.regions.currentItem()
        self.model.set_filter(dataclasses.replace(
            self.model.filter, text=self.search.text(),
            category_code=item.data(0, Qt.ItemDataRole.UserRole) if item else None,
            region_code=region.data(0, Qt.ItemDataRole.UserRole) if region else None,
            status=self.status.currentData(), grade_code=self.grade.currentData(),
            sharing_type=self.sharing.currentData(), update_cycle=self.cycle.currentData(),
            provider_org_id=self.provider.currentData(),
        ))

    # -- region tree and value lists ------------------------------------------------------
    def _fill_choices(self, choices: Any) -> None:
        for combo, pairs in ((self.grade, choices.grades), (self.provider, choices.organisations)):
            if combo.count() > 1:
                continue
            combo.blockSignals(True)
            for value, label in pairs:
                combo.addItem(label, value)
            wanted = self._reselect.pop(combo, None)
            if wanted is not None and combo.findData(wanted) > 0:
                combo.setCurrentIndex(combo.findData(wanted))
            combo.blockSignals(False)

    def _region_item(self, parent: Any, node: Any) -> QTreeWidgetItem:
        item = QTreeWidgetItem([node.name, str(node.resource_count)])
        item.setData(0, Qt.ItemDataRole.UserRole, node.code)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        if node.has_children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        if parent is None:
            self.regions.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _fill_regions(self, nodes: list[Any]) -> None:
        self.regions.blockSignals(True)
        self.regions.clear()
        for node in nodes:
            self._region_item(None, node)
        self.regions.blockSignals(False)

    def _expand_region(self, item: QTreeWidgetItem) -> None:
        """Load a region's children the first time it is opened."""
        from govdesk.catalog.search.browse import region_children

        if item.childCount():
            return
        db, who, code = self.db, self.who, item.data(0, Qt.ItemDataRole.UserRole)

        def add(nodes: list[Any]) -> None:
            for node in nodes:
                self._region_item(item, node)
            if not nodes:
                item.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)

        self.runner.run(lambda: region_children(db, who, code), add)

    def search_for(self, text: str) -> None:
        """Search at once (no typing delay), e.g. when another area links to a resource."""
        self.search.setText(text)
        self._search_timer.stop()
        self._apply_filter()

    def _on_loaded(self, total: int) -> None:
        if self.model.count_exact:
            self.count_label.setText(self.tr("%n resource(s)", "", total))
        else:  # a capped first answer; the exact count follows
            self.count_label.setText(self.tr("More than %1 resources (counting…)")
                                     .replace("%1", f"{total - 1:,}"))
        keep, self._keep_selected = self._keep_selected, []
        if total and not self.table.selectionModel().hasSelection():
            rows = (self.model.row_at(r) for r in range(min(total, PAGE_SIZE)))
            self.table.selectRow(next((n for n, r in enumerate(rows)
                                       if r is not None and r.id in keep), 0))
        elif not total:
            self.detail.show_detail(None)

    # -- detail --------------------------------------------------------------------------
    def _on_selection(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._detail_timer.start()

    def _load_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is None:
            self.detail.show_detail(None)
            return
        self._detail_request += 1
        request, rid = self._detail_request, row.id

        def shown(d: ResourceDetail) -> None:
            if request == self._detail_request:
                self.detail.show_detail(d)
                self._update_workflow_buttons(d)
                if self.who.can(Op.SAMPLES_READ):
                    self._load_samples(unmask=False)

        db, who = self.db, self.who
        self.runner.run(lambda: get_resource(db, who, rid), shown)

    def _load_samples(self, unmask: bool) -> None:
        """Load the shown resource's sample rows (masked unless ``unmask``: then the user is
        asked for a reason first, and the view is audited with it)."""
        d = self.detail.detail
        if d is None:
            return
        reason = None
        if unmask:
            reason = self.ask_unmask_reason()
            if not reason:
                return
        db, who, rid, request = self.db, self.who, d.id, self._detail_request

        def shown(table: SampleTable) -> None:
            if request == self._detail_request:
                self.detail.show_samples(table)

        self.runner.run(lambda: sample_rows(db, who, rid, unmask=unmask, reason=reason), shown)

    def _ask_unmask_reason(self) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self, self.tr("Reason for the unmasked view"),
            self.tr("Personal data will be shown in full, and the view recorded in the audit "
                    "trail with your reason.") + "\n" + self.tr("Reason:"))
        return text.strip() if ok and text.strip() else None

    def _choose_samples_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        d = self.detail.detail
        if d is None:
            return
        name = f"{d.code.replace('/', '-')}-samples.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export sample rows"), name,
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_samples_to(Path(path))

    def export_samples_to(self, path: Path, password: str | None = None,
                          ask_password: Any = None) -> None:
        """Export the shown resource's sample rows to ``path`` as its grades allow. When a
        grade requires an encrypted file the user is asked for a password (``ask_password``
        replaces the dialog in tests) and the export runs again."""
        from govdesk.catalog.profiling.samples import EncryptionRequired, SamplesExport, export_samples

        d = self.detail.detail
        if d is None:
            return
        db, who, rid = self.db, self.who, d.id

        def failed(error: BaseException) -> None:
            if not isinstance(error, EncryptionRequired) or password is not None:
                self.runner.report_error(error)
                return
            secret = (ask_password or self._ask_password)(error_text(error))
            if secret:
                self.export_samples_to(path, secret, ask_password)

        def done(r: SamplesExport) -> None:
            text = self.tr("Exported %n sample row(s) to %1", "", r.rows).replace("%1", r.path)
            if r.encrypted:
                text += " " + self.tr("(encrypted)")
            self.count_label.setText(text)

        self.runner.run(lambda: export_samples(db, who, rid, path, password=password), done,
                        on_error=failed)

    def _ask_password(self, reason: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(self, self.tr("Password for the exported file"),
                                        reason + "\n" + self.tr("Password:"),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    # -- editing -------------------------------------------------------------------------
    def _open_editor(self, load: Any, resource_id: int | None) -> None:
        """Load the value lists and the draft in the background, then open the editor."""
        from govdesk.catalog.editing.resources import editor_choices
        from govdesk.ui.catalog.editor import ResourceEditor

        db, who = self.db, self.who

        def fetch() -> Any:
            return editor_choices(db, who), load()

        def opened(result: Any) -> None:
            choices, (draft, version) = result
            self.editor = ResourceEditor(db, who, self.runner, choices, draft, resource_id,
                                         version, self)
            self.editor.open()

        self.runner.run(fetch, opened)

    def new_resource(self) -> None:
        """Open the editor on an empty resource in the user's area."""
        from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft

        region = self.who.region_code or "330000000000"
        category = self.model.filter.category_code or "101"
        draft = ResourceDraft(name="", category_code=category, provider_org_id=0,
                              region_code=region, format="database", sharing_type="conditional",
                              open_type="none", update_cycle="monthly",
                              items=(ItemDraft("", "C"),))
        self._open_editor(lambda: (draft, None), None)

    def edit_current(self) -> None:
        """Open the editor on the selected resource."""
        from govdesk.catalog.editing.resources import load_draft

        d = self.detail.detail
        if d is None:
            return
        db, who, rid = self.db, self.who, d.id
        self._open_editor(lambda: load_draft(db, who, rid), rid)

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows whose page is loaded."""
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return [r.id for r in rows if r is not None]

    def regrade_selected(self) -> None:
        """Open the bulk re-grade dialog on the selection."""
        from govdesk.ui.catalog.regrade_dialog import RegradeDialog

        ids = self.selected_ids()
        if not ids:
            return
        grades = [(self.grade.itemData(i), self.grade.itemText(i))
                  for i in range(1, self.grade.count())]
        self.regrade_dialog = RegradeDialog(self.db, self.who, self.runner, ids, grades, self)
        self.regrade_dialog.open()

    def show_history(self) -> None:
        """Versions of the selected resource, their differences, and revert."""
        from govdesk.ui.catalog.history import HistoryDialog

        d = self.detail.detail
        if d is None:
            return
        self.history = HistoryDialog(self.db, self.who, self.runner, d.id, d.code, self)
        self.history.open()

    # -- workflow ------------------------------------------------------------------------
    def _update_workflow_buttons(self, d: ResourceDetail | None) -> None:
        status = d.status if d else None
        self.submit_button.setEnabled(status == "draft")
        reviewing = status in ("registration_review", "publication_review")
        self.approve_button.setEnabled(reviewing)
        self.return_button.setEnabled(reviewing)

    def _workflow(self, step: str) -> None:
        """Move the selected resource one step (errors such as reviewing one's own work are
        shown as messages)."""
        from govdesk.catalog.editing import workflow

        d = self.detail.detail
        if d is None:
            return
        action = {"submit": workflow.submit, "approve": workflow.approve,
                  "return": workflow.return_to_draft}[step]
        db, who, rid = self.db, self.who, d.id
        self.runner.run(lambda: action(db, who, rid), lambda _status: None)

    # -- Excel -------------------------------------------------------------------------
    def _choose_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import catalogue workbook"), "",
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Check ``path`` in the background, then show what importing it would do."""
        from govdesk.catalog.excel.importer import import_catalog
        from govdesk.ui.catalog.excel_dialogs import ImportDialog
        from govdesk.ui.i18n import current_language

        db, who = self.db, self.who
        lang = "zh" if current_language() == "zh_CN" else "en"

        def checked(report: Any) -> None:
            self.import_dialog = ImportDialog(db, who, self.runner, path, report, self)
            self.import_dialog.open()

        self.runner.run(lambda: import_catalog(db, who, path, dry_run=True, lang=lang), checked,
                        label=self.tr("Checking %1…").replace("%1", path.name))

    def _choose_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export catalogue"), "catalogue.xlsx",
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        """Export the resources the list shows (current filter) in the background."""
        from govdesk.catalog.excel.exporter import export_catalog

        db, who, f = self.db, self.who, self.model.filter
        self.runner.run(
            lambda ctx: export_catalog(db, who, path, f, progress=ctx),
            lambda r: self.count_label.setText(self.tr("Exported %1 resources to %2")
                                               .replace("%1", str(r.resources))
                                               .replace("%2", path.name)),
            with_context=True, label=self.tr("Exporting to %1…").replace("%1", path.name))
