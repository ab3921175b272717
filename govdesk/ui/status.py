"""Say in the main window's status bar what an action did ("已保存 330000/101-0001 第 3 版")."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

#: how long a message stays (milliseconds); the next one replaces it sooner
SHOWN_MS = 10_000


def show_status(widget: QWidget, text: str) -> None:
    """Show ``text`` in the status bar of ``widget``'s main window (nothing when it has none,
    e.g. a view shown on its own in a test)."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, SHOWN_MS)
