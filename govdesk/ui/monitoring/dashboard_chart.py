"""One card of the dashboard: a pyqtgraph chart and the same figures as a real QTableView.

The chart is a focusable widget whose accessible name is the card's title and whose
accessible description summarises the figures (what a screen reader says); Ctrl+T on the card
(or :meth:`ChartCard.set_table_shown`) where the focus is swaps the chart for its table and back. A card whose
part the person's role may not read shows a sentence instead
of a chart, never made-up figures. :meth:`ChartCard.export_png` writes the chart as a PNG
(``QWidget.grab`` of the plot: what is on screen, at the screen's resolution).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#c62828", "#6a1b9a", "#00838f", "#5d4037",
           "#ad1457")
#: tick labels shown under a time axis at most (the table lists every bucket)
MAX_TICKS = 12


@dataclass(frozen=True)
class Series:
    """One line or set of bars: its legend name and a value per x position."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Figures:
    """What a card shows: x labels, the series, the table (headers and rows of text) and a
    summary sentence for the accessible description and the line above the chart."""

    labels: tuple[str, ...]
    series: tuple[Series, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    summary: str
    bars: bool = False


class ChartCard(QWidget):
    """A titled chart with its table view; ``focused`` is emitted when focus enters it."""

    focused = Signal(object)

    def __init__(self, card_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self.card_id, self.title = card_id, title
        self.setObjectName(f"dashboardCard_{card_id}")
        self.heading = QLabel(f"<b>{title}</b>")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMinimumHeight(160)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setAccessibleName(self.tr("Chart: %1").replace("%1", title))
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as elsewhere
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Table: %1").replace("%1", title))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message.setAccessibleName(title)
        self.stack = QStackedWidget()
        for widget in (self.plot, self.table, self.message):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        for widget in (self.plot, self.table):  # Ctrl+T where the focus is (chart or table)
            widget.installEventFilter(self)
        self.available = False
        self._table_shown = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Ctrl+T on the chart or the table swaps them; focus on either makes this card the
        one 导出图表 exports."""
        if event.type() == QEvent.Type.FocusIn:
            self.focused.emit(self)
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() == Qt.Key.Key_T and \
                event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.toggle_table()
            return True
        return super().eventFilter(watched, event)

    def table_shown(self) -> bool:
        return self._table_shown

    def set_table_shown(self, shown: bool) -> None:
        """Show the table (True) or the chart; a card without figures keeps its sentence."""
        self._table_shown = shown
        if self.available:
            self.stack.setCurrentWidget(self.table if shown else self.plot)

    def toggle_table(self) -> None:
        self.set_table_shown(not self._table_shown)
        shown = self.stack.currentWidget()
        if shown is not None:
            shown.setFocus()

    def show_unavailable(self, sentence: str) -> None:
        """No figures: ``sentence`` says why (not for this role)."""
        self.available = False
        self.message.setText(sentence)
        self.message.setAccessibleDescription(sentence)
        self.summary.setText("")
        self.model.clear()
        self.plot.clear()
        self.stack.setCurrentWidget(self.message)

    def show_figures(self, figures: Figures) -> None:
        """Draw ``figures`` and fill the table with them."""
        self.available = True
        self.summary.setText(figures.summary)
        self.plot.setAccessibleDescription(figures.summary)
        self.table.setAccessibleDescription(figures.summary)
        self.model.clear()
        self.model.setHorizontalHeaderLabels(list(figures.headers))
        for row in figures.rows:
            items = [QStandardItem(cell) for cell in row]
            for item in items[1:]:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(items)
        self._draw(figures)
        self.set_table_shown(self._table_shown)

    def _draw(self, figures: Figures) -> None:
        import pyqtgraph as pg

        self.plot.clear()
        if self.plot.plotItem.legend is None and len(figures.series) > 1:
            self.plot.addLegend(offset=(-10, 5), labelTextColor="k")
        n = len(figures.labels)
        xs = list(range(n))
        width = 0.8 / max(len(figures.series), 1)
        for i, s in enumerate(figures.series):
            colour = COLOURS[i % len(COLOURS)]
            if figures.bars:
                offset = (i - (len(figures.series) - 1) / 2) * width
                self.plot.addItem(pg.BarGraphItem(x=[x + offset for x in xs], height=s.values,
                                                  width=width * 0.95, brush=colour,
                                                  name=s.name))
            else:
                self.plot.plot(xs, list(s.values), pen=pg.mkPen(colour, width=2), name=s.name)
        step = max(1, -(-n // MAX_TICKS))
        self.plot.getAxis("bottom").setTicks([[(x, _short(figures.labels[x], n) if figures.bars
                                                else figures.labels[x]) for x in xs[::step]]])
        self.plot.setXRange(-0.6, max(n, 1) - 0.4, padding=0)

    def export_png(self, path: str) -> bool:
        """Write the chart (as drawn now, even while the table is shown) to ``path`` as PNG;
        False when the card has no chart or the file could not be written."""
        if not self.available:
            return False
        return bool(self.plot.grab().save(path, "PNG"))


def _short(label: str, bars: int) -> str:
    """A tick label cut to what a slot of ``bars`` holds (the whole name is in the table)."""
    room = max(4, 60 // max(bars, 1))
    return label if len(label) <= room else label[:room - 1] + "…"


def column_texts(values: Sequence[int]) -> tuple[str, ...]:
    """Counts as the table shows them (thousands separated)."""
    return tuple(f"{v:,}" for v in values)
