"""A read-only table model over a SQL query that it fetches one page at a time, by key.

The model knows the total count and 200-row pages, fetched on the worker pool when a row is first
painted; rows not fetched yet show as empty ("Loading…" in the first column) until their page
arrives, then ``dataChanged``. Subclasses say how to count, how to fetch a page and how to show
a cell; sorting and filtering always re-query SQL.

Pages are asked for by key (:mod:`govdesk.db.keyset`), never by offset: the page after a loaded
page starts after that page's last row, the page before one ends before its first row, so
scrolling costs one first-page query per page however deep (a page whose neighbour is still on
its way waits for it, then goes by key). A jump (a scrollbar dragged to the middle) is a
*seek*: the nearest known key (a loaded page, the start, or the end when the count
is exact) plus the rows in between passed over in SQL, so its cost is bounded by the distance to
the nearest loaded page and never more than half the list. Seeks run one at a time, the most
recent first (where the user is now), each planned again when its turn comes (the one before
may have loaded a neighbour); at most :data:`MAX_PENDING_SEEKS` wait, older ones are forgotten
and asked for again if their rows are painted again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from govdesk.db.keyset import KeyPage, Seek
from govdesk.ui.ops import OperationRunner

PAGE_SIZE = 200
# seeks waiting for their turn (a drag paints many positions; only the last few matter)
MAX_PENDING_SEEKS = 8
AnyIndex = QModelIndex | QPersistentModelIndex
Counter = Callable[[], int]
Pager = Callable[[Seek], KeyPage[Any]]


class PagedTableModel(QAbstractTableModel):
    """Base of the big lists. Subclasses set :attr:`COLUMNS` and implement :meth:`fetchers`
    and :meth:`cell`.

    :meth:`fetchers` runs on the GUI thread and returns two plain functions (count, page) that
    capture everything they need as plain values: they run on a worker thread, where reading
    even a Python attribute of a QObject races with Qt (a crash seen in testing)."""

    #: emitted after a (re)load with the new total row count
    loaded = Signal(int)

    COLUMNS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[str] = frozenset()

    def __init__(self, runner: OperationRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._total = 0
        self.count_exact = True  #: False while the total is a capped first answer
        self._pages: dict[int, list[Any]] = {}
        self._keys: dict[int, tuple[Any, Any]] = {}  # page -> keys of its first and last row
        self._requested: set[int] = set()
        self._seeks: list[int] = []  # pages waiting for a seek, most recent last
        self._waiting: set[int] = set()  # pages waiting for a neighbour on its way
        self._seeking: int | None = None  # the page whose seek runs
        self._generation = 0
        self._fetchers: tuple[Counter, Pager] = (lambda: 0, lambda _s: KeyPage([]))

    # -- to implement ---------------------------------------------------------------------
    def fetchers(self) -> tuple[Counter, Pager]:
        """(count(), page(seek)) for the current filter, as closures over plain data."""
        raise NotImplementedError

    def cell(self, row: Any, column: str) -> Any:
        raise NotImplementedError

    def headers(self) -> dict[str, str]:
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------
    def first_fetcher(self) -> Callable[[], tuple[int, bool, KeyPage[Any]]]:
        """(total, exact, first page) for the current filter, run on a worker. By default the
        exact count and page 0; a subclass may answer a capped count first (exact False) and
        give :meth:`exact_counter` for the rest."""
        count, page = self._fetchers
        return lambda: (count(), True, page(Seek(limit=PAGE_SIZE)))

    def exact_counter(self) -> Counter:
        """The exact count, asked for in the background after a capped first answer."""
        return self._fetchers[0]

    def reload(self) -> None:
        """Count and fetch the first page again in the background (after a filter change)."""
        self._generation += 1
        gen = self._generation
        self._fetchers = self.fetchers()
        first = self.first_fetcher()
        self.runner.run(first, lambda r: self._on_loaded(gen, r))

    def _on_loaded(self, gen: int, result: tuple[int, bool, KeyPage[Any]]) -> None:
        if gen != self._generation:
            return
        total, exact, first = result
        self.beginResetModel()
        self._total = total
        self.count_exact = exact
        self._pages, self._keys = {}, {}
        self._store(0, first)
        self._requested = {0}
        self._seeks, self._seeking, self._waiting = [], None, set()
        self.endResetModel()
        self.loaded.emit(total)
        if not exact:
            count = self.exact_counter()
            self.runner.run(count, lambda n: self._on_counted(gen, n))

    def _on_counted(self, gen: int, total: int) -> None:
        if gen != self._generation:
            return
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()
        self.count_exact = True
        self.loaded.emit(total)

    def plan(self, page: int) -> Seek:
        """How to fetch ``page``: from the loaded page, list end or start that needs the fewest
        rows passed over (0 for a neighbour of a loaded page)."""
        first = page * PAGE_SIZE
        best, cost = Seek(skip=first, limit=PAGE_SIZE), first
        for q, (first_key, last_key) in self._keys.items():
            gap = (abs(q - page) - 1) * PAGE_SIZE
            if q != page and gap < cost:
                best = (Seek(after=last_key, skip=gap, limit=PAGE_SIZE) if q < page else
                        Seek(after=first_key, backward=True, skip=gap, limit=PAGE_SIZE))
                cost = gap
        end = min(self._total, first + PAGE_SIZE)
        if self.count_exact and self._total - end < cost:
            best = Seek(backward=True, skip=self._total - end, limit=max(0, end - first))
        return best

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        seek = self.plan(page)
        if seek.skip <= 0:
            self._fetch(page, seek)
            return
        if any(q in self._requested and q not in self._pages for q in (page - 1, page + 1)):
            self._waiting.add(page)  # asked for by key when that neighbour arrives
            return
        self._seeks.append(page)
        if len(self._seeks) > MAX_PENDING_SEEKS:  # forgotten: asked for again when painted
            self._requested.discard(self._seeks.pop(0))
        self._next_seek()

    def _next_seek(self) -> None:
        if self._seeking is not None or not self._seeks:
            return
        page = self._seeks.pop()
        self._seeking = page
        self._fetch(page, self.plan(page))

    def _fetch(self, page: int, seek: Seek) -> None:
        gen, fetch = self._generation, self._fetchers[1]
        self.runner.run(lambda: fetch(seek), lambda rows: self._on_page(gen, page, rows),
                        on_error=lambda exc: self._on_page_error(gen, page, exc))

    def _on_page_error(self, gen: int, page: int, error: BaseException) -> None:
        if gen == self._generation:
            self._release(page)  # asked for again when painted
            self._seek_done(page)
        self.runner.report_error(error)

    def _release(self, page: int) -> None:
        """Forget ``page`` and the pages waiting for it (they are asked for again when
        painted)."""
        self._requested.discard(page)
        self._waiting.discard(page)
        for q in (page - 1, page + 1):
            if q in self._waiting:
                self._release(q)

    def _neighbours_arrived(self, page: int) -> None:
        for q in (page + 1, page - 1):
            if q in self._waiting:
                self._waiting.discard(q)
                self._requested.discard(q)
                self._request_page(q)

    def _seek_done(self, page: int) -> None:
        if self._seeking == page:
            self._seeking = None
            self._next_seek()

    def _store(self, page: int, result: KeyPage[Any]) -> None:
        self._pages[page] = result.rows
        if result.keys:
            self._keys[page] = (result.first_key, result.last_key)

    def _on_page(self, gen: int, page: int, result: KeyPage[Any]) -> None:
        if gen != self._generation:
            return
        self._store(page, result)
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self._neighbours_arrived(page)
        self._seek_done(page)

    def row_at(self, row: int) -> Any | None:
        """The row object shown on ``row`` when its page is loaded (requests it otherwise)."""
        if not 0 <= row < self._total:
            return None
        page_rows = self._pages.get(row // PAGE_SIZE)
        if page_rows is None:
            self._request_page(row // PAGE_SIZE)
            return None
        offset = row % PAGE_SIZE
        return page_rows[offset] if offset < len(page_rows) else None

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in self.RIGHT_ALIGNED:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.AccessibleTextRole):
            return None
        r = self.row_at(index.row())
        if r is None:
            return self.tr("Loading…") if index.column() == 0 else None
        value = self.cell(r, column)
        return "" if value is None else value

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.headers()[self.COLUMNS[section]]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
