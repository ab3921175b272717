"""How one audit record reads: its object named (a setting by its label, not its key), its
detail (stored as JSON) as labelled lines instead of raw JSON, and a dialog that shows the
whole record, opened by double-clicking a row of the audit view."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from govdesk.security.audit_labels import EVENT_TYPE, OBJECT_TYPE
from govdesk.security.audit_read import AuditRow
from govdesk.settings import REGISTRY
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import problem_lang, term
from govdesk.ui.regions import region_name
from govdesk.vocab import ROLE, WORKFLOW_STATUS


def _key_labels() -> dict[str, str]:
    """The names of the detail's keys."""
    return {
        "op": QCoreApplication.translate("AuditDetail", "Operation"),
        "rows": QCoreApplication.translate("AuditDetail", "Rows"),
        "keys": QCoreApplication.translate("AuditDetail", "Records"),
        "role": QCoreApplication.translate("AuditDetail", "Role"),
        "region": QCoreApplication.translate("AuditDetail", "Region"),
        "from": QCoreApplication.translate("AuditDetail", "Before"),
        "to": QCoreApplication.translate("AuditDetail", "After"),
        "action": QCoreApplication.translate("AuditDetail", "Action"),
        "reason": QCoreApplication.translate("AuditDetail", "Reason"),
        "note": QCoreApplication.translate("AuditDetail", "Note"),
        "name": QCoreApplication.translate("AuditDetail", "Name"),
        "until": QCoreApplication.translate("AuditDetail", "Until"),
        "since": QCoreApplication.translate("AuditDetail", "Since"),
        "step": QCoreApplication.translate("AuditDetail", "Workflow step"),
        "resources": QCoreApplication.translate("AuditDetail", "Resources"),
        "items": QCoreApplication.translate("AuditDetail", "Data items"),
        "parent": QCoreApplication.translate("AuditDetail", "Parent category"),
        "minutes": QCoreApplication.translate("AuditDetail", "Minutes"),
        "key_id": QCoreApplication.translate("AuditDetail", "Key"),
        "file": QCoreApplication.translate("AuditDetail", "File"),
        "failures": QCoreApplication.translate("AuditDetail", "Failed attempts"),
        "demo": QCoreApplication.translate("AuditDetail", "Demo account"),
        "checked": QCoreApplication.translate("AuditDetail", "Records checked"),
        "by": QCoreApplication.translate("AuditDetail", "By"),
        "broken_id": QCoreApplication.translate("AuditDetail", "Broken at record"),
        "anchored_id": QCoreApplication.translate("AuditDetail", "Anchored record"),
        "anchor": QCoreApplication.translate("AuditDetail", "Anchor"),
        "sha256": QCoreApplication.translate("AuditDetail", "SHA-256"),
        "purpose": QCoreApplication.translate("AuditDetail", "Purpose"),
        "requested": QCoreApplication.translate("AuditDetail", "Requested"),
        "columns": QCoreApplication.translate("AuditDetail", "Columns"),
        "grade": QCoreApplication.translate("AuditDetail", "Grade"),
        "scheme": QCoreApplication.translate("AuditDetail", "Grade scheme"),
        "service": QCoreApplication.translate("AuditDetail", "Action attempted"),
        "error": QCoreApplication.translate("AuditDetail", "Error code"),
        "problems": QCoreApplication.translate("AuditDetail", "Problem codes"),
        "exception": QCoreApplication.translate("AuditDetail", "Error type"),
        "blank": QCoreApplication.translate("AuditDetail", "Blank template"),
        "filter": QCoreApplication.translate("AuditDetail", "Filter"),
        "text": QCoreApplication.translate("AuditDetail", "Search text"),
        "status": QCoreApplication.translate("AuditDetail", "Status"),
        "sort": QCoreApplication.translate("AuditDetail", "Sorted by"),
        "descending": QCoreApplication.translate("AuditDetail", "Descending"),
        "category_code": QCoreApplication.translate("AuditDetail", "Category"),
        "region_prefix": QCoreApplication.translate("AuditDetail", "Region"),
        "provider_org_id": QCoreApplication.translate("AuditDetail", "Provider"),
        "grade_code": QCoreApplication.translate("AuditDetail", "Grade"),
        "sharing_type": QCoreApplication.translate("AuditDetail", "Sharing type"),
        "update_cycle": QCoreApplication.translate("AuditDetail", "Update cycle"),
        "created": QCoreApplication.translate("AuditDetail", "Created"),
        "updated": QCoreApplication.translate("AuditDetail", "Updated"),
        "unchanged": QCoreApplication.translate("AuditDetail", "Unchanged"),
        "password": QCoreApplication.translate("AuditDetail", "Password"),
        "province": QCoreApplication.translate("AuditDetail", "Province"),
        "before": QCoreApplication.translate("AuditDetail", "Before"),
    }


