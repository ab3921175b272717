"""Grading coverage: a bar chart (pyqtgraph) and the same figures as a table (what a screen
reader reads), by category or by provider, and the resources not fully graded.

Categories are shown one level at a time, bars labelled with their names: clicking a bar, or
Enter on its table row, opens the level below that category; the breadcrumb above says where
one is, and 上一级 (Backspace) goes back up. The totals line and the list of resources not
fully graded follow the level shown (the category opened and everything below it).

Names under the bars are shown whole, broken into as many lines as the width of a bar needs
(:func:`wrap_label`); the axis is made as tall as the longest name, so pyqtgraph (which leaves
out a tick label that does not fit inside its axis) never drops or cuts one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
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
#: the share of a bar's slot on the x axis its name may take (the rest keeps names apart)
LABEL_SHARE = 0.9


def _pct(n: int, total: int) -> float:
    return 100.0 * n / total if total else 100.0


def wrap_label(name: str, metrics: QFontMetrics, width: float) -> str:
    """All of ``name`` in lines no wider than ``width`` pixels in ``metrics``' font (a line
    breaks between any two characters: Chinese names have no spaces), at least one character
    a line."""
    lines: list[str] = []
    line = ""
    for ch in name:
        if line and metrics.horizontalAdvance(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join([*lines, line] if line else lines)


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
        plot.getAxis("bottom").setStyle(tickFont=self.font())  # the font the names are fit in
        plot.getPlotItem().getViewBox().sigResized.connect(self._label_bars)
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
        self._show()

    def _show_totals(self) -> None:
        """The totals line and the ungraded list of the level shown: the category opened and
        everything below it, or everything at the top level and when grouping by provider."""
        if self.data is None:
            return
        code = self.level_code if self.by.currentData() == "category" else ""
        t = self.data.row(code)
        text = (self.tr("%1 of %2 resources and %3 of %4 data items are graded.")
                .replace("%1", f"{t.graded_resources:,}").replace("%2", f"{t.resources:,}")
                .replace("%3", f"{t.graded_items:,}").replace("%4", f"{t.items:,}"))
        self.totals.setText(self.tr("%1: %2").replace("%1", t.label).replace("%2", text)
                            if code else text)
        listed = self.data.ungraded_in(code)
        self.ungraded.clear()
        for u in listed:
            self.ungraded.addTopLevelItem(QTreeWidgetItem([
                u.code, u.name, u.provider, self.tr("yes") if u.resource_graded else self.tr("no"),
                str(u.ungraded_items)]))
        for column in (0, 2, 3, 4):  # a provider's whole name, not "杭州市残疾…"
            self.ungraded.resizeColumnToContents(column)
        fit_headers(self.ungraded)
        total = t.ungraded if code else self.data.ungraded_total
        self.ungraded_label.setText(
            self.tr("&Not fully graded: %n resource(s)", "", total)
            + ("" if len(listed) >= total else
               " " + self.tr("(first %1 shown)").replace("%1", str(len(listed)))))

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
        self._show_totals()
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
        self.plot.setXRange(-0.7, max(len(self.bars), 1) - 0.3, padding=0)
        self._label_bars()

    def _label_bars(self) -> None:
        """Name the bars under the chart, each name whole in lines as wide as its bar's slot,
        and make the axis tall enough for the longest (again whenever the chart is resized)."""
        axis = self.plot.getAxis("bottom")
        view = self.plot.getPlotItem().getViewBox()
        slot = view.width() / (max(len(self.bars), 1) + 0.4)  # the x range is n + 0.4 wide
        metrics = QFontMetrics(self.font())
        labels = [wrap_label(r.label, metrics, max(slot * LABEL_SHARE,
                                                   metrics.horizontalAdvance("中")))
                  for r in self.bars]
        axis.setTicks([list(enumerate(labels))])
        lines = max((label.count("\n") + 1 for label in labels), default=1)
        axis.setHeight(lines * metrics.lineSpacing() + 12)
