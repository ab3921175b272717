"""Grading coverage: a bar chart (pyqtgraph) and the same figures as a table (what a screen
reader reads), by category or by provider, and the resources not fully graded.

Categories are shown one level at a time, bars labelled with their names: clicking a bar, or
Enter on its table row, opens the level below that category; the breadcrumb above says where
one is, and 上一级 (Backspace) goes back up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
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
#: characters of a name under a bar (the table has the full name)
BAR_LABEL = 6


def _pct(n: int, total: int) -> float:
    return 100.0 * n / total if total else 100.0


def bar_label(name: str) -> str:
    """A category or provider name short enough for the axis under a bar."""
    return name if len(name) <= BAR_LABEL else name[:BAR_LABEL - 1] + "…"


class CoverageTab(QWidget):
    """Coverage chart, table and ungraded list; Enter on an ungraded resource opens it."""

    open_resource = Signal(str)

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.data: Coverage | None = None
        self.level_code = ""  #: the category whose children are shown ("" = the top level)
        self.bars: list[CoverageRow] = []
        self.by = QComboBox()
        self.by.setAccessibleName(self.tr("Group coverage by"))
        self.by.addItem(self.tr("Category"), "category")
        self.by.addItem(self.tr("Provider organisation"), "provider")
        self.by.currentIndexChanged.connect(self._show)
        self.breadcrumb = QLabel()
        self.breadcrumb.setAccessibleName(self.tr("Category level shown"))
        self.up_button = QPushButton(self.tr("&Up one level"))
        self.up_button.setAccessibleName(self.tr("Show the level above"))
        self.up_button.clicked.connect(self.go_up)
        QShortcut(QKeySequence(Qt.Key.Key_Backspace), self, self.go_up,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.totals = QLabel()
        self.totals.setAccessibleName(self.tr("Coverage totals"))
        self.totals.setWordWrap(True)
        self.plot = self._make_plot()
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Coverage figures"))
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Resources"),
                                    self.tr("Graded resources"), self.tr("Data items"),
                                    self.tr("Graded data items"), self.tr("Graded")])
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(
            lambda item, _c: self.drill_into(item.data(0, Qt.ItemDataRole.UserRole) or ""))
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
        self._lay_out()

    def _make_plot(self) -> Any:
        """The bar chart: graded shares in %, clicking a bar drills into its category."""
        import pyqtgraph as pg

        plot = pg.PlotWidget(background="w")
        plot.setAccessibleName(self.tr("Chart: share of resources and data items graded"))
        plot.setMinimumHeight(100)
        plot.setMouseEnabled(x=False, y=False)
        plot.setYRange(0, 125)  # room above the bars for the legend
        plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        plot.setLabel("left", self.tr("graded %"))
        plot.addLegend(offset=(-10, 5), labelTextColor="k", colCount=2)
        plot.scene().sigMouseClicked.connect(self._plot_clicked)
        return plot

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Group by:"), self.by)
        crumbs = QHBoxLayout()
        crumbs.addWidget(self.up_button)
        crumbs.addWidget(self.breadcrumb, 1)
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.addLayout(form)
        ul.addLayout(crumbs)
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
        """The rows for the current grouping: the categories of the level shown, or every
        provider."""
        if self.data is None:
            return []
        if self.by.currentData() == "provider":
            return list(self.data.by_provider)
        return list(self.data.level(self.level_code))

    def drill_into(self, code: str) -> None:
        """Show the categories under ``code`` (nothing happens for a category without
        sub-categories, or when grouping by provider)."""
        if self.data is None or self.by.currentData() != "category":
            return
        row = next((r for r in self.data.by_category if r.key == code), None)
        if row is not None and row.has_children:
            self.level_code = code
            self._show()

    def go_up(self) -> None:
        """Back to the level above the one shown."""
        if self.data is None or not self.level_code:
            return
        trail = self.data.trail(self.level_code)
        self.level_code = trail[-1].parent if trail else ""
        self._show()

    def bar_clicked(self, index: int) -> None:
        """A click on bar ``index`` of the chart: its category's level below."""
        if 0 <= index < len(self.bars):
            self.drill_into(self.bars[index].key)

    def _plot_clicked(self, event: Any) -> None:
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        self.bar_clicked(round(view.mapSceneToView(event.scenePos()).x()))

    def _show_breadcrumb(self) -> None:
        by_category = self.by.currentData() == "category"
        trail = self.data.trail(self.level_code) if self.data and by_category else ()
        self.up_button.setVisible(by_category)
        self.up_button.setEnabled(bool(trail))
        self.breadcrumb.setVisible(by_category)
        self.breadcrumb.setText(" › ".join([self.tr("All categories"),
                                            *(r.label for r in trail)]))

    def _show(self) -> None:
        import pyqtgraph as pg

        rows = self.rows()
        by_category = self.by.currentData() == "category"
        self._show_breadcrumb()
        self.table.clear()
        for r in rows:
            more = " ›" if by_category and r.has_children else ""
            item = QTreeWidgetItem([
                r.label + more, f"{r.resources:,}", f"{r.graded_resources:,}", f"{r.items:,}",
                f"{r.graded_items:,}", f"{r.share:.0%}"])
            if by_category:
                item.setData(0, Qt.ItemDataRole.UserRole, r.key)
                item.setToolTip(0, f"{r.key} {r.label}")
            self.table.addTopLevelItem(item)
        self.plot.clear()
        self.bars = [r for r in rows if r.resources][:MAX_BARS]
        xs = list(range(len(self.bars)))
        self.plot.addItem(pg.BarGraphItem(
            x=[x - 0.2 for x in xs],
            height=[_pct(r.graded_resources, r.resources) for r in self.bars],
            width=0.38, brush="#1565c0", name=self.tr("Resources graded")))
        self.plot.addItem(pg.BarGraphItem(
            x=[x + 0.2 for x in xs], height=[_pct(r.graded_items, r.items) for r in self.bars],
            width=0.38, brush="#ef6c00", name=self.tr("Data items graded")))
        self.plot.getAxis("bottom").setTicks(
            [[(x, bar_label(r.label)) for x, r in zip(xs, self.bars, strict=True)]])
        self.plot.setXRange(-0.7, max(len(self.bars), 1) - 0.3)
