"""Interface language: Chinese (zh_CN, the default) or English, chosen in the settings.

Source strings are English through ``tr()``; ``resources/translations/govdesk_zh_CN.qm`` holds
the complete Chinese translation, and Qt's own ``qtbase_zh_CN.qm`` translates standard dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from govdesk.config import resources_dir
from govdesk.settings import LANGUAGE
from govdesk.ui import local_settings
from govdesk.vocab import Vocabulary

LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}
DEFAULT_LANGUAGE = LANGUAGE.default
_current = DEFAULT_LANGUAGE
_installed: list[QTranslator] = []


def saved_language() -> str:
    """The language chosen in the settings, else the default (zh_CN)."""
    return local_settings.read(LANGUAGE)


def save_language(lang: str) -> None:
    """Remember ``lang`` for the next start."""
    local_settings.write(LANGUAGE, lang)


def install_translators(app: QCoreApplication, lang: str) -> str:
    """Load the translators for ``lang`` into ``app``; returns the language in effect.

    Must be called on the GUI thread before any widget is created.
    """
    global _current
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if _current == "zh_CN":
        qt = QTranslator(app)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        own = QTranslator(app)
        if not own.load(str(resources_dir() / "translations" / "govdesk_zh_CN.qm")):
            raise FileNotFoundError("resources/translations/govdesk_zh_CN.qm is missing")
        app.installTranslator(own)
        _installed.append(own)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                       if _current == "zh_CN" else QLocale(QLocale.Language.English))
    return _current


def current_language() -> str:
    """``"zh_CN"`` or ``"en"``."""
    return _current


def term(vocab: Vocabulary, code: str | None) -> str:
    """The label of a controlled-vocabulary ``code`` in the interface language."""
    return vocab.label(code, "zh" if _current == "zh_CN" else "en")


def problem_lang() -> str:
    """``"zh"`` or ``"en"``: the language for service-layer messages (catalog.messages)."""
    return "zh" if _current == "zh_CN" else "en"


def error_text(error: BaseException) -> str:
    """What the user reads for ``error``: a GovDesk error's message in the interface language,
    anything else as its text (the caller decides whether to show that at all)."""
    from govdesk.errors import GovDeskError

    if isinstance(error, GovDeskError):
        return error.text(problem_lang())
    return str(error) or type(error).__name__
