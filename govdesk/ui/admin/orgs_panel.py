"""The organisations directory in the system administrator's area: list (search, show
deactivated), add, edit, deactivate / reactivate, generate a province's federations, import from
and export to the organisations workbook. Every database call goes through the runner; the list
reloads from the change bus (``organisations`` changes) after a write."""

from __future__ import annotations

from pathlib import Path
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.orgs.directory import (
    OrgDraft,
    OrgInfo,
    add_organisation,
    list_organisations,
    set_organisation_active,
    update_organisation,
)
from govdesk.catalog.orgs.seed import SeedReport, seed_federations
from govdesk.catalog.orgs.workbook import OrgImportReport, import_organisations, write_org_template
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_columns
from govdesk.vocab import ORG_KIND


def _labelled(form: QFormLayout, caption: str, widget: QWidget) -> None:
    label = QLabel(caption)
    label.setBuddy(widget)
    widget.setAccessibleName(caption.replace("&", "").rstrip(":："))
    form.addRow(label, widget)


def _buttons(dialog: QDialog, form: QFormLayout) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    form.addRow(box)


class OrgDialog(QDialog):
    """An organisation's code, name, kind, region and parent (empty for a new one)."""

    def __init__(self, org: OrgInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("Add organisation") if org is None else self.tr("Edit organisation")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        form = QFormLayout(self)
        self.code = QLineEdit(org.code if org else "")
        self.code.setPlaceholderText(self.tr("e.g. MZ-330100"))
        self.name = QLineEdit(org.name if org else "")
        self.kind = QComboBox()
        for code in ORG_KIND.codes:
            self.kind.addItem(term(ORG_KIND, code), code)
        if org is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(org.kind), 0))
        self.region = QLineEdit(org.region_code if org else "")
        self.region.setPlaceholderText(self.tr("e.g. 330100"))
        self.parent_code = QLineEdit(org.parent_code or "" if org else "")
        self.parent_code.setPlaceholderText(self.tr("code of the organisation above (optional)"))
        for caption, widget in ((self.tr("&Code:"), self.code), (self.tr("&Name:"), self.name),
                                (self.tr("&Kind:"), self.kind),
                                (self.tr("&Region code:"), self.region),
                                (self.tr("&Parent organisation:"), self.parent_code)):
            _labelled(form, caption, widget)
        _buttons(self, form)

    def draft(self) -> OrgDraft:
        return OrgDraft(self.code.text().strip(), self.name.text().strip(),
                        str(self.kind.currentData()), self.region.text().strip(),
                        self.parent_code.text().strip())


