"""Walk every view of a main window and collect what a user reads: widget texts, table
headers and the display text of the first rows of every model. Used by the language tests
(``tests/test_gui_language.py``) to find raw codes in the Chinese interface and clipped
headers in the English one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabWidget,
    QTableView,
    QTreeView,
    QWidget,
)

#: how many rows (and children per tree level) of every model are read
ROWS = 12

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_DOTTED = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_WORD = re.compile(r"^[a-z]+[0-9]*$")
_REGION = re.compile(r"^[0-9]{12}$")
#: a code in front of its label ("core 核心数据"): the label alone belongs there
_PREFIX = re.compile(r"^[a-z][a-z0-9_.]*[0-9_.a-z]\s+[\u4e00-\u9fff]")


def raw_code(text: str) -> str | None:
    """Why ``text`` (as shown) is a raw code where a Chinese label belongs, or None: a
    snake_case or dotted key, a lower-case ASCII word such as ``core`` or ``general4``, a
    12-digit region code, or a one-letter data type code."""
    t = text.replace("&", "").strip()
    if _SNAKE.match(t):
        return "snake_case"
    if _DOTTED.match(t):
        return "dotted key"
    if _WORD.match(t):
        return "ASCII identifier"
    if _REGION.match(t):
        return "region code"
    if _PREFIX.match(t):
        return "code before its label"
    if len(t) == 1 and t in "CNYDTLMGBIF":
        return "data type code"
    return None


@dataclass(frozen=True)
class Seen:
    """One visible text: where it was (a path of object and class names) and what it said."""

    where: str
    text: str


def _name(w: QWidget) -> str:
    return w.objectName() or w.accessibleName() or type(w).__name__


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, depth: int,
                 where: str) -> Iterator[Seen]:
    rows = min(model.rowCount(parent), ROWS)
    for r in range(rows):
        for c in range(64):  # list models hide columnCount: go until the index is invalid
            index = model.index(r, c, parent)
            if not index.isValid():
                break
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if value is not None and str(value):
                yield Seen(f"{where}[{r},{c}]", str(value))
        if depth < 3:
            first = model.index(r, 0, parent)
            if model.rowCount(first) > 0:
                yield from _model_texts(model, first, depth + 1, f"{where}[{r}]>")


def header_texts(view: QAbstractItemView) -> list[tuple[int, str]]:
    """The horizontal header sections of ``view`` (column, text) that are not hidden."""
    model = view.model()
    header = view.horizontalHeader() if isinstance(view, QTableView) else \
        view.header() if isinstance(view, QTreeView) else None
    if model is None or header is None or header.isHidden():
        return []
    out = []
    for c in range(model.columnCount()):
        if header.isSectionHidden(c):
            continue
        text = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if text:
            out.append((c, str(text)))
    return out


def visible_texts(root: QWidget) -> list[Seen]:
    """Every text a user can read in ``root`` now (widgets visible to it)."""
    seen: list[Seen] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w is not root and not w.isVisibleTo(root):
            continue
        if isinstance(w.parent(), QComboBox) or isinstance(w.parent(), QAbstractItemView) and \
                not isinstance(w, QAbstractItemView):
            continue
        where = _name(w)
        if isinstance(w, QLabel):
            seen.append(Seen(where, w.text()))
        elif isinstance(w, QAbstractButton):
            seen.append(Seen(where, w.text()))
        elif isinstance(w, QGroupBox):
            seen.append(Seen(where, w.title()))
        elif isinstance(w, QComboBox):
            seen.extend(Seen(f"{where} item {i}", w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QTabWidget):
            seen.extend(Seen(f"{where} tab {i}", w.tabText(i)) for i in range(w.count()))
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) \
                and w.model() is not None:
            seen.extend(Seen(f"{where} header", t) for _c, t in header_texts(w))
            seen.extend(_model_texts(w.model(), QModelIndex(), 0, where))
    return [s for s in seen if s.text]


def raw_codes(root: QWidget, allowed: Callable[[str], bool] = lambda _t: False) -> list[str]:
    """Descriptions of the raw codes visible in ``root`` (texts for which ``allowed`` is
    False: user names and host names are data, not codes)."""
    out = []
    for s in visible_texts(root):
        why = raw_code(s.text)
        if why and not allowed(s.text.replace("&", "").strip()):
            out.append(f"{s.where}: {s.text!r} ({why})")
    return out


def clipped_headers(root: QWidget) -> list[str]:
    """Header sections in ``root`` narrower than their text (as drawn, with the sort arrow's
    margin), e.g. "esource code"."""
    out = []
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView) or not view.isVisibleTo(root) or view.model() is None:
            continue
        header = view.horizontalHeader() if isinstance(view, QTableView) else \
            view.header() if isinstance(view, QTreeView) else None
        if header is None:
            continue
        metrics = header.fontMetrics()
        last = header.count() - 1
        for c, text in header_texts(view):
            if header.stretchLastSection() and header.visualIndex(c) == last:
                continue  # the last section takes whatever is left
            needed = metrics.horizontalAdvance(text)
            if header.sectionSize(c) < needed:
                out.append(f"{_name(view)} column {c} {text!r}: "
                           f"{header.sectionSize(c)} < {needed}")
    return out


def tabs_of(root: QWidget) -> list[QTabWidget]:
    return [t for t in root.findChildren(QTabWidget) if t.isVisibleTo(root)]


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Let queued loads finish and their results be shown."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)
    QApplication.processEvents()
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)
