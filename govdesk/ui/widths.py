"""Column widths that fit what the columns hold: never narrower than the header's text (so no
header reads "esource code"), as wide as the shown cells need, capped so one long text does not
push every other column off screen (its cell shows the whole text in a tooltip or the detail)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

#: no column is made wider than this (pixels) by fitting; the user may widen it
MAX_WIDTH = 420


def header_of(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def fit_columns(view: QTableView | QTreeView, max_width: int = MAX_WIDTH,
                skip: tuple[int, ...] = ()) -> None:
    """Size each visible column of ``view`` to its header and the cells on screen (at most
    ``max_width``, at least the header's text), except the columns in ``skip``, stretched
    sections and the last one when it stretches."""
    header = header_of(view)
    model = view.model()
    if model is None:
        return
    last = header.count() - 1
    for column in range(header.count()):
        if column in skip or header.isSectionHidden(column):
            continue
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            continue
        if header.stretchLastSection() and header.visualIndex(column) == last:
            continue
        needed = header.sectionSizeHint(column)
        content = min(view.sizeHintForColumn(column), max_width)
        header.resizeSection(column, max(needed, content))


def fit_headers(view: QTableView | QTreeView) -> None:
    """Widen only the columns narrower than their header's text."""
    header = header_of(view)
    for column in range(header.count()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            continue
        needed = header.sectionSizeHint(column)
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)
