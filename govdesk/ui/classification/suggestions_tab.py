"""Profile a sample file attached to a resource, read it as grade suggestions, queue them, and
decide the review queue (security administrators)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.classification.suggestions import (
    PendingSuggestion,
    SuggestionReport,
    decide,
    list_suggestions,
    queue_suggestions,
    suggest,
)
from govdesk.catalog.editing.resources import editor_choices
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers


def detector_label(code: str | None) -> str:
    """The user-language name of a detector (— for none)."""
    names = {
        "citizen_id": QCoreApplication.translate("Detectors", "Citizen ID number"),
        "disability_cert": QCoreApplication.translate("Detectors", "Disability certificate number"),
        "phone": QCoreApplication.translate("Detectors", "Phone number"),
        "person_name": QCoreApplication.translate("Detectors", "Person's name"),
        "address": QCoreApplication.translate("Detectors", "Address"),
        "region_code": QCoreApplication.translate("Detectors", "Region code"),
        "disability_category": QCoreApplication.translate("Detectors", "Disability category"),
        "disability_grade": QCoreApplication.translate("Detectors", "Disability grade"),
        "birth_date": QCoreApplication.translate("Detectors", "Date of birth"),
        "bank_card": QCoreApplication.translate("Detectors", "Bank card number"),
    }
    return names.get(code or "", "—")


class SuggestionsTab(QWidget):
    """Top: a profile of one file; bottom: the review queue."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.report: SuggestionReport | None = None
        self.path: Path | None = None
        #: grade code -> name in the interface, for the data items' grades in the queue
        self.grade_names: dict[str, str] = {}
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._build_profile_part())
        split.addWidget(self._build_queue_part())
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _build_profile_part(self) -> QWidget:
        """The resource code, the profile buttons, the summary and the columns found."""
        self.resource = QLineEdit()
        self.resource.setPlaceholderText(self.tr("e.g. 101/000001 (optional)"))
        self.resource.setAccessibleName(self.tr("Resource code the sample belongs to"))
        self.profile_button = QPushButton(self.tr("&Profile sample file…"))
        self.profile_button.setAccessibleName(self.tr("Profile a CSV or Excel sample file"))
        self.profile_button.clicked.connect(self.choose_file)
        self.queue_button = QPushButton(self.tr("&Queue suggestions for review"))
        self.queue_button.setAccessibleName(self.tr("Queue the suggestions for review"))
        self.queue_button.setEnabled(False)
        self.queue_button.clicked.connect(self.queue_current)
        self.summary = QLabel(self.tr("Choose a sample file: each column is checked for "
                                      "personal data and given a suggested grade. Nothing is "
                                      "applied until a security administrator accepts it."))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Profile summary"))
        self.profile = QTreeWidget()
        self.profile.setAccessibleName(self.tr("Columns of the sample file"))
        self.profile.setHeaderLabels([
            self.tr("Column"), self.tr("Holds"), self.tr("Confidence"),
            self.tr("Suggested grade"), self.tr("Data item grade"), self.tr("Empty"),
            self.tr("Distinct"), self.tr("Examples (masked by grade)")])
        self.profile.header().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        top = QWidget()
        form = QFormLayout()
        form.addRow(self.tr("Resource &code:"), self.resource)
        actions = QHBoxLayout()
        actions.addWidget(self.profile_button)
        actions.addWidget(self.queue_button)
        actions.addStretch(1)
        tl = QVBoxLayout(top)
        tl.addLayout(form)
        tl.addLayout(actions)
        tl.addWidget(self.summary)
        tl.addWidget(self.profile, 1)
        fit_headers(self.profile)
        return top

    def _build_queue_part(self) -> QWidget:
        """The review queue and its accept and reject buttons (enabled on a selection)."""
        self.queue = QTreeWidget()
        self.queue.setAccessibleName(self.tr("Review queue"))
        self.queue.setHeaderLabels([self.tr("Resource code"), self.tr("Resource"),
                                    self.tr("Column"), self.tr("Holds"), self.tr("Confidence"),
                                    self.tr("Suggested grade"), self.tr("Data item grade"),
                                    self.tr("Proposed by")])
        self.queue.header().setStretchLastSection(True)
        fit_headers(self.queue)
        self.queue.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.accept_button = QPushButton(self.tr("&Accept"))
        self.accept_button.setAccessibleName(self.tr("Accept the selected suggestions"))
        self.accept_button.clicked.connect(lambda: self.decide_selected(True))
        self.reject_button = QPushButton(self.tr("&Reject"))
        self.reject_button.setAccessibleName(self.tr("Reject the selected suggestions"))
        self.reject_button.clicked.connect(lambda: self.decide_selected(False))
        self.queue.itemSelectionChanged.connect(self._update_decide_buttons)
        self._update_decide_buttons()
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        title = QLabel(self.tr("Review queue (pending suggestions)"))
        title.setBuddy(self.queue)
        bl.addWidget(title)
        bl.addWidget(self.queue, 1)
        decide_row = QHBoxLayout()
        decide_row.addWidget(self.accept_button)
        decide_row.addWidget(self.reject_button)
        decide_row.addStretch(1)
        bl.addLayout(decide_row)
        return bottom

    def _update_decide_buttons(self) -> None:
        can = self.who.can(Op.CLASSIFICATION_EDIT) and bool(self.queue.selectedItems())
        for b in (self.accept_button, self.reject_button):
            b.setEnabled(can)

    def refresh(self) -> None:
        db, who = self.db, self.who
        def load() -> tuple[list[PendingSuggestion], dict[str, str]]:
            return list_suggestions(db, who), dict(editor_choices(db, who).grades)

        self.runner.run(load, self._fill_loaded)

    def _fill_loaded(self, loaded: tuple[list[PendingSuggestion], dict[str, str]]) -> None:
        pending, self.grade_names = loaded
        self._fill_queue(pending)

    # -- profiling ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Profile sample file"), "",
            self.tr("Tables (*.csv *.txt *.xlsx *.xls *.ods)"))
        if path:
            self.profile_file(Path(path))

    def profile_file(self, path: Path) -> None:
        db, who, code = self.db, self.who, self.resource.text().strip() or None
        self.path = path
        self.runner.run(
            lambda ctx: suggest(db, who, path, resource_code=code, progress=ctx),
            self._show_report, label=self.tr("Profiling %1…").replace("%1", path.name),
            with_context=True)

    def _show_report(self, report: SuggestionReport) -> None:
        self.report = report
        self.profile.clear()
        for c in report.columns:
            item = QTreeWidgetItem([
                c.name + (" " + self.tr("(guardian)") if c.guardian else ""),
                detector_label(c.detector), f"{c.confidence:.0%}" if c.detector else "—",
                c.suggested_grade.name if c.suggested_grade else "—",
                c.item_grade.name if c.item_grade else ("—" if c.item_id is None
                                                         else self.tr("not graded")),
                f"{c.null_rate:.0%}", f"{c.distinct:,}", "、".join(c.examples)])
            self.profile.addTopLevelItem(item)
        for col in range(7):
            self.profile.resizeColumnToContents(col)
        text = self.tr("%1: %n row(s), scheme %2.", "", report.rows).replace(
            "%1", Path(report.path).name).replace("%2", report.scheme)
        if report.quality_score is not None:
            text += " " + self.tr("Quality score of %1: %2 (identifiers %3, metadata %4).") \
                .replace("%1", report.resource_code or "") \
                .replace("%2", f"{report.quality_score:.0%}") \
                .replace("%3", "—" if report.identifier_validity is None
                         else f"{report.identifier_validity:.0%}") \
                .replace("%4", f"{report.metadata_completeness or 0:.0%}")
        self.summary.setText(text)
        self.queue_button.setEnabled(report.resource_code is not None and any(
            c.suggested_grade for c in report.columns))

    def queue_current(self) -> None:
        if self.report is None or self.path is None or not self.report.resource_code:
            return
        db, who, path, code = self.db, self.who, self.path, self.report.resource_code

        def done(report: SuggestionReport) -> None:
            self.summary.setText(self.tr("%n suggestion(s) queued for review.", "",
                                         report.queued))
            self.queue_button.setEnabled(False)

        self.runner.run(lambda: queue_suggestions(db, who, path, code), done,
                        label=self.tr("Queueing suggestions…"))

    # -- the review queue ------------------------------------------------------------------
    def _fill_queue(self, pending: list[PendingSuggestion]) -> None:
        self.queue.clear()
        for p in pending:
            item = QTreeWidgetItem([p.resource_code, p.resource_name, p.column_name,
                                    detector_label(p.detector), f"{p.confidence:.0%}",
                                    p.grade_name,
                                    self.grade_names.get(p.item_grade, p.item_grade)
                                    if p.item_grade else "—", p.proposed_by])
            item.setData(0, Qt.ItemDataRole.UserRole, (p.id, p.version))
            self.queue.addTopLevelItem(item)
        for col in range(self.queue.columnCount()):
            self.queue.resizeColumnToContents(col)
        self._update_decide_buttons()

    def decide_selected(self, accept: bool) -> None:
        chosen = [i.data(0, Qt.ItemDataRole.UserRole) for i in self.queue.selectedItems()]
        if not chosen:
            return
        db, who = self.db, self.who

        def run() -> int:
            for sid, version in chosen:
                decide(db, who, sid, accept, version)
            return len(chosen)

        # what did get decided shows from the change bus, even when a later one failed
        self.runner.run(run, lambda _n: None)
