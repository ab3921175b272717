"""Remembered database passwords in the OS keyring, and nowhere else.

``keyring`` falls back silently to backends that are not a keyring at all: the ``fail`` and
``null`` backends, and, when ``keyrings.alt`` is installed, a plain-text file. Those count as
"no keyring": GovDesk then asks for the password every time and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError

SERVICE = "GovDesk"
_UNSAFE = ("fail", "null", "plaintext", "file.plaintextkeyring", "chainer")


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    reason: str = ""


def keyring_status() -> KeyringStatus:
    """Whether a real OS keyring is available, and which backend keyring chose."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # keyring raises many kinds when no backend can load
        return KeyringStatus(False, "none", f"no keyring backend could be loaded ({exc})")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    lowered = name.lower()
    if any(part in lowered for part in _UNSAFE):
        chained = getattr(backend, "backends", None)  # keyring's ChainerBackend
        if "chainer" in lowered and chained:
            usable = [b for b in chained
                      if not any(p in f"{type(b).__module__}.{type(b).__name__}".lower()
                                 for p in _UNSAFE)]
            if usable:
                return KeyringStatus(True, name)
        return KeyringStatus(False, name, "no secure keyring is available on this computer "
                                          f"(backend {name} does not protect passwords)")
    return KeyringStatus(True, name)


def profile_key(host: str, database: str, user: str) -> str:
    return f"{user}@{host}/{database}"


def remembered_password(key: str) -> str | None:
    """The remembered password for ``key``, or None (also when no keyring is usable)."""
    if not keyring_status().usable:
        return None
    try:
        return keyring.get_password(SERVICE, key)
    except KeyringError:
        return None


def remember_password(key: str, password: str) -> bool:
    """Store the password; False when no usable keyring (nothing is written anywhere)."""
    if not keyring_status().usable:
        return False
    try:
        keyring.set_password(SERVICE, key, password)
    except KeyringError:
        return False
    return True


def forget_password(key: str) -> None:
    if not keyring_status().usable:
        return
    try:
        keyring.delete_password(SERVICE, key)
    except KeyringError:
        pass
