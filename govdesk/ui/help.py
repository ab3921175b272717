"""Help: the user manual shipped with GovDesk (F1) and the list of keyboard shortcuts.

The manual is Markdown in ``resources/manual/<language>.md`` (zh_CN and en), shown in a
:class:`QTextBrowser`. The shortcut list is read from the window's own actions and shortcuts
when it opens, so it always says what the keys really do.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from govdesk.config import resources_dir
from govdesk.ui.i18n import current_language


def manual_path(lang: str | None = None) -> Path:
    """The manual in ``lang`` (default: the interface language), English when there is none."""
    folder = resources_dir() / "manual"
    chosen = folder / f"{lang or current_language()}.md"
    return chosen if chosen.is_file() else folder / "en.md"


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(
        QCoreApplication.translate("HelpDialog", "&Close"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class HelpDialog(QDialog):
    """The user manual in the interface language."""

    def __init__(self, parent: QWidget | None = None, lang: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("GovDesk user manual"))
        self.setAccessibleName(self.tr("GovDesk user manual"))
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Manual text"))
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(manual_path(lang).read_text(encoding="utf-8"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
        self.resize(760, 640)
        self.browser.setFocus()


def _label(text: str) -> str:
    """Menu text without its access-key marker, the ellipsis or a trailing tab part."""
    text = text.split("\t")[0]
    for marker in ("(&", "（&"):  # 帮助(&H): the marker and its letter go together
        at = text.find(marker)
        if at >= 0 and text.find(")", at) >= 0:
            text = text[:at] + text[text.find(")", at) + 1:]
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…. ")


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) for every action and shortcut of ``window`` and the widgets in it that has
    a key sequence, in native text (``Ctrl+Q``), sorted by the keys. An action says what it does
    by its text, a :class:`QShortcut` by its ``whatsThis``."""
    rows: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if keys and action.text():
            rows.add((_label(action.text()), ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)))
    for shortcut in window.findChildren(QShortcut):
        what = shortcut.whatsThis()
        if not shortcut.key().isEmpty() and what:
            rows.add((what, shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
    return sorted(rows, key=lambda row: (row[1].count("+"), row[1], row[0]))


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts of ``window`` as they are now (see :func:`shortcut_rows`)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            item = QTableWidgetItem(keys)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 1, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        note = self.tr("Alt with an underlined letter opens a menu or presses a button; Tab and "
                       "Shift+Tab move between fields.")
        self.table.setToolTip(note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        hint = QLabel(note)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(_close_buttons(self))
        self.resize(520, 480)
        self.table.setFocus()
