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
#: full-width punctuation (migration 0032 has the same list)
NOISE = ((0x01, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
         (0x1680, 0x1680), (0x2000, 0x206F), (0x3000, 0x303F), (0xFE10, 0xFE1F),
         (0xFE30, 0xFE4F), (0xFEFF, 0xFEFF), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20),
         (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))

_NOISE = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in NOISE) + "\\x00]")


def reason_length(text: str | None) -> int:
    """How many characters of ``text`` count towards a reason (letters, digits, any script)."""
    return len(_NOISE.sub("", text or ""))


def is_reason(text: str | None) -> bool:
    """True when ``text`` is accepted as a reason (:data:`MIN_REASON` characters that count)."""
    return reason_length(text) >= MIN_REASON
