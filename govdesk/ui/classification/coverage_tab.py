"""Grading coverage: a bar chart (pyqtgraph) and the same figures as a table (what a screen
reader reads), by category or by provider, and the resources not fully graded."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from govdesk.catalog.classification.coverage import Coverage, CoverageRow, coverage
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.ui.ops import OperationRunner
from govdesk.ui.widths import fit_headers

#: bars shown at most (the table lists every row)
MAX_BARS = 20


def _pct(n: int, total: int) -> float:
    return 100.0 * n / total if total else 100.0


class CoverageTab(QWidget):
    """Coverage chart, table and ungraded list; Enter on an ungraded resource opens it."""

    open_resource = Signal(str)

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self.db, self.who, self.runner = db, who, runner
        self.data: Coverage | None = None
        self.by = QComboBox()
        self.by.setAccessibleName(self.tr("Group coverage by"))
        self.by.addItem(self.tr("Category"), "category")
        self.by.addItem(self.tr("Provider organisation"), "provider")
        self.by.currentIndexChanged.connect(self._show)
        self.totals = QLabel()
        self.totals.setAccessibleName(self.tr("Coverage totals"))
        self.totals.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAccessibleName(self.tr("Chart: share of resources and data items graded"))
        self.plot.setMinimumHeight(100)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setYRange(0, 125)  # room above the bars for the legend
        self.plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        self.plot.setLabel("left", self.tr("graded %"))
        self.plot.addLegend(offset=(-10, 5), labelTextColor="k", colCount=2)
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Coverage figures"))
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Resources"),
                                    self.tr("Graded resources"), self.tr("Data items"),
                                    self.tr("Graded data items"), self.tr("Graded")])
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit_headers(self.table)  # no clipped header (issue 13)
        self.ungraded_label = QLabel()
        self.ungraded = QTreeWidget()
        self.ungraded.setAccessibleName(self.tr("Resources not fully graded"))
        self.ungraded_label.setBuddy(self.ungraded)
        self.ungraded.setHeaderLabels([self.tr("Resource code"), self.tr("Name"),
                                       self.tr("Provider"), self.tr("Resource graded"),
                                       self.tr("Ungraded data items")])
        self.ungraded.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_headers(self.ungraded)
        self.ungraded.itemActivated.connect(
            lambda item, _c: self.open_resource.emit(item.text(0)))
        form = QFormLayout()
        form.addRow(self.tr("&Group by:"), self.by)
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.addLayout(form)
        ul.addWidget(self.totals)
        ul.addWidget(self.plot, 2)
        ul.addWidget(self.table, 2)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.addWidget(self.ungraded_label)
        ll.addWidget(self.ungraded, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def refresh(self) -> None:
        db, who = self.db, self.who
        self.runner.run(lambda: coverage(db, who), self._loaded)

    def _loaded(self, data: Coverage) -> None:
        self.data = data
        t = data.total
        self.totals.setText(
            self.tr("%1 of %2 resources and %3 of %4 data items are graded.")
            .replace("%1", f"{t.graded_resources:,}").replace("%2", f"{t.resources:,}")
            .replace("%3", f"{t.graded_items:,}").replace("%4", f"{t.items:,}"))
        self.ungraded.clear()
        for u in data.ungraded:
            self.ungraded.addTopLevelItem(QTreeWidgetItem([
                u.code, u.name, u.provider, self.tr("yes") if u.resource_graded else self.tr("no"),
                str(u.ungraded_items)]))
        self.ungraded_label.setText(self.tr("&Not fully graded: %n resource(s)", "",
                                            data.ungraded_total)
                                    + ("" if len(data.ungraded) == data.ungraded_total else
                                       " " + self.tr("(first %1 shown)").replace(
                                           "%1", str(len(data.ungraded)))))
        self._show()

    def rows(self) -> list[CoverageRow]:
        """The rows for the current grouping: categories (top two levels) or providers."""
        if self.data is None:
            return []
        if self.by.currentData() == "provider":
            return list(self.data.by_provider)
        return [r for r in self.data.by_category if r.depth <= 1]

    def _show(self) -> None:
        import pyqtgraph as pg

        rows = self.rows()
        self.table.clear()
        for r in rows:
            label = ("    " * r.depth) + (f"{r.key} {r.label}" if self.by.currentData()
                                            == "category" else r.label)
            self.table.addTopLevelItem(QTreeWidgetItem([
                label, f"{r.resources:,}", f"{r.graded_resources:,}", f"{r.items:,}",
                f"{r.graded_items:,}", f"{r.share:.0%}"]))
        self.plot.clear()
        bars = [r for r in rows if r.resources][:MAX_BARS]
        xs = list(range(len(bars)))
        self.plot.addItem(pg.BarGraphItem(
            x=[x - 0.2 for x in xs], height=[_pct(r.graded_resources, r.resources) for r in bars],
            width=0.38, brush="#1565c0", name=self.tr("Resources graded")))
        self.plot.addItem(pg.BarGraphItem(
            x=[x + 0.2 for x in xs], height=[_pct(r.graded_items, r.items) for r in bars],
            width=0.38, brush="#ef6c00", name=self.tr("Data items graded")))
        names = [(x, (r.key if self.by.currentData() == "category" else r.label[:6]))
                 for x, r in zip(xs, bars, strict=True)]
        self.plot.getAxis("bottom").setTicks([names])
        self.plot.setXRange(-0.7, max(len(bars), 1) - 0.3)
