"""This computer's settings (Qt's ``QSettings``), read and written only through the registry's
declarations (:mod:`govdesk.settings`, scope LOCAL): the key, type and default of each are
written once, there.

Qt's INI and registry back ends hand back text for what was stored as a boolean or a number;
:func:`read` turns it into the declared type, and a value that is missing or no longer valid
reads as the default.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

from govdesk.settings import Scope, Setting

T = TypeVar("T")


def read(setting: Setting[T], name: str = "") -> T:
    """The value of the local ``setting`` (``name``: which member of a ``…/*`` family)."""
    assert setting.scope is Scope.LOCAL, setting.key
    stored = QSettings().value(setting.local_key(name))
    if isinstance(stored, QByteArray):
        stored = stored.data()
    return setting.read(stored)


def write(setting: Setting[T], value: T, name: str = "") -> None:
    """Store ``value`` for ``setting`` after checking it against the declaration."""
    assert setting.scope is Scope.LOCAL, setting.key
    checked = setting.parse(value)
    QSettings().setValue(setting.local_key(name),
                         QByteArray(checked) if isinstance(checked, bytes) else checked)
