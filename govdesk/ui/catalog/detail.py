"""The detail pane: every metadata field of the selected resource and its data items."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk import vocab
from govdesk.catalog.dto import ResourceDetail
from govdesk.catalog.profiling.samples import SampleTable
from govdesk.ui.format import fmt_date, fmt_datetime, fmt_text
from govdesk.ui.i18n import term


class ResourceDetailPane(QTabWidget):
    """Read-only view of one :class:`ResourceDetail` (or a hint when nothing is selected)."""

    FIELDS = ("code", "name", "category", "provider", "provider_code", "region", "summary",
              "format", "sharing_type", "sharing_condition", "sharing_basis", "sharing_method",
              "open_type", "open_condition", "update_cycle", "publish_date", "related_codes",
              "grade", "quality", "status", "created_by", "created_at", "updated_at", "version")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Resource details"))
        self.detail: ResourceDetail | None = None
        self.addTab(self._build_metadata(), self.tr("Metadata"))
        self.addTab(self._build_items(), self.tr("Data items"))
        self.samples_tab = self.addTab(self._build_samples(), self.tr("Sample rows"))
        self.setTabVisible(self.samples_tab, False)
        self.show_detail(None)

    def _build_metadata(self) -> QScrollArea:
        """One selectable, wrapping value per field, labelled."""
        meta = QWidget()
        form = QFormLayout(meta)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = self.field_labels()
        self.values: dict[str, QLabel] = {}
        for key in self.FIELDS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            value.setAccessibleName(labels[key])
            caption = QLabel(labels[key] + "：" if self._zh() else labels[key] + ":")
            caption.setBuddy(value)
            form.addRow(caption, value)
            self.values[key] = value
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(meta)
        scroll.setAccessibleName(self.tr("Metadata"))
        return scroll


    def _build_items(self) -> QWidget:
        self.items = QTableWidget(0, 7)
        self.items.setAccessibleName(self.tr("Data items"))
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Item name"), self.tr("Type"), self.tr("Length"),
            self.tr("Grade"), self.tr("Authoritative source"), self.tr("Standard item code"),
        ])
        # the last column takes what is left: a stretched name column could shrink below
        # its header in a narrow pane
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.verticalHeader().setVisible(False)
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.items)
        return holder


    def _build_samples(self) -> QWidget:
        """The sample rows (masked by grade), the unmask and export buttons."""
        self.samples = QTableWidget(0, 0)
        self.samples.setObjectName("samplesTable")
        self.samples.setAccessibleName(self.tr("Sample rows"))
        self.samples.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.samples_note = QLabel()
        self.samples_note.setWordWrap(True)
        self.unmask_button = QPushButton(self.tr("Show &unmasked (recorded in the audit trail)"))
        self.unmask_button.setVisible(False)
        self.export_samples_button = QPushButton(self.tr("E&xport sample rows…"))
        self.export_samples_button.setAccessibleName(
            self.tr("Export the sample rows to Excel, masked and encrypted as their grades require"))
        samples_box = QWidget()
        box = QVBoxLayout(samples_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.samples_note)
        box.addWidget(self.unmask_button)
        box.addWidget(self.export_samples_button)
        box.addWidget(self.samples, 1)
        return samples_box

    @staticmethod
    def _zh() -> bool:
        from govdesk.ui.i18n import current_language

        return current_language() == "zh_CN"

    def field_labels(self) -> dict[str, str]:
        return {
            "code": self.tr("Resource code"), "name": self.tr("Name"),
            "category": self.tr("Category"), "provider": self.tr("Provider"),
            "provider_code": self.tr("Provider code"), "region": self.tr("Region"),
            "summary": self.tr("Summary"), "format": self.tr("Format"),
            "sharing_type": self.tr("Sharing type"),
            "sharing_condition": self.tr("Sharing conditions"),
            "sharing_basis": self.tr("Basis for not sharing"),
            "sharing_method": self.tr("Sharing method"), "open_type": self.tr("Open data"),
            "open_condition": self.tr("Open conditions"), "update_cycle": self.tr("Update cycle"),
            "publish_date": self.tr("Publish date"), "related_codes": self.tr("Related resources"),
            "grade": self.tr("Grade"), "quality": self.tr("Data quality"),
            "status": self.tr("Status"),
            "created_by": self.tr("Created by"), "created_at": self.tr("Created"),
            "updated_at": self.tr("Updated"), "version": self.tr("Version"),
        }

    def enable_samples(self, can_unmask: bool) -> None:
        """Show the sample-rows tab (for roles cleared to see personal data, masked)."""
        self.setTabVisible(self.samples_tab, True)
        self.unmask_button.setVisible(can_unmask)

    def show_samples(self, table: SampleTable | None) -> None:
        """Show sample rows; masked columns are named above the table."""
        if table is None or not table.rows:
            self.samples.setRowCount(0)
            self.samples.setColumnCount(0)
            self.samples_note.setText(self.tr("This resource has no sample rows."))
            return
        self.samples.setColumnCount(len(table.columns))
        self.samples.setHorizontalHeaderLabels(list(table.columns))
        self.samples.setRowCount(len(table.rows))
        for r, values in enumerate(table.rows):
            for c, value in enumerate(values):
                self.samples.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.samples.resizeColumnsToContents()
        if table.unmasked:
            self.samples_note.setText(self.tr("Unmasked view: personal data is shown in full. "
                                              "This view was recorded in the audit trail."))
        else:
            masked = [c for c in table.columns if c in table.masked]
            self.samples_note.setText(self.tr("Masked by grade: %1").replace(
                "%1", "、".join(masked) if masked else self.tr("nothing")))

    def show_detail(self, d: ResourceDetail | None) -> None:
        """Show ``d``; None clears the pane."""
        self.detail = d
        if d is None:
            for label in self.values.values():
                label.setText("")
            self.values["name"].setText(self.tr("Select a resource in the list."))
            self.items.setRowCount(0)
            self.setTabText(1, self.tr("Data items"))
            return
        shown = {
            "code": d.code, "name": d.name, "category": f"{d.category_code} {d.category}",
            "provider": d.provider, "provider_code": fmt_text(d.provider_code),
            "region": f"{d.region}（{d.region_code}）" if self._zh() else f"{d.region} ({d.region_code})",
            "summary": d.summary, "format": term(vocab.RESOURCE_FORMAT, d.format),
            "sharing_type": term(vocab.SHARING_TYPE, d.sharing_type),
            "sharing_condition": fmt_text(d.sharing_condition),
            "sharing_basis": fmt_text(d.sharing_basis),
            "sharing_method": term(vocab.SHARING_METHOD, d.sharing_method),
            "open_type": term(vocab.OPEN_TYPE, d.open_type),
            "open_condition": fmt_text(d.open_condition),
            "update_cycle": term(vocab.UPDATE_CYCLE, d.update_cycle),
            "publish_date": fmt_date(d.publish_date), "related_codes": "; ".join(d.related_codes),
            "grade": fmt_text(d.grade),
            "quality": self.tr("not profiled yet") if d.quality_score is None else
            self.tr("%1 (profiled %2)").replace("%1", f"{d.quality_score:.0%}")
            .replace("%2", fmt_datetime(d.quality_measured)),
            "status": term(vocab.WORKFLOW_STATUS, d.status),
            "created_by": fmt_text(d.created_by), "created_at": fmt_datetime(d.created_at),
            "updated_at": fmt_datetime(d.updated_at), "version": str(d.version),
        }
        for key, text in shown.items():
            self.values[key].setText(text)
        self.items.setRowCount(len(d.items))
        yes, no = self.tr("Yes"), self.tr("No")
        for row, item in enumerate(d.items):
            cells = (str(item.seq), item.name, term(vocab.DATA_TYPE, item.data_type),
                     fmt_text(item.length), fmt_text(item.grade),
                     yes if item.is_authoritative else no, fmt_text(item.standard_code))
            for col, text in enumerate(cells):
                self.items.setItem(row, col, QTableWidgetItem(text))
        self.items.resizeColumnsToContents()
        self.setTabText(1, self.tr("Data items (%n)", "", len(d.items)))
