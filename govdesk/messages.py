"""Messages in the user's language: one catalogue of message codes, each with a Chinese and an
English template, for everything a service says to a user (errors, validation problems, setting
labels).

A service never formats a sentence for the user: it names a code and gives parameters
(``GovDeskError("user_exists", username="li")``, ``Problem("required", "name")``), and whoever
shows it (the GUI, the CLI, an import report) renders it in the user's language with
:func:`render`. English is also the text for logs (``str()`` of an error).

Each layer declares its codes in its own table, next to its code (``db/messages.py``,
``security/messages.py``, ``catalog/messages.py``, ``demo/messages.py``, ``cli/messages.py``),
registered with :func:`define` when its package is imported; a code is defined once in the whole
application (a second definition is a programming error). ``tests/test_messages.py`` checks that
every code has both texts with the same parameters and that every error the code raises uses a
registered code with the parameters its texts need.

Templates are :meth:`str.format` templates. A parameter that is itself translatable (a
:class:`Text`, a :class:`Message`, another error, a validation problem: anything with a
``text(lang)`` method) is rendered in the same language, so a field name or a nested cause reads
in Chinese inside a Chinese sentence.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: the languages of service messages: Chinese (the default) and English
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def lang_code(lang: str | None) -> str:
    """``"zh"`` or ``"en"`` for any spelling the interface uses (``zh_CN``, ``zh``, ``en``,
    ``en_US``, None for the default)."""
    return "en" if lang and lang.lower().startswith("en") else DEFAULT_LANG


@dataclass(frozen=True)
class Text:
    """A short text in both languages (a field name, a setting's label, a unit)."""

    zh: str
    en: str

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The text in ``lang``."""
        return self.en if lang_code(lang) == "en" else self.zh

    def __str__(self) -> str:
        return self.en


#: "a file without type", where a message names a file's type
NO_SUFFIX = Text("无扩展名的文件", "a file without type")

#: every registered code -> its texts; filled by :func:`define`
CATALOGUE: dict[str, Text] = {}
#: every registered code -> the module that defined it (for the checks in the tests)
ORIGIN: dict[str, str] = {}


def define(table: Mapping[str, tuple[str, str]], origin: str) -> None:
    """Register ``code -> (zh, en)`` templates from the module ``origin``.

    Raises ValueError for a code another module already defined, or defined with other texts:
    codes are the contract of the JSON output and must mean one thing.
    """
    for code, (zh, en) in table.items():
        text = Text(zh, en)
        if code in CATALOGUE and (CATALOGUE[code] != text or ORIGIN[code] != origin):
            raise ValueError(f"message code {code!r} is defined twice ({ORIGIN[code]}, {origin})")
        CATALOGUE[code] = text
        ORIGIN[code] = origin


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses (``{name}``, ``{name!r}``, ``{name:,}``)."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


def _localise(value: object, lang: str) -> object:
    method = getattr(value, "text", None)
    if callable(method) and not isinstance(value, type):
        try:
            return str(method(lang))
        except TypeError:  # a ``text`` of another kind (an XML element's is a str)
            return value
    return value


def render(code: str, lang: str = DEFAULT_LANG, params: Mapping[str, object] | None = None) -> str:
    """The message ``code`` in ``lang`` with ``params`` filled in.

    Never raises for a user: an unknown code or a missing parameter (a programming error the
    tests catch) is logged and rendered as the code with its parameters.
    """
    values = {k: _localise(v, lang) for k, v in (params or {}).items()}
    entry = CATALOGUE.get(code)
    if entry is None:
        log.error("unknown message code %r", code)
    else:
        try:
            return entry.text(lang).format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            log.error("message %r cannot be rendered with %r: %s", code, sorted(values), exc)
    shown = ", ".join(f"{k}={v}" for k, v in values.items())
    return f"{code} ({shown})" if shown else code


def jsonable(value: object, lang: str = DEFAULT_LANG) -> object:
    """``value`` as JSON can carry it: numbers, text, booleans and None as they are, lists and
    dicts item by item, translatable values in ``lang``, anything else as its ``str()``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v, lang) for v in value]
    localised = _localise(value, lang)
    return localised if isinstance(localised, str) else str(value)


@dataclass(frozen=True)
class Message:
    """A message code with its parameters, rendered when shown (:meth:`text`)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang``."""
        return render(self.code, lang, self.params)

    def __str__(self) -> str:
        return self.text("en")
