"""The catalogue's file actions: export the shown resource's sample rows (asking for a password
when its grade wants an encrypted file), import a catalogue workbook (checked first, then shown)
and export the resources the list shows. Each runs in the background and reports in the
catalogue's count line and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

from govdesk.ui.i18n import error_text, problem_lang
from govdesk.ui.status import show_status

if TYPE_CHECKING:
    from govdesk.ui.catalog.view import CatalogView


class CatalogFiles(QObject):
    """File actions of one catalogue view."""

    def __init__(self, view: CatalogView) -> None:
        super().__init__(view)
        self.view = view

    def _report(self, text: str) -> None:
        self.view.count_label.setText(text)
        show_status(self.view, text)

    # -- sample rows -----------------------------------------------------------------------
    def choose_samples_export(self) -> None:
        d = self.view.detail.detail
        if d is None:
            return
        name = f"{d.code.replace('/', '-')}-samples.xlsx"
        path, _ = QFileDialog.getSaveFileName(self.view, self.tr("Export sample rows"), name,
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_samples_to(Path(path))

    def export_samples_to(self, path: Path, password: str | None = None,
                          ask_password: Callable[[str], str | None] | None = None) -> None:
        """Export the shown resource's sample rows to ``path`` as its grades allow. When a
        grade requires an encrypted file the user is asked for a password (``ask_password``
        replaces the dialog in tests) and the export runs again."""
        from govdesk.catalog.profiling.samples import EncryptionRequired, SamplesExport, export_samples

        view = self.view
        d = view.detail.detail
        if d is None:
            return
        db, who, rid = view.db, view.who, d.id

        def failed(error: BaseException) -> None:
            if not isinstance(error, EncryptionRequired) or password is not None:
                view.runner.report_error(error)
                return
            secret = (ask_password or self.ask_password)(error_text(error))
            if secret:
                self.export_samples_to(path, secret, ask_password)

        def done(r: SamplesExport) -> None:
            text = self.tr("Exported %n sample row(s) to %1", "", r.rows).replace("%1", r.path)
            if r.encrypted:
                text += " " + self.tr("(encrypted)")
            self._report(text)

        view.runner.run(lambda: export_samples(db, who, rid, path, password=password), done,
                        on_error=failed)

    def ask_password(self, reason: str) -> str | None:
        text, ok = QInputDialog.getText(self.view, self.tr("Password for the exported file"),
                                        reason + "\n" + self.tr("Password:"),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def ask_unmask_reason(self) -> str | None:
        """Why the user wants personal data unmasked (None = cancelled): a dialog whose OK
        stays off until a reason is typed (see :mod:`govdesk.ui.catalog.unmask_dialog`)."""
        from govdesk.ui.catalog.unmask_dialog import ask_unmask_reason

        d = self.view.detail.detail
        return ask_unmask_reason(f"{d.code} {d.name}" if d else "", self.view)

    # -- Excel -----------------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.view, self.tr("Import catalogue workbook"),
                                              "", self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Check ``path`` in the background, then show what importing it would do."""
        from govdesk.catalog.excel.importer import import_catalog
        from govdesk.ui.catalog.excel_dialogs import ImportDialog

        view = self.view
        db, who, lang = view.db, view.who, problem_lang()

        def checked(report: Any) -> None:
            view.import_dialog = ImportDialog(db, who, view.runner, path, report, view)
            view.import_dialog.open()

        view.runner.run(lambda: import_catalog(db, who, path, dry_run=True, lang=lang), checked,
                        label=self.tr("Checking %1…").replace("%1", path.name))

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.view, self.tr("Export catalogue"),
                                              "catalogue.xlsx",
                                              self.tr("Excel workbook (*.xlsx)"))
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        """Export the resources the list shows (current filter) in the background."""
        from govdesk.catalog.excel.exporter import export_catalog

        view = self.view
        db, who, f = view.db, view.who, view.model.filter
        view.runner.run(
            lambda ctx: export_catalog(db, who, path, f, progress=ctx),
            lambda r: self._report(self.tr("Exported %1 resources to %2")
                                   .replace("%1", str(r.resources)).replace("%2", path.name)),
            with_context=True, label=self.tr("Exporting to %1…").replace("%1", path.name))
