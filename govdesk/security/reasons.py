"""What counts as a reason where GovDesk asks for one (an unmasked view of personal data):
at least :data:`MIN_REASON` characters that are not whitespace, punctuation or symbols, so that
"x" or "。。。。" is not recorded as the reason. PostgreSQL holds the same rule in
``govdesk_unmask_request`` (migration 0032, with the same ranges); this module is the service
layer's copy (SQLite) and the dialog's (OK enabled only for a reason that will be accepted).
Pure data and functions: every layer may import it."""

from __future__ import annotations

import re

#: characters a reason must have beyond noise
MIN_REASON = 4

#: code-point ranges that do not count: ASCII and Latin-1 controls, punctuation and symbols,
#: whitespace, general punctuation, CJK symbols and punctuation, vertical and small forms,
#: full-width punctuation, and what draws nothing (combining marks, Hangul fillers, variation
#: selectors, the braille blank, private-use and tag characters, specials); migration 0033 has
#: the same list (0032 had the first part)
NOISE = ((0x01, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
         (0x0300, 0x036F), (0x115F, 0x1160), (0x1680, 0x1680), (0x17B4, 0x17B5),
         (0x180B, 0x180F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x2000, 0x206F),
         (0x20D0, 0x20FF), (0x2800, 0x2800), (0x3000, 0x303F), (0x3164, 0x3164),
         (0xE000, 0xF8FF), (0xFE00, 0xFE1F), (0xFE20, 0xFE4F), (0xFEFF, 0xFEFF),
         (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),
         (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFF), (0xE0000, 0xE0FFF), (0xF0000, 0x10FFFF))


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_NOISE = re.compile("[" + "".join(f"{_escape(a)}-{_escape(b)}" for a, b in NOISE) + "\\x00]")


def reason_length(text: str | None) -> int:
    """How many characters of ``text`` count towards a reason (letters, digits, any script)."""
    return len(_NOISE.sub("", text or ""))


def is_reason(text: str | None) -> bool:
    """True when ``text`` is accepted as a reason (:data:`MIN_REASON` characters that count)."""
    return reason_length(text) >= MIN_REASON
