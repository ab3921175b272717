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
    QVBoxLayout,
)

from govdesk import vocab
from govdesk.catalog.search.browse import category_tree, get_resource
from govdesk.catalog.dto import ResourceDetail
from govdesk.catalog.profiling.samples import SampleTable, sample_rows
from govdesk.changes import CATEGORIES, GRADES, RESOURCES, Changes
from govdesk.security.roles import Op
from govdesk.ui.area import AreaView
from govdesk.ui.catalog.detail import ResourceDetailPane
from govdesk.ui.catalog.editing import CatalogEditing
from govdesk.ui.catalog.files import CatalogFiles
from govdesk.ui.catalog.model import PAGE_SIZE, ResourceTableModel
from govdesk.ui.catalog.trees import MIN_WIDTH, CatalogTrees
from govdesk.ui.i18n import term
from govdesk.ui.widths import fit_columns, fit_headers


class CatalogView(AreaView):
    """Browse the data-resource catalogue."""

    area_id = "catalog"
    required_op = Op.CATALOG_READ
    watches = frozenset({RESOURCES, CATEGORIES, GRADES})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.setObjectName("catalogView")
        self.files = CatalogFiles(self)
        self.editing = CatalogEditing(self)
        #: the dialogs last opened (tests read them)
        self.import_dialog: Any = None
        self.editor: Any = None
        self.history: Any = None
        self.regrade_dialog: Any = None
        # asks why personal data is to be unmasked (None = cancelled); tests replace it
        self.ask_unmask_reason: Callable[[], str | None] = self.files.ask_unmask_reason
        bar, filters = self._build_filters()
        actions = self._build_actions()
        self._build_table()
        self._build_splitter()
        layout = QVBoxLayout(self)
        layout.addWidget(actions)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self._connect()
        self.editing.update_actions(None)

    def _build_filters(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The search line, the status filter and count, and the value-list filters."""
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search names, codes and summaries (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search the catalogue"))
        self.search.setClearButtonEnabled(True)
        self.status = self._filter_combo(self.tr("Workflow status filter"),
                                         self.tr("All statuses"), vocab.WORKFLOW_STATUS)
        self.grade = self._filter_combo(self.tr("Grade filter"), self.tr("All grades"))
        self.sharing = self._filter_combo(self.tr("Sharing type filter"),
                                          self.tr("All sharing types"), vocab.SHARING_TYPE)
        self.cycle = self._filter_combo(self.tr("Update cycle filter"),
                                        self.tr("All update cycles"), vocab.UPDATE_CYCLE)
        self.provider = self._filter_combo(self.tr("Provider filter"), self.tr("All providers"))
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of resources shown"))
        status_label = QLabel(self.tr("&Status:"))
        status_label.setBuddy(self.status)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(status_label)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.count_label)
        filters = QHBoxLayout()
        for combo in (self.grade, self.sharing, self.cycle, self.provider):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        return bar, filters

    @staticmethod
    def _filter_combo(name: str, everything: str,
                      values: vocab.Vocabulary | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        # as wide as the layout gives, not as the longest provider name: the window stays narrow
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.addItem(everything, None)
        if values is not None:
            for code in values.codes:
                combo.addItem(term(values, code), code)
        return combo

    def _build_actions(self) -> QToolBar:
        """The action buttons in a tool bar: what does not fit a narrow window (or a large
        font) moves into its » overflow menu instead of widening the window."""
        self.new_button = QPushButton(self.tr("&New…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.history_button = QPushButton(self.tr("Histor&y…"))
        self.import_button = QPushButton(self.tr("&Import Excel…"))
        self.export_button = QPushButton(self.tr("E&xport Excel…"))
        self.submit_button = QPushButton(self.tr("S&ubmit for review"))
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.return_button = QPushButton(self.tr("Re&turn to draft"))
        self.regrade_button = QPushButton(self.tr("Re-&grade…"))
        self.regrade_button.setAccessibleName(self.tr("Give the selected resources one grade"))
        self.import_button.clicked.connect(self.files.choose_import)
        self.export_button.clicked.connect(self.files.choose_export)
        self.submit_button.clicked.connect(lambda: self.editing.workflow("submit"))
        self.approve_button.clicked.connect(lambda: self.editing.workflow("approve"))
        self.return_button.clicked.connect(lambda: self.editing.workflow("return"))
        self.new_button.clicked.connect(self.new_resource)
        self.edit_button.clicked.connect(self.edit_current)
        self.history_button.clicked.connect(self.show_history)
        self.regrade_button.clicked.connect(self.regrade_selected)
        actions = QToolBar(self.tr("Catalogue actions"))
        actions.setAccessibleName(self.tr("Catalogue actions"))
        can_edit, can_review = self.who.can(Op.CATALOG_EDIT), self.who.can(Op.CATALOG_REVIEW)
        for button, shown in ((self.new_button, can_edit), (self.edit_button, can_edit),
                              (self.history_button, True), (self.submit_button, can_edit),
                              (self.approve_button, can_review), (self.return_button, can_review),
                              (self.regrade_button, self.who.can(Op.CLASSIFICATION_EDIT)),
                              (self.import_button, can_edit), (self.export_button, True)):
            actions.addWidget(button).setVisible(shown)
        return actions

    def _build_table(self) -> None:
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
        fit_headers(self.table)

    def _build_splitter(self) -> None:
        self.detail = ResourceDetailPane()
        if self.who.can(Op.SAMPLES_READ):
            self.detail.enable_samples(self.who.can(Op.PERSONAL_DATA_UNMASKED))
            self.detail.unmask_button.clicked.connect(lambda: self._load_samples(unmask=True))
            self.detail.export_samples_button.clicked.connect(self.files.choose_samples_export)
        self.trees = CatalogTrees(self.db, self.who, self.runner)
        self.categories, self.regions = self.trees.categories, self.trees.regions
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("catalogSplitter")
        self.splitter.addWidget(self.trees)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("catalogRightSplitter")
        right.addWidget(self.table)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([MIN_WIDTH, 800])

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(300)
        self._search_timer.timeout.connect(self._apply_filter)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(120)
        self._detail_timer.timeout.connect(self._load_detail)
        self._detail_request = 0
        #: after a change: the resources to select again once the list has reloaded
        self._keep_selected: list[int] = []
        self._reselect: dict[QComboBox, Any] = {}
        self._fitted = False
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filter)
        self.status.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.trees.changed.connect(self._apply_filter)
        self.model.loaded.connect(self._on_loaded)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.search.setFocus)
        find.setWhatsThis(self.tr("Search the catalogue"))  # listed under Help → Keyboard shortcuts
        if self.who.can(Op.CATALOG_EDIT):
            self.table.activated.connect(lambda _i: self.edit_current())

    def area_title(self) -> str:
        return self.tr("Catalogue")

    def refresh(self) -> None:
        from govdesk.catalog.search.browse import region_children
        from govdesk.catalog.editing.resources import editor_choices

        db, who = self.db, self.who
        self.runner.run(lambda: category_tree(db, who), self.trees.fill_categories)
        if self.grade.count() <= 1:  # value lists load once; the catalogue reloads each time
            self.runner.run(lambda: editor_choices(db, who), self._fill_choices)
        if self.regions.topLevelItemCount() == 0:
            self.runner.run(lambda: region_children(db, who, None), self.trees.fill_regions)
        self.model.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """Resources, categories or grades changed (here or in another client): reload the
        trees and the list, keep the selected resource selected where it still shows, and
        reload the value lists when the grades changed."""
        self._keep_selected = self._keep_selected or self.selected_ids()
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
    def _apply_filter(self) -> None:
        self.model.set_filter(dataclasses.replace(
            self.model.filter, text=self.search.text(),
            category_code=self.trees.category_code(), region_code=self.trees.region_code(),
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
        if total and not self._fitted:  # once: later the user's widths stay
            self._fitted = True
            fit_columns(self.table, skip=(1,))
        keep, self._keep_selected = self._keep_selected, []
        if not total:
            self.detail.show_detail(None)
            self.editing.update_actions(None)
            return
        if keep:
            self._select_ids(keep, total)
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _select_ids(self, ids: list[int], total: int) -> None:
        """Select the loaded rows of ``ids`` (after a change: where the user was)."""
        from PySide6.QtCore import QItemSelectionModel

        wanted = set(ids)
        rows = [n for n in range(min(total, PAGE_SIZE))
                if (r := self.model.row_at(n)) is not None and r.id in wanted]
        if not rows:
            return
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.clearSelection()
        for n in rows:
            selection.select(self.model.index(n, 0), flags)
        selection.setCurrentIndex(self.model.index(rows[0], 0),
                                  QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(self.model.index(rows[0], 0))

    # -- detail --------------------------------------------------------------------------
    def _on_selection(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self.regrade_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self._detail_timer.start()

    def _load_detail(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is None:
            self.detail.show_detail(None)
            self.editing.update_actions(None)
            return
        self._detail_request += 1
        request, rid = self._detail_request, row.id

        def shown(d: ResourceDetail) -> None:
            if request == self._detail_request:
                self.detail.show_detail(d)
                self.editing.update_actions(d)
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

    def export_samples_to(self, path: Path, password: str | None = None,
                          ask_password: Any = None) -> None:
        """Export the shown resource's sample rows (see :meth:`CatalogFiles.export_samples_to`)."""
        self.files.export_samples_to(path, password, ask_password)

    # -- editing (govdesk/ui/catalog/editing.py) ---------------------------------------
    def new_resource(self) -> None:
        """Open the editor on an empty resource in the user's area."""
        self.editing.new_resource()

    def edit_current(self) -> None:
        """Open the editor on the selected resource."""
        self.editing.edit_current()

    def regrade_selected(self) -> None:
        """Open the bulk re-grade dialog on the selection."""
        self.editing.regrade_selected()

    def show_history(self) -> None:
        """Versions of the selected resource, their differences, and revert."""
        self.editing.show_history()

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows whose page is loaded."""
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return [r.id for r in rows if r is not None]

    # -- Excel -------------------------------------------------------------------------
    def import_file(self, path: Path) -> None:
        """Check ``path`` in the background, then show what importing it would do."""
        self.files.import_file(path)

    def export_file(self, path: Path) -> None:
        """Export the resources the list shows (current filter) in the background."""
        self.files.export_file(path)
