"""The effective-access matrix (共享访问矩阵) as a panel: resources (rows, a page at a time) ×
organisations (columns), each cell allowed / partly / denied; the current cell explained below
(grants, rules, every data item and why); filters; exports to Excel and JSON.

Self-contained (a tab of the Sharing area): ``MatrixPanel(db, who, runner)`` and
:meth:`MatrixPanel.refresh`. Every database call goes through the runner
(:mod:`govdesk.sharing.matrix`, :mod:`govdesk.sharing.matrix_export`); the table is keyboard
operable (arrows move the current cell, whose explanation follows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.sharing.access_dto import (
    AccessMatrix,
    Cell,
    CellExplanation,
    MatrixFilter,
    MatrixPage,
    rule_detail,
)
from govdesk.ui.format import fmt_date
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers

Index = QModelIndex | QPersistentModelIndex
#: resources a page
PAGE = 50
TONES = {"allowed": QColor("#E2EFDA"), "partial": QColor("#FFF2CC"), "denied": QColor("#F2F2F2")}
FIXED = 2  #: columns before the organisations (code, name)


class MatrixModel(QAbstractTableModel):
    """A page of the matrix: code, name, then one column per organisation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: AccessMatrix | None = None

    def show(self, matrix: AccessMatrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.matrix is None else FIXED + len(self.matrix.orgs)

    def cell(self, index: Index) -> tuple[Any, Any, Cell] | None:
        """(resource, organisation, cell) at ``index``, None in the fixed columns."""
        if self.matrix is None or not index.isValid() or index.column() < FIXED:
            return None
        row = self.matrix.rows[index.row()]
        return row.resource, self.matrix.orgs[index.column() - FIXED], \
            row.cells[index.column() - FIXED]

    def verdict_text(self, cell: Cell) -> str:
        text = term(vocab.ACCESS_VERDICT, cell.verdict)
        if cell.verdict == "partial":
            text += f" {cell.items_readable}/{cell.items_total}"
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.matrix is None or not index.isValid():
            return None
        resource = self.matrix.rows[index.row()].resource
        found = self.cell(index)
        if found is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return resource.code if index.column() == 0 else resource.name
            return None
        _r, org, cell = found
        reason = term(vocab.ACCESS_REASON, cell.reason)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.verdict_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("%1: %2").replace("%1", org.name).replace("%2", reason)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("%1, %2: %3, %4").replace("%1", resource.code).replace(
                "%2", org.name).replace("%3", self.verdict_text(cell)).replace("%4", reason)
        if role == Qt.ItemDataRole.BackgroundRole:
            return TONES[cell.verdict]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return self.tr("Resource code")
        if section == 1:
            return self.tr("Resource name")
        if self.matrix is not None and section - FIXED < len(self.matrix.orgs):
            return self.matrix.orgs[section - FIXED].name
        return None


class MatrixPanel(QWidget):
    """The matrix with its filters, paging, the current cell's explanation and exports."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.pages: list[str | None] = [None]  #: the key of each page shown so far
        self.page_size = PAGE
        self._loads = self._explains = 0  #: pages, explanations asked for (latest shown)
        self.matrix: AccessMatrix | None = None
        self.explanation: CellExplanation | None = None
        self._fields()
        self.model = MatrixModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.table.setAccessibleName(self.tr("Access matrix: resources by organisations"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        fit_headers(self.table)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Matrix page shown"))
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Explanation of the current cell"))
        self.items = QTreeWidget()
        self.items.setAccessibleName(self.tr("Data items of the current cell"))
        self.items.setHeaderLabels([self.tr("No."), self.tr("Data item"), self.tr("Grade"),
                                    self.tr("Readable"), self.tr("Why"), self.tr("Grants")])
        self.items.setRootIsDecorated(False)
        fit_headers(self.items)
        self._lay_out()

    def _fields(self) -> None:
        self.code = self._line(self.tr("Resource code (prefix)"))
        self.region = self._line(self.tr("Region code prefix of the resources"))
        self.grade = self._choice(self.tr("Grade"), self.tr("Every grade"))
        self.category = self._choice(self.tr("Category (its sub-categories included)"),
                                     self.tr("Every category"))
        self.org_region = self._line(self.tr("Region code prefix of the organisations"))
        for line in (self.region, self.org_region):
            line.setPlaceholderText(self.tr("region code prefix, e.g. 3301 (杭州市)"))
        self.org_kind = QComboBox()
        self.org_kind.setAccessibleName(self.tr("Kind of organisation"))
        self.org_kind.addItem(self.tr("Every kind"), None)
        for t in vocab.ORG_KIND.terms:
            self.org_kind.addItem(term(vocab.ORG_KIND, t.code), t.code)
        self.own = QCheckBox(self.tr("Only my organisa&tion (also what other regions grant it)"))
        self.own.setAccessibleName(self.tr("Only my organisation"))
        self.apply_button = self._button(self.tr("&Apply filters"), self.apply_filters)
        self.first_button = self._button(self.tr("First page"), self.first_page)
        self.prev_button = self._button(self.tr("&Previous page"), self.previous_page)
        self.next_button = self._button(self.tr("Ne&xt page"), self.next_page)
        self.excel_button = self._button(self.tr("Export to Exce&l..."),
                                         lambda: self._choose_export(".xlsx"))
        self.json_button = self._button(self.tr("Export as &JSON..."),
                                        lambda: self._choose_export(".json"))

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setClearButtonEnabled(True)
        line.returnPressed.connect(self.apply_filters)
        return line

    def _choice(self, name: str, everything: str) -> QComboBox:
        """A drop-down of labels (codes as item data); its first entry, ``everything``, is no
        filter. Filled by :meth:`_fill_choices`."""
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(everything, None)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def _fill_choices(self, choices: Any) -> None:
        """The active scheme's grades and the categories, by label, into their drop-downs."""
        for combo, pairs in ((self.grade, choices.grades), (self.category, choices.categories)):
            combo.blockSignals(True)
            for code, label in pairs:
                combo.addItem(label, code)
            combo.blockSignals(False)

    def _button(self, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("."))
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        form = QFormLayout()
        pairs = ((self.tr("Resource &code:"), self.code),
                 (self.tr("Resource re&gion:"), self.region),
                 (self.tr("G&rade:"), self.grade), (self.tr("Categor&y:"), self.category),
                 (self.tr("Organisation reg&ion:"), self.org_region),
                 (self.tr("Organisation &kind:"), self.org_kind))
        row = QHBoxLayout()
        for n, (label, field) in enumerate(pairs):
            if n % 3 == 0:
                row = QHBoxLayout()
                form.addRow(row)
            caption = QLabel(label)
            caption.setBuddy(field)
            row.addWidget(caption)
            row.addWidget(field, 1)
        buttons = QHBoxLayout()
        for w in (self.own, self.apply_button, self.first_button, self.prev_button,
                  self.next_button, self.excel_button, self.json_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        top = QWidget()
        upper = QVBoxLayout(top)
        upper.addLayout(form)
        upper.addLayout(buttons)
        upper.addWidget(self.table, 1)
        upper.addWidget(self.status)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.text)
        lower.addWidget(self.items)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    # -- loading ---------------------------------------------------------------------------
    def current_filter(self) -> MatrixFilter:
        """The filter the fields say."""
        def value(line: QLineEdit) -> str | None:
            return line.text().strip() or None

        return MatrixFilter(region=value(self.region), grade=self.grade.currentData(),
                            category=self.category.currentData(), resource_code=value(self.code),
                            org_region=value(self.org_region),
                            org_kind=self.org_kind.currentData(), own_org=self.own.isChecked())

    def refresh(self) -> None:
        """Reload the page shown (the first one after :meth:`apply_filters`)."""
        from govdesk.sharing.matrix import access_matrix

        from govdesk.catalog.editing.resources import editor_choices

        db, who, f = self.db, self.who, self.current_filter()
        page = MatrixPage(after=self.pages[-1], limit=self.page_size)
        self._loads += 1
        wanted = self._loads  # loads run in parallel: only the latest one is shown
        self.runner.run(lambda: access_matrix(db, who, f, page),
                        lambda m: self._shown(m) if wanted == self._loads else None)
        if self.grade.count() == 1:  # the value lists load once
            self.runner.run(lambda: editor_choices(db, who), self._fill_choices)

    def apply_filters(self) -> None:
        self.first_page()

    def first_page(self) -> None:
        self.pages = [None]
        self.refresh()

    def next_page(self) -> None:
        if self.matrix is not None and self.matrix.next_after is not None:
            self.pages.append(self.matrix.next_after)
            self.refresh()

    def previous_page(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
            self.refresh()

    def _shown(self, matrix: AccessMatrix) -> None:
        self.matrix = matrix
        self.model.show(matrix)
        fit_headers(self.table)  # the organisations' names are the columns' headers
        self.prev_button.setEnabled(len(self.pages) > 1)
        self.next_button.setEnabled(matrix.next_after is not None)
        self.status.setText(self.tr("Page %1: %2 resources × %3 organisations, as of %4")
                            .replace("%1", str(len(self.pages)))
                            .replace("%2", str(len(matrix.rows)))
                            .replace("%3", str(len(matrix.orgs)))
                            .replace("%4", fmt_date(matrix.day)))
        if not matrix.rows and not self.own.isChecked() and self.who.organisation_id:
            self.status.setText(self.status.text() + "\n" + self.tr(
                "No resource matches. Only your region's resources are listed; tick \"Only my "
                "organisation\" to see what other regions grant your organisation."))
        self._explained(None)
        if matrix.rows and matrix.orgs:
            self.table.setCurrentIndex(self.model.index(0, FIXED))

    # -- the current cell ------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.explain(current)

    def explain(self, index: Index) -> None:
        """Explain the cell at ``index`` (nothing for the code and name columns)."""
        from govdesk.sharing.matrix import explain_cell

        found = self.model.cell(index)
        if found is None:
            self._explains += 1  # an explanation still on its way is not wanted now
            self._explained(None)
            return
        resource, org, _cell = found
        db, who, org_id, code = self.db, self.who, org.id, resource.code
        self._explains += 1
        wanted = self._explains  # a later cell wins over this one
        self.runner.run(lambda: explain_cell(db, who, org_id, code),
                        lambda e: self._explained(e) if wanted == self._explains else None)

    def _explained(self, e: CellExplanation | None) -> None:
        self.explanation = e
        self.items.clear()
        if e is None:
            self.text.setPlainText(self.tr("Choose a cell of the matrix to see why."))
            return
        self.text.setPlainText("\n".join(self._explanation_lines(e)))
        for i in e.items:
            QTreeWidgetItem(self.items, [str(i.seq), i.name, i.grade_name or "—",
                                         term(vocab.ACCESS_VERDICT, i.verdict),
                                         term(vocab.ACCESS_REASON, i.reason),
                                         "、".join(f"#{g}" for g in i.grant_ids)])

    def _explanation_lines(self, e: CellExplanation) -> list[str]:
        lines = [self.tr("%1 × %2 %3: %4 (%5)").replace("%1", e.org.name)
                 .replace("%2", e.resource.code).replace("%3", e.resource.name)
                 .replace("%4", self.model.verdict_text(e.cell))
                 .replace("%5", term(vocab.ACCESS_REASON, e.cell.reason))]
        for r in e.rules:
            lines.append(self.tr("Rule: %1 %2").replace("%1", term(vocab.ACCESS_REASON, r.code))
                         .replace("%2", rule_detail(r, problem_lang())))
        for g in e.grants:
            who = (self.tr("named: %1").replace("%1", g.grantee_name or "—") if g.scope is None
                   else self.tr("scope: %1 %2 level %3").replace(
                       "%1", g.scope_region_name or g.scope.region_prefix)
                   .replace("%2", term(vocab.ORG_KIND, g.scope.org_kind) or self.tr("any kind"))
                   .replace("%3", str(g.scope.org_level) if g.scope.org_level is not None
                            else self.tr("any")))
            lines.append(self.tr("Grant #%1 (%2): %3, %4 to %5").replace("%1", str(g.id))
                         .replace("%2", who).replace("%3", term(vocab.GRANT_STATE, g.state))
                         .replace("%4", fmt_date(g.valid_from))
                         .replace("%5", fmt_date(g.valid_until)))
            if g.ended:
                lines.append(self.tr("    ended on %1").replace("%1", fmt_date(g.ended)))
            if g.reason:
                lines.append(self.tr("    reason: %1").replace("%1", g.reason))
            if g.blocked:
                lines.append(self.tr("    does not apply now: %1")
                             .replace("%1", term(vocab.ACCESS_REASON, g.blocked)))
        if not e.grants:
            lines.append(self.tr("No grant covers this organisation."))
        return lines

    # -- exports ---------------------------------------------------------------------------
    def _choose_export(self, suffix: str) -> None:
        title = self.tr("Export the access matrix")
        kinds = self.tr("Excel workbook (*.xlsx)") if suffix == ".xlsx" else \
            self.tr("JSON file (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, title, f"access-matrix{suffix}", kinds)
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the whole matrix for the filters shown to ``path`` (.xlsx or .json)."""
        from govdesk.sharing.matrix_export import export_matrix

        db, who, f, lang = self.db, self.who, self.current_filter(), problem_lang()
        self.runner.run(lambda: export_matrix(db, who, f, path, lang), lambda n: self.status
                        .setText(self.tr("%1 resources written to %2").replace("%1", str(n))
                                 .replace("%2", str(path))),
                        label=self.tr("Exporting the access matrix..."))
