"""Helpers shared by the GUI tests."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive controls visible in ``root`` that a screen reader could not name: no
    accessible name, no button text, no label buddy."""
    unnamed = []
    for w in root.findChildren(QWidget):
        interactive = isinstance(w, (QLineEdit, QComboBox, QAbstractItemView, QAbstractButton,
                                     QTabWidget))
        if not interactive or not w.isVisibleTo(root):
            continue
        if w.parent() is not None and isinstance(w.parent(), (QAbstractItemView, QComboBox,
                                                              QLineEdit)):
            continue  # Qt's own sub-controls (clear buttons, popup views)
        if w.accessibleName():
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue  # a button's visible text is its accessible name; icon-only ones need one
        buddies = [label for label in root.findChildren(QLabel) if label.buddy() is w]
        if not buddies:
            unnamed.append(f"{type(w).__name__} {w.objectName()!r}")
    return unnamed
