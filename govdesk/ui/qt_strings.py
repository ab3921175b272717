"""Qt's own strings that the ``qtbase_zh_CN.qm`` shipped with PySide6 does not translate (its
file dialog's labels gained access keys in Qt 6 and lost their translation). Listed here so
``tools/i18n.py`` puts them, in Qt's contexts, into GovDesk's translation; GovDesk's
translator is installed after Qt's, so it is asked first and Qt's file answers the rest."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_STRINGS: tuple[object, ...] = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