def _value_labels() -> dict[str, str]:
    """The names of coded values in the detail."""
    return {
        "INSERT": QCoreApplication.translate("AuditDetail", "added"),
        "UPDATE": QCoreApplication.translate("AuditDetail", "changed"),
        "DELETE": QCoreApplication.translate("AuditDetail", "deleted"),
        "WORKFLOW": QCoreApplication.translate("AuditDetail", "workflow step"),
        "add": QCoreApplication.translate("AuditDetail", "added"),
        "rename": QCoreApplication.translate("AuditDetail", "renamed"),
        "remove": QCoreApplication.translate("AuditDetail", "removed"),
        "administrator": QCoreApplication.translate("AuditDetail", "administrator"),
        "submit": QCoreApplication.translate("AuditDetail", "submitted for review"),
        "approve": QCoreApplication.translate("AuditDetail", "approved"),
        "return": QCoreApplication.translate("AuditDetail", "returned to draft"),
        "import": QCoreApplication.translate("AuditDetail", "import"),
        "export": QCoreApplication.translate("AuditDetail", "export"),
        "changed by the user": QCoreApplication.translate("AuditDetail", "changed by the user"),
        "unexpected": QCoreApplication.translate("AuditDetail", "unexpected error"),
        "true": QCoreApplication.translate("AuditDetail", "yes"),
        "false": QCoreApplication.translate("AuditDetail", "no"),
    }


def object_text(row: AuditRow) -> str:
    """What the record is about: a setting by its label, a region by its name, else its id."""
    if row.object_type == "settings" and row.object_id in REGISTRY:
        return REGISTRY[row.object_id].label.text(problem_lang())
    return row.object_id or ""


def object_type_text(code: str | None) -> str:
    return term(OBJECT_TYPE, code) if code else ""


def event_text(code: str) -> str:
    return term(EVENT_TYPE, code)


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _value_labels()["true" if value else "false"]
    if isinstance(value, (list, tuple)):
        return "、".join(_value(key, v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{_key_labels().get(k, k)}：{_value(k, v)}" for k, v in value.items())
    text = str(value)
    if key == "role":
        return term(ROLE, text)
    if key == "status":
        return term(WORKFLOW_STATUS, text)
    if key == "service":
        return _service_text(text)
    if key == "region":
        return region_name(text)
    if key in ("since", "until") and "T" in text:
        import datetime as dt

        try:
            return fmt_datetime(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    return _value_labels().get(text, text)


def _service_text(name: str) -> str:
    """A service (``catalog.excel.exporter.export_catalog``) by what it does: the label of
    the operation it is declared with, else its name."""
    from govdesk.security.kernel import REGISTRY
    from govdesk.security.roles import op_label

    spec = REGISTRY.get(f"govdesk.{name}")
    return op_label(spec.ops[0], problem_lang()) if spec and spec.ops else name


def detail_pairs(detail: str | None) -> list[tuple[str, str]]:
    """The detail of a record as (label, value) pairs; text that is not a JSON object is one
    pair with an empty label."""
    if not detail:
        return []
    try:
        parsed = json.loads(detail)
    except ValueError:
        return [("", detail)]
    if not isinstance(parsed, dict):
        return [("", _value("", parsed))]
    labels = _key_labels()
    return [(labels.get(str(k), str(k)), _value(str(k), v)) for k, v in parsed.items()]


def detail_summary(detail: str | None) -> str:
    """The detail on one line, for the table (the dialog shows it whole)."""
    return "；".join(f"{k}：{v}" if k else v for k, v in detail_pairs(detail))


class AuditDetailDialog(QDialog):
    """Every field of one audit record, the detail formatted and wrapped."""

    def __init__(self, row: AuditRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit record %1").replace("%1", str(row.id)))
        self.setAccessibleName(self.windowTitle())
        form = QFormLayout()
        fields = (
            (self.tr("Time"), fmt_datetime(row.ts) + row.ts.astimezone().strftime(":%S")),
            (self.tr("User"), row.username),
            (self.tr("Role"), term(ROLE, row.role_code) if row.role_code else ""),
            (self.tr("Event"), event_text(row.event_type)),
            (self.tr("Object type"), object_type_text(row.object_type)),
            (self.tr("Object"), object_text(row)),
            (self.tr("Result"), self.tr("Success") if row.success else self.tr("Failure")),
            (self.tr("Client"), row.client_host or ""),
        )
        for caption, value in fields:
            label = QLabel(value)
            label.setWordWrap(True)
            label.setAccessibleName(caption)
            form.addRow(caption + "：" if problem_lang() == "zh" else caption + ":", label)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(self.tr("Detail"))
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail.setPlainText("\n".join(f"{k}：{v}" if k else v
                                           for k, v in detail_pairs(row.detail)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Detail")))
        layout.addWidget(self.detail, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)