class SeedDialog(QDialog):
    """Which province's federations to generate, and whether with its departments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Generate federations"))
        self.setAccessibleName(self.tr("Generate federations"))
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "Creates the federation of every division of the province that the region list "
            "holds (national, province, city, county; townships and villages once the region "
            "list has them). Existing organisations are kept; running it again adds only what "
            "is missing."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.province = QLineEdit("33")
        self.departments = QCheckBox(self.tr(
            "Also the &education, civil-affairs, HRSS and health departments of the province "
            "and its cities"))
        self.departments.setAccessibleName(self.tr("Also the departments"))
        _labelled(form, self.tr("&Province code:"), self.province)
        form.addRow(self.departments)
        _buttons(self, form)


class OrganisationsPanel(QWidget):
    """The directory's table and its actions."""

    HEADERS = ("Code", "Name", "Kind", "Region", "Parent", "State")

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.setAccessibleName(self.tr("Organisations"))
        self.rows: list[OrgInfo] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search code or name"))
        self.search.setAccessibleName(self.tr("Search organisations"))
        self.search.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox(self.tr("Show &deactivated"))
        self.show_inactive.setChecked(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setAccessibleName(self.tr("Organisations"))
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Kind"),
                                              self.tr("Region"), self.tr("Parent"),
                                              self.tr("State")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.add_button = QPushButton(self.tr("Add &organisation…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.active_button = QPushButton(self.tr("Deacti&vate"))
        self.seed_button = QPushButton(self.tr("&Generate federations…"))
        self.import_button = QPushButton(self.tr("&Import from Excel…"))
        self.template_button = QPushButton(self.tr("E&xport workbook…"))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Organisations status"))
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.active_button, self.seed_button,
                  self.import_button, self.template_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.search.textChanged.connect(lambda _t: self._show())
        self.show_inactive.toggled.connect(lambda _on: self._show())
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemActivated.connect(lambda _i: self._edit())
        self.add_button.clicked.connect(self._add)
        self.edit_button.clicked.connect(self._edit)
        self.active_button.clicked.connect(self._toggle_active)
        self.seed_button.clicked.connect(self._seed)
        self.import_button.clicked.connect(self._import)
        self.template_button.clicked.connect(self._template)
        self._all: list[OrgInfo] = []
        self._enable()

    # -- the list ----------------------------------------------------------------------
    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: list_organisations(db, who), self._fill)

    def _fill(self, orgs: list[OrgInfo]) -> None:
        self._all = orgs
        self._show()

    def _show(self) -> None:
        keep = self.selected()
        needle = self.search.text().strip().lower()
        self.rows = [o for o in self._all
                     if (self.show_inactive.isChecked() or o.is_active)
                     and (not needle or needle in o.code.lower() or needle in o.name.lower())]
        self.table.setRowCount(len(self.rows))
        for row, o in enumerate(self.rows):
            state = self.tr("Active") if o.is_active else self.tr("Deactivated")
            for col, text in enumerate((o.code, o.name, term(ORG_KIND, o.kind), o.region_name,
                                        o.parent_code or "", state)):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if keep is not None and o.id == keep.id:
                self.table.selectRow(row)
        fit_columns(self.table)  # every column its content, never narrower than its header
        self._enable()

    def selected(self) -> OrgInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _enable(self) -> None:
        org = self.selected()
        self.edit_button.setEnabled(org is not None)
        self.active_button.setEnabled(org is not None)
        self.active_button.setText(self.tr("Reacti&vate") if org is not None and
                                   not org.is_active else self.tr("Deacti&vate"))

    # -- the actions (each one service call in the background) ---------------------------
    def _done(self, text: str) -> None:
        self.status.setText(text)

    def add_org(self, draft: OrgDraft) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: add_organisation(db, who, draft),
                        lambda o: self._done(self.tr("Added %1.").replace("%1", o.name)))

    def edit_org(self, org: OrgInfo, draft: OrgDraft) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: update_organisation(db, who, org.id, draft, org.version),
                        lambda o: self._done(self.tr("Saved %1.").replace("%1", o.name)))

    def set_active(self, org: OrgInfo, active: bool) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: set_organisation_active(db, who, org.id, active, org.version),
                        lambda o: self._done((self.tr("%1 is active again.") if active else self.tr(
                            "%1 is deactivated: its resources keep it, new ones cannot use it."))
                            .replace("%1", o.name)))

    def seed(self, province: str, departments: bool = False) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda ctx: seed_federations(db, who, province, departments=departments,
                                                     progress=ctx),
                        self._seeded, label=self.tr("Generating federations…"), with_context=True)

    def _seeded(self, r: SeedReport) -> None:
        text = self.tr("%1: %2 organisations created, %3 existed.").replace(
            "%1", r.province_name).replace("%2", str(r.created)).replace("%3", str(r.existing))
        if r.levels_without_regions:
            text += " " + self.tr("The region list has no townships or villages: no "
                                  "federations at those levels.")
        self._done(text)

    def import_file(self, path: Path) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda ctx: import_organisations(db, who, path, progress=ctx),
                        self._imported, label=self.tr("Importing organisations…"),
                        with_context=True)

    def _imported(self, r: OrgImportReport) -> None:
        self._done(self.tr("Imported: %1 added, %2 changed, %3 unchanged.")
                   .replace("%1", str(r.created)).replace("%2", str(r.updated))
                   .replace("%3", str(r.unchanged)))

    def export_workbook(self, path: Path) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: write_org_template(db, who, path),
                        lambda n: self._done(self.tr("Wrote %1 organisations to %2.")
                                             .replace("%1", str(n)).replace("%2", path.name)))

    # -- the dialogs -------------------------------------------------------------------
    def _add(self) -> None:
        dialog = OrgDialog(parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_org(dialog.draft())

    def _edit(self) -> None:
        org = self.selected()
        if org is None:
            return
        dialog = OrgDialog(org, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.edit_org(org, dialog.draft())

    def _toggle_active(self) -> None:
        org = self.selected()
        if org is None:
            return
        if org.is_active and QMessageBox.question(
                self, self.tr("Deactivate organisation"),
                self.tr("Deactivate %1? Its resources keep it as their provider, but new "
                        "resources can no longer choose it. Nothing is deleted.")
                .replace("%1", org.name)) != QMessageBox.StandardButton.Yes:
            return
        self.set_active(org, not org.is_active)

    def _seed(self) -> None:
        dialog = SeedDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.seed(dialog.province.text().strip(), dialog.departments.isChecked())

    def _import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import organisations"), "", self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.import_file(Path(name))

    def _template(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export organisations"), "组织机构.xlsx",
            self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.export_workbook(Path(name))

