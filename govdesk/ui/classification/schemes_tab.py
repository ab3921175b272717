"""Grade schemes: the stored schemes with every grade's handling rules; load a province's scheme
file, see what changes handling, then apply it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.classification.schemes import (
    GradeRules,
    SchemeInfo,
    SchemePlan,
    SchemeSpec,
    apply_scheme,
    list_schemes,
    plan_scheme,
    read_scheme_file,
)
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.classification.suggestions_tab import detector_label
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.ops import OperationRunner


def rule_label(rule: str) -> str:
    """The user-language name of a handling rule."""
    names = {
        "masking_required": QCoreApplication.translate("GradeRules", "Masking required"),
        "export_allowed": QCoreApplication.translate("GradeRules", "Export allowed"),
        "export_encryption_required": QCoreApplication.translate("GradeRules", "Exports encrypted"),
        "sharing_types_allowed": QCoreApplication.translate("GradeRules", "Sharing types allowed"),
        "approvals_required": QCoreApplication.translate("GradeRules", "Approvals for a grant"),
        "min_dr_level": QCoreApplication.translate("GradeRules", "Minimum DR level"),
        "audit_retention_days": QCoreApplication.translate("GradeRules", "Audit retention (days)"),
        "max_grant_days": QCoreApplication.translate("GradeRules", "Longest sharing grant (days)"),
    }
    return names.get(rule, rule)


def rule_value(value: object) -> str:
    if isinstance(value, bool):
        return QCoreApplication.translate("GradeRules", "yes") if value else QCoreApplication.translate("GradeRules", "no")
    if isinstance(value, tuple):
        return "、".join(term(vocab.SHARING_TYPE, v) for v in value) or "—"
    return str(value)


RULES = tuple(GradeRules.__dataclass_fields__)


class PlanDialog(QDialog):
    """What applying a scheme would do: per grade in use where it goes and which rules change,
    then the resources whose handling changes. Apply is disabled while there are problems."""

    def __init__(self, plan: SchemePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Apply grade scheme"))
        self.setAccessibleName(self.tr("Apply grade scheme"))
        verb = self.tr("Make %1 the active scheme") if plan.activates else self.tr(
            "Update the active scheme %1")
        head = QLabel(verb.replace("%1", plan.scheme_name))
        head.setWordWrap(True)
        self.changes = QTreeWidget()
        self.changes.setAccessibleName(self.tr("Where each grade goes"))
        self.changes.setHeaderLabels([self.tr("Grade now"), self.tr("Becomes"),
                                      self.tr("Resources"), self.tr("Data items"),
                                      self.tr("Handling changes")])
        self.changes.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        new_names = {c.new_code: c.new_name or c.new_code for c in plan.changes if c.new_code}
        for c in plan.changes:
            rules = "；".join(f"{rule_label(r)}: {rule_value(o)} → {rule_value(n)}"
                             for r, o, n in c.rule_changes) or self.tr("none")
            QTreeWidgetItem(self.changes, [c.old_name, c.new_name or "" if c.new_code
                                           else self.tr("(removed)"), str(c.resources),
                                           str(c.items), rules])
        self.summary = QLabel(self.tr("%n resource(s) change handling.", "",
                                      plan.affected_resources))
        self.summary.setAccessibleName(self.tr("Resources that change handling"))
        self.affected = QTreeWidget()
        self.affected.setAccessibleName(self.tr("Resources that change handling"))
        self.affected.setHeaderLabels([self.tr("Resource code"), self.tr("Name"),
                                       self.tr("Grade now"), self.tr("Becomes")])
        self.affected.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for r in plan.sample:
            QTreeWidgetItem(self.affected, [r.code, r.name, r.old_grade,
                                            new_names.get(r.new_grade, r.new_grade)])
        self.problems = QLabel("\n".join(f"{w}: {p.text(problem_lang())}"
                                         for w, p in plan.problems))
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(self.tr("Problems"))
        self.problems.setVisible(bool(plan.problems))
        self.problems.setStyleSheet("color: #b00020;")
        self._loosening_widgets(plan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton(self.tr("Apply"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName(self.tr("Apply the scheme"))
        self.apply_button.setEnabled(not plan.problems and not plan.loosenings)
        self.confirm_loosening.toggled.connect(
            lambda on: self.apply_button.setEnabled(on and not plan.problems))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (head, self.changes, self.summary, self.affected, self.problems,
                  self.loosenings, self.confirm_loosening, buttons):
            layout.addWidget(w)
        self.resize(820, 600)

    def _loosening_widgets(self, plan: SchemePlan) -> None:
        """The handling rules the scheme weakens, and the check box that confirms them (Apply
        stays disabled until it is ticked)."""
        lang = problem_lang()
        lines = [lo.problem().text(lang) for lo in plan.loosenings]
        self.loosenings = QLabel(self.tr("This scheme loosens handling rules:") + "\n"
                                 + "\n".join(f"• {line}" for line in lines))
        self.loosenings.setWordWrap(True)
        self.loosenings.setAccessibleName(self.tr("Handling rules the scheme loosens"))
        self.loosenings.setStyleSheet("color: #b00020;")
        self.loosenings.setVisible(bool(lines))
        self.confirm_loosening = QCheckBox(self.tr("I &confirm these loosenings"))
        self.confirm_loosening.setAccessibleName(
            self.tr("Confirm that the scheme may loosen these handling rules"))
        self.confirm_loosening.setVisible(bool(lines))


class SchemesTab(QWidget):
    """The schemes list and the load-and-apply flow."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Grade schemes and their handling rules"))
        self.tree.setHeaderLabels([self.tr("Scheme / grade"), self.tr("Rank"),
                                   *(rule_label(r) for r in RULES), self.tr("Detectors")])
        self.load_button = QPushButton(self.tr("&Load scheme file…"))
        self.load_button.setAccessibleName(self.tr("Load a grade scheme from a YAML or Excel file"))
        self.load_button.clicked.connect(self.choose_file)
        self.load_button.setEnabled(who.can(Op.CLASSIFICATION_EDIT))
        self.export_button = QPushButton(self.tr("E&xport active scheme…"))
        self.export_button.setAccessibleName(self.tr("Save the active scheme as a YAML file"))
        self.export_button.clicked.connect(self.choose_export)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Scheme status"))
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        self.schemes: list[SchemeInfo] = []
        self.last_plan: PlanDialog | None = None

    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: list_schemes(db, who), self._fill)

    def _fill(self, schemes: list[SchemeInfo]) -> None:
        self.schemes = schemes
        self.tree.clear()
        for info in schemes:
            label = info.spec.name
            if info.is_active:
                label += " " + self.tr("(active)")
            top = QTreeWidgetItem(self.tree, [label])
            for g in info.spec.grades:
                QTreeWidgetItem(top, [g.name, str(g.rank),
                                      *(rule_value(getattr(g.rules, r)) for r in RULES),
                                      "、".join(detector_label(d) for d in g.detectors)])
            top.setExpanded(info.is_active)
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load grade scheme"), "",
            self.tr("Grade schemes (*.yaml *.yml *.xlsx)"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path, *, confirm: Any = None) -> None:
        """Read and plan ``path`` in the background, show the plan, apply when confirmed.
        ``confirm`` (tests) replaces the dialog: a function of the dialog returning bool."""
        db, who = self.db, self.who

        def read_and_plan() -> tuple[SchemeSpec, SchemePlan]:
            spec = read_scheme_file(path)
            return spec, plan_scheme(db, who, spec)

        def planned(result: tuple[SchemeSpec, SchemePlan]) -> None:
            spec, plan = result
            dialog = PlanDialog(plan, self)
            self.last_plan = dialog
            ok = confirm(dialog) if confirm else dialog.exec() == QDialog.DialogCode.Accepted
            confirmed = bool(plan.loosenings) and dialog.confirm_loosening.isChecked()
            if ok and not plan.problems and (confirmed or not plan.loosenings):
                self.runner.run(lambda: apply_scheme(db, who, spec,
                                                     confirm_loosening=confirmed),
                                self._applied, label=self.tr("Applying the scheme…"))

        self.runner.run(read_and_plan, planned, label=self.tr("Reading %1…").replace(
            "%1", path.name))

    def _applied(self, plan: SchemePlan) -> None:
        self.status.setText(self.tr("%1 is now in force; %n resource(s) changed handling.", "",
                                    plan.affected_resources).replace("%1", plan.scheme_code))

    def choose_export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export grade scheme"),
                                              "scheme.yaml", self.tr("YAML (*.yaml)"))
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        from govdesk.catalog.classification.schemes import active_scheme, scheme_to_yaml

        db, who = self.db, self.who

        def write() -> str:
            path.write_text(scheme_to_yaml(active_scheme(db, who)), encoding="utf-8")
            return str(path)

        self.runner.run(write, lambda p: self.status.setText(
            self.tr("Saved the active scheme to %1").replace("%1", p)))
