"""The reason for an unmasked view of personal data: asked before anything is shown in clear,
recorded in the audit trail with the view (the service refuses a view without one)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.security.reasons import MIN_REASON, is_reason

# what the audit row keeps of a reason (govdesk.catalog.profiling.samples cuts there too)
MAX_REASON = 500


class UnmaskReasonDialog(QDialog):
    """Asks why personal data is to be shown in full; OK stays disabled until a reason the
    service accepts is typed (:func:`govdesk.security.reasons.is_reason`: blanks and
    punctuation are no reason)."""

    def __init__(self, resource: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reason for the unmasked view"))
        self.setAccessibleName(self.tr("Reason for the unmasked view"))
        intro = QLabel(self.tr("Personal data of %1 will be shown in full, and the view recorded "
                               "in the audit trail with your reason.").replace("%1", resource))
        intro.setWordWrap(True)
        label = QLabel(self.tr("&Reason (required, at least %1 letters or digits):")
                       .replace("%1", str(MIN_REASON)))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason for the unmasked view"))
        self.reason.setTabChangesFocus(True)
        label.setBuddy(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Show unmasked"))
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(self._changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, label, self.reason, self.buttons):
            layout.addWidget(w)
        self.resize(460, 220)

    def _changed(self) -> None:
        self.ok.setEnabled(is_reason(self.text()))

    def text(self) -> str:
        """The reason as typed, trimmed, at most :data:`MAX_REASON` characters."""
        return self.reason.toPlainText().strip()[:MAX_REASON]


def ask_unmask_reason(resource: str, parent: QWidget | None = None) -> str | None:
    """The reason the user gave, or None when they cancelled."""
    dialog = UnmaskReasonDialog(resource, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text() or None
