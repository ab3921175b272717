"""Collect the access keys (Alt+letter) a window offers, for the clash test."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QTabBar, QWidget


def _key(text: str) -> str:
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)


def clashes(window: QWidget) -> list[str]:
    """Access keys used twice among what ``window`` shows at once: its menu bar's titles and
    the visible buttons, labelled fields, group boxes and tabs (one scope), and the items of
    each menu (a scope of their own). Returns one line per clash."""
    scopes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    menubar = getattr(window, "menuBar", None)
    if callable(menubar):
        for action in menubar().actions():
            if (key := _key(action.text())):
                scopes["window"][key].append(f"menu {action.text()!r}")
            menu = action.menu()
            if isinstance(menu, QMenu):
                for item in menu.actions():
                    if (key := _key(item.text())):
                        scopes[f"menu {action.text()!r}"][key].append(repr(item.text()))
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window):
            continue
        if isinstance(w, QAbstractButton):
            text = w.text()
        elif isinstance(w, QLabel) and w.buddy() is not None:
            text = w.text()
        elif isinstance(w, QGroupBox):
            text = w.title()
        else:
            text = ""
        if (key := _key(text)):
            scopes["window"][key].append(f"{type(w).__name__} {text!r}")
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                if (key := _key(w.tabText(i))):
                    scopes["window"][key].append(f"tab {w.tabText(i)!r}")
    return [f"{scope}: {key} for {', '.join(names)}" for scope, keys in scopes.items()
            for key, names in keys.items() if len(names) > 1]
