"""Whom an offer is for: one organisation of the directory, or every organisation in a scope
(a region prefix, and when chosen a kind of organisation and a region level: every county
federation under 杭州市 is 3301 · 残疾人联合会 · 县级). A scope is resolved whenever a grant is
read, so an organisation created later is covered."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.orgs.directory import OrgInfo, list_organisations
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.sharing.dto import GrantScope
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.sharing.labels import prefix_name, scope_text


class GranteeBox(QGroupBox):
    """The grantee of an offer: :meth:`grantee` (an organisation's code) or :meth:`scope`."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Offered to"), parent)
        self.setAccessibleName(self.tr("Offered to"))
        self.one = QRadioButton(self.tr("One organisa&tion"))
        self.many = QRadioButton(self.tr("Every organisation in a sco&pe"))
        self.one.setAccessibleName(self.tr("Offer to one organisation"))
        self.many.setAccessibleName(self.tr("Offer to every organisation in a scope"))
        group = QButtonGroup(self)
        group.addButton(self.one)
        group.addButton(self.many)
        self.one.setChecked(True)
        self.org = QComboBox()
        self.org.setAccessibleName(self.tr("Organisation granted"))
        self.prefix = QLineEdit()
        self.prefix.setAccessibleName(self.tr("Region code prefix of the scope"))
        self.prefix.setPlaceholderText(self.tr("e.g. 3301 for 杭州市"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of organisation in the scope"))
        self.kind.addItem(self.tr("Any kind"), None)
        for code in vocab.ORG_KIND.codes:
            self.kind.addItem(term(vocab.ORG_KIND, code), code)
        self.level = QComboBox()
        self.level.setAccessibleName(self.tr("Region level of the scope"))
        self.level.addItem(self.tr("Any level"), None)
        for code in vocab.REGION_LEVEL.codes:
            self.level.addItem(term(vocab.REGION_LEVEL, code), int(code))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Scope in words"))
        form = QFormLayout(self)
        form.addRow(self.one, self.org)
        form.addRow(self.many)
        for caption, widget in ((self.tr("Re&gion prefix:"), self.prefix),
                                (self.tr("Organisation &kind:"), self.kind),
                                (self.tr("Region le&vel:"), self.level)):
            label = QLabel(caption)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.summary)
        for signal in (self.one.toggled, self.prefix.textChanged, self.kind.currentIndexChanged,
                       self.level.currentIndexChanged):
            signal.connect(lambda *_a: self._update())
        self._update()
        runner.run(lambda: list_organisations(db, who, active_only=True), self._fill)

    def _fill(self, orgs: list[OrgInfo]) -> None:
        for o in orgs:
            self.org.addItem(f"{o.name}（{o.region_name}）", o.code)

    def grantee(self) -> str | None:
        """The code of the organisation chosen, when offering to one."""
        return str(self.org.currentData()) if self.one.isChecked() and \
            self.org.currentData() else None

    def scope(self) -> GrantScope | None:
        """The scope, when offering to every organisation in one."""
        if not self.many.isChecked():
            return None
        return GrantScope(self.prefix.text().strip(), self.kind.currentData(),
                          self.level.currentData())

    def complete(self) -> bool:
        """An organisation chosen, or a scope with a region prefix."""
        scope = self.scope()
        return self.grantee() is not None or (scope is not None and bool(scope.region_prefix))

    def _update(self) -> None:
        scoped = self.many.isChecked()
        self.org.setEnabled(not scoped)
        for w in (self.prefix, self.kind, self.level):
            w.setEnabled(scoped)
        scope = self.scope()
        if scope is not None and scope.region_prefix:
            name = prefix_name(scope.region_prefix)
            self.summary.setText(scope_text(scope) if name != scope.region_prefix else
                                 self.tr("No region has the code prefix %1.")
                                 .replace("%1", scope.region_prefix))
        else:
            self.summary.clear()
