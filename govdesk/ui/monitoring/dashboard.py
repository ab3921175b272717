"""The dashboard tab (监测看板) of the Monitoring area: the cards of
:mod:`govdesk.ui.monitoring.dashboard_chart` filled from one
:func:`govdesk.monitoring.dashboard.dashboard` call on the worker thread per refresh.

A period selector (today, 7 days, 30 days, custom days), 刷新 (F5), 以表格显示 (show every
card as its table; Ctrl+T swaps the focused card alone) and 导出图表 (the card last focused, as
PNG). The area reloads the tab from the change bus (:data:`WATCHES`); access events announce
no change (they arrive all the time), so their figures are as of the last refresh, which the
line at the top says with where they were read (primary or read replica).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from govdesk.changes import CATEGORIES, GRADES, GRANTS, ORGANISATIONS, RESOURCES
from govdesk.db.engine import Database
from govdesk.monitoring.dashboard import READY, Dashboard, Period, dashboard, period
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import current_language
from govdesk.ui.monitoring import dashboard_figures as figures
from govdesk.ui.monitoring.dashboard_chart import ChartCard, Figures
from govdesk.ui.ops import OperationRunner

translate = QCoreApplication.translate

#: the kinds of change that make the dashboard stale (for the Monitoring area's ``watches``)
WATCHES = frozenset({RESOURCES, CATEGORIES, GRADES, GRANTS, ORGANISATIONS})

#: card id -> (title, how its figures are made, its part's state attribute or None)
CARDS: tuple[tuple[str, Any, Callable[[Dashboard], Figures] | None, str | None], ...] = (
    ("by_action", QT_TRANSLATE_NOOP("Dashboard", "Access over time by action"), figures.by_action, None),
    ("by_result", QT_TRANSLATE_NOOP("Dashboard", "Access results and denials"), figures.by_result, None),
    ("top_users", QT_TRANSLATE_NOOP("Dashboard", "Top users"), figures.top_users, None),
    ("top_resources", QT_TRANSLATE_NOOP("Dashboard", "Top resources"), figures.top_resources, None),
    ("coverage", QT_TRANSLATE_NOOP("Dashboard", "Grading coverage"), figures.coverage, "coverage_state"),
    ("expiring", QT_TRANSLATE_NOOP("Dashboard", "Grants expiring"), figures.expiring, "expiring_state"),
    ("alerts", QT_TRANSLATE_NOOP("Dashboard", "Open alerts"), figures.alerts, "alerts_state"),
    ("backup", QT_TRANSLATE_NOOP("Dashboard", "Backup health"), figures.backup, "backup_state"),
)


class DashboardTab(QWidget):
    """The dashboard: period, cards, and the actions on them."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner = db, who, runner
        self.setObjectName("dashboardTab")
        self.data: Dashboard | None = None
        #: asks where to save a PNG (tests replace it); "" = cancelled
        self.ask_path: Callable[[str], str] = self._ask_path
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for kind, label in (("today", self.tr("Today")), ("7d", self.tr("Last 7 days")),
                            ("30d", self.tr("Last 30 days")), ("custom", self.tr("Custom"))):
            self.period.addItem(label, kind)
        self.period.setCurrentIndex(1)
        self.first, self.last = QDateEdit(), QDateEdit()
        for edit, name in ((self.first, self.tr("First day")), (self.last, self.tr("Last day"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setAccessibleName(name)
            inner = edit.findChild(QLineEdit)  # its text field, named for screen readers too
            if inner is not None:
                inner.setAccessibleName(name)
        self.first.setDate(QDate.currentDate().addDays(-6))
        self.period.currentIndexChanged.connect(self._period_changed)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the dashboard"))
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tables = QCheckBox(self.tr("Show as &tables"))
        self.tables.setAccessibleName(self.tr("Show every chart as its table"))
        self.tables.toggled.connect(self.show_tables)
        self.export_button = QPushButton(self.tr("E&xport chart as PNG…"))
        self.export_button.setAccessibleName(self.tr("Export the chart last focused as PNG"))
        self.export_button.clicked.connect(self.export_current)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Dashboard status"))
        self.cards: dict[str, ChartCard] = {}
        for card_id, title, _make, _state in CARDS:
            card = ChartCard(card_id, translate("Dashboard", title))
            card.focused.connect(self._card_focused)
            self.cards[card_id] = card
        self.current: ChartCard = self.cards["by_action"]
        self._period_changed()
        self._lay_out()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        label = QLabel(self.tr("&Period:"))
        label.setBuddy(self.period)
        for widget in (label, self.period, self.first, self.last, self.refresh_button,
                       self.tables, self.export_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        for i, card in enumerate(self.cards.values()):
            card.setMinimumHeight(280)
            grid.addWidget(card, i // 2, i % 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setAccessibleName(self.tr("Dashboard charts"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)

    def _card_focused(self, card: Any) -> None:
        self.current = card

    def chosen_period(self) -> Period:
        """The period selected (raises InputRejected for a bad custom one)."""
        kind = str(self.period.currentData())
        if kind != "custom":
            return period(kind)
        return period(kind, _day(self.first), _day(self.last))

    def refresh(self) -> None:
        """Reload every card in one worker-thread call."""
        db, who = self.db, self.who
        kind = str(self.period.currentData())
        first, last = _day(self.first), _day(self.last)

        def load() -> Dashboard:
            return dashboard(db, who, period(kind, first, last) if kind == "custom"
                             else period(kind))

        self.runner.run(load, self.show_data)

    def show_data(self, data: Dashboard) -> None:
        """Fill the cards from ``data`` (on the GUI thread)."""
        self.data = data
        for card_id, _title, make, state_name in CARDS:
            card = self.cards[card_id]
            state = getattr(data, state_name) if state_name else READY
            if state != READY or make is None:
                card.show_unavailable(self.tr("Not shown: your role may not read this part."))
            else:
                card.show_figures(make(data))
        self.status.setText(self.tr("Figures as of %1. %2").replace(
            "%1", fmt_datetime(_now())).replace("%2", data.source.text(current_language())))

    def show_tables(self, shown: bool) -> None:
        for card in self.cards.values():
            card.set_table_shown(shown)

    def _ask_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export chart as PNG"), suggested, self.tr("PNG images (*.png)"))
        return str(path)

    def export_current(self) -> None:
        """Save the chart last focused as a PNG file the user names."""
        card = self.current
        if not card.available:
            self.status.setText(self.tr("This card has no chart to export."))
            return
        path = self.ask_path(f"{card.card_id}.png")
        if not path:
            return
        if card.export_png(path):
            self.status.setText(self.tr("Chart saved to %1.").replace("%1", path))
        else:
            self.status.setText(self.tr("The chart could not be saved to %1.").replace("%1", path))


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def dashboard_tab(view: Any) -> tuple[str, str, QWidget] | None:
    """The Monitoring area's dashboard tab (TAB_FACTORIES), for MONITOR_READ."""
    if not view.who.can(Op.MONITOR_READ):
        return None
    return ("dashboard", translate("Dashboard", "Dashboard"),
            DashboardTab(view.db, view.who, view.runner))
