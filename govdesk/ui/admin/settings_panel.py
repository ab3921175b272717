"""The database settings of one section, as a form built from the registry
(:mod:`govdesk.settings`): each setting's label in the interface language and an editor of its
type (a spin box with its range, a line edit with its length, a check box, a list of choices).
Each change goes through the service, which checks it again and audits it; a refused value is
put back."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.settings import SettingInfo, list_settings, update_setting
from govdesk.settings import AnySetting, database_settings
from govdesk.ui.i18n import problem_lang
from govdesk.ui.ops import OperationRunner

Editor = QSpinBox | QLineEdit | QCheckBox | QComboBox


class SettingsPanel(QWidget):
    """The settings whose section is ``section`` ("security" or "system")."""

    def __init__(self, db: Database, who: Identity, runner: OperationRunner, section: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.who, self.runner, self.section = db, who, runner, section
        self.setAccessibleName(self.tr("Settings"))
        self.declared = [s for s in database_settings() if s.section == section]
        self.editors: dict[str, Editor] = {}
        self.shown: dict[str, str] = {}
        form = QFormLayout(self)
        lang = problem_lang()
        for setting in self.declared:
            editor = self._editor(setting)
            label = setting.label.text(lang)
            editor.setAccessibleName(label)
            editor.setToolTip(self._allowed(setting))
            editor.setEnabled(False)  # until the stored value is known
            caption = QLabel(label)
            caption.setBuddy(editor)
            form.addRow(caption, editor)
            self.editors[setting.key] = editor

    def _allowed(self, setting: AnySetting) -> str:
        """What the setting accepts, in words (the tooltip; never the internal key)."""
        if setting.kind is int and setting.low is not None and setting.high is not None:
            return self.tr("A whole number from %1 to %2").replace("%1", str(setting.low)) \
                .replace("%2", str(setting.high))
        if setting.max_length is not None:
            return self.tr("At most %1 characters").replace("%1", str(setting.max_length))
        return ""

    def _editor(self, setting: AnySetting) -> Editor:
        key = setting.key
        if setting.choices:
            combo = QComboBox()
            combo.addItems(list(setting.choices))
            combo.activated.connect(lambda _i, k=key, c=combo: self._save(k, c.currentText()))
            return combo
        if setting.kind is bool:
            box = QCheckBox()
            box.toggled.connect(lambda on, k=key: self._save(k, "true" if on else "false"))
            return box
        if setting.kind is int:
            spin = QSpinBox()
            spin.setRange(setting.low if setting.low is not None else -(2 ** 31),
                          setting.high if setting.high is not None else 2 ** 31 - 1)
            spin.setKeyboardTracking(False)
            spin.editingFinished.connect(lambda k=key, s=spin: self._save(k, str(s.value())))
            return spin
        line = QLineEdit()
        if setting.max_length is not None:
            line.setMaxLength(setting.max_length)
        line.editingFinished.connect(lambda k=key, e=line: self._save(k, e.text()))
        return line

    def refresh(self) -> None:
        db, who = self.db, self.who
        keys = {s.key for s in self.declared}
        self.runner.run(lambda: [s for s in list_settings(db, who) if s.key in keys], self._fill)

    def _fill(self, settings: list[SettingInfo]) -> None:
        for info in settings:
            self.shown[info.key] = info.value
            editor = self.editors[info.key]
            editor.blockSignals(True)
            try:
                _show(editor, info.value)
            finally:
                editor.blockSignals(False)
            editor.setEnabled(True)

    def _save(self, key: str, value: str) -> None:
        if self.shown.get(key) == value or key not in self.shown:
            return
        db, who = self.db, self.who
        # the area reloads from the change bus; a refused value is put back here
        self.runner.run(lambda: update_setting(db, who, key, value), lambda _s: None,
                        on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.runner.report_error(error)
        self.refresh()

    def edit_value(self, key: str, value: str) -> None:
        """Submit ``value`` for ``key`` as typed, unchecked by the editor (for tests and
        scripting: the service is what refuses a value out of range)."""
        if key not in self.editors:
            raise KeyError(key)
        self._save(key, value)

    def value_of(self, key: str) -> str:
        """The value the editor of ``key`` shows, as text."""
        editor = self.editors[key]
        if isinstance(editor, QSpinBox):
            return str(editor.value())
        if isinstance(editor, QCheckBox):
            return "true" if editor.isChecked() else "false"
        if isinstance(editor, QComboBox):
            return editor.currentText()
        return editor.text()


def _show(editor: Any, value: str) -> None:
    if isinstance(editor, QSpinBox):
        editor.setValue(int(value) if value.strip().lstrip("-").isdigit() else editor.minimum())
    elif isinstance(editor, QCheckBox):
        editor.setChecked(value.strip().lower() in ("true", "1"))
    elif isinstance(editor, QComboBox):
        editor.setCurrentText(value)
    else:
        editor.setText(value)
